package app

import "time"

// Version is the version of a data set the booth works from (lists, rules).
type Version struct {
	Name string    // "" when unknown
	At   time.Time // when it was published; zero when unknown
	// Until is when HQ's signed word that this is its latest version runs
	// out, unless renewed (HQ renews it at every pull); zero when unknown.
	Until time.Time
}

// SyncState is the booth's link to HQ as the status bar shows it.
type SyncState struct {
	Enrolled    bool          // the booth has an enrolment bundle; false: working alone
	Connected   bool          // the last attempt reached HQ
	LastSync    time.Time     // last successful exchange; zero when never
	LastAttempt time.Time     // last exchange tried, whatever came of it; zero when never
	LastError   string        // the last fault in English (logs, bmis), "" when fine
	Problem     *Error        // the same for the officer (Key, Args); nil when fine
	Pending     int           // records waiting to upload; -1 when unknown
	ClockKnown  bool          // HQ's clock has been seen
	ClockOffset time.Duration // HQ's clock minus the booth's
	Lists       Version
	Rules       Version
	Officers    Version // HQ's officer directory for this post; Name "" before the first
}

// SyncStatus reports the HQ link. The sync package implements it.
type SyncStatus interface {
	SyncState() SyncState
}
