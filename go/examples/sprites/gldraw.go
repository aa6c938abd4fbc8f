package main

/*
#cgo pkg-config: egl
#include <EGL/egl.h>
#include <GL/glcorearb.h>
#include <stdint.h>
#include <string.h>

// The example's own GL drawing: one textured-quad program, a framebuffer per render target.
// gpureg owns the textures; this file only draws with their GL names.
static struct {
    PFNGLCREATESHADERPROC CreateShader;
    PFNGLSHADERSOURCEPROC ShaderSource;
    PFNGLCOMPILESHADERPROC CompileShader;
    PFNGLGETSHADERIVPROC GetShaderiv;
    PFNGLCREATEPROGRAMPROC CreateProgram;
    PFNGLATTACHSHADERPROC AttachShader;
    PFNGLLINKPROGRAMPROC LinkProgram;
    PFNGLGETPROGRAMIVPROC GetProgramiv;
    PFNGLDELETESHADERPROC DeleteShader;
    PFNGLDELETEPROGRAMPROC DeleteProgram;
    PFNGLUSEPROGRAMPROC UseProgram;
    PFNGLGETUNIFORMLOCATIONPROC GetUniformLocation;
    PFNGLUNIFORM4FPROC Uniform4f;
    PFNGLUNIFORM1IPROC Uniform1i;
    PFNGLGENVERTEXARRAYSPROC GenVertexArrays;
    PFNGLDELETEVERTEXARRAYSPROC DeleteVertexArrays;
    PFNGLBINDVERTEXARRAYPROC BindVertexArray;
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
    PFNGLDRAWARRAYSPROC DrawArrays;
} gl;

static GLuint sp_program, sp_vao, sp_sampler;
static GLint sp_u_dst;

static const char *sp_vs =
    "#version 330 core\n"
    "uniform vec4 u_dst; // x0, y0, x1, y1 in clip space\n"
    "out vec2 v_uv;\n"
    "void main() {\n"
    "    vec2 c = vec2(gl_VertexID & 1, gl_VertexID >> 1);\n"
    "    v_uv = c;\n"
    "    gl_Position = vec4(mix(u_dst.xy, u_dst.zw, c), 0.0, 1.0);\n"
    "}\n";
static const char *sp_fs =
    "#version 330 core\n"
    "uniform sampler2D u_tex;\n"
    "in vec2 v_uv;\n"
    "out vec4 o;\n"
    "void main() { o = texture(u_tex, v_uv); }\n";

static GLuint sp_shader(GLenum kind, const char *src) {
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
static int sp_init(void) {
#define LOAD(name)                                                                                 \
    do {                                                                                           \
        void (*p)(void) = eglGetProcAddress("gl" #name);                                           \
        if (!p) return 1;                                                                          \
        memcpy(&gl.name, &p, sizeof p);                                                            \
    } while (0)
    LOAD(CreateShader); LOAD(ShaderSource); LOAD(CompileShader); LOAD(GetShaderiv);
    LOAD(CreateProgram); LOAD(AttachShader); LOAD(LinkProgram); LOAD(GetProgramiv);
    LOAD(DeleteShader); LOAD(DeleteProgram); LOAD(UseProgram); LOAD(GetUniformLocation);
    LOAD(Uniform4f); LOAD(Uniform1i); LOAD(GenVertexArrays); LOAD(DeleteVertexArrays);
    LOAD(BindVertexArray); LOAD(GenFramebuffers); LOAD(DeleteFramebuffers); LOAD(BindFramebuffer);
    LOAD(FramebufferTexture2D); LOAD(CheckFramebufferStatus); LOAD(GenSamplers); LOAD(DeleteSamplers);
    LOAD(SamplerParameteri); LOAD(BindSampler); LOAD(ActiveTexture); LOAD(BindTexture);
    LOAD(Viewport); LOAD(ClearColor); LOAD(Clear); LOAD(Enable); LOAD(Disable); LOAD(BlendFunc);
    LOAD(DrawArrays);
#undef LOAD
    GLuint vs = sp_shader(GL_VERTEX_SHADER, sp_vs), fs = sp_shader(GL_FRAGMENT_SHADER, sp_fs);
    if (!vs || !fs) return 2;
    sp_program = gl.CreateProgram();
    gl.AttachShader(sp_program, vs);
    gl.AttachShader(sp_program, fs);
    gl.LinkProgram(sp_program);
    gl.DeleteShader(vs);
    gl.DeleteShader(fs);
    GLint ok = 0;
    gl.GetProgramiv(sp_program, GL_LINK_STATUS, &ok);
    if (!ok) return 3;
    gl.UseProgram(sp_program);
    sp_u_dst = gl.GetUniformLocation(sp_program, "u_dst");
    gl.Uniform1i(gl.GetUniformLocation(sp_program, "u_tex"), 0);
    gl.UseProgram(0);
    gl.GenVertexArrays(1, &sp_vao);
    gl.GenSamplers(1, &sp_sampler);
    gl.SamplerParameteri(sp_sampler, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    gl.SamplerParameteri(sp_sampler, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    gl.SamplerParameteri(sp_sampler, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    gl.SamplerParameteri(sp_sampler, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return 0;
}

static void sp_shutdown(void) {
    gl.DeleteSamplers(1, &sp_sampler);
    gl.DeleteVertexArrays(1, &sp_vao);
    gl.DeleteProgram(sp_program);
}

// A framebuffer rendering into the texture; 0 if incomplete.
static uint32_t sp_framebuffer(uint32_t texture) {
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

static void sp_delete_framebuffer(uint32_t fbo) {
    GLuint f = fbo;
    gl.DeleteFramebuffers(1, &f);
}

static void sp_clear(uint32_t fbo, int32_t width, int32_t height, float r, float g, float b, float a) {
    gl.BindFramebuffer(GL_FRAMEBUFFER, fbo);
    gl.Viewport(0, 0, width, height);
    gl.ClearColor(r, g, b, a);
    gl.Clear(GL_COLOR_BUFFER_BIT);
    gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
}

// Draw the source texture into the rectangle x0,y0..x1,y1 (clip space) of the framebuffer.
static void sp_draw(uint32_t fbo, int32_t width, int32_t height, uint32_t src, float x0, float y0, float x1, float y1) {
    gl.BindFramebuffer(GL_FRAMEBUFFER, fbo);
    gl.Viewport(0, 0, width, height);
    gl.UseProgram(sp_program);
    gl.BindVertexArray(sp_vao);
    gl.ActiveTexture(GL_TEXTURE0);
    gl.BindTexture(GL_TEXTURE_2D, src);
    gl.BindSampler(0, sp_sampler);
    gl.Enable(GL_BLEND);
    gl.BlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    gl.Uniform4f(sp_u_dst, x0, y0, x1, y1);
    gl.DrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    gl.Disable(GL_BLEND);
    gl.BindSampler(0, 0);
    gl.BindTexture(GL_TEXTURE_2D, 0);
    gl.BindVertexArray(0);
    gl.UseProgram(0);
    gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
}
#cgo nocallback sp_init
#cgo nocallback sp_shutdown
#cgo nocallback sp_framebuffer
#cgo nocallback sp_delete_framebuffer
#cgo nocallback sp_clear
#cgo nocallback sp_draw
*/
import "C"

import "fmt"

func glInit() error {
	if step := C.sp_init(); step != 0 {
		return fmt.Errorf("sprites: GL setup failed at step %d (GL 3.3 core with GLSL 330 needed)", int(step))
	}
	return nil
}

func glShutdown() { C.sp_shutdown() }

func glFramebuffer(texture uint32) (uint32, error) {
	fbo := uint32(C.sp_framebuffer(C.uint32_t(texture)))
	if fbo == 0 {
		return 0, fmt.Errorf("sprites: framebuffer incomplete for texture %d", texture)
	}
	return fbo, nil
}

func glDeleteFramebuffer(fbo uint32) { C.sp_delete_framebuffer(C.uint32_t(fbo)) }

func glClear(fbo uint32, w, h int, r, g, b, a float32) {
	C.sp_clear(C.uint32_t(fbo), C.int32_t(w), C.int32_t(h), C.float(r), C.float(g), C.float(b), C.float(a))
}

func glDraw(fbo uint32, w, h int, src uint32, x0, y0, x1, y1 float32) {
	C.sp_draw(C.uint32_t(fbo), C.int32_t(w), C.int32_t(h), C.uint32_t(src), C.float(x0), C.float(y0), C.float(x1),
		C.float(y1))
}
