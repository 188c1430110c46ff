package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// RefusalReason is one standard ground for refusing entry, in the style of the
// Schengen Borders Code's standard refusal form (Annex V, Part B): a letter the
// officer picks and the sentence the traveller is given, in several languages.
type RefusalReason struct {
	Code string            `json:"code"` // "A", "B", …; what Crossing.RefusalReason holds
	Text map[string]string `json:"text"` // language ("en", "ru", "ky") → sentence; "en" always present
	// NoteRequired says the officer must also write the concrete ground in
	// Crossing.RefusalNote (e.g. for "another ground under national law").
	NoteRequired bool `json:"note_required,omitempty"`
}

// RefusalReasons is the list of refusal reasons a booth offers. It is data
// (assets/reasons/refusal.json, later pushed by HQ), versioned so a booth can
// say which list a refusal was made under.
type RefusalReasons struct {
	Version string          `json:"version"`
	Source  string          `json:"source,omitempty"` // where the wording comes from
	Reasons []RefusalReason `json:"reasons"`
}

var refusalCode = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,3}$`)

// ParseRefusalReasons reads a refusal reason list from JSON. It returns EINVALID
// when the bytes are not such a list: unknown fields, a missing version, an
// empty list, a malformed or repeated code, or a reason without English text.
func ParseRefusalReasons(data []byte) (RefusalReasons, error) {
	var r RefusalReasons
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return RefusalReasons{}, Errorf(EINVALID, "The refusal reason list is not valid JSON: %v.", err)
	}
	if dec.More() {
		return RefusalReasons{}, Errorf(EINVALID, "The refusal reason list has data after its end.")
	}
	if strings.TrimSpace(r.Version) == "" {
		return RefusalReasons{}, Errorf(EINVALID, "The refusal reason list has no version.")
	}
	if len(r.Reasons) == 0 {
		return RefusalReasons{}, Errorf(EINVALID, "The refusal reason list is empty.")
	}
	seen := make(map[string]bool, len(r.Reasons))
	for i, reason := range r.Reasons {
		if !refusalCode.MatchString(reason.Code) {
			return RefusalReasons{}, Errorf(EINVALID, "Refusal reason %d has a malformed code %q.", i+1, reason.Code)
		}
		if seen[reason.Code] {
			return RefusalReasons{}, Errorf(EINVALID, "Refusal reason %s appears twice.", reason.Code)
		}
		seen[reason.Code] = true
		if strings.TrimSpace(reason.Text["en"]) == "" {
			return RefusalReasons{}, Errorf(EINVALID, "Refusal reason %s has no English text.", reason.Code)
		}
		for lang := range reason.Text {
			if len(lang) < 2 || len(lang) > 3 || strings.ToLower(lang) != lang {
				return RefusalReasons{}, Errorf(EINVALID, "Refusal reason %s has text in an unknown language %q.", reason.Code, lang)
			}
		}
	}
	sort.SliceStable(r.Reasons, func(i, j int) bool { return r.Reasons[i].Code < r.Reasons[j].Code })
	return r, nil
}

// Lookup returns the reason with the given code.
func (r RefusalReasons) Lookup(code string) (RefusalReason, bool) {
	for _, reason := range r.Reasons {
		if reason.Code == code {
			return reason, true
		}
	}
	return RefusalReason{}, false
}

// Check returns EINVALID unless code is on the list.
func (r RefusalReasons) Check(code string) error {
	if _, ok := r.Lookup(code); !ok {
		return Errorf(EINVALID, "%q is not a refusal reason on list %s.", code, r.Version)
	}
	return nil
}

// TextIn returns the reason's sentence in lang, falling back to English when the
// list has no text in that language.
func (r RefusalReason) TextIn(lang string) string {
	if t := r.Text[lang]; t != "" {
		return t
	}
	return r.Text["en"]
}

// String returns "A — text" in English, for logs and the command line.
func (r RefusalReason) String() string { return fmt.Sprintf("%s — %s", r.Code, r.Text["en"]) }
