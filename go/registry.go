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
	"sync"
	"unsafe"
)

// ReportFormat selects a report's format (gpureg_report_format).
type ReportFormat uint32

const (
	ReportDefault ReportFormat = C.GPUREG_REPORT_DEFAULT // text (Report); off for Options.LeakReport
	ReportText    ReportFormat = C.GPUREG_REPORT_TEXT
	ReportJSON    ReportFormat = C.GPUREG_REPORT_JSON
	ReportOff     ReportFormat = C.GPUREG_REPORT_OFF
)

// Options of a registry. The zero value gives the C library's documented defaults.
type Options struct {
	FramesInFlight    uint32 // frames the CPU may record ahead of the GPU; 0 = 2, max 16
	MessageCapacity   uint32 // debug message ring; 0 = 256
	ShutdownTimeoutMS uint32 // bound on Close's wait for fences; 0 = 5000
	// LeakReport is what the C library prints to stderr when the registry is closed with leaks.
	// The default is off: Close returns a *LeakError naming the leaks instead.
	// GPUREG_LEAK_REPORT=text|json|off in the environment overrides it.
	LeakReport ReportFormat
}

// Registry owns GPU objects behind handles. See the package documentation for the thread rules.
type Registry struct {
	reg *C.gpureg_registry // C memory; nil once closed
	// addr is reg as an integer, for the per-handle calls: cgo checks every pointer argument at
	// run time (is it Go memory?), an integer it passes as it is. 0 once closed.
	addr C.uintptr_t

	// gcMu orders GC cleanups (which may run at any time on the cleanup goroutine) against Close,
	// so a late cleanup never touches a destroyed registry. Cleanups hold it shared.
	gcMu   sync.RWMutex
	closed bool

	batch batchScratch // C-owned arrays for RetainMany / ReleaseMany
}

// NewNull creates a registry whose "GPU" is the CPU: objects have no storage and frame fences
// signal only when [Registry.SignalNull] says so. For tests and tools.
//
// The calling OS thread becomes the owner: call runtime.LockOSThread first and keep the
// goroutine locked while it uses the registry.
func NewNull(opts Options) (*Registry, error) {
	if opts.LeakReport == ReportDefault {
		opts.LeakReport = ReportOff
	}
	res := C.gr_null_create(C.uint32_t(opts.FramesInFlight), C.uint32_t(opts.MessageCapacity),
		C.uint32_t(opts.ShutdownTimeoutMS), C.uint32_t(opts.LeakReport))
	if err := check("NewNull", res.result); err != nil {
		return nil, err
	}
	return newRegistry((*C.gpureg_registry)(res.ptr), res.addr), nil
}

func newRegistry(reg *C.gpureg_registry, addr C.uintptr_t) *Registry {
	return &Registry{reg: reg, addr: addr}
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
	return check("SignalNull", C.int32_t(C.gpureg_null_signal(r.reg, C.uint64_t(serial))))
}

// LoseDeviceNull makes the null backend behave as a lost device from now on. Owner thread.
func (r *Registry) LoseDeviceNull() error {
	if r.reg == nil {
		return closedErr("LoseDeviceNull")
	}
	return check("LoseDeviceNull", C.int32_t(C.gpureg_null_lose_device(r.reg)))
}

// Close waits for outstanding fences (bounded by ShutdownTimeoutMS), destroys every object and
// frees the registry. Owner thread: from another thread it answers ErrWrongThread and the
// registry stays open. When objects were still alive it answers a *LeakError (errors.Is
// ErrLeaked) naming the count and the creation sites. Handles and Staging of a closed registry
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
		return &Error{Op: "Close", Code: Result(-n)}
	}
	r.reg, r.addr = nil, 0
	r.closed = true
	r.gcMu.Unlock()
	r.batch.free()
	if n > 0 {
		return &LeakError{Count: int(n), Objects: leaks}
	}
	return nil
}

// gcRelease is the GC safety net's only call into C: an integer release, shared with Close.
func (r *Registry) gcRelease(h Handle) {
	r.gcMu.RLock()
	if !r.closed {
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
