//go:build cgo

package gpureg

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestRenderTargetIsOneUnit(t *testing.T) {
	r := newReg(t)
	_, _, line, _ := runtime.Caller(0)
	rt, err := r.CreateRenderTarget(RenderTargetDesc{ // line + 1
		Color:        TextureDesc{Width: 32, Height: 16, Format: FormatRGBA8Unorm, Label: "image"},
		DepthStencil: FormatS8Uint})
	wantOK(t, "CreateRenderTarget", err)
	if rt.Color == 0 || rt.Framebuffer == 0 || rt.DepthStencil == 0 {
		t.Fatalf("RenderTarget = %+v", rt)
	}
	parts := []struct {
		h     Handle
		kind  Kind
		label string
	}{{rt.Color.Handle(), KindTexture, "image"}, {rt.Framebuffer.Handle(), KindFramebuffer, "image framebuffer"},
		{rt.DepthStencil.Handle(), KindRenderbuffer, "image depth-stencil"}}
	for i, p := range parts {
		in, err := r.Info(p.h)
		wantOK(t, "Info", err)
		wantParent := rt.Color.Handle()
		if i == 0 {
			wantParent = 0
		}
		if in.Kind != p.kind || in.Parent != wantParent || in.Refcount != 1 {
			t.Errorf("%v: Info = %+v", p.kind, in)
		}
		if l, _ := r.Label(p.h); l != p.label {
			t.Errorf("%v: label %q, want %q", p.kind, l, p.label)
		}
		if s := siteOf(t, r, p.h); !strings.Contains(s, "render_target_test.go:"+strconv.Itoa(line+1)+" (") {
			t.Errorf("%v: site %q, want line %d", p.kind, s, line+1)
		}
	}
	if in, _ := r.Info(rt.Color.Handle()); in.Texture.Usage&TextureColorAttachment == 0 {
		t.Errorf("colour usage %#x lacks the colour attachment bit", in.Texture.Usage)
	}
	if in, _ := r.Info(rt.DepthStencil.Handle()); in.Object.Width != 32 || in.Object.Height != 16 ||
		in.Object.Format != FormatS8Uint || in.Bytes != 32*16 {
		t.Errorf("depth-stencil Info = %+v", in)
	}
	wantOK(t, "BeginFrame", r.BeginFrame())
	wantOK(t, "RenderTarget.Release", rt.Release())
	wantOK(t, "EndFrame", r.EndFrame())
	for _, p := range parts {
		if st := r.State(p.h); st != StateReleased {
			t.Errorf("%v: state %v before the fence", p.kind, st)
		}
	}
	wantOK(t, "SignalNull", r.SignalNull(r.FrameSerial()))
	n, err := r.Collect()
	wantOK(t, "Collect", err)
	if n != 3 {
		t.Errorf("one collection destroyed %d parts, want all 3", n)
	}
	wantIs(t, "a second Release", rt.Release(), ErrStaleHandle)
}

// The framebuffer and the depth-stencil part released first wait for the colour texture.
func TestRenderTargetPartsWaitForTheColourTexture(t *testing.T) {
	r := newReg(t)
	rt, err := r.CreateRenderTargetAt(RenderTargetDesc{
		Color: TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm}, DepthStencil: FormatD24UnormS8Uint}, gameSite)
	wantOK(t, "CreateRenderTargetAt", err)
	for _, h := range []Handle{rt.Color.Handle(), rt.Framebuffer.Handle(), rt.DepthStencil.Handle()} {
		if s := siteOf(t, r, h); s != gameSiteText {
			t.Errorf("%v: site %q", h, s)
		}
	}
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{rt.Framebuffer.Handle(), rt.DepthStencil.Handle()}))
	signalAndCollect(t, r)
	if r.State(rt.Framebuffer.Handle()) != StateReleased || r.State(rt.DepthStencil.Handle()) != StateReleased {
		t.Errorf("parts destroyed while the colour texture lives")
	}
	wantOK(t, "Release(colour)", r.Release(rt.Color.Handle()))
	if n := signalAndCollect(t, r); n != 3 {
		t.Errorf("%d destroyed with the colour texture, want 3", n)
	}
}

func TestRenderTargetWithoutDepthStencil(t *testing.T) {
	r := newReg(t)
	rt, err := r.CreateRenderTarget(RenderTargetDesc{Color: TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm}})
	wantOK(t, "CreateRenderTarget", err)
	if rt.DepthStencil != 0 || rt.Framebuffer == 0 {
		t.Errorf("RenderTarget = %+v", rt)
	}
	wantOK(t, "Release", rt.Release())
	if n := signalAndCollect(t, r); n != 2 {
		t.Errorf("%d destroyed, want 2", n)
	}
}

func TestRenderTargetFailureLeavesNothingAlive(t *testing.T) {
	r := newReg(t)
	_, err := r.CreateRenderTarget(RenderTargetDesc{Color: TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm},
		DepthStencil: FormatRGBA8Unorm})
	wantIs(t, "a colour format as depth-stencil", err, ErrInvalidFormat)
	_, err = r.CreateRenderTarget(RenderTargetDesc{Color: TextureDesc{Width: 0, Height: 8, Format: FormatRGBA8Unorm},
		DepthStencil: FormatD32Float})
	wantIs(t, "a 0x8 colour texture", err, ErrInvalidSize)
	st, err := r.Stats()
	wantOK(t, "Stats", err)
	for k, s := range st.ByKind {
		if s.LiveCount != 0 {
			t.Errorf("%v: %d alive after failed render target creates", Kind(k), s.LiveCount)
		}
	}
	if leaks, err := r.Leaks(); err != nil || len(leaks) != 0 {
		t.Errorf("Leaks = %+v, %v", leaks, err)
	}
	var zero RenderTarget
	wantIs(t, "the zero RenderTarget's Release", zero.Release(), ErrInvalidHandle)
}
