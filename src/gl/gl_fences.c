/* gl_fences.c — one glFenceSync per ended frame, polled without blocking, oldest first. GL fences
 * complete in submission order, so the first one not yet signalled bounds every later one. Each
 * fence op first asks whether the context was reset (gl_lost.c): a lost context answers
 * DEVICE_LOST, and its fences are forgotten without a GL call. */
#include <string.h>

#include "gl_backend.h"

static gl_fence *fence_at(const gl_backend *b, uint32_t i) { return &b->fences[(b->fence_head + i) % b->fence_cap]; }

static int fences_grow(gl_backend *b) {
    uint32_t cap = b->fence_cap ? b->fence_cap * 2u : 8u;
    gl_fence *grown = gpureg__alloc(b->reg, cap * sizeof *grown);
    if (!grown) return 0;
    for (uint32_t i = 0; i < b->fence_count; i++)
        grown[i] = *fence_at(b, i);
    gpureg__free(b->reg, b->fences, b->fence_cap * sizeof *b->fences);
    b->fences = grown;
    b->fence_cap = cap;
    b->fence_head = 0;
    return 1;
}

gpureg_result gl_fence_insert(void *be, uint64_t serial) {
    gl_backend *b = be;
    gpureg_result r = gl_check_reset(b, "gpureg_frame_end (gl)");
    if (r != GPUREG_OK) return r;
    if (b->fence_count == b->fence_cap && !fences_grow(b)) return GPUREG_ERR_OUT_OF_MEMORY;
    gl_errors errors;
    gl_errors_begin(b, &errors);
    GLsync sync = b->gl.FenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
    r = gl_errors_end(b, &errors, sync ? NULL : "gpureg_frame_end (gl): glFenceSync");
    if (!sync) return r == GPUREG_ERR_OUT_OF_MEMORY ? r : GPUREG_ERR_BACKEND;
    /* Without a flush the fence may sit in the command queue and a non-blocking poll never sees
     * it signal. */
    b->gl.Flush();
    *fence_at(b, b->fence_count++) = (gl_fence){serial, sync};
    return GPUREG_OK;
}

/* The oldest fence signalled: its frame is complete. */
static void fence_pop(gl_backend *b) {
    b->completed = fence_at(b, 0)->serial;
    b->gl.DeleteSync(fence_at(b, 0)->sync);
    b->fence_head = (b->fence_head + 1u) % b->fence_cap;
    b->fence_count--;
}

gpureg_result gl_fence_poll(void *be, uint64_t *completed) {
    gl_backend *b = be;
    gpureg_result r = gl_check_reset(b, "gpureg (gl): polling the frame fences");
    if (r != GPUREG_OK) return r;
    while (b->fence_count) {
        gl_fence *oldest = fence_at(b, 0);
        GLenum status = b->gl.ClientWaitSync(oldest->sync, 0, 0);
        if (status == GL_TIMEOUT_EXPIRED) break;
        if (status == GL_WAIT_FAILED) return GPUREG_ERR_BACKEND;
        fence_pop(b);
    }
    *completed = b->completed;
    return GPUREG_OK;
}

gpureg_result gl_fence_wait(void *be, uint64_t serial, uint64_t timeout_ns) {
    gl_backend *b = be;
    gpureg_result r = gl_check_reset(b, "gpureg (gl): waiting for the frame fences");
    if (r != GPUREG_OK) return r;
    while (b->fence_count && fence_at(b, 0)->serial <= serial) {
        GLenum status = b->gl.ClientWaitSync(fence_at(b, 0)->sync, GL_SYNC_FLUSH_COMMANDS_BIT, timeout_ns);
        if (status == GL_TIMEOUT_EXPIRED) return GPUREG_ERR_TIMEOUT;
        if (status == GL_WAIT_FAILED) return GPUREG_ERR_BACKEND;
        fence_pop(b);
    }
    return GPUREG_OK;
}

void gl_fences_free(gl_backend *b) {
    while (b->fence_count && !b->lost)
        fence_pop(b);
    gpureg__free(b->reg, b->fences, b->fence_cap * sizeof *b->fences);
    b->fences = NULL;
    b->fence_cap = 0;
}
