package gpuregtest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	gpureg "github.com/gpureg/gpureg/go"
)

// fakeT records failures instead of failing the real test.
type fakeT struct{ errors []string }

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func newReg(t *testing.T) *gpureg.Registry {
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
	reg, err := gpureg.NewNull(gpureg.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestNoLeaksFailsOnLeak(t *testing.T) {
	reg := newReg(t)
	tex, err := reg.CreateTexture(gpureg.TextureDesc{Width: 8, Height: 8, Format: gpureg.FormatRGBA8Unorm,
		Label: "forgotten sprite"})
	if err != nil {
		t.Fatal(err)
	}
	var f fakeT
	Close(&f, reg)
	if len(f.errors) != 1 || !strings.Contains(f.errors[0], `texture`) ||
		!strings.Contains(f.errors[0], `"forgotten sprite"`) || !strings.Contains(f.errors[0], "gpuregtest_test.go:") ||
		!strings.Contains(f.errors[0], "TestNoLeaksFailsOnLeak") {
		t.Fatalf("fake test failures: %q", f.errors)
	}
	t.Logf("reported: %s", f.errors[0])
	_ = tex
}

func TestNoLeaksPassesWhenClean(t *testing.T) {
	reg := newReg(t)
	buf, err := reg.CreateBuffer(gpureg.BufferDesc{Size: 64})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Release(buf.Handle()); err != nil {
		t.Fatal(err)
	}
	// A tied object dropped without release is caught by the GC safety net, not a leak.
	tex, err := reg.CreateTexture(gpureg.TextureDesc{Width: 1, Height: 1, Format: gpureg.FormatR8Unorm})
	if err != nil {
		t.Fatal(err)
	}
	func() {
		type img struct{ tie *gpureg.Tied }
		i := &img{}
		i.tie = gpureg.Tie(reg, i, tex.Handle())
	}()
	var f fakeT
	Close(&f, reg)
	if len(f.errors) != 0 {
		t.Fatalf("clean registry reported: %q", f.errors)
	}
}

// GPUREG_LEAK_FATAL=1 would make the C library abort() in Close; the test fails instead, and
// the process lives on to say so.
func TestCloseFailsTheTestWithoutAbortingUnderLeakFatal(t *testing.T) {
	t.Setenv("GPUREG_LEAK_FATAL", "1")
	reg := newReg(t)
	if _, err := reg.CreateBuffer(gpureg.BufferDesc{Size: 16, Label: "leaked"}); err != nil {
		t.Fatal(err)
	}
	var f fakeT
	Close(&f, reg)
	if len(f.errors) != 2 || !strings.Contains(f.errors[0], `"leaked"`) ||
		!strings.Contains(f.errors[1], "GPUREG_LEAK_FATAL") || !strings.Contains(f.errors[1], "gpuregtest_test.go:") {
		t.Fatalf("fake test failures: %q", f.errors)
	}
}

// Objects marked expected at shutdown are no leaks.
func TestCloseAcceptsObjectsExpectedAtShutdown(t *testing.T) {
	reg := newReg(t)
	if _, err := reg.CreateTexture(gpureg.TextureDesc{Width: 4, Height: 4, Format: gpureg.FormatRGBA8Unorm,
		ExpectedAtShutdown: true}); err != nil {
		t.Fatal(err)
	}
	var f fakeT
	Close(&f, reg)
	if len(f.errors) != 0 {
		t.Fatalf("expected object reported: %q", f.errors)
	}
}

// The real testing.T satisfies TB.
var _ TB = (*testing.T)(nil)
