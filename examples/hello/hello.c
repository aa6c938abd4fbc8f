/* hello.c — the smallest real gpureg program.
 *
 * A "renderer" on the null backend (no GPU needed) streams textures through 8 frames while the
 * GPU lags two frames behind, and releases one texture from another thread. It prints what waits
 * for which fence, and at exit gpureg prints its leak report: the one texture leaked on purpose,
 * with its label, size and the line below that created it. */
#include <gpureg/gpureg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void print_log(gpureg_log_level level, gpureg_result result, const char *message, void *user) {
    fprintf(stderr, "gpureg log: %s\n", message);
}

static void check(gpureg_result r, const char *what) {
    if (r == GPUREG_OK) return;
    fprintf(stderr, "%s failed: %s\n", what, gpureg_result_string(r));
    exit(1);
}

typedef struct release_job {
    gpureg_registry *reg;
    gpureg_texture texture;
} release_job;

/* Any thread may release: the texture is destroyed later, on the owner thread, after its fence. */
static void *release_elsewhere(void *arg) {
    release_job *job = arg;
    check(gpureg_texture_release(job->reg, job->texture), "release from a worker thread");
    return NULL;
}

int main(void) {
    gpureg_registry *reg = NULL;
    gpureg_registry_desc desc = {.log = print_log};
    check(gpureg_null_create(&desc, &reg), "gpureg_null_create");

    gpureg_texture atlas;
    gpureg_texture_desc atlas_desc = {
        .width = 256, .height = 256, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "sprite atlas (leaked on purpose)"};
    check(gpureg_texture_create(reg, &atlas_desc, &atlas), "create atlas");

    gpureg_texture previous = {0};
    for (int frame = 0; frame < 8; frame++) {
        check(gpureg_frame_begin(reg), "frame_begin");
        gpureg_texture streamed;
        gpureg_texture_desc d = {
            .width = 64, .height = 64, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "streamed tile"};
        check(gpureg_texture_create(reg, &d, &streamed), "create streamed tile");
        if (previous.id) {
            /* The GPU may still sample last frame's tile: release now, destroyed after its fence. */
            release_job job = {reg, previous};
            pthread_t worker;
            pthread_create(&worker, NULL, release_elsewhere, &job);
            pthread_join(worker, NULL);
        }
        previous = streamed;
        check(gpureg_frame_end(reg), "frame_end");
        uint64_t serial = gpureg_frame_serial(reg);
        if (serial > 2) check(gpureg_null_signal(reg, serial - 2), "signal"); /* the GPU runs 2 frames behind */
        gpureg_stats s;
        check(gpureg_get_stats(reg, &s), "stats");
        printf("frame %llu: %llu textures alive, %llu waiting for a fence, %llu destroyed so far\n",
               (unsigned long long)serial, (unsigned long long)s.texture.live_count,
               (unsigned long long)s.texture.pending_count, (unsigned long long)s.texture.destroyed_total);
    }
    check(gpureg_texture_release(reg, previous), "release last tile");
    gpureg_null_signal(reg, gpureg_frame_serial(reg)); /* the GPU catches up */

    fflush(stdout);
    int leaks = gpureg_destroy(reg); /* prints the leak report: the atlas, created above */
    printf("gpureg_destroy: %d leaked object(s)\n", leaks);
    return leaks == 1 ? 0 : 1;
}
