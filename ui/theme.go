package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// boothTheme is Fyne's theme with tighter spacing, so the whole inspection —
// document, hits, history and stay — fits 1366×768 without scrolling. Colours,
// fonts and text sizes stay the base theme's.
type boothTheme struct{ fyne.Theme }

// Size tightens the paddings only.
func (t boothTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameInnerPadding:
		return 5
	case theme.SizeNamePadding:
		return 3
	case theme.SizeNameLineSpacing:
		return 3
	}
	return t.Theme.Size(n)
}

// UseTheme makes the booth's theme the application's (New does it).
func UseTheme(a fyne.App) {
	a.Settings().SetTheme(boothTheme{theme.DefaultTheme()})
}
