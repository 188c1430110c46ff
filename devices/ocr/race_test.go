//go:build race

package ocr_test

// Under the race detector the pixel loops run 5–10× slower; the class tests then
// read one format per class (the full matrix runs without -race).
const raceEnabled = true
