// Package glfwctx makes a hidden GLFW window with an OpenGL context current on the calling OS
// thread, created through GLX or through EGL, for the tests that gpureg finds the GL loader
// inside a windowing library's process. GLFW loads libGL / libEGL itself with RTLD_LOCAL, so
// their symbols are not in the process's global scope: what an app that uses GLFW (or SDL)
// looks like to gpureg. It needs an X display (the tests run themselves under xvfb-run) and
// libglfw3 (pkg-config glfw3: apt-get install libglfw3-dev). It is not part of the gpureg
// package.
package glfwctx

/*
#cgo pkg-config: glfw3
#cgo linux LDFLAGS: -ldl
#include <GLFW/glfw3.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// GLFW's errors are kept here, by a C callback: C never calls Go.
static char glfwctx_error[512];

static void glfwctx_on_error(int code, const char *description) {
    snprintf(glfwctx_error, sizeof glfwctx_error, "GLFW error 0x%x: %s", code, description ? description : "");
}

static const char *glfwctx_last_error(void) { return glfwctx_error; }

static int glfwctx_init(void) {
    glfwSetErrorCallback(glfwctx_on_error);
    return glfwInit();
}

// api: 0 native (GLX on X11), 1 EGL.
static GLFWwindow *glfwctx_make(int api, int major, int minor) {
    glfwctx_error[0] = '\0';
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_API);
    glfwWindowHint(GLFW_CONTEXT_CREATION_API, api ? GLFW_EGL_CONTEXT_API : GLFW_NATIVE_CONTEXT_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, major);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, minor);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_OPENGL_DEBUG_CONTEXT, GLFW_TRUE);
    GLFWwindow *w = glfwCreateWindow(64, 64, "gpureg glfwctx", NULL, NULL);
    if (w) glfwMakeContextCurrent(w);
    return w;
}

static void glfwctx_free(GLFWwindow *w) {
    glfwMakeContextCurrent(NULL);
    glfwDestroyWindow(w);
}

static void glfwctx_release(void) { glfwMakeContextCurrent(NULL); }

static void glfwctx_make_current(GLFWwindow *w) { glfwMakeContextCurrent(w); }

// glGetError of the current context (through GLFW's own loader), draining every pending code;
// the first one, or 0.
static uint32_t glfwctx_gl_error(void) {
    typedef uint32_t (*get_error_fn)(void);
    GLFWglproc p = glfwGetProcAddress("glGetError");
    if (!p) return 0xffffffffu;
    get_error_fn get_error;
    memcpy(&get_error, &p, sizeof p);
    uint32_t first = 0;
    for (int i = 0; i < 16; i++) {
        uint32_t e = get_error();
        if (!e) break;
        if (!first) first = e;
    }
    return first;
}

static int glfwctx_in_global_scope(const char *name) { return dlsym(RTLD_DEFAULT, name) != NULL; }

// The address of glfwGetProcAddress, for NewGLWith's GetProcAddress.
static uintptr_t glfwctx_loader(void) { return (uintptr_t)glfwGetProcAddress; }
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"
)

// API is how GLFW creates the context.
type API int

const (
	GLX API = 0 // GLFW_NATIVE_CONTEXT_API on X11
	EGL API = 1 // GLFW_EGL_CONTEXT_API
)

func (a API) String() string {
	if a == EGL {
		return "EGL"
	}
	return "GLX"
}

// Hint names what a failure usually needs.
const Hint = "these tests need an X display (DISPLAY, or xvfb-run: apt-get install xvfb xauth), " +
	"libglfw3 and the Mesa GL/EGL drivers (apt-get install libglfw3-dev libgl1-mesa-dri libegl1)"

var (
	initOnce sync.Once
	initErr  error
)

// Init initialises GLFW once for the process.
func Init() error {
	initOnce.Do(func() {
		if C.glfwctx_init() == 0 {
			initErr = fmt.Errorf("glfwctx: glfwInit failed: %s; %s", C.GoString(C.glfwctx_last_error()), Hint)
		}
	})
	return initErr
}

// Window is a hidden GLFW window whose context was made current on the OS thread that made it.
type Window struct {
	w *C.GLFWwindow
}

// New makes a hidden window with a GL major.minor core (debug) context through api and makes
// it current on the calling OS thread; the caller must have locked its goroutine to the thread.
func New(api API, major, minor int) (*Window, error) {
	if err := Init(); err != nil {
		return nil, err
	}
	w := C.glfwctx_make(C.int(api), C.int(major), C.int(minor))
	if w == nil {
		return nil, fmt.Errorf("glfwctx: glfwCreateWindow (%v, GL %d.%d core) failed: %s; %s", api, major, minor,
			C.GoString(C.glfwctx_last_error()), Hint)
	}
	return &Window{w: w}, nil
}

// MakeCurrent makes the window's context current on the calling OS thread again.
func (w *Window) MakeCurrent() { C.glfwctx_make_current(w.w) }

// ReleaseCurrent leaves the calling thread with no current context (the window stays).
func ReleaseCurrent() { C.glfwctx_release() }

// GLError drains glGetError on the current context and returns the first code (0: none).
func GLError() error {
	switch e := uint32(C.glfwctx_gl_error()); e {
	case 0:
		return nil
	case 0xffffffff:
		return errors.New("glfwctx: no glGetError (no current context?)")
	default:
		return fmt.Errorf("glfwctx: glGetError = 0x%04x", e)
	}
}

// GetProcAddress is the address of glfwGetProcAddress (for gpureg.GLOptions.GetProcAddress).
func GetProcAddress() uintptr { return uintptr(C.glfwctx_loader()) }

// InGlobalScope says whether dlsym(RTLD_DEFAULT, name) finds the symbol: what a GL loader
// that only searches the global scope would see.
func InGlobalScope(name string) bool {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return C.glfwctx_in_global_scope(cs) != 0
}

// Close releases the context from the thread and destroys the window.
func (w *Window) Close() { C.glfwctx_free(w.w) }
