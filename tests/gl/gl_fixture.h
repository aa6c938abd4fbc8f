/* gl_fixture.h — a headless GL context for the GL suites (EGL surfaceless on Mesa llvmpipe) and
 * the few GL calls the tests make themselves. The context kind comes from GPUREG_TEST_GL_CONTEXT:
 *   gl45   desktop GL 4.5 core, debug context (every feature)
 *   gl33   desktop GL 3.3 core requested (Mesa answers with 4.5), debug, with every GL 4.x path
 *          gpureg can take (texture/buffer storage, storage buffers, direct state access) disabled,
 *          so the 3.3 fallbacks run
 *   gles3  OpenGL ES 3.x, debug context
 *   gl32   desktop GL 3.2 core requested, debug; ctest sets MESA_GL_VERSION_OVERRIDE=3.2 (Mesa
 *          would answer with 4.5) and MESA_GLSL_VERSION_OVERRIDE=150, so the context is 3.2
 *   gl32bare  gl32 whose ctest entry also strips the 3.3+ extensions gpureg can use
 *          (MESA_EXTENSION_OVERRIDE): no sampler objects, stencil textures, compute shaders,
 *          direct state access or immutable storage; c->bare says so
 * No EGL device is a test failure that says what to install, never a skip. */
#ifndef GPUREG_TEST_GL_FIXTURE_H
#define GPUREG_TEST_GL_FIXTURE_H

#include <EGL/egl.h>
#include <GL/glcorearb.h>

#include "gpureg/gpureg_gl.h"

typedef struct gl_test_fns {
    PFNGLGETERRORPROC GetError;
    PFNGLFINISHPROC Finish;
    PFNGLISTEXTUREPROC IsTexture;
    PFNGLISBUFFERPROC IsBuffer;
    PFNGLGENTEXTURESPROC GenTextures;
    PFNGLDELETETEXTURESPROC DeleteTextures;
    PFNGLBINDTEXTUREPROC BindTexture;
    PFNGLTEXIMAGE2DPROC TexImage2D;
    PFNGLTEXPARAMETERIPROC TexParameteri;
    PFNGLGENBUFFERSPROC GenBuffers;
    PFNGLDELETEBUFFERSPROC DeleteBuffers;
    PFNGLBINDBUFFERPROC BindBuffer;
    PFNGLBUFFERDATAPROC BufferData;
    PFNGLGETINTEGERVPROC GetIntegerv;
    PFNGLPIXELSTOREIPROC PixelStorei;
    PFNGLGETOBJECTLABELPROC GetObjectLabel;
    PFNGLDEBUGMESSAGEINSERTPROC DebugMessageInsert;
    PFNGLGETPOINTERVPROC GetPointerv;
    PFNGLCREATESHADERPROC CreateShader;
    PFNGLSHADERSOURCEPROC ShaderSource;
    PFNGLCOMPILESHADERPROC CompileShader;
    PFNGLGETSHADERIVPROC GetShaderiv;
    PFNGLGETSHADERINFOLOGPROC GetShaderInfoLog;
    PFNGLCREATEPROGRAMPROC CreateProgram;
    PFNGLATTACHSHADERPROC AttachShader;
    PFNGLLINKPROGRAMPROC LinkProgram;
    PFNGLGETPROGRAMIVPROC GetProgramiv;
    PFNGLDELETESHADERPROC DeleteShader;
    PFNGLDELETEPROGRAMPROC DeleteProgram;
    PFNGLUSEPROGRAMPROC UseProgram;
    PFNGLGENVERTEXARRAYSPROC GenVertexArrays;
    PFNGLDELETEVERTEXARRAYSPROC DeleteVertexArrays;
    PFNGLBINDVERTEXARRAYPROC BindVertexArray;
    PFNGLGENFRAMEBUFFERSPROC GenFramebuffers;
    PFNGLDELETEFRAMEBUFFERSPROC DeleteFramebuffers;
    PFNGLBINDFRAMEBUFFERPROC BindFramebuffer;
    PFNGLFRAMEBUFFERTEXTURE2DPROC FramebufferTexture2D;
    PFNGLCHECKFRAMEBUFFERSTATUSPROC CheckFramebufferStatus;
    PFNGLVIEWPORTPROC Viewport;
    PFNGLDRAWARRAYSPROC DrawArrays;
    PFNGLACTIVETEXTUREPROC ActiveTexture;
    PFNGLDEBUGMESSAGECALLBACKPROC DebugMessageCallback;
    PFNGLENABLEPROC Enable;
    PFNGLDISABLEPROC Disable;
    PFNGLISENABLEDPROC IsEnabled;
    PFNGLREADPIXELSPROC ReadPixels;
    PFNGLGETSTRINGPROC GetString;
    PFNGLGETSTRINGIPROC GetStringi;
    PFNGLISFRAMEBUFFERPROC IsFramebuffer;
    PFNGLISRENDERBUFFERPROC IsRenderbuffer;
    PFNGLISVERTEXARRAYPROC IsVertexArray;
    PFNGLISSAMPLERPROC IsSampler;
    PFNGLISSHADERPROC IsShader;
    PFNGLISPROGRAMPROC IsProgram;
    PFNGLGENRENDERBUFFERSPROC GenRenderbuffers;
    PFNGLDELETERENDERBUFFERSPROC DeleteRenderbuffers;
    PFNGLBINDRENDERBUFFERPROC BindRenderbuffer;
    PFNGLRENDERBUFFERSTORAGEPROC RenderbufferStorage;
    PFNGLGETRENDERBUFFERPARAMETERIVPROC GetRenderbufferParameteriv;
    PFNGLGENSAMPLERSPROC GenSamplers;
    PFNGLDELETESAMPLERSPROC DeleteSamplers;
    PFNGLSAMPLERPARAMETERIPROC SamplerParameteri;
    PFNGLGETSAMPLERPARAMETERIVPROC GetSamplerParameteriv;
    PFNGLGETTEXPARAMETERIVPROC GetTexParameteriv;
    PFNGLGETBUFFERPARAMETERIVPROC GetBufferParameteriv;
    PFNGLGETFRAMEBUFFERATTACHMENTPARAMETERIVPROC GetFramebufferAttachmentParameteriv;
    PFNGLCLEARPROC Clear;
    PFNGLCLEARCOLORPROC ClearColor;
    PFNGLCLEARSTENCILPROC ClearStencil;
    PFNGLSTENCILFUNCPROC StencilFunc;
    PFNGLSTENCILOPPROC StencilOp;
    PFNGLSCISSORPROC Scissor;
    PFNGLCOLORMASKPROC ColorMask;
} gl_test_fns;

typedef struct gl_test_context {
    const char *kind;
    int is_gles;
    int bare; /* gl32bare: the 3.3+ extensions are stripped */
    EGLDisplay display;
    EGLContext context;
    uint32_t disable_features; /* what the kind turns off in gpureg_gl_desc */
    gl_test_fns gl;
} gl_test_context;

/* The context of the running test program, made current by gl_test_group_setup (cmocka group
 * setup) and freed by gl_test_group_teardown. */
extern gl_test_context gl_ctx;
int gl_test_group_setup(void **state);
int gl_test_group_teardown(void **state);

/* Make the context of GPUREG_TEST_GL_CONTEXT current on this thread (fails the test, naming the
 * packages to install, when EGL or llvmpipe is missing). */
void gl_test_context_make(gl_test_context *c);
void gl_test_context_free(gl_test_context *c);

/* A GL registry on the current context with the kind's features. Errors go to stderr. */
gpureg_registry *gl_test_registry(const gl_test_context *c, const gpureg_registry_desc *desc);
/* A registry log sink printing to stderr. */
void gl_test_log(gpureg_log_level level, gpureg_result result, const char *message, void *user);
/* gpureg_gl_desc for the kind (tests that create registries themselves). */
gpureg_gl_desc gl_test_desc(const gl_test_context *c);

/* Assert that no GL error reached the registry's ring; prints every queued message first. */
void gl_test_assert_no_errors(gpureg_registry *reg);
/* Destroy the registry, asserting no leak and no GL error. */
void gl_test_destroy(gpureg_registry *reg);

/* Fences the test lets the registry see. A registry made with gl_test_gate_get_proc_address
 * gets the real glFenceSync and glClientWaitSync, but a fence reports signalled only once the
 * test has shown it (and the GPU has finished it): the test decides when each frame is done. */
gpureg_gl_proc gl_test_gate_get_proc_address(const char *name);
void gl_test_gate_reset(void);     /* forget recorded fences; none shown */
void gl_test_gate_show(int count); /* fences [0, count), in the order they were made, may signal */
int gl_test_gate_shown(void);
int gl_test_gate_recorded(void);
/* How many fences, in order, the GPU has really signalled (asks only those not shown yet: the
 * registry deletes the ones it has seen signal). */
int gl_test_gate_really_signalled(void);

/* The GLSL #version line of the kind. */
const char *gl_test_glsl_version(const gl_test_context *c);

/* Whether the current context lists the extension (GL_EXTENSIONS, by index). */
int gl_test_has_extension(const gl_test_context *c, const char *name);

#endif
