/* gl_fixture.c — see gl_fixture.h. */
#include "gl_fixture.h"

#include <EGL/eglext.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char install_hint[] = "install the Mesa EGL/GL drivers: apt-get install libegl1 libgl1-mesa-dri";

static void die(const char *what) { fail_msg("%s; %s", what, install_hint); }

static void load_test_functions(gl_test_fns *gl) {
#define LOAD(name)                                                                                                     \
    do {                                                                                                               \
        gpureg_gl_proc p = eglGetProcAddress("gl" #name);                                                              \
        if (!p) die("gl" #name " is missing");                                                                         \
        memcpy(&gl->name, &p, sizeof p);                                                                               \
    } while (0)
    LOAD(GetError);
    LOAD(Finish);
    LOAD(IsTexture);
    LOAD(IsBuffer);
    LOAD(GenTextures);
    LOAD(DeleteTextures);
    LOAD(BindTexture);
    LOAD(TexImage2D);
    LOAD(TexParameteri);
    LOAD(GenBuffers);
    LOAD(DeleteBuffers);
    LOAD(BindBuffer);
    LOAD(BufferData);
    LOAD(GetIntegerv);
    LOAD(PixelStorei);
    LOAD(GetObjectLabel);
    LOAD(DebugMessageInsert);
    LOAD(GetPointerv);
    LOAD(CreateShader);
    LOAD(ShaderSource);
    LOAD(CompileShader);
    LOAD(GetShaderiv);
    LOAD(GetShaderInfoLog);
    LOAD(CreateProgram);
    LOAD(AttachShader);
    LOAD(LinkProgram);
    LOAD(GetProgramiv);
    LOAD(DeleteShader);
    LOAD(DeleteProgram);
    LOAD(UseProgram);
    LOAD(GenVertexArrays);
    LOAD(DeleteVertexArrays);
    LOAD(BindVertexArray);
    LOAD(GenFramebuffers);
    LOAD(DeleteFramebuffers);
    LOAD(BindFramebuffer);
    LOAD(FramebufferTexture2D);
    LOAD(CheckFramebufferStatus);
    LOAD(Viewport);
    LOAD(DrawArrays);
    LOAD(ActiveTexture);
    LOAD(DebugMessageCallback);
    LOAD(Enable);
    LOAD(Disable);
    LOAD(IsEnabled);
    LOAD(ReadPixels);
    LOAD(GetString);
    LOAD(GetStringi);
    LOAD(IsFramebuffer);
    LOAD(IsRenderbuffer);
    LOAD(IsVertexArray);
    LOAD(IsSampler);
    LOAD(IsShader);
    LOAD(IsProgram);
    LOAD(GenRenderbuffers);
    LOAD(DeleteRenderbuffers);
    LOAD(BindRenderbuffer);
    LOAD(RenderbufferStorage);
    LOAD(GetRenderbufferParameteriv);
    LOAD(GenSamplers);
    LOAD(DeleteSamplers);
    LOAD(SamplerParameteri);
    LOAD(GetSamplerParameteriv);
    LOAD(GetTexParameteriv);
    LOAD(GetBufferParameteriv);
    LOAD(GetFramebufferAttachmentParameteriv);
    LOAD(Clear);
    LOAD(ClearColor);
    LOAD(ClearStencil);
    LOAD(StencilFunc);
    LOAD(StencilOp);
    LOAD(Scissor);
    LOAD(ColorMask);
#undef LOAD
}

void gl_test_context_make(gl_test_context *c) {
    memset(c, 0, sizeof *c);
    /* A Mesa driconf option: hand a deleted GL name out again at once, as other drivers do, so
     * the name-reuse test meets the aliasing it guards against. Read when the driver loads. */
    setenv("force_gl_names_reuse", "true", 0);
    c->kind = getenv("GPUREG_TEST_GL_CONTEXT");
    if (!c->kind || !c->kind[0]) c->kind = "gl45";
    EGLint major, minor;
    if (!strcmp(c->kind, "gl45")) {
        major = 4, minor = 5;
    } else if (!strcmp(c->kind, "gl33")) {
        major = 3, minor = 3;
        c->disable_features = GPUREG_GL_FEATURE_TEXTURE_STORAGE | GPUREG_GL_FEATURE_BUFFER_STORAGE |
                              GPUREG_GL_FEATURE_STORAGE_BUFFERS | GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS;
    } else if (!strcmp(c->kind, "gles3")) {
        major = 3, minor = 2;
        c->is_gles = 1;
    } else if (!strcmp(c->kind, "gl32") || !strcmp(c->kind, "gl32bare")) {
        major = 3, minor = 2;
        c->bare = c->kind[4] != '\0';
    } else {
        fail_msg("GPUREG_TEST_GL_CONTEXT=%s: expected gl45, gl33, gles3, gl32 or gl32bare", c->kind);
        return;
    }
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_display =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
    if (!get_display) die("EGL has no eglGetPlatformDisplayEXT");
    c->display = get_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    EGLint egl_major = 0, egl_minor = 0;
    if (c->display == EGL_NO_DISPLAY || !eglInitialize(c->display, &egl_major, &egl_minor))
        die("no EGL surfaceless display (EGL_PLATFORM_SURFACELESS_MESA)");
    if (!eglBindAPI(c->is_gles ? EGL_OPENGL_ES_API : EGL_OPENGL_API)) die("eglBindAPI failed");
    EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION,
                           major,
                           EGL_CONTEXT_MINOR_VERSION,
                           minor,
                           EGL_CONTEXT_OPENGL_DEBUG,
                           EGL_TRUE,
                           c->is_gles ? EGL_NONE : EGL_CONTEXT_OPENGL_PROFILE_MASK,
                           EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                           EGL_NONE};
    c->context = eglCreateContext(c->display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attributes);
    if (c->context == EGL_NO_CONTEXT) die("eglCreateContext failed for this GL version");
    if (!eglMakeCurrent(c->display, EGL_NO_SURFACE, EGL_NO_SURFACE, c->context)) die("eglMakeCurrent failed");
    load_test_functions(&c->gl);
}

void gl_test_context_free(gl_test_context *c) {
    eglMakeCurrent(c->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    eglDestroyContext(c->display, c->context);
    /* No eglTerminate: it unloads the driver, and LeakSanitizer could then not name the driver's
     * own leaks at exit (tests/gl/lsan.supp suppresses those by module, never ours). */
    eglReleaseThread();
}

void gl_test_log(gpureg_log_level level, gpureg_result result, const char *message, void *user) {
    (void)level;
    (void)result;
    (void)user;
    fprintf(stderr, "gpureg: %s\n", message);
}

gpureg_gl_desc gl_test_desc(const gl_test_context *c) {
    return (gpureg_gl_desc){.get_proc_address = eglGetProcAddress, .disable_features = c->disable_features};
}

gpureg_registry *gl_test_registry(const gl_test_context *c, const gpureg_registry_desc *desc) {
    gpureg_registry_desc d = desc ? *desc : (gpureg_registry_desc){0};
    if (!d.log) d.log = gl_test_log;
    gpureg_gl_desc gl = gl_test_desc(c);
    gpureg_registry *reg = NULL;
    gpureg_result r = gpureg_gl_create(&gl, &d, &reg);
    if (r != GPUREG_OK) fail_msg("gpureg_gl_create: %s", gpureg_result_string(r));
    return reg;
}

void gl_test_assert_no_errors(gpureg_registry *reg) {
    uint64_t errors = gpureg_error_message_count(reg);
    gpureg_message m[16];
    size_t n;
    while (gpureg_poll_messages(reg, m, 16, &n) == GPUREG_OK && n)
        for (size_t i = 0; i < n; i++)
            if (m[i].severity == GPUREG_SEVERITY_ERROR) fprintf(stderr, "GL error message: %s\n", m[i].text);
    assert_int_equal(errors, 0);
}

void gl_test_destroy(gpureg_registry *reg) {
    gl_test_assert_no_errors(reg);
    assert_int_equal(gpureg_destroy(reg), 0);
}

/* ---- Group setup -------------------------------------------------------------------------- */
gl_test_context gl_ctx;

int gl_test_group_setup(void **state) {
    (void)state;
    gl_test_context_make(&gl_ctx);
    return 0;
}

int gl_test_group_teardown(void **state) {
    (void)state;
    gl_test_context_free(&gl_ctx);
    return 0;
}

/* ---- Fence gate ------------------------------------------------------------------------------ */
enum { GATE_MAX_FENCES = 8192 };
static GLsync gate_fences[GATE_MAX_FENCES];
static int gate_recorded, gate_shown;
static PFNGLFENCESYNCPROC real_fence_sync;
static PFNGLCLIENTWAITSYNCPROC real_client_wait_sync;

static GLsync APIENTRY gate_fence_sync(GLenum condition, GLbitfield flags) {
    GLsync s = real_fence_sync(condition, flags);
    if (gate_recorded < GATE_MAX_FENCES) gate_fences[gate_recorded++] = s;
    return s;
}

static GLenum APIENTRY gate_client_wait_sync(GLsync sync, GLbitfield flags, GLuint64 timeout) {
    for (int i = gate_shown; i < gate_recorded; i++)
        if (gate_fences[i] == sync) return GL_TIMEOUT_EXPIRED; /* the "GPU" has not got there yet */
    return real_client_wait_sync(sync, flags, timeout);
}

gpureg_gl_proc gl_test_gate_get_proc_address(const char *name) {
    gpureg_gl_proc p = eglGetProcAddress(name);
    if (!strcmp(name, "glFenceSync")) {
        memcpy(&real_fence_sync, &p, sizeof p);
        return (gpureg_gl_proc)gate_fence_sync;
    }
    if (!strcmp(name, "glClientWaitSync")) {
        memcpy(&real_client_wait_sync, &p, sizeof p);
        return (gpureg_gl_proc)gate_client_wait_sync;
    }
    return p;
}

void gl_test_gate_reset(void) { gate_recorded = gate_shown = 0; }
void gl_test_gate_show(int count) { gate_shown = count; }
int gl_test_gate_shown(void) { return gate_shown; }
int gl_test_gate_recorded(void) { return gate_recorded; }

int gl_test_gate_really_signalled(void) {
    int n = gate_shown;
    while (n < gate_recorded && real_client_wait_sync(gate_fences[n], 0, 0) != GL_TIMEOUT_EXPIRED)
        n++;
    return n;
}

const char *gl_test_glsl_version(const gl_test_context *c) {
    if (c->is_gles) return "#version 300 es\nprecision mediump float;\n";
    return !strncmp(c->kind, "gl32", 4) ? "#version 150 core\n" : "#version 330 core\n";
}

int gl_test_has_extension(const gl_test_context *c, const char *name) {
    GLint count = 0;
    c->gl.GetIntegerv(GL_NUM_EXTENSIONS, &count);
    for (GLint i = 0; i < count; i++) {
        const char *e = (const char *)c->gl.GetStringi(GL_EXTENSIONS, (GLuint)i);
        if (e && !strcmp(e, name)) return 1;
    }
    return 0;
}
