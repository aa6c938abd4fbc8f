/* frames.c — frame serials, fences and collection (owner thread). */
#include "frames.h"

#include "destroy.h"
#include "retire.h"
#include "ring.h"

uint64_t gpureg__frame_serial(const gpureg_registry *reg) { return registry_frame_serial(reg); }
uint32_t gpureg__frames_in_flight(const gpureg_registry *reg) { return reg->desc.frames_in_flight; }

int gpureg__frame_is_open(const gpureg_registry *reg) { return reg->frame_open; }

uint64_t gpureg_frame_serial(const gpureg_registry *reg) { return reg ? registry_frame_serial(reg) : 0; }

static void deliver_messages(gpureg_registry *reg) {
    if (!reg->desc.message_sink) return;
    gpureg_message batch[8];
    size_t n;
    while ((n = ring_pop(reg->ring, batch, 8)) > 0)
        for (size_t i = 0; i < n; i++)
            reg->desc.message_sink(&batch[i], reg->desc.message_sink_user);
}

gpureg_result registry_collect(gpureg_registry *reg, uint32_t *out_destroyed, int poll) {
    /* Whatever was released until now belongs to the frame open now (or the last ended one). */
    retire_drain(reg, registry_frame_serial(reg));
    uint64_t completed = atomic_load_explicit(&reg->completed, memory_order_relaxed);
    /* A create polls only when something waits for a fence (the driver call is on every
     * create's path); frames and explicit collections always poll, so the backend retires its
     * fences every frame even when nothing is pending. */
    if (!reg_is_lost(reg) && (poll == COLLECT_POLL || reg->retire.marker_count)) {
        uint64_t polled = completed;
        gpureg_result r = reg->ops->fence_poll(reg->backend, &polled);
        if (r == GPUREG_ERR_DEVICE_LOST) gpureg__set_device_lost(reg);
        if (r == GPUREG_OK && polled > completed) completed = polled;
    }
    /* A lost device runs nothing: every pending object may go. */
    uint64_t limit = reg_is_lost(reg) ? UINT64_MAX : completed;
    atomic_store_explicit(&reg->completed, completed, memory_order_relaxed);
    uint32_t destroyed = destroy_due(reg, limit);
    deliver_messages(reg);
    if (out_destroyed) *out_destroyed = destroyed;
    return reg_is_lost(reg) ? GPUREG_ERR_DEVICE_LOST : GPUREG_OK;
}

gpureg_result gpureg_collect(gpureg_registry *reg, uint32_t *out_destroyed) {
    if (out_destroyed) *out_destroyed = 0;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    gpureg_result r = reg_check_owner(reg, "gpureg_collect");
    if (r != GPUREG_OK) return r;
    r = registry_collect(reg, out_destroyed, COLLECT_POLL);
    return r == GPUREG_OK ? r : gpureg__check_device(reg, "gpureg_collect");
}

gpureg_result gpureg_frame_begin(gpureg_registry *reg) {
    static const char fn[] = "gpureg_frame_begin";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    gpureg_result r = gpureg__check_owner(reg, fn);
    if (r == GPUREG_OK) r = gpureg__check_device(reg, fn);
    if (r != GPUREG_OK) return r;
    if (reg->frame_open)
        return gpureg__fail(reg, GPUREG_ERR_FRAME_STATE, "%s: frame %llu is still open", fn,
                            (unsigned long long)registry_frame_serial(reg));
    if (registry_collect(reg, NULL, COLLECT_POLL) != GPUREG_OK) return gpureg__check_device(reg, fn);
    atomic_store_explicit(&reg->serial, registry_frame_serial(reg) + 1u, memory_order_relaxed);
    reg->frame_open = true;
    return GPUREG_OK;
}

gpureg_result gpureg_frame_end(gpureg_registry *reg) {
    static const char fn[] = "gpureg_frame_end";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    gpureg_result r = gpureg__check_owner(reg, fn);
    if (r == GPUREG_OK) r = gpureg__check_device(reg, fn);
    if (r != GPUREG_OK) return r;
    if (!reg->frame_open) return gpureg__fail(reg, GPUREG_ERR_FRAME_STATE, "%s: no frame is open", fn);
    uint64_t serial = registry_frame_serial(reg);
    retire_drain(reg, serial);
    reg->frame_open = false;
    r = reg->ops->fence_insert(reg->backend, serial);
    if (r == GPUREG_ERR_DEVICE_LOST) gpureg__set_device_lost(reg);
    if (r != GPUREG_OK)
        return gpureg__fail(reg, r, "%s: recording the fence of frame %llu: %s", fn, (unsigned long long)serial,
                            gpureg_result_string(r));
    if (registry_collect(reg, NULL, COLLECT_POLL) != GPUREG_OK) return gpureg__check_device(reg, fn);
    return GPUREG_OK;
}
