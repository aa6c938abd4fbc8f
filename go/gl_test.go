//go:build cgo

package gpureg

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/gpureg/gpureg/go/internal/eglctx"
)

// glReg makes a GL 4.5 core context (llvmpipe, EGL surfaceless) current on the locked test
// goroutine and a registry on it. A missing driver fails the test, naming the packages.
func glReg(t *testing.T) *Registry { t.Helper(); return glRegWith(t, GLOptions{}) }

func glRegWith(t *testing.T, gl GLOptions) *Registry {
	t.Helper()
	return glRegAllowing(t, gl, new(uint64))
}

// glRegAllowing is glRegWith for a test that provokes driver error messages on purpose: at the
// end it asserts that exactly *allowed were seen.
func glRegAllowing(t *testing.T, gl GLOptions, allowed *uint64) *Registry {
	t.Helper()
	runtime.LockOSThread()
	ctx, err := eglctx.New(4, 5)
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	r, err := NewGLWith(Options{}, gl)
	if err != nil {
		ctx.Close()
		runtime.UnlockOSThread()
		t.Fatalf("NewGL: %v (a C library built with the GL backend is needed)", err)
	}
	t.Cleanup(func() {
		if st, err := r.Stats(); err != nil || st.ErrorMessages != *allowed {
			msgs, _ := r.Messages()
			t.Errorf("GL error messages: %d, expected %d (%v): %+v", st.ErrorMessages, *allowed, err, msgs)
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
	bufName, err := r.GLBuffer(buf)
	if err != nil || bufName == 0 {
		t.Errorf("GLBuffer = %d, %v", bufName, err)
	}
	// The typed resolves run in Go over the fast-path contract: a million of each, no cgo call.
	if fastPathArch {
		calls := cgoCalls(func() {
			for i := 0; i < 1_000_000; i++ {
				a, _ := r.GLTexture(tex)
				b, _ := r.GLBuffer(buf)
				if a != name || b != bufName {
					t.Fatalf("fast path: GLTexture %d GLBuffer %d, want %d %d", a, b, name, bufName)
				}
			}
		})
		if calls != 0 {
			t.Errorf("%d cgo calls in a million GLTexture + GLBuffer", calls)
		}
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

func TestGLLoaderFailureReachesTheLogHookAndTheError(t *testing.T) {
	type result struct {
		err   error
		lines []logEntry
	}
	done := make(chan result)
	go func() {
		runtime.LockOSThread() // a fresh thread with no current context
		defer runtime.UnlockOSThread()
		var l logged
		_, err := NewGL(Options{Log: l.hook})
		done <- result{err, l.take()}
	}()
	res := <-done
	wantIs(t, "NewGL without a current context", res.err, ErrUnsupported)
	var e *Error
	if !errors.As(res.err, &e) || !strings.Contains(e.Detail, "no GL context is current on this thread (tried EGL") {
		t.Errorf("NewGL error %q does not say what was tried", res.err)
	}
	if len(res.lines) != 1 || res.lines[0].level != LogError || !errors.Is(res.lines[0].err, ErrUnsupported) ||
		res.lines[0].text != e.Detail {
		t.Errorf("log hook got %+v, want the loader's reason", res.lines)
	}
}

func TestGLDebugOutputIsSynchronousByDefault(t *testing.T) {
	r := glReg(t)
	if info, err := r.GLInfo(); err != nil || !info.DebugSynchronous {
		t.Errorf("GLInfo = %+v, %v", info, err)
	}
}

func TestGLDebugAsynchronousLeavesTheOutputAsynchronous(t *testing.T) {
	r := glRegWith(t, GLOptions{DebugAsynchronous: true})
	info, err := r.GLInfo()
	if err != nil || info.DebugSynchronous || info.Features&GLFeatureDebug == 0 {
		t.Errorf("GLInfo = %+v, %v", info, err)
	}
}

func TestGLDisableFeaturesForcesTheFallbacks(t *testing.T) {
	r := glRegWith(t, GLOptions{DisableFeatures: GLFeatureDirectStateAccess | GLFeatureTextureStorage})
	info, err := r.GLInfo()
	wantOK(t, "GLInfo", err)
	if info.Features&(GLFeatureDirectStateAccess|GLFeatureTextureStorage) != 0 || info.Features&GLFeatureDebug == 0 {
		t.Errorf("features %#x", info.Features)
	}
	tex, err := r.CreateTexture(TextureDesc{Width: 4, Height: 2, Format: FormatRGBA8Unorm,
		Usage: TextureSampled | TextureTransferDst | TextureTransferSrc})
	wantOK(t, "CreateTexture", err)
	buf := mustBuffer(t, r, 64)
	roundTrip(t, r, tex, buf)
}

// glRetire runs frames until h is destroyed.
func glRetire(t *testing.T, r *Registry, h Handle) {
	t.Helper()
	for i := 0; r.State(h) != StateDestroyed; i++ {
		if i == 1000 {
			t.Fatal("the frame fence never signalled")
		}
		wantOK(t, "BeginFrame", r.BeginFrame())
		wantOK(t, "EndFrame", r.EndFrame())
	}
}

func TestAdoptGLTextureDeletesTheNameAfterTheFence(t *testing.T) {
	r := glReg(t)
	name := eglctx.NewTexture(4, 4)
	if name == 0 {
		t.Fatal("no GL texture: " + eglctx.Hint)
	}
	tex, err := r.AdoptGLTexture(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm, Label: "app's"}, name,
		GLAdoptDelete)
	wantOK(t, "AdoptGLTexture", err)
	if got, err := r.GLTexture(tex); err != nil || got != name {
		t.Errorf("GLTexture = %d, %v; adopted %d", got, err, name)
	}
	wantOK(t, "WriteTexturePixels", r.WriteTexturePixels(tex, Region{}, make([]byte, 64), 0))
	wantOK(t, "Release", r.Release(tex.Handle()))
	glRetire(t, r, tex.Handle())
	if eglctx.IsTexture(name) {
		t.Errorf("texture %d still exists after its handle was destroyed", name)
	}
}

func TestAdoptGLBufferAtKeepsTheAppsName(t *testing.T) {
	r := glReg(t)
	name := eglctx.NewBuffer(64)
	if name == 0 {
		t.Fatal("no GL buffer: " + eglctx.Hint)
	}
	buf, err := r.AdoptGLBufferAt(BufferDesc{Size: 64}, name, GLAdoptKeep, gameSite)
	wantOK(t, "AdoptGLBufferAt", err)
	if s := siteOf(t, r, buf.Handle()); s != gameSiteText {
		t.Errorf("site %q", s)
	}
	wantOK(t, "Release", r.Release(buf.Handle()))
	glRetire(t, r, buf.Handle())
	if !eglctx.IsBuffer(name) {
		t.Errorf("kept buffer %d was deleted", name)
	}
	eglctx.DeleteBuffer(name)
}
