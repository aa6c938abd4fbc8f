package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gr_resolve
#cgo noescape gr_resolve
#cgo nocallback gpureg_query_state
#cgo noescape gpureg_query_state
#cgo nocallback gr_query
#cgo noescape gr_query
#cgo nocallback gr_get_label
#cgo noescape gr_get_label
#cgo nocallback gpureg_set_label
#cgo noescape gpureg_set_label
#cgo nocallback free
#cgo noescape free
*/
import "C"

import "unsafe"

// ObjectType is a handle's object type.
type ObjectType uint32

const (
	TypeUndefined ObjectType = C.GPUREG_TYPE_UNDEFINED // in Native: accept any type
	TypeTexture   ObjectType = C.GPUREG_TYPE_TEXTURE
	TypeBuffer    ObjectType = C.GPUREG_TYPE_BUFFER
	TypeObject    ObjectType = C.GPUREG_TYPE_OBJECT // every other kind (Kind)
)

// Kind is what an object is: textures and buffers, and the kinds of TypeObject.
type Kind uint32

const (
	KindUndefined           Kind = C.GPUREG_KIND_UNDEFINED
	KindTexture             Kind = C.GPUREG_KIND_TEXTURE
	KindBuffer              Kind = C.GPUREG_KIND_BUFFER
	KindFramebuffer         Kind = C.GPUREG_KIND_FRAMEBUFFER
	KindRenderbuffer        Kind = C.GPUREG_KIND_RENDERBUFFER
	KindVertexArray         Kind = C.GPUREG_KIND_VERTEX_ARRAY
	KindSampler             Kind = C.GPUREG_KIND_SAMPLER
	KindShader              Kind = C.GPUREG_KIND_SHADER
	KindProgram             Kind = C.GPUREG_KIND_PROGRAM
	KindImageView           Kind = C.GPUREG_KIND_IMAGE_VIEW
	KindRenderPass          Kind = C.GPUREG_KIND_RENDER_PASS
	KindPipeline            Kind = C.GPUREG_KIND_PIPELINE
	KindPipelineLayout      Kind = C.GPUREG_KIND_PIPELINE_LAYOUT
	KindDescriptorSetLayout Kind = C.GPUREG_KIND_DESCRIPTOR_SET_LAYOUT
	KindDescriptorPool      Kind = C.GPUREG_KIND_DESCRIPTOR_POOL
)

// State is a handle's lifecycle state.
type State uint32

const (
	StateInvalid   State = C.GPUREG_STATE_INVALID   // never issued, forged, foreign or wrong type
	StateAlive     State = C.GPUREG_STATE_ALIVE     // refcount > 0
	StateReleased  State = C.GPUREG_STATE_RELEASED  // refcount 0, waiting for its frame fence
	StateDestroyed State = C.GPUREG_STATE_DESTROYED // destroyed; the handle is stale
)

func (s State) String() string {
	switch s {
	case StateAlive:
		return "alive"
	case StateReleased:
		return "released"
	case StateDestroyed:
		return "destroyed"
	}
	return "invalid"
}

func (r *Registry) resolve(op string, h Handle, expected ObjectType) (uint64, error) {
	if wantType(uint64(h), uint32(expected)) {
		if native, ok := r.fp.resolve(uint64(h)); ok {
			return native, nil
		}
	}
	return r.resolveC(op, h, expected)
}

// resolveC is the resolve through the C call (see retainC).
func (r *Registry) resolveC(op string, h Handle, expected ObjectType) (uint64, error) {
	if r.reg == nil {
		return 0, closedErr(op)
	}
	res := C.gr_resolve(r.addr, C.uint64_t(h), C.uint32_t(expected))
	if res.result != 0 {
		return 0, r.checkAny(op, res.result)
	}
	return uint64(res.value), nil
}

// Native resolves a live handle of either type to its native object (GL name, VkImage or
// VkBuffer, null-backend id). Any goroutine; wait-free and allocation-free on success.
func (r *Registry) Native(h Handle) (uint64, error) { return r.resolve("Native", h, TypeUndefined) }

// TextureNative resolves a texture handle; a buffer handle answers ErrWrongType.
func (r *Registry) TextureNative(t Texture) (uint64, error) {
	return r.resolve("TextureNative", Handle(t), TypeTexture)
}

// BufferNative resolves a buffer handle; a texture handle answers ErrWrongType.
func (r *Registry) BufferNative(b Buffer) (uint64, error) {
	return r.resolve("BufferNative", Handle(b), TypeBuffer)
}

// State answers the lifecycle state of any handle; never fails (StateInvalid when closed).
func (r *Registry) State(h Handle) State {
	if s := r.fp.state(uint64(h)); s != 0 {
		return State(s) // StateAlive or StateReleased, as the word says
	}
	return r.stateC(h)
}

// stateC is State through the C call (see retainC).
func (r *Registry) stateC(h Handle) State {
	if r.reg == nil {
		return StateInvalid
	}
	return State(C.gpureg_query_state(r.reg, C.gpureg_handle(h)))
}

// Info describes a live or released object.
type Info struct {
	Type         ObjectType
	Kind         Kind // KindTexture, KindBuffer, or the generic kind of a TypeObject
	State        State
	Refcount     uint32
	ReleasedByGC bool // the last reference was dropped by the GC safety net
	Adopted      bool
	Native       uint64
	Bytes        uint64 // GPU memory the object accounts for
	FrameCreated uint64
	Texture      TextureDesc // Type == TypeTexture: the desc with defaults applied (no label)
	Buffer       BufferDesc  // Type == TypeBuffer
	Object       ObjectDesc  // Type == TypeObject: kind, renderbuffer storage, shader stage
	Parent       Handle      // the object it depends on (Depend, CreateRenderTarget); 0 if none
}

// Info queries a live or released object. Any goroutine.
func (r *Registry) Info(h Handle) (Info, error) {
	if r.reg == nil {
		return Info{}, closedErr("Info")
	}
	res := C.gr_query(r.reg, C.uint64_t(h))
	if err := r.checkAny("Info", res.result); err != nil {
		return Info{}, err
	}
	in := &res.info
	return Info{
		Type: ObjectType(in._type), Kind: Kind(in.kind), State: State(in.state), Refcount: uint32(in.refcount),
		ReleasedByGC: in.released_by_gc != 0, Adopted: in.adopted != 0, Native: uint64(in.native),
		Bytes: uint64(in.bytes), FrameCreated: uint64(in.frame_created),
		Texture: TextureDesc{Width: uint32(in.texture.width), Height: uint32(in.texture.height),
			MipLevels: uint32(in.texture.mip_levels), ArrayLayers: uint32(in.texture.array_layers),
			Format: Format(in.texture.format), Usage: uint32(in.texture.usage),
			Sampler: samplerState(&in.texture.sampler)},
		Buffer: BufferDesc{Size: uint64(in.buffer.size), Usage: uint32(in.buffer.usage),
			Update: BufferUpdate(in.buffer.update)},
		Object: objectDesc(&in.object),
		Parent: Handle(in.parent),
	}, nil
}

// Label returns the object's label ("" when unlabelled). Any goroutine.
func (r *Registry) Label(h Handle) (string, error) {
	if r.reg == nil {
		return "", closedErr("Label")
	}
	res := C.gr_get_label(r.reg, C.uint64_t(h))
	defer C.free(unsafe.Pointer(res.data))
	if err := r.checkAny("Label", res.result); err != nil {
		return "", err
	}
	if res.data == nil {
		return "", nil
	}
	return C.GoStringN(res.data, C.int(res.length)), nil
}

// SetLabel replaces the label of a live object ("" clears it) and renames the driver object.
// Any goroutine.
func (r *Registry) SetLabel(h Handle, label string) error {
	if r.reg == nil {
		return closedErr("SetLabel")
	}
	if !r.scratch.take(scratchRoom(len(label))) {
		return outOfMemory("SetLabel")
	}
	res := C.gpureg_set_label(r.reg, C.gpureg_handle(h), r.scratch.cstring(label))
	r.scratch.give()
	return r.checkAny("SetLabel", C.int32_t(res))
}
