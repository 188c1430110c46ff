package hq_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
)

// --require-standby is a promise HQ checks before it serves: a PostgreSQL that
// commits on its own machine only, or the SQLite store, is refused in words.
func TestRequireStandbyRefusesAStoreWithoutOne(t *testing.T) {
	ctx := context.Background()
	_, err := hq.Open(ctx, hq.Config{DataDir: t.TempDir(), Postgres: hqtest.PostgresURL(t), RequireStandby: true})
	if err == nil || !strings.Contains(err.Error(), "synchronous_standby_names is empty") {
		t.Fatalf("PostgreSQL without a standby: %v", err)
	}
	_, err = hq.Open(ctx, hq.Config{DataDir: t.TempDir(), RequireStandby: true})
	if err == nil || !strings.Contains(err.Error(), "needs the PostgreSQL store") {
		t.Fatalf("SQLite: %v", err)
	}
}
