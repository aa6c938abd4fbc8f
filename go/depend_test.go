//go:build cgo

package gpureg

import "testing"

// signalAndCollect runs a frame, signals every fence so far and collects: how many objects
// died on the way (BeginFrame collects too), by the stats of every kind.
func signalAndCollect(t testing.TB, r *Registry) int {
	t.Helper()
	destroyed := func() (n uint64) {
		st, err := r.Stats()
		wantOK(t, "Stats", err)
		for _, s := range st.ByKind {
			n += s.DestroyedTotal
		}
		return n
	}
	before := destroyed()
	wantOK(t, "BeginFrame", r.BeginFrame())
	wantOK(t, "EndFrame", r.EndFrame())
	wantOK(t, "SignalNull", r.SignalNull(r.FrameSerial()))
	_, err := r.Collect()
	wantOK(t, "Collect", err)
	return int(destroyed() - before)
}

func TestDependentWaitsForItsParent(t *testing.T) {
	r := newReg(t)
	tex, err := r.CreateTexture(TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm, Usage: TextureColorAttachment})
	wantOK(t, "CreateTexture", err)
	fb, err := r.CreateFramebuffer(FramebufferDesc{Color: []Texture{tex}})
	wantOK(t, "CreateFramebuffer", err)
	wantOK(t, "Depend", r.Depend(fb.Handle(), tex.Handle()))
	if in, err := r.Info(fb.Handle()); err != nil || in.Parent != tex.Handle() {
		t.Fatalf("Info(framebuffer).Parent = %v, %v; want %v", in.Parent, err, tex.Handle())
	}
	if in, _ := r.Info(tex.Handle()); in.Parent != 0 {
		t.Errorf("the parent has a parent: %v", in.Parent)
	}
	d, err := r.ReportJSON()
	wantOK(t, "ReportJSON", err)
	for _, o := range d.Objects {
		if o.Handle == fb.Handle().String() && o.Parent != tex.Handle().String() {
			t.Errorf("report parent %q, want %q", o.Parent, tex.Handle().String())
		}
	}
	wantOK(t, "Release(framebuffer)", r.Release(fb.Handle()))
	for i := 0; i < 3; i++ {
		if n := signalAndCollect(t, r); n != 0 || r.State(fb.Handle()) != StateReleased {
			t.Fatalf("the dependent went before its parent: %d destroyed, state %v", n, r.State(fb.Handle()))
		}
	}
	wantOK(t, "Release(texture)", r.Release(tex.Handle()))
	if n := signalAndCollect(t, r); n != 2 {
		t.Errorf("%d destroyed in the parent's collection, want 2", n)
	}
	if r.State(fb.Handle()) != StateDestroyed || r.State(tex.Handle()) != StateDestroyed {
		t.Errorf("states %v %v", r.State(fb.Handle()), r.State(tex.Handle()))
	}
}

func TestDependRejectsWhatCannotDepend(t *testing.T) {
	r := newReg(t)
	a := mustTexture(t, r, "a")
	b := mustBuffer(t, r, 64)
	c, err := r.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler", err)
	destroyed := mustTexture(t, r, "destroyed")
	wantOK(t, "Release", r.Release(destroyed.Handle()))
	retireAll(t, r)
	released := mustTexture(t, r, "released")
	wantOK(t, "Release", r.Release(released.Handle()))
	other := newReg(t)
	foreign := mustTexture(t, other, "foreign")
	defer other.Release(foreign.Handle())

	wantIs(t, "itself", r.Depend(a.Handle(), a.Handle()), ErrInvalidArgument)
	wantIs(t, "0 dependent", r.Depend(0, a.Handle()), ErrInvalidHandle)
	wantIs(t, "0 parent", r.Depend(a.Handle(), 0), ErrInvalidHandle)
	wantIs(t, "released parent", r.Depend(a.Handle(), released.Handle()), ErrReleased)
	wantIs(t, "destroyed dependent", r.Depend(destroyed.Handle(), a.Handle()), ErrStaleHandle)
	wantIs(t, "foreign parent", r.Depend(a.Handle(), foreign.Handle()), ErrForeignHandle)
	wantOK(t, "Depend(c, b)", r.Depend(c.Handle(), b.Handle()))
	wantIs(t, "a second parent", r.Depend(c.Handle(), a.Handle()), ErrInvalidArgument)
	wantOK(t, "Depend(b, a)", r.Depend(b.Handle(), a.Handle()))
	wantIs(t, "a cycle", r.Depend(a.Handle(), c.Handle()), ErrInvalidArgument)
	if in, _ := r.Info(a.Handle()); in.Parent != 0 {
		t.Errorf("a failed Depend set a parent: %v", in.Parent)
	}
	if in, _ := r.Info(c.Handle()); in.Parent != b.Handle() {
		t.Errorf("a failed Depend changed the parent: %v", in.Parent)
	}
	// A chain c -> b -> a: all three die in a's collection.
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{c.Handle(), b.Handle()}))
	signalAndCollect(t, r) // destroys `released`
	if r.State(c.Handle()) != StateReleased || r.State(b.Handle()) != StateReleased {
		t.Errorf("dependents destroyed while their ancestor lives: %v %v", r.State(c.Handle()), r.State(b.Handle()))
	}
	wantOK(t, "Release", r.Release(a.Handle()))
	if n := signalAndCollect(t, r); n != 3 {
		t.Errorf("%d destroyed with the chain's root, want 3", n)
	}
}
