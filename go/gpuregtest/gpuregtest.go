// Package gpuregtest fails a test when a gpureg registry leaked, in the spirit of goleak:
//
//	func TestRenderer(t *testing.T) {
//		runtime.LockOSThread()
//		defer runtime.UnlockOSThread()
//		reg, _ := gpureg.NewNull(gpureg.Options{})
//		defer gpuregtest.Close(t, reg)
//		...
//	}
package gpuregtest

import (
	"errors"
	"runtime"
	"time"

	gpureg "github.com/gpureg/gpureg/go"
)

// TB is the part of testing.TB these helpers use (so a fake can stand in for it in tests).
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// settle is how long NoLeaks keeps running the GC so that cleanups of tied objects that are
// already unreachable get to release them (those are not leaks: the safety net caught them).
const settle = 2 * time.Second

// NoLeaks fails t for every object of reg still alive (refcount > 0), naming its creation site,
// label and size. Tied objects that are unreachable are given time to be released by the GC
// first. Call it on the registry's owner goroutine.
func NoLeaks(t TB, reg *gpureg.Registry) {
	t.Helper()
	leaks, err := reg.Leaks()
	for deadline := time.Now().Add(settle); err == nil && len(leaks) > 0 && time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		leaks, err = reg.Leaks()
	}
	if err != nil {
		t.Errorf("gpuregtest: reading the leak report: %v", err)
		return
	}
	for _, o := range leaks {
		label := "(no label)"
		if o.Label != nil {
			label = "\"" + *o.Label + "\""
		}
		t.Errorf("gpuregtest: leaked %s %s %s, %d bytes, refcount %d, created at %s",
			o.Type, o.Handle, label, o.Bytes, o.Refcount, o.Site)
	}
}

// Close runs NoLeaks and then closes the registry, failing t if Close fails for another reason.
//
// GPUREG_LEAK_FATAL=1 in the environment, which makes the C library abort() on leaks, never
// kills the test process here: the Go package's Close returns the leaks instead (a *LeakError
// with Fatal set), and Close fails the test for them, as it does without the variable.
func Close(t TB, reg *gpureg.Registry) {
	t.Helper()
	NoLeaks(t, reg)
	err := reg.Close()
	var le *gpureg.LeakError
	switch {
	case errors.As(err, &le) && le.Fatal:
		t.Errorf("gpuregtest: Close: %d leaked object(s) with GPUREG_LEAK_FATAL set: %s", le.Count,
			gpureg.SummarizeSites(le.Objects))
	case err != nil && !errors.Is(err, gpureg.ErrLeaked): // leaks: reported above
		t.Errorf("gpuregtest: Close: %v", err)
	}
}
