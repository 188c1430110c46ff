package chip

// Internals the known-answer tests check against the standards' worked examples.
var (
	CMAC      = cmac
	RetailMAC = retailMAC
	Pad       = pad
)
