package store

import (
	"context"
	"fmt"
	"strings"
)

// Replication is what PostgreSQL says about where a commit is safe before HQ
// acknowledges it: HQ loses nothing it acknowledged when its machine is lost only if
// every commit waits for a synchronous standby (docs/install-hq.md, "A standby").
type Replication struct {
	SynchronousCommit string    // on, remote_apply, remote_write, local or off
	StandbyNames      string    // synchronous_standby_names
	Standbys          []Standby // attached now
}

// Standby is one server streaming from the primary.
type Standby struct {
	Name       string  // its application_name
	SyncState  string  // sync, quorum, potential or async
	ReplayLagS float64 // seconds its replay is behind, as the primary last heard
}

// Replication reads the primary's settings and its standbys.
func (s *Postgres) Replication(ctx context.Context) (Replication, error) {
	var r Replication
	err := s.pool.QueryRow(ctx, `SELECT current_setting('synchronous_commit'), current_setting('synchronous_standby_names')`).
		Scan(&r.SynchronousCommit, &r.StandbyNames)
	if err != nil {
		return r, wrap(err, "read replication settings")
	}
	rows, err := s.pool.Query(ctx, `SELECT application_name, sync_state,
		coalesce(extract(epoch FROM replay_lag), 0)::float8 FROM pg_stat_replication ORDER BY application_name`)
	if err != nil {
		return r, wrap(err, "read standbys")
	}
	defer rows.Close()
	for rows.Next() {
		var sb Standby
		if err := rows.Scan(&sb.Name, &sb.SyncState, &sb.ReplayLagS); err != nil {
			return r, wrap(err, "read standbys")
		}
		r.Standbys = append(r.Standbys, sb)
	}
	return r, wrap(rows.Err(), "read standbys")
}

// Configured says, in words, why a commit on this server is not yet safe on a
// standby by configuration alone; nil when every commit waits for one.
func (r Replication) Configured() error {
	switch {
	case strings.TrimSpace(r.StandbyNames) == "":
		return fmt.Errorf("PostgreSQL has no synchronous standby (synchronous_standby_names is empty): a commit is safe on this machine only")
	case r.SynchronousCommit != "on" && r.SynchronousCommit != "remote_apply" && r.SynchronousCommit != "remote_write":
		return fmt.Errorf("PostgreSQL commits without waiting for its standby (synchronous_commit = %s)", r.SynchronousCommit)
	}
	return nil
}

// Attached says whether a synchronous standby is streaming now; without one every
// commit waits, and so does every booth's batch.
func (r Replication) Attached() bool {
	for _, sb := range r.Standbys {
		if sb.SyncState == "sync" || sb.SyncState == "quorum" {
			return true
		}
	}
	return false
}

func (r Replication) String() string {
	var parts []string
	for _, sb := range r.Standbys {
		parts = append(parts, fmt.Sprintf("%s (%s, replay %.1f s behind)", sb.Name, sb.SyncState, sb.ReplayLagS))
	}
	if len(parts) == 0 {
		return "no standby attached"
	}
	return strings.Join(parts, ", ")
}
