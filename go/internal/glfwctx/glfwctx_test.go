package glfwctx_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"

	gpureg "github.com/gpureg/gpureg/go"
	"github.com/gpureg/gpureg/go/internal/glfwctx"
)

// The tests need an X display. Without DISPLAY the test binary runs itself again under
// `xvfb-run -a` (a private Xvfb with a 24-bit screen, which GLX needs); without xvfb-run, or
// when the display cannot be opened, the tests fail, naming what to install: they never skip.
func TestMain(m *testing.M) {
	const marker = "GPUREG_GLFWCTX_UNDER_XVFB"
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv(marker) != "" {
			fmt.Fprintln(os.Stderr, "FAIL: xvfb-run started the tests without a DISPLAY")
			os.Exit(1)
		}
		xvfb, err := exec.LookPath("xvfb-run")
		if err != nil {
			fmt.Fprintf(os.Stderr, "FAIL: no DISPLAY and no xvfb-run (%v); %s\n", err, glfwctx.Hint)
			os.Exit(1)
		}
		args := append([]string{"-a", "-s", "-screen 0 640x480x24 -nolisten tcp", os.Args[0]}, os.Args[1:]...)
		cmd := exec.Command(xvfb, args...)
		cmd.Env = append(os.Environ(), marker+"=1")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				os.Exit(max(exit.ExitCode(), 1))
			}
			fmt.Fprintf(os.Stderr, "FAIL: running the tests under xvfb-run: %v; %s\n", err, glfwctx.Hint)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// logLines collects what Options.Log is given.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) log(level gpureg.LogLevel, err error, message string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%v %v %s", level, err, message))
}

func (l *logLines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// window makes a hidden GLFW window with a GL 3.3 core context of api current on the locked
// test goroutine.
func window(t *testing.T, api glfwctx.API) *glfwctx.Window {
	t.Helper()
	runtime.LockOSThread()
	w, err := glfwctx.New(api, 3, 3)
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		w.Close()
		runtime.UnlockOSThread()
	})
	return w
}

// GLFW opened libGL / libEGL privately (RTLD_LOCAL): their symbols are not in the global
// scope, which is all a dlsym(RTLD_DEFAULT) finder (the package's before) could search.
func wantGLHiddenFromGlobalScope(t *testing.T) {
	t.Helper()
	for _, name := range []string{"glXGetCurrentContext", "eglGetCurrentContext"} {
		if glfwctx.InGlobalScope(name) {
			t.Fatalf("%s is in the global scope: this process does not look like a GLFW app", name)
		}
	}
}

// newGLAndTexture: NewGL with the automatic loader on the current context, a texture written
// and read back, no GL error from the driver or glGetError, a clean Close.
func newGLAndTexture(t *testing.T, api glfwctx.API) {
	var logged logLines
	r, err := gpureg.NewGL(gpureg.Options{Log: logged.log})
	if err != nil {
		t.Fatalf("NewGL in a GLFW process (%v): %v; log %q", api, err, logged.all())
	}
	info, err := r.GLInfo()
	if err != nil || info.IsGLES || info.Major < 3 || (info.Major == 3 && info.Minor < 3) {
		t.Errorf("GLInfo = %+v, %v", info, err)
	}
	tex, err := r.CreateTexture(gpureg.TextureDesc{Width: 4, Height: 4, Format: gpureg.FormatRGBA8Unorm,
		Usage: gpureg.TextureSampled | gpureg.TextureTransferDst | gpureg.TextureTransferSrc, Label: "glfw"})
	if err != nil {
		t.Fatalf("CreateTexture: %v", err)
	}
	if name, err := r.GLTexture(tex); err != nil || name == 0 {
		t.Errorf("GLTexture = %d, %v", name, err)
	}
	pix := make([]byte, 4*4*4)
	for i := range pix {
		pix[i] = byte(i * 3)
	}
	if err := r.WriteTexturePixels(tex, gpureg.Region{}, pix, 0); err != nil {
		t.Errorf("WriteTexturePixels: %v", err)
	}
	back := make([]byte, len(pix))
	if err := r.ReadTexturePixels(tex, gpureg.Region{}, back); err != nil || string(back) != string(pix) {
		t.Errorf("ReadTexturePixels: %v; %v", err, back)
	}
	if err := r.Release(tex.Handle()); err != nil {
		t.Errorf("Release: %v", err)
	}
	if st, err := r.Stats(); err != nil || st.ErrorMessages != 0 {
		msgs, _ := r.Messages()
		t.Errorf("GL error messages: %d (%v): %+v", st.ErrorMessages, err, msgs)
	}
	if err := glfwctx.GLError(); err != nil {
		t.Error(err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	for _, l := range logged.all() {
		if strings.HasPrefix(l, "error") {
			t.Errorf("logged: %s", l)
		}
	}
}

func TestNewGLFindsTheGLXContextOfAGLFWWindow(t *testing.T) {
	window(t, glfwctx.GLX)
	wantGLHiddenFromGlobalScope(t)
	newGLAndTexture(t, glfwctx.GLX)
}

func TestNewGLFindsTheEGLContextOfAGLFWWindow(t *testing.T) {
	window(t, glfwctx.EGL)
	wantGLHiddenFromGlobalScope(t)
	newGLAndTexture(t, glfwctx.EGL)
}

// With GLFW's libraries loaded but no context current on this thread, NewGL answers
// ErrUnsupported and says what it tried, in the error and through the log hook.
func TestNewGLWithoutCurrentContextSaysWhatWasTried(t *testing.T) {
	window(t, glfwctx.GLX)
	glfwctx.ReleaseCurrent()
	var logged logLines
	r, err := gpureg.NewGL(gpureg.Options{Log: logged.log})
	if r != nil || !errors.Is(err, gpureg.ErrUnsupported) {
		t.Fatalf("NewGL with no current context = %v, %v", r, err)
	}
	var e *gpureg.Error
	if !errors.As(err, &e) || !strings.Contains(e.Detail, "no GL context is current on this thread") ||
		!strings.Contains(e.Detail, "GLX: loaded, but no context of it is current") ||
		!strings.Contains(err.Error(), e.Detail) {
		t.Errorf("NewGL error %q does not say what was tried", err)
	}
	lines := logged.all()
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "error GPUREG_ERR_UNSUPPORTED") ||
		!strings.Contains(lines[0], e.Detail) {
		t.Errorf("log hook got %q, want the loader's reason %q", lines, e.Detail)
	}
}

// GLFW's own loader passed explicitly works as well (the path that never needed finding).
func TestNewGLWithGLFWGetProcAddress(t *testing.T) {
	window(t, glfwctx.GLX)
	r, err := gpureg.NewGLWith(gpureg.Options{}, gpureg.GLOptions{GetProcAddress: glfwctx.GetProcAddress()})
	if err != nil {
		t.Fatalf("NewGLWith(glfwGetProcAddress): %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
