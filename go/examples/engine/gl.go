package main

/*
#cgo pkg-config: egl
#include <EGL/egl.h>
#include <GL/glcorearb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// The engine's own raw GL. Every object it draws with is a gpureg handle, resolved to its GL
// name before each draw; the eg_make_* functions are Config.AdoptGL's path only, where the
// engine makes its framebuffers, renderbuffers, shaders, program, vertex array and sampler
// itself and hands each to gpureg, which deletes it after its fence.
static struct {
    PFNGLCREATESHADERPROC CreateShader;
    PFNGLSHADERSOURCEPROC ShaderSource;
    PFNGLCOMPILESHADERPROC CompileShader;
    PFNGLGETSHADERIVPROC GetShaderiv;
    PFNGLDELETESHADERPROC DeleteShader;
    PFNGLCREATEPROGRAMPROC CreateProgram;
    PFNGLATTACHSHADERPROC AttachShader;
    PFNGLLINKPROGRAMPROC LinkProgram;
    PFNGLGETPROGRAMIVPROC GetProgramiv;
    PFNGLDELETEPROGRAMPROC DeleteProgram;
    PFNGLUSEPROGRAMPROC UseProgram;
    PFNGLGETUNIFORMLOCATIONPROC GetUniformLocation;
    PFNGLUNIFORM1IPROC Uniform1i;
    PFNGLUNIFORM2FPROC Uniform2f;
    PFNGLGENVERTEXARRAYSPROC GenVertexArrays;
    PFNGLDELETEVERTEXARRAYSPROC DeleteVertexArrays;
    PFNGLBINDVERTEXARRAYPROC BindVertexArray;
    PFNGLBINDBUFFERPROC BindBuffer;
    PFNGLENABLEVERTEXATTRIBARRAYPROC EnableVertexAttribArray;
    PFNGLVERTEXATTRIBPOINTERPROC VertexAttribPointer;
    PFNGLGENFRAMEBUFFERSPROC GenFramebuffers;
    PFNGLDELETEFRAMEBUFFERSPROC DeleteFramebuffers;
    PFNGLBINDFRAMEBUFFERPROC BindFramebuffer;
    PFNGLFRAMEBUFFERTEXTURE2DPROC FramebufferTexture2D;
    PFNGLFRAMEBUFFERRENDERBUFFERPROC FramebufferRenderbuffer;
    PFNGLCHECKFRAMEBUFFERSTATUSPROC CheckFramebufferStatus;
    PFNGLGENRENDERBUFFERSPROC GenRenderbuffers;
    PFNGLDELETERENDERBUFFERSPROC DeleteRenderbuffers;
    PFNGLBINDRENDERBUFFERPROC BindRenderbuffer;
    PFNGLRENDERBUFFERSTORAGEPROC RenderbufferStorage;
    PFNGLGENSAMPLERSPROC GenSamplers;
    PFNGLDELETESAMPLERSPROC DeleteSamplers;
    PFNGLSAMPLERPARAMETERIPROC SamplerParameteri;
    PFNGLBINDSAMPLERPROC BindSampler;
    PFNGLACTIVETEXTUREPROC ActiveTexture;
    PFNGLBINDTEXTUREPROC BindTexture;
    PFNGLVIEWPORTPROC Viewport;
    PFNGLCLEARCOLORPROC ClearColor;
    PFNGLCLEARPROC Clear;
    PFNGLENABLEPROC Enable;
    PFNGLDISABLEPROC Disable;
    PFNGLBLENDFUNCPROC BlendFunc;
    PFNGLCOLORMASKPROC ColorMask;
    PFNGLSTENCILFUNCPROC StencilFunc;
    PFNGLSTENCILOPPROC StencilOp;
    PFNGLDRAWELEMENTSPROC DrawElements;
} gl;

// 0 on success, else 1: an entry point is missing.
static int eg_init(void) {
#define LOAD(name)                                                                                 \
    do {                                                                                           \
        void (*p)(void) = eglGetProcAddress("gl" #name);                                           \
        if (!p) return 1;                                                                          \
        memcpy(&gl.name, &p, sizeof p);                                                            \
    } while (0)
    LOAD(CreateShader); LOAD(ShaderSource); LOAD(CompileShader); LOAD(GetShaderiv); LOAD(DeleteShader);
    LOAD(CreateProgram); LOAD(AttachShader); LOAD(LinkProgram); LOAD(GetProgramiv); LOAD(DeleteProgram);
    LOAD(UseProgram); LOAD(GetUniformLocation); LOAD(Uniform1i); LOAD(Uniform2f); LOAD(GenVertexArrays);
    LOAD(DeleteVertexArrays); LOAD(BindVertexArray); LOAD(BindBuffer); LOAD(EnableVertexAttribArray);
    LOAD(VertexAttribPointer); LOAD(GenFramebuffers); LOAD(DeleteFramebuffers); LOAD(BindFramebuffer);
    LOAD(FramebufferTexture2D); LOAD(FramebufferRenderbuffer); LOAD(CheckFramebufferStatus);
    LOAD(GenRenderbuffers); LOAD(DeleteRenderbuffers); LOAD(BindRenderbuffer); LOAD(RenderbufferStorage);
    LOAD(GenSamplers); LOAD(DeleteSamplers); LOAD(SamplerParameteri); LOAD(BindSampler);
    LOAD(ActiveTexture); LOAD(BindTexture); LOAD(Viewport); LOAD(ClearColor); LOAD(Clear); LOAD(Enable);
    LOAD(Disable); LOAD(BlendFunc); LOAD(ColorMask); LOAD(StencilFunc); LOAD(StencilOp); LOAD(DrawElements);
#undef LOAD
    return 0;
}

// --- Config.AdoptGL: the engine's own objects, each 0 on failure.

static uint32_t eg_make_shader(int fragment, const char *src) {
    GLuint s = gl.CreateShader(fragment ? GL_FRAGMENT_SHADER : GL_VERTEX_SHADER);
    gl.ShaderSource(s, 1, &src, NULL);
    gl.CompileShader(s);
    GLint ok = 0;
    gl.GetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        gl.DeleteShader(s);
        return 0;
    }
    return s;
}

static uint32_t eg_make_program(uint32_t vs, uint32_t fs) {
    GLuint p = gl.CreateProgram();
    gl.AttachShader(p, vs);
    gl.AttachShader(p, fs);
    gl.LinkProgram(p);
    GLint ok = 0;
    gl.GetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        gl.DeleteProgram(p);
        return 0;
    }
    return p;
}

// Bound once: a generated name is a vertex array only from its first bind.
static uint32_t eg_make_vertex_array(void) {
    GLuint v = 0;
    gl.GenVertexArrays(1, &v);
    gl.BindVertexArray(v);
    gl.BindVertexArray(0);
    return v;
}

// Nearest, clamped: the engine's one sampling state (engineSampling in Go).
static uint32_t eg_make_sampler(void) {
    GLuint s = 0;
    gl.GenSamplers(1, &s);
    gl.SamplerParameteri(s, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    gl.SamplerParameteri(s, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    gl.SamplerParameteri(s, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    gl.SamplerParameteri(s, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return s;
}

static uint32_t eg_make_stencil(int32_t width, int32_t height) {
    GLuint rb = 0;
    gl.GenRenderbuffers(1, &rb);
    gl.BindRenderbuffer(GL_RENDERBUFFER, rb);
    gl.RenderbufferStorage(GL_RENDERBUFFER, GL_STENCIL_INDEX8, width, height);
    gl.BindRenderbuffer(GL_RENDERBUFFER, 0);
    return rb;
}

// A framebuffer drawing into the texture with the stencil renderbuffer; 0 if incomplete.
static uint32_t eg_make_framebuffer(uint32_t texture, uint32_t stencil) {
    GLuint fbo = 0;
    gl.GenFramebuffers(1, &fbo);
    gl.BindFramebuffer(GL_FRAMEBUFFER, fbo);
    gl.FramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture, 0);
    gl.FramebufferRenderbuffer(GL_FRAMEBUFFER, GL_STENCIL_ATTACHMENT, GL_RENDERBUFFER, stencil);
    GLenum status = gl.CheckFramebufferStatus(GL_FRAMEBUFFER);
    gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
    if (status != GL_FRAMEBUFFER_COMPLETE) {
        gl.DeleteFramebuffers(1, &fbo);
        return 0;
    }
    return fbo;
}

// What the engine deletes itself: a name it made that gpureg did not take.
enum { EG_SHADER, EG_PROGRAM, EG_VERTEX_ARRAY, EG_SAMPLER, EG_FRAMEBUFFER, EG_RENDERBUFFER };

static void eg_delete(int kind, uint32_t name) {
    GLuint n = name;
    switch (kind) {
    case EG_SHADER: gl.DeleteShader(n); break;
    case EG_PROGRAM: gl.DeleteProgram(n); break;
    case EG_VERTEX_ARRAY: gl.DeleteVertexArrays(1, &n); break;
    case EG_SAMPLER: gl.DeleteSamplers(1, &n); break;
    case EG_FRAMEBUFFER: gl.DeleteFramebuffers(1, &n); break;
    case EG_RENDERBUFFER: gl.DeleteRenderbuffers(1, &n); break;
    }
}

// --- Both paths.

// The program's sampler unit is 0; answers the location of u_size.
static int32_t eg_program_setup(uint32_t program) {
    gl.UseProgram(program);
    gl.Uniform1i(gl.GetUniformLocation(program, "u_tex"), 0);
    GLint size = gl.GetUniformLocation(program, "u_size");
    gl.UseProgram(0);
    return size;
}

// Colour to c, stencil to 0 (a new renderbuffer's contents are undefined, like a texture's).
static void eg_clear(uint32_t fbo, int32_t width, int32_t height, float r, float g, float b, float a) {
    gl.BindFramebuffer(GL_FRAMEBUFFER, fbo);
    gl.Viewport(0, 0, width, height);
    gl.ClearColor(r, g, b, a);
    gl.Clear(GL_COLOR_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
    gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
}

typedef struct eg_draw_args {
    uint32_t fbo, program, vao, sampler, vbo, ibo, src;
    int32_t width, height, u_size, quads;
    uint32_t mask; // 0, or a texture drawn first into the stencil from the quad after the others
} eg_draw_args;

static void eg_elements(int32_t first_quad, int32_t quads) {
    gl.DrawElements(GL_TRIANGLES, 6 * quads, GL_UNSIGNED_SHORT, (const void *)(uintptr_t)(12 * first_quad));
}

// Draw the quads (uint16 indices; 8 floats per vertex: pos.xy, uv.xy, color.rgba) sampling
// src, alpha blended into the framebuffer. With a mask, only where the mask's texels are not
// transparent: the mask's quad marks the stencil first (the shader discards transparent texels).
static void eg_draw(eg_draw_args a) {
    gl.BindFramebuffer(GL_FRAMEBUFFER, a.fbo);
    gl.Viewport(0, 0, a.width, a.height);
    gl.UseProgram(a.program);
    gl.Uniform2f(a.u_size, (float)a.width, (float)a.height);
    gl.BindVertexArray(a.vao);
    gl.BindBuffer(GL_ARRAY_BUFFER, a.vbo); // rebound every draw: the names come from gpureg
    for (GLuint i = 0; i < 3; i++) gl.EnableVertexAttribArray(i);
    const GLsizei stride = 8 * sizeof(float);
    gl.VertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, (const void *)0);
    gl.VertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, (const void *)(2 * sizeof(float)));
    gl.VertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, stride, (const void *)(4 * sizeof(float)));
    gl.BindBuffer(GL_ELEMENT_ARRAY_BUFFER, a.ibo); // recorded in the vertex array
    gl.ActiveTexture(GL_TEXTURE0);
    gl.BindSampler(0, a.sampler);
    if (a.mask) {
        gl.Clear(GL_STENCIL_BUFFER_BIT);
        gl.Enable(GL_STENCIL_TEST);
        gl.StencilFunc(GL_ALWAYS, 1, 0xff);
        gl.StencilOp(GL_KEEP, GL_KEEP, GL_REPLACE);
        gl.ColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
        gl.BindTexture(GL_TEXTURE_2D, a.mask);
        eg_elements(a.quads, 1);
        gl.ColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
        gl.StencilFunc(GL_EQUAL, 1, 0xff);
        gl.StencilOp(GL_KEEP, GL_KEEP, GL_KEEP);
    }
    gl.BindTexture(GL_TEXTURE_2D, a.src);
    gl.Enable(GL_BLEND);
    gl.BlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    eg_elements(0, a.quads);
    gl.Disable(GL_BLEND);
    gl.Disable(GL_STENCIL_TEST);
    gl.BindSampler(0, 0);
    gl.BindTexture(GL_TEXTURE_2D, 0);
    gl.BindVertexArray(0);
    gl.BindBuffer(GL_ARRAY_BUFFER, 0);
    gl.UseProgram(0);
    gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
}
#cgo nocallback eg_init
#cgo nocallback eg_make_shader
#cgo nocallback eg_make_program
#cgo nocallback eg_make_vertex_array
#cgo nocallback eg_make_sampler
#cgo nocallback eg_make_stencil
#cgo nocallback eg_make_framebuffer
#cgo nocallback eg_delete
#cgo nocallback eg_program_setup
#cgo nocallback eg_clear
#cgo nocallback eg_draw
*/
import "C"

import (
	"fmt"
	"unsafe"

	gpureg "github.com/gpureg/gpureg/go"
)

// Vertices are in the destination's pixels (row 0 is texel row 0, so pixels drawn and read
// back share one origin), texture coordinates are normalised, colours multiply the texel. The
// attribute locations are in the source: gpureg's CreateProgram links with no hook before.
// Transparent texels are discarded (blending would leave the colour as it is anyway) so that
// a mask drawn into the stencil marks only its opaque shape.
const (
	vertexSource = `#version 330 core
uniform vec2 u_size;
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color;
out vec2 v_uv; out vec4 v_color;
void main() {
    v_uv = a_uv; v_color = a_color;
    gl_Position = vec4(a_pos / u_size * 2.0 - 1.0, 0.0, 1.0);
}
`
	fragmentSource = `#version 330 core
uniform sampler2D u_tex;
in vec2 v_uv; in vec4 v_color;
out vec4 o;
void main() {
    vec4 t = texture(u_tex, v_uv);
    if (t.a == 0.0) discard;
    o = t * v_color;
}
`
)

// The wrappers below run on the render thread only (the GL context is current there).

func glInit() error {
	if C.eg_init() != 0 {
		return fmt.Errorf("engine: a GL entry point is missing (GL 3.3 core needed)")
	}
	return nil
}

// The glMake functions are Config.AdoptGL's raw GL, one a kind: each answers a name the
// engine owns until gpureg adopts it.
func glMakeShader(stage gpureg.ShaderStage, src string) (uint32, error) {
	cs := C.CString(src)
	defer C.free(unsafe.Pointer(cs))
	if s := uint32(C.eg_make_shader(boolInt(stage == gpureg.StageFragment), cs)); s != 0 {
		return s, nil
	}
	return 0, fmt.Errorf("engine: the %v shader does not compile", stage)
}

func glMakeProgram(vs, fs uint32) (uint32, error) {
	if p := uint32(C.eg_make_program(C.uint32_t(vs), C.uint32_t(fs))); p != 0 {
		return p, nil
	}
	return 0, fmt.Errorf("engine: the program does not link")
}

func glMakeVertexArray() uint32 { return uint32(C.eg_make_vertex_array()) }
func glMakeSampler() uint32     { return uint32(C.eg_make_sampler()) }

func glMakeStencil(w, h int) uint32 { return uint32(C.eg_make_stencil(C.int32_t(w), C.int32_t(h))) }

func glMakeFramebuffer(texture, stencil uint32) (uint32, error) {
	if fbo := uint32(C.eg_make_framebuffer(C.uint32_t(texture), C.uint32_t(stencil))); fbo != 0 {
		return fbo, nil
	}
	return 0, fmt.Errorf("engine: framebuffer incomplete for texture %d with stencil %d", texture, stencil)
}

// glDelete deletes a name the engine made and gpureg did not adopt.
func glDelete(kind gpureg.Kind, name uint32) {
	k := map[gpureg.Kind]C.int{gpureg.KindShader: C.EG_SHADER, gpureg.KindProgram: C.EG_PROGRAM,
		gpureg.KindVertexArray: C.EG_VERTEX_ARRAY, gpureg.KindSampler: C.EG_SAMPLER,
		gpureg.KindFramebuffer: C.EG_FRAMEBUFFER, gpureg.KindRenderbuffer: C.EG_RENDERBUFFER}[kind]
	C.eg_delete(k, C.uint32_t(name))
}

func glProgramSetup(program uint32) (uSize int32) {
	return int32(C.eg_program_setup(C.uint32_t(program)))
}

func glClear(fbo uint32, w, h int, c [4]float32) {
	C.eg_clear(C.uint32_t(fbo), C.int32_t(w), C.int32_t(h), C.float(c[0]), C.float(c[1]), C.float(c[2]),
		C.float(c[3]))
}

// glDrawCall is one flush: GL names resolved through gpureg just before.
type glDrawCall struct {
	fbo, program, vao, sampler, vbo, ibo, src, mask uint32
	w, h                                            int
	uSize                                           int32
	quads                                           int
}

func glDraw(d glDrawCall) {
	C.eg_draw(C.eg_draw_args{fbo: C.uint32_t(d.fbo), program: C.uint32_t(d.program), vao: C.uint32_t(d.vao),
		sampler: C.uint32_t(d.sampler), vbo: C.uint32_t(d.vbo), ibo: C.uint32_t(d.ibo), src: C.uint32_t(d.src),
		width: C.int32_t(d.w), height: C.int32_t(d.h), u_size: C.int32_t(d.uSize), quads: C.int32_t(d.quads),
		mask: C.uint32_t(d.mask)})
}

func boolInt(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
