package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
)

// PromptDataPage is the form for typing a document's data page when its MRZ
// cannot be read (Alt+T).
const PromptDataPage = "data_page"

// dataPageFields are the form's fields in the order the data page prints them
// and Tab visits them.
var dataPageFields = []struct{ field, key, hint string }{
	{app.FieldDocumentCode, "page.type", "page.type_hint"},
	{app.FieldIssuingState, "page.issuing_state", "page.country_hint"},
	{app.FieldNumber, "page.number", ""},
	{app.FieldSurname, "page.surname", ""},
	{app.FieldGivenNames, "page.given_names", ""},
	{app.FieldBirthDate, "page.birth_date", "page.date_hint"},
	{app.FieldNationality, "page.nationality", "page.country_hint"},
	{app.FieldSex, "page.sex", "page.sex_hint"},
	{app.FieldExpiry, "page.expiry", "page.date_hint"},
}

// dataPageWidth is the form's width: two columns of fields in 1366.
const dataPageWidth = 960

// dataPageForm is the open form: an entry and a line for its mistake per field.
type dataPageForm struct {
	entries map[string]*widget.Entry
	errs    map[string]*widget.Label
	order   []*widget.Entry
	content *fyne.Container // laid out again when a mistake line shows or hides
}

func (f *dataPageForm) page() app.DataPage {
	e := func(field string) string { return f.entries[field].Text }
	return app.DataPage{DocumentCode: e(app.FieldDocumentCode), IssuingState: e(app.FieldIssuingState), Number: e(app.FieldNumber),
		Surname: e(app.FieldSurname), GivenNames: e(app.FieldGivenNames), BirthDate: e(app.FieldBirthDate),
		Nationality: e(app.FieldNationality), Sex: e(app.FieldSex), Expiry: e(app.FieldExpiry)}
}

func (f *dataPageForm) fill(p app.DataPage) {
	for field, v := range map[string]string{app.FieldDocumentCode: p.DocumentCode, app.FieldIssuingState: p.IssuingState,
		app.FieldNumber: p.Number, app.FieldSurname: p.Surname, app.FieldGivenNames: p.GivenNames, app.FieldBirthDate: p.BirthDate,
		app.FieldNationality: p.Nationality, app.FieldSex: p.Sex, app.FieldExpiry: p.Expiry} {
		f.entries[field].SetText(v)
	}
}

// askDataPage opens the data page form (Alt+T). Keyboard first: the cursor is
// in the first field, Tab goes through the fields in the page's order, Enter
// in any field presents the page; each mistake is said under its field. A
// read on screen fills the form with what its MRZ gave, to correct.
func (u *UI) askDataPage() {
	u.DismissPrompt()
	f := &dataPageForm{entries: map[string]*widget.Entry{}, errs: map[string]*widget.Label{}}
	// Two columns (the document, then the holder), so that the form with a
	// mistake under every field still fits 768 pixels in every language.
	cols := []*fyne.Container{container.New(layout.NewFormLayout()), container.New(layout.NewFormLayout())}
	for i, fd := range dataPageFields {
		rows := cols[0]
		if i >= 5 {
			rows = cols[1]
		}
		e := widget.NewEntry()
		if fd.hint != "" {
			hint := fd.hint
			if u.cat.Has("en", hint) {
				hint = u.t(hint)
			}
			e.SetPlaceHolder(hint)
		}
		e.OnSubmitted = func(string) { u.submitDataPage() }
		e.OnChanged = func(string) { u.touch() }
		bad := widget.NewLabel("")
		bad.Importance = widget.DangerImportance
		bad.Wrapping = fyne.TextWrapWord
		bad.Hide()
		f.entries[fd.field], f.errs[fd.field] = e, bad
		f.order = append(f.order, e)
		rows.Add(widget.NewLabelWithStyle(u.t(fd.key), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		rows.Add(container.NewVBox(e, bad))
	}
	if cur := u.booth.Current(); cur != nil {
		d := cur.Document
		f.fill(app.DataPage{DocumentCode: d.DocumentCode, IssuingState: d.IssuingState, Number: d.Number, Surname: d.Surname,
			GivenNames: d.GivenNames, BirthDate: d.BirthDate, Nationality: d.Nationality, Sex: d.Sex, Expiry: d.Expiry})
	}
	p := &prompt{name: PromptDataPage, entry: f.order[0], page: f}
	yes := widget.NewButton(u.t("page.present")+" (Enter)", u.submitDataPage)
	yes.Importance = widget.HighImportance
	no := widget.NewButton(u.t("prompt.back"), u.DismissPrompt)
	head := widget.NewLabelWithStyle(u.t("page.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	fields := container.NewGridWithColumns(2, container.NewVBox(cols[0]), container.NewVBox(cols[1]))
	f.content = fields
	content := container.NewVBox(head, wrapped(u.t("page.body")), widget.NewSeparator(), fields, container.NewHBox(layout.NewSpacer(), no, yes))
	p.pop = widget.NewModalPopUp(container.NewPadded(content), u.win.Canvas())
	p.pop.Resize(fyne.NewSize(dataPageWidth, content.MinSize().Height+16))
	u.prompt = p
	p.pop.Show()
	u.focus(f.order[0])
}

// TypeDataPage fills the open data page form with p and presents it, as the
// officer's Enter does (tests and the demo automation). False when the form
// is not open.
func (u *UI) TypeDataPage(p app.DataPage) bool {
	if u.prompt == nil || u.prompt.page == nil {
		return false
	}
	u.prompt.page.fill(p)
	u.submitDataPage()
	return true
}

// DataPageProblems returns the mistakes the open form shows, by field.
func (u *UI) DataPageProblems() map[string]string {
	if u.prompt == nil || u.prompt.page == nil {
		return nil
	}
	out := map[string]string{}
	for field, l := range u.prompt.page.errs {
		if l.Visible() {
			out[field] = l.Text
		}
	}
	return out
}

// submitDataPage checks the form (the booth's rules, at once, no disk) and,
// when nothing is wrong, closes it and presents the page like any read: a
// read still on screen is first set aside, as for any new read.
func (u *UI) submitDataPage() {
	p := u.prompt
	if p == nil || p.page == nil {
		return
	}
	f := p.page
	_, probs := u.booth.CheckDataPage(f.page())
	for _, l := range f.errs {
		l.Hide()
	}
	if len(probs) > 0 {
		for _, pr := range probs {
			l := f.errs[pr.Field]
			if l == nil {
				continue
			}
			l.SetText(u.t(pr.Code))
			l.Show()
		}
		f.content.Refresh()
		p.pop.Resize(fyne.NewSize(dataPageWidth, p.pop.Content.MinSize().Height))
		p.pop.Refresh()
		u.focus(f.entries[probs[0].Field])
		return
	}
	page := f.page()
	u.DismissPrompt()
	ev := app.ReaderEvent{Kind: app.ReaderDocument, Source: app.FromDataPage, Page: &page, At: time.Now()}
	u.background(func() func() { return u.present(ev) })
}
