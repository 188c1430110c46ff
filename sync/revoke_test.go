package sync_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/hq/pki"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

// TestALostBundleIsCutOffAlone: re-enrolling a booth retires its old bundle
// at a real HQ, and the new bundle can be revoked by its serial without
// revoking the booth (issue 14, item 6).
func TestALostBundleIsCutOffAlone(t *testing.T) {
	ctx := context.Background()
	h := hqtest.Start(t, hq.Config{})
	health := func(b wire.Bundle) error {
		c, err := sync.NewClient(b, sync.ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Health(ctx)
		return err
	}
	lost := h.Enrol(t, "DOSTUK-07", "DOSTUK")
	if err := health(lost); err != nil {
		t.Fatal(err)
	}
	fresh := h.Enrol(t, "DOSTUK-07", "DOSTUK")
	if err := health(lost); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("the replaced bundle still works: %v", err)
	}
	if err := health(fresh); err != nil {
		t.Fatalf("the new bundle: %v", err)
	}
	blk, _ := pem.Decode(fresh.CertPEM)
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.RevokeCertificate(ctx, pki.Serial(cert)); err != nil {
		t.Fatal(err)
	}
	if err := health(fresh); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("a revoked certificate still works: %v", err)
	}
	if err := health(h.Enrol(t, "DOSTUK-07", "DOSTUK")); err != nil {
		t.Fatalf("the booth cannot be enrolled again: %v", err)
	}
}
