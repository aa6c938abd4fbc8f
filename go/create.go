package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gr_texture_create
#cgo noescape gr_texture_create
#cgo nocallback gr_buffer_create
#cgo noescape gr_buffer_create
#cgo nocallback gr_texture_adopt
#cgo noescape gr_texture_adopt
#cgo nocallback gr_buffer_adopt
#cgo noescape gr_buffer_adopt
*/
import "C"

// cTextureDesc is d in C form, with the label already copied to C memory.
func cTextureDesc(d *TextureDesc, label *C.char) C.gpureg_texture_desc {
	var td C.gpureg_texture_desc
	td.width = C.uint32_t(d.Width)
	td.height = C.uint32_t(d.Height)
	td.mip_levels = C.uint32_t(d.MipLevels)
	td.array_layers = C.uint32_t(d.ArrayLayers)
	td.format = C.gpureg_format(d.Format)
	td.usage = C.uint32_t(d.Usage)
	td.label = label
	td.flags = objectFlags(d.ExpectedAtShutdown)
	td.sampler = cSamplerState(&d.Sampler)
	return td
}

// cBufferDesc is d in C form, with the label already copied to C memory.
func cBufferDesc(d *BufferDesc, label *C.char) C.gpureg_buffer_desc {
	var bd C.gpureg_buffer_desc
	bd.size = C.uint64_t(d.Size)
	bd.usage = C.uint32_t(d.Usage)
	bd.label = label
	bd.flags = objectFlags(d.ExpectedAtShutdown)
	bd.update = C.gpureg_buffer_update(d.Update)
	return bd
}

// objectFlags are the desc flags of every kind (gpureg_object_flags).
func objectFlags(expectedAtShutdown bool) C.uint32_t {
	if expectedAtShutdown {
		return C.GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN
	}
	return 0
}

// callerSite is the site of the caller of the exported function that calls callerSite, skip
// frames further up (the desc's CallerSkip).
func callerSite(skip int) Site { return CallerCached(2 + max(skip, 0)) }

// CreateTexture creates a texture with one reference. The caller's function and file:line are
// recorded as its creation site for the report (TextureDesc.CallerSkip moves it up the stack).
// Owner thread.
func (r *Registry) CreateTexture(d TextureDesc) (Texture, error) {
	return r.createTexture("CreateTexture", &d, callerSite(d.CallerSkip))
}

// CreateTextureAt is CreateTexture with an explicit creation site (see [Site]): for engines that
// create on a render thread what the game asked for elsewhere. CallerSkip is ignored.
func (r *Registry) CreateTextureAt(d TextureDesc, site Site) (Texture, error) {
	return r.createTexture("CreateTextureAt", &d, site)
}

// made runs one create or adopt call: a closed registry answers ErrClosed, the site's and the
// label's strings live in C memory for the call (the core copies them), and the call's result is
// the new handle or an error, with the call's log lines delivered.
func (r *Registry) made(op string, site Site, label string, call func(cs *createStrings) C.gr_u64_result) (uint64, error) {
	return r.madeWith(op, site, label, 0, call)
}

// madeWith is made for a call that also puts extra bytes in the scratch (cs.scratch.put).
func (r *Registry) madeWith(op string, site Site, label string, extra int,
	call func(cs *createStrings) C.gr_u64_result) (uint64, error) {
	if r.reg == nil {
		return 0, closedErr(op)
	}
	cs, ok := takeCreateStrings(&r.scratch, site, label, extra)
	if !ok {
		return 0, outOfMemory(op)
	}
	res := call(&cs)
	r.scratch.give()
	if err := r.check(op, res.result); err != nil {
		return 0, err
	}
	r.drainOwner()
	return uint64(res.value), nil
}

func (r *Registry) createTexture(op string, d *TextureDesc, site Site) (Texture, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		return C.gr_texture_create(r.reg, cTextureDesc(d, cs.label), cSite(cs))
	})
	return Texture(h), err
}

// CreateBuffer creates a buffer with one reference, recording the caller as its site. Owner thread.
func (r *Registry) CreateBuffer(d BufferDesc) (Buffer, error) {
	return r.createBuffer("CreateBuffer", &d, callerSite(d.CallerSkip))
}

// CreateBufferAt is CreateBuffer with an explicit creation site. CallerSkip is ignored.
func (r *Registry) CreateBufferAt(d BufferDesc, site Site) (Buffer, error) {
	return r.createBuffer("CreateBufferAt", &d, site)
}

func (r *Registry) createBuffer(op string, d *BufferDesc, site Site) (Buffer, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		return C.gr_buffer_create(r.reg, cBufferDesc(d, cs.label), cSite(cs))
	})
	return Buffer(h), err
}

// AdoptTexture puts a texture made elsewhere under a handle for tracking: one reference,
// deferred release, label, creation site (the caller) and report line, like gpureg's own. The
// desc describes the object as it was made. gpureg never destroys the native object: the app
// keeps it, and deletes it once the handle is released and the frame that last used it is done
// (State answers StateDestroyed). Works on every backend (native is any non-zero id on the
// null backend); on GL and Vulkan, [Registry.AdoptGLTexture] and [Registry.AdoptVkTexture]
// hand the deletion to gpureg too. Owner thread.
func (r *Registry) AdoptTexture(d TextureDesc, native uint64) (Texture, error) {
	return r.adoptTexture("AdoptTexture", &d, native, callerSite(d.CallerSkip))
}

// AdoptTextureAt is AdoptTexture with an explicit creation site.
func (r *Registry) AdoptTextureAt(d TextureDesc, native uint64, site Site) (Texture, error) {
	return r.adoptTexture("AdoptTextureAt", &d, native, site)
}

func (r *Registry) adoptTexture(op string, d *TextureDesc, native uint64, site Site) (Texture, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		return C.gr_texture_adopt(r.reg, cTextureDesc(d, cs.label), C.uint64_t(native), cSite(cs))
	})
	return Texture(h), err
}

// AdoptBuffer is AdoptTexture for a buffer: tracking only, the app keeps the native object.
func (r *Registry) AdoptBuffer(d BufferDesc, native uint64) (Buffer, error) {
	return r.adoptBuffer("AdoptBuffer", &d, native, callerSite(d.CallerSkip))
}

// AdoptBufferAt is AdoptBuffer with an explicit creation site.
func (r *Registry) AdoptBufferAt(d BufferDesc, native uint64, site Site) (Buffer, error) {
	return r.adoptBuffer("AdoptBufferAt", &d, native, site)
}

func (r *Registry) adoptBuffer(op string, d *BufferDesc, native uint64, site Site) (Buffer, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		return C.gr_buffer_adopt(r.reg, cBufferDesc(d, cs.label), C.uint64_t(native), cSite(cs))
	})
	return Buffer(h), err
}
