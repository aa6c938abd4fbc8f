package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gr_log_take
#cgo noescape gr_log_take
#cgo nocallback gr_diag_new
#cgo noescape gr_diag_new
#cgo nocallback gr_diag_free
#cgo noescape gr_diag_free
*/
import "C"

import (
	"strconv"
	"sync/atomic"
	"unsafe"
)

// LogLevel is the severity of a log line (gpureg_log_level).
type LogLevel int32

const (
	LogError   LogLevel = C.GPUREG_LOG_ERROR // a call failed: bad input or a driver error
	LogWarning LogLevel = C.GPUREG_LOG_WARNING
	LogInfo    LogLevel = C.GPUREG_LOG_INFO
)

func (l LogLevel) String() string {
	switch l {
	case LogError:
		return "error"
	case LogWarning:
		return "warning"
	case LogInfo:
		return "info"
	}
	return "LogLevel(" + strconv.Itoa(int(l)) + ")"
}

// LogFunc receives gpureg's diagnostic lines (Options.Log): one line per failed call, naming
// the C function and the reason ("gpureg_texture_create: texture size 0x4 outside 1..65536"),
// and warnings such as a shutdown that timed out. err is the failure's code as a [Result]
// (errors.Is works against the Err* sentinels), or nil for a line that reports no failed call.
//
// C never calls Go: the C library writes each line into a bounded ring of C memory that the
// Registry owns (32 lines; when it is full the oldest line is dropped and counted, and the next
// delivery starts with a warning saying how many were lost). The Go side moves the lines out
// and calls the hook, in order, on the goroutine whose call moved them: after any call that
// failed (before it returns its error), after NewNull/NewGL/NewVulkan (also when they fail),
// after creates, adopts, BeginFrame, EndFrame and Collect when lines are queued, and in Close.
// So a failing call delivers its own line before it returns, on its own goroutine. Calls on several goroutines may
// each deliver lines, concurrently: the hook must then be safe for concurrent use. It may call
// the registry (no lock is held while it runs).
type LogFunc func(level LogLevel, err error, message string)

// logLine is one line copied out of the C ring.
type logLine struct {
	level  LogLevel
	result Result
	text   string
}

// newDiag allocates the C diagnostics (log ring, shutdown report buffer) of a registry about to
// be created; nil when out of memory.
func newDiag() *C.gr_diag { return C.gr_diag_new() }

// drain moves the queued log lines out of the C ring and calls the hook with each, in order.
// It answers the first line whose result is code (the reason of the failure being returned; ""
// for code 0 or when no such line was queued): where a backend says why and the core then wraps
// it ("could not create the object"), the first line is the reason. Any goroutine.
func (r *Registry) drain(code Result) string {
	r.drainMu.Lock()
	d := r.diag
	if d == nil || atomic.LoadUint32((*uint32)(unsafe.Pointer(&d.pending))) == 0 {
		r.drainMu.Unlock()
		return ""
	}
	took := C.gr_log_take(d)
	lines := make([]logLine, 0, int(took.count)+1)
	if took.dropped > 0 {
		lines = append(lines, logLine{level: LogWarning, text: "gpureg: " +
			strconv.FormatUint(uint64(took.dropped), 10) + " log line(s) dropped: the ring holds " +
			strconv.Itoa(int(C.GR_LOG_LINES)) + " lines between deliveries"})
	}
	for i := range unsafe.Slice(&d.taken[0], int(took.count)) {
		l := &d.taken[i] // C memory
		lines = append(lines, logLine{level: LogLevel(l.level), result: Result(l.result), text: C.GoString(&l.text[0])})
	}
	r.drainMu.Unlock()

	detail := ""
	for _, l := range lines {
		if code != 0 && l.result == code && detail == "" {
			detail = l.text
		}
		if r.log != nil {
			var err error
			if l.result != 0 {
				err = l.result
			}
			r.log(l.level, err, l.text)
		}
	}
	return detail
}

// drainOwner is drain(0) for the owner thread's successful calls: one atomic load of C memory
// when nothing is queued, no crossing. (Close, which frees the ring, runs on the owner thread
// too, so the ring cannot go away under it.)
func (r *Registry) drainOwner() {
	if d := r.diag; d != nil && atomic.LoadUint32((*uint32)(unsafe.Pointer(&d.pending))) != 0 {
		r.drain(0)
	}
}

// freeDiag frees the C diagnostics after the registry was destroyed (or its create failed).
func (r *Registry) freeDiag() {
	r.drainMu.Lock()
	C.gr_diag_free(r.diag)
	r.diag = nil
	r.drainMu.Unlock()
}

// check turns a failed owner-thread call into an *Error carrying the line gpureg logged for it
// (Error.Detail), after delivering the queued lines to the hook.
func (r *Registry) check(op string, code C.int32_t) error {
	if code == 0 {
		return nil
	}
	return r.fail(op, Result(code))
}

func (r *Registry) fail(op string, code Result) error {
	e := &Error{Op: op, Code: code}
	e.Detail = r.drain(code)
	return e
}

// checkAny is check for the calls any goroutine may make (retain, release, resolve, queries):
// the queued lines go to the hook, but the error carries none of them, since under concurrent
// failing calls the last line of the same code may be another goroutine's.
func (r *Registry) checkAny(op string, code C.int32_t) error {
	if code == 0 {
		return nil
	}
	r.drain(0)
	return &Error{Op: op, Code: Result(code)}
}
