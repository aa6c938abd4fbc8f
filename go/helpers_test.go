//go:build cgo

package gpureg

import (
	"bytes"
	"errors"
	"runtime"
	"testing"
	"time"
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

// roundTrip writes and reads back tex (8x4 or smaller RGBA8) and buf (>= 64 bytes) through
// staging memory on a backend with storage, then releases both and runs frames until the
// backend's fence lets them be destroyed.
func roundTrip(t *testing.T, r *Registry, tex Texture, buf Buffer) {
	t.Helper()
	in, err := r.Info(tex.Handle())
	wantOK(t, "Info", err)
	pix := make([]byte, in.Texture.Width*in.Texture.Height*4)
	for i := range pix {
		pix[i] = byte(i * 7)
	}
	wantOK(t, "WriteTexturePixels", r.WriteTexturePixels(tex, Region{}, pix, 0))
	back := make([]byte, len(pix))
	wantOK(t, "ReadTexturePixels", r.ReadTexturePixels(tex, Region{}, back))
	if !bytes.Equal(pix, back) {
		t.Errorf("texels read back %v, wrote %v", back, pix)
	}
	data := []byte("gpureg from Go, through C staging memory")
	wantOK(t, "WriteBufferBytes", r.WriteBufferBytes(buf, 8, data))
	got := make([]byte, len(data))
	wantOK(t, "ReadBufferBytes", r.ReadBufferBytes(buf, 8, got))
	if !bytes.Equal(got, data) {
		t.Errorf("buffer read back %q", got)
	}
	wantOK(t, "BeginFrame", r.BeginFrame())
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{tex.Handle(), buf.Handle()}))
	wantOK(t, "EndFrame", r.EndFrame())
	if _, err = r.TextureNative(tex); !errors.Is(err, ErrReleased) && !errors.Is(err, ErrStaleHandle) {
		t.Errorf("TextureNative after release: %v", err) // released, or already destroyed by EndFrame
	}
	deadline := time.Now().Add(20 * time.Second)
	for r.State(tex.Handle()) != StateDestroyed || r.State(buf.Handle()) != StateDestroyed {
		if time.Now().After(deadline) {
			t.Fatal("the frame fence never signalled")
		}
		wantOK(t, "BeginFrame", r.BeginFrame())
		wantOK(t, "EndFrame", r.EndFrame())
	}
}
