//go:build cgo

package gpureg

import (
	"runtime"
	"testing"
	"time"
)

// Stats.ByKind counts every kind apart, through create, the fast path's release (which counts
// under the object's kind, with a renderbuffer's bytes) and collection.
func TestStatsByKind(t *testing.T) {
	r := newReg(t)
	s1, err := r.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler", err)
	s2, err := r.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler", err)
	rb, err := r.CreateRenderbuffer(RenderbufferDesc{Width: 16, Height: 8, Format: FormatRGBA8Unorm, Samples: 2})
	wantOK(t, "CreateRenderbuffer", err)
	tex := mustTexture(t, r, "")
	const rbBytes = 16 * 8 * 4 * 2
	st, err := r.Stats()
	wantOK(t, "Stats", err)
	if s := st.ByKind[KindSampler]; s.LiveCount != 2 || s.CreatedTotal != 2 || s.LiveBytes != 0 {
		t.Errorf("samplers: %+v", s)
	}
	if s := st.ByKind[KindRenderbuffer]; s.LiveCount != 1 || s.LiveBytes != rbBytes {
		t.Errorf("renderbuffers: %+v", s)
	}
	if st.ByKind[KindTexture] != st.Texture || st.Texture.LiveCount != 1 || st.ByKind[KindBuffer] != st.Buffer {
		t.Errorf("textures: ByKind %+v, Texture %+v", st.ByKind[KindTexture], st.Texture)
	}
	if st.ByKind[KindUndefined] != (TypeStats{}) || st.ByKind[KindFramebuffer] != (TypeStats{}) {
		t.Errorf("kinds never made have counts: %+v", st.ByKind)
	}

	wantOK(t, "BeginFrame", r.BeginFrame())
	wantOK(t, "Release", r.Release(s1.Handle()))
	wantOK(t, "Release", r.Release(rb.Handle()))
	st, err = r.Stats()
	wantOK(t, "Stats", err)
	if s := st.ByKind[KindSampler]; s.LiveCount != 1 || s.PendingCount != 1 {
		t.Errorf("samplers after one release: %+v", s)
	}
	if s := st.ByKind[KindRenderbuffer]; s.LiveCount != 0 || s.PendingCount != 1 || s.PendingBytes != rbBytes ||
		s.LiveBytes != 0 {
		t.Errorf("renderbuffers after the release: %+v", s)
	}
	if st.Texture.PendingCount != 0 {
		t.Errorf("a texture counted pending: %+v", st.Texture)
	}
	wantOK(t, "EndFrame", r.EndFrame())
	signalAndCollect(t, r)
	st, err = r.Stats()
	wantOK(t, "Stats", err)
	if s := st.ByKind[KindSampler]; s.LiveCount != 1 || s.PendingCount != 0 || s.DestroyedTotal != 1 ||
		s.LiveCountHighWater != 2 {
		t.Errorf("samplers after collection: %+v", s)
	}
	if s := st.ByKind[KindRenderbuffer]; s.PendingBytes != 0 || s.DestroyedTotal != 1 || s.LiveBytesHighWater != rbBytes {
		t.Errorf("renderbuffers after collection: %+v", s)
	}
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{s2.Handle(), tex.Handle()}))
}

// A tied Object is released by the GC cleanup like a texture: on the fast path, marked
// released_by_gc, counted under its kind.
func TestTieReleasesAnObjectFromTheGC(t *testing.T) {
	r := newReg(t)
	o, err := r.CreateVertexArray(VertexArrayDesc{Label: "forgotten"})
	wantOK(t, "CreateVertexArray", err)
	type mesh struct {
		tie   *Tied
		verts [64]byte
	}
	func() {
		m := &mesh{}
		m.tie = Tie(r, m, o.Handle()) // unreachable once this returns
	}()
	deadline := time.Now().Add(10 * time.Second)
	for r.State(o.Handle()) == StateAlive && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	in, err := r.Info(o.Handle())
	wantOK(t, "Info", err)
	if in.State != StateReleased || !in.ReleasedByGC || in.Kind != KindVertexArray {
		t.Fatalf("Info after the cleanup = %+v", in)
	}
	if st, _ := r.Stats(); st.ByKind[KindVertexArray].PendingCount != 1 {
		t.Errorf("vertex arrays: %+v", st.ByKind[KindVertexArray])
	}
}

// TextureDesc.Sampler and BufferDesc.Update come back through Info.
func TestSamplerStateAndUpdateRoundTripThroughInfo(t *testing.T) {
	r := newReg(t)
	want := SamplerState{MinFilter: FilterNearest, MagFilter: FilterLinear, MipFilter: MipFilterNone,
		WrapU: WrapClampToEdge, WrapV: WrapMirroredRepeat}
	tex, err := r.CreateTexture(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm, Sampler: want})
	wantOK(t, "CreateTexture", err)
	if in, _ := r.Info(tex.Handle()); in.Texture.Sampler != want {
		t.Errorf("Info.Texture.Sampler = %+v, want %+v", in.Texture.Sampler, want)
	}
	plain := mustTexture(t, r, "")
	if in, _ := r.Info(plain.Handle()); in.Texture.Sampler != (SamplerState{}) {
		t.Errorf("a texture without sampler state: %+v", in.Texture.Sampler)
	}
	_, err = r.CreateTexture(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm,
		Sampler: SamplerState{MagFilter: Filter(5)}})
	wantIs(t, "mag filter 5", err, ErrInvalidArgument)
	for _, u := range []BufferUpdate{UpdateStatic, UpdateDynamic, UpdateStream} {
		b, err := r.CreateBuffer(BufferDesc{Size: 64, Update: u})
		wantOK(t, "CreateBuffer", err)
		if in, _ := r.Info(b.Handle()); in.Buffer.Update != u {
			t.Errorf("Info.Buffer.Update = %d, want %d", in.Buffer.Update, u)
		}
		wantOK(t, "Release", r.Release(b.Handle()))
	}
	b := mustBuffer(t, r, 64)
	if in, _ := r.Info(b.Handle()); in.Buffer.Update != UpdateStatic {
		t.Errorf("default update: Info.Buffer.Update = %d, want UpdateStatic", in.Buffer.Update)
	}
	_, err = r.CreateBuffer(BufferDesc{Size: 64, Update: BufferUpdate(4)})
	wantIs(t, "update 4", err, ErrInvalidArgument)
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{tex.Handle(), plain.Handle(), b.Handle()}))
}
