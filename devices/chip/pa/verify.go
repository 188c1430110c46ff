// Package pa is passive authentication of ePassport chips (ICAO 9303 part 11,
// section 5.1 and part 12): the EF.SOD's CMS signature, the document signer
// certificate's chain to a trusted CSCA, validity dates, and the hash of every
// data group read against the SOD. It is pure: bytes and a time in, a result out.
package pa

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// Outcomes, as the JSON of bmis chip and the crossing record spell them.
const (
	Valid       = "valid"
	Invalid     = "invalid"
	UnknownCSCA = "unknown_csca"
	Expired     = "expired"
	Match       = "match"
	Mismatch    = "mismatch"
	NotInSOD    = "not_in_sod"
)

// Result is passive authentication's verdict, part by part.
type Result struct {
	SODSignature string            `json:"sod_signature"`
	DSChain      string            `json:"ds_chain"`
	DGHashes     map[string]string `json:"dg_hashes"`
	Signer       string            `json:"signer,omitempty"`
	CSCA         string            `json:"csca,omitempty"`
	// Problems says in English what failed, for the log and the officer's detail.
	Problems []string `json:"problems,omitempty"`
}

// OK reports whether every part passed.
func (r *Result) OK() bool {
	if r.SODSignature != Valid || r.DSChain != Valid || len(r.DGHashes) == 0 {
		return false
	}
	for _, v := range r.DGHashes {
		if v != Match {
			return false
		}
	}
	return true
}

// Words says the result in one English sentence.
func (r *Result) Words() string {
	switch {
	case r.OK():
		return "The chip is genuine: its data is signed by the issuing state and unchanged."
	case r.SODSignature != Valid:
		return "The chip's signature is invalid: the chip was altered or forged."
	case r.DSChain == UnknownCSCA:
		return "The chip is signed by a state certificate this booth does not hold (CSCA unknown)."
	case r.DSChain == Expired:
		return "The chip's signing certificate has expired or is not yet valid."
	case r.DSChain != Valid:
		return "The chip's signing certificate does not chain to the issuing state."
	}
	return "The chip's data does not match its signature: a data group was altered."
}

// maxChain bounds a chain (document signer, link certificates, CSCA); a longer
// one, or a certificate met twice, is a loop.
const maxChain = 4

// ErrLoop is reported when the SOD's certificates issue one another in a circle.
var ErrLoop = errors.New("pa: certificate loop")

// Check runs passive authentication of the SOD over the data groups read
// (number → file), trusting the CSCAs in trust, at time now.
func Check(sodBytes []byte, groups map[int][]byte, trust *Trust, now time.Time) *Result {
	r := &Result{SODSignature: Invalid, DSChain: Invalid, DGHashes: map[string]string{}}
	sod, err := ParseSOD(sodBytes)
	if err != nil {
		r.Problems = append(r.Problems, err.Error())
		for n := range groups {
			r.DGHashes["DG"+strconv.Itoa(n)] = Mismatch
		}
		return r
	}
	ds, err := sod.signed.signerCert()
	if err != nil {
		r.Problems = append(r.Problems, err.Error())
	} else {
		r.Signer = ds.Subject
		if err := sod.signed.checkSignature(ds); err != nil {
			r.Problems = append(r.Problems, "SOD signature: "+err.Error())
		} else {
			r.SODSignature = Valid
		}
		r.DSChain, r.CSCA, err = chain(ds, sod.signed.Certs, trust, now)
		if err != nil {
			r.Problems = append(r.Problems, "document signer: "+err.Error())
		}
	}
	h, _ := hashOf(sod.Hash.Algorithm) // ParseSOD checked it
	nums := make([]int, 0, len(groups))
	for n := range groups {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, n := range nums {
		name := "DG" + strconv.Itoa(n)
		want, ok := sod.Hashes[n]
		if !ok {
			r.DGHashes[name] = NotInSOD
			r.Problems = append(r.Problems, name+" has no hash in the SOD")
			continue
		}
		hh := h.New()
		hh.Write(groups[n])
		if bytes.Equal(hh.Sum(nil), want) {
			r.DGHashes[name] = Match
		} else {
			r.DGHashes[name] = Mismatch
			r.Problems = append(r.Problems, name+" differs from its hash in the SOD")
		}
	}
	return r
}

// chain finds a path from the document signer to a trusted CSCA, through the
// SOD's other certificates (link certificates) if need be.
func chain(ds *Certificate, pool []*Certificate, trust *Trust, now time.Time) (string, string, error) {
	if trust == nil || len(trust.CSCAs) == 0 {
		return UnknownCSCA, "", errors.New("no CSCA certificates are configured")
	}
	seen := map[string]bool{}
	cur := ds
	expired := false
	for depth := 0; depth < maxChain; depth++ {
		if seen[string(cur.Raw)] {
			return Invalid, "", ErrLoop
		}
		seen[string(cur.Raw)] = true
		if !cur.validAt(now) {
			expired = true
		}
		var named bool
		for _, ca := range trust.CSCAs {
			if !cur.issuedBy(ca) {
				continue
			}
			named = true
			if err := cur.CheckSignatureFrom(ca); err != nil {
				continue // another CSCA of the same name (key rollover) may have signed it
			}
			if expired || !ca.validAt(now) {
				return Expired, ca.Subject, fmt.Errorf("a certificate of the chain is outside its validity on %s", now.Format(time.DateOnly))
			}
			return Valid, ca.Subject, nil
		}
		if named {
			return Invalid, "", errors.New("a CSCA of the issuer's name is configured, but its key did not sign the certificate")
		}
		var next *Certificate
		for _, c := range pool {
			if c != cur && cur.issuedBy(c) && cur.CheckSignatureFrom(c) == nil {
				next = c
				break
			}
		}
		if next == nil {
			return UnknownCSCA, "", fmt.Errorf("no configured CSCA issued %q", cur.Subject)
		}
		cur = next
	}
	return Invalid, "", ErrLoop
}
