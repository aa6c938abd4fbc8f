/* stress_mesa_cold_cache.c — raw GL, no gpureg: what tests/gl/test_gl_churn.c does on its 3.3
 * core context (through gpureg's GL 3.3 path), with every shader a cache miss.
 *
 * One EGL surfaceless 3.3 core debug context (force_gl_names_reuse=true, synchronous KHR_debug
 * output into a callback that never allocates, as gpureg's). Each frame creates CREATES textures
 * the way gpureg's texture_storage() does without ARB_texture_storage (GenTextures, the binding
 * saved and restored with glGetIntegerv, MAX_LEVEL, one glTexImage2D per level with NULL data and
 * no unpack buffer bound, an object label, then glTexSubImage2D with the unpack state saved and
 * restored), draws with some of them into a 32x32 FBO, releases some right after drawing with
 * them, puts a fence at the end of the frame and deletes what was released once that fence is
 * signalled (sometimes after a glFinish), as gpureg's collection does.
 *
 * Every --every frames a new program is compiled and linked whose source holds a unique constant
 * (time, pid and a counter), so the link and the first draw (llvmpipe's fragment shader variant)
 * are disk-cache misses and each goes through Mesa's cache writer thread. With --filters, each
 * texture gets one of several min/mag filter and wrap combinations, so draws also meet new
 * llvmpipe shader variants (more JIT compiles, more cache writes) within one program.
 *
 *   stress_mesa_cold_cache [--frames N] [--every K] [--creates C] [--filters] [--seed S]
 *   STRESS_SHARED_KEY=N: the unique constants come from N, not the time and pid (two processes
 *   with one N in one cache directory: one writes what the other reads)
 *
 * Exit 0 when done; a heap corruption shows as glibc's abort (SIGABRT) or a SIGSEGV. */
#define _GNU_SOURCE
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GL/glcorearb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FN(type, name) static type name;
#define GL_FUNCTIONS(X)                                                                                                \
    X(PFNGLGENTEXTURESPROC, glGenTextures_)                                                                            \
    X(PFNGLDELETETEXTURESPROC, glDeleteTextures_)                                                                      \
    X(PFNGLBINDTEXTUREPROC, glBindTexture_)                                                                            \
    X(PFNGLTEXIMAGE2DPROC, glTexImage2D_)                                                                              \
    X(PFNGLTEXSUBIMAGE2DPROC, glTexSubImage2D_)                                                                        \
    X(PFNGLTEXPARAMETERIPROC, glTexParameteri_)                                                                        \
    X(PFNGLGETINTEGERVPROC, glGetIntegerv_)                                                                            \
    X(PFNGLPIXELSTOREIPROC, glPixelStorei_)                                                                            \
    X(PFNGLBINDBUFFERPROC, glBindBuffer_)                                                                              \
    X(PFNGLOBJECTLABELPROC, glObjectLabel_)                                                                            \
    X(PFNGLDEBUGMESSAGECALLBACKPROC, glDebugMessageCallback_)                                                          \
    X(PFNGLENABLEPROC, glEnable_)                                                                                      \
    X(PFNGLISENABLEDPROC, glIsEnabled_)                                                                                \
    X(PFNGLGETPOINTERVPROC, glGetPointerv_)                                                                            \
    X(PFNGLGETERRORPROC, glGetError_)                                                                                  \
    X(PFNGLCREATESHADERPROC, glCreateShader_)                                                                          \
    X(PFNGLSHADERSOURCEPROC, glShaderSource_)                                                                          \
    X(PFNGLCOMPILESHADERPROC, glCompileShader_)                                                                        \
    X(PFNGLGETSHADERIVPROC, glGetShaderiv_)                                                                            \
    X(PFNGLGETSHADERINFOLOGPROC, glGetShaderInfoLog_)                                                                  \
    X(PFNGLCREATEPROGRAMPROC, glCreateProgram_)                                                                        \
    X(PFNGLATTACHSHADERPROC, glAttachShader_)                                                                          \
    X(PFNGLLINKPROGRAMPROC, glLinkProgram_)                                                                            \
    X(PFNGLGETPROGRAMIVPROC, glGetProgramiv_)                                                                          \
    X(PFNGLDELETESHADERPROC, glDeleteShader_)                                                                          \
    X(PFNGLDELETEPROGRAMPROC, glDeleteProgram_)                                                                        \
    X(PFNGLUSEPROGRAMPROC, glUseProgram_)                                                                              \
    X(PFNGLGENVERTEXARRAYSPROC, glGenVertexArrays_)                                                                    \
    X(PFNGLBINDVERTEXARRAYPROC, glBindVertexArray_)                                                                    \
    X(PFNGLDELETEVERTEXARRAYSPROC, glDeleteVertexArrays_)                                                              \
    X(PFNGLGENFRAMEBUFFERSPROC, glGenFramebuffers_)                                                                    \
    X(PFNGLBINDFRAMEBUFFERPROC, glBindFramebuffer_)                                                                    \
    X(PFNGLDELETEFRAMEBUFFERSPROC, glDeleteFramebuffers_)                                                              \
    X(PFNGLFRAMEBUFFERTEXTURE2DPROC, glFramebufferTexture2D_)                                                          \
    X(PFNGLCHECKFRAMEBUFFERSTATUSPROC, glCheckFramebufferStatus_)                                                      \
    X(PFNGLVIEWPORTPROC, glViewport_)                                                                                  \
    X(PFNGLDRAWARRAYSPROC, glDrawArrays_)                                                                              \
    X(PFNGLACTIVETEXTUREPROC, glActiveTexture_)                                                                        \
    X(PFNGLFINISHPROC, glFinish_)                                                                                      \
    X(PFNGLFLUSHPROC, glFlush_)                                                                                        \
    X(PFNGLFENCESYNCPROC, glFenceSync_)                                                                                \
    X(PFNGLCLIENTWAITSYNCPROC, glClientWaitSync_)                                                                      \
    X(PFNGLDELETESYNCPROC, glDeleteSync_)                                                                              \
    X(PFNGLISTEXTUREPROC, glIsTexture_)
GL_FUNCTIONS(FN)

static void die(const char *what) {
    fprintf(stderr, "stress_mesa_cold_cache: %s\n", what);
    exit(2);
}

static void load(void) {
#define LOAD(type, name)                                                                                               \
    do {                                                                                                               \
        char n[64];                                                                                                    \
        snprintf(n, sizeof n, "%s", #name);                                                                            \
        n[strlen(n) - 1] = '\0';                                                                                       \
        __extension__ name = (type)eglGetProcAddress(n);                                                               \
        if (!name) die(n);                                                                                             \
    } while (0);
    GL_FUNCTIONS(LOAD)
#undef LOAD
}

/* As gpureg's callback: copies the text into fixed memory, never allocates, never calls GL. */
static char last_message[256];
static unsigned long messages, errors;
static void APIENTRY on_debug(GLenum source, GLenum type, GLuint id, GLenum severity, GLsizei length,
                              const GLchar *text, const void *user) {
    (void)source, (void)id, (void)severity, (void)user;
    size_t n = text ? (length >= 0 ? (size_t)length : strlen(text)) : 0;
    if (n > sizeof last_message - 1) n = sizeof last_message - 1;
    if (n) memcpy(last_message, text, n);
    last_message[n] = '\0';
    messages++;
    if (type == GL_DEBUG_TYPE_ERROR) errors++;
}

static void make_context(void) {
    setenv("force_gl_names_reuse", "true", 0);
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_display =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
    if (!get_display) die("no eglGetPlatformDisplayEXT");
    EGLDisplay dpy = get_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    EGLint maj, min;
    if (dpy == EGL_NO_DISPLAY || !eglInitialize(dpy, &maj, &min)) die("no surfaceless display");
    if (!eglBindAPI(EGL_OPENGL_API)) die("eglBindAPI");
    EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION,
                           3,
                           EGL_CONTEXT_MINOR_VERSION,
                           3,
                           EGL_CONTEXT_OPENGL_DEBUG,
                           EGL_TRUE,
                           EGL_CONTEXT_OPENGL_PROFILE_MASK,
                           EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                           EGL_NONE};
    EGLContext ctx = eglCreateContext(dpy, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attributes);
    if (ctx == EGL_NO_CONTEXT) die("eglCreateContext 3.3 core");
    if (!eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) die("eglMakeCurrent");
    load();
    PFNGLGETSTRINGPROC get_string = (PFNGLGETSTRINGPROC)eglGetProcAddress("glGetString");
    if (getenv("STRESS_VERBOSE"))
        fprintf(stderr, "GL_VERSION %s / GL_RENDERER %s\n", (const char *)get_string(GL_VERSION),
                (const char *)get_string(GL_RENDERER));
    glDebugMessageCallback_(on_debug, NULL);
    glEnable_(GL_DEBUG_OUTPUT);
    glEnable_(GL_DEBUG_OUTPUT_SYNCHRONOUS);
}

/* ---- Programs, each one a cache miss ---------------------------------------------------------- */
static unsigned long long unique_base;
static unsigned program_counter;

static GLuint compile(GLenum kind, const char *body) {
    GLuint s = glCreateShader_(kind);
    const char *src[1] = {body};
    glShaderSource_(s, 1, src, NULL);
    glCompileShader_(s);
    GLint ok = 0;
    glGetShaderiv_(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024] = {0};
        glGetShaderInfoLog_(s, sizeof log, NULL, log);
        fprintf(stderr, "shader: %s\n", log);
        die("compile");
    }
    return s;
}

static GLuint new_program(void) {
    unsigned n = program_counter++;
    char vs[1024], fs[1024];
    snprintf(vs, sizeof vs,
             "#version 330 core\n"
             "out vec2 uv;\n"
             "const float unique_v = %llu.0 + %u.0;\n"
             "void main() {\n"
             "  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));\n"
             "  uv = p + vec2(unique_v * 1e-30);\n"
             "  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);\n"
             "}\n",
             unique_base % 1000000007ull, n);
    snprintf(fs, sizeof fs,
             "#version 330 core\n"
             "in vec2 uv; uniform sampler2D image; out vec4 color;\n"
             "const float unique_f = %llu.0 + %u.0;\n"
             "void main() { color = texture(image, uv) * (1.0 + unique_f * 1e-30) + vec4(%u.0 / 65536.0); }\n",
             unique_base % 1000000009ull, n, n % 65536u);
    GLuint v = compile(GL_VERTEX_SHADER, vs), f = compile(GL_FRAGMENT_SHADER, fs);
    GLuint p = glCreateProgram_();
    glAttachShader_(p, v);
    glAttachShader_(p, f);
    glLinkProgram_(p);
    glDeleteShader_(v);
    glDeleteShader_(f);
    GLint ok = 0;
    glGetProgramiv_(p, GL_LINK_STATUS, &ok);
    if (!ok) die("link");
    return p;
}

/* ---- Textures, as gpureg's GL 3.3 path makes, writes and deletes them ------------------------- */
static GLuint create_texture(unsigned *seed, int filters, unsigned label_number) {
    GLuint name = 0;
    glGenTextures_(1, &name);
    GLint previous = 0;
    glGetIntegerv_(GL_TEXTURE_BINDING_2D, &previous);
    if ((GLuint)previous != name) glBindTexture_(GL_TEXTURE_2D, name);
    glTexParameteri_(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
    GLint unpack = 0;
    glGetIntegerv_(GL_PIXEL_UNPACK_BUFFER_BINDING, &unpack);
    if (unpack) glBindBuffer_(GL_PIXEL_UNPACK_BUFFER, 0);
    glTexImage2D_(GL_TEXTURE_2D, 0, GL_RGBA8, 8, 8, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    if (unpack) glBindBuffer_(GL_PIXEL_UNPACK_BUFFER, (GLuint)unpack);
    if (filters) {
        static const GLint f[] = {GL_NEAREST, GL_LINEAR};
        static const GLint w[] = {GL_REPEAT, GL_CLAMP_TO_EDGE, GL_MIRRORED_REPEAT};
        unsigned r = (unsigned)rand_r(seed);
        glTexParameteri_(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, f[r & 1]);
        glTexParameteri_(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, f[(r >> 1) & 1]);
        glTexParameteri_(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, w[(r >> 2) % 3]);
        glTexParameteri_(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, w[(r >> 4) % 3]);
    }
    if ((GLuint)previous != name) glBindTexture_(GL_TEXTURE_2D, (GLuint)previous);
    char label[32];
    snprintf(label, sizeof label, "churn#%u", label_number);
    glObjectLabel_(GL_TEXTURE, name, (GLsizei)strlen(label), label);

    /* gpureg_texture_write: bind, unpack buffer 0, alignment/row length saved, sub image, restore */
    unsigned char px[8 * 8 * 4];
    memset(px, rand_r(seed) & 0xff, sizeof px);
    glGetIntegerv_(GL_TEXTURE_BINDING_2D, &previous);
    if ((GLuint)previous != name) glBindTexture_(GL_TEXTURE_2D, name);
    glGetIntegerv_(GL_PIXEL_UNPACK_BUFFER_BINDING, &unpack);
    GLint alignment = 0, row_length = 0;
    glGetIntegerv_(GL_UNPACK_ALIGNMENT, &alignment);
    glGetIntegerv_(GL_UNPACK_ROW_LENGTH, &row_length);
    glTexSubImage2D_(GL_TEXTURE_2D, 0, 0, 0, 8, 8, GL_RGBA, GL_UNSIGNED_BYTE, px);
    if ((GLuint)previous != name) glBindTexture_(GL_TEXTURE_2D, (GLuint)previous);
    return name;
}

enum { MAX_LIVE = 4096, MAX_PENDING = 65536, MAX_FENCES = 8192 };
static GLuint live[MAX_LIVE];
static int live_count;
static struct pending {
    GLuint name;
    int frame;
} pending[MAX_PENDING];
static int pending_count;
static GLsync fences[MAX_FENCES];

int main(int argc, char **argv) {
    int frames = 2000, every = 50, creates = 6, filters = 0;
    unsigned seed = 12345;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--frames") && i + 1 < argc)
            frames = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--every") && i + 1 < argc)
            every = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--creates") && i + 1 < argc)
            creates = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--filters"))
            filters = 1;
        else
            die("usage: [--frames N] [--every K] [--creates C] [--filters] [--seed S]");
    }
    if (frames > MAX_FENCES) frames = MAX_FENCES;
    if (every < 1) every = 1;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    unique_base = (unsigned long long)now.tv_sec * 1000000000ull + (unsigned long long)now.tv_nsec +
                  ((unsigned long long)getpid() << 32);
    /* Two processes given the same STRESS_SHARED_KEY compile the same shader sequence: in one
     * shared cache directory one writes entries while the other looks them up. */
    if (getenv("STRESS_SHARED_KEY")) unique_base = strtoull(getenv("STRESS_SHARED_KEY"), NULL, 0);

    make_context();
    GLuint target = 0, fbo = 0, vao = 0;
    glGenTextures_(1, &target);
    glBindTexture_(GL_TEXTURE_2D, target);
    glTexParameteri_(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
    glTexImage2D_(GL_TEXTURE_2D, 0, GL_RGBA8, 32, 32, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glBindTexture_(GL_TEXTURE_2D, 0);
    glGenFramebuffers_(1, &fbo);
    glBindFramebuffer_(GL_FRAMEBUFFER, fbo);
    glFramebufferTexture2D_(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, target, 0);
    if (glCheckFramebufferStatus_(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) die("fbo incomplete");
    glViewport_(0, 0, 32, 32);
    glGenVertexArrays_(1, &vao);
    glBindVertexArray_(vao);
    glActiveTexture_(GL_TEXTURE0);
    GLuint program = 0;

    unsigned label = 0;
    int shown = 0; /* fences [0, shown) seen signalled */
    unsigned long created = 0, deleted = 0;
    for (int frame = 0; frame < frames; frame++) {
        if (frame % every == 0) {
            GLuint p = new_program();
            glUseProgram_(p);
            if (program) glDeleteProgram_(program);
            program = p;
        }
        for (int i = 0; i < creates && live_count < MAX_LIVE; i++) {
            live[live_count++] = create_texture(&seed, filters, label++);
            created++;
        }
        for (int i = 0; i < 4 && live_count; i++) {
            glBindTexture_(GL_TEXTURE_2D, live[(unsigned)rand_r(&seed) % (unsigned)live_count]);
            glDrawArrays_(GL_TRIANGLES, 0, 3);
        }
        /* releases: the churn test's workers (0-3 each, twice) and the owner's, after a draw */
        int releases =
            live_count > 40
                ? (int)((unsigned)rand_r(&seed) % 4 + (unsigned)rand_r(&seed) % 4 + (unsigned)rand_r(&seed) % 4)
                : 0;
        for (int i = 0; i < releases && live_count && pending_count < MAX_PENDING; i++) {
            int at = (int)((unsigned)rand_r(&seed) % (unsigned)live_count);
            GLuint name = live[at];
            live[at] = live[--live_count];
            if (i % 3 == 2) { /* the owner's: drawn with right before the release */
                glBindTexture_(GL_TEXTURE_2D, name);
                glDrawArrays_(GL_TRIANGLES, 0, 3);
            }
            pending[pending_count++] = (struct pending){name, frame};
        }
        fences[frame] = glFenceSync_(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
        glFlush_(); /* as gpureg's gl_fence_insert */
        if ((unsigned)rand_r(&seed) % 8 == 0) glFinish_();
        int really = shown;
        while (really <= frame && glClientWaitSync_(fences[really], 0, 0) != GL_TIMEOUT_EXPIRED)
            really++;
        if (really > shown) shown += (int)((unsigned)rand_r(&seed) % (unsigned)(really - shown + 1));
        /* collection: delete what was released in a frame whose fence is seen */
        int kept = 0;
        for (int i = 0; i < pending_count; i++) {
            if (pending[i].frame < shown) {
                glDeleteTextures_(1, &pending[i].name);
                deleted++;
            } else {
                pending[kept++] = pending[i];
            }
        }
        pending_count = kept;
        for (int i = 0; i < shown; i++)
            if (fences[i]) {
                glDeleteSync_(fences[i]);
                fences[i] = 0;
            }
    }
    glFinish_();
    for (int i = 0; i < pending_count; i++)
        glDeleteTextures_(1, &pending[i].name);
    glDeleteTextures_(live_count, live);
    for (int i = 0; i < frames; i++)
        if (fences[i]) glDeleteSync_(fences[i]);
    glDeleteProgram_(program);
    glDeleteVertexArrays_(1, &vao);
    glBindFramebuffer_(GL_FRAMEBUFFER, 0);
    glDeleteFramebuffers_(1, &fbo);
    glDeleteTextures_(1, &target);
    printf("%d frames, %u programs, %lu textures created, %lu deleted, %lu debug messages (%lu errors)%s%s\n", frames,
           program_counter, created, deleted + (unsigned long)live_count + (unsigned long)pending_count, messages,
           errors, errors ? ": " : "", errors ? last_message : "");
    return errors ? 1 : 0;
}
