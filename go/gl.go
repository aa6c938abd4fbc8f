package gpureg

/*
#cgo linux LDFLAGS: -ldl
#include <dlfcn.h>
#include "cgo_helpers.h"
#include "gpureg/gpureg_gl.h"

// Weak: a C library built without the GL backend still links; NewGL then answers UNSUPPORTED.
#pragma weak gpureg_gl_create
#pragma weak gpureg_gl_texture_name
#pragma weak gpureg_gl_buffer_name
#pragma weak gpureg_gl_get_info

// The loader of the context current on this thread: EGL's or GLX's eglGetProcAddress /
// glXGetProcAddressARB, whichever the app's process has loaded and has a current context, so
// NewGL needs nothing from Go but options. Chosen per create, on the creating thread.
typedef void *(*gr_loader_fn)(const char *);
static _Thread_local gr_loader_fn gr_gl_loader;

static gpureg_gl_proc gr_gl_get_proc(const char *name) {
    void *p = gr_gl_loader ? gr_gl_loader(name) : NULL;
    if (!p) p = dlsym(RTLD_DEFAULT, name);
    gpureg_gl_proc f;
    memcpy(&f, &p, sizeof f);
    return f;
}

static gr_loader_fn gr_find_loader(void) {
    const char *pairs[2][2] = {{"eglGetCurrentContext", "eglGetProcAddress"},
                               {"glXGetCurrentContext", "glXGetProcAddressARB"}};
    for (int i = 0; i < 2; i++) {
        void *current = dlsym(RTLD_DEFAULT, pairs[i][0]);
        void *loader = dlsym(RTLD_DEFAULT, pairs[i][1]);
        if (!current || !loader) continue;
        void *(*get_current)(void);
        memcpy(&get_current, &current, sizeof current);
        if (!get_current()) continue;
        gr_loader_fn f;
        memcpy(&f, &loader, sizeof f);
        return f;
    }
    return NULL;
}

static gr_ptr_result gr_gl_create(uintptr_t get_proc_address, uint32_t disable_features, uint32_t frames_in_flight,
                                  uint32_t message_capacity, uint32_t shutdown_timeout_ms, uint32_t report_format) {
    gr_ptr_result r = gr_registry_result(GPUREG_ERR_UNSUPPORTED, NULL);
    if (!gpureg_gl_create) return r;
    gpureg_gl_desc gl;
    memset(&gl, 0, sizeof gl);
    if (get_proc_address) {
        memcpy(&gl.get_proc_address, &get_proc_address, sizeof gl.get_proc_address);
    } else {
        gr_gl_loader = gr_find_loader();
        if (!gr_gl_loader) return r; // no current context in this process/thread
        gl.get_proc_address = gr_gl_get_proc;
    }
    gl.disable_features = disable_features;
    gpureg_registry_desc rd = gr_registry_desc(frames_in_flight, message_capacity, shutdown_timeout_ms, report_format);
    gpureg_registry *reg = NULL;
    gpureg_result result = gpureg_gl_create(&gl, &rd, &reg);
    return gr_registry_result(result, reg);
}

static gr_u64_result gr_gl_name(const gpureg_registry *reg, uint64_t handle, int is_texture) {
    gr_u64_result r = {0, GPUREG_ERR_UNSUPPORTED};
    uint32_t name = 0;
    if (is_texture && gpureg_gl_texture_name) {
        gpureg_texture t = {handle};
        r.result = (int32_t)gpureg_gl_texture_name(reg, t, &name, NULL);
    } else if (!is_texture && gpureg_gl_buffer_name) {
        gpureg_buffer b = {handle};
        r.result = (int32_t)gpureg_gl_buffer_name(reg, b, &name);
    }
    r.value = name;
    return r;
}

typedef struct gr_gl_info_result {
    gpureg_gl_info info;
    int32_t result;
} gr_gl_info_result;

static gr_gl_info_result gr_gl_info(const gpureg_registry *reg) {
    gr_gl_info_result r;
    memset(&r, 0, sizeof r);
    r.result = gpureg_gl_get_info ? (int32_t)gpureg_gl_get_info(reg, &r.info) : GPUREG_ERR_UNSUPPORTED;
    return r;
}
#cgo nocallback gr_gl_create
#cgo noescape gr_gl_create
#cgo nocallback gr_gl_name
#cgo noescape gr_gl_name
#cgo nocallback gr_gl_info
#cgo noescape gr_gl_info
*/
import "C"

// GL feature bits (gpureg_gl_feature) for Options.GLDisableFeatures and GLInfo.Features.
const (
	GLFeatureTextureStorage    uint32 = C.GPUREG_GL_FEATURE_TEXTURE_STORAGE
	GLFeatureBufferStorage     uint32 = C.GPUREG_GL_FEATURE_BUFFER_STORAGE
	GLFeatureDebug             uint32 = C.GPUREG_GL_FEATURE_DEBUG
	GLFeatureStorageBuffers    uint32 = C.GPUREG_GL_FEATURE_STORAGE_BUFFERS
	GLFeatureBGRA              uint32 = C.GPUREG_GL_FEATURE_BGRA
	GLFeatureFloatRender       uint32 = C.GPUREG_GL_FEATURE_FLOAT_RENDER
	GLFeatureDirectStateAccess uint32 = C.GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS
)

// GLOptions are the GL backend's own settings (all optional).
type GLOptions struct {
	// GetProcAddress is the address of a C loader function (glfwGetProcAddress,
	// eglGetProcAddress, ...) as a uintptr. 0: gpureg finds the loader of the current EGL or GLX
	// context itself.
	GetProcAddress uintptr
	// DisableFeatures forces the fallbacks of the given GLFeature* bits.
	DisableFeatures uint32
}

// NewGL creates a registry on the GL context current on the calling OS thread, which becomes
// the owner: lock the goroutine (runtime.LockOSThread) before making the context current and
// keep it locked; every owner-only call needs the context current. ErrUnsupported when no
// context is current, the context is older than GL 3.3 / ES 3.0, or the C library was built
// without the GL backend.
func NewGL(opts Options) (*Registry, error) { return NewGLWith(opts, GLOptions{}) }

// NewGLWith is NewGL with GL backend settings.
func NewGLWith(opts Options, gl GLOptions) (*Registry, error) {
	if opts.LeakReport == ReportDefault {
		opts.LeakReport = ReportOff
	}
	res := C.gr_gl_create(C.uintptr_t(gl.GetProcAddress), C.uint32_t(gl.DisableFeatures),
		C.uint32_t(opts.FramesInFlight), C.uint32_t(opts.MessageCapacity), C.uint32_t(opts.ShutdownTimeoutMS),
		C.uint32_t(opts.LeakReport))
	if err := check("NewGL", res.result); err != nil {
		return nil, err
	}
	return newRegistry((*C.gpureg_registry)(res.ptr), res.addr), nil
}

// GLTexture resolves a texture handle to its GL name. Any goroutine (wait-free); use the name
// on the owner thread, and only while the handle is alive.
func (r *Registry) GLTexture(t Texture) (uint32, error) { return r.glName("GLTexture", uint64(t), 1) }

// GLBuffer resolves a buffer handle to its GL name.
func (r *Registry) GLBuffer(b Buffer) (uint32, error) { return r.glName("GLBuffer", uint64(b), 0) }

func (r *Registry) glName(op string, h uint64, isTexture C.int) (uint32, error) {
	if r.reg == nil {
		return 0, closedErr(op)
	}
	res := C.gr_gl_name(r.reg, C.uint64_t(h), isTexture)
	if res.result != 0 {
		return 0, &Error{Op: op, Code: Result(res.result)}
	}
	return uint32(res.value), nil
}

// GLInfo describes the context and the paths gpureg chose.
type GLInfo struct {
	IsGLES                         bool
	Major, Minor                   uint32
	Features                       uint32 // GLFeature* bits in use
	MaxTextureSize, MaxArrayLayers uint32
	DebugSynchronous               bool
}

// GLInfo answers ErrUnsupported for registries of other backends. Any goroutine.
func (r *Registry) GLInfo() (GLInfo, error) {
	if r.reg == nil {
		return GLInfo{}, closedErr("GLInfo")
	}
	res := C.gr_gl_info(r.reg)
	if err := check("GLInfo", res.result); err != nil {
		return GLInfo{}, err
	}
	in := &res.info
	return GLInfo{IsGLES: in.is_gles != 0, Major: uint32(in.major), Minor: uint32(in.minor),
		Features: uint32(in.features), MaxTextureSize: uint32(in.max_texture_size),
		MaxArrayLayers: uint32(in.max_array_layers), DebugSynchronous: in.debug_synchronous != 0}, nil
}
