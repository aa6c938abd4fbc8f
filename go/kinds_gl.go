package gpureg

/*
#include "cgo_helpers.h"
#include "gpureg/gpureg_gl.h"

// Weak, as in gl.go: a C library built without the GL backend still links; these then answer
// UNSUPPORTED.
#pragma weak gpureg_gl_object_adopt_at
#pragma weak gpureg_gl_object_name
#pragma weak gpureg_gl_context_lost

static gr_u64_result gr_gl_object_adopt(gpureg_registry *reg, gpureg_object_desc od, uint32_t name, uint32_t ownership,
                                        gpureg_site site) {
    gr_u64_result r = {0, GPUREG_ERR_UNSUPPORTED};
    if (!gpureg_gl_object_adopt_at) return r;
    gpureg_object out = {0};
    r.result = (int32_t)gpureg_gl_object_adopt_at(reg, &od, name, (gpureg_gl_ownership)ownership, &site, &out);
    r.value = out.id;
    return r;
}

typedef struct gr_kinded_result {
    uint64_t value;
    uint32_t kind;
    int32_t result;
} gr_kinded_result;

static gr_kinded_result gr_gl_object_name(const gpureg_registry *reg, uint64_t handle) {
    gr_kinded_result r = {0, GPUREG_KIND_UNDEFINED, GPUREG_ERR_UNSUPPORTED};
    if (!gpureg_gl_object_name) return r;
    gpureg_object o = {handle};
    uint32_t name = 0;
    gpureg_object_kind kind = GPUREG_KIND_UNDEFINED;
    r.result = (int32_t)gpureg_gl_object_name(reg, o, &name, &kind);
    r.value = name;
    r.kind = (uint32_t)kind;
    return r;
}

static int32_t gr_gl_context_lost(gpureg_registry *reg) {
    return gpureg_gl_context_lost ? (int32_t)gpureg_gl_context_lost(reg) : GPUREG_ERR_UNSUPPORTED;
}
#cgo nocallback gr_gl_object_adopt
#cgo noescape gr_gl_object_adopt
#cgo nocallback gr_gl_object_name
#cgo noescape gr_gl_object_name
#cgo nocallback gr_gl_context_lost
#cgo noescape gr_gl_context_lost
*/
import "C"

// AdoptGLObject puts a GL framebuffer, renderbuffer, vertex array, sampler, shader or program
// the app made (d.Kind says which) under a handle: the same refcount, deferred deletion
// (GLAdoptDelete: glDeleteFramebuffers, ... on the owner thread after the fence), label
// (glObjectLabel), creation site (the caller) and report as gpureg's own. A framebuffer or
// vertex array must be a name of the registry's own context (GL container objects belong to one
// context). On error the app still owns the name. Owner thread; ErrUnsupported on other
// backends (and for samplers without GL 3.3).
func (r *Registry) AdoptGLObject(d ObjectDesc, name uint32, own GLOwnership) (Object, error) {
	return r.adoptGLObject("AdoptGLObject", &d, name, own, callerSite(d.CallerSkip))
}

// AdoptGLObjectAt is AdoptGLObject with an explicit creation site.
func (r *Registry) AdoptGLObjectAt(d ObjectDesc, name uint32, own GLOwnership, site Site) (Object, error) {
	return r.adoptGLObject("AdoptGLObjectAt", &d, name, own, site)
}

func (r *Registry) adoptGLObject(op string, d *ObjectDesc, name uint32, own GLOwnership, site Site) (Object, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		return C.gr_gl_object_adopt(r.reg, cObjectDesc(d, cs.label), C.uint32_t(name), C.uint32_t(own), cSite(cs))
	})
	return Object(h), err
}

// GLObject resolves an object handle to its GL name and kind. Any goroutine (wait-free: the
// fast path, no crossing); use the name on the owner thread, and only while the handle is
// alive. A texture or buffer handle answers ErrWrongType; other backends ErrUnsupported.
func (r *Registry) GLObject(o Object) (uint32, Kind, error) {
	if native, kind, ok := r.fp.object(backendGL, uint64(o)); ok {
		return uint32(native), kind, nil // a GL registry's native is the object's name
	}
	return r.glObjectC(o)
}

// glObjectC is GLObject through the C call (see retainC).
func (r *Registry) glObjectC(o Object) (uint32, Kind, error) {
	if r.reg == nil {
		return 0, 0, closedErr("GLObject")
	}
	res := C.gr_gl_object_name(r.reg, C.uint64_t(o))
	if err := r.checkAny("GLObject", res.result); err != nil {
		return 0, 0, err
	}
	return uint32(res.value), Kind(res.kind), nil
}

// GLContextLost tells a GL registry that its context was lost (a GPU reset the app learnt of
// otherwise; with the robustness extensions gpureg also polls glGetGraphicsResetStatus in the
// frame calls and Collect). The registry then answers ErrDeviceLost to every call that would
// touch GL, calls GL no more (not even glDelete*: the names died with the context), and can
// still be queried, reported and closed. Idempotent. Owner thread; ErrUnsupported on other
// backends.
func (r *Registry) GLContextLost() error {
	if r.reg == nil {
		return closedErr("GLContextLost")
	}
	err := r.check("GLContextLost", C.gr_gl_context_lost(r.reg))
	r.drainOwner()
	return err
}
