//go:build cgo

package gpureg

import (
	"testing"
)

// The table "Which calls cross into C" in go/README.md, held to what the calls do: how many cgo
// crossings each makes (the runtime's process-wide count, so nothing else runs meanwhile). The
// fast paths' zero is TestFastPathHotCallsMakeNoCgoCall's.
func TestCrossingsAreWhatTheREADMESays(t *testing.T) {
	var r *Registry
	if n := cgoCalls(func() { r = newReg(t) }); n != 3 {
		t.Errorf("NewNull: %d crossings, README says 3 (the create, the log ring, the fast path's export)", n)
	}
	shader := ShaderDesc{Stage: StageVertex, Code: []byte("void main() {}"), Label: "vs"}
	site := Site{File: "game/level.go", Line: 12, Function: "game.Load"}
	// Warm-up: the first create interns the site and grows the scratch (one C.malloc).
	warm, err := r.CreateTextureAt(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm, Label: "warm"}, site)
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.CreateShaderAt(shader, site)
	if err != nil {
		t.Fatal(err)
	}
	var made []Handle
	keep := func(h Handle, err error) {
		if err != nil {
			t.Error(err)
		}
		made = append(made, h)
	}
	one := []struct {
		name  string
		calls int
		call  func()
	}{
		{"CreateTextureAt", 1, func() {
			tex, err := r.CreateTextureAt(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm, Label: "a label"}, site)
			keep(tex.Handle(), err)
		}},
		{"CreateBuffer", 1, func() { b, err := r.CreateBuffer(BufferDesc{Size: 64, Label: "b"}); keep(b.Handle(), err) }},
		{"CreateShader", 1, func() { o, err := r.CreateShaderAt(shader, site); keep(o.Handle(), err) }},
		{"CreateProgram", 1, func() {
			o, err := r.CreateProgramAt(ProgramDesc{Shaders: []Object{s}, Label: "p"}, site)
			keep(o.Handle(), err)
		}},
		{"SetLabel", 1, func() { _ = r.SetLabel(s.Handle(), "renamed") }},
		{"Stats", 1, func() { _, _ = r.Stats() }},
		{"BeginFrame+EndFrame", 2, func() { _ = r.BeginFrame(); _ = r.EndFrame() }},
		{"Collect", 1, func() { _, _ = r.Collect() }},
	}
	for _, c := range one {
		for i := 0; i < 3; i++ {
			if n := cgoCalls(c.call); n != int64(c.calls) {
				t.Errorf("%s: %d crossings, README says %d", c.name, n, c.calls)
				break
			}
		}
	}
	made = append(made, s.Handle(), warm.Handle())
	for _, h := range made {
		if err := r.Release(h); err != nil {
			t.Error(err)
		}
	}
	_ = ErrStaleHandle.Error() // the first read of a code's text crosses, once per process
	if n := cgoCalls(func() { _ = ErrStaleHandle.Error(); _ = ErrStaleHandle.(Result).Name() }); n != 0 {
		t.Errorf("Result.Error and Name: %d crossings after the first, README says 0", n)
	}
	// A handle the fast path leaves to C: the C call, and one more to collect the line it
	// logged (the error's Detail, the log hook).
	b, err := r.CreateBuffer(BufferDesc{Size: 64})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Release(b.Handle()); err != nil {
		t.Fatal(err)
	}
	if n := cgoCalls(func() { _ = r.Retain(b.Handle()) }); n != 2 {
		t.Errorf("Retain of a released handle: %d crossings, README says 2", n)
	}
}
