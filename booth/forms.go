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
