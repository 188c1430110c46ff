package screening_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
)

const snapshotV7 = `{"chekara_list":1,"version":7,"type":"snapshot","published":"2026-11-20T08:00:00Z","entries":3}
{"kind":"person","id":"P-1","names":["ИВАНОВ Иван Петрович","IVANOV IVAN"],"birth_date":"1980-05","nationalities":["RUS"],"sex":"M","category":"deny_entry","note":"court order 12/2024"}
{"kind":"person","id":"P-2","names":["Асанова Айгүл"],"birth_date":"1991","nationalities":["KGZ"],"sex":null,"category":"watch"}
{"kind":"document","id":"D-1","issuing_state":"KGZ","document_number":"AC1234567","status":"stolen"}
`

const deltaV8 = `{"chekara_list":1,"version":8,"type":"delta","base":7,"published":"2026-11-21T08:00:00Z","entries":3}
{"op":"remove","kind":"person","id":"P-2"}
{"op":"change","kind":"document","id":"D-1","issuing_state":"KGZ","document_number":"AC1234567","status":"revoked"}
{"op":"add","kind":"document","id":"D-2","issuing_state":"UZB","document_number":"FA0012345","status":"lost"}
`

func TestReadFile(t *testing.T) {
	f, err := screening.ReadFile(strings.NewReader(snapshotV7))
	if err != nil {
		t.Fatal(err)
	}
	l := f.List
	if l == nil || f.Delta != nil {
		t.Fatalf("snapshot parsed as %+v", f)
	}
	if got, want := l.Version, int64(7); got != want {
		t.Errorf("version = %d, want %d", got, want)
	}
	if got, want := len(l.Persons), 2; got != want {
		t.Fatalf("persons = %d, want %d", got, want)
	}
	p := l.Persons[0]
	if p.ID != "P-1" || p.Names[0] != "ИВАНОВ Иван Петрович" || p.BirthDate != "1980-05" || p.Sex != "M" ||
		p.Category != screening.DenyEntry || p.Nationalities[0] != "RUS" || p.Note != "court order 12/2024" {
		t.Errorf("person = %+v", p)
	}
	if got := l.Persons[1].Sex; got != "" {
		t.Errorf("null sex = %q, want empty", got)
	}
	if got, want := l.Documents[0], (screening.Document{ID: "D-1", IssuingState: "KGZ", DocumentNumber: "AC1234567", Status: "stolen"}); got != want {
		t.Errorf("document = %+v, want %+v", got, want)
	}
}

func TestReadFileErrors(t *testing.T) {
	hdr := `{"chekara_list":1,"version":3,"type":"snapshot","published":"2026-11-20T08:00:00Z","entries":1}` + "\n"
	person := func(fields string) string {
		return hdr + `{"kind":"person","id":"P","names":["A B"],"category":"watch"` + fields + "}\n"
	}
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "no header"},
		{"not a list", `{"version":1}` + "\n", "line 1: header: missing \"chekara_list\""},
		{"newer format", `{"chekara_list":2,"version":1,"type":"snapshot","published":"2026-11-20T08:00:00Z","entries":0}`, "format 2 is not supported"},
		{"bad type", `{"chekara_list":1,"version":1,"type":"full","published":"2026-11-20T08:00:00Z","entries":0}`, `type "full"`},
		{"delta base above version", `{"chekara_list":1,"version":3,"type":"delta","base":3,"published":"2026-11-20T08:00:00Z","entries":0}`, "base 3 must be below"},
		{"no published", `{"chekara_list":1,"version":3,"type":"snapshot","entries":0}`, "published time missing"},
		{"truncated", strings.Replace(hdr, `"entries":1`, `"entries":2`, 1) + `{"kind":"document","id":"D","issuing_state":"KGZ","document_number":"A1","status":"lost"}` + "\n", "truncated"},
		{"too many", hdr + "{}\n{}\n", "line 2: "},
		{"bad json", hdr + `{"kind":"person",` + "\n", "line 2: not valid JSON"},
		{"unknown field", person(`,"birthdate":"1980"`), `line 2: not valid JSON: json: unknown field "birthdate"`},
		{"bad date", person(`,"birth_date":"1980-13"`), `line 2: birth date "1980-13"`},
		{"impossible date", person(`,"birth_date":"1981-02-29"`), "does not exist"},
		{"bad sex", person(`,"sex":"male"`), `sex "male"`},
		{"bad nationality", person(`,"nationalities":["kgz"]`), `nationality "kgz"`},
		{"bad category", hdr + `{"kind":"person","id":"P","names":["A"],"category":"bad"}` + "\n", `category "bad"`},
		{"no names", hdr + `{"kind":"person","id":"P","names":[],"category":"watch"}` + "\n", "at least one name"},
		{"name without letters", hdr + `{"kind":"person","id":"P","names":["123"],"category":"watch"}` + "\n", "no letters"},
		{"person with status", person(`,"status":"lost"`), "a person has no"},
		{"document with names", hdr + `{"kind":"document","id":"D","names":["A"],"issuing_state":"KGZ","document_number":"A1","status":"lost"}` + "\n", "a document has no"},
		{"bad number", hdr + `{"kind":"document","id":"D","issuing_state":"KGZ","document_number":"a-1","status":"lost"}` + "\n", `document_number "a-1"`},
		{"bad status", hdr + `{"kind":"document","id":"D","issuing_state":"KGZ","document_number":"A1","status":"gone"}` + "\n", `status "gone"`},
		{"no id", hdr + `{"kind":"document","issuing_state":"KGZ","document_number":"A1","status":"lost"}` + "\n", "id missing"},
		{"op in snapshot", hdr + `{"op":"add","kind":"document","id":"D","issuing_state":"KGZ","document_number":"A1","status":"lost"}` + "\n", "a snapshot line has no op"},
		{"duplicate id", strings.Replace(hdr, `"entries":1`, `"entries":2`, 1) +
			`{"kind":"document","id":"D","issuing_state":"KGZ","document_number":"A1","status":"lost"}` + "\n" +
			`{"kind":"document","id":"D","issuing_state":"KGZ","document_number":"A2","status":"lost"}` + "\n", `line 3: id "D" already used on line 2`},
		{"delta without op", `{"chekara_list":1,"version":3,"type":"delta","base":2,"published":"2026-11-20T08:00:00Z","entries":1}` + "\n" +
			`{"kind":"document","id":"D","issuing_state":"KGZ","document_number":"A1","status":"lost"}`, `op "" must be`},
		{"remove with fields", `{"chekara_list":1,"version":3,"type":"delta","base":2,"published":"2026-11-20T08:00:00Z","entries":1}` + "\n" +
			`{"op":"remove","kind":"document","id":"D","status":"lost"}`, "only op, kind and id"},
		{"long line", hdr + `{"kind":"person","id":"P","names":["` + strings.Repeat("A", screening.MaxLineBytes) + `"],"category":"watch"}`, "line 2: longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := screening.ReadFile(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			if got, want := app.ErrorCode(err), app.EINVALID; got != want {
				t.Errorf("code = %q, want %q", got, want)
			}
		})
	}
}

func TestApplyDelta(t *testing.T) {
	l, err := screening.ReadList(strings.NewReader(snapshotV7))
	if err != nil {
		t.Fatal(err)
	}
	d, err := screening.ReadDelta(strings.NewReader(deltaV8))
	if err != nil {
		t.Fatal(err)
	}
	next, err := l.Apply(d)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := next.Version, int64(8); got != want {
		t.Errorf("version = %d, want %d", got, want)
	}
	if got, want := len(next.Persons), 1; got != want {
		t.Errorf("persons = %d, want %d", got, want)
	}
	if got, want := len(next.Documents), 2; got != want {
		t.Fatalf("documents = %d, want %d", got, want)
	}
	if got, want := next.Documents[0].Status, screening.Revoked; got != want {
		t.Errorf("changed status = %q, want %q", got, want)
	}
	if got, want := l.Documents[0].Status, screening.Stolen; got != want {
		t.Errorf("Apply changed its input: status = %q, want %q", got, want)
	}

	// Diff gives back an equivalent delta.
	back, err := l.Apply(screening.Diff(l, next))
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := screening.WriteList(&a, next); err != nil {
		t.Fatal(err)
	}
	if err := screening.WriteList(&b, back); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("diff then apply:\n%s\nwant\n%s", b.String(), a.String())
	}
}

func TestApplyConflicts(t *testing.T) {
	l, err := screening.ReadList(strings.NewReader(snapshotV7))
	if err != nil {
		t.Fatal(err)
	}
	pub := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	doc := &screening.Document{ID: "D-1", IssuingState: "KGZ", DocumentNumber: "X1", Status: "lost"}
	tests := []struct {
		name string
		d    screening.Delta
		code string
		want string
	}{
		{"wrong base", screening.Delta{Version: 9, Base: 8, Published: pub}, app.ECONFLICT, "does not apply to list version 7"},
		{"add existing", screening.Delta{Version: 8, Base: 7, Published: pub, Ops: []screening.Op{{Action: screening.Add, Kind: screening.KindDocument, ID: "D-1", Document: doc}}}, app.ECONFLICT, "id already listed"},
		{"change missing", screening.Delta{Version: 8, Base: 7, Published: pub, Ops: []screening.Op{{Action: screening.Change, Kind: screening.KindDocument, ID: "D-9", Document: &screening.Document{ID: "D-9", IssuingState: "KGZ", DocumentNumber: "X1", Status: "lost"}}}}, app.ECONFLICT, "id not listed"},
		{"remove missing", screening.Delta{Version: 8, Base: 7, Published: pub, Ops: []screening.Op{{Action: screening.Remove, Kind: screening.KindPerson, ID: "P-9"}}}, app.ECONFLICT, "remove P-9"},
		{"entry with another id", screening.Delta{Version: 8, Base: 7, Published: pub, Ops: []screening.Op{{Action: screening.Change, Kind: screening.KindDocument, ID: "D-2", Document: doc}}}, app.EINVALID, "carries an entry with another id"},
		{"change kind", screening.Delta{Version: 8, Base: 7, Published: pub, Ops: []screening.Op{{Action: screening.Change, Kind: screening.KindDocument, ID: "P-1", Document: &screening.Document{ID: "P-1", IssuingState: "KGZ", DocumentNumber: "X1", Status: "lost"}}}}, app.EINVALID, "cannot change its kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Apply(&tt.d)
			if err == nil || !strings.Contains(err.Error(), tt.want) || app.ErrorCode(err) != tt.code {
				t.Errorf("err = %v, want %s containing %q", err, tt.code, tt.want)
			}
		})
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	for _, in := range []string{snapshotV7, deltaV8} {
		f, err := screening.ReadFile(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if f.List != nil {
			err = screening.WriteList(&buf, f.List)
		} else {
			err = screening.WriteDelta(&buf, f.Delta)
		}
		if err != nil {
			t.Fatal(err)
		}
		if got, want := buf.String(), in; got != want {
			t.Errorf("round trip:\n%s\nwant\n%s", got, want)
		}
	}
}

func TestWriteRefusesInvalid(t *testing.T) {
	l := &screening.List{Version: 1, Published: time.Unix(0, 0), Persons: []screening.Person{{ID: "P", Names: []string{"A"}, Category: "bogus"}}}
	err := screening.WriteList(&bytes.Buffer{}, l)
	if app.ErrorCode(err) != app.EINVALID {
		t.Errorf("err = %v, want EINVALID", err)
	}
}

// FuzzReadFile: list files come from HQ over the network and from USB sticks;
// no input may panic, and whatever parses must write and read back the same.
func FuzzReadFile(f *testing.F) {
	f.Add([]byte(snapshotV7))
	f.Add([]byte(deltaV8))
	f.Add([]byte(`{"chekara_list":1,"version":1,"type":"snapshot","published":"2026-11-20T08:00:00Z","entries":0}`))
	f.Add([]byte("{\"chekara_list\":1}\n\n{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := screening.ReadFile(bytes.NewReader(data))
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error code %q: %v", app.ErrorCode(err), err)
			}
			return
		}
		var buf bytes.Buffer
		if file.List != nil {
			err = screening.WriteList(&buf, file.List)
		} else {
			err = screening.WriteDelta(&buf, file.Delta)
		}
		if err != nil {
			t.Fatalf("parsed but cannot write: %v", err)
		}
		if _, err := screening.ReadFile(&buf); err != nil {
			t.Fatalf("written file does not read back: %v\n%s", err, buf.String())
		}
	})
}
