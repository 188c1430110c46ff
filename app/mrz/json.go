package mrz

import (
	"bytes"
	"encoding/json"
)

// The JSON form is the public contract of `bmis mrz` (issue 2), embedded as "mrz"
// by the readers and OCR: format and *_iso are null when unknown, and errors,
// warnings and suggestions are [] rather than null.
//
// Embed a Result or Fields as a named field (MRZ mrz.Result with the tag
// json:"mrz"), never anonymously: an anonymous embedding promotes MarshalJSON and
// the outer struct would marshal as the MRZ alone.

type fieldsJSON struct {
	DocumentCode   string  `json:"document_code"`
	IssuingState   string  `json:"issuing_state"`
	Surname        string  `json:"surname"`
	GivenNames     string  `json:"given_names"`
	DocumentNumber string  `json:"document_number"`
	Nationality    string  `json:"nationality"`
	BirthDate      string  `json:"birth_date"`
	BirthDateISO   *string `json:"birth_date_iso"`
	Sex            string  `json:"sex"`
	ExpiryDate     string  `json:"expiry_date"`
	ExpiryDateISO  *string `json:"expiry_date_iso"`
	OptionalData   string  `json:"optional_data"`
	OptionalData2  string  `json:"optional_data_2"`
}

type resultJSON struct {
	Format      *Format      `json:"format"`
	Valid       bool         `json:"valid"`
	Fields      Fields       `json:"fields"`
	Errors      []Problem    `json:"errors"`
	Warnings    []Warning    `json:"warnings"`
	Suggestions []Suggestion `json:"suggestions"`
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// MarshalJSON writes the fields with null for an unknown ISO date.
func (f Fields) MarshalJSON() ([]byte, error) {
	return marshal(fieldsJSON{DocumentCode: f.DocumentCode, IssuingState: f.IssuingState,
		Surname: f.Surname, GivenNames: f.GivenNames, DocumentNumber: f.DocumentNumber,
		Nationality: f.Nationality, BirthDate: f.BirthDate, BirthDateISO: orNull(f.BirthDateISO),
		Sex: f.Sex, ExpiryDate: f.ExpiryDate, ExpiryDateISO: orNull(f.ExpiryDateISO),
		OptionalData: f.OptionalData, OptionalData2: f.OptionalData2})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (f *Fields) UnmarshalJSON(b []byte) error {
	var j fieldsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*f = Fields{DocumentCode: j.DocumentCode, IssuingState: j.IssuingState, Surname: j.Surname,
		GivenNames: j.GivenNames, DocumentNumber: j.DocumentNumber, Nationality: j.Nationality,
		BirthDate: j.BirthDate, Sex: j.Sex, ExpiryDate: j.ExpiryDate,
		OptionalData: j.OptionalData, OptionalData2: j.OptionalData2}
	if j.BirthDateISO != nil {
		f.BirthDateISO = *j.BirthDateISO
	}
	if j.ExpiryDateISO != nil {
		f.ExpiryDateISO = *j.ExpiryDateISO
	}
	return nil
}

// MarshalJSON writes the contract of issue 2.
func (r Result) MarshalJSON() ([]byte, error) {
	j := resultJSON{Valid: r.Valid, Fields: r.Fields, Errors: r.Errors, Warnings: r.Warnings, Suggestions: r.Suggestions}
	if r.Format != "" {
		j.Format = &r.Format
	}
	if j.Errors == nil {
		j.Errors = []Problem{}
	}
	if j.Warnings == nil {
		j.Warnings = []Warning{}
	}
	if j.Suggestions == nil {
		j.Suggestions = []Suggestion{}
	}
	for _, s := range j.Suggestions {
		if s.Changes == nil || s.Lines == nil {
			// Copy before filling in, so the caller's Result is not touched.
			j.Suggestions = append([]Suggestion(nil), j.Suggestions...)
			break
		}
	}
	for i, s := range j.Suggestions {
		if s.Changes == nil {
			j.Suggestions[i].Changes = []Change{}
		}
		if s.Lines == nil {
			j.Suggestions[i].Lines = []string{}
		}
	}
	return marshal(j)
}

// marshal is json.Marshal without HTML escaping: MRZ lines are full of '<', and
// "\u003c" would make every line unreadable to people reading the output.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Result) UnmarshalJSON(b []byte) error {
	var j resultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Result{Valid: j.Valid, Fields: j.Fields, Errors: j.Errors, Warnings: j.Warnings, Suggestions: j.Suggestions}
	if j.Format != nil {
		r.Format = *j.Format
	}
	return nil
}
