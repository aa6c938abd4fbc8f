/* spin.h — a lock for a few dozen instructions of work that other threads rarely contend for
 * (the labels). Uncontended, lock and unlock are one atomic instruction each: the pthread mutex
 * pair it replaces was about 55 instructions in libc on every destroy of a labelled object. A
 * waiter spins on a plain load, then yields, so a holder that was preempted gets the CPU back. */
#ifndef GPUREG_SPIN_H
#define GPUREG_SPIN_H

#include <sched.h>
#include <stdatomic.h>

typedef struct gpureg__spin {
    _Atomic int held;
} gpureg__spin;

static inline void spin_lock(gpureg__spin *s) {
    while (atomic_exchange_explicit(&s->held, 1, memory_order_acquire))
        for (unsigned spins = 0; atomic_load_explicit(&s->held, memory_order_relaxed); spins++)
            if (spins >= 64) sched_yield();
}

static inline void spin_unlock(gpureg__spin *s) { atomic_store_explicit(&s->held, 0, memory_order_release); }

#endif /* GPUREG_SPIN_H */
