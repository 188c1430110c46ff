package i18n_test

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/assets"
)

// coreKeys collects every message key the core hands to the officer, by
// reading the source: each app.Errork call (its key must be a literal, so no
// key escapes this test; its English format must be the catalogue's English
// text, so the log and the screen say the same), every error code (its
// general sentence), and the keys the core builds from parts (device and
// signature states), listed here.
func coreKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{ // key → English format in the source, "" when built
		"device.reader.disconnected": "", "device.reader.error": "",
		"device.camera.disconnected": "", "device.camera.error": "",
		"sync.forged.lists": "", "sync.forged.rules": "", "sync.forged.directory": "",
	}
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if name := callee(n); name != "Errork" || len(n.Args) < 3 {
					return true
				}
				key, ok1 := literal(n.Args[1])
				format, ok2 := literal(n.Args[2])
				if !ok1 || !ok2 {
					t.Errorf("%s: Errork's key and English must be string literals", fset.Position(n.Pos()))
					return true
				}
				keys[key] = format
			case *ast.ValueSpec: // the error codes: const EINVALID = "invalid"
				if f.Name.Name != "app" || len(n.Values) != 1 || !strings.HasPrefix(n.Names[0].Name, "E") {
					return true
				}
				if code, ok := literal(n.Values[0]); ok && strings.ToUpper(n.Names[0].Name) == n.Names[0].Name {
					keys["error."+code] = ""
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func callee(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func literal(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(b.Value)
	return s, err == nil
}

// Every sentence the core puts before an officer exists in every language,
// Kyrgyz and Russian in their own words (not the English copied), and the
// English in the catalogue is the sentence the code logs.
func TestEveryCoreMessageTranslated(t *testing.T) {
	c, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	keys := coreKeys(t)
	if got, min := len(keys), 40; got < min {
		t.Fatalf("found %d keys in the source, expected at least %d: is the scan broken?", got, min)
	}
	for key, format := range keys {
		for _, lang := range c.Languages() {
			if !c.Has(lang, key) {
				t.Errorf("%s: no %q", lang, key)
				continue
			}
			if lang != i18n.Fallback && c.T(lang, key) == c.T(i18n.Fallback, key) {
				t.Errorf("%s %q is the English text %q", lang, key, c.T(lang, key))
			}
		}
		if format != "" && c.Has(i18n.Fallback, key) {
			if got := c.T(i18n.Fallback, key); got != format {
				t.Errorf("en %q = %q, but the code says %q", key, got, format)
			}
		}
	}
}

func TestErrorInOfficersLanguage(t *testing.T) {
	c, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	keyed := app.Errork(app.EINVALID, "err.confirmed_hit", "A confirmed %s hit: refuse or refer.", "deny_entry")
	bare := app.Errorf(app.EUNAVAILABLE, "HQ at %s is slow.", "10.0.0.1")
	tests := []struct {
		name, lang string
		err        error
		want       string
	}{
		{"keyed, Kyrgyz", "ky", fmt.Errorf("decide: %w", keyed), "Тастыкталган дал келүү (deny_entry): баш тартыңыз же кошумча текшерүүгө жөнөтүңүз."},
		{"keyed, English", "en", keyed, "A confirmed deny_entry hit: refuse or refer."},
		{"no key, English: its own words", "en", bare, "HQ at 10.0.0.1 is slow."},
		{"no key, Russian: its code's sentence", "ru", bare, "Сейчас недоступно; кабина продолжает работу и повторит попытку."},
		{"not the booth's error", "ky", errors.New("disk I/O error"), "Ички ката: кабинанын журналына жазылды. Кайталанса, администраторду чакырыңыз."},
		{"unknown code", "ru", &app.Error{Code: "teapot", Message: "I am a teapot."}, "Внутренняя ошибка: она записана в журнал кабины. Если повторится, вызовите администратора."},
		{"none", "ky", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := c.Error(tt.lang, tt.err), tt.want; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
