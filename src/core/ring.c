/* ring.c — the bounded message ring debug callbacks copy into. Lock-free for any number of
 * producers (driver threads) and consumers (pollers): a sequence number per cell says whether it
 * is free or full. When full, a producer drops the oldest message and counts it. */
#include <string.h>

#include "ring.h"

typedef struct ring_cell {
    _Atomic uint64_t seq;
    gpureg_message message;
} ring_cell;

struct gpureg__ring {
    uint64_t mask;
    _Atomic uint64_t head; /* next position to write */
    _Atomic uint64_t tail; /* next position to read */
    _Atomic uint64_t dropped;
    _Atomic uint64_t errors;
    const _Atomic uint64_t *serial; /* the registry's frame serial, to stamp messages */
    size_t bytes;
    ring_cell cells[];
};

gpureg__ring *ring_create(gpureg_registry *reg, uint32_t capacity, const _Atomic uint64_t *serial) {
    uint64_t cap = 1;
    while (cap < capacity)
        cap <<= 1;
    size_t bytes = sizeof(gpureg__ring) + (size_t)cap * sizeof(ring_cell);
    gpureg__ring *ring = gpureg__alloc(reg, bytes);
    if (!ring) return NULL;
    memset(ring, 0, bytes);
    ring->mask = cap - 1;
    ring->serial = serial;
    ring->bytes = bytes;
    for (uint64_t i = 0; i < cap; i++)
        atomic_init(&ring->cells[i].seq, i);
    return ring;
}

void ring_destroy(gpureg_registry *reg, gpureg__ring *ring) {
    if (ring) gpureg__free(reg, ring, ring->bytes);
}

/* Take the oldest message; 0 if the ring is empty. */
static int ring_take(gpureg__ring *ring, gpureg_message *out) {
    uint64_t pos = atomic_load_explicit(&ring->tail, memory_order_relaxed);
    for (;;) {
        ring_cell *cell = &ring->cells[pos & ring->mask];
        uint64_t seq = atomic_load_explicit(&cell->seq, memory_order_acquire);
        int64_t diff = (int64_t)(seq - (pos + 1));
        if (diff == 0) {
            if (atomic_compare_exchange_weak_explicit(&ring->tail, &pos, pos + 1, memory_order_relaxed,
                                                      memory_order_relaxed)) {
                if (out) *out = cell->message;
                atomic_store_explicit(&cell->seq, pos + ring->mask + 1, memory_order_release);
                return 1;
            }
        } else if (diff < 0) {
            return 0;
        } else {
            pos = atomic_load_explicit(&ring->tail, memory_order_relaxed);
        }
    }
}

void gpureg__ring_push(gpureg__ring *ring, const gpureg_message *message) {
    if (!ring || !message) return;
    if (message->severity == GPUREG_SEVERITY_ERROR && message->type == GPUREG_MESSAGE_VALIDATION)
        atomic_fetch_add_explicit(&ring->errors, 1, memory_order_relaxed);
    uint64_t pos = atomic_load_explicit(&ring->head, memory_order_relaxed);
    for (;;) {
        ring_cell *cell = &ring->cells[pos & ring->mask];
        uint64_t seq = atomic_load_explicit(&cell->seq, memory_order_acquire);
        int64_t diff = (int64_t)(seq - pos);
        if (diff == 0) {
            if (atomic_compare_exchange_weak_explicit(&ring->head, &pos, pos + 1, memory_order_relaxed,
                                                      memory_order_relaxed)) {
                cell->message = *message;
                cell->message.text[GPUREG_MESSAGE_TEXT_SIZE - 1] = '\0';
                if (!cell->message.frame && ring->serial)
                    cell->message.frame = atomic_load_explicit(ring->serial, memory_order_relaxed);
                atomic_store_explicit(&cell->seq, pos + 1, memory_order_release);
                return;
            }
        } else if (diff < 0) {
            /* Full: drop the oldest so the newest (usually the interesting one) survives. */
            if (ring_take(ring, NULL)) atomic_fetch_add_explicit(&ring->dropped, 1, memory_order_relaxed);
            pos = atomic_load_explicit(&ring->head, memory_order_relaxed);
        } else {
            pos = atomic_load_explicit(&ring->head, memory_order_relaxed);
        }
    }
}

size_t ring_pop(gpureg__ring *ring, gpureg_message *out, size_t capacity) {
    size_t n = 0;
    while (n < capacity && ring_take(ring, &out[n]))
        n++;
    return n;
}

void ring_counts(const gpureg__ring *ring, uint64_t *queued, uint64_t *dropped, uint64_t *errors) {
    uint64_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
    uint64_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
    *queued = head > tail ? head - tail : 0;
    *dropped = atomic_load_explicit(&ring->dropped, memory_order_relaxed);
    *errors = atomic_load_explicit(&ring->errors, memory_order_relaxed);
}
