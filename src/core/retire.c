/* retire.c — deferred destruction.
 *
 * Release on any thread pushes the slot onto a lock-free inbox (a Treiber stack: producers CAS
 * the head, the owner takes the whole list with one exchange, so there is no ABA). The owner moves
 * the inbox into a FIFO retire queue tagged with the frame serial open at that moment (or the last
 * ended one). Consecutive entries with the same serial form a run (a marker), so collection walks
 * only runs whose fence has signalled and touches only objects it destroys: O(destroyed). */
#include <string.h>

#include "clock.h"
#include "counters.h"
#include "object_desc.h"
#include "pool.h"
#include "retire.h"

_Static_assert(sizeof(gpureg__release_shard) == 320 && GPUREG_KIND_COUNT <= GPUREG_FP_SHARD_KINDS,
               "a shard is whole cache lines, so two never share one; every kind has its counts");

/* This thread's shard of `reg`: assigned on first release, remembered for the last registry used.
 * The guard token tells a registry from a later one allocated at the same address. */
static gpureg__release_shard *my_shard(gpureg_registry *reg) {
    static GPUREG_TLS struct {
        const gpureg_registry *reg;
        uint64_t token;
        uint32_t shard;
    } cached;
    if (cached.reg != reg || cached.token != reg->guard_token) {
        cached.reg = reg;
        cached.token = reg->guard_token;
        cached.shard = atomic_fetch_add_explicit(&reg->retire.next_shard, 1, memory_order_relaxed) % RETIRE_SHARDS;
    }
    return &reg->retire.shards[cached.shard];
}

static gpureg__release_shard *count_release(gpureg_registry *reg, uint32_t kind, uint64_t bytes) {
    gpureg__release_shard *shard = my_shard(reg);
    atomic_fetch_add_explicit(&shard->count[kind], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&shard->bytes[kind], bytes, memory_order_relaxed);
    return shard;
}

void retire_count(gpureg_registry *reg, uint32_t kind, uint64_t bytes) { count_release(reg, kind, bytes); }

void retire_push(gpureg_registry *reg, uint32_t index, uint32_t kind, uint64_t bytes) {
    gpureg__release_shard *shard = count_release(reg, kind, bytes);
    uint32_t *link = pool_link(&reg->pool, index);
    uint32_t head = atomic_load_explicit(&shard->inbox, memory_order_relaxed);
    do {
        *link = head;
    } while (!atomic_compare_exchange_weak_explicit(&shard->inbox, &head, index + 1u, memory_order_release,
                                                    memory_order_relaxed));
}

void retire_released(const gpureg_registry *reg, uint32_t kind, uint64_t *count, uint64_t *bytes) {
    *count = *bytes = 0;
    for (uint32_t i = 0; i < RETIRE_SHARDS; i++) {
        *count += atomic_load_explicit(&reg->retire.shards[i].count[kind], memory_order_acquire);
        *bytes += atomic_load_explicit(&reg->retire.shards[i].bytes[kind], memory_order_acquire);
    }
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
        m[i] = r->markers[(r->marker_head + i) & (r->marker_cap - 1u)];
    gpureg__free(reg, r->markers, r->marker_cap * sizeof *m);
    r->markers = m;
    r->marker_cap = cap;
    r->marker_head = 0;
    return 1;
}

static gpureg__marker *marker_last(gpureg__retire *r) {
    return r->marker_count ? &r->markers[(r->marker_head + r->marker_count - 1u) & (r->marker_cap - 1u)] : NULL;
}

static void publish_oldest(gpureg__retire *r) {
    const gpureg__marker *m = r->marker_count ? &r->markers[r->marker_head] : NULL;
    atomic_store_explicit(&r->oldest_serial, m ? m->serial : 0, memory_order_relaxed);
    atomic_store_explicit(&r->oldest_since_ns, m ? m->since_ns : 0, memory_order_relaxed);
}

/* Append the list [first, last] (index + 1, linked through the pool's links) to [*head, *tail]. */
static void list_append(gpureg_registry *reg, uint32_t *head, uint32_t *tail, uint32_t first, uint32_t last) {
    if (*tail)
        *pool_link(&reg->pool, *tail - 1u) = first;
    else
        *head = first;
    *tail = last;
}

/* Queue `count` entries [first, last], released before fence `serial` was known to signal, with a
 * run for that fence. */
static void queue_run(gpureg_registry *reg, uint64_t serial, uint32_t first, uint32_t last, uint32_t count) {
    gpureg__retire *r = &reg->retire;
    list_append(reg, &r->head, &r->tail, first, last);
    gpureg__marker *m = marker_last(r);
    if (m && m->serial == serial) {
        m->count += count;
    } else if (markers_reserve(reg)) {
        r->markers[(r->marker_head + r->marker_count) & (r->marker_cap - 1u)] =
            (gpureg__marker){serial, count, monotonic_ns()};
        r->marker_count++;
    } else {
        /* Out of memory: join the previous run and wait for the later fence. Later, never early. */
        m->serial = serial;
        m->count += count;
    }
    publish_oldest(r);
}

/* One shard's inbox (taken whole: newest first), counted as drained and reversed so the queue
 * keeps release order. */
static void drain_inbox(gpureg_registry *reg, uint64_t serial, uint32_t list) {
    uint32_t reversed = 0, oldest = list, count = 0;
    while (list) {
        const gpureg__segment *seg = pool_segment(&reg->pool, list - 1u);
        uint32_t *link = segment_link(seg, list - 1u);
        const gpureg__slot *slot = segment_slot(seg, list - 1u);
        uint32_t type = word_type(atomic_load_explicit(&slot->word, memory_order_relaxed));
        uint64_t desc = atomic_load_explicit(&slot_info(slot)->desc, memory_order_relaxed);
        counters_drained(reg, object_kind(type, desc), object_bytes(type, desc));
        uint32_t next = *link;
        *link = reversed;
        reversed = list;
        list = next;
        count++;
    }
    gpureg__retire *r = &reg->retire;
    /* Released after a fence that has signalled already (outside frames, as a rule) with no run
     * waiting before them: due now, and no run (nor a clock read) is needed to say so. */
    if (!r->marker_count && serial <= atomic_load_explicit(&reg->completed, memory_order_relaxed))
        list_append(reg, &r->due_head, &r->due_tail, reversed, oldest);
    else
        queue_run(reg, serial, reversed, oldest, count);
}

void retire_drain(gpureg_registry *reg, uint64_t serial) {
    gpureg__retire *r = &reg->retire;
    for (uint32_t i = 0, used = retire_shards_used(r); i < used; i++) {
        gpureg__release_shard *shard = &r->shards[i];
        /* A plain load first: most shards are found empty. */
        if (atomic_load_explicit(&shard->inbox, memory_order_relaxed))
            drain_inbox(reg, serial, atomic_exchange_explicit(&shard->inbox, 0, memory_order_acquire));
    }
}

uint32_t retire_take_due(gpureg_registry *reg, uint64_t completed) {
    gpureg__retire *r = &reg->retire;
    /* The due list first: it only grows while no run waits, so all it holds is older than any run. */
    uint32_t first = r->due_head, last = r->due_tail;
    r->due_head = r->due_tail = 0;
    int popped = 0;
    while (r->marker_count && r->markers[r->marker_head].serial <= completed) {
        const gpureg__marker *m = &r->markers[r->marker_head];
        if (m->count) {
            uint32_t run_first = r->head, run_last = r->head;
            for (uint64_t k = 1; k < m->count; k++)
                run_last = *pool_link(&reg->pool, run_last - 1u);
            r->head = *pool_link(&reg->pool, run_last - 1u);
            if (!r->head) r->tail = 0;
            list_append(reg, &first, &last, run_first, run_last);
        }
        r->marker_head = (r->marker_head + 1u) & (r->marker_cap - 1u);
        r->marker_count--;
        popped = 1;
    }
    if (popped) publish_oldest(r);
    if (last) *pool_link(&reg->pool, last - 1u) = 0;
    return first;
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
