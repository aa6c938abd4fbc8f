package gpureg

import (
	"runtime"
	"sync/atomic"
)

// Tied is a handle tied to a Go object by [Tie].
type Tied struct {
	r       *Registry
	h       Handle
	cleanup runtime.Cleanup
	done    atomic.Bool // released or untied: the tie's reference is no longer ours
}

// gcRef is what a cleanup gets: the registry and an integer, never the tied object.
type gcRef struct {
	r *Registry
	h Handle
}

func releaseFromGC(ref gcRef) { ref.r.gcRelease(ref.h) }

// Tie is the GC safety net: when obj becomes unreachable while the handle still holds the
// reference this tie stands for, a runtime cleanup releases it (an integer into the registry's
// release inbox; the GPU object is destroyed later, on the owner thread, after its fence) and
// the report marks the object released_by_gc. Releasing through [Tied.Release] stops the
// cleanup. Keep the *Tied inside obj (for example in an image type's struct) so that it lives as
// long as obj. Any goroutine.
func Tie[T any](r *Registry, obj *T, h Handle) *Tied {
	return &Tied{r: r, h: h, cleanup: runtime.AddCleanup(obj, releaseFromGC, gcRef{r, h})}
}

// Handle is the tied handle.
func (t *Tied) Handle() Handle { return t.h }

// Release stops the cleanup and releases the handle explicitly (the primary path). The tie
// stands for one reference: a second Release (or one after Untie) answers ErrReleased and
// leaves other holders' references alone.
func (t *Tied) Release() error {
	if t.done.Swap(true) {
		return &Error{Op: "Tied.Release", Code: ErrReleased.(Result)}
	}
	t.cleanup.Stop()
	return t.r.Release(t.h)
}

// Untie stops the cleanup without releasing: the caller takes the reference back.
func (t *Tied) Untie() {
	t.done.Store(true)
	t.cleanup.Stop()
}
