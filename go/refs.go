package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gr_retain
#cgo noescape gr_retain
#cgo nocallback gr_release
#cgo noescape gr_release
#cgo nocallback gr_retain_many
#cgo noescape gr_retain_many
#cgo nocallback gr_release_many
#cgo noescape gr_release_many
#cgo nocallback free
#cgo noescape free
*/
import "C"

import (
	"errors"
	"strconv"
	"sync"
	"unsafe"
)

// Retain adds a reference. Any goroutine; lock-free and allocation-free on success.
func (r *Registry) Retain(h Handle) error {
	if r.fp.retain(uint64(h)) {
		return nil
	}
	return r.retainC(h)
}

// retainC is Retain through the C call: the precise answer for whatever the fast path leaves to
// C, and the reference the differential tests and benchmarks compare the fast path with.
func (r *Registry) retainC(h Handle) error {
	if r.reg == nil {
		return closedErr("Retain")
	}
	return r.checkAny("Retain", C.int32_t(C.gr_retain(r.addr, C.gpureg_handle(h))))
}

// Release drops a reference. At zero the handle answers ErrReleased at once and the GPU object
// is destroyed on the owner thread once the GPU has finished the frame open now. Any goroutine;
// lock-free and allocation-free on success. For a tied handle use [Tied.Release], which also
// stops the GC cleanup.
func (r *Registry) Release(h Handle) error {
	if r.fp.release(uint64(h), false) {
		return nil
	}
	return r.releaseC(h)
}

// releaseC is Release through the C call (see retainC).
func (r *Registry) releaseC(h Handle) error {
	if r.reg == nil {
		return closedErr("Release")
	}
	return r.checkAny("Release", C.int32_t(C.gr_release(r.addr, C.gpureg_handle(h))))
}

// BatchError reports the handles of a RetainMany / ReleaseMany that failed. The others succeeded.
type BatchError struct {
	Op      string
	Failed  int      // number of handles that failed
	Results []Result // one per handle; 0 where it succeeded
}

func (e *BatchError) Error() string {
	for i, c := range e.Results {
		if c != 0 {
			return "gpureg: " + e.Op + ": " + strconv.Itoa(e.Failed) + " of " + strconv.Itoa(len(e.Results)) +
				" handles failed; first at index " + strconv.Itoa(i) + ": " + c.Error()
		}
	}
	return "gpureg: " + e.Op + ": " + strconv.Itoa(e.Failed) + " handles failed"
}

// Unwrap gives each distinct failure code, so errors.Is(err, ErrReleased) works on batches.
func (e *BatchError) Unwrap() []error {
	var out []error
	seen := map[Result]bool{}
	for _, c := range e.Results {
		if c != 0 && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// batchScratch holds the C-owned arrays the batch calls copy handles into: Go slices never
// cross, and one crossing serves the whole batch. Grown as needed; freed by Close.
type batchScratch struct {
	mu       sync.Mutex
	handles  *C.gpureg_handle
	results  *C.gpureg_result
	capacity int
}

// reserve makes room for n handles; the caller holds mu.
func (b *batchScratch) reserve(n int) bool {
	if n <= b.capacity {
		return true
	}
	capacity := max(n, 2*b.capacity, 64)
	handles := (*C.gpureg_handle)(C.malloc(C.size_t(capacity) * C.sizeof_gpureg_handle))
	results := (*C.gpureg_result)(C.malloc(C.size_t(capacity) * C.sizeof_gpureg_result))
	if handles == nil || results == nil {
		C.free(unsafe.Pointer(handles))
		C.free(unsafe.Pointer(results))
		return false
	}
	b.freeLocked()
	b.handles, b.results, b.capacity = handles, results, capacity
	return true
}

func (b *batchScratch) freeLocked() {
	C.free(unsafe.Pointer(b.handles))
	C.free(unsafe.Pointer(b.results))
	b.handles, b.results, b.capacity = nil, nil, 0
}

func (b *batchScratch) free() {
	b.mu.Lock()
	b.freeLocked()
	b.mu.Unlock()
}

// RetainMany adds one reference to each handle in one crossing. Any goroutine. On failure the
// error is a *BatchError; the handles that did not fail were retained.
func (r *Registry) RetainMany(hs []Handle) error { return r.many("RetainMany", hs, true) }

// ReleaseMany drops one reference from each handle in one crossing. Any goroutine.
func (r *Registry) ReleaseMany(hs []Handle) error { return r.many("ReleaseMany", hs, false) }

func (r *Registry) many(op string, hs []Handle, retain bool) error {
	if len(hs) == 0 {
		return nil
	}
	// Every handle the fast path can take, it takes; a miss changes nothing, so the handles it
	// left go to C in one crossing, which answers them precisely.
	missed := -1
	for i, h := range hs {
		if !r.fastOne(uint64(h), retain) {
			missed = i
			break
		}
	}
	if missed < 0 {
		return nil
	}
	return r.manyFrom(op, hs, missed, retain)
}

func (r *Registry) fastOne(h uint64, retain bool) bool {
	if retain {
		return r.fp.retain(h)
	}
	return r.fp.release(h, false)
}

// manyFrom finishes a batch whose handles before `from` the fast path took: the rest go to C
// in one crossing, except those the fast path takes on the way.
func (r *Registry) manyFrom(op string, hs []Handle, from int, retain bool) error {
	rest := make([]Handle, 0, len(hs)-from)
	where := make([]int, 0, len(hs)-from)
	for i := from; i < len(hs); i++ {
		if i == from || !r.fastOne(uint64(hs[i]), retain) {
			rest = append(rest, hs[i])
			where = append(where, i)
		}
	}
	err := r.manyC(op, rest, retain)
	var be *BatchError
	if !errors.As(err, &be) {
		return err
	}
	e := &BatchError{Op: op, Failed: be.Failed, Results: make([]Result, len(hs))}
	for k, i := range where {
		e.Results[i] = be.Results[k]
	}
	return e
}

// manyC is RetainMany / ReleaseMany through the C call (see retainC).
func (r *Registry) manyC(op string, hs []Handle, retain bool) error {
	if r.reg == nil {
		return closedErr(op)
	}
	if len(hs) == 0 {
		return nil
	}
	b := &r.batch
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.reserve(len(hs)) {
		return &Error{Op: op, Code: Result(C.GPUREG_ERR_OUT_OF_MEMORY)}
	}
	// Handle and gpureg_handle are both 64-bit unsigned: one memmove into C memory.
	copy(unsafe.Slice((*Handle)(unsafe.Pointer(b.handles)), len(hs)), hs)
	var failed C.size_t
	if retain {
		failed = C.gr_retain_many(r.addr, b.handles, C.size_t(len(hs)), b.results)
	} else {
		failed = C.gr_release_many(r.addr, b.handles, C.size_t(len(hs)), b.results)
	}
	if failed == 0 {
		return nil
	}
	r.drain(0) // the failures' log lines, to Options.Log
	e := &BatchError{Op: op, Failed: int(failed), Results: make([]Result, len(hs))}
	for i, c := range unsafe.Slice(b.results, len(hs)) {
		e.Results[i] = Result(c)
	}
	return e
}
