package gpureg

/*
#include "cgo_helpers.h"

// The create calls of the generic kinds, each with its desc and site by value (built in Go from
// integers and C memory: labels, shader code and shader lists are copied there first).
static gr_u64_result gr_object_result(gpureg_result result, gpureg_object out) {
    gr_u64_result r;
    r.result = (int32_t)result;
    r.value = out.id;
    return r;
}

static gr_u64_result gr_renderbuffer_create(gpureg_registry *reg, gpureg_renderbuffer_desc d, gpureg_site site) {
    gpureg_object out = {0};
    return gr_object_result(gpureg_renderbuffer_create_at(reg, &d, &site, &out), out);
}

static gr_u64_result gr_framebuffer_create(gpureg_registry *reg, gpureg_framebuffer_desc d, gpureg_site site) {
    gpureg_object out = {0};
    return gr_object_result(gpureg_framebuffer_create_at(reg, &d, &site, &out), out);
}

static gr_u64_result gr_sampler_create(gpureg_registry *reg, gpureg_sampler_desc d, gpureg_site site) {
    gpureg_object out = {0};
    return gr_object_result(gpureg_sampler_create_at(reg, &d, &site, &out), out);
}

static gr_u64_result gr_shader_create(gpureg_registry *reg, gpureg_shader_desc d, gpureg_site site) {
    gpureg_object out = {0};
    return gr_object_result(gpureg_shader_create_at(reg, &d, &site, &out), out);
}

static gr_u64_result gr_program_create(gpureg_registry *reg, gpureg_program_desc d, gpureg_site site) {
    gpureg_object out = {0};
    return gr_object_result(gpureg_program_create_at(reg, &d, &site, &out), out);
}

static gr_u64_result gr_vertex_array_create(gpureg_registry *reg, gpureg_vertex_array_desc d, gpureg_site site) {
    gpureg_object out = {0};
    return gr_object_result(gpureg_vertex_array_create_at(reg, &d, &site, &out), out);
}
#cgo nocallback gr_renderbuffer_create
#cgo noescape gr_renderbuffer_create
#cgo nocallback gr_framebuffer_create
#cgo noescape gr_framebuffer_create
#cgo nocallback gr_sampler_create
#cgo noescape gr_sampler_create
#cgo nocallback gr_shader_create
#cgo noescape gr_shader_create
#cgo nocallback gr_program_create
#cgo noescape gr_program_create
#cgo nocallback gr_vertex_array_create
#cgo noescape gr_vertex_array_create
#cgo nocallback free
#cgo noescape free
*/
import "C"

import (
	"math"
	"strconv"
	"unsafe"
)

// MaxColorAttachments is the most colour textures a framebuffer takes.
const MaxColorAttachments = C.GPUREG_MAX_COLOR_ATTACHMENTS

// RenderbufferDesc describes a renderbuffer (GL and the null backend; Vulkan answers
// ErrUnsupported: use a texture): depth, stencil-only (FormatS8Uint), depth-stencil or colour
// storage, multisampled when Samples > 1.
type RenderbufferDesc struct {
	Width, Height uint32 // required
	Format        Format // required
	Samples       uint32 // 0 means 1; a power of two up to the device's limit
	Label         string
	// CallerSkip: as TextureDesc.CallerSkip.
	CallerSkip int
	// ExpectedAtShutdown: as TextureDesc.ExpectedAtShutdown.
	ExpectedAtShutdown bool
}

// FramebufferDesc describes a framebuffer made of gpureg objects (GL and the null backend;
// Vulkan answers ErrUnsupported: a VkFramebuffer needs the app's render pass, adopt it). The
// attachments must be alive at create; the framebuffer holds no reference to them (tie their
// lifetimes with [Registry.Depend], or use [Registry.CreateRenderTarget]).
type FramebufferDesc struct {
	Color []Texture // at mip 0, layer 0, in attachment order; at most MaxColorAttachments, none 0
	// DepthStencil: 0 for none, a depth-format Texture's Handle(), or a renderbuffer Object's.
	DepthStencil Handle
	Label        string
	// CallerSkip: as TextureDesc.CallerSkip.
	CallerSkip int
	// ExpectedAtShutdown: as TextureDesc.ExpectedAtShutdown.
	ExpectedAtShutdown bool
}

// SamplerDesc describes a sampler object (GL sampler, VkSampler, null).
type SamplerDesc struct {
	State SamplerState // zero members: LINEAR, LINEAR, mip None, Repeat
	Label string
	// CallerSkip: as TextureDesc.CallerSkip.
	CallerSkip int
	// ExpectedAtShutdown: as TextureDesc.ExpectedAtShutdown.
	ExpectedAtShutdown bool
}

// ShaderDesc describes a shader: GL compiles Code as GLSL source text (no NUL needed); Vulkan
// makes a VkShaderModule from SPIR-V (a multiple of 4 bytes); the null backend keeps nothing.
// Code is copied into C memory for the call (1 byte to 16 MiB).
type ShaderDesc struct {
	Stage ShaderStage // required
	Code  []byte
	Label string
	// CallerSkip: as TextureDesc.CallerSkip.
	CallerSkip int
	// ExpectedAtShutdown: as TextureDesc.ExpectedAtShutdown.
	ExpectedAtShutdown bool
}

// ProgramDesc describes a program (GL and the null backend) linking the given shader objects
// (1..8, alive at create; the program keeps no reference to them).
type ProgramDesc struct {
	Shaders []Object // copied into C memory for the call
	Label   string
	// CallerSkip: as TextureDesc.CallerSkip.
	CallerSkip int
	// ExpectedAtShutdown: as TextureDesc.ExpectedAtShutdown.
	ExpectedAtShutdown bool
}

// VertexArrayDesc describes an empty vertex array object (GL and the null backend): the app
// binds it and sets its attributes.
type VertexArrayDesc struct {
	Label string
	// CallerSkip: as TextureDesc.CallerSkip.
	CallerSkip int
	// ExpectedAtShutdown: as TextureDesc.ExpectedAtShutdown.
	ExpectedAtShutdown bool
}

// CreateRenderbuffer creates a renderbuffer with one reference, recording the caller as its
// site. Every create of a generic kind runs a collection first and answers the C library's
// errors (ErrInvalidSize, ErrInvalidFormat, ErrInvalidArgument, ErrUnsupported where the backend
// lacks the kind, ErrWrongThread, ErrDeviceLost, ...). Owner thread.
func (r *Registry) CreateRenderbuffer(d RenderbufferDesc) (Object, error) {
	return r.createRenderbuffer("CreateRenderbuffer", &d, callerSite(d.CallerSkip))
}

// CreateRenderbufferAt is CreateRenderbuffer with an explicit creation site.
func (r *Registry) CreateRenderbufferAt(d RenderbufferDesc, site Site) (Object, error) {
	return r.createRenderbuffer("CreateRenderbufferAt", &d, site)
}

func (r *Registry) createRenderbuffer(op string, d *RenderbufferDesc, site Site) (Object, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		var rd C.gpureg_renderbuffer_desc
		rd.width, rd.height = C.uint32_t(d.Width), C.uint32_t(d.Height)
		rd.format = C.gpureg_format(d.Format)
		rd.samples = C.uint32_t(d.Samples)
		rd.label, rd.flags = cs.label, objectFlags(d.ExpectedAtShutdown)
		return C.gr_renderbuffer_create(r.reg, rd, cSite(cs))
	})
	return Object(h), err
}

// CreateFramebuffer creates a framebuffer with one reference, recording the caller as its site.
// More than MaxColorAttachments colour textures, or a 0 among them, answers ErrInvalidArgument
// before C is called (the C desc ends its list at the first 0). Owner thread.
func (r *Registry) CreateFramebuffer(d FramebufferDesc) (Object, error) {
	return r.createFramebuffer("CreateFramebuffer", &d, callerSite(d.CallerSkip))
}

// CreateFramebufferAt is CreateFramebuffer with an explicit creation site.
func (r *Registry) CreateFramebufferAt(d FramebufferDesc, site Site) (Object, error) {
	return r.createFramebuffer("CreateFramebufferAt", &d, site)
}

func (r *Registry) createFramebuffer(op string, d *FramebufferDesc, site Site) (Object, error) {
	if err := r.checkColors(op, d.Color); err != nil {
		return 0, err
	}
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		var fd C.gpureg_framebuffer_desc
		for i, t := range d.Color {
			fd.color[i].id = C.gpureg_handle(t)
		}
		fd.depth_stencil = C.gpureg_handle(d.DepthStencil)
		fd.label, fd.flags = cs.label, objectFlags(d.ExpectedAtShutdown)
		return C.gr_framebuffer_create(r.reg, fd, cSite(cs))
	})
	return Object(h), err
}

// checkColors: what the C desc's fixed, 0-terminated list cannot say.
func (r *Registry) checkColors(op string, color []Texture) error {
	if r.reg == nil {
		return closedErr(op)
	}
	detail := ""
	if len(color) > MaxColorAttachments {
		detail = strconv.Itoa(len(color)) + " colour attachments, at most " + strconv.Itoa(MaxColorAttachments)
	}
	for i, t := range color {
		if t == 0 && detail == "" {
			detail = "colour attachment " + strconv.Itoa(i) + " is 0"
		}
	}
	if detail != "" {
		return &Error{Op: op, Code: ErrInvalidArgument.(Result), Detail: detail}
	}
	return nil
}

// CreateSampler creates a sampler object with one reference, recording the caller as its site
// (GL needs 3.3 or ARB_sampler_objects: ErrUnsupported without). Owner thread.
func (r *Registry) CreateSampler(d SamplerDesc) (Object, error) {
	return r.createSampler("CreateSampler", &d, callerSite(d.CallerSkip))
}

// CreateSamplerAt is CreateSampler with an explicit creation site.
func (r *Registry) CreateSamplerAt(d SamplerDesc, site Site) (Object, error) {
	return r.createSampler("CreateSamplerAt", &d, site)
}

func (r *Registry) createSampler(op string, d *SamplerDesc, site Site) (Object, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		var sd C.gpureg_sampler_desc
		sd.state = cSamplerState(&d.State)
		sd.label, sd.flags = cs.label, objectFlags(d.ExpectedAtShutdown)
		return C.gr_sampler_create(r.reg, sd, cSite(cs))
	})
	return Object(h), err
}

// CreateShader creates a shader with one reference, recording the caller as its site. Code is
// copied into C memory for the call, never passed as Go memory. A GL compile error answers
// ErrInvalidArgument whose Detail carries the driver's info log. Owner thread.
func (r *Registry) CreateShader(d ShaderDesc) (Object, error) {
	return r.createShader("CreateShader", &d, callerSite(d.CallerSkip))
}

// CreateShaderAt is CreateShader with an explicit creation site.
func (r *Registry) CreateShaderAt(d ShaderDesc, site Site) (Object, error) {
	return r.createShader("CreateShaderAt", &d, site)
}

func (r *Registry) createShader(op string, d *ShaderDesc, site Site) (Object, error) {
	h, err := r.madeWith(op, site, d.Label, len(d.Code), func(cs *createStrings) C.gr_u64_result {
		var sd C.gpureg_shader_desc
		if len(d.Code) > 0 {
			sd.code, sd.code_size = unsafe.Pointer(cs.scratch.put(d.Code)), C.size_t(len(d.Code))
		}
		sd.stage = C.gpureg_shader_stage(d.Stage)
		sd.label, sd.flags = cs.label, objectFlags(d.ExpectedAtShutdown)
		return C.gr_shader_create(r.reg, sd, cSite(cs))
	})
	return Object(h), err
}

// CreateProgram links shader objects into a program with one reference, recording the caller
// as its site. The handles are copied into C memory for the call. A GL link error answers
// ErrInvalidArgument whose Detail carries the info log. Owner thread.
func (r *Registry) CreateProgram(d ProgramDesc) (Object, error) {
	return r.createProgram("CreateProgram", &d, callerSite(d.CallerSkip))
}

// CreateProgramAt is CreateProgram with an explicit creation site.
func (r *Registry) CreateProgramAt(d ProgramDesc, site Site) (Object, error) {
	return r.createProgram("CreateProgramAt", &d, site)
}

func (r *Registry) createProgram(op string, d *ProgramDesc, site Site) (Object, error) {
	h, err := r.madeWith(op, site, d.Label, len(d.Shaders)*8, func(cs *createStrings) C.gr_u64_result {
		var pd C.gpureg_program_desc
		if n := len(d.Shaders); n > 0 {
			// Object and gpureg_object are both one uint64: one memmove into C memory.
			shaders := (*C.gpureg_object)(unsafe.Pointer(cs.scratch.put(unsafe.Slice((*byte)(unsafe.Pointer(&d.Shaders[0])), n*8))))
			pd.shaders, pd.shader_count = shaders, C.uint32_t(min(n, math.MaxInt32)) // C answers for > 8
		}
		pd.label, pd.flags = cs.label, objectFlags(d.ExpectedAtShutdown)
		return C.gr_program_create(r.reg, pd, cSite(cs))
	})
	return Object(h), err
}

// CreateVertexArray creates an empty vertex array object with one reference, recording the
// caller as its site. Owner thread.
func (r *Registry) CreateVertexArray(d VertexArrayDesc) (Object, error) {
	return r.createVertexArray("CreateVertexArray", &d, callerSite(d.CallerSkip))
}

// CreateVertexArrayAt is CreateVertexArray with an explicit creation site.
func (r *Registry) CreateVertexArrayAt(d VertexArrayDesc, site Site) (Object, error) {
	return r.createVertexArray("CreateVertexArrayAt", &d, site)
}

func (r *Registry) createVertexArray(op string, d *VertexArrayDesc, site Site) (Object, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		var vd C.gpureg_vertex_array_desc
		vd.label, vd.flags = cs.label, objectFlags(d.ExpectedAtShutdown)
		return C.gr_vertex_array_create(r.reg, vd, cSite(cs))
	})
	return Object(h), err
}
