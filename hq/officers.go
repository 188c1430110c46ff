package hq

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// Officers and HQ accounts are administered here and nowhere else: a booth
// receives its post's officers in a signed directory (wire.Directory) and
// checks passwords offline against the hashes made here. Roles split in two:
//
//   - booth roles (officer, trainee, supervisor, trainer, post-admin) need at
//     least one post and reach only the booths of their posts;
//   - HQ's roles (analyst, auditor, hq-admin) have no post, never leave HQ and
//     sign in only at HQ (AuthenticateAccount). No role signs in at every booth:
//     a national officer is given each post they work at.
//
// Every change is one transaction with its entry in HQ's administrative hash
// chain (store.Accounts); the chain's length is the directory's version.

// Password policy: long enough to resist guessing offline against a stolen
// booth's hashes, short enough to type at a booth.
const (
	MinPassword = 12
	MaxPassword = 128
)

// HQ sign-in lockout (HQ accounts; booths keep their own).
const (
	MaxFailedSignIns = 5
	LockoutFor       = 15 * time.Minute
)

// OfficerInput is what `hq officer add|update` says about an officer. For an
// update, empty fields (nil Posts) keep the officer's current values; Posts
// empty but not nil (--posts "") clears them, which only an HQ role or a
// disabled officer may have (RemoveOfficer takes an officer off every post).
type OfficerInput struct {
	ID       string
	Name     string
	Role     app.Role
	Posts    []string
	Language string
	Password string // add only; reset with ResetPassword
}

var (
	serviceNumber = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)
	postName      = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,31}$`)
)

// CheckPassword applies HQ's password policy: 12 to 128 characters, letters
// and at least one digit or sign, not made of one repeated character, and not
// containing the service number or a word of the officer's name. Returns
// EINVALID with a sentence the administrator can act on.
func CheckPassword(password, id, name string) error {
	n := utf8.RuneCountInString(password)
	if n < MinPassword || n > MaxPassword {
		return app.Errorf(app.EINVALID, "A password needs %d to %d characters; this one has %d.", MinPassword, MaxPassword, n)
	}
	var letters, others int
	distinct := map[rune]bool{}
	for _, r := range password {
		distinct[r] = true
		if unicode.IsLetter(r) {
			letters++
		} else if !unicode.IsSpace(r) {
			others++
		}
	}
	if letters == 0 || others == 0 || len(distinct) < 5 {
		return app.Errorf(app.EINVALID, "A password needs letters and at least one digit or sign, and at least 5 different characters.")
	}
	low := strings.ToLower(password)
	if id != "" && strings.Contains(low, strings.ToLower(id)) {
		return app.Errorf(app.EINVALID, "A password must not contain the service number.")
	}
	for _, w := range strings.Fields(strings.ToLower(name)) {
		if utf8.RuneCountInString(w) >= 3 && strings.Contains(low, w) {
			return app.Errorf(app.EINVALID, "A password must not contain the officer's name.")
		}
	}
	return nil
}

// checkOfficer validates a whole account against the known posts.
func checkOfficer(a store.Account, posts map[string]bool) error {
	if !serviceNumber.MatchString(a.ID) {
		return app.Errorf(app.EINVALID, "%q is not a service number (letters, digits, '.', '_' or '-', up to 32).", a.ID)
	}
	if strings.TrimSpace(a.Name) == "" || utf8.RuneCountInString(a.Name) > 200 {
		return app.Errorf(app.EINVALID, "Officer %s needs a name.", a.ID)
	}
	if !slices.Contains(app.Roles, a.Role) {
		return app.Errorf(app.EINVALID, "%q is not a role (officer, trainee, supervisor, trainer, post-admin, analyst, auditor, hq-admin).", a.Role)
	}
	switch a.Language {
	case "ky", "ru", "en":
	default:
		return app.Errorf(app.EINVALID, "%q is not a language of the booth (ky, ru, en).", a.Language)
	}
	if !wire.IsBoothRole(a.Role) {
		if len(a.Posts) > 0 {
			return app.Errorf(app.EINVALID, "A %s works at HQ and has no post; leave --posts out.", a.Role)
		}
		return nil
	}
	if len(a.Posts) == 0 {
		if a.Disabled {
			return nil // removed from every post (RemoveOfficer): kept for the record
		}
		return app.Errorf(app.EINVALID, "A %s needs at least one post (--posts); to take an officer off every post, use hq officer remove.", a.Role)
	}
	seen := map[string]bool{}
	for _, p := range a.Posts {
		switch {
		case !postName.MatchString(p):
			return app.Errorf(app.EINVALID, "%q is not a post name (capitals, digits, '-' or '_').", p)
		case !posts[p]:
			return app.Errorf(app.EINVALID, "Post %s has no booth enrolled at HQ; enrol one first (hq booth enrol).", p)
		case seen[p]:
			return app.Errorf(app.EINVALID, "Post %s is given twice.", p)
		}
		seen[p] = true
	}
	return nil
}

// knownPosts are the posts with a booth enrolled at HQ.
func (s *Server) knownPosts(ctx context.Context) (map[string]bool, error) {
	rep, err := s.store.Report(ctx)
	if err != nil {
		return nil, err
	}
	posts := map[string]bool{}
	for _, b := range rep.Booths {
		posts[b.Post] = true
	}
	return posts, nil
}

func detail(v map[string]any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// AddOfficer creates an officer or HQ account, its password hashed here
// (argon2id). actor is who makes the change (kept in the chain). Errors:
// EINVALID for a bad id, name, role, language or post, or a password the
// policy refuses; ECONFLICT for an id HQ already holds.
func (s *Server) AddOfficer(ctx context.Context, actor string, in OfficerInput) (store.Account, error) {
	if in.Language == "" {
		in.Language = "en"
	}
	a := store.Account{ID: in.ID, Name: strings.TrimSpace(in.Name), Role: in.Role, Posts: in.Posts, Language: in.Language}
	posts, err := s.knownPosts(ctx)
	if err != nil {
		return store.Account{}, err
	}
	if err := checkOfficer(a, posts); err != nil {
		return store.Account{}, err
	}
	if err := CheckPassword(in.Password, a.ID, a.Name); err != nil {
		return store.Account{}, err
	}
	a.Password = wire.HashPassword(in.Password, s.cfg.Argon2) // outside the store's transaction: tens of ms
	_, err = s.store.ChangeAccount(ctx, a.ID, s.clock.Now(), actor, func(_ store.Account, exists bool) (store.Account, store.AdminEntry, error) {
		if exists {
			return store.Account{}, store.AdminEntry{}, app.Errorf(app.ECONFLICT, "Officer %s already exists; use hq officer update.", a.ID)
		}
		return a, store.AdminEntry{Action: "officer_add", Detail: detail(map[string]any{"name": a.Name, "role": a.Role, "posts": a.Posts, "language": a.Language})}, nil
	})
	if err != nil {
		return store.Account{}, err
	}
	s.log.Info("officer added", "officer", a.ID, "role", a.Role, "posts", a.Posts, "by", actor)
	return s.store.Account(ctx, a.ID)
}

// UpdateOfficer changes an officer's name, role, posts or language (the
// non-empty fields of in). Errors: ENOTFOUND, EINVALID as AddOfficer,
// ECONFLICT when it would demote the last enabled hq-admin.
func (s *Server) UpdateOfficer(ctx context.Context, actor string, in OfficerInput) (store.Account, error) {
	if in.Password != "" {
		return store.Account{}, app.Errorf(app.EINVALID, "A password is changed with hq officer reset-password.")
	}
	posts, err := s.knownPosts(ctx)
	if err != nil {
		return store.Account{}, err
	}
	_, err = s.store.ChangeAccount(ctx, in.ID, s.clock.Now(), actor, func(old store.Account, exists bool) (store.Account, store.AdminEntry, error) {
		if !exists {
			return store.Account{}, store.AdminEntry{}, app.Errorf(app.ENOTFOUND, "There is no officer %s.", in.ID)
		}
		a := old
		if in.Name != "" {
			a.Name = strings.TrimSpace(in.Name)
		}
		if in.Role != "" {
			a.Role = in.Role
			if !wire.IsBoothRole(a.Role) && in.Posts == nil {
				a.Posts = nil // moving to HQ leaves the posts behind
			}
		}
		if in.Posts != nil {
			a.Posts = in.Posts
		}
		if in.Language != "" {
			a.Language = in.Language
		}
		if err := checkOfficer(a, posts); err != nil {
			return store.Account{}, store.AdminEntry{}, err
		}
		return a, store.AdminEntry{Action: "officer_update", Detail: detail(map[string]any{"name": a.Name, "role": a.Role, "posts": a.Posts, "language": a.Language})}, nil
	})
	if err != nil {
		return store.Account{}, err
	}
	return s.store.Account(ctx, in.ID)
}

// SetOfficerDisabled disables or enables an officer. A disabled officer is
// refused at HQ at once and by every linked booth at its next directory pull
// (sync.DirectoryPullEvery). Errors: ENOTFOUND; ECONFLICT for the last enabled
// hq-admin.
func (s *Server) SetOfficerDisabled(ctx context.Context, actor, id string, disabled bool) (store.Account, error) {
	action := "officer_enable"
	if disabled {
		action = "officer_disable"
	}
	_, err := s.store.ChangeAccount(ctx, id, s.clock.Now(), actor, func(old store.Account, exists bool) (store.Account, store.AdminEntry, error) {
		if !exists {
			return store.Account{}, store.AdminEntry{}, app.Errorf(app.ENOTFOUND, "There is no officer %s.", id)
		}
		if !disabled && wire.IsBoothRole(old.Role) && len(old.Posts) == 0 {
			return store.Account{}, store.AdminEntry{}, app.Errorf(app.EINVALID,
				"Officer %s was removed from every post; give them a post first (hq officer update --id %s --posts P), then enable them.", id, id)
		}
		old.Disabled = disabled
		return old, store.AdminEntry{Action: action, Detail: `{}`}, nil
	})
	if err != nil {
		return store.Account{}, err
	}
	s.log.Info(strings.ReplaceAll(action, "_", " "), "officer", id, "by", actor)
	return s.store.Account(ctx, id)
}

// RemoveOfficer takes an officer out of service: off every post and
// disabled, in one change. The account stays at HQ — the administrative chain
// and the booths' records name its id, and a service number is never given to
// someone else — and the booths of its former posts disable it at their next
// directory pull (they keep officers they no longer find, disabled, for the
// shifts and decisions that name them). An HQ account is disabled. Bring an
// officer back with UpdateOfficer (posts) and SetOfficerDisabled. Errors:
// ENOTFOUND; ECONFLICT for the last enabled hq-admin.
func (s *Server) RemoveOfficer(ctx context.Context, actor, id string) (store.Account, error) {
	_, err := s.store.ChangeAccount(ctx, id, s.clock.Now(), actor, func(old store.Account, exists bool) (store.Account, store.AdminEntry, error) {
		if !exists {
			return store.Account{}, store.AdminEntry{}, app.Errorf(app.ENOTFOUND, "There is no officer %s.", id)
		}
		was := old.Posts
		old.Posts, old.Disabled = nil, true
		return old, store.AdminEntry{Action: "officer_remove", Detail: detail(map[string]any{"posts_before": was})}, nil
	})
	if err != nil {
		return store.Account{}, err
	}
	s.log.Info("officer removed", "officer", id, "by", actor)
	return s.store.Account(ctx, id)
}

// Removed reports whether a is an officer taken off every post (RemoveOfficer).
func Removed(a store.Account) bool {
	return wire.IsBoothRole(a.Role) && len(a.Posts) == 0
}

// ResetPassword gives an officer a new password (policy as AddOfficer) and
// clears HQ's lockout; booths clear theirs when the new hash arrives.
// Errors: ENOTFOUND, EINVALID.
func (s *Server) ResetPassword(ctx context.Context, actor, id, password string) error {
	a, err := s.store.Account(ctx, id)
	if err != nil {
		return err
	}
	if err := CheckPassword(password, a.ID, a.Name); err != nil {
		return err
	}
	phc := wire.HashPassword(password, s.cfg.Argon2)
	_, err = s.store.ChangeAccount(ctx, id, s.clock.Now(), actor, func(old store.Account, exists bool) (store.Account, store.AdminEntry, error) {
		if !exists {
			return store.Account{}, store.AdminEntry{}, app.Errorf(app.ENOTFOUND, "There is no officer %s.", id)
		}
		old.Password, old.Failed, old.LockedUntil = phc, 0, time.Time{}
		return old, store.AdminEntry{Action: "officer_reset_password", Detail: `{}`}, nil
	})
	return err
}

// Officers returns every officer and HQ account by id.
func (s *Server) Officers(ctx context.Context) ([]store.Account, error) {
	return s.store.AccountList(ctx)
}

// AuthenticateAccount signs an HQ account (analyst, auditor, hq-admin) in at
// HQ — for the HQ console. The password is checked against HQ's hash; MaxFailedSignIns
// wrong passwords in a row lock the account for LockoutFor. Booth roles sign
// in at their booths, not here. Errors: EUNAUTHORIZED for an unknown or
// disabled account, a booth role or a wrong password (one message for all);
// ELOCKED while locked, even with the right password.
func (s *Server) AuthenticateAccount(ctx context.Context, id, password string) (store.Account, error) {
	denied := app.Errorf(app.EUNAUTHORIZED, "Wrong account or password.")
	a, err := s.store.Account(ctx, id)
	known := err == nil
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return store.Account{}, err
	}
	now := s.clock.Now()
	if known && a.LockedUntil.After(now) {
		return store.Account{}, app.Errorf(app.ELOCKED, "This account is locked after too many wrong passwords; try again after %s.", a.LockedUntil.UTC().Format("15:04 UTC"))
	}
	phc := a.Password
	if !known {
		phc = s.dummyHash() // hash anyway, so timing does not tell who exists
	}
	ok := wire.CheckPassword(password, phc)
	if known && ok && !a.Disabled && !wire.IsBoothRole(a.Role) {
		if a.Failed != 0 {
			if err := s.store.SetLockout(ctx, id, 0, time.Time{}); err != nil {
				return store.Account{}, err
			}
		}
		s.log.Info("hq sign-in", "account", id, "role", a.Role)
		return a, nil
	}
	if known && !ok {
		failed, until := a.Failed+1, time.Time{}
		if failed >= MaxFailedSignIns {
			failed, until = 0, now.Add(LockoutFor)
			s.log.Warn("hq account locked", "account", id, "until", until)
		}
		if err := s.store.SetLockout(ctx, id, failed, until); err != nil {
			return store.Account{}, err
		}
	}
	s.log.Info("hq sign-in refused", "account", id)
	return store.Account{}, denied
}

func (s *Server) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy = wire.HashPassword("not a password of anyone's", s.cfg.Argon2) })
	return s.dummy
}

// Directory returns the officer directory of post at HQ's current directory
// version, signed as an envelope of wire.KindDirectory, and false when HQ has
// made no administrative change yet. It holds the post's officers of booth
// roles, disabled ones marked so (a booth disables an officer it no longer
// finds too).
func (s *Server) Directory(ctx context.Context, post string) (wire.Envelope, bool, error) {
	head, err := s.store.AdminHead(ctx)
	if err != nil || head.Seq == 0 {
		return wire.Envelope{}, false, err
	}
	accounts, err := s.store.AccountList(ctx)
	if err != nil {
		return wire.Envelope{}, false, err
	}
	d := wire.Directory{Post: post, Version: head.Seq, Officers: []wire.DirectoryOfficer{}}
	for _, a := range accounts {
		if !wire.IsBoothRole(a.Role) || !slices.Contains(a.Posts, post) {
			continue
		}
		d.Officers = append(d.Officers, wire.DirectoryOfficer{ID: a.ID, Name: a.Name, Role: string(a.Role), Posts: a.Posts,
			Language: a.Language, Disabled: a.Disabled, Password: a.Password})
	}
	payload, err := wire.MarshalDirectory(d)
	if err != nil {
		return wire.Envelope{}, false, err
	}
	// Envelope format 2, as answerEnvelope: fresh for EnvelopeTTL, its digest
	// the directory file the booth keeps, so a replay or a file altered at rest
	// is refused.
	sum := sha256.Sum256(payload)
	e := wire.Envelope{Format: wire.EnvelopeFormat, Kind: wire.KindDirectory, Version: head.Seq, Mode: wire.Snapshot,
		Published: head.At, Payload: payload, Digest: sum[:], Expires: s.clock.Now().Add(EnvelopeTTL)}
	if !e.Expires.After(e.Published) {
		e.Expires = e.Published.Add(EnvelopeTTL)
	}
	e, err = wire.SignEnvelope(s.signKey, e)
	return e, err == nil, err
}
