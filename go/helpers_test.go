package gpureg

import (
	"errors"
	"runtime"
	"testing"
)

// newReg locks the test goroutine to its OS thread (the registry's owner) and closes the
// registry at the end, failing the test if it leaked.
func newReg(t testing.TB) *Registry {
	t.Helper()
	runtime.LockOSThread()
	r, err := NewNull(Options{})
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatalf("NewNull: %v", err)
	}
	t.Cleanup(func() {
		if r.reg != nil {
			if err := r.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
		runtime.UnlockOSThread()
	})
	return r
}

// wantIs: err matches target (or one of the alternatives).
func wantIs(t testing.TB, what string, err, target error, alternatives ...error) {
	t.Helper()
	for _, a := range append(alternatives, target) {
		if errors.Is(err, a) {
			return
		}
	}
	t.Errorf("%s: got %v, want %v", what, err, target)
}

func wantOK(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func mustTexture(t testing.TB, r *Registry, label string) Texture {
	t.Helper()
	tex, err := r.CreateTexture(TextureDesc{Width: 16, Height: 8, Format: FormatRGBA8Unorm, Label: label})
	wantOK(t, "CreateTexture", err)
	return tex
}

func mustBuffer(t testing.TB, r *Registry, size uint64) Buffer {
	t.Helper()
	b, err := r.CreateBuffer(BufferDesc{Size: size, Label: "buf"})
	wantOK(t, "CreateBuffer", err)
	return b
}

// retireAll runs frames and signals every fence until nothing is pending.
func retireAll(t testing.TB, r *Registry) {
	t.Helper()
	wantOK(t, "BeginFrame", r.BeginFrame())
	wantOK(t, "EndFrame", r.EndFrame())
	wantOK(t, "SignalNull", r.SignalNull(r.FrameSerial()))
	if _, err := r.Collect(); err != nil {
		t.Fatalf("Collect: %v", err)
	}
}
