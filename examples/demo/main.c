/* main.c — gpureg-demo: arguments, the frame loop, status lines, screenshot and exit code.
 *
 * The loop is the same for both APIs: frame_begin, the scene streams its textures and uploads its
 * vertices, the renderer records and submits, the scene releases what this frame retires (still
 * in flight), frame_end records the fence. At exit the registry prints its leak report. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "image_io.h"

#ifndef DEMO_ASSET_DIR
#define DEMO_ASSET_DIR "assets"
#endif

static void usage(FILE *to) {
    fprintf(to, "usage: gpureg-demo [--api gl|vk] [--headless] [--frames N] [--size WxH] [--screenshot PATH]\n"
                "                   [--leak] [--seed N] [--stats-every N] [--validate] [--resize WxH] [--assets DIR]\n"
                "                   [--help]\n"
                "\n"
                "Streams textures through gpureg every frame and draws sprites over a tiled background.\n"
                "  --api gl|vk        OpenGL 3.3 core (default) or Vulkan\n"
                "  --headless         no window: GL through EGL surfaceless, Vulkan to an offscreen image\n"
                "  --frames N         stop after N frames (headless default 120; windowed default: until Esc)\n"
                "  --size WxH         render size (default 640x480)\n"
                "  --screenshot PATH  write the last frame as PNG\n"
                "  --leak             leak one labelled texture on purpose; the report at exit names it\n"
                "  --seed N           scene seed (default 1)\n"
                "  --stats-every N    status line every N frames (default 30; 0 = never)\n"
                "  --validate         Vulkan: enable VK_LAYER_KHRONOS_validation (also GPUREG_DEMO_VALIDATE=1);\n"
                "                     GL always runs on a debug context\n"
                "  --resize WxH       halfway through --frames, resize the window (or headless target) to WxH:\n"
                "                     the old render target is released while frames still use it\n"
                "  --assets DIR       where background.png and sprite0..3.png are (default: the build tree)\n"
                "Exit codes: 0 ok; 1 a call failed, the driver reported an error or something leaked;\n"
                "2 bad arguments; 3 driver or display missing (the message says what to install).\n");
}

static int parse_u64(const char *text, uint64_t *out) {
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || *end || text[0] == '-') return -1;
    *out = v;
    return 0;
}

static int parse_size(const char *text, uint32_t *w, uint32_t *h) {
    char *end = NULL;
    unsigned long a = strtoul(text, &end, 10);
    if (end == text || *end != 'x') return -1;
    const char *rest = end + 1;
    unsigned long b = strtoul(rest, &end, 10);
    if (end == rest || *end || a == 0 || b == 0 || a > 8192 || b > 8192) return -1;
    *w = (uint32_t)a;
    *h = (uint32_t)b;
    return 0;
}

/* Returns -1 after printing the usage, 1 for --help, 0 to run. */
static int parse_args(int argc, char **argv, demo_options *opt) {
    int frames_given = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return 1;
        if (!strcmp(a, "--headless")) {
            opt->headless = 1;
        } else if (!strcmp(a, "--leak")) {
            opt->leak = 1;
        } else if (!strcmp(a, "--validate")) {
            opt->validate = 1;
        } else if (value && !strcmp(a, "--api")) {
            if (!strcmp(value, "gl"))
                opt->api = DEMO_API_GL;
            else if (!strcmp(value, "vk") || !strcmp(value, "vulkan"))
                opt->api = DEMO_API_VULKAN;
            else
                goto bad;
            i++;
        } else if (value && !strcmp(a, "--frames")) {
            if (parse_u64(value, &opt->frames) != 0) goto bad;
            frames_given = 1;
            i++;
        } else if (value && !strcmp(a, "--size")) {
            if (parse_size(value, &opt->width, &opt->height) != 0) goto bad;
            i++;
        } else if (value && !strcmp(a, "--resize")) {
            if (parse_size(value, &opt->resize_width, &opt->resize_height) != 0) goto bad;
            i++;
        } else if (value && !strcmp(a, "--screenshot")) {
            opt->screenshot = value;
            i++;
        } else if (value && !strcmp(a, "--seed")) {
            if (parse_u64(value, &opt->seed) != 0) goto bad;
            i++;
        } else if (value && !strcmp(a, "--stats-every")) {
            if (parse_u64(value, &n) != 0 || n > UINT32_MAX) goto bad;
            opt->stats_every = (uint32_t)n;
            i++;
        } else if (value && !strcmp(a, "--assets")) {
            opt->asset_dir = value;
            i++;
        } else {
            goto bad;
        }
        continue;
    bad:
        fprintf(stderr, "gpureg-demo: bad argument '%s'%s%s\n", a, value ? " " : "", value ? value : "");
        usage(stderr);
        return -1;
    }
    if (opt->headless && frames_given && opt->frames == 0) {
        fprintf(stderr, "gpureg-demo: --headless needs --frames N with N > 0\n");
        usage(stderr);
        return -1;
    }
    if (opt->headless && !frames_given) opt->frames = 120;
    if (opt->resize_width && opt->frames < 2) {
        fprintf(stderr, "gpureg-demo: --resize needs --frames N with N >= 2\n");
        usage(stderr);
        return -1;
    }
    const char *env = getenv("GPUREG_DEMO_VALIDATE");
    if (env && !strcmp(env, "1")) opt->validate = 1;
    return 0;
}

static void print_log(gpureg_log_level level, gpureg_result result, const char *message, void *user) {
    fprintf(stderr, "gpureg %s: %s\n", level == GPUREG_LOG_ERROR ? "error" : "log", message);
}

/* Print the driver's messages (validation, GL debug output) as they arrive. */
static void write_stdout(const char *bytes, size_t length, void *user) { fwrite(bytes, 1, length, stdout); }

/* What the scene left behind: everything created since `since` that is still here once the
 * scene is torn down and the GPU is idle (pending destructions collected first). */
static void print_leftovers(gpureg_registry *reg, gpureg_checkpoint since) {
    gpureg_collect(reg, NULL);
    printf("gpureg-demo: what the scene left behind:\n");
    gpureg_report_since(reg, since, GPUREG_REPORT_TEXT, write_stdout, NULL);
    fflush(stdout);
}

static void drain_messages(gpureg_registry *reg) {
    gpureg_message messages[16];
    size_t count = 0;
    do {
        if (gpureg_poll_messages(reg, messages, 16, &count) != GPUREG_OK) return;
        for (size_t i = 0; i < count; i++) {
            const gpureg_message *m = &messages[i];
            if (m->severity == GPUREG_SEVERITY_INFO) continue;
            fprintf(stderr, "gpureg-demo: driver %s (frame %" PRIu64 ", handle 0x%016" PRIx64 "): %s\n",
                    m->severity == GPUREG_SEVERITY_ERROR ? "error" : "warning", m->frame, m->handle, m->text);
        }
    } while (count == 16);
}

static void format_status(gpureg_registry *reg, const char *api, uint64_t frame, char *out, size_t cap) {
    gpureg_stats st;
    if (gpureg_get_stats(reg, &st) != GPUREG_OK) {
        snprintf(out, cap, "gpureg-demo (%s)", api);
        return;
    }
    snprintf(out, cap,
             "gpureg-demo %s frame %" PRIu64 ": live %" PRIu64 " textures %" PRIu64 " buffers (%" PRIu64
             " KiB), pending destruction %" PRIu64 ", frames in flight %" PRIu64,
             api, frame, st.texture.live_count, st.buffer.live_count,
             (st.texture.live_bytes + st.buffer.live_bytes) / 1024u, st.texture.pending_count + st.buffer.pending_count,
             st.frame_serial - st.completed_serial);
}

static int write_screenshot(const demo_renderer *r, void *state, const demo_options *opt, uint32_t w, uint32_t h) {
    uint8_t *rgba = malloc((size_t)w * h * 4u);
    if (!rgba) return DEMO_EXIT_FAILURE;
    int rc = r->read_pixels(state, rgba);
    if (rc == DEMO_EXIT_OK && demo_image_write_png(opt->screenshot, w, h, rgba) != 0) rc = DEMO_EXIT_FAILURE;
    if (rc == DEMO_EXIT_OK) printf("gpureg-demo: wrote %s (%ux%u)\n", opt->screenshot, w, h);
    free(rgba);
    return rc;
}

static int run(const demo_renderer *r, const demo_options *opt) {
    void *state = NULL;
    gpureg_registry *reg = NULL;
    gpureg_registry_desc desc = {.log = print_log};
    int rc = r->open(opt, &desc, &state, &reg);
    if (rc != DEMO_EXIT_OK) {
        if (reg) gpureg_destroy(reg);
        if (state) r->close(state);
        return rc;
    }

    scene *sc = NULL;
    /* Everything the scene makes comes after this point: once it is torn down, the report since
     * the checkpoint says what it left behind (the texture --leak forgets on purpose). */
    gpureg_checkpoint scene_start = gpureg_checkpoint_now(reg);
    scene_config config = {.seed = opt->seed, .asset_dir = opt->asset_dir, .leak = opt->leak};
    if (scene_create(reg, &config, &sc) != 0) rc = DEMO_EXIT_FAILURE;

    uint32_t w = opt->width, h = opt->height;
    uint64_t frame = 0;
    char status[256];
    while (rc == DEMO_EXIT_OK && (opt->frames == 0 || frame < opt->frames)) {
        if (opt->resize_width && frame == opt->frames / 2u) r->resize(state, opt->resize_width, opt->resize_height);
        if (!r->poll(state, &w, &h)) break;
        frame++;
        scene_frame sf;
        if (r->wait_frame(state) != DEMO_EXIT_OK || gpureg_frame_begin(reg) != GPUREG_OK ||
            scene_update(sc, frame, w, h, &sf) != 0) {
            rc = DEMO_EXIT_FAILURE;
            break;
        }
        rc = r->draw(state, &sf);
        if (scene_frame_done(sc) != 0 && rc == DEMO_EXIT_OK) rc = DEMO_EXIT_FAILURE;
        if (r->end_frame(state) != GPUREG_OK && rc == DEMO_EXIT_OK) rc = DEMO_EXIT_FAILURE;
        drain_messages(reg);
        if (opt->stats_every && frame % opt->stats_every == 0) {
            format_status(reg, r->name, frame, status, sizeof status);
            if (opt->headless)
                printf("%s\n", status);
            else
                r->set_status(state, status);
        }
    }
    if (rc == DEMO_EXIT_OK && opt->screenshot && frame > 0) rc = write_screenshot(r, state, opt, w, h);
    r->finish(state);
    scene_destroy(sc);
    drain_messages(reg);
    if (opt->leak) print_leftovers(reg, scene_start);
    uint64_t errors = gpureg_error_message_count(reg);
    fflush(stdout);
    int leaks = gpureg_destroy(reg);
    r->close(state);
    printf("gpureg-demo: %" PRIu64 " frames on %s, %" PRIu64 " driver error messages, %d leaked object%s%s\n", frame,
           r->name, errors, leaks, leaks == 1 ? "" : "s", opt->leak ? " (1 expected: --leak)" : "");
    if (rc == DEMO_EXIT_OK && errors > 0) rc = DEMO_EXIT_FAILURE;
    if (rc == DEMO_EXIT_OK && leaks != (opt->leak ? 1 : 0)) rc = DEMO_EXIT_FAILURE;
    return rc;
}

int main(int argc, char **argv) {
    demo_options opt = {
        .api = DEMO_API_GL, .width = 640, .height = 480, .seed = 1, .stats_every = 30, .asset_dir = DEMO_ASSET_DIR};
    int parsed = parse_args(argc, argv, &opt);
    if (parsed < 0) return DEMO_EXIT_USAGE;
    if (parsed > 0) {
        usage(stdout);
        return DEMO_EXIT_OK;
    }
    const demo_renderer *r = NULL;
#ifdef DEMO_HAVE_GL
    if (opt.api == DEMO_API_GL) r = &demo_renderer_gl;
#endif
#ifdef DEMO_HAVE_VULKAN
    if (opt.api == DEMO_API_VULKAN) r = &demo_renderer_vk;
#endif
    if (!r) {
        int gl = opt.api == DEMO_API_GL;
        fprintf(stderr,
                "gpureg-demo: this build has no %s backend. Install %s and configure with -DGPUREG_BACKEND_%s=ON.\n",
                gl ? "OpenGL" : "Vulkan", gl ? "libgl-dev libegl-dev" : "libvulkan-dev", gl ? "GL" : "VULKAN");
        return DEMO_EXIT_NO_DRIVER;
    }
    return run(r, &opt);
}
