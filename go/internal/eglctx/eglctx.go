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
// GL objects made by the "app" (GL 4.5 direct state access), for the adopt tests.
static void *egl_proc(const char *name) {
    void (*p)(void) = eglGetProcAddress(name);
    void *q;
    memcpy(&q, &p, sizeof p);
    return q;
}

static uint32_t egl_texture_make(int32_t width, int32_t height) {
    void (*create)(uint32_t, int32_t, uint32_t *) = egl_proc("glCreateTextures");
    void (*storage)(uint32_t, int32_t, uint32_t, int32_t, int32_t) = egl_proc("glTextureStorage2D");
    if (!create || !storage) return 0;
    uint32_t name = 0;
    create(0x0DE1, 1, &name);                 // GL_TEXTURE_2D
    storage(name, 1, 0x8058, width, height);  // GL_RGBA8
    return name;
}

static uint32_t egl_buffer_make(int64_t size) {
    void (*create)(int32_t, uint32_t *) = egl_proc("glCreateBuffers");
    void (*storage)(uint32_t, int64_t, const void *, uint32_t) = egl_proc("glNamedBufferStorage");
    if (!create || !storage) return 0;
    uint32_t name = 0;
    create(1, &name);
    storage(name, size, NULL, 0x0100); // GL_DYNAMIC_STORAGE_BIT
    return name;
}

// is_texture: 1 glIsTexture, 0 glIsBuffer.
static int egl_is(uint32_t name, int is_texture) {
    uint8_t (*is)(uint32_t) = egl_proc(is_texture ? "glIsTexture" : "glIsBuffer");
    return is && is(name);
}

static void egl_delete(uint32_t name, int is_texture) {
    void (*del)(int32_t, const uint32_t *) = egl_proc(is_texture ? "glDeleteTextures" : "glDeleteBuffers");
    if (del) del(1, &name);
}
// The app's own GL objects of gpureg's generic kinds (GL 4.5 direct state access), for the
// adopt tests and for checking what gpureg made. what: 0 framebuffer, 1 renderbuffer, 2 vertex
// array, 3 sampler, 4 shader (vertex), 5 program.
static uint32_t egl_object_make(int what) {
    static const char *creators[] = {"glCreateFramebuffers", "glCreateRenderbuffers", "glCreateVertexArrays",
                                     "glCreateSamplers"};
    uint32_t name = 0;
    if (what < 4) {
        void (*create)(int32_t, uint32_t *) = egl_proc(creators[what]);
        if (create) create(1, &name);
    } else if (what == 4) {
        uint32_t (*create)(uint32_t) = egl_proc("glCreateShader");
        if (create) name = create(0x8B31); // GL_VERTEX_SHADER
    } else {
        uint32_t (*create)(void) = egl_proc("glCreateProgram");
        if (create) name = create();
    }
    return name;
}

static int egl_object_is(int what, uint32_t name) {
    static const char *names[] = {"glIsFramebuffer", "glIsRenderbuffer", "glIsVertexArray", "glIsSampler",
                                  "glIsShader", "glIsProgram"};
    uint8_t (*is)(uint32_t) = egl_proc(names[what]);
    return is && is(name);
}

static void egl_object_delete(int what, uint32_t name) {
    static const char *names[] = {"glDeleteFramebuffers", "glDeleteRenderbuffers", "glDeleteVertexArrays",
                                  "glDeleteSamplers"};
    if (what < 4) {
        void (*del)(int32_t, const uint32_t *) = egl_proc(names[what]);
        if (del) del(1, &name);
    } else {
        void (*del)(uint32_t) = egl_proc(what == 4 ? "glDeleteShader" : "glDeleteProgram");
        if (del) del(name);
    }
}

// An integer parameter of a GL object. what: 0 texture (glGetTextureParameteriv), 1 sampler
// (glGetSamplerParameteriv), 2 buffer (glGetNamedBufferParameteriv), 3 program (glGetProgramiv),
// 4 framebuffer attachment's object name (glGetNamedFramebufferAttachmentParameteriv, pname the
// attachment), 5 framebuffer status (glCheckNamedFramebufferStatus, pname the target).
static int32_t egl_param(int what, uint32_t name, uint32_t pname) {
    static const char *names[] = {"glGetTextureParameteriv", "glGetSamplerParameteriv",
                                  "glGetNamedBufferParameteriv", "glGetProgramiv"};
    int32_t v = -1;
    if (what < 4) {
        void (*get)(uint32_t, uint32_t, int32_t *) = egl_proc(names[what]);
        if (get) get(name, pname, &v);
    } else if (what == 4) {
        void (*get)(uint32_t, uint32_t, uint32_t, int32_t *) = egl_proc("glGetNamedFramebufferAttachmentParameteriv");
        if (get) get(name, pname, 0x8CD1, &v); // GL_FRAMEBUFFER_ATTACHMENT_OBJECT_NAME
    } else {
        uint32_t (*check)(uint32_t, uint32_t) = egl_proc("glCheckNamedFramebufferStatus");
        if (check) v = (int32_t)check(name, pname);
    }
    return v;
}
#cgo nocallback egl_object_make
#cgo nocallback egl_object_is
#cgo nocallback egl_object_delete
#cgo nocallback egl_param
#cgo nocallback egl_make
#cgo nocallback egl_texture_make
#cgo nocallback egl_buffer_make
#cgo nocallback egl_is
#cgo nocallback egl_delete
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

// NewTexture makes a width x height RGBA8 texture with one level on the current context, as an
// app would before handing it to gpureg (0 if GL 4.5 is missing).
func NewTexture(width, height int) uint32 {
	return uint32(C.egl_texture_make(C.int32_t(width), C.int32_t(height)))
}

// NewBuffer makes a buffer of size bytes (immutable storage, dynamic) on the current context.
func NewBuffer(size int) uint32 { return uint32(C.egl_buffer_make(C.int64_t(size))) }

// IsTexture is glIsTexture.
func IsTexture(name uint32) bool { return C.egl_is(C.uint32_t(name), 1) != 0 }

// IsBuffer is glIsBuffer.
func IsBuffer(name uint32) bool { return C.egl_is(C.uint32_t(name), 0) != 0 }

// DeleteTexture is glDeleteTextures of one name.
func DeleteTexture(name uint32) { C.egl_delete(C.uint32_t(name), 1) }

// DeleteBuffer is glDeleteBuffers of one name.
func DeleteBuffer(name uint32) { C.egl_delete(C.uint32_t(name), 0) }

// objectKinds are gpureg's names of the generic kinds GL has, in egl_object_make's order.
var objectKinds = map[string]C.int{"framebuffer": 0, "renderbuffer": 1, "vertex_array": 2, "sampler": 3,
	"shader": 4, "program": 5}

// NewObject makes a GL object of a gpureg kind on the current context ("framebuffer",
// "renderbuffer", "vertex_array", "sampler", "shader": a vertex shader, "program"), as an app
// would before handing it to gpureg: 0 if GL 4.5 is missing or the kind is not one of these.
func NewObject(kind string) uint32 {
	what, ok := objectKinds[kind]
	if !ok {
		return 0
	}
	return uint32(C.egl_object_make(what))
}

// IsObject is glIsFramebuffer, glIsRenderbuffer, ... for the kind (false for other kinds).
func IsObject(kind string, name uint32) bool {
	what, ok := objectKinds[kind]
	return ok && C.egl_object_is(what, C.uint32_t(name)) != 0
}

// DeleteObject is glDeleteFramebuffers, ... of one name of the kind.
func DeleteObject(kind string, name uint32) {
	if what, ok := objectKinds[kind]; ok {
		C.egl_object_delete(what, C.uint32_t(name))
	}
}

func param(what int, name, pname uint32) int32 {
	return int32(C.egl_param(C.int(what), C.uint32_t(name), C.uint32_t(pname)))
}

// TextureParameter is glGetTextureParameteriv (-1 if GL 4.5 is missing).
func TextureParameter(name, pname uint32) int32 { return param(0, name, pname) }

// SamplerParameter is glGetSamplerParameteriv.
func SamplerParameter(name, pname uint32) int32 { return param(1, name, pname) }

// BufferParameter is glGetNamedBufferParameteriv.
func BufferParameter(name, pname uint32) int32 { return param(2, name, pname) }

// ProgramParameter is glGetProgramiv.
func ProgramParameter(name, pname uint32) int32 { return param(3, name, pname) }

// FramebufferAttachment is the name of the object attached at attachment (GL_COLOR_ATTACHMENT0,
// GL_STENCIL_ATTACHMENT, ...) of framebuffer fb: 0 for none.
func FramebufferAttachment(fb, attachment uint32) uint32 { return uint32(param(4, fb, attachment)) }

// FramebufferComplete is glCheckNamedFramebufferStatus(fb, GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE.
func FramebufferComplete(fb uint32) bool { return param(5, fb, 0x8D40) == 0x8CD5 }

// Close releases the context from the thread and destroys it.
func (c *Context) Close() { C.egl_free(c.display, c.context) }
