//go:build cgo

package gpureg

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/gpureg/gpureg/go/internal/eglctx"
)

// glReg makes a GL 4.5 core context (llvmpipe, EGL surfaceless) current on the locked test
// goroutine and a registry on it. A missing driver fails the test, naming the packages.
func glReg(t *testing.T) *Registry {
	t.Helper()
	runtime.LockOSThread()
	ctx, err := eglctx.New(4, 5)
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	r, err := NewGL(Options{})
	if err != nil {
		ctx.Close()
		runtime.UnlockOSThread()
		t.Fatalf("NewGL: %v (a C library built with the GL backend is needed)", err)
	}
	t.Cleanup(func() {
		if st, err := r.Stats(); err != nil || st.ErrorMessages != 0 {
			msgs, _ := r.Messages()
			t.Errorf("GL error messages: %d (%v): %+v", st.ErrorMessages, err, msgs)
		}
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		ctx.Close()
		runtime.UnlockOSThread()
	})
	return r
}

func TestGLRoundTrip(t *testing.T) {
	r := glReg(t)
	if r.Backend() != "gl" {
		t.Fatalf("backend %q", r.Backend())
	}
	info, err := r.GLInfo()
	wantOK(t, "GLInfo", err)
	if info.IsGLES || info.Major < 4 || info.MaxTextureSize == 0 {
		t.Errorf("GLInfo = %+v", info)
	}
	tex, err := r.CreateTexture(TextureDesc{Width: 4, Height: 2, Format: FormatRGBA8Unorm, Label: "gl tex",
		Usage: TextureSampled | TextureTransferDst | TextureTransferSrc})
	wantOK(t, "CreateTexture", err)
	name, err := r.GLTexture(tex)
	if err != nil || name == 0 {
		t.Fatalf("GLTexture = %d, %v", name, err)
	}
	if n, _ := r.TextureNative(tex); n != uint64(name) {
		t.Errorf("TextureNative %d, GLTexture %d", n, name)
	}
	_, err = r.GLBuffer(Buffer(tex))
	wantIs(t, "GLBuffer(texture)", err, ErrWrongType)
	wantIs(t, "oversized write", r.WriteTexturePixels(tex, Region{X: 3, Width: 2, Height: 2}, make([]byte, 16), 0),
		ErrOutOfBounds)
	buf, err := r.CreateBuffer(BufferDesc{Size: 64, Usage: BufferVertex | BufferTransferDst | BufferTransferSrc})
	wantOK(t, "CreateBuffer", err)
	if n, err := r.GLBuffer(buf); err != nil || n == 0 {
		t.Errorf("GLBuffer = %d, %v", n, err)
	}
	// Driver debug output arrives through the registry's ring and is polled, never a callback.
	for i := 0; i < 100; i++ {
		wantOK(t, "InsertDebugMessage", eglctx.InsertDebugMessage(uint32(1000+i), "message "+strconv.Itoa(i)))
	}
	msgs, err := r.Messages()
	wantOK(t, "Messages", err)
	if len(msgs) != 100 {
		t.Fatalf("Messages: got %d, want 100: %+v", len(msgs), msgs)
	}
	if msgs[0].ID != 1000 || msgs[99].Text != "message 99" || msgs[0].Severity != 2 {
		t.Errorf("Messages: first %+v, last %+v", msgs[0], msgs[99])
	}
	if again, _ := r.Messages(); len(again) != 0 {
		t.Errorf("Messages polled twice: %d", len(again))
	}
	roundTrip(t, r, tex, buf)
}

func TestGLWithoutContextAndOnNull(t *testing.T) {
	done := make(chan error)
	go func() {
		runtime.LockOSThread() // a fresh thread with no current context
		defer runtime.UnlockOSThread()
		_, err := NewGL(Options{})
		done <- err
	}()
	wantIs(t, "NewGL without a current context", <-done, ErrUnsupported)

	r := newReg(t)
	_, err := r.GLInfo()
	wantIs(t, "GLInfo on null", err, ErrUnsupported)
	tex := mustTexture(t, r, "")
	_, err = r.GLTexture(tex)
	wantIs(t, "GLTexture on null", err, ErrUnsupported)
	wantOK(t, "Release", r.Release(tex.Handle()))
}
