package wire_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// goldenDirectory is the directory held in testdata/directory-1.json.
var goldenDirectory = wire.Directory{Post: "DOSTUK", Version: 7, Officers: []wire.DirectoryOfficer{
	{ID: "K100", Name: "Kubat Osmonov", Role: "officer", Posts: []string{"DOSTUK"}, Language: "ky",
		Password: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$8eT1mUpSgqgGpXu6RtC9tQ3nN0hPL7o2m3b2mUGx2b8"},
	{ID: "S7", Name: "Saltanat Beishenova", Role: "post-admin", Posts: []string{"DOSTUK", "OSH"}, Language: "ru", Disabled: true,
		Password: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$8eT1mUpSgqgGpXu6RtC9tQ3nN0hPL7o2m3b2mUGx2b8"},
}}

// TestDirectoryGolden: format 1 is written byte for byte as its golden file
// and reads back whole; a change of its fields is a new format.
func TestDirectoryGolden(t *testing.T) {
	got, err := wire.MarshalDirectory(goldenDirectory)
	if err != nil {
		t.Fatal(err)
	}
	want := golden(t, "directory-1.json", got)
	d, err := wire.ParseDirectory(want)
	if err != nil {
		t.Fatal(err)
	}
	if d.Format != 1 || d.Version != 7 || len(d.Officers) != 2 || !d.Officers[1].Disabled || d.Officers[1].Posts[1] != "OSH" {
		t.Errorf("read back as %+v", d)
	}
}

func TestParseDirectoryRefuses(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "directory-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data string
	}{
		{"a newer format", strings.Replace(string(good), `"format":1`, `"format":2`, 1)},
		{"no format", strings.Replace(string(good), `"format":1,`, ``, 1)},
		{"an unknown key", strings.Replace(string(good), `"post":`, `"extra":1,"post":`, 1)},
		{"an HQ role", strings.Replace(string(good), `"role":"officer"`, `"role":"analyst"`, 1)},
		{"an unknown role", strings.Replace(string(good), `"role":"officer"`, `"role":"captain"`, 1)},
		{"an officer of another post", strings.Replace(string(good), `"posts":["DOSTUK"]`, `"posts":["OSH"]`, 1)},
		{"an officer twice", strings.Replace(string(good), `"id":"S7"`, `"id":"K100"`, 1)},
		{"no password hash", strings.Replace(string(good), `"password":"$argon2id$v=19`, `"password":"plain$v=19`, 1)},
		{"no version", strings.Replace(string(good), `"version":7`, `"version":0`, 1)},
		{"trailing data", string(good) + `{}`},
		{"not JSON", `{"format":1,`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := wire.ParseDirectory([]byte(tt.data)); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("ParseDirectory = %v, want EINVALID", err)
			}
		})
	}
}

func TestPassword(t *testing.T) {
	cheap := wire.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}
	phc := wire.HashPassword("Zhibek-zholu-2026", cheap)
	tests := []struct {
		name, password, phc string
		want                bool
	}{
		{"right password", "Zhibek-zholu-2026", phc, true},
		{"wrong password", "Zhibek-zholu-2027", phc, false},
		{"another hash scheme", "Zhibek-zholu-2026", strings.Replace(phc, "argon2id", "argon2i", 1), false},
		{"a cost no booth can afford", "Zhibek-zholu-2026", strings.Replace(phc, "m=64,", "m=99999999,", 1), false},
		{"garbage", "x", "$argon2id$", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wire.CheckPassword(tt.password, tt.phc); got != tt.want {
				t.Errorf("CheckPassword = %t, want %t", got, tt.want)
			}
		})
	}
}

func FuzzParseDirectory(f *testing.F) {
	if good, err := os.ReadFile(filepath.Join("testdata", "directory-1.json")); err == nil {
		f.Add(good)
	}
	f.Add([]byte(`{"format":1,"post":"X","version":1,"officers":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := wire.ParseDirectory(data)
		if err != nil {
			return
		}
		// What parses must write and parse again to the same directory.
		again, err := wire.MarshalDirectory(d)
		if err != nil {
			t.Fatalf("parsed directory does not marshal: %v", err)
		}
		if _, err := wire.ParseDirectory(again); err != nil {
			t.Fatalf("marshalled directory does not parse: %v", err)
		}
	})
}
