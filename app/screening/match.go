package screening

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chekara/chekara/app"
)

// Traveller is what the booth knows of the person in front of it, as read
// from the document. Names may be Latin (the MRZ) or Cyrillic (a national ID's
// visual zone); BirthDate is YYYY-MM-DD, YYYY-MM, YYYY or "".
type Traveller = app.ScreeningQuery

// Hit is one listed person or document the traveller may be.
type Hit struct {
	ID       string   `json:"id"`
	Kind     Kind     `json:"kind"`
	Category string   `json:"category"` // a person's category or a document's status
	Score    float64  `json:"score"`    // 0–1; 1 is certain
	Reasons  []string `json:"reasons"`  // why, in words, for the officer and the audit log
	Note     string   `json:"note,omitempty"`
	// Listed is the listed name (the form that matched) or document, as the list writes it.
	Listed string `json:"listed,omitempty"`
	// Evidence is every reason with its strength, strongest first (see Evidence).
	Evidence []app.Evidence `json:"evidence,omitempty"`
}

// Config sets when a score becomes a hit.
type Config struct {
	// Thresholds by person category or document status; a category missing
	// here uses Default.
	Thresholds map[string]float64
	Default    float64
}

// DefaultConfig is the configuration the booth ships with: the most severe
// categories alert a little earlier, the softer ones a little later.
func DefaultConfig() Config {
	return Config{
		Default: 0.75,
		Thresholds: map[string]float64{
			Arrest: 0.72, DenyEntry: 0.75, DenyExit: 0.75, Notify: 0.80, Watch: 0.80,
			Stolen: 0.75, Lost: 0.75, Revoked: 0.75, Invalid: 0.75,
		},
	}
}

// Uniform is a configuration with one threshold for everything (bmis screen --threshold).
func Uniform(threshold float64) Config { return Config{Default: threshold} }

// Threshold returns the score from which category alerts.
func (c Config) Threshold(category string) float64 {
	if t, ok := c.Thresholds[category]; ok {
		return t
	}
	return c.Default
}

func (c Config) lowest() float64 {
	low := c.Default
	for _, t := range c.Thresholds {
		low = min(low, t)
	}
	return low
}

// Scores of the matcher. Exported as documentation of the weights; the
// accuracy report is run with these.
const (
	TypoCost          = 0.15 // per edit in a name token
	LookAlikeNameCost = 0.5  // edits between letters that spell the same sound (I/Y/J, K/Q, …) count half
	FoldPenalty       = 0.25 // a name that matches only in its folded form, not a listed spelling
	YearOffByOne      = 0.30 // birth years one apart
	YearsDiffer       = 0.50 // birth years two or more apart
	MonthsDiffer      = 0.30
	DaysDiffer        = 0.30
	DayMonthSwapped   = 0.10
	NationalityDiffer = 0.02 // small: another nationality's passport is how a listed person evades
	SexDiffer         = 0.20
	PatronymicDiffer  = 0.30 // both sides have a patronymic and they differ
	LookAlikeDocument = 0.80 // score of a document number equal only up to O/0, I/1, S/5, B/8

	// A name alone is not the person: it scores at most 1 − Uncorroborated,
	// and the birth date and nationality, when they agree, earn the rest.
	// So a look-alike by name only (0.85) is told from the listed name,
	// birth date to the day and nationality (1.00).
	Uncorroborated    = 0.15
	BirthDayAgrees    = 0.12 // birth date agrees to the day
	BirthMonthAgrees  = 0.11 // to the month, the finest both sides have
	BirthYearAgrees   = 0.10 // to the year, the finest both sides have
	NationalityAgrees = 0.03
	// Given names on the document beyond the listed name (IVANOV / IURII A B C D)
	// cost a little each, up to ExtraNamesMax, instead of diluting the name.
	ExtraNameCost = 0.02
	ExtraNamesMax = 0.04
)

// query is a traveller prepared for matching.
type query struct {
	raw   []string // Latin spelling of each name token (ICAO for Cyrillic)
	folds []string
	text  []string // as read, upper case
	opt   []bool   // patronymic
	nSur  int      // the first nSur tokens are the surname
	birth Date
	nat   string
	sex   uint8
	// truncated: the names fill an MRZ name field exactly (30 TD1, 31 TD2,
	// 39 TD3 characters as SURNAME<<GIVEN<NAMES), so the last name was
	// probably cut short; it may then match a listed name it begins.
	truncated bool
}

// MRZ name field lengths (ICAO 9303: TD1, TD2 and MRV-B, TD3 and MRV-A).
var mrzNameFields = []int{30, 31, 39}

func prepare(t Traveller) (query, error) {
	var q query
	sur, given := tokens(t.Surname), tokens(t.GivenNames)
	if len(sur) > 16 {
		sur = sur[:16]
	}
	if len(given) > 16 {
		given = given[:16]
	}
	q.nSur = len(sur)
	q.text = append(sur, given...)
	q.opt = queryOptional(sur, given)
	for _, tok := range q.text {
		r := icaoSpelling(tok)
		q.raw = append(q.raw, r)
		q.folds = append(q.folds, fold(r))
	}
	if len(sur) > 0 && len(given) > 0 {
		n := len(q.raw) // the fillers: "<<" after the surname, "<" between the other tokens
		for _, r := range q.raw {
			n += len(r)
		}
		q.truncated = slices.Contains(mrzNameFields, n)
	}
	q.nat = strings.ToUpper(strings.TrimSpace(t.Nationality))
	switch strings.ToUpper(strings.TrimSpace(t.Sex)) {
	case "M":
		q.sex = 'M'
	case "F":
		q.sex = 'F'
	}
	d, err := ParseDate(strings.TrimSpace(t.BirthDate))
	q.birth = d
	return q, err
}

// scratch is per-query working memory, pooled so screening allocates little.
type scratch struct {
	tally   []uint16 // per person: the last traveller token that found it (high byte), how many did (low byte)
	touched []uint32
	sims    map[uint64]tokenMatch
}

// getScratch takes working memory sized for this index from its free list.
// Not a sync.Pool: the pool is emptied at every garbage collection, and
// allocating and zeroing two megabytes then lands in some unlucky query's time.
func (x *Index) getScratch() *scratch {
	select {
	case s := <-x.free:
		return s
	default:
	}
	n := x.np()
	return &scratch{tally: make([]uint16, n), touched: make([]uint32, 0, 1<<16), sims: map[uint64]tokenMatch{}}
}

func (x *Index) putScratch(s *scratch) {
	for _, p := range s.touched {
		s.tally[p] = 0
	}
	s.touched = s.touched[:0]
	clear(s.sims)
	select {
	case x.free <- s:
	default: // more queries at once than the list keeps memory for
	}
}

// Screen returns the traveller's hits under cfg, best first. A birth date that
// cannot be read is ignored (and said so in the reasons), never a reason to
// skip screening.
func (x *Index) Screen(t Traveller, cfg Config) []Hit {
	hits, _ := x.screen(t, cfg)
	return hits
}

func (x *Index) screen(t Traveller, cfg Config) ([]Hit, error) {
	q, dateErr := prepare(t)
	var hits []Hit
	for _, layer := range []*Index{x, x.over} {
		if layer == nil {
			continue
		}
		hits = append(hits, layer.screenDocument(t, cfg)...)
		if len(q.raw) > 0 && layer.np() > 0 {
			hits = append(hits, layer.screenPerson(q, cfg, dateErr)...)
		}
	}
	slices.SortStableFunc(hits, func(a, b Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return severity(a) - severity(b)
	})
	return hits, dateErr
}

func severity(h Hit) int {
	if i := slices.Index(Categories, h.Category); i >= 0 {
		return i
	}
	return len(Categories) + slices.Index(Statuses, h.Category)
}

func (x *Index) screenDocument(t Traveller, cfg Config) []Hit {
	state := normDoc(t.IssuingState)
	num := normDoc(t.DocumentNumber)
	if state == "" || num == "" || x.nd() == 0 {
		return nil
	}
	var hits []Hit
	exact := map[uint32]bool{}
	for _, d := range x.docs.get(hash2(state, num)) {
		if x.dState.at(int(d)) != state || x.dNumber.at(int(d)) != num || x.isGone(x.np()+int(d)) {
			continue // another key with the same hash, or changed since built
		}
		exact[d] = true
		st := Statuses[x.dStatus[d]]
		if 1 >= cfg.Threshold(st) {
			r := fmt.Sprintf("document %s %s is listed as %s", state, num, st)
			hits = append(hits, Hit{ID: x.dID.at(int(d)), Kind: KindDocument, Category: st, Score: 1, Note: x.dNote.at(int(d)),
				Reasons: []string{r}, Listed: state + " " + num, Evidence: []app.Evidence{{Aspect: "document", Text: r, Strength: 5}}})
		}
	}
	la := lookAlike(num)
	for _, d := range x.lookDoc.get(hash2(state, la)) {
		if exact[d] || x.dState.at(int(d)) != state || lookAlike(x.dNumber.at(int(d))) != la || x.isGone(x.np()+int(d)) {
			continue
		}
		st := Statuses[x.dStatus[d]]
		if LookAlikeDocument < cfg.Threshold(st) {
			continue
		}
		listed := x.dNumber.at(int(d))
		r := fmt.Sprintf("document number %s differs from %s %s, listed as %s, only in look-alike characters (%s)",
			num, state, listed, st, confusedPairs(num, listed))
		hits = append(hits, Hit{ID: x.dID.at(int(d)), Kind: KindDocument, Category: st, Score: LookAlikeDocument, Note: x.dNote.at(int(d)),
			Reasons: []string{r}, Listed: state + " " + listed, Evidence: []app.Evidence{{Aspect: "document", Text: r, Strength: 3}}})
	}
	return hits
}

func normDoc(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func confusedPairs(a, b string) string {
	var ps []string
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			ps = append(ps, fmt.Sprintf("%c for %c", a[i], b[i]))
		}
	}
	return strings.Join(ps, ", ")
}

func (x *Index) screenPerson(q query, cfg Config, dateErr error) []Hit {
	s := x.getScratch()
	defer x.putScratch(s)
	// Candidates: persons sharing a token (or a one-edit neighbour of it) with
	// the traveller, counted once per traveller token.
	var termSeen []int
	for qi, f := range q.folds {
		if qi >= 250 {
			break
		}
		termSeen = termSeen[:0]
		addTerm := func(t int) {
			if t < 0 || slices.Contains(termSeen, t) {
				return
			}
			termSeen = append(termSeen, t)
			mark := uint16(qi+1) << 8
			for _, p := range x.terms.vals[x.terms.off[t]:x.terms.off[t+1]] {
				v := s.tally[p]
				if v&0xff00 == mark {
					continue
				}
				if v == 0 {
					s.touched = append(s.touched, p)
				}
				s.tally[p] = mark | (v&0xff + 1)
			}
		}
		if len(q.raw[qi]) < minTypoLen || len(q.raw[qi]) > maxTypoLen || len(f) > maxTypoLen {
			addTerm(x.terms.find(hash(f)))
			continue
		}
		if f != q.raw[qi] {
			// The spelling as read, for typos inside letter groups.
			for _, k := range append(deletions(q.raw[qi]), q.raw[qi]) {
				for _, t := range x.neighbours.get(hash(k)) {
					addTerm(int(t))
				}
			}
		}
		for _, t := range x.neighbours.get(hash(f)) {
			addTerm(int(t))
		}
		for _, del := range deletions(f) {
			for _, t := range x.neighbours.get(hash(del)) {
				addTerm(int(t))
			}
		}
	}
	low := cfg.lowest()
	var hits []Hit
	for _, p := range s.touched {
		need := min(2, x.pMinReq[p])
		if q.truncated {
			need = 1 // the cut-short name finds no candidates by itself
		}
		if uint8(s.tally[p]) < need || x.isGone(int(p)) {
			continue
		}
		cat := Categories[x.pCat[p]]
		th := cfg.Threshold(cat)
		m := x.scorePerson(q, int(p), s, max(th, low))
		if m.score < th {
			continue
		}
		ev := m.evidence
		if dateErr != nil {
			ev = append(ev, app.Evidence{Aspect: "birth_date", Text: "traveller's birth date could not be read: " + dateErr.Error()})
		}
		reasons := make([]string, len(ev))
		for i, e := range ev {
			reasons[i] = e.Text
		}
		slices.SortStableFunc(ev, func(a, b app.Evidence) int { return cmpStrength(b.Strength, a.Strength) })
		hits = append(hits, Hit{ID: x.pID.at(int(p)), Kind: KindPerson, Category: cat, Score: round3(m.score),
			Reasons: reasons, Note: x.pNote.at(int(p)), Listed: m.listed, Evidence: ev})
	}
	return hits
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// cmpStrength orders strengths by absolute value.
func cmpStrength(a, b float64) int {
	a, b = math.Abs(a), math.Abs(b)
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// tokenMatch is how one traveller token compares with one listed token.
type tokenMatch struct {
	sim       float64
	cost      float64
	spelling  int32 // which listed spelling matched best; -1 when only the folded forms did
	truncated bool  // the traveller's token is the start of that spelling (a full MRZ field)
}

// TruncatedCost is what a name cut short by a full MRZ field costs, in edits.
const TruncatedCost = 1.0

func (x *Index) tokenSim(q *query, qi int, tok uint32, s *scratch) tokenMatch {
	key := uint64(qi)<<32 | uint64(tok)
	if m, ok := s.sims[key]; ok {
		return m
	}
	raw := q.raw[qi]
	budget := editBudget(max(len(raw), len(x.spelling.at(int(x.tSpell[tok])))))
	best := tokenMatch{cost: math.Inf(1), spelling: -1}
	for i := x.tSpell[tok]; i < x.tSpell[tok+1]; i++ {
		c := wdist(raw, x.spelling.at(int(i)), budget)
		if c < best.cost {
			best.cost, best.spelling = c, int32(i-x.tSpell[tok])
			if c == 0 {
				break
			}
		}
	}
	if best.cost > TruncatedCost && q.truncated && qi == len(q.raw)-1 && len(raw) >= 3 {
		for i := x.tSpell[tok]; i < x.tSpell[tok+1]; i++ {
			if sp := x.spelling.at(int(i)); len(sp) > len(raw) && strings.HasPrefix(sp, raw) {
				best = tokenMatch{cost: TruncatedCost, spelling: int32(i - x.tSpell[tok]), truncated: true}
				break
			}
		}
	}
	if best.cost > 0 {
		for i := x.tFold[tok]; i < x.tFold[tok+1]; i++ {
			if c := wdist(q.folds[qi], x.folds.at(int(i)), budget) + FoldPenalty; c < best.cost {
				best = tokenMatch{cost: c, spelling: -1}
			}
		}
	}
	if best.cost <= budget {
		best.sim = 1 - TypoCost*best.cost
		if best.spelling < 0 {
			best.sim = 1 - TypoCost*(best.cost-FoldPenalty) - FoldPenalty*0.2
		}
	}
	s.sims[key] = best
	return best
}

// editBudget is how many (weighted) edits a token of n letters may have and
// still match: none for the shortest, where one letter makes another name.
func editBudget(n int) float64 {
	switch {
	case n <= 3:
		return 0.5
	case n <= 5:
		return 1
	case n <= 8:
		return 1.5
	}
	return 2
}

type personMatch struct {
	score    float64
	evidence []app.Evidence // in the order of Hit.Reasons
	listed   string
}

type pair struct {
	q, l int
	m    tokenMatch
}

// scorePerson scores the traveller against each name of person p and keeps
// the best; reasons are only written for a score that reaches threshold.
func (x *Index) scorePerson(q query, p int, s *scratch, threshold float64) personMatch {
	// Birth date, nationality and sex first: they are cheap, and a person born
	// years apart cannot reach the threshold whatever the names.
	adj, _ := x.adjust(q, p, false)
	if 1+adj < threshold {
		return personMatch{score: max(0, 1+adj)}
	}
	bestScore, bestForm := -1.0, -1
	var bestPairs []pair
	var pairs []pair
	for f := x.pForm[p]; f < x.pForm[p+1]; f++ {
		refs := x.tokRef[x.formTok[f]:x.formTok[f+1]]
		score, ps := x.nameScore(&q, refs, s, pairs[:0])
		if score > bestScore {
			bestScore, bestForm = score, int(f)
			bestPairs = append(bestPairs[:0], ps...)
		}
		pairs = ps
	}
	name := bestScore
	score := max(0, min(1, name+adj))
	if score < threshold {
		return personMatch{score: score}
	}
	_, adjReasons := x.adjust(q, p, true)
	return personMatch{score: score, evidence: append(x.nameReasons(q, bestForm, bestPairs, name), adjReasons...),
		listed: x.formText.at(bestForm)}
}

// nameScore aligns the traveller's tokens with one listed name in any order:
// the greedy best pairs first (names are a handful of tokens, where greedy
// equals the optimum in practice). Unmatched patronymics on either side cost
// nothing; given names the document adds to a listed name found whole cost
// ExtraNameCost each; every other unmatched token dilutes the score.
func (x *Index) nameScore(q *query, refs []uint32, s *scratch, pairs []pair) (float64, []pair) {
	var cands [64]pair
	n := 0
	for qi := range q.raw {
		for li, r := range refs {
			if qi < q.nSur && r&optBit != 0 {
				// A surname is never a patronymic, however alike
				// (BATYROVA, БАТЫРОВНА): both come from the father's name.
				continue
			}
			m := x.tokenSim(q, qi, r&^optBit, s)
			if m.sim > 0 && n < len(cands) {
				cands[n] = pair{qi, li, m}
				n++
			}
		}
	}
	c := cands[:n]
	slices.SortFunc(c, func(a, b pair) int {
		switch {
		case a.m.sim > b.m.sim:
			return -1
		case a.m.sim < b.m.sim:
			return 1
		}
		return (a.q-b.q)*64 + (a.l - b.l)
	})
	var usedQ, usedL uint64
	sum := 0.0
	for _, pr := range c {
		if usedQ&(1<<pr.q) != 0 || usedL&(1<<pr.l) != 0 {
			continue
		}
		usedQ |= 1 << pr.q
		usedL |= 1 << pr.l
		sum += pr.m.sim
		pairs = append(pairs, pr)
	}
	denQ, denL := 0, 0
	qPatro, lPatro := false, false
	extras := 0
	wholeDoc := wholeDocument(q, usedQ, len(pairs))
	for li, r := range refs {
		switch {
		case usedL&(1<<li) != 0:
			denL++
		case r&optBit != 0:
			lPatro = true
		case wholeDoc && li > 0:
			extras++
		default:
			denL++
		}
	}
	whole := wholeListed(refs, usedL, len(pairs))
	for qi := range q.raw {
		switch {
		case usedQ&(1<<qi) != 0:
			denQ++
		case q.opt[qi]:
			qPatro = true
		case whole && qi >= q.nSur:
			extras++
		default:
			denQ++
		}
	}
	if denQ == 0 || denL == 0 {
		return 0, pairs
	}
	score := (sum/float64(denQ) + sum/float64(denL)) / 2
	if qPatro && lPatro {
		score -= PatronymicDiffer
	}
	score -= min(ExtraNamesMax, ExtraNameCost*float64(extras))
	return score, pairs
}

// wholeDocument reports whether every name on the document but a patronymic
// found its pair on the list, and at least two did: the listed person's
// further given names are ones the document leaves out.
func wholeDocument(q *query, usedQ uint64, paired int) bool {
	if paired < 2 {
		return false
	}
	for qi := range q.raw {
		if usedQ&(1<<qi) == 0 && !q.opt[qi] {
			return false
		}
	}
	return true
}

// wholeListed reports whether every listed token but a patronymic found its
// pair on the document, and at least two did: the listed name is on the
// document whole, so its further given names are added names, not another
// person's.
func wholeListed(refs []uint32, usedL uint64, paired int) bool {
	if paired < 2 {
		return false
	}
	for li, r := range refs {
		if usedL&(1<<li) == 0 && r&optBit == 0 {
			return false
		}
	}
	return true
}

// adjust compares birth date, nationality and sex. A name alone scores
// Uncorroborated less than certain; a birth date and nationality that agree
// earn it back, and ones that differ lower the score further. None of them
// excludes a person by itself. With explain, each comparison is also said,
// with its strength (app.Evidence).
func (x *Index) adjust(q query, p int, explain bool) (float64, []app.Evidence) {
	adj := -Uncorroborated
	var ev []app.Evidence
	say := func(aspect string, strength float64, format string, args ...any) {
		if explain {
			ev = append(ev, app.Evidence{Aspect: aspect, Text: fmt.Sprintf(format, args...), Strength: strength})
		}
	}
	listed := unpackDate(x.pBirth[p])
	switch {
	case q.birth.Year == 0 || listed.Year == 0:
		say("birth_date", 0, "no birth date to compare")
	case q.birth.Year != listed.Year:
		d := q.birth.Year - listed.Year
		if d == 1 || d == -1 {
			adj -= YearOffByOne
			say("birth_date", -1, "birth year %d is one off listed %s (−%.2f)", q.birth.Year, listed, YearOffByOne)
		} else {
			adj -= YearsDiffer
			say("birth_date", -2, "birth year %d differs from listed %s (−%.2f)", q.birth.Year, listed, YearsDiffer)
		}
	case q.birth.Month != 0 && listed.Month != 0 && q.birth.Month != listed.Month:
		if q.birth.Day == listed.Month && listed.Day == q.birth.Month {
			adj += BirthMonthAgrees - DayMonthSwapped
			say("birth_date", 1, "birth date %s is listed %s with day and month swapped (−%.2f)", q.birth, listed, DayMonthSwapped)
		} else {
			adj -= MonthsDiffer
			say("birth_date", -1.5, "birth month of %s differs from listed %s (−%.2f)", q.birth, listed, MonthsDiffer)
		}
	case q.birth.Day != 0 && listed.Day != 0 && q.birth.Day != listed.Day:
		adj -= DaysDiffer
		say("birth_date", -1.5, "birth day of %s differs from listed %s (−%.2f)", q.birth, listed, DaysDiffer)
	default:
		agrees, strength := BirthYearAgrees, 1.8
		switch {
		case q.birth.Day != 0 && listed.Day != 0:
			agrees, strength = BirthDayAgrees, 4.3
		case q.birth.Month != 0 && listed.Month != 0:
			agrees, strength = BirthMonthAgrees, 2.9
		}
		adj += agrees
		say("birth_date", strength, "birth date %s agrees with listed %s %s", q.birth, listed, precision(q.birth, listed))
	}
	if nats := x.pNat.at(p); q.nat != "" && nats != "" {
		if hasCode(nats, q.nat) {
			adj += NationalityAgrees
			say("nationality", 0.5, "nationality %s is listed", q.nat)
		} else {
			adj -= NationalityDiffer
			say("nationality", -0.3, "nationality %s is not the listed %s (−%.2f)", q.nat, nats, NationalityDiffer)
		}
	}
	if ls := x.pSex[p]; q.sex != 0 && ls != 0 && q.sex != ls {
		adj -= SexDiffer
		say("sex", -1, "sex %c differs from listed %c (−%.2f)", q.sex, ls, SexDiffer)
	}
	return adj, ev
}

func precision(a, b Date) string {
	switch {
	case a.Day != 0 && b.Day != 0:
		return "(to the day)"
	case a.Month != 0 && b.Month != 0:
		return "(to the month, the finest both have)"
	}
	return "(to the year, the finest both have)"
}

// nameReasons says, token by token, how the names matched.
// Each token's strength: 2 for a name token found as listed (about one
// person in a hundred shares a given name or surname), less for each edit.
func (x *Index) nameReasons(q query, form int, pairs []pair, name float64) []app.Evidence {
	refs := x.tokRef[x.formTok[form]:x.formTok[form+1]]
	rs := []app.Evidence{{Aspect: "name", Text: fmt.Sprintf("name score %.2f against listed name %q", name, x.formText.at(form))}}
	total := 0.0
	say := func(strength float64, format string, args ...any) {
		total += strength
		rs = append(rs, app.Evidence{Aspect: "name", Text: fmt.Sprintf(format, args...), Strength: strength})
	}
	role := func(li int) string {
		switch {
		case refs[li]&optBit != 0:
			return "patronymic"
		case li == 0 && len(refs) > 1:
			return "surname"
		}
		return "given name"
	}
	qRole := func(qi int) string {
		switch {
		case qi < q.nSur:
			return "surname"
		case q.opt[qi]:
			return "patronymic"
		}
		return "given name"
	}
	slices.SortFunc(pairs, func(a, b pair) int { return a.q - b.q })
	swapped := false
	usedL := map[int]bool{}
	for _, pr := range pairs {
		usedL[pr.l] = true
		tok := refs[pr.l] &^ optBit
		listed := x.tText.at(int(tok))
		qr, lr := qRole(pr.q), role(pr.l)
		if (qr == "surname") != (lr == "surname") && len(refs) > 1 {
			swapped = true
		}
		var how string
		strength := 2 - 0.7*pr.m.cost
		switch {
		case pr.m.truncated:
			how = "cut short, as a full MRZ name field cuts names, from " + x.spelling.at(int(x.tSpell[tok])+int(pr.m.spelling))
			strength = 1.2
		case pr.m.spelling < 0:
			how = fmt.Sprintf("close in folded form (%.1f edits)", pr.m.cost-FoldPenalty)
			strength = 1.5 - 0.7*(pr.m.cost-FoldPenalty)
		case pr.m.cost == 0 && pr.m.spelling == 0 && strings.ContainsAny(listed, "ҢӨҮӘҒҚҰҺІЎҲ"):
			how = "ICAO 9303 spelling, plain letters for " + nonICAO(listed)
		case pr.m.cost == 0 && pr.m.spelling == 0 && !isLatin(listed):
			how = "ICAO 9303 spelling"
		case pr.m.cost == 0 && pr.m.spelling == 0:
			how = "exact"
		case pr.m.cost == 0:
			how = "variant spelling " + x.spelling.at(int(x.tSpell[tok])+int(pr.m.spelling))
		default:
			how = fmt.Sprintf("%.1f edits from %s", pr.m.cost, x.spelling.at(int(x.tSpell[tok])+int(pr.m.spelling)))
		}
		say(max(0.3, strength), "%s %s matches listed %s %s: %s", qr, q.text[pr.q], lr, listed, how)
	}
	usedQ := map[int]bool{}
	var usedBits uint64
	for _, pr := range pairs {
		usedQ[pr.q] = true
		usedBits |= 1 << pr.l
	}
	whole := wholeListed(refs, usedBits, len(pairs))
	var usedQBits uint64
	for _, pr := range pairs {
		usedQBits |= 1 << pr.q
	}
	wholeDoc := wholeDocument(&q, usedQBits, len(pairs))
	for qi := range q.raw {
		switch {
		case usedQ[qi]:
		case q.opt[qi]:
			say(0, "patronymic %s is not on the list (optional)", q.text[qi])
		case whole && qi >= q.nSur:
			say(-0.3, "%s %s is not on the list: a name added to the listed name (−%.2f)", qRole(qi), q.text[qi], ExtraNameCost)
		default:
			say(-1.5, "%s %s is not on the list", qRole(qi), q.text[qi])
		}
	}
	for li, r := range refs {
		if !usedL[li] {
			switch {
			case r&optBit != 0:
				say(0, "listed patronymic %s is not on the document (optional)", x.tText.at(int(r&^optBit)))
			case wholeDoc && li > 0:
				say(-0.3, "listed %s %s is not on the document, which leaves out a listed name (−%.2f)", role(li), x.tText.at(int(r)), ExtraNameCost)
			default:
				say(-1.5, "listed %s %s is not on the document", role(li), x.tText.at(int(r)))
			}
		}
	}
	if swapped {
		say(0, "names are in a different order than listed")
	}
	rs[0].Strength = max(0, total)
	return rs
}

// nonICAO lists the letters of a token that ICAO 9303 gives no spelling for.
func nonICAO(tok string) string {
	var b strings.Builder
	for _, r := range tok {
		if strings.ContainsRune("ҢӨҮӘҒҚҰҺІЎҲ", r) && !strings.ContainsRune(b.String(), r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hasCode reports whether a comma-separated list of codes holds code.
func hasCode(list, code string) bool {
	for list != "" {
		c, rest, _ := strings.Cut(list, ",")
		if c == code {
			return true
		}
		list = rest
	}
	return false
}
