/* retire.c — deferred destruction.
 *
 * Release on any thread pushes the slot onto a lock-free inbox (a Treiber stack: producers CAS
 * the head, the owner takes the whole list with one exchange, so there is no ABA). The owner moves
 * the inbox into a FIFO retire queue tagged with the frame serial open at that moment (or the last
 * ended one). Consecutive entries with the same serial form a run (a marker), so collection walks
 * only runs whose fence has signalled and touches only objects it destroys: O(destroyed). */
#include <string.h>

#include "registry.h"

void retire_push(gpureg_registry *reg, uint32_t index) {
    uint32_t *link = pool_link(&reg->pool, index);
    uint32_t head = atomic_load_explicit(&reg->retire.inbox, memory_order_relaxed);
    do {
        *link = head;
    } while (!atomic_compare_exchange_weak_explicit(&reg->retire.inbox, &head, index + 1u, memory_order_release,
                                                    memory_order_relaxed));
}

gpureg_result retire_init(gpureg_registry *reg) {
    gpureg__retire *r = &reg->retire;
    r->marker_cap = 16;
    r->markers = gpureg__alloc(reg, r->marker_cap * sizeof *r->markers);
    return r->markers ? GPUREG_OK : GPUREG_ERR_OUT_OF_MEMORY;
}

/* Room for one more marker; on allocation failure the caller merges instead (retire_init made
 * room for the first ones, so there is always a last marker to merge into). */
static int markers_reserve(gpureg_registry *reg) {
    gpureg__retire *r = &reg->retire;
    if (r->marker_count < r->marker_cap) return 1;
    uint32_t cap = r->marker_cap ? r->marker_cap * 2u : 16u;
    gpureg__marker *m = gpureg__alloc(reg, cap * sizeof *m);
    if (!m) return 0;
    for (uint32_t i = 0; i < r->marker_count; i++)
        m[i] = r->markers[(r->marker_head + i) % r->marker_cap];
    gpureg__free(reg, r->markers, r->marker_cap * sizeof *m);
    r->markers = m;
    r->marker_cap = cap;
    r->marker_head = 0;
    return 1;
}

static gpureg__marker *marker_last(gpureg__retire *r) {
    return r->marker_count ? &r->markers[(r->marker_head + r->marker_count - 1u) % r->marker_cap] : NULL;
}

static void publish_oldest(gpureg__retire *r) {
    const gpureg__marker *m = r->marker_count ? &r->markers[r->marker_head] : NULL;
    atomic_store_explicit(&r->oldest_serial, m ? m->serial : 0, memory_order_relaxed);
    atomic_store_explicit(&r->oldest_since_ns, m ? m->since_ns : 0, memory_order_relaxed);
}

void retire_drain(gpureg_registry *reg, uint64_t serial) {
    gpureg__retire *r = &reg->retire;
    /* A plain load first: every create drains, and most find the inbox empty. */
    if (!atomic_load_explicit(&r->inbox, memory_order_relaxed)) return;
    uint32_t list = atomic_exchange_explicit(&r->inbox, 0, memory_order_acquire);
    /* The inbox is newest first; reverse it so the queue keeps release order. */
    uint32_t first = 0, last = list, count = 0;
    while (list) {
        uint32_t *link = pool_link(&reg->pool, list - 1u);
        uint32_t next = *link;
        *link = first;
        first = list;
        list = next;
        count++;
    }
    if (r->tail)
        *pool_link(&reg->pool, r->tail - 1u) = first;
    else
        r->head = first;
    r->tail = last;

    gpureg__marker *m = marker_last(r);
    if (m && m->serial == serial) {
        m->count += count;
    } else if (markers_reserve(reg)) {
        r->markers[(r->marker_head + r->marker_count) % r->marker_cap] =
            (gpureg__marker){serial, count, monotonic_ns()};
        r->marker_count++;
    } else {
        /* Out of memory: join the previous run and wait for the later fence. Later, never early. */
        m->serial = serial;
        m->count += count;
    }
    publish_oldest(r);
}

uint32_t retire_collect(gpureg_registry *reg, uint64_t completed) {
    gpureg__retire *r = &reg->retire;
    uint32_t destroyed = 0;
    while (r->marker_count && r->markers[r->marker_head].serial <= completed) {
        gpureg__marker *m = &r->markers[r->marker_head];
        for (uint64_t i = 0; i < m->count; i++) {
            uint32_t index = r->head - 1u;
            r->head = *pool_link(&reg->pool, index);
            if (!r->head) r->tail = 0;
            object_destroy(reg, index);
            destroyed++;
        }
        r->marker_head = (r->marker_head + 1u) % r->marker_cap;
        r->marker_count--;
    }
    if (destroyed) publish_oldest(r);
    return destroyed;
}

void retire_oldest(const gpureg_registry *reg, uint64_t *serial, uint64_t *since_ns) {
    *serial = atomic_load_explicit(&reg->retire.oldest_serial, memory_order_relaxed);
    *since_ns = atomic_load_explicit(&reg->retire.oldest_since_ns, memory_order_relaxed);
}

void retire_free(gpureg_registry *reg) {
    gpureg__free(reg, reg->retire.markers, reg->retire.marker_cap * sizeof *reg->retire.markers);
    reg->retire.markers = NULL;
    reg->retire.marker_cap = reg->retire.marker_count = 0;
}
