package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/training"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/internal/safefile"
)

func init() {
	register(command{name: "training", summary: "training scenarios: check packs, play decisions through the booth, write keys", run: runTraining})
}

func runTraining(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprintln(stderr, "usage: bmis training play --pack FILE --decisions FILE [--data DIR --officer ID]")
		fmt.Fprintln(stderr, "       bmis training check FILE...")
		fmt.Fprintln(stderr, "       bmis training decisions --pack FILE (--perfect | --admit-all)")
		fmt.Fprintln(stderr, "       bmis training account --data DIR --id ID --name NAME [--role trainee|trainer] [--lang en]  (password: BMIS_PASSWORD)")
		fmt.Fprintln(stderr, "       bmis training import --data DIR FILE...")
		fmt.Fprintln(stderr, "       bmis training assign --data DIR --trainee ID --pack ID [--debrief each|end] [--by ID]")
		fmt.Fprintln(stderr, "       bmis training results --data DIR [--trainee ID]  (sessions as CSV)")
	}
	if len(args) == 0 {
		usage()
		return 2
	}
	switch args[0] {
	case "play":
		return trainingPlay(ctx, args[1:], stdout, stderr)
	case "check":
		return trainingCheck(args[1:], stdout, stderr)
	case "decisions":
		return trainingDecisions(args[1:], stdout, stderr)
	case "account", "import", "assign", "results":
		return trainingCentre(ctx, args[0], args[1:], stdout, stderr)
	case "-h", "--help", "help":
		usage()
		return 0
	}
	fmt.Fprintf(stderr, "bmis training: unknown subcommand %q\n", args[0])
	usage()
	return 2
}

func readPack(path string) (*training.Pack, []byte, error) {
	data, err := safefile.ReadRegular(path, training.MaxPackBytes+1)
	if err != nil {
		return nil, nil, app.Errorf(app.EINVALID, "Cannot read the pack %s: %v.", path, err)
	}
	p, err := training.Parse(data)
	return p, data, err
}

// trainingPlay plays a decisions file through the real booth in training
// mode — a centre's own database, the pack's lists, rules and earlier
// crossings — and prints the session's score as JSON.
func trainingPlay(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("training play", flag.ContinueOnError)
	fs.SetOutput(stderr)
	packFile := fs.String("pack", "", "scenario pack `FILE`")
	decFile := fs.String("decisions", "", "decisions `FILE` (see docs/training.md)")
	data := fs.String("data", "", "training centre `DIR` to play in and keep the score (default: a temporary one)")
	officer := fs.String("officer", "", "the trainee's `ID` with --data; the password comes from BMIS_PASSWORD")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *packFile == "" || *decFile == "" || fs.NArg() > 0 || (*data != "") != (*officer != "") {
		fs.Usage()
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "bmis training play: %s\n", app.ErrorMessage(err))
		return 1
	}
	p, packData, err := readPack(*packFile)
	if err != nil {
		return fail(err)
	}
	raw, err := safefile.ReadRegular(*decFile, training.MaxPackBytes+1)
	if err != nil {
		return fail(app.Errorf(app.EINVALID, "Cannot read the decisions %s: %v.", *decFile, err))
	}
	d, err := training.ParseDecisions(raw, p)
	if err != nil {
		return fail(err)
	}
	password := os.Getenv("BMIS_PASSWORD")
	if *data == "" {
		dir, err := os.MkdirTemp("", "bmis-training-")
		if err != nil {
			return fail(err)
		}
		defer os.RemoveAll(dir)
		*data, *officer, password = dir, "bmis-trainee", randomHex()
	}
	c, err := booth.OpenCentre(ctx, booth.CentreConfig{DataDir: *data})
	if err != nil {
		return fail(err)
	}
	defer c.Close()
	if *officer == "bmis-trainee" {
		if err := c.Store.SaveOfficer(ctx, app.Officer{ID: *officer, Name: "bmis training play", Role: app.RoleTrainee}, password); err != nil {
			return fail(err)
		}
	}
	if _, err := c.Store.SavePack(ctx, packData); err != nil {
		return fail(err)
	}
	sim, err := c.Start(ctx, booth.SimConfig{PackID: p.ID, OfficerID: *officer, Password: password, Scripted: true})
	if err != nil {
		return fail(err)
	}
	defer sim.Close()
	s, err := sim.Play(ctx, d)
	if err != nil {
		return fail(err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(s.Score); err != nil {
		return fail(err)
	}
	return 0
}

func trainingCheck(files []string, stdout, stderr io.Writer) int {
	if len(files) == 0 {
		fmt.Fprintln(stderr, "usage: bmis training check FILE...")
		return 2
	}
	code := 0
	for _, f := range files {
		p, _, err := readPack(f)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", f, app.ErrorMessage(err))
			code = 1
			continue
		}
		fmt.Fprintf(stdout, "%s: pack %s, %d travellers: ok\n", f, p.ID, len(p.Travellers))
	}
	return code
}

func trainingDecisions(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("training decisions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	packFile := fs.String("pack", "", "scenario pack `FILE`")
	perfect := fs.Bool("perfect", false, "the key played perfectly")
	admitAll := fs.Bool("admit-all", false, "admit every traveller (every hit a false match, every STOP overridden)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *packFile == "" || *perfect == *admitAll || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	p, _, err := readPack(*packFile)
	if err != nil {
		fmt.Fprintf(stderr, "bmis training decisions: %s\n", app.ErrorMessage(err))
		return 1
	}
	d := training.PerfectPlay(p)
	if *admitAll {
		d = training.AdmitAll(p)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", " ")
	enc.Encode(d)
	return 0
}

func randomHex() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// trainingCentre administers a training centre's folder: accounts, packs,
// assignments and results, for a centre without a trainer at the window.
func trainingCentre(ctx context.Context, sub string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("training "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "training centre `DIR`")
	id := fs.String("id", "", "account: the service number")
	name := fs.String("name", "", "account: the person's name")
	role := fs.String("role", "trainee", "account: trainee or trainer")
	lang := fs.String("lang", "en", "account: ky, ru or en")
	trainee := fs.String("trainee", "", "assign, results: the trainee's `ID`")
	pack := fs.String("pack", "", "assign: the pack's `ID`")
	debrief := fs.String("debrief", "end", "assign: each (after each traveller) or end")
	by := fs.String("by", "bmis", "assign: the trainer's `ID`")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *data == "" || sub == "import" && fs.NArg() == 0 || sub != "import" && fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "bmis training %s: %s\n", sub, app.ErrorMessage(err))
		return 1
	}
	c, err := booth.OpenCentre(ctx, booth.CentreConfig{DataDir: *data})
	if err != nil {
		return fail(err)
	}
	defer c.Close()
	switch sub {
	case "account":
		r := app.Role(*role)
		if r != app.RoleTrainee && r != app.RoleTrainer {
			return fail(app.Errorf(app.EINVALID, "A training centre's accounts are trainees and trainers, not %q.", *role))
		}
		if err := c.Store.SaveOfficer(ctx, app.Officer{ID: *id, Name: *name, Role: r, Language: *lang}, os.Getenv("BMIS_PASSWORD")); err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "%s %s (%s): saved\n", r, *id, *name)
	case "import":
		for _, f := range fs.Args() {
			p, err := c.ImportPackFile(ctx, f)
			if err != nil {
				return fail(err)
			}
			fmt.Fprintf(stdout, "pack %s: %d travellers imported\n", p.ID, len(p.Travellers))
		}
	case "assign":
		if err := c.Assign(ctx, training.Assignment{Trainee: *trainee, Pack: *pack, Debrief: training.DebriefMode(*debrief), By: *by}); err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "pack %s assigned to %s (debrief %s)\n", *pack, *trainee, *debrief)
	case "results":
		ss, err := c.Sessions(ctx, *trainee)
		if err != nil {
			return fail(err)
		}
		stdout.Write(training.ResultsCSV(ss))
	}
	return 0
}
