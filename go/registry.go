package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gr_null_create
#cgo noescape gr_null_create
#cgo nocallback gpureg_destroy
#cgo noescape gpureg_destroy
#cgo nocallback gpureg_backend_name
#cgo noescape gpureg_backend_name
#cgo nocallback gpureg_null_signal
#cgo noescape gpureg_null_signal
#cgo nocallback gpureg_null_lose_device
#cgo noescape gpureg_null_lose_device
#cgo nocallback gpureg_release_from_gc
#cgo noescape gpureg_release_from_gc
#cgo nocallback gpureg_staging_free
#cgo noescape gpureg_staging_free
*/
import "C"

import (
	"errors"
	"io"
	"os"
	"sync"
	"unsafe"
)

// ReportFormat selects a report's format (gpureg_report_format).
type ReportFormat uint32

const (
	ReportDefault ReportFormat = C.GPUREG_REPORT_DEFAULT // text (Report); see Options.LeakReport
	ReportText    ReportFormat = C.GPUREG_REPORT_TEXT
	ReportJSON    ReportFormat = C.GPUREG_REPORT_JSON
	ReportOff     ReportFormat = C.GPUREG_REPORT_OFF
)

// Options of a registry. The zero value gives the C library's documented defaults, except
// that nothing is printed: leaks come back from Close as a *LeakError.
type Options struct {
	FramesInFlight    uint32 // frames the CPU may record ahead of the GPU; 0 = 2, max 16
	MessageCapacity   uint32 // debug message ring; 0 = 256, max 65536
	ShutdownTimeoutMS uint32 // bound on Close's wait for fences; 0 = 5000

	// LeakReport is the format of the report Close writes when objects leaked (a clean Close
	// writes nothing): to LeakReportWriter, or to stderr when that is nil. Default: ReportOff
	// without a LeakReportWriter, ReportText with one. Close returns a *LeakError naming the
	// leaks whatever the format. GPUREG_LEAK_REPORT=text|json|off in the environment overrides
	// it (the C library reads it during Close).
	LeakReport ReportFormat
	// LeakReportWriter receives that report. The C library writes it into C memory during
	// Close and Close copies it here afterwards: C never calls Go.
	LeakReportWriter io.Writer

	// Log receives gpureg's diagnostic lines: why a call failed, warnings. nil: they are
	// dropped (a failed call's line is still in its error's Detail). See [LogFunc] for when
	// and where it is called.
	Log LogFunc
}

// Registry owns GPU objects behind handles. See the package documentation for the thread rules.
type Registry struct {
	reg *C.gpureg_registry // C memory; nil once closed
	// addr is reg as an integer, for the per-handle calls: cgo checks every pointer argument at
	// run time (is it Go memory?), an integer it passes as it is. 0 once closed.
	addr C.uintptr_t
	// fp is the registry's hot-path memory (fastpath.go): Resolve, Retain and Release answer
	// from it without a cgo call; zero once closed.
	fp fastPath

	// gcMu orders GC cleanups (which may run at any time on the cleanup goroutine) against Close,
	// so a late cleanup never touches a destroyed registry. Cleanups hold it shared.
	gcMu   sync.RWMutex
	closed bool

	batch   batchScratch // C-owned arrays for RetainMany / ReleaseMany
	scratch cScratch     // C memory for the strings and arrays of owner calls and SetLabel

	// diag is the C memory the C library logs into and writes the shutdown report into
	// (cgo_helpers.h, gr_diag); drainMu orders the moves out of it and its freeing at Close.
	diag         *C.gr_diag
	drainMu      sync.Mutex
	log          LogFunc
	reportWriter io.Writer
}

// cOptions is the C form of opts, logging into diag.
func cOptions(opts *Options, diag *C.gr_diag) C.gr_options {
	var o C.gr_options
	o.frames_in_flight = C.uint32_t(opts.FramesInFlight)
	o.message_capacity = C.uint32_t(opts.MessageCapacity)
	o.shutdown_timeout_ms = C.uint32_t(opts.ShutdownTimeoutMS)
	format := opts.LeakReport
	if format == ReportDefault {
		format = ReportOff
		if opts.LeakReportWriter != nil {
			format = ReportText
		}
	}
	o.report_format = C.uint32_t(format)
	if opts.LeakReportWriter != nil {
		o.report_to_diag = 1
	}
	o.diag = diag
	return o
}

// pending is a registry under construction: its C diagnostics exist before the create call so
// that a create that fails still delivers its log lines.
func newPending(opts Options, diag *C.gr_diag) *Registry {
	return &Registry{diag: diag, log: opts.Log, reportWriter: opts.LeakReportWriter}
}

// finish completes a create: on failure it delivers the create's log lines, frees the C
// diagnostics and answers an *Error carrying the reason.
func (r *Registry) finish(op string, res C.gr_ptr_result) (*Registry, error) {
	if res.result != 0 {
		err := r.fail(op, Result(res.result))
		r.freeDiag()
		return nil, err
	}
	r.reg, r.addr = (*C.gpureg_registry)(res.ptr), res.addr
	r.fp = newFastPath(r.addr)
	r.drainOwner() // lines of a create that succeeded (a GL context without KHR_debug says so)
	return r, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func outOfMemory(op string) error { return &Error{Op: op, Code: ErrOutOfMemory.(Result)} }

// NewNull creates a registry whose "GPU" is the CPU: objects have no storage and frame fences
// signal only when [Registry.SignalNull] says so. For tests and tools.
//
// The calling OS thread becomes the owner: call runtime.LockOSThread first and keep the
// goroutine locked while it uses the registry.
func NewNull(opts Options) (*Registry, error) {
	diag := newDiag()
	if diag == nil {
		return nil, outOfMemory("NewNull")
	}
	r := newPending(opts, diag)
	return r.finish("NewNull", C.gr_null_create(cOptions(&opts, diag)))
}

// Backend names the backend: "null", "gl" or "vulkan" ("" once closed).
func (r *Registry) Backend() string {
	if r.reg == nil {
		return ""
	}
	return C.GoString(C.gpureg_backend_name(r.reg))
}

// SignalNull marks every frame fence up to and including serial as signalled (null backend only;
// ErrUnsupported elsewhere). Any goroutine.
func (r *Registry) SignalNull(serial uint64) error {
	if r.reg == nil {
		return closedErr("SignalNull")
	}
	return r.checkAny("SignalNull", C.int32_t(C.gpureg_null_signal(r.reg, C.uint64_t(serial))))
}

// LoseDeviceNull makes the null backend behave as a lost device from now on. Owner thread.
func (r *Registry) LoseDeviceNull() error {
	if r.reg == nil {
		return closedErr("LoseDeviceNull")
	}
	return r.check("LoseDeviceNull", C.int32_t(C.gpureg_null_lose_device(r.reg)))
}

// Close waits for outstanding fences (bounded by ShutdownTimeoutMS), destroys every object and
// frees the registry. Owner thread: from another thread it answers ErrWrongThread and the
// registry stays open. When objects were still alive it answers a *LeakError (errors.Is
// ErrLeaked) naming the count and the creation sites; objects marked expected at shutdown
// (TextureDesc.ExpectedAtShutdown, SetExpectedAtShutdown) are no leaks. With nothing unexpected
// left it answers nil and prints nothing. Close never aborts the process: with
// GPUREG_LEAK_FATAL=1 in the environment the C library would abort() after the report, but the
// package creates its registries with that turned off and reports the variable in
// LeakError.Fatal instead (gpuregtest fails the test). Handles and Staging of a closed registry
// must not be used; GC cleanups that run later do nothing.
func (r *Registry) Close() error {
	if r.reg == nil {
		return closedErr("Close")
	}
	leaks, err := r.Leaks()
	if err != nil {
		return &opError{op: "Close", err: err}
	}
	r.gcMu.Lock()
	n := C.gpureg_destroy(r.reg)
	if n < 0 {
		r.gcMu.Unlock()
		return r.fail("Close", Result(-n))
	}
	r.reg, r.addr, r.fp = nil, 0, fastPath{}
	r.closed = true
	r.gcMu.Unlock()
	r.batch.free()
	r.scratch.free()
	var report []byte
	if r.reportWriter != nil && r.diag.report.length > 0 {
		report = C.GoBytes(unsafe.Pointer(r.diag.report.data), C.int(r.diag.report.length))
	}
	r.drain(0) // what the destroy logged (a fence that timed out)
	r.freeDiag()
	var werr error
	if report != nil {
		if _, err := r.reportWriter.Write(report); err != nil {
			werr = &opError{op: "Close: writing the leak report", err: err}
		}
	}
	if n > 0 {
		le := &LeakError{Count: int(n), Objects: leaks, Fatal: leakFatalFromEnv()}
		if werr != nil {
			return errors.Join(le, werr)
		}
		return le
	}
	return werr
}

// leakFatalFromEnv reads GPUREG_LEAK_FATAL as the C library does: set, not empty and not "0".
func leakFatalFromEnv() bool {
	v := os.Getenv("GPUREG_LEAK_FATAL")
	return v != "" && v != "0"
}

// gcRelease is the GC safety net's only call into C: an integer release, shared with Close.
func (r *Registry) gcRelease(h Handle) {
	r.gcMu.RLock()
	if !r.closed && !r.fp.release(uint64(h), true) {
		C.gpureg_release_from_gc(r.reg, C.gpureg_handle(h))
	}
	r.gcMu.RUnlock()
}

// gcFreeStaging frees staging memory a Staging value forgot to free, unless Close already did.
func (r *Registry) gcFreeStaging(p *C.uchar) {
	r.gcMu.RLock()
	if !r.closed {
		C.gpureg_staging_free(r.reg, unsafe.Pointer(p))
	}
	r.gcMu.RUnlock()
}
