package booth

import (
	"fmt"
	"os"
	"path/filepath"
	gosync "sync"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/internal/safefile"
	"github.com/chekara/chekara/paper"
)

var (
	formWords    *i18n.Catalog
	formWordsErr error
	formOnce     gosync.Once
)

// PrintRefusal prints the refusal form of crossing c, refused by officer o, in
// lang beside English (package paper), saves it as a new file under FormsDir
// (0600, in a 0700 folder: it names a traveller) and returns its path.
// Errors: EINVALID when c is not a refusal; the disk's errors.
func (b *Booth) PrintRefusal(c app.Crossing, o app.Officer, lang string) (string, error) {
	formOnce.Do(func() { formWords, formWordsErr = i18n.Load(assets.FS, "i18n") })
	if formWordsErr != nil {
		return "", formWordsErr
	}
	pdf, err := paper.RefusalForm(paper.Refusal{Crossing: c, Officer: o, Reasons: b.App.Reasons, Lang: lang,
		Words: formWords, At: b.App.Clock.Now()})
	if err != nil {
		return "", err
	}
	if err := safefile.PrivateDir(b.FormsDir); err != nil {
		return "", fmt.Errorf("forms folder: %w", err)
	}
	path := filepath.Join(b.FormsDir, fmt.Sprintf("refusal-%s-%s.pdf", c.BoothTime.Format("20060102-150405"), c.ID))
	if err := safefile.WriteNew(path, pdf); err != nil {
		if os.IsExist(err) { // printed before: the same refusal, the same form
			return path, nil
		}
		return "", fmt.Errorf("save refusal form: %w", err)
	}
	return path, nil
}

// PrintShiftReport prints the end-of-shift report of a reviewed shift in
// lang (package paper), saves it as a new file under FormsDir (0600, in a
// 0700 folder) and returns its path. A report printed again after the
// sign-off is a new file beside the first. Errors: the disk's.
func (b *Booth) PrintShiftReport(r app.ShiftReview, lang string) (string, error) {
	formOnce.Do(func() { formWords, formWordsErr = i18n.Load(assets.FS, "i18n") })
	if formWordsErr != nil {
		return "", formWordsErr
	}
	now := b.App.Clock.Now()
	words := func(key string, args ...any) string { return formWords.T(lang, key, args...) }
	pdf, err := paper.ShiftReport(words, now, r)
	if err != nil {
		return "", err
	}
	if err := safefile.PrivateDir(b.FormsDir); err != nil {
		return "", fmt.Errorf("forms folder: %w", err)
	}
	state := "open"
	if r.SignOff != nil {
		state = "signed"
	} else if !r.Info.Open() {
		state = "closed"
	}
	path := filepath.Join(b.FormsDir, fmt.Sprintf("shift-%s-%s-%s.pdf", r.Info.ID, state, now.Format("20060102-150405")))
	if err := safefile.WriteNew(path, pdf); err != nil && !os.IsExist(err) {
		return "", fmt.Errorf("save shift report: %w", err)
	}
	return path, nil
}
