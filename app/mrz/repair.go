package mrz

// upperSuggestion offers the upper-cased reading of lowercase input (policy 2).
func upperSuggestion(lines []string, today day) []Suggestion { return nil }

// repairs searches OCR confusions proven by field types and check digits.
func repairs(lay *layout, lines []string, today day) []Suggestion { return nil }
