package console

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
)

// Admin is what the administration pages do: the same operations as the
// `hq officer`, `hq booth` and `hq lists|rules import` commands, through
// HQ's one implementation of each (package hq adapts its Server). actor is
// the signed-in hq-admin, kept in HQ's administrative chain.
type Admin interface {
	// Officers returns every officer and HQ account by id.
	Officers(ctx context.Context) ([]store.Account, error)
	// AddOfficer: EINVALID (policy), ECONFLICT (exists).
	AddOfficer(ctx context.Context, actor string, f OfficerForm) error
	// UpdateOfficer changes the non-empty fields: ENOTFOUND, EINVALID, ECONFLICT (last hq-admin).
	UpdateOfficer(ctx context.Context, actor string, f OfficerForm) error
	// SetOfficerDisabled: ENOTFOUND, ECONFLICT (last hq-admin).
	SetOfficerDisabled(ctx context.Context, actor, id string, disabled bool) error
	// ResetPassword: ENOTFOUND, EINVALID (policy).
	ResetPassword(ctx context.Context, actor, id, password string) error
	// Enrol enrols a booth and returns its bundle file (it holds the booth's
	// private key). address "" is HQ's recorded address. EINVALID, ECONFLICT.
	Enrol(ctx context.Context, actor, booth, post, address string) ([]byte, error)
	// Revoke cuts a booth off: ENOTFOUND.
	Revoke(ctx context.Context, actor, booth string) error
	// Publish publishes a list (store.Lists) or rules (store.Rules) file:
	// EINVALID, ECONFLICT.
	Publish(ctx context.Context, actor, kind string, data []byte) (store.Publication, error)
}

// OfficerForm is the officer form of the administration pages (hq.OfficerInput).
type OfficerForm struct {
	ID, Name, Role, Language, Password string
	Posts                              []string // nil: unchanged (update)
}

// officerRoles are offered in the officer form, booth roles first.
var officerRoles = []string{"officer", "trainee", "supervisor", "trainer", "post-admin", RoleAnalyst, RoleAuditor, RoleHQAdmin}

// maxUpload bounds a list or rules file sent through the console.
const maxUpload = 256 << 20

// bundles holds enrolment bundles until their one download: the bundle holds
// the booth's private key, so it is never written to HQ's disk by the console
// and is gone after the first download or bundleTTL.
type bundles struct {
	mu sync.Mutex
	m  map[string]heldBundle
}

type heldBundle struct {
	booth, owner string
	data         []byte
	until        time.Time
}

const bundleTTL = 10 * time.Minute

func (c *Console) adminOnly() []string { return []string{RoleHQAdmin} }

func (c *Console) adminView(s *session, title, tab string) view {
	v := c.pageView(s, title, "admin")
	v.AdminTab = tab
	v.Roles = officerRoles
	return v
}

// adminDone renders a page after a change: the change's sentence, or the
// error's for people (400/404/409) with the form as it was.
func (c *Console) adminResult(w http.ResponseWriter, r *http.Request, s *session, action, subject string, err error, show func(view) view, title, tab string) {
	v := c.adminView(s, title, tab)
	status := http.StatusOK
	if err != nil {
		code := app.ErrorCode(err)
		switch code {
		case app.EINVALID, app.ECONFLICT, app.ENOTFOUND:
			v.Error = app.ErrorMessage(err)
			status = map[string]int{app.EINVALID: 400, app.ECONFLICT: 409, app.ENOTFOUND: 404}[code]
		default:
			c.fail(w, s, err)
			return
		}
		c.audit1(r, s.account, "admin_refused", action+" "+subject+": "+v.Error)
	} else {
		c.audit1(r, s.account, "admin_"+action, subject)
		v.Note = fmt.Sprintf("Done: %s %s.", strings.ReplaceAll(action, "_", " "), subject)
	}
	v = show(v)
	if v.Error == "" && v.fault != nil {
		c.fail(w, s, v.fault)
		return
	}
	w.WriteHeader(status)
	c.render(w, "admin.html", v)
}

func (c *Console) withOfficers(r *http.Request) func(view) view {
	return func(v view) view {
		accs, err := c.cfg.Admin.Officers(r.Context())
		v.Officers, v.fault = accs, err
		return v
	}
}

func (c *Console) adminOfficers(w http.ResponseWriter, r *http.Request, s *session) {
	c.audit1(r, s.account, "view", "")
	v := c.withOfficers(r)(c.adminView(s, "Officers", "officers"))
	if v.fault != nil {
		c.fail(w, s, v.fault)
		return
	}
	c.render(w, "admin.html", v)
}

func posts(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, strings.ToUpper(p))
	}
	return out
}

func (c *Console) adminAddOfficer(w http.ResponseWriter, r *http.Request, s *session) {
	f := OfficerForm{ID: strings.TrimSpace(r.PostFormValue("id")), Name: r.PostFormValue("name"), Role: r.PostFormValue("role"),
		Language: r.PostFormValue("language"), Password: r.PostFormValue("password"), Posts: posts(r.PostFormValue("posts"))}
	err := c.cfg.Admin.AddOfficer(r.Context(), s.account.ID, f)
	c.adminResult(w, r, s, "officer_add", f.ID, err, c.withOfficers(r), "Officers", "officers")
}

func (c *Console) adminEditOfficer(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	accs, err := c.cfg.Admin.Officers(r.Context())
	if err != nil {
		c.fail(w, s, err)
		return
	}
	for _, a := range accs {
		if a.ID == id {
			c.audit1(r, s.account, "view", id)
			v := c.adminView(s, "Officer "+id, "officer")
			v.Edit = &a
			c.render(w, "admin.html", v)
			return
		}
	}
	c.fail(w, s, app.Errorf(app.ENOTFOUND, "There is no officer %s.", id))
}

func (c *Console) adminUpdateOfficer(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	var err error
	action := r.PostFormValue("do")
	switch action {
	case "update":
		f := OfficerForm{ID: id, Name: r.PostFormValue("name"), Role: r.PostFormValue("role"), Language: r.PostFormValue("language"),
			Posts: posts(r.PostFormValue("posts"))}
		if f.Posts == nil {
			f.Posts = []string{} // an HQ role: no posts
		}
		err = c.cfg.Admin.UpdateOfficer(r.Context(), s.account.ID, f)
		action = "officer_update"
	case "disable", "enable":
		err = c.cfg.Admin.SetOfficerDisabled(r.Context(), s.account.ID, id, action == "disable")
		action = "officer_" + action
	case "password":
		if p := r.PostFormValue("password"); p != r.PostFormValue("again") {
			err = app.Errorf(app.EINVALID, "The two passwords differ.")
		} else {
			err = c.cfg.Admin.ResetPassword(r.Context(), s.account.ID, id, p)
		}
		action = "officer_reset_password"
	default:
		err = app.Errorf(app.EINVALID, "Unknown change %q.", action)
	}
	c.adminResult(w, r, s, action, id, err, c.withOfficers(r), "Officers", "officers")
}

func (c *Console) withBooths(r *http.Request) func(view) view {
	return func(v view) view {
		rep, err := c.cfg.Stats.Report(r.Context())
		v.BoothList, v.fault = rep.Booths, err
		return v
	}
}

func (c *Console) adminBooths(w http.ResponseWriter, r *http.Request, s *session) {
	c.audit1(r, s.account, "view", "")
	v := c.withBooths(r)(c.adminView(s, "Booths: enrol and revoke", "booths"))
	if v.fault != nil {
		c.fail(w, s, v.fault)
		return
	}
	c.render(w, "admin.html", v)
}

func (c *Console) adminEnrol(w http.ResponseWriter, r *http.Request, s *session) {
	booth, post := strings.TrimSpace(r.PostFormValue("booth")), strings.ToUpper(strings.TrimSpace(r.PostFormValue("post")))
	data, err := c.cfg.Admin.Enrol(r.Context(), s.account.ID, booth, post, strings.TrimSpace(r.PostFormValue("address")))
	link := ""
	if err == nil {
		t := token()
		c.held.mu.Lock()
		now := c.clock.Now()
		for k, b := range c.held.m {
			if now.After(b.until) {
				delete(c.held.m, k)
			}
		}
		c.held.m[t] = heldBundle{booth: booth, owner: s.account.ID, data: data, until: now.Add(bundleTTL)}
		c.held.mu.Unlock()
		link = "/admin/bundle/" + t
	}
	c.adminResult(w, r, s, "booth_enrol", booth+" at "+post, err, func(v view) view {
		v = c.withBooths(r)(v)
		v.Bundle, v.BundleBooth = link, booth
		return v
	}, "Booths: enrol and revoke", "booths")
}

// adminBundle serves an enrolment bundle once, to the hq-admin who enrolled
// the booth, within bundleTTL; then it is gone.
func (c *Console) adminBundle(w http.ResponseWriter, r *http.Request, s *session) {
	t := r.PathValue("token")
	c.held.mu.Lock()
	b, ok := c.held.m[t]
	if ok && b.owner == s.account.ID {
		delete(c.held.m, t)
	}
	c.held.mu.Unlock()
	if !ok || b.owner != s.account.ID || c.clock.Now().After(b.until) {
		c.audit1(r, s.account, "admin_refused", "bundle download: gone or not yours")
		c.fail(w, s, app.Errorf(app.ENOTFOUND, "This bundle was downloaded already or has expired: enrol the booth again for a new one (the old certificate is then retired)."))
		return
	}
	c.audit1(r, s.account, "admin_bundle_download", b.booth)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.chekara-bundle"`, b.booth))
	w.Write(b.data)
}

func (c *Console) adminRevoke(w http.ResponseWriter, r *http.Request, s *session) {
	booth := r.PathValue("id")
	var err error
	if r.PostFormValue("confirm") != booth {
		err = app.Errorf(app.EINVALID, "Type the booth's id (%s) to confirm revoking it.", booth)
	} else {
		err = c.cfg.Admin.Revoke(r.Context(), s.account.ID, booth)
	}
	c.adminResult(w, r, s, "booth_revoke", booth, err, c.withBooths(r), "Booths: enrol and revoke", "booths")
}

func (c *Console) withPublications(r *http.Request) func(view) view {
	return func(v view) view {
		for _, k := range []string{store.Lists, store.Rules} {
			latest, err := c.cfg.Stats.Latest(r.Context(), k)
			if err != nil {
				v.fault = err
				return v
			}
			if k == store.Lists {
				v.Lists = latest
			} else {
				v.Rules = latest
			}
		}
		return v
	}
}

func (c *Console) adminPublish(w http.ResponseWriter, r *http.Request, s *session) {
	c.audit1(r, s.account, "view", "")
	v := c.withPublications(r)(c.adminView(s, "Lists and rules", "publish"))
	if v.fault != nil {
		c.fail(w, s, v.fault)
		return
	}
	c.render(w, "admin.html", v)
}

func (c *Console) adminPublishFile(w http.ResponseWriter, r *http.Request, s *session) {
	kind := r.PathValue("kind")
	var p store.Publication
	var err error = app.Errorf(app.EINVALID, "Choose a file to publish.")
	name := ""
	if f, h, ferr := r.FormFile("file"); ferr == nil {
		name = h.Filename
		data, rerr := io.ReadAll(io.LimitReader(f, maxUpload+1))
		f.Close()
		switch {
		case rerr != nil:
			err = rerr
		case len(data) > maxUpload:
			err = app.Errorf(app.EINVALID, "The file is larger than %d MB.", maxUpload>>20)
		default:
			p, err = c.cfg.Admin.Publish(r.Context(), s.account.ID, kind, data)
		}
	}
	subject := fmt.Sprintf("%s from %s", kind, name)
	if err == nil {
		subject = fmt.Sprintf("%s version %d from %s", kind, p.Version, name)
	}
	c.adminResult(w, r, s, "publish", subject, err, c.withPublications(r), "Lists and rules", "publish")
}
