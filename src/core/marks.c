/* marks.c — what the app says about its objects' lifetimes for the report: this one lives until
 * shutdown (expected, never a leak), and checkpoints to ask "what appeared since then?". */
#include "handles.h"
#include "pool.h"

gpureg_result gpureg_set_expected_at_shutdown(gpureg_registry *reg, gpureg_handle handle, int expected) {
    static const char fn[] = "gpureg_set_expected_at_shutdown";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    gpureg_result r = gpureg__check_owner(reg, fn);
    if (r == GPUREG_OK) r = handle_check_bits(reg, handle, GPUREG_TYPE_UNDEFINED);
    gpureg__slot *slot = r == GPUREG_OK ? handle_slot(reg, handle) : NULL;
    if (r == GPUREG_OK && !slot) r = GPUREG_ERR_INVALID_HANDLE;
    if (r == GPUREG_OK) r = handle_check_word(handle, atomic_load_explicit(&slot->word, memory_order_acquire));
    if (r == GPUREG_ERR_RELEASED) r = GPUREG_OK; /* still in the report until destroyed */
    if (r != GPUREG_OK)
        return gpureg__fail(reg, r, "%s: handle 0x%016llx: %s", fn, (unsigned long long)handle,
                            gpureg_result_string(r));
    /* Only the owner thread reuses slots, so this slot holds the handle's object until we return. */
    _Atomic uint64_t *order = pool_order(&reg->pool, handle_index(handle));
    uint64_t o = atomic_load_explicit(order, memory_order_relaxed);
    atomic_store_explicit(order, expected ? o | ORDER_EXPECTED : o & ~ORDER_EXPECTED, memory_order_relaxed);
    return GPUREG_OK;
}

gpureg_checkpoint gpureg_checkpoint_now(const gpureg_registry *reg) {
    return reg ? atomic_load_explicit(&reg->creations, memory_order_relaxed) : 0;
}
