package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/training"
	"github.com/chekara/chekara/store"
)

// TestTrainingTables: packs are validated on import and replaced by id,
// assignments go to trainees only, sessions are kept as they go and listed
// per trainee, after a reopen too.
func TestTrainingTables(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t, store.Options{})
	for _, o := range []app.Officer{{ID: "T1", Name: "Trainee", Role: app.RoleTrainee}, {ID: "K1", Name: "Officer", Role: app.RoleOfficer}} {
		if err := s.SaveOfficer(ctx, o, "pw"); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join("..", "assets", "training", "basics.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePack(ctx, []byte(`{"chekara_training":1}`)); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("a broken pack: %v", err)
	}
	for range 2 { // a re-import replaces
		if _, err := s.SavePack(ctx, data); err != nil {
			t.Fatal(err)
		}
	}
	if ps, err := s.Packs(ctx); err != nil || len(ps) != 1 || ps[0].ID != "basics" {
		t.Errorf("packs %+v, %v", ps, err)
	}
	if _, err := s.Pack(ctx, "nope"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("unknown pack: %v", err)
	}
	for _, bad := range []training.Assignment{
		{Trainee: "K1", Pack: "basics", Debrief: training.DebriefEnd},
		{Trainee: "T1", Pack: "nope", Debrief: training.DebriefEnd},
		{Trainee: "T1", Pack: "basics", Debrief: "sometimes"},
	} {
		if err := s.Assign(ctx, bad); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("assign %+v: %v", bad, err)
		}
	}
	if err := s.Assign(ctx, training.Assignment{Trainee: "T1", Pack: "basics", Debrief: training.DebriefEach, By: "TR1"}); err != nil {
		t.Fatal(err)
	}
	sess := training.Session{ID: "s1", Trainee: "T1", Pack: "basics", Started: time.Now().UTC().Round(0),
		Outcomes: []training.Outcome{{Traveller: "b01", Decision: app.Admit}}}
	if err := s.SaveSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	sess.Finished = sess.Started.Add(time.Minute)
	if err := s.SaveSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSession(ctx, training.Session{ID: "s2", Trainee: "ghost"}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("a session of nobody: %v", err)
	}
	s.Close()
	s2, err := store.Open(path, store.Options{Argon2: cheap})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.Sessions(ctx, "T1")
	if err != nil || len(got) != 1 || got[0].Finished.IsZero() || len(got[0].Outcomes) != 1 {
		t.Errorf("sessions %+v, %v", got, err)
	}
	as, err := s2.Assignments(ctx, "")
	if err != nil || len(as) != 1 || as[0].Debrief != training.DebriefEach {
		t.Errorf("assignments %+v, %v", as, err)
	}
}
