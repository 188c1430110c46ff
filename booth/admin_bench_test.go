package booth_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
)

// BenchmarkAdminBackup measures the administration's "back up to a folder"
// on a booth store of CHEKARA_BENCH_BACKUP_CROSSINGS synthetic crossings
// (default 100,000; the store benchmark's seeding, cached under the temp
// folder): the online copy (VACUUM INTO) and its verification (opened
// read-only, the audit chain walked, the head compared), as the post-admin
// waits for it.
func BenchmarkAdminBackup(b *testing.B) {
	ctx := context.Background()
	n := envInt(b, "CHEKARA_BENCH_BACKUP_CROSSINGS", 100_000)
	db := crossingsStore(b, n)
	bb, err := booth.Open(ctx, booth.Config{DataDir: b.TempDir(), StoreFile: db, Post: "DOSTUK", Booth: "DOSTUK-07", Store: fastArgon})
	if err != nil {
		b.Fatal(err)
	}
	defer bb.Close()
	if err := bb.Store.SaveOfficer(ctx, app.Officer{ID: "PA1", Name: "Post Admin", Role: app.RolePostAdmin, Language: "en"}, "pw"); err != nil {
		b.Fatal(err)
	}
	if _, err := bb.App.SignIn(ctx, "PA1", "pw"); err != nil {
		b.Fatal(err)
	}
	var bytes int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := filepath.Join(b.TempDir(), "usb")
		if err := os.Mkdir(dir, 0o700); err != nil {
			b.Fatal(err)
		}
		bk, err := bb.App.BackUp(ctx, dir)
		if err != nil {
			b.Fatal(err)
		}
		bytes = bk.Bytes
		b.StopTimer()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(bytes)/(1<<20), "MiB")
	b.ReportMetric(float64(n), "crossings")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/backup")
}
