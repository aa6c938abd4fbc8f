/* labels.c — labels after creation: set and read from any thread, under the registry's label
 * lock (not a hot path). */
#include <string.h>

#include "driver_name.h"
#include "errors.h"
#include "handles.h"
#include "labels.h"
#include "pool.h"

/* A label longer than GPUREG_MAX_LABEL_LENGTH bytes is cut there, or before, so that a UTF-8
 * character is never split: a lone lead byte would make the report's JSON invalid. */
static size_t label_length(const char *label) {
    size_t n = strnlen(label, GPUREG_MAX_LABEL_LENGTH);
    /* label[n] continues a character: back off to its lead byte (at most 3; more is not UTF-8). */
    if (n == GPUREG_MAX_LABEL_LENGTH)
        for (size_t back = 0; back < 3 && ((unsigned char)label[n] & 0xC0u) == 0x80u; back++)
            n--;
    return n;
}

/* Labels are allocated in four size classes (32 to 256 bytes: the longest label and its NUL
 * fit the last), so a block the owner frees fits the next label of its class, and up to
 * LABEL_BLOCKS_KEPT of each are kept for reuse: in steady state a labelled create and its
 * destroy make no allocator call. Other threads (set_label) allocate and free directly. */
#define LABEL_BLOCKS_KEPT 64u
static unsigned label_class(size_t size) { return size <= 32 ? 0 : size <= 64 ? 1 : size <= 128 ? 2 : 3; }
static size_t class_bytes(unsigned c) { return (size_t)32 << c; }
_Static_assert(GPUREG_MAX_LABEL_LENGTH + 1 <= 256, "the largest class holds any label");

/* The class of a block label_copy filled, without measuring the label: label_copy makes the
 * last byte of every block NUL (the label's own, or one of the slack), while a label of a larger
 * class has a character at the last byte of each smaller class's block. */
static unsigned block_class(const char *label) {
    unsigned c = 0;
    while (c < 3 && label[class_bytes(c) - 1])
        c++;
    return c;
}

/* A block of class c: the owner's kept one if there is one, else a new one (NULL: out of memory). */
static char *take_block(gpureg_registry *reg, unsigned c) {
    return POOL_LIKELY(reg_is_owner(reg)) ? gpureg__spare_take(reg, &reg->label_blocks[c], class_bytes(c))
                                          : gpureg__alloc(reg, class_bytes(c));
}

char *label_copy(gpureg_registry *reg, const char *label, size_t *out_length) {
    size_t n = label_length(label);
    *out_length = n;
    unsigned c = label_class(n + 1);
    char *copy = take_block(reg, c);
    if (!copy) return NULL;
    copy[class_bytes(c) - 1] = '\0'; /* block_class's mark */
    copy[n] = '\0';
    return memcpy(copy, label, n); /* last, so that nothing waits for it */
}

void label_free(gpureg_registry *reg, char *label) {
    if (!label) return;
    unsigned c = block_class(label);
    if (reg_is_owner(reg))
        gpureg__spare_give(reg, &reg->label_blocks[c], label, class_bytes(c), LABEL_BLOCKS_KEPT);
    else
        gpureg__free(reg, label, class_bytes(c));
}

void labels_free_all(gpureg_registry *reg) {
    for (unsigned c = 0; c < 4; c++)
        gpureg__spares_free(reg, &reg->label_blocks[c], class_bytes(c));
}

gpureg_result gpureg_set_label(gpureg_registry *reg, gpureg_handle handle, const char *label) {
    static const char fn[] = "gpureg_set_label";
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    gpureg__object obj;
    gpureg_result r = gpureg__lookup(reg, handle, GPUREG_TYPE_UNDEFINED, &obj, fn);
    if (r != GPUREG_OK) return r;
    gpureg__cold *cold = pool_cold_get(reg, handle_index(handle));
    char *copy = NULL;
    size_t length = 0;
    if (cold && label) copy = label_copy(reg, label, &length);
    if (!cold || (label && !copy)) return gpureg__fail(reg, GPUREG_ERR_OUT_OF_MEMORY, "%s: out of host memory", fn);

    spin_lock(&reg->label_lock);
    gpureg__slot *slot = handle_slot(reg, handle);
    r = handle_check_word(handle, atomic_load_explicit(&slot->word, memory_order_acquire));
    char *old = NULL;
    if (r == GPUREG_OK) {
        old = cold->label;
        cold->label = copy;
        copy = NULL;
    }
    spin_unlock(&reg->label_lock);
    label_free(reg, old);
    label_free(reg, copy);
    if (r != GPUREG_OK) return gpureg__fail(reg, r, "%s: %s", fn, gpureg_result_string(r));
    /* Renaming the driver object is a driver call: only the owner thread may make it. */
    if (reg->ops->object_name && reg_is_owner(reg)) {
        char name[GPUREG__DRIVER_NAME_SIZE];
        uint32_t site = (uint32_t)atomic_load_explicit(&slot_info(slot)->meta, memory_order_relaxed);
        object_driver_name(reg, handle, label, length, site, name, sizeof name);
        registry_current_handle = handle;
        reg->ops->object_name(reg->backend, obj.kind, obj.native, &obj.aux, name);
        registry_current_handle = 0;
    }
    return GPUREG_OK;
}

gpureg_result gpureg_get_label(const gpureg_registry *reg, gpureg_handle handle, char *buf, size_t cap,
                               size_t *out_length) {
    static const char fn[] = "gpureg_get_label";
    if (out_length) *out_length = 0;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!buf && cap) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: buf is NULL", fn);
    gpureg_result r = handle_check_bits(reg, handle, GPUREG_TYPE_UNDEFINED);
    gpureg__slot *slot = r == GPUREG_OK ? handle_slot(reg, handle) : NULL;
    if (r == GPUREG_OK && !slot) r = GPUREG_ERR_INVALID_HANDLE;
    if (r != GPUREG_OK) return gpureg__fail(reg, r, "%s: %s", fn, gpureg_result_string(r));
    const gpureg__cold *cold = pool_cold(&reg->pool, handle_index(handle));
    spin_lock((gpureg__spin *)&reg->label_lock);
    r = handle_check_word(handle, atomic_load_explicit(&slot->word, memory_order_acquire));
    if (r == GPUREG_ERR_RELEASED) r = GPUREG_OK; /* released objects keep their label until destroyed */
    const char *label = (r == GPUREG_OK && cold && cold->label) ? cold->label : "";
    size_t n = strlen(label);
    if (r == GPUREG_OK && cap) {
        size_t copy = n < cap - 1 ? n : cap - 1;
        memcpy(buf, label, copy);
        buf[copy] = '\0';
    }
    spin_unlock((gpureg__spin *)&reg->label_lock);
    if (r != GPUREG_OK) return gpureg__fail(reg, r, "%s: %s", fn, gpureg_result_string(r));
    if (out_length) *out_length = n;
    return GPUREG_OK;
}
