// Command packgen writes the four scenario packs the training centre ships
// (assets/training/*.json) from the travellers below, composing every MRZ
// with its check digits, so a pack's lines are never typed by hand. The packs
// are data: trainers edit and import their own; TestShippedPacks validates
// these and plays their key through the real booth.
//
//	go run ./app/training/packgen -out assets/training
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/app/training"
)

const today = "2026-12-07"

type T = training.Text

// tv is one traveller as the author thinks of it.
type tv struct {
	id      string
	dir     app.Direction
	format  mrz.Format
	f       mrz.Fields
	page    training.Page // printed fields that differ from the MRZ
	face    uint64        // the live face
	pface   uint64        // the page's photo; 0: the same person
	earlier []training.Earlier
	alter   func([]string) []string // tamper with the composed lines
	key     training.Key
}

func e(date string, d app.Direction, post string) training.Earlier {
	return training.Earlier{Date: date, Direction: d, Post: post}
}

func person(code, state, surname, given, number, nat, birth, sex, expiry string) mrz.Fields {
	return mrz.Fields{DocumentCode: code, IssuingState: state, Surname: surname, GivenNames: given, DocumentNumber: number,
		Nationality: nat, BirthDateISO: birth, Sex: sex, ExpiryDateISO: expiry}
}

func admit(skill training.Skill, note T) training.Key {
	return training.Key{Decision: app.Admit, Skill: skill, Note: note}
}

func refuse(reasons []string, findings []training.Finding, note T, accept ...app.Decision) training.Key {
	return training.Key{Decision: app.Refuse, Reasons: reasons, Findings: findings, Accept: accept, Note: note}
}

func refer(findings []training.Finding, note T, accept ...app.Decision) training.Key {
	return training.Key{Decision: app.Refer, Findings: findings, Accept: accept, Note: note}
}

// flipDigit changes the check digit at column col of line n: an altered MRZ.
func flipDigit(n, col int) func([]string) []string {
	return func(l []string) []string {
		b := []byte(l[n])
		b[col] = '0' + (b[col]-'0'+3)%10
		l[n] = string(b)
		return l
	}
}

func build(id string, title, summary T, lists []string, travellers []tv) training.Pack {
	p := training.Pack{Format: training.FormatVersion, ID: id, Title: title, Summary: summary, Today: today,
		Post: "DOSTUK", Booth: "SIM-01"}
	for _, l := range lists {
		p.Lists = append(p.Lists, json.RawMessage(l))
	}
	for _, t := range travellers {
		format := t.format
		if format == "" {
			format = mrz.TD3
		}
		lines, err := mrz.Compose(format, t.f)
		if err != nil {
			panic(fmt.Sprintf("%s/%s: %v", id, t.id, err))
		}
		if t.alter != nil {
			lines = t.alter(lines)
		}
		page := t.page
		page.Face = t.face
		if t.pface != 0 {
			page.Face = t.pface
		}
		dir := t.dir
		if dir == "" {
			dir = app.Entry
		}
		p.Travellers = append(p.Travellers, training.Traveller{ID: t.id, Direction: dir, Lines: lines,
			Page: page, Face: t.face, Earlier: t.earlier, Key: t.key})
	}
	if err := p.Validate(); err != nil {
		panic(err)
	}
	return p
}

func main() {
	out := flag.String("out", "assets/training", "folder to write the packs into")
	flag.Parse()
	for _, p := range []training.Pack{basics(), watchlists(), stays(), fraud()} {
		// Written for people to read and edit: '<' stays '<', not \u003c.
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		if err := enc.Encode(p); err != nil {
			panic(err)
		}
		if err := os.WriteFile(filepath.Join(*out, p.ID+".json"), b.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
