package screening

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// tokens splits a name into upper-case tokens: any run of letters is a token;
// spaces, hyphens and MRZ fillers separate; apostrophes (Uzbek O'G'LI) and
// Latin diacritics are dropped, as the MRZ drops them. Cyrillic letters are
// kept whole (Й stays Й, not И plus a breve).
func tokens(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == 'ʻ' || r == 'ʼ' || r == '`':
			continue
		case r < 128:
			if r >= 'a' && r <= 'z' {
				r -= 'a' - 'A'
			}
			if r >= 'A' && r <= 'Z' {
				b.WriteRune(r)
			} else {
				flush()
			}
		case unicode.Is(unicode.Cyrillic, r):
			b.WriteRune(unicode.ToUpper(r))
		case unicode.Is(unicode.Latin, r):
			b.WriteString(latinBase(r))
		case unicode.IsLetter(r):
			// Other scripts are kept so that they at least match themselves.
			b.WriteRune(unicode.ToUpper(r))
		case unicode.Is(unicode.Mn, r):
			// a combining mark after a Latin letter: dropped.
		default:
			flush()
		}
	}
	flush()
	return out
}

// latinBase maps a Latin letter with a diacritic to the letters ICAO 9303
// prints for it (Ä → A; ß → SS; Æ → AE).
func latinBase(r rune) string {
	switch unicode.ToUpper(r) {
	case 'ß', 'ẞ':
		return "SS"
	case 'Æ':
		return "AE"
	case 'Ø':
		return "OE"
	case 'Œ':
		return "OE"
	case 'Ð', 'Đ':
		return "D"
	case 'Þ':
		return "TH"
	case 'Ł':
		return "L"
	case 'ı', 'İ':
		return "I"
	}
	var b strings.Builder
	for _, c := range norm.NFD.String(string(unicode.ToUpper(r))) {
		if c >= 'A' && c <= 'Z' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// isLatin reports whether an upper-case token is plain A–Z.
func isLatin(tok string) bool {
	for i := 0; i < len(tok); i++ {
		if tok[i] < 'A' || tok[i] > 'Z' {
			return false
		}
	}
	return true
}

// cyr is how one Cyrillic letter may be spelled in Latin: ICAO 9303 first,
// then the variants of REFERENCE §4 and the common older or national ones.
var cyr = map[rune][]string{
	'А': {"A"}, 'Б': {"B"}, 'В': {"V"}, 'Г': {"G"}, 'Д': {"D"},
	'Е': {"E"}, // YE at the start of a word and after a vowel: see spell
	'Ё': {"E", "YO", "IO"}, 'Ж': {"ZH", "J", "DZH"}, 'З': {"Z"}, 'И': {"I"},
	'Й': {"I", "Y", "J"}, 'К': {"K"}, 'Л': {"L"}, 'М': {"M"}, 'Н': {"N"},
	'О': {"O"}, 'П': {"P"}, 'Р': {"R"}, 'С': {"S"}, 'Т': {"T"}, 'У': {"U"},
	'Ф': {"F"}, 'Х': {"KH", "H", "X"}, 'Ц': {"TS", "C"}, 'Ч': {"CH"},
	'Ш': {"SH"}, 'Щ': {"SHCH"}, 'Ъ': {"IE", ""}, 'Ы': {"Y", "I"}, 'Ь': {""},
	'Э': {"E"}, 'Ю': {"IU", "YU", "JU"}, 'Я': {"IA", "YA", "JA"},
	// Kyrgyz: ICAO gives none; N/O/U is what Kyrgyz passports print.
	'Ң': {"N", "NG"}, 'Ө': {"O", "OE"}, 'Ү': {"U", "UE"},
	// Kazakh, Uzbek, Ukrainian, Belarusian letters found in the region's names.
	'Ә': {"A", "AE"}, 'Ғ': {"G", "GH"}, 'Қ': {"K", "Q"}, 'Ұ': {"U"}, 'Һ': {"H"},
	'І': {"I"}, 'Ї': {"I"}, 'Є': {"IE", "YE"}, 'Ґ': {"G"}, 'Ў': {"O", "U"},
	'Ҳ': {"H", "KH"}, 'Җ': {"ZH", "J"},
}

// oldRussian is the spelling Russian passports used before 2012 (and most
// travellers' own choice): one consistent scheme, indexed whole because it
// changes several letters of a name at once.
var oldRussian = map[rune]string{
	'Й': "Y", 'Ю': "YU", 'Я': "YA", 'Ъ': "", 'Ё': "E", 'Ы': "Y",
}

func isCyrVowel(r rune) bool {
	return strings.ContainsRune("АЕЁИОУЫЭЮЯӨҮӘҰІЇЄЪЬ", r)
}

// maxSpellings caps how many Latin spellings one Cyrillic token gets, so a
// long name full of variant letters cannot blow up the index.
const maxSpellings = 48

// spell returns the Latin spellings of an upper-case token: itself when it is
// Latin; for Cyrillic the ICAO 9303 spelling first, then the old Russian
// scheme, then every mix of the letter variants with the fewest departures
// from ICAO first, up to maxSpellings.
func spell(tok string) (out []string) {
	if isLatin(tok) {
		return []string{tok}
	}
	rs := []rune(tok)
	opts := make([][]string, 0, len(rs))
	old := make([]string, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		o, ok := cyr[r]
		if !ok {
			// A letter of another script: kept as it is, so it matches itself.
			o = []string{string(r)}
		}
		oldSp := o[0]
		if s, ok := oldRussian[r]; ok {
			oldSp = s
		}
		switch {
		case (r == 'Е') && (i == 0 || isCyrVowel(rs[i-1])):
			o = []string{"E", "YE"}
			oldSp = "YE"
		case (r == 'И' || r == 'Ы') && i == len(rs)-2 && rs[i+1] == 'Й':
			// -ИЙ/-ЫЙ at the end: ICAO II/YI, old IY/YY, English Y.
			if r == 'И' {
				o = []string{"II", "IY", "Y", "IJ", "I"}
				oldSp = "IY"
			} else {
				o = []string{"YI", "Y", "IY", "YY", "II"}
				oldSp = "Y"
			}
			i++
		case r == 'Х' && i > 0 && rs[i-1] == 'К':
			o = []string{"KH", "H"} // КХ is rare; avoid KKH/KX noise
		}
		opts = append(opts, o)
		old = append(old, oldSp)
	}
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] && len(out) < maxSpellings {
			seen[s] = true
			out = append(out, s)
		}
	}
	defer func() {
		if len(out) == 0 {
			out = []string{tok} // only silent letters (Ь): the token matches itself
		}
	}()
	icao := make([]string, len(opts))
	for i, o := range opts {
		icao[i] = o[0]
	}
	add(strings.Join(icao, ""))
	add(strings.Join(old, ""))
	// Mixes with k departures from ICAO, k = 1, 2, …
	var variable []int
	for i, o := range opts {
		if len(o) > 1 {
			variable = append(variable, i)
		}
	}
	cur := slices0(icao)
	for k := 1; k <= len(variable) && len(out) < maxSpellings; k++ {
		var rec func(start, left int)
		rec = func(start, left int) {
			if len(out) >= maxSpellings {
				return
			}
			if left == 0 {
				add(strings.Join(cur, ""))
				return
			}
			for j := start; j < len(variable); j++ {
				p := variable[j]
				for _, alt := range opts[p][1:] {
					cur[p] = alt
					rec(j+1, left-1)
				}
				cur[p] = opts[p][0]
			}
		}
		rec(0, k)
	}
	return out
}

func slices0(s []string) []string { return append([]string(nil), s...) }

// icaoSpelling is the ICAO 9303 spelling of a token (the token itself when Latin).
func icaoSpelling(tok string) string { return spell(tok)[0] }

// foldGroups are the letter groups fold reads as one sound, longest first where
// one begins another (SHCH before SH, DZH before ZH). A group shares its key with
// the variant spellings of that sound (TS with C, GH with G, OE with O, KH with H
// and X); lower-case keys stand for sounds no single Latin letter spells.
var foldGroups = []struct {
	spelling string
	key      byte
}{
	{"SHCH", 'w'}, {"DZH", 'j'}, {"ZH", 'j'}, {"KH", 'h'}, {"CH", 'c'}, {"SH", 's'},
	{"TS", 'C'}, {"GH", 'G'}, {"OE", 'O'}, {"UE", 'U'},
}

// fold maps a Latin spelling to a key shared by the usual variant spellings:
// ZH/J/DZH, KH/H/X, TS/C, Y/J→I, YE→E at the start and after vowels, YO/IO→E,
// OE→O, UE→U, W→V, Q→K, GH→G, and doubled letters once. It is lossy on
// purpose: it only finds candidates; scoring compares the real spellings.
func fold(s string) string {
	b := make([]byte, 0, len(s))
next:
	for i := 0; i < len(s); i++ {
		for _, g := range foldGroups {
			if strings.HasPrefix(s[i:], g.spelling) {
				b = append(b, g.key)
				i += len(g.spelling) - 1
				continue next
			}
		}
		c := s[i]
		switch c {
		case 'Y', 'J':
			c = 'I'
		case 'X', 'H':
			c = 'h'
		case 'W':
			c = 'V'
		case 'Q':
			c = 'K'
		}
		b = append(b, c)
	}
	// Second pass: IO → E (Ё), I before E at the start or after a vowel (YE),
	// doubled letters once.
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == 'I' && i+1 < len(b) && b[i+1] == 'O' && i > 0 {
			out = append(out, 'E')
			i++
			continue
		}
		if c == 'I' && i+1 < len(b) && b[i+1] == 'E' && (i == 0 || isVowelByte(b[i-1])) {
			continue
		}
		if n := len(out); n > 0 && out[n-1] == c {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

func isVowelByte(c byte) bool {
	switch c {
	case 'A', 'E', 'I', 'O', 'U':
		return true
	}
	return false
}

// Patronymic endings (Russian style, as written in Cyrillic and in Latin) and
// the Turkic marker words that follow a father's name (Kyrgyz уулу/кызы,
// Kazakh ұлы/қызы, Uzbek o'g'li/qizi).
var (
	patronymicEnds = []string{"ОВИЧ", "ЕВИЧ", "ЬИЧ", "ОВНА", "ЕВНА", "ИЧНА", "ИНИЧНА",
		"OVICH", "EVICH", "OVNA", "EVNA", "ICHNA", "OVYCH", "EVYCH", "IVNA"}
	patronymicMarkers = map[string]bool{"УУЛУ": true, "КЫЗЫ": true, "ҰЛЫ": true, "ҚЫЗЫ": true,
		"ЎҒЛИ": true, "ҚИЗИ": true, "UULU": true, "KYZY": true, "KIZI": true, "ULY": true,
		"OGLI": true, "UGLI": true, "QIZI": true, "OGLU": true}
)

func hasPatronymicEnd(tok string) bool {
	for _, e := range patronymicEnds {
		if strings.HasSuffix(tok, e) && len(tok) > len(e)+1 {
			return true
		}
	}
	return false
}

// optionalTokens marks the patronymic of a name written surname, given
// names, patronymic: the last token when there are three or more and it has a
// patronymic ending, or the last two when the last is a Turkic marker word and
// there are four or more. At least two tokens always stay required, so a name
// never shrinks to one common given name.
func optionalTokens(toks []string) []bool {
	opt := make([]bool, len(toks))
	n := len(toks)
	switch {
	case n >= 4 && patronymicMarkers[toks[n-1]]:
		opt[n-1], opt[n-2] = true, true
	case n >= 3 && hasPatronymicEnd(toks[n-1]):
		opt[n-1] = true
	}
	return opt
}

// queryOptional marks the patronymic in a traveller's given names: the last
// given-name token when there are two or more and it has a patronymic ending,
// or a trailing marker word with the name before it.
func queryOptional(surname, given []string) []bool {
	opt := make([]bool, len(surname)+len(given))
	n := len(given)
	base := len(surname)
	switch {
	case n >= 3 && patronymicMarkers[given[n-1]]:
		opt[base+n-1], opt[base+n-2] = true, true
	case n >= 2 && hasPatronymicEnd(given[n-1]):
		opt[base+n-1] = true
	}
	return opt
}
