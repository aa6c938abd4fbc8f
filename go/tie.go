//go:build cgo

package gpureg

import (
	"runtime"
	"sync/atomic"
)

// Tied is a handle tied to a Go object by [Tie]. It stands for one reference, released exactly
// once: by Release, or by the GC cleanup if the object became unreachable first.
type Tied struct {
	r       *Registry
	h       Handle
	state   atomic.Int32 // tieLive, then exactly one of the others
	cleanup runtime.Cleanup
}

// cleanupWonRaces counts explicit Releases the cleanup beat (for the tests' logs).
var cleanupWonRaces atomic.Int64

const (
	tieLive     = iota
	tieReleased // released through Tied.Release
	tieByGC     // released by the cleanup
	tieUntied   // the caller took the reference back
)

// releaseFromGC is the cleanup. It gets the *Tied, never the tied object (Tied does not point to
// it), and only queues an integer release; it loses to an explicit Release that started first.
func releaseFromGC(t *Tied) {
	if t.state.CompareAndSwap(tieLive, tieByGC) {
		t.r.gcRelease(t.h)
	}
}

// Tie is the GC safety net: when obj becomes unreachable while the handle still holds the
// reference this tie stands for, a runtime cleanup releases it (an integer into the registry's
// release inbox; the GPU object is destroyed later, on the owner thread, after its fence) and
// the report marks the object released_by_gc. Releasing through [Tied.Release] stops the
// cleanup. Keep the *Tied inside obj (for example in an image type's struct). Any goroutine.
func Tie[T any](r *Registry, obj *T, h Handle) *Tied {
	t := &Tied{r: r, h: h}
	t.cleanup = runtime.AddCleanup(obj, releaseFromGC, t)
	return t
}

// Handle is the tied handle.
func (t *Tied) Handle() Handle { return t.h }

// Release releases the tie's reference explicitly (the primary path) and stops the cleanup.
//
// Go may find obj unreachable while a method of obj is still running (`obj.tie.Release()` reads
// obj for the last time before Release starts), so the cleanup can race an explicit Release;
// exactly one of them releases. When the cleanup won, Release answers nil: the reference is gone
// as asked (the report then says released_by_gc; runtime.KeepAlive(obj) after Release avoids
// that). A second Release, or one after Untie, answers ErrReleased and releases nothing.
func (t *Tied) Release() error {
	if t.state.CompareAndSwap(tieLive, tieReleased) {
		t.cleanup.Stop()
		return t.r.Release(t.h)
	}
	if t.state.CompareAndSwap(tieByGC, tieReleased) {
		cleanupWonRaces.Add(1)
		return nil
	}
	return &Error{Op: "Tied.Release", Code: ErrReleased.(Result)}
}

// Untie stops the cleanup without releasing: the caller takes the reference back. ErrReleased
// if the tie's reference is already gone (released, or the cleanup ran).
func (t *Tied) Untie() error {
	if !t.state.CompareAndSwap(tieLive, tieUntied) {
		return &Error{Op: "Tied.Untie", Code: ErrReleased.(Result)}
	}
	t.cleanup.Stop()
	return nil
}
