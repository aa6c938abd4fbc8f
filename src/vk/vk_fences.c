/* vk_fences.c — what signals when a frame is finished: a fence from the registry's pool (signalled
 * by an empty submit), the app's fence, or the app's timeline semaphore value.
 *
 * A fence or semaphore signal on a queue covers every earlier submission on it, so frame N is
 * finished as soon as the signal of any frame >= N is seen. That makes polling cheap (newest
 * first, stop at the first signalled) and lets an app reset its fence before gpureg saw it: a
 * later frame's signal then covers the earlier one. */
#include "vk_backend.h"

static vk_frame_fence *entry(vk_fences *f, uint32_t i) { return &f->ring[(f->head + i) % VK_FRAME_RING]; }

gpureg_result vk_fences_init(vk_backend *vb, uint32_t frames_in_flight) {
    vk_fences *f = &vb->fences;
    /* One fence per frame in flight plus the one being recorded: frame_end never creates one in
     * the steady state. */
    uint32_t n = frames_in_flight + 1u < VK_FRAME_RING ? frames_in_flight + 1u : VK_FRAME_RING;
    VkFenceCreateInfo ci = {VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, NULL, 0};
    for (uint32_t i = 0; i < n; i++) {
        gpureg_result r =
            vk_check(vb, vb->fn.vkCreateFence(vb->device, &ci, NULL, &f->free_fences[i]), "vkCreateFence");
        if (r != GPUREG_OK) return r;
        f->free_count++;
    }
    return GPUREG_OK;
}

void vk_fences_shutdown(vk_backend *vb) {
    vk_fences *f = &vb->fences;
    for (uint32_t i = 0; i < f->count; i++)
        if (entry(f, i)->kind == VK_FRAME_OWN) vb->fn.vkDestroyFence(vb->device, entry(f, i)->fence, NULL);
    for (uint32_t i = 0; i < f->free_count; i++)
        vb->fn.vkDestroyFence(vb->device, f->free_fences[i], NULL);
    f->count = f->free_count = 0;
}

/* 1 signalled, 0 not yet, or a failure result (negative). */
static int signalled(vk_backend *vb, const vk_frame_fence *e, gpureg_result *err) {
    VkResult vr;
    if (e->kind == VK_FRAME_TIMELINE) {
        uint64_t value = 0;
        vr = vb->fn.vkGetSemaphoreCounterValue(vb->device, e->semaphore, &value);
        if (vr == VK_SUCCESS) return value >= e->value;
    } else {
        vr = vb->fn.vkGetFenceStatus(vb->device, e->fence);
        if (vr == VK_SUCCESS) return 1;
        if (vr == VK_NOT_READY) return 0;
    }
    *err = vk_check(vb, vr, e->kind == VK_FRAME_TIMELINE ? "vkGetSemaphoreCounterValue" : "vkGetFenceStatus");
    return -1;
}

/* Drop the oldest `n` entries (their frames are finished); own fences go back to the pool reset. */
static gpureg_result retire(vk_backend *vb, uint32_t n) {
    vk_fences *f = &vb->fences;
    gpureg_result r = GPUREG_OK;
    for (uint32_t i = 0; i < n; i++) {
        vk_frame_fence *e = entry(f, 0);
        if (e->serial > f->completed) f->completed = e->serial;
        if (e->kind == VK_FRAME_OWN) {
            /* A later signal covers this frame's work, but the fence itself must have signalled
             * before it may be reset; it has or is about to. */
            VkResult vr = vb->fn.vkWaitForFences(vb->device, 1, &e->fence, VK_TRUE, UINT64_MAX);
            if (vr == VK_SUCCESS) vr = vb->fn.vkResetFences(vb->device, 1, &e->fence);
            if (vr == VK_SUCCESS)
                f->free_fences[f->free_count++] = e->fence;
            else {
                vb->fn.vkDestroyFence(vb->device, e->fence, NULL);
                r = vk_check(vb, vr, "vkResetFences");
            }
        }
        f->head = (f->head + 1) % VK_FRAME_RING;
        f->count--;
    }
    return r;
}

/* The poll's answer: the newest frame seen finished; the staging ring recycles up to it. */
static gpureg_result seen(vk_backend *vb, uint64_t *completed, gpureg_result r) {
    *completed = vb->fences.completed;
    vk_staging_ring_reclaim(vb, vb->fences.completed);
    return r;
}

/* Newest first: the first entry seen signalled retires itself and every older one. */
static GPUREG_NOINLINE gpureg_result poll_entries(vk_backend *vb, uint64_t *completed) {
    vk_fences *f = &vb->fences;
    gpureg_result r = GPUREG_OK;
    for (uint32_t i = f->count; i-- > 0;) {
        int s = signalled(vb, entry(f, i), &r);
        if (s < 0) return r;
        if (s) {
            r = retire(vb, i + 1);
            break;
        }
    }
    return seen(vb, completed, r);
}

gpureg_result vk_fence_poll(void *be, uint64_t *completed) {
    vk_backend *vb = be;
    /* Every collect polls, mostly with no frame recorded since the last signal seen. */
    return vb->fences.count ? poll_entries(vb, completed) : seen(vb, completed, GPUREG_OK);
}

static gpureg_result wait_entry(vk_backend *vb, const vk_frame_fence *e, uint64_t timeout_ns) {
    VkResult vr;
    if (e->kind == VK_FRAME_TIMELINE) {
        VkSemaphoreWaitInfo wi = {VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO, NULL, 0, 1, &e->semaphore, &e->value};
        vr = vb->fn.vkWaitSemaphores(vb->device, &wi, timeout_ns);
    } else {
        vr = vb->fn.vkWaitForFences(vb->device, 1, &e->fence, VK_TRUE, timeout_ns);
    }
    if (vr == VK_TIMEOUT) return GPUREG_ERR_TIMEOUT;
    return vk_check(vb, vr, e->kind == VK_FRAME_TIMELINE ? "vkWaitSemaphores" : "vkWaitForFences");
}

gpureg_result vk_fence_wait(void *be, uint64_t serial, uint64_t timeout_ns) {
    vk_backend *vb = be;
    vk_fences *f = &vb->fences;
    for (uint32_t i = 0; i < f->count; i++) {
        if (entry(f, i)->serial < serial) continue;
        gpureg_result r = wait_entry(vb, entry(f, i), timeout_ns);
        if (r != GPUREG_OK) return r;
        r = retire(vb, i + 1);
        vk_staging_ring_reclaim(vb, f->completed);
        return r;
    }
    return GPUREG_OK; /* every frame up to `serial` was already seen finished */
}

/* The ring is full: make room without losing safety. */
static gpureg_result make_room(vk_backend *vb) {
    vk_fences *f = &vb->fences;
    uint64_t completed;
    gpureg_result r = vk_fence_poll(vb, &completed);
    if (r != GPUREG_OK || f->count < VK_FRAME_RING) return r;
    /* An app fence or semaphore may merge into the next frame's (which covers it); a pool fence
     * must signal before it can be reused. */
    vk_frame_fence *oldest = entry(f, 0);
    if (oldest->kind != VK_FRAME_OWN) {
        vk_frame_fence *next = entry(f, 1);
        next->serial = next->serial > oldest->serial ? next->serial : oldest->serial;
        f->head = (f->head + 1) % VK_FRAME_RING;
        f->count--;
        return GPUREG_OK;
    }
    r = wait_entry(vb, oldest, (uint64_t)UINT32_MAX * 1000000u);
    return r == GPUREG_OK ? retire(vb, 1) : r;
}

gpureg_result vk_fence_insert(void *be, uint64_t serial) {
    vk_backend *vb = be;
    vk_fences *f = &vb->fences;
    vk_frame_fence e = {.serial = serial, .kind = f->next_kind};
    f->next_kind = VK_FRAME_OWN;
    if (e.kind == VK_FRAME_APP_FENCE) e.fence = f->next_fence;
    if (e.kind == VK_FRAME_TIMELINE) {
        e.semaphore = f->next_semaphore;
        e.value = f->next_value;
    }
    gpureg_result r = f->count == VK_FRAME_RING ? make_room(vb) : GPUREG_OK;
    if (r != GPUREG_OK) return r;
    if (e.kind == VK_FRAME_OWN) {
        if (!f->free_count) {
            VkFenceCreateInfo ci = {VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, NULL, 0};
            r = vk_check(vb, vb->fn.vkCreateFence(vb->device, &ci, NULL, &f->free_fences[0]), "vkCreateFence");
            if (r != GPUREG_OK) return r;
            f->free_count = 1;
        }
        e.fence = f->free_fences[f->free_count - 1];
        /* An empty batch: its fence signals once everything submitted before it has finished. */
        r = vk_check(vb, vb->fn.vkQueueSubmit(vb->queue, 0, NULL, e.fence), "vkQueueSubmit");
        if (r != GPUREG_OK) return r;
        f->free_count--;
    }
    *entry(f, f->count) = e;
    f->count++;
    /* The core polls only while released objects wait; staging chunks of uploads recorded into
     * app command buffers wait too, so poll for them here rather than let the ring grow. */
    uint64_t completed;
    return vk_staging_ring_waiting(vb) ? vk_fence_poll(vb, &completed) : GPUREG_OK;
}
