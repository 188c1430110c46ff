// Package assets holds the files Chekara ships inside its binaries: translations,
// the default stay rules, the refusal reason codes, demo lists and travellers,
// icons. Each concern has its own folder; FS embeds them all.
package assets

import "embed"

// FS is every file under assets/, by its path relative to this folder
// (e.g. "rules/kgz.json").
//
//go:embed *
var FS embed.FS
