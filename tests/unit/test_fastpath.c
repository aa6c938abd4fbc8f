/* test_fastpath.c — the fast-path contract (gpureg_fastpath.h) read as a stranger would: a
 * resolve, retain and release written from the header alone must give exactly what the C calls
 * give, on alive, released, destroyed, forged and foreign handles and after device loss, and a
 * release made through the contract must be collected by the owner like any other. */
#include <stdatomic.h>
#include <string.h>

#include "gpureg/gpureg_fastpath.h"
#include "test_util.h"

/* ---- a reader written from the contract alone -------------------------------------------- */

static _Atomic uint64_t *word_of(const gpureg_fastpath *fp, gpureg_handle h) {
    uint32_t index = (uint32_t)h;
    if ((index >> fp->segment_shift) != 0) return NULL; /* this reader stays in segment 0 */
    if (index >= atomic_load((_Atomic uint32_t *)(uintptr_t)fp->segment0_committed)) return NULL;
    return (_Atomic uint64_t *)(void *)((char *)fp->segment0_base + (size_t)index * GPUREG_FP_SLOT_SIZE);
}

static int contract_alive(uint64_t w, gpureg_handle h, uint64_t key) {
    return (uint32_t)h < (1u << 28) && ((w ^ h ^ key) >> GPUREG_FP_KEY_SHIFT) == 0;
}

static uint64_t key_of(const gpureg_fastpath *fp) { return atomic_load((_Atomic uint64_t *)(uintptr_t)fp->alive_key); }

/* 1 with the native on a hit; 0 where the contract says "ask the C call". */
static int contract_resolve(const gpureg_fastpath *fp, gpureg_handle h, uint64_t *native) {
    _Atomic uint64_t *word = word_of(fp, h);
    if (!word) return 0;
    uint64_t w = atomic_load(word);
    if (!contract_alive(w, h, key_of(fp))) return 0;
    *native = atomic_load((_Atomic uint64_t *)(void *)((char *)word + GPUREG_FP_NATIVE_OFFSET));
    return atomic_load(word) == w;
}

static int contract_retain(const gpureg_fastpath *fp, gpureg_handle h) {
    _Atomic uint64_t *word = word_of(fp, h);
    if (!word) return 0;
    uint64_t w = atomic_load(word);
    while (contract_alive(w, h, key_of(fp)) && (w & GPUREG_FP_WORD_RC_MASK) < GPUREG_FP_WORD_RC_MASK)
        if (atomic_compare_exchange_weak(word, &w, w + 1)) return 1;
    return 0;
}

static uint64_t packed_bytes(const gpureg_fastpath *fp, uint32_t type, uint64_t p) {
    if (type == GPUREG_TYPE_BUFFER) return p & ((1ull << 41) - 1u);
    uint64_t w = (p & 0xFFFF) + 1u, h = (p >> 16 & 0xFFFF) + 1u, layers = (p >> 32 & 0xFFFF) + 1u, texels = 0;
    for (uint64_t m = 0, mips = (p >> 48 & 0x1F) + 1u; m<mips; m++, w = w> 1 ? w / 2 : 1, h = h > 1 ? h / 2 : 1)
        texels += w * h;
    return texels * fp->texel_bytes[p >> 53 & 0xF] * layers;
}

static int contract_release(const gpureg_fastpath *fp, gpureg_handle h) {
    _Atomic uint64_t *word = word_of(fp, h);
    if (!word) return 0;
    uint64_t w = atomic_load(word);
    for (;;) {
        if (!contract_alive(w, h, GPUREG_FP_ALIVE_KEY)) return 0;
        uint64_t next = w - 1;
        int last = (next & GPUREG_FP_WORD_RC_MASK) == 0;
        if (last)
            next = (next & ~GPUREG_FP_WORD_STATE_MASK) | (uint64_t)GPUREG_FP_STATE_RELEASED
                                                             << GPUREG_FP_WORD_STATE_SHIFT;
        if (atomic_compare_exchange_weak(word, &w, next)) {
            if (!last) return 1;
            break;
        }
    }
    uint32_t index = (uint32_t)h, type = (uint32_t)(h >> GPUREG_FP_WORD_TYPE_SHIFT) & 3u;
    uint32_t s = atomic_fetch_add((_Atomic uint32_t *)(uintptr_t)fp->next_shard, 1) % fp->release_shard_count;
    char *shard = (char *)fp->release_shards + (size_t)s * fp->release_shard_size;
    uint64_t desc = atomic_load(
        (_Atomic uint64_t *)(void *)((char *)fp->segment0_base + GPUREG_FP_INFO_OFFSET + (size_t)index * 16u));
    atomic_fetch_add((_Atomic uint64_t *)(void *)(shard + GPUREG_FP_SHARD_COUNT) + type, 1);
    atomic_fetch_add((_Atomic uint64_t *)(void *)(shard + GPUREG_FP_SHARD_BYTES) + type, packed_bytes(fp, type, desc));
    uint32_t *link = (uint32_t *)(void *)((char *)fp->segment0_base + fp->links_offset + (size_t)index * 4u);
    _Atomic uint32_t *inbox = (_Atomic uint32_t *)(void *)(shard + GPUREG_FP_SHARD_INBOX);
    uint32_t head = atomic_load(inbox);
    do
        *link = head;
    while (!atomic_compare_exchange_weak(inbox, &head, index + 1u));
    return 1;
}

/* ---- tests --------------------------------------------------------------------------------- */

static gpureg_fastpath export_of(gpureg_registry *reg) {
    gpureg_fastpath fp;
    memset(&fp, 0xA5, sizeof fp);
    assert_int_equal(gpureg_fastpath_export(reg, &fp), GPUREG_OK);
    assert_int_equal(fp.version, GPUREG_FASTPATH_VERSION);
    assert_int_equal(fp.size, sizeof fp);
    return fp;
}

static void export_checks_its_arguments(void **state) {
    gpureg_fastpath fp;
    assert_int_equal(gpureg_fastpath_export(NULL, &fp), GPUREG_ERR_NULL_POINTER);
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    assert_int_equal(gpureg_fastpath_export(reg, NULL), GPUREG_ERR_NULL_POINTER);
    assert_logged_once(&lc, GPUREG_ERR_NULL_POINTER, "gpureg_fastpath_export");
    gpureg_texture t = make_texture(reg);
    assert_int_equal(export_of(reg).tag, (uint32_t)(t.id >> 54));
    destroy_expecting(reg, 1);
}

/* A hit of the contract is exactly a success of the C call, with the same native. */
static void assert_same_resolve(gpureg_registry *reg, const gpureg_fastpath *fp, gpureg_handle h) {
    uint64_t c_native = 0, fp_native = 0;
    gpureg_result r = gpureg_resolve(reg, h, GPUREG_TYPE_UNDEFINED, &c_native);
    int hit = contract_resolve(fp, h, &fp_native);
    if ((r == GPUREG_OK) != hit || (hit && fp_native != c_native)) {
        print_error("handle 0x%016llx: C says %s, the contract %s\n", (unsigned long long)h, gpureg_result_string(r),
                    hit ? "hit" : "asks C");
        fail();
    }
}

static void a_reader_of_the_contract_resolves_exactly_as_the_c_call(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_registry *other = make_registry(NULL);
    gpureg_fastpath fp = export_of(reg);
    enum { N = 64 };
    gpureg_handle h[N];
    for (int i = 0; i < N; i++)
        h[i] = (i & 1) ? make_buffer(reg).id : make_texture(reg).id;
    for (int i = 0; i < N; i += 3)
        assert_int_equal(gpureg_release(reg, h[i]), GPUREG_OK); /* released (pending) */
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);     /* ...then destroyed: stale */
    for (int i = 1; i < N; i += 3)
        assert_int_equal(gpureg_release(reg, h[i]), GPUREG_OK); /* released, slots reused below */
    for (int i = 0; i < 8; i++)
        make_texture(reg);
    gpureg_handle foreign = make_texture(other).id;
    uint64_t x = 88172645463325252ull;
    for (int round = 0; round < 20000; round++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        gpureg_handle base = h[x % N];
        gpureg_handle forged[] = {base,
                                  base ^ (1ull << 32),                  /* generation */
                                  base ^ (3ull << 52),                  /* type bits */
                                  base ^ (1ull << 54),                  /* tag */
                                  (base & ~0xFFFFFFFFull) | (x >> 40),  /* index */
                                  (base & ~0xFFFFFFFFull) | (1u << 28), /* index above 2^28 */
                                  foreign,
                                  x,
                                  0};
        for (size_t k = 0; k < sizeof forged / sizeof forged[0]; k++)
            assert_same_resolve(reg, &fp, forged[k]);
    }
    gpureg_null_lose_device(reg);
    for (int i = 0; i < N; i++) { /* lost: the contract misses where C answers DEVICE_LOST */
        uint64_t native;
        assert_int_equal(contract_resolve(&fp, h[i], &native), 0);
        assert_int_equal(contract_retain(&fp, h[i]), 0);
    }
    destroy_expecting(other, 1);
    assert_true(gpureg_destroy(reg) >= 0);
}

static void retain_and_release_through_the_contract_are_collected_as_the_c_calls(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_fastpath fp = export_of(reg);
    gpureg_texture_desc td = small_texture_desc();
    td.mip_levels = 2; /* bytes counted over the mips, as the contract says */
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    gpureg_buffer b = make_buffer(reg);
    gpureg_stats before = get_stats(reg);

    assert_int_equal(contract_retain(&fp, t.id), 1);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, t.id, &info), GPUREG_OK);
    assert_int_equal(info.refcount, 2);
    assert_int_equal(contract_release(&fp, t.id), 1);
    assert_int_equal(contract_release(&fp, t.id), 1); /* to zero: queued through a shard */
    assert_int_equal(contract_release(&fp, t.id), 0); /* released: the C call answers it */
    assert_int_equal(gpureg_release(reg, t.id), GPUREG_ERR_RELEASED);
    assert_int_equal(contract_release(&fp, b.id), 1);
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_RELEASED);

    gpureg_stats mid = get_stats(reg);
    assert_int_equal(mid.texture.pending_count, before.texture.pending_count + 1);
    assert_int_equal(mid.texture.pending_bytes, info.bytes);
    assert_int_equal(mid.buffer.pending_count, 1);
    assert_int_equal(mid.texture.live_count, 0);
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK); /* the owner drains the shard */
    assert_int_equal(destroyed, 2);
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_DESTROYED);
    gpureg_stats after = get_stats(reg);
    assert_int_equal(after.texture.pending_count, 0);
    assert_int_equal(after.buffer.destroyed_total, 1);
    destroy_expecting(reg, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(export_checks_its_arguments),
        cmocka_unit_test(a_reader_of_the_contract_resolves_exactly_as_the_c_call),
        cmocka_unit_test(retain_and_release_through_the_contract_are_collected_as_the_c_calls),
    };
    return cmocka_run_group_tests_name("fastpath", tests, NULL, NULL);
}
