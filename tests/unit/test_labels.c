/* test_labels.c — labels of every length about the edges of the label size classes (labels.c):
 * read back whole or cut, replaced and freed from the owner and from other threads. A block
 * freed into the wrong class would overflow when reused for a longer label (the ASan build), and
 * be freed with the wrong size, which stats.host_bytes, checked against what the allocator
 * really holds, shows. */
#include "test_util.h"

#include <string.h>

static const size_t lengths[] = {0, 1, 30, 31, 32, 33, 62, 63, 64, 65, 126, 127, 128, 129, 254, 255, 256, 300};
#define LENGTHS (sizeof lengths / sizeof lengths[0])

/* A label of n bytes, each naming its position, so that a cut or a shifted copy shows. */
static const char *label_of(char *buf, size_t n) {
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)('a' + i % 26);
    buf[n] = '\0';
    return buf;
}

static void expect_label(const gpureg_registry *reg, gpureg_handle h, size_t n) {
    char want[400], got[400];
    size_t length = 0;
    label_of(want, n < GPUREG_MAX_LABEL_LENGTH ? n : GPUREG_MAX_LABEL_LENGTH);
    assert_int_equal(gpureg_get_label(reg, h, got, sizeof got, &length), GPUREG_OK);
    assert_string_equal(got, want);
    assert_int_equal(length, strlen(want));
}

static void expect_exact_host_bytes(const gpureg_registry *reg, const counting_allocator *ca) {
    gpureg_stats s = get_stats(reg);
    assert_int_equal(s.host_bytes - s.host_bytes_os, (uint64_t)atomic_load(&ca->outstanding));
}

typedef struct relabel {
    gpureg_registry *reg;
    gpureg_handle handle;
    size_t length;
} relabel;

/* Off the owner thread label blocks are allocated and freed directly, with their class's size. */
static void relabel_job(void *arg) {
    relabel *r = arg;
    char buf[400];
    assert_int_equal(gpureg_set_label(r->reg, r->handle, label_of(buf, r->length)), GPUREG_OK);
}

static void labels_of_every_class_edge_are_kept_freed_and_reused_exactly(void **state) {
    counting_allocator ca;
    gpureg_registry *reg = counted_null_registry(&ca);
    char buf[400];
    /* Passes after the first reuse the blocks the owner kept. */
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < LENGTHS; i++) {
            gpureg_buffer_desc bd = small_buffer_desc();
            bd.label = label_of(buf, lengths[i]);
            gpureg_buffer b;
            assert_int_equal(gpureg_buffer_create(reg, &bd, &b), GPUREG_OK);
            expect_label(reg, b.id, lengths[i]);
            size_t other = lengths[LENGTHS - 1 - i];
            assert_int_equal(gpureg_set_label(reg, b.id, label_of(buf, other)), GPUREG_OK);
            expect_label(reg, b.id, other);
            relabel r = {reg, b.id, lengths[(i + 5) % LENGTHS]};
            run_on_other_thread(relabel_job, &r);
            expect_label(reg, b.id, r.length);
            expect_exact_host_bytes(reg, &ca);
            assert_int_equal(gpureg_buffer_release(reg, b), GPUREG_OK);
            assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
            expect_exact_host_bytes(reg, &ca);
        }
    }
    destroy_expecting(reg, 0);
    assert_int_equal(atomic_load(&ca.outstanding), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(labels_of_every_class_edge_are_kept_freed_and_reused_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
