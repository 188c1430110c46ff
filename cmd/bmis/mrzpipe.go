package main

import (
	"bufio"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chekara/chekara/app/mrz"
)

// mrzDoc is one document as read: its first mrzMaxLines lines, whether each
// was cut at mrzMaxLineBytes, and how many lines it really had.
type mrzDoc struct {
	lines []string
	cut   []bool
	total int
}

// answer parses d and appends its JSON object and a newline to buf.
func (d mrzDoc) answer(buf []byte, today time.Time) []byte {
	res := mrz.Parse(d.lines, today)
	for i, p := range res.Errors {
		switch {
		case p.Code == mrz.CodeLineCount && d.total > len(d.lines):
			res.Errors[i].Message = fmt.Sprintf("The MRZ has %d lines (only the first %d were checked); an MRZ has 2 or 3 lines.", d.total, len(d.lines))
		case p.Code == mrz.CodeLineLength && p.Line <= len(d.cut) && d.cut[p.Line-1]:
			res.Errors[i].Message = fmt.Sprintf("Line %d has more than %d characters (only those were checked); an MRZ line has 30, 36 or 44.", p.Line, mrzMaxLineBytes)
		}
	}
	// The hand-written encoder writes the bytes json.Encoder did (app/mrz's
	// TestAppendJSONIsMarshalJSON) in a third of the time.
	return append(res.AppendJSON(buf), '\n')
}

// mrzBatch is a run of documents answered together by one worker.
type mrzBatch struct {
	docs  []mrzDoc
	out   []byte
	flush bool          // write out at once: the reader may wait next
	done  chan struct{} // closed when out is ready
}

// mrzPipeline answers documents on every core and writes the answers in the
// order the documents came: the reader fills batches, workers parse and
// encode them, and one writer waits for each batch in turn. Parsing is 1 µs
// a document and writing its JSON 3 µs, so one core is the limit without it.
type mrzPipeline struct {
	today   time.Time
	out     *bufio.Writer
	cur     *mrzBatch
	work    chan *mrzBatch
	order   chan *mrzBatch
	workers sync.WaitGroup
	writer  chan error // the writer's first error, once it ends
	failed  atomic.Pointer[error]
	closed  bool
	werr    error
}

// mrzBatchDocs is how many documents make a batch: enough that handing one
// over costs little against answering it, few enough to keep both cores busy
// on short inputs.
const mrzBatchDocs = 256

func newMRZPipeline(today time.Time, out *bufio.Writer) *mrzPipeline {
	n := runtime.GOMAXPROCS(0)
	p := &mrzPipeline{today: today, out: out, work: make(chan *mrzBatch, 2*n), order: make(chan *mrzBatch, 4*n),
		writer: make(chan error, 1)}
	for range n {
		p.workers.Add(1)
		go func() {
			defer p.workers.Done()
			for b := range p.work {
				for _, d := range b.docs {
					b.out = d.answer(b.out, p.today)
				}
				close(b.done)
			}
		}()
	}
	go func() {
		var err error
		for b := range p.order {
			<-b.done
			if err == nil {
				_, err = p.out.Write(b.out)
			}
			if err == nil && b.flush {
				err = p.out.Flush()
			}
			if err != nil && p.failed.Load() == nil {
				p.failed.Store(&err)
			}
		}
		p.writer <- err
	}()
	return p
}

// add queues d; with flush, the batch goes to the workers now and is
// written out as soon as it and those before it are answered. It returns the
// error of a write that failed (a closed pipe), so the reader stops.
func (p *mrzPipeline) add(d mrzDoc, flush bool) error {
	if p.cur == nil {
		p.cur = &mrzBatch{docs: make([]mrzDoc, 0, mrzBatchDocs), done: make(chan struct{})}
	}
	p.cur.docs = append(p.cur.docs, d)
	if flush || len(p.cur.docs) == mrzBatchDocs {
		p.cur.flush = flush
		p.order <- p.cur
		p.work <- p.cur
		p.cur = nil
	}
	if err := p.failed.Load(); err != nil {
		return *err
	}
	return nil
}

// close sends the last batch, waits until everything is written to the
// bufio.Writer (not flushed), and returns the writer's error.
func (p *mrzPipeline) close() error {
	if p.closed {
		return p.werr
	}
	p.closed = true
	if p.cur != nil && len(p.cur.docs) > 0 {
		p.order <- p.cur
		p.work <- p.cur
		p.cur = nil
	}
	close(p.work)
	close(p.order)
	p.workers.Wait()
	p.werr = <-p.writer
	return p.werr
}
