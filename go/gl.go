package gpureg

/*
#include <stdio.h>
#include "cgo_helpers.h"
#include "gpureg/gpureg_gl.h"

// Weak: a C library built without the GL backend still links; NewGL then answers UNSUPPORTED.
#pragma weak gpureg_gl_create
#pragma weak gpureg_gl_current_loader
#pragma weak gpureg_gl_texture_name
#pragma weak gpureg_gl_buffer_name
#pragma weak gpureg_gl_get_info
#pragma weak gpureg_gl_texture_adopt_at
#pragma weak gpureg_gl_buffer_adopt_at

// get_proc_address 0: the loader of the context current on this thread, found by the C
// library's gpureg_gl_current_loader (EGL or GLX, also when the app's windowing library opened
// them RTLD_LOCAL, as GLFW does). When none is current, the reason it gives (what it tried) goes
// into the log ring, where Go reads it for the error and for Options.Log.
static gr_ptr_result gr_gl_create(uintptr_t get_proc_address, uint32_t disable_features, int32_t debug_asynchronous,
                                  gr_options o) {
    gr_ptr_result r = gr_registry_result(GPUREG_ERR_UNSUPPORTED, NULL);
    if (!gpureg_gl_create || !gpureg_gl_current_loader) {
        gr_log_add(o.diag, GPUREG_LOG_ERROR, GPUREG_ERR_UNSUPPORTED,
                   "gpureg_gl_create: the gpureg C library was built without the GL backend");
        return r;
    }
    gpureg_gl_desc gl;
    memset(&gl, 0, sizeof gl);
    if (get_proc_address) {
        memcpy(&gl.get_proc_address, &get_proc_address, sizeof gl.get_proc_address);
    } else {
        char why[480], line[GR_LOG_TEXT];
        why[0] = '\0';
        gl.get_proc_address = gpureg_gl_current_loader(why, sizeof why);
        if (!gl.get_proc_address) {
            snprintf(line, sizeof line, "gpureg_gl_current_loader: %s", why);
            gr_log_add(o.diag, GPUREG_LOG_ERROR, GPUREG_ERR_UNSUPPORTED, line);
            return r;
        }
    }
    gl.disable_features = disable_features;
    gl.debug_asynchronous = debug_asynchronous;
    gpureg_registry_desc rd = gr_registry_desc(o);
    gpureg_registry *reg = NULL;
    gpureg_result result = gpureg_gl_create(&gl, &rd, &reg);
    return gr_registry_result(result, reg);
}

static gr_u64_result gr_gl_texture_adopt(gpureg_registry *reg, gpureg_texture_desc td, uint32_t name,
                                         uint32_t ownership, gpureg_site site) {
    gr_u64_result r = {0, GPUREG_ERR_UNSUPPORTED};
    if (!gpureg_gl_texture_adopt_at) return r;
    gpureg_texture out = {0};
    r.result = (int32_t)gpureg_gl_texture_adopt_at(reg, &td, name, (gpureg_gl_ownership)ownership, &site, &out);
    r.value = out.id;
    return r;
}

static gr_u64_result gr_gl_buffer_adopt(gpureg_registry *reg, gpureg_buffer_desc bd, uint32_t name,
                                        uint32_t ownership, gpureg_site site) {
    gr_u64_result r = {0, GPUREG_ERR_UNSUPPORTED};
    if (!gpureg_gl_buffer_adopt_at) return r;
    gpureg_buffer out = {0};
    r.result = (int32_t)gpureg_gl_buffer_adopt_at(reg, &bd, name, (gpureg_gl_ownership)ownership, &site, &out);
    r.value = out.id;
    return r;
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
#cgo nocallback gr_gl_texture_adopt
#cgo noescape gr_gl_texture_adopt
#cgo nocallback gr_gl_buffer_adopt
#cgo noescape gr_gl_buffer_adopt
*/
import "C"

// GL feature bits (gpureg_gl_feature) for GLOptions.DisableFeatures and GLInfo.Features.
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
	// eglGetProcAddress, ...) as a uintptr. 0: gpureg finds the loader of the context current on
	// the calling thread itself (gpureg_gl_current_loader: EGL, then GLX, also inside a
	// windowing library that loaded them privately, as GLFW and SDL do).
	GetProcAddress uintptr
	// DisableFeatures forces the fallbacks of the given GLFeature* bits.
	DisableFeatures uint32
	// DebugAsynchronous leaves the driver's debug output asynchronous (faster on some drivers):
	// messages may then arrive from driver threads and are not mapped to the object gpureg was
	// working on. Default: GL_DEBUG_OUTPUT_SYNCHRONOUS is enabled (GLInfo.DebugSynchronous).
	DebugAsynchronous bool
}

// NewGL creates a registry on the GL context current on the calling OS thread, which becomes
// the owner: lock the goroutine (runtime.LockOSThread) before making the context current and
// keep it locked; every owner-only call needs the context current. The GL loader is found from
// the current EGL or GLX context. ErrUnsupported when no context is current (the error's Detail,
// and the Options.Log hook, say what was tried), the context is older than GL 3.3 / ES 3.0, or
// the C library was built without the GL backend.
func NewGL(opts Options) (*Registry, error) { return NewGLWith(opts, GLOptions{}) }

// NewGLWith is NewGL with GL backend settings.
func NewGLWith(opts Options, gl GLOptions) (*Registry, error) {
	diag := newDiag()
	if diag == nil {
		return nil, outOfMemory("NewGL")
	}
	r := newPending(opts, diag)
	return r.finish("NewGL", C.gr_gl_create(C.uintptr_t(gl.GetProcAddress), C.uint32_t(gl.DisableFeatures),
		C.int32_t(boolInt(gl.DebugAsynchronous)), cOptions(&opts, diag)))
}

// GLOwnership says who deletes an adopted GL object (gpureg_gl_ownership).
type GLOwnership uint32

const (
	// GLAdoptDelete: gpureg deletes the name (glDeleteTextures / glDeleteBuffers) on the owner
	// thread once the handle is released and its frame fence signalled.
	GLAdoptDelete GLOwnership = C.GPUREG_GL_ADOPT_DELETE
	// GLAdoptKeep: gpureg only tracks it; the app keeps the name and deletes it.
	GLAdoptKeep GLOwnership = C.GPUREG_GL_ADOPT_KEEP
)

// AdoptGLTexture puts a GL texture the app made (on this registry's context) under a handle:
// the same refcount, deferred deletion, label (glObjectLabel), creation site (the caller) and
// report as gpureg's own. The desc describes the texture as the app made it. On error the app
// still owns the name. Owner thread; ErrUnsupported on other backends.
func (r *Registry) AdoptGLTexture(d TextureDesc, name uint32, own GLOwnership) (Texture, error) {
	return r.adoptGLTexture("AdoptGLTexture", &d, name, own, callerSite(d.CallerSkip))
}

// AdoptGLTextureAt is AdoptGLTexture with an explicit creation site.
func (r *Registry) AdoptGLTextureAt(d TextureDesc, name uint32, own GLOwnership, site Site) (Texture, error) {
	return r.adoptGLTexture("AdoptGLTextureAt", &d, name, own, site)
}

func (r *Registry) adoptGLTexture(op string, d *TextureDesc, name uint32, own GLOwnership, site Site) (Texture, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		return C.gr_gl_texture_adopt(r.reg, cTextureDesc(d, cs.label), C.uint32_t(name), C.uint32_t(own), cSite(cs))
	})
	return Texture(h), err
}

// AdoptGLBuffer is AdoptGLTexture for a GL buffer.
func (r *Registry) AdoptGLBuffer(d BufferDesc, name uint32, own GLOwnership) (Buffer, error) {
	return r.adoptGLBuffer("AdoptGLBuffer", &d, name, own, callerSite(d.CallerSkip))
}

// AdoptGLBufferAt is AdoptGLBuffer with an explicit creation site.
func (r *Registry) AdoptGLBufferAt(d BufferDesc, name uint32, own GLOwnership, site Site) (Buffer, error) {
	return r.adoptGLBuffer("AdoptGLBufferAt", &d, name, own, site)
}

func (r *Registry) adoptGLBuffer(op string, d *BufferDesc, name uint32, own GLOwnership, site Site) (Buffer, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		return C.gr_gl_buffer_adopt(r.reg, cBufferDesc(d, cs.label), C.uint32_t(name), C.uint32_t(own), cSite(cs))
	})
	return Buffer(h), err
}

// GLTexture resolves a texture handle to its GL name. Any goroutine (wait-free); use the name
// on the owner thread, and only while the handle is alive.
func (r *Registry) GLTexture(t Texture) (uint32, error) { return r.glName("GLTexture", uint64(t), 1) }

// GLBuffer resolves a buffer handle to its GL name.
func (r *Registry) GLBuffer(b Buffer) (uint32, error) { return r.glName("GLBuffer", uint64(b), 0) }

func (r *Registry) glName(op string, h uint64, isTexture C.int) (uint32, error) {
	t := uint32(TypeBuffer)
	if isTexture != 0 {
		t = uint32(TypeTexture)
	}
	if r.fp.on(backendGL, h, t) {
		if native, ok := r.fp.resolve(h); ok {
			return uint32(native), nil // a GL registry's native is the object's name
		}
	}
	return r.glNameC(op, h, isTexture)
}

// glNameC is glName through the C call (see retainC).
func (r *Registry) glNameC(op string, h uint64, isTexture C.int) (uint32, error) {
	if r.reg == nil {
		return 0, closedErr(op)
	}
	res := C.gr_gl_name(r.reg, C.uint64_t(h), isTexture)
	if err := r.checkAny(op, res.result); err != nil {
		return 0, err
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
	if err := r.checkAny("GLInfo", res.result); err != nil {
		return GLInfo{}, err
	}
	in := &res.info
	return GLInfo{IsGLES: in.is_gles != 0, Major: uint32(in.major), Minor: uint32(in.minor),
		Features: uint32(in.features), MaxTextureSize: uint32(in.max_texture_size),
		MaxArrayLayers: uint32(in.max_array_layers), DebugSynchronous: in.debug_synchronous != 0}, nil
}
