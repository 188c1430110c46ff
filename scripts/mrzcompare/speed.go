package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// race times the whole of `bmis mrz` and of a node program doing the same
// with the cheminfo package (read the documents from stdin, parse each,
// write one JSON object per document) on the same input file, each the
// fastest of runs, and prints both and their ratio (issue 14 item 10).
func race(bmis, modules, asOf string, docs []doc, runs int) error {
	dir, err := os.MkdirTemp("", "mrzspeed")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var in bytes.Buffer
	for _, d := range docs {
		in.WriteString(strings.Join(d.lines, "\n"))
		in.WriteString("\n\n")
	}
	input := filepath.Join(dir, "docs.txt")
	if err := os.WriteFile(input, in.Bytes(), 0o600); err != nil {
		return err
	}
	script := filepath.Join(dir, "mrz.js")
	if err := os.WriteFile(script, []byte(nodeScript), 0o600); err != nil {
		return err
	}
	node := exec.Command("node", script)
	node.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(modules, "node_modules"))
	ours := exec.Command(bmis, "mrz", "--as-of", asOf)
	tNode, nodeOut, err := fastest(node, input, runs)
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	tOurs, oursOut, err := fastest(ours, input, runs)
	if err != nil {
		return fmt.Errorf("bmis: %w", err)
	}
	if got, want := bytes.Count(oursOut, []byte("\n")), len(docs); got != want {
		return fmt.Errorf("bmis wrote %d objects for %d documents", got, want)
	}
	if got, want := bytes.Count(nodeOut, []byte("\n")), len(docs); got != want {
		return fmt.Errorf("node wrote %d objects for %d documents", got, want)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("%d documents (%d bytes), fastest of %d runs each, GOMAXPROCS %d, load %s", len(docs), in.Len(), runs, runtime.GOMAXPROCS(0), load)
	fmt.Printf("cheminfo mrz (node %s): %v  %.2f µs/doc\n", nodeVersion(), tNode.Round(time.Millisecond), us(tNode, len(docs)))
	fmt.Printf("bmis mrz:                   %v  %.2f µs/doc\n", tOurs.Round(time.Millisecond), us(tOurs, len(docs)))
	fmt.Printf("bmis mrz is %.1f× as fast\n", tNode.Seconds()/tOurs.Seconds())
	return nil
}

func us(d time.Duration, n int) float64 { return d.Seconds() * 1e6 / float64(n) }

// fastest runs cmd (a template: a copy runs each time) with input on stdin
// and returns the shortest wall time, and the output of that run.
func fastest(cmd *exec.Cmd, input string, runs int) (time.Duration, []byte, error) {
	best := time.Duration(1<<63 - 1)
	var out []byte
	for range max(1, runs) {
		f, err := os.Open(input)
		if err != nil {
			return 0, nil, err
		}
		c := exec.Command(cmd.Path, cmd.Args[1:]...)
		c.Env, c.Stdin, c.Stderr = cmd.Env, f, os.Stderr
		var b bytes.Buffer
		c.Stdout = &b
		t0 := time.Now()
		err = c.Run()
		el := time.Since(t0)
		f.Close()
		if err != nil {
			return 0, nil, err
		}
		if el < best {
			best, out = el, b.Bytes()
		}
	}
	return best, out, nil
}

func nodeVersion() string {
	v, err := exec.Command("node", "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(v))
}

// nodeScript is what bmis mrz does, with the cheminfo package: documents
// separated by blank lines on stdin, one JSON object each on stdout.
const nodeScript = `const {parse} = require('mrz');
const chunks = [];
process.stdin.on('data', c => chunks.push(c)).on('end', () => {
  const out = [];
  for (const block of Buffer.concat(chunks).toString().split(/\n\s*\n/)) {
    const lines = block.split('\n').map(l => l.trim()).filter(l => l !== '');
    if (lines.length === 0) continue;
    let r;
    try { r = parse(lines); } catch (e) { r = {valid: false, error: String(e.message)}; }
    out.push(JSON.stringify(r));
  }
  process.stdout.write(out.join('\n') + '\n');
});
`
