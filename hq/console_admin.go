package hq

import (
	"context"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/console"
	"github.com/chekara/chekara/hq/store"
)

// consoleAdmin gives the console's administration pages the very operations
// the CLI calls (officers.go, booths.go, publish.go): one implementation,
// two front ends. The actor is the signed-in hq-admin's account.
type consoleAdmin struct{ s *Server }

var _ console.Admin = consoleAdmin{}

func officerInput(f console.OfficerForm) OfficerInput {
	return OfficerInput{ID: f.ID, Name: f.Name, Role: app.Role(f.Role), Posts: f.Posts, Language: f.Language, Password: f.Password}
}

func (a consoleAdmin) Officers(ctx context.Context) ([]store.Account, error) {
	return a.s.Officers(ctx)
}

func (a consoleAdmin) AddOfficer(ctx context.Context, actor string, f console.OfficerForm) error {
	_, err := a.s.AddOfficer(ctx, actor, officerInput(f))
	return err
}

func (a consoleAdmin) UpdateOfficer(ctx context.Context, actor string, f console.OfficerForm) error {
	_, err := a.s.UpdateOfficer(ctx, actor, officerInput(f))
	return err
}

func (a consoleAdmin) SetOfficerDisabled(ctx context.Context, actor, id string, disabled bool) error {
	_, err := a.s.SetOfficerDisabled(ctx, actor, id, disabled)
	return err
}

func (a consoleAdmin) ResetPassword(ctx context.Context, actor, id, password string) error {
	return a.s.ResetPassword(ctx, actor, id, password)
}

// Enrol enrols a booth with HQ's recorded address (hq serve's) unless given
// one, and returns the bundle file as `hq booth enrol --out` writes it.
func (a consoleAdmin) Enrol(ctx context.Context, _ string, booth, post, address string) ([]byte, error) {
	if address == "" {
		st, err := LoadSettings(a.s.cfg.DataDir)
		if err != nil {
			return nil, err
		}
		address = st.Address
	}
	if address == "" {
		return nil, app.Errorf(app.EINVALID, "HQ's address is unknown: give the address booths reach HQ at (https://HOST:PORT).")
	}
	b, err := a.s.Enrol(ctx, booth, post, address)
	if err != nil {
		return nil, err
	}
	return b.Marshal()
}

func (a consoleAdmin) Revoke(ctx context.Context, _ string, booth string) error {
	return a.s.Revoke(ctx, booth)
}

func (a consoleAdmin) Publish(ctx context.Context, _ string, kind string, data []byte) (store.Publication, error) {
	switch kind {
	case store.Lists:
		return a.s.ImportLists(ctx, data)
	case store.Rules:
		return a.s.ImportRules(ctx, data)
	}
	return store.Publication{}, app.Errorf(app.EINVALID, "unknown publication kind %q", kind)
}

// ConsoleAdmin is the console's administration through s (what `hq serve
// --console` gives the console; tests assemble consoles with it too).
func ConsoleAdmin(s *Server) console.Admin { return consoleAdmin{s} }
