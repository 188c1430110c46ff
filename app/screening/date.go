package screening

import (
	"fmt"
	"time"
)

// Date is a birth date known to year, month or day precision; zero parts are
// unknown. The zero Date is an unknown date.
type Date struct {
	Year, Month, Day int
}

// ParseDate reads YYYY-MM-DD, YYYY-MM, YYYY or "" (unknown). A calendar date
// that cannot exist (1980-02-30) is an error.
func ParseDate(s string) (Date, error) {
	var d Date
	switch len(s) {
	case 0:
		return d, nil
	case 4, 7, 10:
	default:
		return d, badDate(s)
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	var ok bool
	if d.Year, ok = num(s[:4]); !ok || d.Year < 1800 {
		return Date{}, badDate(s)
	}
	if len(s) >= 7 {
		if s[4] != '-' {
			return Date{}, badDate(s)
		}
		if d.Month, ok = num(s[5:7]); !ok || d.Month < 1 || d.Month > 12 {
			return Date{}, badDate(s)
		}
	}
	if len(s) == 10 {
		if s[7] != '-' {
			return Date{}, badDate(s)
		}
		if d.Day, ok = num(s[8:10]); !ok || d.Day < 1 {
			return Date{}, badDate(s)
		}
		if t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC); t.Day() != d.Day {
			return Date{}, fmt.Errorf("birth date %q does not exist", s)
		}
	}
	return d, nil
}

func badDate(s string) error {
	return fmt.Errorf("birth date %q must be YYYY-MM-DD, YYYY-MM or YYYY", s)
}

// String gives the date at its own precision.
func (d Date) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// pack keeps a date in 32 bits for the index.
func (d Date) pack() uint32 { return uint32(d.Year)<<9 | uint32(d.Month)<<5 | uint32(d.Day) }

func unpackDate(v uint32) Date {
	return Date{Year: int(v >> 9), Month: int(v >> 5 & 15), Day: int(v & 31)}
}
