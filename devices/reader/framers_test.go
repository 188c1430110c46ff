package reader_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/reader"
)

// protocols are the framers every protocol-wide test runs against. DESKO's SOD and
// EOD are configuration (their values are not public); two bytes each here so the
// multi-byte matching is exercised.
func protocols() []reader.Protocol {
	return []reader.Protocol{
		{Name: reader.ProtocolLines},
		{Name: reader.ProtocolLines, Lines: reader.LinesOptions{End: "crlf"}},
		{Name: reader.ProtocolThreeM},
		{Name: reader.ProtocolThreeM, ThreeM: reader.ThreeMOptions{LengthWidth: 2, BCCFrom: "data"}},
		{Name: reader.ProtocolDesko, Desko: reader.DeskoOptions{SOD: []byte{0x1b, 0x31}, EOD: []byte{0x1b, 0x32}}},
		{Name: reader.ProtocolElyctis},
	}
}

func label(p reader.Protocol) string {
	switch {
	case p.Lines.End != "":
		return p.Name + "-" + p.Lines.End
	case p.ThreeM.LengthWidth == 2:
		return p.Name + "-wide"
	}
	return p.Name
}

// specimens returns the documents app/mrz is tested with: the ICAO Doc 9303
// specimen MRZs (TD1, TD2, MRV-B, TD3, MRV-A, TD1 with a long document number)
// and a French identity card sample.
func specimens(tb testing.TB) [][]string {
	tb.Helper()
	f, err := os.Open("testdata/specimens.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	docs, err := reader.ReadDocuments(f)
	if err != nil {
		tb.Fatal(err)
	}
	if len(docs) != 7 {
		tb.Fatalf("specimens: %d documents, want 7", len(docs))
	}
	return docs
}

func encode(tb testing.TB, p reader.Protocol, lines []string) []byte {
	tb.Helper()
	b, err := p.Encode(lines)
	if err != nil {
		tb.Fatalf("%s: Encode(%q): %v", p.Name, lines, err)
	}
	return b
}

// decode feeds the chunks one by one and, if silence is set, ends with a pause.
func decode(p reader.Protocol, silence bool, chunks ...[]byte) []reader.Frame {
	d := p.NewDecoder()
	var out []reader.Frame
	for _, c := range chunks {
		out = append(out, d.Feed(c)...)
	}
	if silence {
		out = append(out, d.Silence()...)
	}
	return out
}

func documents(frames []reader.Frame) [][]string {
	var docs [][]string
	for _, f := range frames {
		if f.Err == nil {
			docs = append(docs, f.Lines)
		}
	}
	return docs
}

func errs(frames []reader.Frame) []error {
	var es []error
	for _, f := range frames {
		if f.Err != nil {
			es = append(es, f.Err)
		}
	}
	return es
}

func TestRoundTripSpecimens(t *testing.T) {
	for _, p := range protocols() {
		for _, doc := range specimens(t) {
			t.Run(fmt.Sprintf("%s/%d×%d-%s", label(p), len(doc), len(doc[0]), doc[0][:5]), func(t *testing.T) {
				frame := encode(t, p, doc)
				whole := decode(p, false, frame)
				var bytewise [][]byte
				for i := range frame {
					bytewise = append(bytewise, frame[i:i+1])
				}
				for name, got := range map[string][]reader.Frame{"whole": whole, "byte by byte": decode(p, false, bytewise...)} {
					if len(got) != 1 || got[0].Err != nil {
						t.Fatalf("%s: frames %+v, want one document", name, got)
					}
					if !slices.Equal(got[0].Lines, doc) {
						t.Errorf("%s: lines %q, want %q", name, got[0].Lines, doc)
					}
					if p.Name != reader.ProtocolLines && !bytes.Equal(got[0].Raw, frame) {
						t.Errorf("%s: raw %q, want the frame %q", name, got[0].Raw, frame)
					}
				}
				if again := encode(t, p, whole[0].Lines); !bytes.Equal(again, frame) {
					t.Errorf("re-encoded %q, want %q", again, frame)
				}
			})
		}
	}
}

// The frames on the wire, written out by hand from the protocol descriptions and
// the definitions docs/readers.md settles (length, BCC, padding, alignment).
func TestEncodeLayout(t *testing.T) {
	td3 := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}
	short := []string{"ABC", "DEF"}
	threeMData := "\r" + "ABC" + string(bytes.Repeat([]byte("_"), 27)) + "\r" + "DEF" + string(bytes.Repeat([]byte("_"), 27)) + "\r"
	threeM := append([]byte{0x01, byte(5 + len(threeMData)), 'O', 'U', 0x02, '0'}, threeMData...)
	threeM = append(threeM, 0x03)
	var bcc byte
	for _, c := range threeM[1:] {
		bcc ^= c
	}
	threeM = append(threeM, bcc)
	tests := []struct {
		name  string
		p     reader.Protocol
		lines []string
		want  []byte
	}{
		{"lines cr", reader.Protocol{Name: reader.ProtocolLines}, short, []byte("ABC\rDEF\r\r")},
		{"lines lf", reader.Protocol{Name: reader.ProtocolLines, Lines: reader.LinesOptions{End: "lf"}}, short, []byte("ABC\nDEF\n\n")},
		{"lines crlf", reader.Protocol{Name: reader.ProtocolLines, Lines: reader.LinesOptions{End: "crlf"}}, short, []byte("ABC\r\nDEF\r\n\r\n")},
		{"3m padded, bottom-aligned", reader.Protocol{Name: reader.ProtocolThreeM}, short, threeM},
		{"desko", reader.Protocol{Name: reader.ProtocolDesko, Desko: reader.DeskoOptions{SOD: []byte{0x1c}, EOD: []byte{0x1d}}}, short,
			[]byte("\x1c\x02ABC\rDEF\r\x03\x1d")},
		{"elyctis", reader.Protocol{Name: reader.ProtocolElyctis}, td3,
			append([]byte{0x49, 0x00, 90}, []byte(td3[0]+"\r"+td3[1]+"\r")...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.p.Encode(tt.lines)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDecodeFaults(t *testing.T) {
	td3 := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}
	td1 := []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}
	threeM := reader.Protocol{Name: reader.ProtocolThreeM}
	desko := reader.Protocol{Name: reader.ProtocolDesko, Desko: reader.DeskoOptions{SOD: []byte{0x1c}, EOD: []byte{0x1d}}}
	elyctis := reader.Protocol{Name: reader.ProtocolElyctis}
	lines := reader.Protocol{Name: reader.ProtocolLines}
	enc := func(p reader.Protocol, l []string) []byte { return encode(t, p, l) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	badBCC := enc(threeM, td3)
	badBCC[len(badBCC)-1] ^= 0x55
	garbage := []byte{0x00, 0xff, 0x01, 0x07, 'O', 0x02, 0x49, 0x1c, 0x43, 0x10}

	tests := []struct {
		name     string
		p        reader.Protocol
		silence  bool
		chunks   [][]byte
		wantDocs [][]string
		wantErrs []error
	}{
		{"3m bad BCC", threeM, false, [][]byte{badBCC}, nil, []error{reader.ErrChecksum}},
		{"3m bad BCC then good", threeM, false, [][]byte{badBCC, enc(threeM, td1)}, [][]string{td1}, []error{reader.ErrChecksum}},
		{"3m torn by silence", threeM, true, [][]byte{enc(threeM, td3)[:40]}, nil, []error{reader.ErrTorn}},
		{"3m garbage between frames", threeM, false, [][]byte{cat(garbage, enc(threeM, td3), garbage, enc(threeM, td1))}, [][]string{td3, td1}, []error{reader.ErrNoise, reader.ErrNoise}},
		{"3m truncated frame then a frame, no pause", threeM, true, [][]byte{cat(enc(threeM, td3)[:50], enc(threeM, td1))}, [][]string{td1}, []error{reader.ErrNoise}},
		{"3m stray SOH", threeM, false, [][]byte{{0x01}, enc(threeM, td1)}, [][]string{td1}, []error{reader.ErrNoise}},
		{"3m control byte in data", threeM, true, [][]byte{bytes.Replace(enc(threeM, td1), []byte("ERIK"), []byte("E\x00IK"), 1)}, nil, []error{reader.ErrNoise}},
		{"3m empty slots only", threeM, false, [][]byte{enc(threeM, []string{"", "", ""})}, nil, []error{reader.ErrEmpty}},
		{"desko torn", desko, true, [][]byte{enc(desko, td3)[:60]}, nil, []error{reader.ErrTorn}},
		{"desko garbage", desko, false, [][]byte{cat(garbage, enc(desko, td1), garbage, enc(desko, td3))}, [][]string{td1, td3}, []error{reader.ErrNoise, reader.ErrNoise}},
		{"desko without EOD", desko, false, [][]byte{cat(enc(desko, td3)[:len(enc(desko, td3))-1], []byte("x"), enc(desko, td1))}, [][]string{td1}, []error{reader.ErrMalformed, reader.ErrNoise}},
		{"desko oversize", desko, true, [][]byte{cat([]byte{0x1c, 0x02}, bytes.Repeat([]byte("A"), 1100))}, nil, []error{reader.ErrOversize, reader.ErrNoise}},
		{"desko read failed, empty data", desko, false, [][]byte{[]byte("\x1c\x02\x03\x1d")}, nil, []error{reader.ErrEmpty}},
		{"elyctis ack and empty inquire answer are silent", elyctis, true, [][]byte{{0x43, 0x00, 0x01, 0x01}, {0x49, 0x00, 0x00}, enc(elyctis, td3)}, [][]string{td3}, nil},
		{"elyctis MRZ without line ends", elyctis, false, [][]byte{cat([]byte{0x49, 0x00, 88}, []byte(td3[0]+td3[1]))}, [][]string{td3}, nil},
		{"elyctis torn", elyctis, true, [][]byte{enc(elyctis, td1)[:20]}, nil, []error{reader.ErrTorn}},
		{"elyctis garbage with command bytes", elyctis, false, [][]byte{cat(garbage, enc(elyctis, td1))}, [][]string{td1}, []error{reader.ErrNoise}},
		{"elyctis truncated then a frame", elyctis, true, [][]byte{cat(enc(elyctis, td3)[:30], enc(elyctis, td1))}, [][]string{td1}, []error{reader.ErrNoise}},
		{"lines ended by a pause", lines, true, [][]byte{[]byte(td3[0] + "\r\n" + td3[1] + "\r\n")}, [][]string{td3}, nil},
		{"lines LF, blank line", lines, false, [][]byte{[]byte(td1[0] + "\n" + td1[1] + "\n" + td1[2] + "\n\n")}, [][]string{td1}, nil},
		{"lines padding stripped", lines, false, [][]byte{[]byte("  " + td3[0] + "\t\r" + td3[1] + "  \r\r")}, [][]string{td3}, nil},
		{"lines torn line", lines, true, [][]byte{[]byte(td3[0] + "\r" + td3[1][:20])}, nil, []error{reader.ErrTorn}},
		{"lines garbage line", lines, false, [][]byte{[]byte("\x00\xff\x07\r\r"), enc(lines, td1)}, [][]string{td1}, []error{reader.ErrMalformed}},
		{"lines blank lines between documents", lines, false, [][]byte{[]byte("\r\n\r\n"), enc(lines, td1), []byte("\r\r"), enc(lines, td3)}, [][]string{td1, td3}, nil},
		{"lines oversize", lines, true, [][]byte{bytes.Repeat([]byte("A<"), 1100)}, nil, []error{reader.ErrOversize, reader.ErrTorn}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frames := decode(tt.p, tt.silence, tt.chunks...)
			if got := documents(frames); !slices.EqualFunc(got, tt.wantDocs, slices.Equal) {
				t.Errorf("documents %q, want %q", got, tt.wantDocs)
			}
			got := errs(frames)
			if len(got) != len(tt.wantErrs) {
				t.Fatalf("errors %v, want %v", got, tt.wantErrs)
			}
			for i := range got {
				if !errors.Is(got[i], tt.wantErrs[i]) {
					t.Errorf("error %d: %v, want %v", i, got[i], tt.wantErrs[i])
				}
			}
		})
	}
}

func TestEncodeRejects(t *testing.T) {
	tests := []struct {
		name  string
		p     reader.Protocol
		lines []string
	}{
		{"CR inside a line", reader.Protocol{Name: reader.ProtocolThreeM}, []string{"AB\rC"}},
		{"non-ASCII", reader.Protocol{Name: reader.ProtocolElyctis}, []string{"ÄB"}},
		{"3m too long for a 1-byte length", reader.Protocol{Name: reader.ProtocolThreeM}, []string{string(bytes.Repeat([]byte("A"), 300))}},
		{"desko over 1024 bytes", reader.Protocol{Name: reader.ProtocolDesko, MaxFrame: 4096, Desko: reader.DeskoOptions{SOD: []byte{1}, EOD: []byte{4}}}, []string{string(bytes.Repeat([]byte("A"), 1100))}},
		{"empty text line", reader.Protocol{Name: reader.ProtocolLines}, []string{"ABC", " "}},
		{"desko without SOD", reader.Protocol{Name: reader.ProtocolDesko}, []string{"ABC"}},
		{"unknown protocol", reader.Protocol{Name: "honeywell"}, []string{"ABC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.p.Encode(tt.lines)
			if got, want := app.ErrorCode(err), app.EINVALID; got != want {
				t.Errorf("Encode: %v (code %q), want code %q", err, got, want)
			}
		})
	}
}

func TestArm(t *testing.T) {
	if got, want := (reader.Protocol{Name: reader.ProtocolElyctis}).Arm(), []byte{0x43, 0x00, 0x01, 0x01}; !bytes.Equal(got, want) {
		t.Errorf("elyctis Arm = % x, want % x", got, want)
	}
	if got, want := (reader.Protocol{Name: reader.ProtocolElyctis}).Inquire(), []byte{0x49, 0x00, 0x00}; !bytes.Equal(got, want) {
		t.Errorf("elyctis Inquire = % x, want % x", got, want)
	}
	if got := (reader.Protocol{Name: reader.ProtocolThreeM}).Arm(); got != nil {
		t.Errorf("3m Arm = % x, want nothing", got)
	}
}

func TestTyped(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	td3 := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}
	tests := []struct {
		name      string
		text      string
		wantKind  app.ReaderEventKind
		wantLines []string
	}{
		{"two lines, no final Enter", td3[0] + "\n" + td3[1], app.ReaderDocument, td3},
		{"wedge with CR LF and padding", "  " + td3[0] + "\r\n" + td3[1] + "___\r\n", app.ReaderDocument, td3},
		{"blank lines around", "\n\n" + td3[0] + "\n\n" + td3[1] + "\n\n", app.ReaderDocument, td3},
		{"lowercase is kept for app/mrz to judge", "p<uto\n", app.ReaderDocument, []string{"p<uto"}},
		{"nothing", " \n\t\n", app.ReaderError, nil},
		{"control character", td3[0] + "\x1b\n", app.ReaderError, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := reader.Typed(tt.text, at)
			if ev.Kind != tt.wantKind || !slices.Equal(ev.Lines, tt.wantLines) || !ev.At.Equal(at) {
				t.Errorf("Typed = %+v, want kind %s lines %q", ev, tt.wantKind, tt.wantLines)
			}
			if ev.Kind == app.ReaderError && ev.Message == "" {
				t.Error("error event without a message")
			}
		})
	}
}

// fuzzDecoder checks a decoder on arbitrary bytes, fed in two pieces: no panic,
// every frame's bytes come from the input in order, and every document survives a
// re-encoding: its lines encode to a frame that decodes to the same lines and that
// re-encodes to itself byte for byte.
func fuzzDecoder(f *testing.F, p reader.Protocol) {
	for _, doc := range specimens(f) {
		b := encode(f, p, doc)
		f.Add(b, 7)
		f.Add(append(append([]byte{0x00, 0x01, 0x1c, 0x49}, b...), b[:len(b)/2]...), 3)
	}
	f.Add([]byte{}, 0)
	f.Fuzz(func(t *testing.T, data []byte, cut int) {
		if cut < 0 || cut > len(data) {
			cut = len(data) / 2
		}
		frames := decode(p, true, data[:cut], data[cut:])
		rest := data
		for _, fr := range frames {
			i := bytes.Index(rest, fr.Raw)
			if i < 0 {
				t.Fatalf("frame bytes %q not found in the input after the previous frame", fr.Raw)
			}
			rest = rest[i+len(fr.Raw):]
			if fr.Err != nil {
				if fr.Lines != nil {
					t.Fatalf("error frame with lines: %+v", fr)
				}
				continue
			}
			if len(fr.Lines) == 0 {
				t.Fatalf("document without lines: %+v", fr)
			}
			frame, err := p.Encode(fr.Lines)
			if err != nil {
				t.Fatalf("decoded lines %q do not encode: %v", fr.Lines, err)
			}
			again := decode(p, true, frame)
			if len(again) != 1 || !slices.Equal(again[0].Lines, fr.Lines) || !bytes.Equal(again[0].Raw, frame) {
				t.Fatalf("lines %q: frame %q decodes to %+v", fr.Lines, frame, again)
			}
			if twice, _ := p.Encode(again[0].Lines); !bytes.Equal(twice, frame) {
				t.Fatalf("re-encoding is not stable: %q then %q", frame, twice)
			}
		}
	})
}

func FuzzDecodeLines(f *testing.F)  { fuzzDecoder(f, reader.Protocol{Name: reader.ProtocolLines}) }
func FuzzDecodeThreeM(f *testing.F) { fuzzDecoder(f, reader.Protocol{Name: reader.ProtocolThreeM}) }
func FuzzDecodeDesko(f *testing.F) {
	fuzzDecoder(f, reader.Protocol{Name: reader.ProtocolDesko, Desko: reader.DeskoOptions{SOD: []byte{0x1c}, EOD: []byte{0x1d}}})
}
func FuzzDecodeElyctis(f *testing.F) { fuzzDecoder(f, reader.Protocol{Name: reader.ProtocolElyctis}) }
