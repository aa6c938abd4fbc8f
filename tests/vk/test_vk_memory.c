/* test_vk_memory.c — a buffer's update hint chooses its memory and its write path:
 *   - STREAM and DYNAMIC buffers in host-visible memory are written in place (no submission, no
 *     open frame needed with an app command buffer), STATIC ones through staging; all read back
 *     exactly, and the GPU sees the in-place writes (reads copy on the GPU);
 *   - with the app's allocator, STREAM memory is required host-visible and DYNAMIC memory is not
 *     (written through staging);
 *   - with the app's allocator, each staging chunk of recorded writes is required coherent;
 *   - the order in which each use tries memory types, on the memory properties of devices
 *     lavapipe is not (discrete with and without resizable BAR, non-coherent host memory).
 * Zero validation errors throughout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vk/vk_backend.h" /* vk_memory_pick */
#include "vk_fixture.h"

#define HOST_COHERENT (VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)
#define DEVICE_LOCAL  VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT

static int device_has(vk_fixture *f, VkMemoryPropertyFlags flags) {
    VkPhysicalDeviceMemoryProperties p;
    vkGetPhysicalDeviceMemoryProperties(f->physical_device, &p);
    for (uint32_t i = 0; i < p.memoryTypeCount; i++)
        if ((p.memoryTypes[i].propertyFlags & flags) == flags) return 1;
    return 0;
}

static void fill(uint8_t *b, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(i * 13u + seed);
}

/* A write costs a submission exactly when it goes through staging. */
static void write_read(gpureg_registry *reg, gpureg_buffer buf, int in_place, unsigned seed) {
    uint8_t in[1000], out[1000];
    fill(in, sizeof in, seed);
    uint64_t submits = vkf_injected.queue_submit_calls;
    assert_int_equal(gpureg_buffer_write(reg, buf, 100, in, sizeof in), GPUREG_OK);
    assert_int_equal(vkf_injected.queue_submit_calls - submits, in_place ? 0 : 1);
    memset(out, 0xEE, sizeof out);
    assert_int_equal(gpureg_buffer_read(reg, buf, 100, out, sizeof out), GPUREG_OK); /* a GPU copy */
    assert_memory_equal(in, out, sizeof in);
}

static void update_hints_choose_the_write_path(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    /* lavapipe's one memory type is device-local, host-visible and coherent: DYNAMIC goes there. */
    assert_true(device_has(f, DEVICE_LOCAL | HOST_COHERENT));
    const struct {
        gpureg_buffer_update update;
        int in_place;
    } hints[] = {
        {GPUREG_UPDATE_DEFAULT, 0}, {GPUREG_UPDATE_STATIC, 0}, {GPUREG_UPDATE_DYNAMIC, 1}, {GPUREG_UPDATE_STREAM, 1}};
    const uint32_t usages[] = {GPUREG_BUFFER_USAGE_VERTEX,
                               GPUREG_BUFFER_USAGE_UNIFORM | GPUREG_BUFFER_USAGE_HOST_VISIBLE};
    for (size_t h = 0; h < sizeof hints / sizeof hints[0]; h++)
        for (size_t u = 0; u < sizeof usages / sizeof usages[0]; u++) {
            gpureg_buffer_desc bd = {.size = 4096, .usage = usages[u], .update = hints[h].update, .label = "hinted"};
            gpureg_buffer buf;
            assert_int_equal(gpureg_buffer_create(reg, &bd, &buf), GPUREG_OK);
            write_read(reg, buf, hints[h].in_place, (unsigned)(h * 2 + u));
            gpureg_object_info info;
            assert_int_equal(gpureg_query(reg, buf.id, &info), GPUREG_OK);
            gpureg_buffer_update want = hints[h].update ? hints[h].update : GPUREG_UPDATE_STATIC;
            assert_int_equal(info.buffer.update, want);
            /* Only the usage bit promises a mapping, whatever the memory turned out to be. */
            void *mapped = NULL;
            if (usages[u] & GPUREG_BUFFER_USAGE_HOST_VISIBLE) {
                assert_int_equal(gpureg_vk_buffer_mapped(reg, buf, &mapped), GPUREG_OK);
                uint8_t in[1000];
                fill(in, sizeof in, (unsigned)(h * 2 + u));
                assert_memory_equal((uint8_t *)mapped + 100, in, sizeof in);
            } else {
                assert_int_equal(gpureg_vk_buffer_mapped(reg, buf, &mapped), GPUREG_ERR_UNSUPPORTED);
                assert_null(mapped);
            }
            assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
        }
    vkf_destroy_registry(f, 0);
}

/* In place means no recording either: with an app command buffer set, a STREAM write needs no
 * open frame, while a STATIC one is recorded there and does. */
static void in_place_writes_skip_the_app_command_buffer(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    VkCommandPool pool;
    VkCommandBuffer cmd = vkf_begin(f, &pool);
    assert_int_equal(gpureg_vk_set_command_buffer(reg, cmd), GPUREG_OK);
    gpureg_buffer stream, fixed;
    gpureg_buffer_desc bd = {.size = 256, .update = GPUREG_UPDATE_STREAM};
    assert_int_equal(gpureg_buffer_create(reg, &bd, &stream), GPUREG_OK);
    bd.update = GPUREG_UPDATE_STATIC;
    assert_int_equal(gpureg_buffer_create(reg, &bd, &fixed), GPUREG_OK);
    uint8_t data[64];
    fill(data, sizeof data, 3);
    assert_int_equal(gpureg_buffer_write(reg, stream, 0, data, sizeof data), GPUREG_OK);
    assert_int_equal(gpureg_buffer_write(reg, fixed, 0, data, sizeof data), GPUREG_ERR_FRAME_STATE);
    assert_int_equal(gpureg_vk_set_command_buffer(reg, VK_NULL_HANDLE), GPUREG_OK);
    uint8_t back[64];
    assert_int_equal(gpureg_buffer_read(reg, stream, 0, back, sizeof back), GPUREG_OK);
    assert_memory_equal(data, back, sizeof data);
    assert_int_equal(gpureg_buffer_release(reg, stream), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(reg, fixed), GPUREG_OK);
    vkf_submit_wait(f, pool, cmd); /* empty: nothing was recorded into it */
    vkf_destroy_registry(f, 0);
}

/* ---- The app's allocator ------------------------------------------------------------------------- */
typedef struct app_memory {
    vk_fixture *f;
    VkMemoryPropertyFlags required[8];
    int calls;
} app_memory;

static VkResult app_allocate(const VkMemoryRequirements *req, VkMemoryPropertyFlags required, gpureg_vk_allocation *out,
                             void *user) {
    app_memory *m = user;
    m->required[m->calls++ % 8] = required;
    VkPhysicalDeviceMemoryProperties p;
    vkGetPhysicalDeviceMemoryProperties(m->f->physical_device, &p);
    uint32_t type = 0;
    while (!((req->memoryTypeBits >> type) & 1u) || (p.memoryTypes[type].propertyFlags & required) != required)
        type++;
    VkMemoryAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = req->size, .memoryTypeIndex = type};
    VkResult vr = vkAllocateMemory(m->f->device, &ai, NULL, &out->memory);
    if (vr != VK_SUCCESS) return vr;
    out->size = req->size;
    /* Mapped even when not asked: gpureg must still not write through a mapping it cannot trust. */
    if (p.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
        vr = vkMapMemory(m->f->device, out->memory, 0, VK_WHOLE_SIZE, 0, &out->mapped);
    return vr;
}

static void app_free(const gpureg_vk_allocation *a, void *user) {
    app_memory *m = user;
    vkFreeMemory(m->f->device, a->memory, NULL);
}

static void app_allocator_is_told_what_each_hint_requires(void **state) {
    vk_fixture *f = *state;
    static app_memory m; /* outlives a failed assertion's registry, which the teardown destroys */
    m = (app_memory){.f = f};
    gpureg_vk_desc vd = vkf_desc(f);
    vd.memory = (gpureg_vk_memory_callbacks){app_allocate, app_free, &m};
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF};
    assert_int_equal(gpureg_vk_create(&vd, &rd, &f->reg), GPUREG_OK);
    const gpureg_buffer_update hints[] = {GPUREG_UPDATE_STATIC, GPUREG_UPDATE_DYNAMIC, GPUREG_UPDATE_STREAM};
    const VkMemoryPropertyFlags required[] = {0, 0, HOST_COHERENT};
    for (int i = 0; i < 3; i++) {
        gpureg_buffer_desc bd = {.size = 2048, .update = hints[i]};
        gpureg_buffer buf;
        int calls = m.calls;
        assert_int_equal(gpureg_buffer_create(f->reg, &bd, &buf), GPUREG_OK);
        assert_int_equal(m.calls, calls + 1);
        assert_int_equal(m.required[calls % 8], required[i]);
        /* Only STREAM, promised coherent, is written in place; staging is the app's memory too. */
        write_read(f->reg, buf, hints[i] == GPUREG_UPDATE_STREAM, (unsigned)i);
        assert_int_equal(gpureg_buffer_release(f->reg, buf), GPUREG_OK);
    }
    vkf_destroy_registry(f, 0);
}

/* Writes recorded into the app's command buffer take ranges of staging chunks; with the app's
 * allocator each chunk is one allocation, required host-visible and coherent. */
static void app_allocator_backs_the_staging_ring_with_coherent_memory(void **state) {
    vk_fixture *f = *state;
    static app_memory m;
    m = (app_memory){.f = f};
    gpureg_vk_desc vd = vkf_desc(f);
    vd.memory = (gpureg_vk_memory_callbacks){app_allocate, app_free, &m};
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF};
    assert_int_equal(gpureg_vk_create(&vd, &rd, &f->reg), GPUREG_OK);
    gpureg_texture tex[2];
    gpureg_texture_desc td = {.width = 16, .height = 16, .format = GPUREG_FORMAT_RGBA8_UNORM};
    for (int i = 0; i < 2; i++)
        assert_int_equal(gpureg_texture_create(f->reg, &td, &tex[i]), GPUREG_OK);
    VkCommandPool pool;
    VkCommandBuffer cmd = vkf_begin(f, &pool);
    assert_int_equal(gpureg_vk_set_command_buffer(f->reg, cmd), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
    uint8_t px[2][16 * 16 * 4], back[16 * 16 * 4];
    int calls = m.calls;
    gpureg_texture_region all = {0};
    for (int i = 0; i < 2; i++) {
        fill(px[i], sizeof px[i], (unsigned)i + 5);
        assert_int_equal(gpureg_texture_write(f->reg, tex[i], &all, px[i], sizeof px[i], 0), GPUREG_OK);
    }
    assert_int_equal(m.calls, calls + 1); /* one chunk for both */
    assert_int_equal(m.required[calls % 8], HOST_COHERENT);
    assert_int_equal(gpureg_vk_set_command_buffer(f->reg, VK_NULL_HANDLE), GPUREG_OK);
    vkf_submit_wait(f, pool, cmd);
    assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(gpureg_texture_read(f->reg, tex[i], &all, back, sizeof back), GPUREG_OK);
        assert_memory_equal(back, px[i], sizeof back);
        assert_int_equal(gpureg_texture_release(f->reg, tex[i]), GPUREG_OK);
    }
    vkf_destroy_registry(f, 0);
}

/* ---- The order of memory types, on devices the test does not have -------------------------------- */
typedef struct fake_device {
    const char *name;
    uint32_t count;
    VkMemoryPropertyFlags types[6];
    uint32_t want[VK_MEMORY_USES]; /* per vk_memory_use: DEVICE, HOST, DEVICE_HOST, STAGING */
} fake_device;

static void memory_types_are_tried_in_order_of_use(void **state) {
    (void)state;
    const VkMemoryPropertyFlags cached = VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
    const fake_device devices[] = {
        /* The BAR window comes last, as drivers list it. */
        /* Staging stays out of the BAR window: system memory, the first coherent type. */
        {"discrete",
         4,
         {DEVICE_LOCAL, HOST_COHERENT, HOST_COHERENT | cached, DEVICE_LOCAL | HOST_COHERENT},
         {0, 3, 3, 1}},
        {"discrete, no device-local host memory", 2, {DEVICE_LOCAL, HOST_COHERENT}, {0, 1, 0, 1}},
        {"integrated", 1, {DEVICE_LOCAL | HOST_COHERENT | cached}, {0, 0, 0, 0}},
        /* Device-local host-visible but not coherent: no good for writes in place. */
        {"non-coherent",
         3,
         {DEVICE_LOCAL, DEVICE_LOCAL | VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, HOST_COHERENT},
         {0, 2, 0, 2}},
        /* No coherent host memory at all: only staging copes (it flushes). */
        {"no coherent memory", 2, {DEVICE_LOCAL, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | cached}, {0, UINT32_MAX, 0, 1}},
        /* Host memory first in the list: device-local still wins for DEVICE and DYNAMIC. */
        {"host first", 2, {HOST_COHERENT, DEVICE_LOCAL}, {1, 0, 1, 0}},
    };
    for (size_t d = 0; d < sizeof devices / sizeof devices[0]; d++) {
        VkPhysicalDeviceMemoryProperties p = {.memoryTypeCount = devices[d].count};
        for (uint32_t i = 0; i < devices[d].count; i++)
            p.memoryTypes[i].propertyFlags = devices[d].types[i];
        for (int use = 0; use < VK_MEMORY_USES; use++) {
            uint32_t got = vk_memory_pick(&p, ~0u, (vk_memory_use)use);
            if (got != devices[d].want[use])
                fail_msg("%s: use %d picked type %u, want %u", devices[d].name, use, got, devices[d].want[use]);
        }
    }
    /* The object's memoryTypeBits rule: a type it cannot live in is never picked. */
    VkPhysicalDeviceMemoryProperties p = {.memoryTypeCount = 2};
    p.memoryTypes[0].propertyFlags = DEVICE_LOCAL | HOST_COHERENT;
    p.memoryTypes[1].propertyFlags = HOST_COHERENT;
    assert_int_equal(vk_memory_pick(&p, 1u << 1, VK_MEMORY_DEVICE_HOST), 1);
    assert_int_equal(vk_memory_pick(&p, 1u << 1, VK_MEMORY_DEVICE), 1);
    p.memoryTypes[1].propertyFlags = DEVICE_LOCAL;
    assert_int_equal(vk_memory_pick(&p, 1u << 1, VK_MEMORY_HOST), UINT32_MAX);
    assert_int_equal(vk_memory_pick(&p, 0, VK_MEMORY_DEVICE), UINT32_MAX);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(update_hints_choose_the_write_path, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(in_place_writes_skip_the_app_command_buffer, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(app_allocator_is_told_what_each_hint_requires, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(app_allocator_backs_the_staging_ring_with_coherent_memory, vkf_setup,
                                        vkf_teardown),
        cmocka_unit_test(memory_types_are_tried_in_order_of_use),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
