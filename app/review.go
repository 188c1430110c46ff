package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Supervision (issue 17): a supervisor reviews the post's shifts, signs off
// closed ones and, where the post says so, confirms refusals; the officer on
// secondary records the outcome of each referral. Every one of these is a
// record of its own (Outcome, SignOff, RefusalConfirmation), audited at the
// booth and uploaded, linked to the primary crossing or to the shift: a
// crossing never changes once written.

// Outcome is what secondary inspection concluded about a referred traveller:
// admitted, or refused with a ground. It names the primary crossing.
type Outcome struct {
	ID         string // UUIDv7
	CrossingID string // the referral (a crossing with Decision Refer)
	ShiftID    string // the referral's shift
	Post       string
	Booth      string // the booth where the outcome was recorded
	OfficerID  string // the officer on secondary
	Direction  Direction
	Outcome    ReferralOutcome // ReferralAdmitted or ReferralRefused
	Reason     string          // refusal reason code, when refused
	Note       string
	At         time.Time
}

// SignOff is a supervisor's sign-off of a closed shift, with a comment and the
// shift's counts as the supervisor saw them.
type SignOff struct {
	ID           string // UUIDv7
	ShiftID      string
	Post         string
	Booth        string // the booth where it was signed (the shift's, or another of the post)
	ShiftBooth   string // the booth the shift was worked at
	ShiftOfficer string
	SupervisorID string
	Direction    Direction
	Comment      string
	Counts       ShiftCounts
	At           time.Time
}

// RefusalConfirmation is a supervisor's word on a refusal, where the post
// makes a refusal final only once a supervisor confirms it (PostSettings).
// Confirmed false: the supervisor did not confirm it; the note says why.
type RefusalConfirmation struct {
	ID           string // UUIDv7
	CrossingID   string // the refusal
	ShiftID      string
	Post         string
	Booth        string // where the supervisor confirmed it
	SupervisorID string
	Direction    Direction
	Confirmed    bool
	Note         string
	At           time.Time
}

// PostSettings are the post's own rules a supervisor sets at the booth.
type PostSettings struct {
	// ConfirmRefusals: a refusal is final only once a supervisor confirms it
	// (as where refusal needs a senior officer's authority); a shift with a
	// refusal not yet confirmed cannot be signed off.
	ConfirmRefusals bool
	// ConfirmRefusalsByHQ: HQ requires it for the post (its published rules,
	// PostPolicies); the booth's own setting cannot waive it.
	ConfirmRefusalsByHQ bool
}

// PostPolicies is what HQ decides for posts, published with the stay rules
// (rules.Live implements it).
type PostPolicies interface {
	PostPolicy(post string) PostSettings
}

// postSettings is the post's settings in force: the booth's own, and what
// HQ requires of the post on top.
func (b *Booth) postSettings(ctx context.Context, sup Supervision) (PostSettings, error) {
	set, err := sup.PostSettings(ctx)
	if err != nil {
		return PostSettings{}, err
	}
	if p, ok := b.Rules.(PostPolicies); ok && b.Post != "" {
		hq := p.PostPolicy(b.Post)
		set.ConfirmRefusalsByHQ = hq.ConfirmRefusals
		set.ConfirmRefusals = set.ConfirmRefusals || hq.ConfirmRefusals
	}
	return set, nil
}

// ShiftInfo is one line of the post's shifts: who, where, when and how many.
type ShiftInfo struct {
	Shift
	OfficerName string
	Counts      ShiftCounts
	SignedOff   bool
	FromHQ      bool // another booth's shift, as HQ knows it from its records
}

// Open reports whether the shift is still open.
func (s ShiftInfo) Open() bool { return s.ClosedAt.IsZero() }

// ShiftRecord is everything a booth holds of one shift: its reads in order,
// and the records linked to them.
type ShiftRecord struct {
	Info          ShiftInfo
	Inspections   []Inspection // oldest first; Photo and PageImage left nil (see Supervision)
	Photos        map[string]bool
	Pages         map[string]bool // the reads with a page image
	Crossings     []Crossing
	SetAsides     []SetAside
	Outcomes      []Outcome // of the shift's referrals, wherever recorded at this booth
	Confirmations []RefusalConfirmation
	SignOff       *SignOff
}

// Attention is why an inspection of a shift needs the supervisor's eye; the
// string is its message key.
type Attention string

const (
	AttentionOverride    Attention = "review.attention.override"    // admitted against a STOP verdict
	AttentionFalseMatch  Attention = "review.attention.false_match" // a barring category's hit resolved as a false match
	AttentionRefusal     Attention = "review.attention.refusal"     // a refusal
	AttentionUnconfirmed Attention = "review.attention.unconfirmed" // a refusal the post wants confirmed, not yet confirmed
	AttentionReferral    Attention = "review.attention.referral"    // a referral without an outcome
	AttentionSetAside    Attention = "review.attention.set_aside"   // a read that ended without a decision
	AttentionUndecided   Attention = "review.attention.undecided"   // a read neither decided nor set aside (the shift is open)
)

// ReviewItem is one inspection of a shift as the supervisor reviews it.
type ReviewItem struct {
	Inspection   Inspection // zero ID when the read itself was purged or is at another booth
	HasPhoto     bool
	HasPage      bool // a page image was recorded with the read (camera reads)
	Crossing     *Crossing
	SetAside     *SetAside
	Outcome      *Outcome
	Confirmation *RefusalConfirmation
	Took         time.Duration // from the read to the decision (or set-aside); 0 when unknown
	Attention    []Attention
}

// At is when the item happened: the read, else its record.
func (it ReviewItem) At() time.Time {
	switch {
	case !it.Inspection.ReadAt.IsZero():
		return it.Inspection.ReadAt
	case it.Crossing != nil:
		return it.Crossing.BoothTime
	case it.SetAside != nil:
		return it.SetAside.At
	}
	return time.Time{}
}

// ShiftReview is one shift as the supervisor reviews it: the items that need
// attention first, then the others, each group in the order they happened.
type ShiftReview struct {
	Info      ShiftInfo
	Items     []ReviewItem
	Attention int // how many items lead the list because they need attention
	SignOff   *SignOff
	Settings  PostSettings
	// CanSignOff is nil when the shift may be signed off now, else why not.
	CanSignOff *Error
}

// BarringCategory reports whether a confirmed hit of category bars a
// crossing in direction d: a false-match resolution of such a hit is what a
// supervisor looks at first.
func BarringCategory(category string, d Direction) bool {
	return barring(Hit{Category: category}, d)
}

// BuildReview orders a shift's record for review. It is pure: the store
// gives the record, the settings say whether refusals wait for confirmation.
func BuildReview(rec ShiftRecord, set PostSettings) ShiftReview {
	byInspection := map[string]int{}
	var items []ReviewItem
	for _, in := range rec.Inspections {
		byInspection[in.ID] = len(items)
		items = append(items, ReviewItem{Inspection: in, HasPhoto: rec.Photos[in.ID], HasPage: rec.Pages[in.ID]})
	}
	item := func(inspectionID string) *ReviewItem {
		if i, ok := byInspection[inspectionID]; ok && inspectionID != "" {
			return &items[i]
		}
		items = append(items, ReviewItem{})
		if inspectionID != "" {
			byInspection[inspectionID] = len(items) - 1
		}
		return &items[len(items)-1]
	}
	for i := range rec.Crossings {
		c := &rec.Crossings[i]
		it := item(c.InspectionID)
		it.Crossing = c
		if !it.Inspection.ReadAt.IsZero() && c.BoothTime.After(it.Inspection.ReadAt) {
			it.Took = c.BoothTime.Sub(it.Inspection.ReadAt)
		}
	}
	for i := range rec.SetAsides {
		a := &rec.SetAsides[i]
		it := item(a.InspectionID)
		it.SetAside = a
		if !it.Inspection.ReadAt.IsZero() && a.At.After(it.Inspection.ReadAt) {
			it.Took = a.At.Sub(it.Inspection.ReadAt)
		}
	}
	outcomes := map[string]*Outcome{}
	for i := range rec.Outcomes {
		outcomes[rec.Outcomes[i].CrossingID] = &rec.Outcomes[i]
	}
	confirmations := map[string]*RefusalConfirmation{}
	for i := range rec.Confirmations {
		confirmations[rec.Confirmations[i].CrossingID] = &rec.Confirmations[i]
	}
	unconfirmed := 0
	for i := range items {
		it := &items[i]
		switch c := it.Crossing; {
		case c != nil:
			it.Outcome, it.Confirmation = outcomes[c.ID], confirmations[c.ID]
			if c.Override != nil {
				it.Attention = append(it.Attention, AttentionOverride)
			}
			for _, h := range c.Hits {
				if !h.Confirmed && BarringCategory(h.Category, c.Direction) {
					it.Attention = append(it.Attention, AttentionFalseMatch)
					break
				}
			}
			if c.Decision == Refuse {
				it.Attention = append(it.Attention, AttentionRefusal)
				if set.ConfirmRefusals && it.Confirmation == nil {
					it.Attention = append(it.Attention, AttentionUnconfirmed)
					unconfirmed++
				}
			}
			if c.Decision == Refer && it.Outcome == nil {
				it.Attention = append(it.Attention, AttentionReferral)
			}
		case it.SetAside != nil:
			it.Attention = append(it.Attention, AttentionSetAside)
		default:
			it.Attention = append(it.Attention, AttentionUndecided)
		}
	}
	slices.SortStableFunc(items, func(a, b ReviewItem) int {
		if (len(a.Attention) > 0) != (len(b.Attention) > 0) {
			if len(a.Attention) > 0 {
				return -1
			}
			return 1
		}
		return a.At().Compare(b.At())
	})
	r := ShiftReview{Info: rec.Info, Items: items, SignOff: rec.SignOff, Settings: set}
	for _, it := range items {
		if len(it.Attention) > 0 {
			r.Attention++
		}
	}
	r.CanSignOff = canSignOff(rec.Info, rec.SignOff, unconfirmed)
	return r
}

func canSignOff(info ShiftInfo, done *SignOff, unconfirmed int) *Error {
	switch {
	case info.FromHQ:
		return Errork(ECONFLICT, "err.sign_off_remote", "Sign off this shift at a booth that holds it (%s).", info.Booth)
	case info.Open():
		return Errork(ECONFLICT, "err.sign_off_open", "The shift is still open: it can be signed off once its officer closes it.")
	case done != nil:
		return Errork(ECONFLICT, "err.sign_off_twice", "Supervisor %s signed this shift off already.", done.SupervisorID)
	case unconfirmed > 0:
		return Errork(ECONFLICT, "err.sign_off_unconfirmed", "Refusals of this shift waiting for a supervisor's confirmation: %d.", unconfirmed)
	}
	return nil
}

// Supervision is what the booth's store keeps for supervisors and secondary
// inspection (store/supervision.go).
type Supervision interface {
	// PostShifts returns the shifts of post held at this booth, newest first,
	// at most limit (0: 200).
	PostShifts(ctx context.Context, post string, limit int) ([]ShiftInfo, error)
	// ShiftRecord returns one shift and its records. ENOTFOUND when unknown.
	ShiftRecord(ctx context.Context, shiftID string) (ShiftRecord, error)
	// InspectionPhoto returns the face photo recorded with a read (JPEG);
	// ENOTFOUND when it has none.
	InspectionPhoto(ctx context.Context, inspectionID string) ([]byte, error)
	// InspectionPage returns the document page image recorded with a read
	// (JPEG); ENOTFOUND when it has none.
	InspectionPage(ctx context.Context, inspectionID string) ([]byte, error)
	// SecondaryQueue returns the referrals of post since a time without an
	// outcome, oldest first.
	SecondaryQueue(ctx context.Context, post string, since time.Time) ([]Crossing, error)
	// Referral returns a crossing and its outcome, if any (nil). ENOTFOUND.
	Referral(ctx context.Context, crossingID string) (Crossing, *Outcome, error)
	// OutcomeOf returns the outcome recorded at this booth for a referral,
	// whichever booth referred it; nil when none.
	OutcomeOf(ctx context.Context, crossingID string) (*Outcome, error)
	// Acknowledged reports whether HQ has acknowledged this booth's record id.
	Acknowledged(ctx context.Context, recordID string) (bool, error)
	// RecordOutcome, SignOff and ConfirmRefusal each store their record, its
	// outbox row and its audit entry in one transaction. ECONFLICT when the
	// crossing already has an outcome / the shift is signed off / the refusal
	// has a confirmation; EINVALID for a record that breaks the rules.
	RecordOutcome(ctx context.Context, o Outcome) error
	SignOff(ctx context.Context, s SignOff) error
	ConfirmRefusal(ctx context.Context, c RefusalConfirmation) error
	// PostSettings returns the post's settings; SetPostSettings changes them
	// and audits the change ("post_setting").
	PostSettings(ctx context.Context) (PostSettings, error)
	SetPostSettings(ctx context.Context, s PostSettings, officerID string, at time.Time) error
}

// PostRecords is HQ's view of the post's other booths (sync.Client over
// POST /v1/post): post-scoped, audited at HQ.
type PostRecords interface {
	// PostShifts returns the post's shifts HQ knows from its records.
	PostShifts(ctx context.Context, post string) ([]ShiftInfo, error)
	// PostShift returns one of them with its crossings, set-aside reads,
	// outcomes, confirmations and sign-off (no reads or photos: they stay at
	// their booth). ENOTFOUND when HQ has none of it.
	PostShift(ctx context.Context, post, shiftID string) (ShiftRecord, error)
	// PostReferrals returns the post's referrals since a time that have no
	// outcome at HQ, oldest first: a secondary room's booth sees the primary
	// booths'.
	PostReferrals(ctx context.Context, post string, since time.Time) ([]Crossing, error)
}

// Audit actions of supervision.
const (
	AuditSignOff             AuditAction = "sign_off"
	AuditRefusalConfirmation AuditAction = "refusal_confirmation"
	AuditPostSetting         AuditAction = "post_setting"
	AuditShiftReview         AuditAction = "shift_review" // a supervisor opened a shift's review
)

// supervisor returns the signed-in supervisor; EUNAUTHORIZED for anyone else.
func (b *Booth) supervisor() (Officer, Supervision, error) {
	o, err := b.active()
	if err != nil {
		return Officer{}, nil, err
	}
	if o.Role != RoleSupervisor {
		return Officer{}, nil, Errork(EUNAUTHORIZED, "err.not_supervisor", "Only a supervisor reviews and signs off shifts.")
	}
	if b.Supervision == nil {
		return Officer{}, nil, Errork(EUNAVAILABLE, "err.no_supervision", "This booth keeps no shift records for review.")
	}
	return o, b.Supervision, nil
}

// samePost refuses a shift or record of another post than this booth's: a
// supervisor serves the post whose directory brought them to this booth.
func (b *Booth) samePost(post string) error {
	if b.Post != "" && post != b.Post {
		return Errork(EUNAUTHORIZED, "err.other_post", "That belongs to post %s; this booth and its supervisors serve post %s.", post, b.Post)
	}
	return nil
}

// PostShiftList is the post's shifts as the review lists them.
type PostShiftList struct {
	Shifts []ShiftInfo // newest first; this booth's, then HQ's for the others
	// HQ is nil when HQ answered (or the booth works alone: NoHQ), else why
	// the other booths' shifts are missing.
	HQ   *Error
	NoHQ bool
}

// ReviewShifts lists the post's shifts for the supervisor: this booth's
// offline, and the post's other booths' from HQ when linked. Errors:
// EUNAUTHORIZED for anyone but a supervisor.
func (b *Booth) ReviewShifts(ctx context.Context) (PostShiftList, error) {
	_, sup, err := b.supervisor()
	if err != nil {
		return PostShiftList{}, err
	}
	local, err := sup.PostShifts(ctx, b.Post, 0)
	if err != nil {
		return PostShiftList{}, fmt.Errorf("shifts of post %s: %w", b.Post, err)
	}
	out := PostShiftList{Shifts: local, NoHQ: b.PostHQ == nil}
	if b.PostHQ == nil {
		return out, nil
	}
	remote, err := b.PostHQ.PostShifts(ctx, b.Post)
	if err != nil {
		out.HQ = Errork(EUNAVAILABLE, "review.hq_unavailable", "HQ did not answer: this booth's shifts only.")
		return out, nil
	}
	seen := map[string]bool{}
	for _, s := range local {
		seen[s.ID] = true
	}
	for _, s := range remote {
		if !seen[s.ID] && s.Post == b.Post {
			s.FromHQ = true
			out.Shifts = append(out.Shifts, s)
		}
	}
	slices.SortStableFunc(out.Shifts, func(a, c ShiftInfo) int { return c.OpenedAt.Compare(a.OpenedAt) })
	return out, nil
}

// ReviewShift returns one shift of the post for review, from this booth or,
// for another booth's shift, from HQ; the review is audited. Errors:
// EUNAUTHORIZED for anyone but a supervisor or a shift of another post;
// ENOTFOUND for a shift neither this booth nor HQ knows.
func (b *Booth) ReviewShift(ctx context.Context, shiftID string) (ShiftReview, error) {
	o, sup, err := b.supervisor()
	if err != nil {
		return ShiftReview{}, err
	}
	rec, err := sup.ShiftRecord(ctx, shiftID)
	if ErrorCode(err) == ENOTFOUND && b.PostHQ != nil {
		rec, err = b.PostHQ.PostShift(ctx, b.Post, shiftID)
		rec.Info.FromHQ = true
	}
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return ShiftReview{}, Errork(ENOTFOUND, "err.no_such_shift", "There is no shift %s at this post.", shiftID)
		}
		return ShiftReview{}, err
	}
	if err := b.samePost(rec.Info.Post); err != nil {
		return ShiftReview{}, err
	}
	set, err := b.postSettings(ctx, sup)
	if err != nil {
		return ShiftReview{}, err
	}
	if err := b.audit(ctx, o.ID, AuditShiftReview, shiftID, fmt.Sprintf(`{"booth":%q,"from_hq":%t}`, rec.Info.Booth, rec.Info.FromHQ)); err != nil {
		return ShiftReview{}, err
	}
	return BuildReview(rec, set), nil
}

// ReviewPhoto returns the traveller's photo recorded with a read of this booth.
func (b *Booth) ReviewPhoto(ctx context.Context, inspectionID string) ([]byte, error) {
	_, sup, err := b.supervisor()
	if err != nil {
		return nil, err
	}
	return sup.InspectionPhoto(ctx, inspectionID)
}

// ReviewPage returns the document page image recorded with a read of this
// booth (camera reads); ENOTFOUND when the read has none.
func (b *Booth) ReviewPage(ctx context.Context, inspectionID string) ([]byte, error) {
	_, sup, err := b.supervisor()
	if err != nil {
		return nil, err
	}
	return sup.InspectionPage(ctx, inspectionID)
}

// SignOffShift signs off a closed shift of the post with the supervisor's
// comment; the sign-off is audited and uploaded. Errors: EUNAUTHORIZED for
// anyone but a supervisor, or a shift of another post; EINVALID without a
// comment; ENOTFOUND for a shift this booth does not hold; ECONFLICT for an
// open shift, a shift signed off already, or refusals still waiting for a
// confirmation. Nothing is changed on any error.
func (b *Booth) SignOffShift(ctx context.Context, shiftID, comment string) (SignOff, error) {
	o, sup, err := b.supervisor()
	if err != nil {
		return SignOff{}, err
	}
	comment = strings.TrimSpace(comment)
	rec, err := sup.ShiftRecord(ctx, shiftID)
	if ErrorCode(err) == ENOTFOUND {
		return SignOff{}, Errork(ENOTFOUND, "err.no_such_shift", "There is no shift %s at this post.", shiftID)
	} else if err != nil {
		return SignOff{}, err
	}
	if err := b.samePost(rec.Info.Post); err != nil {
		return SignOff{}, err
	}
	set, err := b.postSettings(ctx, sup)
	if err != nil {
		return SignOff{}, err
	}
	if why := BuildReview(rec, set).CanSignOff; why != nil {
		return SignOff{}, why
	}
	if comment == "" {
		return SignOff{}, Errork(EINVALID, "err.sign_off_comment", "Write a comment for the sign-off.")
	}
	s := SignOff{ID: b.newID(), ShiftID: shiftID, Post: rec.Info.Post, Booth: b.boothID(rec.Info.Booth),
		ShiftBooth: rec.Info.Booth, ShiftOfficer: rec.Info.OfficerID, SupervisorID: o.ID,
		Direction: rec.Info.Direction, Comment: comment, Counts: rec.Info.Counts, At: b.now()}
	if err := sup.SignOff(ctx, s); err != nil {
		return SignOff{}, err
	}
	return s, nil
}

func (b *Booth) boothID(fallback string) string {
	if b.BoothID != "" {
		return b.BoothID
	}
	return fallback
}

// secondary returns the officer on secondary: an officer or a supervisor
// (not a trainee, trainer or post-admin).
func (b *Booth) secondary() (Officer, Supervision, error) {
	o, err := b.active()
	if err != nil {
		return Officer{}, nil, err
	}
	if o.Role != RoleOfficer && o.Role != RoleSupervisor {
		return Officer{}, nil, Errork(EUNAUTHORIZED, "err.not_secondary", "Only an officer or a supervisor works secondary inspection.")
	}
	if b.Supervision == nil {
		return Officer{}, nil, Errork(EUNAVAILABLE, "err.no_supervision", "This booth keeps no shift records for review.")
	}
	return o, b.Supervision, nil
}

// DefaultSecondaryWindow is how far back the secondary queue looks: a
// traveller referred longer ago is not waiting at the post any more (the
// review still shows the referral without an outcome).
const DefaultSecondaryWindow = 48 * time.Hour

func (b *Booth) queueSince() time.Time {
	w := b.SecondaryWindow
	if w <= 0 {
		w = DefaultSecondaryWindow
	}
	return b.now().Add(-w)
}

// SecondaryQueue returns the post's referrals of the last SecondaryWindow
// still waiting for an outcome, oldest first: this booth's, and the post's
// other booths' from HQ when linked (HQ unreachable: this booth's only).
// Errors: EUNAUTHORIZED for a trainee or an administrator.
func (b *Booth) SecondaryQueue(ctx context.Context) ([]Crossing, error) {
	_, sup, err := b.secondary()
	if err != nil {
		return nil, err
	}
	since := b.queueSince()
	q, err := sup.SecondaryQueue(ctx, b.Post, since)
	if err != nil || b.PostHQ == nil {
		return q, err
	}
	remote, err := b.PostHQ.PostReferrals(ctx, b.Post, since)
	if err != nil {
		return q, nil // the booth's own queue still works
	}
	seen := map[string]bool{}
	pending := map[string]bool{}
	for _, c := range remote {
		pending[c.ID] = true
	}
	kept := q[:0]
	for _, c := range q {
		// HQ holds this booth's referral but no longer as pending: secondary
		// inspection at another booth of the post recorded its outcome.
		if ack, err := sup.Acknowledged(ctx, c.ID); err == nil && ack && !pending[c.ID] {
			continue
		}
		seen[c.ID] = true
		kept = append(kept, c)
	}
	q = kept
	for _, c := range remote {
		if seen[c.ID] || c.Post != b.Post || c.Decision != Refer {
			continue
		}
		if o, err := sup.OutcomeOf(ctx, c.ID); err != nil || o != nil {
			continue // recorded here, not yet at HQ
		}
		seen[c.ID] = true
		q = append(q, c)
	}
	slices.SortStableFunc(q, func(x, y Crossing) int { return x.BoothTime.Compare(y.BoothTime) })
	return q, nil
}

// referral finds a referral at this booth or, for another booth's, among
// HQ's referrals of the post, with its outcome recorded here (nil if none).
func (b *Booth) referral(ctx context.Context, sup Supervision, crossingID string) (Crossing, *Outcome, error) {
	c, done, err := sup.Referral(ctx, crossingID)
	if ErrorCode(err) != ENOTFOUND || b.PostHQ == nil {
		return c, done, err
	}
	remote, rerr := b.PostHQ.PostReferrals(ctx, b.Post, b.queueSince())
	if rerr != nil {
		return Crossing{}, nil, err
	}
	for _, r := range remote {
		if r.ID == crossingID {
			done, err := sup.OutcomeOf(ctx, crossingID)
			return r, done, err
		}
	}
	return Crossing{}, nil, err
}

// OutcomeRequest is what the officer on secondary concluded.
type OutcomeRequest struct {
	CrossingID string
	Outcome    ReferralOutcome // ReferralAdmitted or ReferralRefused
	Reason     string          // refusal reason code, required when refused
	Note       string
}

// RecordOutcome records the outcome of a referral, linked to the primary
// crossing; it is audited and uploaded. Errors: EUNAUTHORIZED for a trainee or
// administrator, or a referral of another post; ENOTFOUND for an unknown
// crossing; EINVALID for a crossing that was not referred, an outcome other
// than admitted or refused, a refusal without a known reason; ECONFLICT when
// the referral has an outcome already. Nothing is changed on any error.
func (b *Booth) RecordOutcome(ctx context.Context, r OutcomeRequest) (Outcome, error) {
	o, sup, err := b.secondary()
	if err != nil {
		return Outcome{}, err
	}
	c, done, err := b.referral(ctx, sup, r.CrossingID)
	if ErrorCode(err) == ENOTFOUND {
		return Outcome{}, Errork(ENOTFOUND, "err.no_such_crossing", "There is no crossing %s at this booth.", r.CrossingID)
	} else if err != nil {
		return Outcome{}, err
	}
	if err := b.samePost(c.Post); err != nil {
		return Outcome{}, err
	}
	if c.Decision != Refer {
		return Outcome{}, Errork(EINVALID, "err.not_referred", "That traveller was not referred to secondary inspection (the decision was %s).", c.Decision)
	}
	if done != nil {
		return Outcome{}, Errork(ECONFLICT, "err.outcome_twice", "This referral's outcome is recorded already: %s.", done.Outcome)
	}
	r.Reason, r.Note = strings.TrimSpace(r.Reason), strings.TrimSpace(r.Note)
	switch r.Outcome {
	case ReferralAdmitted:
		r.Reason = ""
	case ReferralRefused:
		if err := b.checkRefusal(DecisionRequest{Decision: Refuse, Reason: r.Reason, Note: r.Note}); err != nil {
			return Outcome{}, err
		}
	default:
		return Outcome{}, Errork(EINVALID, "err.unknown_outcome", "An outcome is admitted or refused, not %q.", r.Outcome)
	}
	out := Outcome{ID: b.newID(), CrossingID: c.ID, ShiftID: c.ShiftID, Post: c.Post, Booth: b.boothID(c.Booth),
		OfficerID: o.ID, Direction: c.Direction, Outcome: r.Outcome, Reason: r.Reason, Note: r.Note, At: b.now()}
	if err := sup.RecordOutcome(ctx, out); err != nil {
		return Outcome{}, err
	}
	return out, nil
}

// ConfirmRefusal records the supervisor's word on a refusal (confirmed, or
// not with a note saying why). Errors: EUNAUTHORIZED for anyone but a
// supervisor, or a refusal of another post; ENOTFOUND; EINVALID for a crossing
// that is not a refusal, or not confirming without a note; ECONFLICT when the
// refusal has a confirmation already.
func (b *Booth) ConfirmRefusal(ctx context.Context, crossingID string, confirmed bool, note string) (RefusalConfirmation, error) {
	o, sup, err := b.supervisor()
	if err != nil {
		return RefusalConfirmation{}, err
	}
	c, _, err := sup.Referral(ctx, crossingID)
	if ErrorCode(err) == ENOTFOUND {
		return RefusalConfirmation{}, Errork(ENOTFOUND, "err.no_such_crossing", "There is no crossing %s at this booth.", crossingID)
	} else if err != nil {
		return RefusalConfirmation{}, err
	}
	if err := b.samePost(c.Post); err != nil {
		return RefusalConfirmation{}, err
	}
	if c.Decision != Refuse {
		return RefusalConfirmation{}, Errork(EINVALID, "err.not_refusal", "Only a refusal is confirmed (the decision was %s).", c.Decision)
	}
	note = strings.TrimSpace(note)
	if !confirmed && note == "" {
		return RefusalConfirmation{}, Errork(EINVALID, "err.unconfirm_needs_note", "Write why the refusal is not confirmed.")
	}
	rc := RefusalConfirmation{ID: b.newID(), CrossingID: c.ID, ShiftID: c.ShiftID, Post: c.Post, Booth: b.boothID(c.Booth),
		SupervisorID: o.ID, Direction: c.Direction, Confirmed: confirmed, Note: note, At: b.now()}
	if err := sup.ConfirmRefusal(ctx, rc); err != nil {
		return RefusalConfirmation{}, err
	}
	return rc, nil
}

// PostSettings returns the post's settings (anyone signed in may read them).
func (b *Booth) PostSettings(ctx context.Context) (PostSettings, error) {
	if _, err := b.active(); err != nil {
		return PostSettings{}, err
	}
	if b.Supervision == nil {
		return PostSettings{}, nil
	}
	return b.postSettings(ctx, b.Supervision)
}

// SetPostSettings changes the post's settings; audited. Errors:
// EUNAUTHORIZED for anyone but a supervisor.
func (b *Booth) SetPostSettings(ctx context.Context, s PostSettings) error {
	o, sup, err := b.supervisor()
	if err != nil {
		return err
	}
	return sup.SetPostSettings(ctx, s, o.ID, b.now())
}
