package mrz_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/chekara/chekara/app/mrz"
)

// keys returns the keys of the JSON object in b, in the order written.
func keys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", b)
	}
	var out []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

var (
	resultKeys = []string{"format", "valid", "fields", "errors", "warnings", "suggestions"}
	fieldKeys  = []string{"document_code", "issuing_state", "surname", "given_names", "document_number",
		"nationality", "birth_date", "birth_date_iso", "sex", "expiry_date", "expiry_date_iso",
		"optional_data", "optional_data_2"}
)

func TestResultJSONContract(t *testing.T) {
	b, err := json.Marshal(mrz.Parse(specimenTD3, today))
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(t, b); !slices.Equal(got, resultKeys) {
		t.Errorf("keys = %v, want %v", got, resultKeys)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, raw["fields"]); !slices.Equal(got, fieldKeys) {
		t.Errorf("field keys = %v, want %v", got, fieldKeys)
	}
	wantFields := `{"document_code":"P","issuing_state":"UTO","surname":"ERIKSSON","given_names":"ANNA MARIA",` +
		`"document_number":"L898902C3","nationality":"UTO","birth_date":"740812","birth_date_iso":"1974-08-12",` +
		`"sex":"F","expiry_date":"120415","expiry_date_iso":"2012-04-15","optional_data":"ZE184226B","optional_data_2":""}`
	if got := string(raw["fields"]); got != wantFields {
		t.Errorf("fields =\n%s\nwant\n%s", got, wantFields)
	}
	for k, want := range map[string]string{"format": `"TD3"`, "valid": "true", "errors": "[]", "suggestions": "[]"} {
		if got := string(raw[k]); got != want {
			t.Errorf("%s = %s, want %s", k, got, want)
		}
	}
	if !strings.HasPrefix(string(raw["warnings"]), `[{"code":"specimen","message":"`) {
		t.Errorf("warnings = %s", raw["warnings"])
	}

	// Unknown layout: format null, ISO dates null, lists empty but present.
	b, _ = json.Marshal(mrz.Parse(nil, today))
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	if string(raw["format"]) != "null" || string(raw["warnings"]) != "[]" || string(raw["suggestions"]) != "[]" {
		t.Errorf("unknown layout: %s", b)
	}
	var errs []map[string]any
	if err := json.Unmarshal(raw["errors"], &errs); err != nil || len(errs) != 1 {
		t.Fatalf("errors = %s", raw["errors"])
	}
	if got, want := keys(t, mustMarshal(t, mrz.Problem{})), []string{"code", "line", "start", "end", "message"}; !slices.Equal(got, want) {
		t.Errorf("problem keys = %v, want %v", got, want)
	}
	var f map[string]any
	if err := json.Unmarshal(raw["fields"], &f); err != nil || f["birth_date_iso"] != nil || f["expiry_date_iso"] != nil {
		t.Errorf("unknown layout fields = %s", raw["fields"])
	}

	// A suggestion carries lines and changes with line, column, from, to.
	// Through an encoder without HTML escaping, as bmis writes it.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(mrz.Parse(edit(specimenTD3, 2, 44, "O"), today)); err != nil {
		t.Fatal(err)
	}
	b = bytes.TrimSpace(buf.Bytes())
	want := `"suggestions":[{"lines":["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<","L898902C36UTO7408122F1204159ZE184226B<<<<<10"],` +
		`"changes":[{"line":2,"column":44,"from":"O","to":"0"}]}]}`
	if !strings.HasSuffix(string(b), want) {
		t.Errorf("JSON = %s\nwant suffix %s", b, want)
	}
	if !strings.Contains(string(b), `"errors":[{"code":"composite_check","line":2,"start":44,"end":45,"message":"`) {
		t.Errorf("JSON = %s: want the composite_check error at line 2, 44–45", b)
	}

	// What MarshalJSON writes, UnmarshalJSON reads back.
	for _, lines := range [][]string{specimenTD3, nil, edit(specimenTD3, 2, 44, "O"), {"7408<<"}} {
		r := mrz.Parse(lines, today)
		var back mrz.Result
		if err := json.Unmarshal(mustMarshal(t, r), &back); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(mustMarshal(t, back), mustMarshal(t, r)) {
			t.Errorf("round trip of %q changed the JSON", lines)
		}
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
