package gpureg

/*
#include "cgo_helpers.h"

// Tracking-only adoption of any generic kind (destroy NULL: the app keeps the native object).
static gr_u64_result gr_object_adopt(gpureg_registry *reg, gpureg_object_desc od, uint64_t native, gpureg_site site) {
    gpureg_object out = {0};
    gr_u64_result r;
    r.result = (int32_t)gpureg_object_adopt_at(reg, &od, native, NULL, NULL, &site, &out);
    r.value = out.id;
    return r;
}
#cgo nocallback gr_object_adopt
#cgo noescape gr_object_adopt
#cgo nocallback gpureg_kind_name
#cgo noescape gpureg_kind_name
#cgo nocallback gpureg_object_depend
#cgo noescape gpureg_object_depend
*/
import "C"

// Object is a handle of any kind other than textures and buffers (type TypeObject):
// framebuffers, renderbuffers, vertex arrays, samplers, shaders, programs, and Vulkan image
// views, render passes, pipelines, layouts and descriptor pools. It has what a Texture has: one
// refcount ([Registry.Retain], [Registry.Release], [Tie]: the same fast path), deferred
// destruction on the owner thread after its frame's fence, label, creation site, Info, and a
// report line grouped under its kind.
type Object uint64

// Handle returns o as an untyped handle.
func (o Object) Handle() Handle { return Handle(o) }

// KindCount is one past the highest Kind: the length of Stats.ByKind.
const KindCount Kind = C.GPUREG_KIND_COUNT

// String is the C library's name of the kind, as the report writes it ("framebuffer",
// "descriptor_set_layout"); "undefined" for unknown values.
func (k Kind) String() string { return C.GoString(C.gpureg_kind_name(C.gpureg_object_kind(k))) }

// ShaderStage is a shader's pipeline stage (gpureg_shader_stage).
type ShaderStage uint32

const (
	StageUndefined ShaderStage = C.GPUREG_STAGE_UNDEFINED // not known (adopted shaders only)
	StageVertex    ShaderStage = C.GPUREG_STAGE_VERTEX
	StageFragment  ShaderStage = C.GPUREG_STAGE_FRAGMENT
	StageCompute   ShaderStage = C.GPUREG_STAGE_COMPUTE
)

// ObjectDesc describes an object of a generic kind for the adopt calls, Info and the report
// (gpureg_object_desc). Kind is required (KindFramebuffer .. KindDescriptorPool).
type ObjectDesc struct {
	Kind Kind
	// Width, Height, Format, Samples: KindRenderbuffer only (0 elsewhere), its storage, for the
	// report's bytes; an adopted renderbuffer may leave them 0 (bytes 0). Samples 0 means 1,
	// else a power of two up to 64.
	Width, Height uint32
	Format        Format
	Samples       uint32
	Stage         ShaderStage // KindShader only (0 elsewhere; 0 = not known)
	Label         string      // copied; truncated at 255 bytes. Not filled by Info.
	// CallerSkip: as TextureDesc.CallerSkip (the adopt forms without a site).
	CallerSkip int
	// ExpectedAtShutdown: as TextureDesc.ExpectedAtShutdown.
	ExpectedAtShutdown bool
}

// cObjectDesc is d in C form, with the label already copied to C memory.
func cObjectDesc(d *ObjectDesc, label *C.char) C.gpureg_object_desc {
	var od C.gpureg_object_desc
	od.kind = C.gpureg_object_kind(d.Kind)
	od.label = label
	od.flags = objectFlags(d.ExpectedAtShutdown)
	od.width = C.uint32_t(d.Width)
	od.height = C.uint32_t(d.Height)
	od.format = C.gpureg_format(d.Format)
	od.samples = C.uint32_t(d.Samples)
	od.stage = C.gpureg_shader_stage(d.Stage)
	return od
}

func objectDesc(c *C.gpureg_object_desc) ObjectDesc {
	return ObjectDesc{Kind: Kind(c.kind), Width: uint32(c.width), Height: uint32(c.height), Format: Format(c.format),
		Samples: uint32(c.samples), Stage: ShaderStage(c.stage)}
}

// ObjectNative resolves an object handle to its native object (GL name, Vulkan handle, null-backend
// id); a texture or buffer handle answers ErrWrongType. Any goroutine; wait-free and
// allocation-free on success (the fast path).
func (r *Registry) ObjectNative(o Object) (uint64, error) {
	return r.resolve("ObjectNative", Handle(o), TypeObject)
}

// AdoptObject puts an object of a generic kind made elsewhere under a handle for tracking: one
// reference, deferred release, label, creation site (the caller) and report line, like
// gpureg's own. gpureg never destroys the native object: the app keeps it and deletes it once
// the handle is released and the frame that last used it is done (State answers
// StateDestroyed). There is no Go destroy callback (C never calls Go): on GL and Vulkan,
// [Registry.AdoptGLObject] and [Registry.AdoptVkObject] hand the deletion to gpureg instead.
// Works on every backend (native is any non-zero id on the null backend). Owner thread.
func (r *Registry) AdoptObject(d ObjectDesc, native uint64) (Object, error) {
	return r.adoptObject("AdoptObject", &d, native, callerSite(d.CallerSkip))
}

// AdoptObjectAt is AdoptObject with an explicit creation site.
func (r *Registry) AdoptObjectAt(d ObjectDesc, native uint64, site Site) (Object, error) {
	return r.adoptObject("AdoptObjectAt", &d, native, site)
}

func (r *Registry) adoptObject(op string, d *ObjectDesc, native uint64, site Site) (Object, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		return C.gr_object_adopt(r.reg, cObjectDesc(d, cs.label), C.uint64_t(native), cSite(cs))
	})
	return Object(h), err
}

// Depend makes dependent and parent one unit: once released, dependent is destroyed in the
// collection that destroys parent, just before it, and never while parent lives; a released
// parent waits for every dependent that still exists (an image's framebuffer and stencil
// renderbuffer depend on its texture, and all go after the same fence, in any release order).
// Both must be alive; an object has at most one parent (ErrInvalidArgument for a second one,
// for the same object twice, or for a cycle). Any kinds, textures and buffers included. Owner
// thread.
func (r *Registry) Depend(dependent, parent Handle) error {
	if r.reg == nil {
		return closedErr("Depend")
	}
	return r.check("Depend",
		C.int32_t(C.gpureg_object_depend(r.reg, C.gpureg_handle(dependent), C.gpureg_handle(parent))))
}
