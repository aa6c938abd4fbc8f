/* test_registries.c — registries that come and go: a handle of a destroyed registry never
 * resolves on a later one, the registry limit has its own result, a tag whose generations are
 * spent is never handed out again, and the owner is a thread, not a reusable thread id. */
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static uint32_t tag_of(gpureg_handle h) { return (uint32_t)(h >> 54); }

/* Every call that takes a handle refuses it as foreign, and the object is untouched. */
static void assert_foreign_everywhere(gpureg_registry *reg, gpureg_handle h) {
    uint64_t native = 1;
    gpureg_object_info info;
    if (gpureg_resolve(reg, h, GPUREG_TYPE_UNDEFINED, &native) != GPUREG_ERR_FOREIGN_HANDLE ||
        gpureg_retain(reg, h) != GPUREG_ERR_FOREIGN_HANDLE || gpureg_release(reg, h) != GPUREG_ERR_FOREIGN_HANDLE ||
        gpureg_query(reg, h, &info) != GPUREG_ERR_FOREIGN_HANDLE ||
        gpureg_query_state(reg, h) != GPUREG_STATE_INVALID) {
        print_error("dead handle 0x%016llx was not foreign on a registry with its tag %u\n", (unsigned long long)h,
                    tag_of(h));
        fail();
    }
}

/* A registry with `objects` textures and buffers, some released; returns one handle of each
 * state it has (alive, released, destroyed) in kept[], their number as the result. */
static size_t populate(gpureg_registry *reg, unsigned objects, gpureg_handle *kept) {
    size_t n = 0;
    for (unsigned i = 0; i < objects; i++) {
        gpureg_handle h;
        if (i & 1) {
            gpureg_buffer b = make_buffer(reg);
            h = b.id;
        } else {
            gpureg_texture t = make_texture(reg);
            h = t.id;
        }
        if (i % 3 == 1) assert_int_equal(gpureg_release(reg, h), GPUREG_OK);
        kept[n++] = h;
    }
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK); /* released ones are destroyed: reuse */
    return n;
}

/* 100,000 registries, up to 6 alive at once, created and destroyed in random order. Every
 * handle of every destroyed registry is kept; each new registry is tried with all the kept
 * handles that carry its tag (a handle with another tag cannot pass the tag check; a sample of
 * those is tried too). Before generations continued across a tag's registries, a new registry's
 * first objects had the very handles of the dead one's. */
static void handles_of_destroyed_registries_never_resolve_on_later_ones(void **state) {
    enum { ROUNDS = 100000, ALIVE_MAX = 6, PER_REGISTRY = 4 };
    srand(12345);
    gpureg_handle *dead = malloc(sizeof *dead * ROUNDS * PER_REGISTRY);
    size_t dead_count = 0;
    /* The kept handles of each tag, as a linked list through `next`. */
    uint32_t *next = malloc(sizeof *next * ROUNDS * PER_REGISTRY), by_tag[1024];
    for (size_t t = 0; t < 1024; t++)
        by_tag[t] = UINT32_MAX;
    gpureg_registry *alive[ALIVE_MAX];
    gpureg_handle alive_handles[ALIVE_MAX][PER_REGISTRY];
    size_t alive_handle_count[ALIVE_MAX];
    size_t alive_count = 0;
    uint64_t tried = 0;
    for (unsigned round = 0; round < ROUNDS; round++) {
        int create = alive_count == 0 || (alive_count < ALIVE_MAX && rand() % 2);
        if (create) {
            gpureg_registry *reg = make_registry(NULL);
            size_t slot = alive_count++;
            alive[slot] = reg;
            alive_handle_count[slot] = populate(reg, 1u + (unsigned)rand() % PER_REGISTRY, alive_handles[slot]);
            uint32_t tag = tag_of(alive_handles[slot][0]);
            for (uint32_t k = by_tag[tag]; k != UINT32_MAX; k = next[k], tried++)
                assert_foreign_everywhere(reg, dead[k]);
            for (int sample = 0; sample < 4 && dead_count; sample++, tried++) {
                gpureg_handle h = dead[(size_t)rand() % dead_count];
                if (tag_of(h) != tag) {
                    uint64_t native;
                    assert_int_equal(gpureg_resolve(reg, h, GPUREG_TYPE_UNDEFINED, &native), GPUREG_ERR_FOREIGN_HANDLE);
                }
            }
            /* Its own objects still work as ever. */
            assert_int_equal(gpureg_query_state(reg, alive_handles[slot][0]), GPUREG_STATE_ALIVE);
        } else {
            size_t victim = (size_t)rand() % alive_count;
            gpureg_registry *reg = alive[victim];
            for (size_t i = 0; i < alive_handle_count[victim]; i++) {
                gpureg_handle h = alive_handles[victim][i];
                next[dead_count] = by_tag[tag_of(h)];
                by_tag[tag_of(h)] = (uint32_t)dead_count;
                dead[dead_count++] = h;
            }
            assert_true(gpureg_destroy(reg) >= 0);
            alive[victim] = alive[--alive_count];
            memcpy(alive_handles[victim], alive_handles[alive_count], sizeof alive_handles[victim]);
            alive_handle_count[victim] = alive_handle_count[alive_count];
        }
    }
    while (alive_count)
        assert_true(gpureg_destroy(alive[--alive_count]) >= 0);
    /* Every tag was reused many times over, so the test tried what it claims. */
    assert_true(tried > (uint64_t)ROUNDS);
    free(next);
    free(dead);
}

static void registry_after_the_1023rd_alive_answers_too_many_registries(void **state) {
    enum { MAX = 1023 };
    gpureg_registry **regs = calloc(MAX, sizeof *regs);
    for (int i = 0; i < MAX; i++)
        regs[i] = make_registry(NULL);
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry_desc rd = {.log = log_capture_fn, .log_user = &lc};
    gpureg_registry *extra = (gpureg_registry *)1;
    assert_int_equal(gpureg_null_create(&rd, &extra), GPUREG_ERR_TOO_MANY_REGISTRIES);
    assert_null(extra);
    assert_int_equal(log_capture_count(&lc), 1);
    assert_non_null(strstr(lc.lines[0], "registry tag"));
    destroy_expecting(regs[7], 0);
    regs[7] = make_registry(NULL); /* one destroyed: one more fits */
    for (int i = 0; i < MAX; i++)
        destroy_expecting(regs[i], 0);
    free(regs);
}

/* Create and release on one slot until its generation reaches `generation`. */
static void churn_slot_zero(gpureg_registry *reg, uint32_t generation) {
    for (;;) {
        gpureg_texture t = make_texture(reg);
        assert_int_equal((uint32_t)t.id, 0); /* the only slot ever used */
        uint32_t gen = (uint32_t)(t.id >> 32) & 0xFFFFFu;
        assert_int_equal(gpureg_release(reg, t.id), GPUREG_OK);
        assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
        if (gen >= generation) return;
    }
}

static void a_slot_whose_generation_is_spent_is_no_capacity(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    churn_slot_zero(reg, GPUREG_MAX_GENERATION);
    gpureg_stats st = get_stats(reg);
    assert_int_equal(st.slots_retired, 1);
    assert_int_equal(st.slot_capacity, 0); /* the one slot ever handed out is retired for good */
    gpureg_texture t = make_texture(reg);
    assert_int_equal((uint32_t)t.id, 1);
    assert_int_equal(get_stats(reg).slot_capacity, 1);
    destroy_expecting(reg, 1);
}

static void a_tag_whose_generations_are_spent_is_not_handed_out_again(void **state) {
    gpureg_registry *worn = make_registry(NULL);
    churn_slot_zero(worn, GPUREG_MAX_GENERATION - 65535u);
    gpureg_texture probe = make_texture(worn);
    uint32_t worn_tag = tag_of(probe.id);
    destroy_expecting(worn, 1);
    /* Every other tag is still free: 1022 registries fit, none with the worn tag, and then no more. */
    gpureg_registry **regs = calloc(1022, sizeof *regs);
    for (int i = 0; i < 1022; i++) {
        regs[i] = make_registry(NULL);
        gpureg_texture t = make_texture(regs[i]);
        assert_int_not_equal(tag_of(t.id), worn_tag);
    }
    gpureg_registry *extra = NULL;
    assert_int_equal(gpureg_null_create(NULL, &extra), GPUREG_ERR_TOO_MANY_REGISTRIES);
    for (int i = 0; i < 1022; i++)
        destroy_expecting(regs[i], 1);
    free(regs);
}

/* A bump allocator over static memory: the registry below can never be destroyed (its owner
 * thread is gone), and memory that is not the heap's is no leak to LeakSanitizer. */
static _Alignas(64) unsigned char arena[8u << 20];
static size_t arena_used;
static void *arena_alloc(size_t size, void *user) {
    size = (size + 63u) & ~(size_t)63u;
    if (arena_used + size > sizeof arena) return NULL;
    void *p = arena + arena_used;
    arena_used += size;
    return p;
}
static void arena_free(void *ptr, void *user) {}

static void *create_registry_and_exit(void *out) {
    gpureg_registry_desc rd = {.allocator = {arena_alloc, arena_free, NULL}, .report_format = GPUREG_REPORT_OFF};
    assert_int_equal(gpureg_null_create(&rd, (gpureg_registry **)out), GPUREG_OK);
    return NULL;
}

typedef struct later_thread {
    gpureg_registry *reg;
    pthread_t self;
    gpureg_result frame_begin, collect;
} later_thread;

static void *use_registry_of_an_exited_thread(void *arg) {
    later_thread *l = arg;
    l->self = pthread_self();
    l->frame_begin = gpureg_frame_begin(l->reg);
    l->collect = gpureg_collect(l->reg, NULL);
    return NULL;
}

static void the_owner_is_the_creating_thread_even_after_its_id_is_reused(void **state) {
    gpureg_registry *reg = NULL;
    pthread_t creator;
    assert_int_equal(pthread_create(&creator, NULL, create_registry_and_exit, &reg), 0);
    assert_int_equal(pthread_join(creator, NULL), 0);
    assert_non_null(reg);
    /* glibc hands the next thread the exited one's id (its stack and descriptor are reused):
     * the test is only meaningful when that happens, and it does here, but either way the new
     * thread is not the owner. */
    later_thread l = {.reg = reg};
    pthread_t later;
    assert_int_equal(pthread_create(&later, NULL, use_registry_of_an_exited_thread, &l), 0);
    assert_int_equal(pthread_join(later, NULL), 0);
    if (!pthread_equal(l.self, creator)) print_message("note: the thread id was not reused this time\n");
    assert_int_equal(l.frame_begin, GPUREG_ERR_WRONG_THREAD);
    assert_int_equal(l.collect, GPUREG_ERR_WRONG_THREAD);
    assert_int_equal(gpureg_destroy(reg), -(int)GPUREG_ERR_WRONG_THREAD);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(handles_of_destroyed_registries_never_resolve_on_later_ones),
        cmocka_unit_test(registry_after_the_1023rd_alive_answers_too_many_registries),
        cmocka_unit_test(a_tag_whose_generations_are_spent_is_not_handed_out_again),
        cmocka_unit_test(a_slot_whose_generation_is_spent_is_no_capacity),
        cmocka_unit_test(the_owner_is_the_creating_thread_even_after_its_id_is_reused),
    };
    return cmocka_run_group_tests_name("registries", tests, NULL, NULL);
}
