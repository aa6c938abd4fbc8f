//go:build cgo

package gpureg

import "testing"

// Resolve, Retain and Release allocate nothing on success (counted, not timed).
func TestHotPathsAllocateNothing(t *testing.T) {
	r := newReg(t)
	tex := mustTexture(t, r, "")
	defer r.Release(tex.Handle())
	h := tex.Handle()
	for name, fn := range map[string]func(){
		"TextureNative": func() { _, _ = r.TextureNative(tex) },
		"Native":        func() { _, _ = r.Native(h) },
		"Retain+Release": func() {
			_ = r.Retain(h)
			_ = r.Release(h)
		},
		"State":                  func() { _ = r.State(h) },
		"RetainMany+ReleaseMany": func() { _ = r.RetainMany([]Handle{h}); _ = r.ReleaseMany([]Handle{h}) },
	} {
		if n := testing.AllocsPerRun(1000, fn); n != 0 {
			t.Errorf("%s: %v allocations per call", name, n)
		}
	}
}
