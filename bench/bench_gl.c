/*
 * bench_gl — a 64x64 RGBA8 texture's whole life through gpureg's GL backend against the same GL
 * work done by hand, in the same run, on Mesa llvmpipe through EGL surfaceless:
 *
 *   raw     glGenTextures, glBindTexture, glTexStorage2D, glTexSubImage2D, glDeleteTextures
 *   raw_label  the same plus one glObjectLabel after glTexStorage2D, with the very text gpureg gives
 *           the textures of this cycle (recorded once from a probe registry: handle, label and
 *           site, same length and shape): what the label the issue requires costs by itself
 *   gpureg  gpureg_texture_create + gpureg_texture_write + gpureg_texture_release + gpureg_collect
 *           (which do the calls above, plus restoring the app's bindings, glGetError checks and
 *           the glObjectLabel debug name)
 *   gpureg_nolabel  the same with KHR_debug off (no glObjectLabel): what the label costs
 *
 * Each figure is the median over --reps repetitions of N cycles; variants are interleaved inside
 * each repetition so that noise on a shared machine hits them alike.
 */
#include "bench_callgrind.h"
#include "bench_util.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GL/glcorearb.h>
#include <gpureg/gpureg_gl.h>

#include <stdlib.h>
#include <string.h>

typedef struct raw_gl {
    PFNGLGENTEXTURESPROC GenTextures;
    PFNGLBINDTEXTUREPROC BindTexture;
    PFNGLTEXSTORAGE2DPROC TexStorage2D;
    PFNGLTEXSUBIMAGE2DPROC TexSubImage2D;
    PFNGLDELETETEXTURESPROC DeleteTextures;
    PFNGLOBJECTLABELPROC ObjectLabel;
    PFNGLFINISHPROC Finish;
} raw_gl;

static void fail(const char *what) {
    fprintf(stderr, "bench_gl: %s (install libegl1 libgl1-mesa-dri)\n", what);
    exit(3);
}

static void make_context(void) {
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_display =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
    if (!get_display) fail("no eglGetPlatformDisplayEXT");
    EGLDisplay display = get_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    if (display == EGL_NO_DISPLAY || !eglInitialize(display, NULL, NULL)) fail("no EGL surfaceless display");
    eglBindAPI(EGL_OPENGL_API);
    const EGLint attributes[] = {
        EGL_CONTEXT_MAJOR_VERSION,           4,       EGL_CONTEXT_MINOR_VERSION, 5, EGL_CONTEXT_OPENGL_PROFILE_MASK,
        EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
    EGLContext context = eglCreateContext(display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attributes);
    if (context == EGL_NO_CONTEXT || !eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context))
        fail("no GL 4.5 core context");
}

#define LOAD(gl, name)                                                                                                 \
    do {                                                                                                               \
        gpureg_gl_proc p = eglGetProcAddress("gl" #name);                                                              \
        memcpy(&(gl)->name, &p, sizeof p);                                                                             \
    } while (0)

static unsigned char pixels[64 * 64 * 4];

/* The driver name gpureg gives a texture made by bench_gpureg_texture_cycles, as recorded from
 * its glObjectLabel call. */
static char label_text[512];
static GLsizei label_length = -1;
static PFNGLOBJECTLABELPROC real_object_label;

static void APIENTRY record_object_label(GLenum identifier, GLuint name, GLsizei length, const GLchar *text) {
    size_t n = length >= 0 ? (size_t)length : strlen(text);
    if (n >= sizeof label_text) n = sizeof label_text - 1;
    memcpy(label_text, text, n);
    label_text[n] = '\0';
    label_length = (GLsizei)n;
    real_object_label(identifier, name, length, text);
}

static gpureg_gl_proc recording_get_proc_address(const char *name) {
    if (strcmp(name, "glObjectLabel") == 0) return (gpureg_gl_proc)record_object_label;
    return eglGetProcAddress(name);
}

/* The raw cycle; with `labelled`, plus the glObjectLabel gpureg makes (the recorded text). */
static double raw_cycles(const raw_gl *gl, int n, int labelled) {
    uint64_t start = bench_now_ns();
    for (int i = 0; i < n; i++) {
        GLuint name = 0;
        gl->GenTextures(1, &name);
        gl->BindTexture(GL_TEXTURE_2D, name);
        gl->TexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, 64, 64);
        if (labelled) gl->ObjectLabel(GL_TEXTURE, name, label_length, label_text);
        gl->TexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, 64, 64, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
        gl->BindTexture(GL_TEXTURE_2D, 0);
        gl->DeleteTextures(1, &name);
    }
    return (double)(bench_now_ns() - start) / n;
}

static double gpureg_cycles(gpureg_registry *reg, int n) {
    double ns = bench_gpureg_texture_cycles(reg, n, pixels, sizeof pixels);
    if (ns < 0) fail("a gpureg call failed");
    return ns;
}

static gpureg_registry *registry(gpureg_gl_get_proc_address_fn get_proc_address, uint32_t disable) {
    gpureg_gl_desc gl = {.get_proc_address = get_proc_address, .disable_features = disable};
    gpureg_registry *reg = NULL;
    if (gpureg_gl_create(&gl, NULL, &reg) != GPUREG_OK) fail("gpureg_gl_create failed");
    return reg;
}

/* The context, the raw calls and the label text raw_label gives its textures (recorded from one
 * cycle through a probe registry). */
static void setup(raw_gl *gl) {
    make_context();
    LOAD(gl, GenTextures);
    LOAD(gl, BindTexture);
    LOAD(gl, TexStorage2D);
    LOAD(gl, TexSubImage2D);
    LOAD(gl, DeleteTextures);
    LOAD(gl, ObjectLabel);
    LOAD(gl, Finish);
    for (size_t i = 0; i < sizeof pixels; i++)
        pixels[i] = (unsigned char)(i * 31u);
    real_object_label = gl->ObjectLabel;
    gpureg_registry *probe = registry(recording_get_proc_address, 0);
    gpureg_cycles(probe, 1);
    gpureg_destroy(probe);
    if (label_length <= 0) fail("gpureg set no glObjectLabel (KHR_debug missing?)");
}

/* Callgrind's instruction counts, per cycle, of the three variants. */
enum { VARIANT_RAW, VARIANT_RAW_LABEL, VARIANT_GPUREG, VARIANTS };
static const char *const variants[VARIANTS] = {"raw", "raw_label", "gpureg"};

typedef struct cycle_work {
    int variant, count;
    const raw_gl *gl;
    gpureg_registry *reg;
} cycle_work;

static void cycle_run(const cycle_work *w) {
    if (w->variant == VARIANT_GPUREG)
        gpureg_cycles(w->reg, w->count);
    else
        raw_cycles(w->gl, w->count, w->variant == VARIANT_RAW_LABEL);
}

/* What callgrind collects (--toggle-collect): everything this call runs on this thread. */
__attribute__((noinline)) void bench_measured_cycles(const cycle_work *w);
__attribute__((noinline)) void bench_measured_cycles(const cycle_work *w) { cycle_run(w); }

static int work_cycles(const char *variant, int count) {
    cycle_work w = {.variant = -1, .count = count};
    for (int v = 0; v < VARIANTS; v++)
        if (!strcmp(variant, variants[v])) w.variant = v;
    if (w.variant < 0 || count < 1) return 2;
    raw_gl gl;
    setup(&gl);
    w.gl = &gl;
    w.reg = registry(eglGetProcAddress, 0);
    cycle_run(&w); /* warm-up, not collected: the driver's allocators and JIT */
    bench_measured_cycles(&w);
    gpureg_destroy(w.reg);
    return 0;
}

/* Instructions per cycle of each variant (whole) and gpureg's own; -1 where callgrind is missing
 * or GPUREG_BENCH_NO_CALLGRIND is set. */
static void count_instructions(int quick, double whole[VARIANTS], double *own) {
    const int count = quick ? 50 : 500;
    const char *off = getenv("GPUREG_BENCH_NO_CALLGRIND");
    char self[4096];
    *own = -1;
    for (int v = 0; v < VARIANTS; v++)
        whole[v] = -1;
    if ((off && *off && strcmp(off, "0")) || !bench_self_path(self, sizeof self)) return;
    for (int v = 0; v < VARIANTS; v++) {
        char n[16];
        snprintf(n, sizeof n, "%d", count);
        const char *args[] = {"--work", "cycle", variants[v], n, NULL};
        bench_instructions ins;
        if (bench_callgrind(self, args, "bench_measured_cycles", &ins) != 0) {
            fprintf(stderr, "bench_gl: callgrind failed for %s (is valgrind installed?)\n", variants[v]);
            continue;
        }
        whole[v] = (double)ins.whole / count;
        if (v == VARIANT_GPUREG) *own = (double)ins.own / count;
    }
}

int main(int argc, char **argv) {
    if (argc == 5 && !strcmp(argv[1], "--work") && !strcmp(argv[2], "cycle"))
        return work_cycles(argv[3], atoi(argv[4]));
    bench_options opt;
    if (!bench_parse_options(argc, argv, "bench_gl", &opt)) return 2;
    raw_gl gl;
    setup(&gl);
    gpureg_registry *labelled = registry(eglGetProcAddress, 0),
                    *unlabelled = registry(eglGetProcAddress, GPUREG_GL_FEATURE_DEBUG);

    int n = opt.quick ? 200 : 2000, reps = opt.quick ? 3 : opt.reps;
    double *raw = calloc((size_t)reps, sizeof *raw), *raw_label = calloc((size_t)reps, sizeof *raw_label),
           *with = calloc((size_t)reps, sizeof *with), *without = calloc((size_t)reps, sizeof *without);
    if (!raw || !raw_label || !with || !without) fail("out of memory");
    raw_cycles(&gl, n, 0); /* warm-up: the driver's allocators and JIT */
    raw_cycles(&gl, n, 1);
    gpureg_cycles(labelled, n);
    for (int r = 0; r < reps; r++) {
        raw[r] = raw_cycles(&gl, n, 0);
        raw_label[r] = raw_cycles(&gl, n, 1);
        with[r] = gpureg_cycles(labelled, n);
        without[r] = gpureg_cycles(unlabelled, n);
        gl.Finish();
    }
    double raw_ns = bench_median(raw, (size_t)reps), raw_label_ns = bench_median(raw_label, (size_t)reps),
           with_ns = bench_median(with, (size_t)reps), without_ns = bench_median(without, (size_t)reps);
    double whole[VARIANTS], own;
    count_instructions(opt.quick, whole, &own);
    if (opt.json) {
        bench_json j;
        bench_json_begin(&j, "gl_texture_cycle", 0);
        bench_json_num(&j, "ns_per_op", with_ns);
        bench_json_num(&j, "raw_ns_per_op", raw_ns);
        bench_json_num(&j, "raw_label_ns_per_op", raw_label_ns);
        bench_json_num(&j, "nolabel_ns_per_op", without_ns);
        bench_json_num(&j, "ratio_raw", with_ns / raw_ns);
        bench_json_num(&j, "ratio_raw_label", with_ns / raw_label_ns);
        bench_json_int(&j, "label_bytes", (uint64_t)label_length);
        if (own >= 0) bench_json_num(&j, "instructions_own", own);
        if (whole[VARIANT_GPUREG] >= 0) bench_json_num(&j, "instructions_whole", whole[VARIANT_GPUREG]);
        if (whole[VARIANT_RAW] >= 0) bench_json_num(&j, "raw_instructions_whole", whole[VARIANT_RAW]);
        if (whole[VARIANT_RAW_LABEL] >= 0) bench_json_num(&j, "raw_label_instructions_whole", whole[VARIANT_RAW_LABEL]);
        bench_json_end(&j, stdout);
    } else {
        char machine[128];
        bench_machine_name(machine, sizeof machine);
        printf("bench_gl on %s, llvmpipe: 64x64 RGBA8 create + upload + delete, median of %d x %d\n", machine, reps, n);
        printf("  raw GL                 %8.0f ns\n", raw_ns);
        printf("  raw GL + glObjectLabel %8.0f ns  (%.3fx raw; the %d-byte label gpureg sets)\n", raw_label_ns,
               raw_label_ns / raw_ns, (int)label_length);
        printf("  gpureg                 %8.0f ns  (%.3fx raw, %.3fx raw + label)\n", with_ns, with_ns / raw_ns,
               with_ns / raw_label_ns);
        printf("  gpureg without labels  %8.0f ns  (%.3fx raw)\n", without_ns, without_ns / raw_ns);
        if (own >= 0)
            printf("  instructions per cycle (callgrind): gpureg own %.0f, whole %.0f; raw whole %.0f, raw + label "
                   "whole %.0f\n",
                   own, whole[VARIANT_GPUREG], whole[VARIANT_RAW], whole[VARIANT_RAW_LABEL]);
    }
    gpureg_destroy(labelled);
    gpureg_destroy(unlabelled);
    free(raw);
    free(raw_label);
    free(with);
    free(without);
    return 0;
}
