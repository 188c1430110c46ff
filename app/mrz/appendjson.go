package mrz

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// AppendJSON appends r's JSON form, byte for byte what MarshalJSON writes
// (TestAppendJSONIsMarshalJSON holds that), without reflection: `bmis mrz`
// spent ten times longer writing a document's JSON than parsing it.
func (r Result) AppendJSON(b []byte) []byte {
	b = append(b, `{"format":`...)
	if r.Format == "" {
		b = append(b, "null"...)
	} else {
		b = appendString(b, string(r.Format))
	}
	b = append(b, `,"valid":`...)
	b = strconv.AppendBool(b, r.Valid)
	b = append(b, `,"fields":`...)
	b = r.Fields.appendJSON(b)
	b = append(b, `,"errors":[`...)
	for i, p := range r.Errors {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = appendString(b, p.Code)
		b = appendInts(b, p.Line, p.Start, p.End)
		b = append(b, `,"message":`...)
		b = appendString(b, p.Message)
		b = append(b, '}')
	}
	b = append(b, `],"warnings":[`...)
	for i, w := range r.Warnings {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = appendString(b, w.Code)
		b = append(b, `,"message":`...)
		b = appendString(b, w.Message)
		if a := w.About; a != nil {
			b = append(b, `,"field":`...)
			b = appendString(b, a.Field)
			b = append(b, `,"value":`...)
			b = appendString(b, a.Value)
			b = appendInts(b, a.Line, a.Start, a.End)
			if len(a.Near) > 0 {
				b = append(b, `,"near":`...)
				b = appendStrings(b, a.Near)
			}
		}
		b = append(b, '}')
	}
	b = append(b, `],"suggestions":[`...)
	for i, s := range r.Suggestions {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"lines":`...)
		if s.Lines == nil {
			b = append(b, "[]"...)
		} else {
			b = appendStrings(b, s.Lines)
		}
		b = append(b, `,"changes":[`...)
		for j, c := range s.Changes {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"line":`...)
			b = strconv.AppendInt(b, int64(c.Line), 10)
			b = append(b, `,"column":`...)
			b = strconv.AppendInt(b, int64(c.Column), 10)
			b = append(b, `,"from":`...)
			b = appendString(b, c.From)
			b = append(b, `,"to":`...)
			b = appendString(b, c.To)
			b = append(b, '}')
		}
		b = append(b, "]}"...)
	}
	return append(b, "]}"...)
}

func (f Fields) appendJSON(b []byte) []byte {
	for _, kv := range [...]struct {
		key, val string
		null     bool
	}{
		{`{"document_code":`, f.DocumentCode, false}, {`,"issuing_state":`, f.IssuingState, false},
		{`,"surname":`, f.Surname, false}, {`,"given_names":`, f.GivenNames, false},
		{`,"document_number":`, f.DocumentNumber, false}, {`,"nationality":`, f.Nationality, false},
		{`,"birth_date":`, f.BirthDate, false}, {`,"birth_date_iso":`, f.BirthDateISO, true},
		{`,"sex":`, f.Sex, false}, {`,"expiry_date":`, f.ExpiryDate, false},
		{`,"expiry_date_iso":`, f.ExpiryDateISO, true}, {`,"optional_data":`, f.OptionalData, false},
		{`,"optional_data_2":`, f.OptionalData2, false},
	} {
		b = append(b, kv.key...)
		if kv.null && kv.val == "" {
			b = append(b, "null"...)
		} else {
			b = appendString(b, kv.val)
		}
	}
	return append(b, '}')
}

func appendInts(b []byte, line, start, end int) []byte {
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, `,"start":`...)
	b = strconv.AppendInt(b, int64(start), 10)
	b = append(b, `,"end":`...)
	return strconv.AppendInt(b, int64(end), 10)
}

func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendString writes s as encoding/json does without HTML escaping: the
// common case (printable ASCII, or valid UTF-8 other than U+2028 and U+2029,
// with no quote or backslash) is copied as it is; anything else goes through
// encoding/json itself.
func appendString(b []byte, s string) []byte {
	simple := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			simple = false
			break
		}
	}
	if simple && (isASCII(s) || utf8.ValidString(s) && !strings.Contains(s, "\u2028") && !strings.Contains(s, "\u2029")) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, err := marshal(s)
	if err != nil {
		q, _ = json.Marshal(s)
	}
	return append(b, q...)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
