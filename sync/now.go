package sync

import (
	"context"
	"time"

	"github.com/chekara/chekara/app"
)

// SyncNow runs a whole round at once, whatever the loop's timers say: upload
// everything pending, then pull every dataset (the directory first). It is
// the administration screen's "sync now"; the loop may run beside it (an
// upload or a pull in flight is waited for, never doubled). It returns the
// first fault; the status records it as the loop's rounds do.
func (l *Link) SyncNow(ctx context.Context) error {
	l.init()
	ctx, cancel := context.WithTimeout(ctx, orDefault(l.RoundTimeout, 15*time.Minute))
	defer cancel()
	_, uerr := l.Upload(ctx)
	if uerr != nil && (l.Batches == nil || app.ErrorCode(uerr) == app.EUNAVAILABLE || ctx.Err() != nil) {
		return uerr // no link: pulling would only wait for the same timeout
	}
	perr := l.Pull(ctx)
	if uerr != nil {
		if perr == nil {
			l.note(uerr, true) // the upload's fault stays on the status
		}
		return uerr
	}
	return perr
}
