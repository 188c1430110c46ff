package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// runMRZCommand runs `bmis mrz args…` through the dispatcher with stdin.
func runMRZCommand(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"mrz"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// objects splits stdout into its JSON objects, one per line, and checks that
// each has exactly the contract's keys.
func objects(t *testing.T, stdout string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if got, want := objectKeys(t, line), []string{"format", "valid", "fields", "errors", "warnings", "suggestions"}; !slices.Equal(got, want) {
			t.Errorf("keys = %v, want %v in %s", got, want, line)
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("not JSON: %s", line)
		}
		fields, _ := json.Marshal(m["fields"])
		var raw json.RawMessage
		_ = json.Unmarshal(line, &struct {
			Fields *json.RawMessage `json:"fields"`
		}{&raw})
		want := []string{"document_code", "issuing_state", "surname", "given_names", "document_number", "nationality",
			"birth_date", "birth_date_iso", "sex", "expiry_date", "expiry_date_iso", "optional_data", "optional_data_2"}
		if got := objectKeys(t, raw); !slices.Equal(got, want) {
			t.Errorf("field keys = %v, want %v (%s)", got, want, fields)
		}
		for _, k := range []string{"errors", "warnings", "suggestions"} {
			if _, ok := m[k].([]any); !ok {
				t.Errorf("%s = %v, want a list", k, m[k])
			}
		}
		out = append(out, m)
	}
	return out
}

func objectKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", b)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func errorCodesOf(m map[string]any) []string {
	var codes []string
	for _, e := range m["errors"].([]any) {
		codes = append(codes, e.(map[string]any)["code"].(string))
	}
	return codes
}

const (
	passport = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n"
	card     = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<\n"
)

func TestMRZCommand(t *testing.T) {
	t.Run("documents separated by blank lines", func(t *testing.T) {
		in := "\n" + passport + "\n \t\r\n\n" + strings.ReplaceAll(card, "\n", " \r\n") + "\n"
		code, stdout, stderr := runMRZCommand(t, in, "--as-of", "2026-11-25")
		if code != 0 {
			t.Fatalf("exit %d, stderr %s", code, stderr)
		}
		docs := objects(t, stdout)
		if len(docs) != 2 {
			t.Fatalf("%d objects, want 2:\n%s", len(docs), stdout)
		}
		want := `{"format":"TD3","valid":true,"fields":{"document_code":"P","issuing_state":"UTO","surname":"ERIKSSON",` +
			`"given_names":"ANNA MARIA","document_number":"L898902C3","nationality":"UTO","birth_date":"740812",` +
			`"birth_date_iso":"1974-08-12","sex":"F","expiry_date":"120415","expiry_date_iso":"2012-04-15",` +
			`"optional_data":"ZE184226B","optional_data_2":""},"errors":[],"warnings":[{"code":"specimen",`
		if first := strings.SplitN(stdout, "\n", 2)[0]; !strings.HasPrefix(first, want) {
			t.Errorf("first object\n%s\nwant prefix\n%s", first, want)
		}
		if docs[1]["format"] != "TD1" || docs[1]["valid"] != true {
			t.Errorf("second object = %v", docs[1])
		}
	})
	t.Run("unknown country is a warning", func(t *testing.T) {
		// A Kyrgyz passport whose nationality was read KRZ: no check digit
		// covers it, so only the ICAO list can catch it (issue 21).
		in := "P<KGZASANOV<<TALANT<<<<<<<<<<<<<<<<<<<<<<<<<\nAC12345674KRZ8806150M3102282<<<<<<<<<<<<<<<0\n"
		code, stdout, stderr := runMRZCommand(t, in, "--as-of", "2026-11-25")
		if code != 0 {
			t.Fatalf("exit %d, stderr %s", code, stderr)
		}
		doc := objects(t, stdout)[0]
		if doc["valid"] != true {
			t.Fatalf("valid = %v: an unknown code must not make the MRZ invalid", doc["valid"])
		}
		ws := doc["warnings"].([]any)
		if len(ws) != 1 {
			t.Fatalf("warnings %v, want one", ws)
		}
		w := ws[0].(map[string]any)
		got := fmt.Sprintln(w["code"], w["field"], w["value"], w["line"], w["start"], w["end"], w["near"])
		if want := "unknown_country nationality KRZ 2 11 14 [KGZ KAZ]\n"; got != want {
			t.Errorf("warning %s, want %s", got, want)
		}
		if ss := doc["suggestions"].([]any); len(ss) != 2 {
			t.Errorf("suggestions %v, want the readings with KGZ (the issuing state) and KAZ", ss)
		}
	})
	t.Run("as-of decides expiry", func(t *testing.T) {
		warnings := func(asOf string) []string {
			_, stdout, _ := runMRZCommand(t, passport, "--as-of", asOf)
			var codes []string
			for _, w := range objects(t, stdout)[0]["warnings"].([]any) {
				codes = append(codes, w.(map[string]any)["code"].(string))
			}
			return codes
		}
		if got := warnings("2012-04-15"); !slices.Equal(got, []string{"specimen"}) {
			t.Errorf("on the expiry day: %v", got)
		}
		if got := warnings("2012-04-16"); !slices.Equal(got, []string{"specimen", "expired"}) {
			t.Errorf("the day after: %v", got)
		}
	})
	t.Run("default today is the system date", func(t *testing.T) {
		_, stdout, _ := runMRZCommand(t, passport)
		if docs := objects(t, stdout); len(docs) != 1 || docs[0]["valid"] != true {
			t.Errorf("got %s", stdout)
		}
	})
	t.Run("invalid document with a suggestion and null format", func(t *testing.T) {
		code, stdout, _ := runMRZCommand(t, strings.ToLower(passport)+"\nP<UTO\n", "--as-of", "2026-11-25")
		docs := objects(t, stdout)
		if code != 0 || len(docs) != 2 {
			t.Fatalf("exit %d, %d objects", code, len(docs))
		}
		if docs[0]["valid"] != false || len(docs[0]["suggestions"].([]any)) != 1 {
			t.Errorf("lowercase: %v", docs[0])
		}
		if docs[1]["format"] != nil || !slices.Equal(errorCodesOf(docs[1]), []string{"line_count"}) {
			t.Errorf("one short line: %v", docs[1])
		}
		f := docs[1]["fields"].(map[string]any)
		if f["birth_date_iso"] != nil || f["expiry_date_iso"] != nil {
			t.Errorf("ISO dates of an unknown layout = %v, %v; want null", f["birth_date_iso"], f["expiry_date_iso"])
		}
	})
	t.Run("no input at all", func(t *testing.T) {
		code, stdout, _ := runMRZCommand(t, "")
		docs := objects(t, stdout)
		if code != 0 || len(docs) != 1 || !slices.Equal(errorCodesOf(docs[0]), []string{"line_count"}) {
			t.Errorf("exit %d, %s", code, stdout)
		}
	})
	t.Run("binary junk", func(t *testing.T) {
		junk := string([]byte{0, 1, 2, 0xff, 0xfe, '\n', 0x89, 'P', 'N', 'G', '\r', '\n', 0x1b, '[', '3', '1', 'm'})
		code, stdout, _ := runMRZCommand(t, junk)
		docs := objects(t, stdout)
		if code != 0 || len(docs) != 1 || docs[0]["valid"] != false || len(docs[0]["errors"].([]any)) == 0 {
			t.Errorf("exit %d, %s", code, stdout)
		}
	})
	t.Run("huge line", func(t *testing.T) {
		huge := strings.Repeat("<", 8<<20)
		code, stdout, _ := runMRZCommand(t, huge+"\n"+strings.Repeat("<", 44)+"\n")
		docs := objects(t, stdout)
		if code != 0 || len(docs) != 1 {
			t.Fatalf("exit %d, %d objects", code, len(docs))
		}
		if got := errorCodesOf(docs[0]); !slices.Equal(got, []string{"line_length"}) {
			t.Errorf("errors = %v, want line_length", got)
		}
		msg := docs[0]["errors"].([]any)[0].(map[string]any)["message"].(string)
		if !strings.Contains(msg, "more than") {
			t.Errorf("message %q does not say the line was cut", msg)
		}
		if len(stdout) > 4096 {
			t.Errorf("output of %d bytes for one document", len(stdout))
		}
	})
	t.Run("too many lines", func(t *testing.T) {
		code, stdout, _ := runMRZCommand(t, strings.Repeat(strings.Repeat("<", 44)+"\n", 1000))
		docs := objects(t, stdout)
		if code != 0 || len(docs) != 1 || !slices.Equal(errorCodesOf(docs[0]), []string{"line_count"}) {
			t.Fatalf("exit %d, %s", code, stdout)
		}
		if msg := docs[0]["errors"].([]any)[0].(map[string]any)["message"].(string); !strings.Contains(msg, "1000 lines") {
			t.Errorf("message %q does not give the real count", msg)
		}
	})
	t.Run("answers each document before the next arrives", func(t *testing.T) {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		done := make(chan int)
		go func() {
			var errb bytes.Buffer
			done <- run(context.Background(), []string{"mrz"}, inR, outW, &errb)
			outW.Close()
		}()
		go func() { _, _ = io.WriteString(inW, passport+"\n") }()
		line := make(chan string)
		go func() {
			l, _ := bufio.NewReader(outR).ReadString('\n')
			line <- l
		}()
		select {
		case l := <-line:
			if !strings.HasPrefix(l, `{"format":"TD3","valid":true`) {
				t.Errorf("first answer %q", l)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no answer while stdin stays open")
		}
		inW.Close()
		go func() { _, _ = io.Copy(io.Discard, outR) }()
		if code := <-done; code != 0 {
			t.Errorf("exit %d", code)
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		want int
	}{
		{"bad as-of", []string{"--as-of", "25/11/2026"}, 2},
		{"unknown flag", []string{"--strict"}, 2},
		{"stray argument", []string{"passport.txt"}, 2},
		{"help", []string{"-h"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runMRZCommand(t, passport, tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d", code, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, "as-of") {
				t.Errorf("stderr does not show the flags: %q", stderr)
			}
		})
	}
}
