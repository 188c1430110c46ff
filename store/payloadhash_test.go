package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
)

// Decisions audited before 2026-12-05 carry the payload's hash in hex under
// "payload_sha256"; newer ones in base64 under "sha256". Both must verify a
// record as it was and catch one that changed.
func TestPayloadHashBothSpellings(t *testing.T) {
	payload, changed := []byte(`{"format":4,"decision":"admit"}`), []byte(`{"format":4,"decision":"refuse"}`)
	sum := sha256.Sum256(payload)
	old := `{"seq":2,"direction":"entry","decision":"admit","payload_sha256":"` + hex.EncodeToString(sum[:]) + `"}`
	newer, _ := json.Marshal(decisionDetail{Seq: 2, Direction: "entry", Decision: "admit", payloadHash: hashOf(payload)})
	for _, detail := range []string{old, string(newer)} {
		var d decisionDetail
		if err := json.Unmarshal([]byte(detail), &d); err != nil {
			t.Fatal(err)
		}
		if d.empty() || !d.matches(payload) {
			t.Errorf("%s does not verify its own record", detail)
		}
		if d.matches(changed) {
			t.Errorf("%s verifies a changed record", detail)
		}
	}
	if len(newer) >= len(old) {
		t.Errorf("the new detail (%d bytes) is not shorter than the old (%d)", len(newer), len(old))
	}
}
