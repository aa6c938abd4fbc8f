package main

/*
#cgo pkg-config: egl
#include <EGL/egl.h>
#include <GL/glcorearb.h>
#include <stdint.h>
#include <string.h>

// The engine's own raw GL: one program, one vertex array, one sampler, and a framebuffer per
// render target. gpureg owns the textures and the vertex/index buffers; this file only draws
// with their GL names, which the render thread resolves through gpureg before every draw.
static struct {
    PFNGLCREATESHADERPROC CreateShader;
    PFNGLSHADERSOURCEPROC ShaderSource;
    PFNGLCOMPILESHADERPROC CompileShader;
    PFNGLGETSHADERIVPROC GetShaderiv;
    PFNGLDELETESHADERPROC DeleteShader;
    PFNGLCREATEPROGRAMPROC CreateProgram;
    PFNGLATTACHSHADERPROC AttachShader;
    PFNGLBINDATTRIBLOCATIONPROC BindAttribLocation;
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
    PFNGLCHECKFRAMEBUFFERSTATUSPROC CheckFramebufferStatus;
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
    PFNGLDRAWELEMENTSPROC DrawElements;
} gl;

static GLuint eg_program, eg_vao, eg_sampler;
static GLint eg_u_size;

// Vertices are in the destination's pixels (row 0 is texel row 0, so pixels drawn and read
// back share one origin), texture coordinates are normalised, colours multiply the texel.
static const char *eg_vs =
    "#version 330 core\n"
    "uniform vec2 u_size;\n"
    "in vec2 a_pos; in vec2 a_uv; in vec4 a_color;\n"
    "out vec2 v_uv; out vec4 v_color;\n"
    "void main() {\n"
    "    v_uv = a_uv; v_color = a_color;\n"
    "    gl_Position = vec4(a_pos / u_size * 2.0 - 1.0, 0.0, 1.0);\n"
    "}\n";
static const char *eg_fs =
    "#version 330 core\n"
    "uniform sampler2D u_tex;\n"
    "in vec2 v_uv; in vec4 v_color;\n"
    "out vec4 o;\n"
    "void main() { o = texture(u_tex, v_uv) * v_color; }\n";

static GLuint eg_shader(GLenum kind, const char *src) {
    GLuint s = gl.CreateShader(kind);
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

// 0 on success, else the step that failed.
static int eg_init(void) {
#define LOAD(name)                                                                                 \
    do {                                                                                           \
        void (*p)(void) = eglGetProcAddress("gl" #name);                                           \
        if (!p) return 1;                                                                          \
        memcpy(&gl.name, &p, sizeof p);                                                            \
    } while (0)
    LOAD(CreateShader); LOAD(ShaderSource); LOAD(CompileShader); LOAD(GetShaderiv); LOAD(DeleteShader);
    LOAD(CreateProgram); LOAD(AttachShader); LOAD(BindAttribLocation); LOAD(LinkProgram);
    LOAD(GetProgramiv); LOAD(DeleteProgram); LOAD(UseProgram); LOAD(GetUniformLocation);
    LOAD(Uniform1i); LOAD(Uniform2f); LOAD(GenVertexArrays); LOAD(DeleteVertexArrays);
    LOAD(BindVertexArray); LOAD(BindBuffer); LOAD(EnableVertexAttribArray); LOAD(VertexAttribPointer);
    LOAD(GenFramebuffers); LOAD(DeleteFramebuffers); LOAD(BindFramebuffer); LOAD(FramebufferTexture2D);
    LOAD(CheckFramebufferStatus); LOAD(GenSamplers); LOAD(DeleteSamplers); LOAD(SamplerParameteri);
    LOAD(BindSampler); LOAD(ActiveTexture); LOAD(BindTexture); LOAD(Viewport); LOAD(ClearColor);
    LOAD(Clear); LOAD(Enable); LOAD(Disable); LOAD(BlendFunc); LOAD(DrawElements);
#undef LOAD
    GLuint vs = eg_shader(GL_VERTEX_SHADER, eg_vs), fs = eg_shader(GL_FRAGMENT_SHADER, eg_fs);
    if (!vs || !fs) return 2;
    eg_program = gl.CreateProgram();
    gl.AttachShader(eg_program, vs);
    gl.AttachShader(eg_program, fs);
    gl.BindAttribLocation(eg_program, 0, "a_pos");
    gl.BindAttribLocation(eg_program, 1, "a_uv");
    gl.BindAttribLocation(eg_program, 2, "a_color");
    gl.LinkProgram(eg_program);
    gl.DeleteShader(vs);
    gl.DeleteShader(fs);
    GLint ok = 0;
    gl.GetProgramiv(eg_program, GL_LINK_STATUS, &ok);
    if (!ok) return 3;
    gl.UseProgram(eg_program);
    eg_u_size = gl.GetUniformLocation(eg_program, "u_size");
    gl.Uniform1i(gl.GetUniformLocation(eg_program, "u_tex"), 0);
    gl.UseProgram(0);
    gl.GenVertexArrays(1, &eg_vao);
    gl.GenSamplers(1, &eg_sampler);
    gl.SamplerParameteri(eg_sampler, GL_TEXTURE_MIN_FILTER, GL_NEAREST); // textures have one level
    gl.SamplerParameteri(eg_sampler, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    gl.SamplerParameteri(eg_sampler, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    gl.SamplerParameteri(eg_sampler, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return 0;
}

static void eg_shutdown(void) {
    gl.DeleteSamplers(1, &eg_sampler);
    gl.DeleteVertexArrays(1, &eg_vao);
    gl.DeleteProgram(eg_program);
}

// A framebuffer rendering into the texture; 0 if incomplete.
static uint32_t eg_framebuffer(uint32_t texture) {
    GLuint fbo = 0;
    gl.GenFramebuffers(1, &fbo);
    gl.BindFramebuffer(GL_FRAMEBUFFER, fbo);
    gl.FramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture, 0);
    GLenum status = gl.CheckFramebufferStatus(GL_FRAMEBUFFER);
    gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
    if (status != GL_FRAMEBUFFER_COMPLETE) {
        gl.DeleteFramebuffers(1, &fbo);
        return 0;
    }
    return fbo;
}

static void eg_delete_framebuffer(uint32_t fbo) {
    GLuint f = fbo;
    gl.DeleteFramebuffers(1, &f);
}

static void eg_clear(uint32_t fbo, int32_t width, int32_t height, float r, float g, float b, float a) {
    gl.BindFramebuffer(GL_FRAMEBUFFER, fbo);
    gl.Viewport(0, 0, width, height);
    gl.ClearColor(r, g, b, a);
    gl.Clear(GL_COLOR_BUFFER_BIT);
    gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
}

// Draw index_count indices (uint16) of the bound vertex layout: 8 floats per vertex (pos.xy,
// uv.xy, color.rgba), sampling src, alpha blended into the framebuffer.
static void eg_draw(uint32_t fbo, int32_t width, int32_t height, uint32_t vbo, uint32_t ibo, uint32_t src,
                    int32_t index_count) {
    gl.BindFramebuffer(GL_FRAMEBUFFER, fbo);
    gl.Viewport(0, 0, width, height);
    gl.UseProgram(eg_program);
    gl.Uniform2f(eg_u_size, (float)width, (float)height);
    gl.BindVertexArray(eg_vao);
    gl.BindBuffer(GL_ARRAY_BUFFER, vbo); // rebound every draw: the names come from gpureg
    for (GLuint i = 0; i < 3; i++) gl.EnableVertexAttribArray(i);
    const GLsizei stride = 8 * sizeof(float);
    gl.VertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, (const void *)0);
    gl.VertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, (const void *)(2 * sizeof(float)));
    gl.VertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, stride, (const void *)(4 * sizeof(float)));
    gl.BindBuffer(GL_ELEMENT_ARRAY_BUFFER, ibo); // recorded in the vertex array
    gl.ActiveTexture(GL_TEXTURE0);
    gl.BindTexture(GL_TEXTURE_2D, src);
    gl.BindSampler(0, eg_sampler);
    gl.Enable(GL_BLEND);
    gl.BlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    gl.DrawElements(GL_TRIANGLES, index_count, GL_UNSIGNED_SHORT, (const void *)0);
    gl.Disable(GL_BLEND);
    gl.BindSampler(0, 0);
    gl.BindTexture(GL_TEXTURE_2D, 0);
    gl.BindVertexArray(0);
    gl.BindBuffer(GL_ARRAY_BUFFER, 0);
    gl.UseProgram(0);
    gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
}
#cgo nocallback eg_init
#cgo nocallback eg_shutdown
#cgo nocallback eg_framebuffer
#cgo nocallback eg_delete_framebuffer
#cgo nocallback eg_clear
#cgo nocallback eg_draw
*/
import "C"

import "fmt"

// The wrappers below run on the render thread only (the GL context is current there).

func glInit() error {
	if step := C.eg_init(); step != 0 {
		return fmt.Errorf("engine: GL setup failed at step %d (GL 3.3 core with GLSL 330 needed)", int(step))
	}
	return nil
}

func glShutdown() { C.eg_shutdown() }

func glFramebuffer(texture uint32) (uint32, error) {
	fbo := uint32(C.eg_framebuffer(C.uint32_t(texture)))
	if fbo == 0 {
		return 0, fmt.Errorf("engine: framebuffer incomplete for texture %d", texture)
	}
	return fbo, nil
}

func glDeleteFramebuffer(fbo uint32) { C.eg_delete_framebuffer(C.uint32_t(fbo)) }

func glClear(fbo uint32, w, h int, c [4]float32) {
	C.eg_clear(C.uint32_t(fbo), C.int32_t(w), C.int32_t(h), C.float(c[0]), C.float(c[1]), C.float(c[2]),
		C.float(c[3]))
}

func glDraw(fbo uint32, w, h int, vbo, ibo, src uint32, indices int) {
	C.eg_draw(C.uint32_t(fbo), C.int32_t(w), C.int32_t(h), C.uint32_t(vbo), C.uint32_t(ibo), C.uint32_t(src),
		C.int32_t(indices))
}
