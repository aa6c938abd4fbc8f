// Package eglctx makes a headless OpenGL context (Mesa's EGL surfaceless platform, llvmpipe)
// current on the calling OS thread, for the GL tests and the sprites example. It is not part of
// the gpureg package.
package eglctx

/*
#cgo pkg-config: egl
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct egl_result {
    void *display;
    void *context;
    int32_t step; // 0 ok, else which step failed
} egl_result;

static egl_result egl_make(int32_t major, int32_t minor) {
    egl_result r = {0, 0, 0};
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_display =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
    if (!get_display) { r.step = 1; return r; }
    EGLDisplay dpy = get_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    EGLint vmaj = 0, vmin = 0;
    if (dpy == EGL_NO_DISPLAY || !eglInitialize(dpy, &vmaj, &vmin)) { r.step = 2; return r; }
    if (!eglBindAPI(EGL_OPENGL_API)) { r.step = 3; return r; }
    EGLint attrs[] = {EGL_CONTEXT_MAJOR_VERSION, major, EGL_CONTEXT_MINOR_VERSION, minor,
                      EGL_CONTEXT_OPENGL_DEBUG, EGL_TRUE,
                      EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
    EGLContext ctx = eglCreateContext(dpy, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attrs);
    if (ctx == EGL_NO_CONTEXT) { r.step = 4; return r; }
    if (!eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
        eglDestroyContext(dpy, ctx);
        r.step = 5;
        return r;
    }
    r.display = dpy;
    r.context = ctx;
    return r;
}

static void egl_free(void *dpy, void *ctx) {
    eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    eglDestroyContext(dpy, ctx);
    eglReleaseThread();
}
// Insert an application message into the context's KHR_debug stream (GL 4.3+), as a driver
// message would arrive. 0 if the entry point is missing.
static int egl_debug_insert(uint32_t id, const char *text) {
    typedef void (*insert_fn)(uint32_t, uint32_t, uint32_t, uint32_t, int32_t, const char *);
    void (*p)(void) = eglGetProcAddress("glDebugMessageInsert");
    if (!p) return 0;
    insert_fn insert;
    memcpy(&insert, &p, sizeof p);
    insert(0x824A, 0x8251, id, 0x9146, -1, text); // SOURCE_APPLICATION, TYPE_OTHER, SEVERITY_HIGH
    return 1;
}
#cgo nocallback egl_make
#cgo nocallback egl_free
#cgo nocallback egl_debug_insert
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Hint names the packages a missing driver needs.
const Hint = "install the Mesa EGL/GL drivers: apt-get install libegl1 libgl1-mesa-dri"

// Context is a GL context current on the OS thread that made it.
type Context struct {
	display, context unsafe.Pointer // C (EGL) handles
}

var steps = []string{"", "EGL has no eglGetPlatformDisplayEXT", "no EGL surfaceless display",
	"eglBindAPI(EGL_OPENGL_API) failed", "eglCreateContext failed for GL %d.%d core", "eglMakeCurrent failed"}

// New makes a GL major.minor core context current on the calling OS thread. The caller must
// have locked its goroutine to the thread (runtime.LockOSThread).
func New(major, minor int) (*Context, error) {
	r := C.egl_make(C.int32_t(major), C.int32_t(minor))
	if r.step != 0 {
		msg := steps[r.step]
		if r.step == 4 {
			msg = fmt.Sprintf(msg, major, minor)
		}
		return nil, fmt.Errorf("eglctx: %s; %s", msg, Hint)
	}
	return &Context{display: r.display, context: r.context}, nil
}

// InsertDebugMessage puts an application message (GL_DEBUG_TYPE_OTHER, severity high) into the
// current context's debug output, as if the driver had said it.
func InsertDebugMessage(id uint32, text string) error {
	cs := C.CString(text)
	defer C.free(unsafe.Pointer(cs))
	if C.egl_debug_insert(C.uint32_t(id), cs) == 0 {
		return fmt.Errorf("eglctx: no glDebugMessageInsert; %s", Hint)
	}
	return nil
}

// Close releases the context from the thread and destroys it.
func (c *Context) Close() { C.egl_free(c.display, c.context) }
