/* test_vk_objects.c — textures and buffers on lavapipe: every format round-trips exactly,
 * buffers likewise, resolve, sub-allocation, the external allocator, adopt, the app's command
 * buffer for uploads, transfer-only textures (no view), the owner-only layout calls, and bad input.
 * Zero validation errors throughout. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vk_fixture.h"

static const VkFormat vk_of[GPUREG_FORMAT_COUNT] = {
    [GPUREG_FORMAT_RGBA8_UNORM] = VK_FORMAT_R8G8B8A8_UNORM,
    [GPUREG_FORMAT_RGBA8_SRGB] = VK_FORMAT_R8G8B8A8_SRGB,
    [GPUREG_FORMAT_BGRA8_UNORM] = VK_FORMAT_B8G8R8A8_UNORM,
    [GPUREG_FORMAT_R8_UNORM] = VK_FORMAT_R8_UNORM,
    [GPUREG_FORMAT_RG8_UNORM] = VK_FORMAT_R8G8_UNORM,
    [GPUREG_FORMAT_RGBA16_FLOAT] = VK_FORMAT_R16G16B16A16_SFLOAT,
    [GPUREG_FORMAT_RGBA32_FLOAT] = VK_FORMAT_R32G32B32A32_SFLOAT,
    [GPUREG_FORMAT_D24_UNORM_S8_UINT] = VK_FORMAT_D24_UNORM_S8_UINT,
    [GPUREG_FORMAT_D32_FLOAT] = VK_FORMAT_D32_SFLOAT,
    [GPUREG_FORMAT_S8_UINT] = VK_FORMAT_S8_UINT,
};

static int device_supports(vk_fixture *f, gpureg_format fmt, VkImageUsageFlags usage) {
    VkImageFormatProperties p;
    return vkGetPhysicalDeviceImageFormatProperties(f->physical_device, vk_of[fmt], VK_IMAGE_TYPE_2D,
                                                    VK_IMAGE_TILING_OPTIMAL, usage, 0, &p) == VK_SUCCESS;
}

/* Texel data every format accepts bit-exactly: finite floats, depth in [0, 1]. */
static void fill(gpureg_format fmt, void *data, size_t bytes, uint32_t seed) {
    if (fmt == GPUREG_FORMAT_RGBA16_FLOAT) {
        uint16_t *h = data;
        for (size_t i = 0; i < bytes / 2; i++)
            h[i] = (uint16_t)((i * 37u + seed) % 0x3C00u); /* positive, below 1.0: never NaN or Inf */
    } else if (fmt == GPUREG_FORMAT_D24_UNORM_S8_UINT) {
        uint32_t *v = data; /* depth in the low 24 bits, stencil in the high 8 */
        for (size_t i = 0; i < bytes / 4; i++)
            v[i] = (uint32_t)((i * 2654435761u + seed) & 0xFFFFFFu) | (uint32_t)((i * 7u + seed) & 0xFFu) << 24;
    } else if (fmt == GPUREG_FORMAT_RGBA32_FLOAT || fmt == GPUREG_FORMAT_D32_FLOAT) {
        float *v = data;
        for (size_t i = 0; i < bytes / 4; i++)
            v[i] = (float)((i * 7u + seed) % 1000u) / 1000.0f;
    } else {
        uint8_t *b = data;
        for (size_t i = 0; i < bytes; i++)
            b[i] = (uint8_t)(i * 31u + seed);
    }
}

static void every_format_round_trips(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    int tested = 0;
    for (int fi = 1; fi < GPUREG_FORMAT_COUNT; fi++) {
        gpureg_format fmt = (gpureg_format)fi;
        VkImageUsageFlags need =
            VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
        gpureg_texture_desc td = {.width = 13,
                                  .height = 7,
                                  .mip_levels = 3,
                                  .array_layers = 2,
                                  .format = fmt,
                                  .label = gpureg_format_name(fmt)};
        gpureg_texture tex;
        if (!device_supports(f, fmt, need)) {
            assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_ERR_UNSUPPORTED);
            continue;
        }
        assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_OK);
        VkImageLayout layout;
        assert_int_equal(gpureg_vk_texture_layout(reg, tex, &layout), GPUREG_OK);
        assert_int_equal(layout, VK_IMAGE_LAYOUT_UNDEFINED);
        uint32_t texel = gpureg_format_texel_bytes(fmt);
        for (uint32_t mip = 0; mip < 3; mip++)
            for (uint32_t layer = 0; layer < 2; layer++) {
                uint32_t w = 13u >> mip ? 13u >> mip : 1u, h = 7u >> mip ? 7u >> mip : 1u;
                size_t bytes = (size_t)w * h * texel;
                uint8_t *in = malloc(bytes), *out = malloc(bytes);
                fill(fmt, in, bytes, mip * 7u + layer);
                gpureg_texture_region rg = {.mip_level = mip, .array_layer = layer};
                assert_int_equal(gpureg_texture_write(reg, tex, &rg, in, bytes, 0), GPUREG_OK);
                memset(out, 0xEE, bytes);
                assert_int_equal(gpureg_texture_read(reg, tex, &rg, out, bytes), GPUREG_OK);
                assert_memory_equal(in, out, bytes);
                free(in);
                free(out);
            }
        /* A sub-region with a row pitch larger than the row lands exactly there. */
        uint8_t sub[3 * 2 * 16 * 2], back[13 * 7 * 16];
        fill(fmt, sub, sizeof sub, 99);
        gpureg_texture_region rg = {.x = 4, .y = 3, .width = 3, .height = 2};
        assert_int_equal(gpureg_texture_write(reg, tex, &rg, sub, sizeof sub, 3 * texel * 2), GPUREG_OK);
        gpureg_texture_region whole = {0};
        assert_int_equal(gpureg_texture_read(reg, tex, &whole, back, 13 * 7 * texel), GPUREG_OK);
        for (uint32_t y = 0; y < 2; y++)
            assert_memory_equal(back + ((3 + y) * 13 + 4) * texel, sub + y * 3 * texel * 2, 3 * texel);
        assert_int_equal(gpureg_vk_texture_layout(reg, tex, &layout), GPUREG_OK);
        assert_int_equal(layout, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
        assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
        tested++;
    }
    assert_true(tested >= 10); /* lavapipe has every listed format, S8_UINT included */
    vkf_destroy_registry(f, 0);
}

static void buffers_round_trip_and_map(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    uint32_t usages[] = {GPUREG_BUFFER_USAGE_VERTEX, GPUREG_BUFFER_USAGE_INDEX, GPUREG_BUFFER_USAGE_UNIFORM,
                         GPUREG_BUFFER_USAGE_STORAGE, GPUREG_BUFFER_USAGE_UNIFORM | GPUREG_BUFFER_USAGE_HOST_VISIBLE};
    for (size_t i = 0; i < sizeof usages / sizeof usages[0]; i++) {
        gpureg_buffer_desc bd = {.size = 1000, .usage = usages[i], .label = "round trip"};
        gpureg_buffer buf;
        assert_int_equal(gpureg_buffer_create(reg, &bd, &buf), GPUREG_OK);
        uint8_t in[300], out[300];
        fill(GPUREG_FORMAT_R8_UNORM, in, sizeof in, (uint32_t)i);
        assert_int_equal(gpureg_buffer_write(reg, buf, 100, in, sizeof in), GPUREG_OK);
        assert_int_equal(gpureg_buffer_read(reg, buf, 100, out, sizeof out), GPUREG_OK);
        assert_memory_equal(in, out, sizeof in);
        void *mapped = NULL;
        if (usages[i] & GPUREG_BUFFER_USAGE_HOST_VISIBLE) {
            assert_int_equal(gpureg_vk_buffer_mapped(reg, buf, &mapped), GPUREG_OK);
            assert_memory_equal((uint8_t *)mapped + 100, in, sizeof in);
            memset(mapped, 0x5A, 10); /* and the GPU sees host writes */
            assert_int_equal(gpureg_buffer_read(reg, buf, 0, out, 10), GPUREG_OK);
            for (int k = 0; k < 10; k++)
                assert_int_equal(out[k], 0x5A);
        } else {
            assert_int_equal(gpureg_vk_buffer_mapped(reg, buf, &mapped), GPUREG_ERR_UNSUPPORTED);
            assert_null(mapped);
        }
        assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    }
    vkf_destroy_registry(f, 0);
}

/* An 8x8 RGBA8 texture and a `size`-byte buffer, both with default usage. */
static void texture_and_buffer(gpureg_registry *reg, uint64_t size, gpureg_texture *tex, gpureg_buffer *buf) {
    gpureg_texture_desc td = {.width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM};
    gpureg_buffer_desc bd = {.size = size};
    assert_int_equal(gpureg_texture_create(reg, &td, tex), GPUREG_OK);
    assert_int_equal(gpureg_buffer_create(reg, &bd, buf), GPUREG_OK);
}

static void resolve_returns_vulkan_handles(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture tex;
    gpureg_buffer buf;
    texture_and_buffer(reg, 64, &tex, &buf);
    VkImage image;
    VkImageView view;
    VkBuffer vkbuf;
    VkDeviceMemory mem;
    VkDeviceSize off;
    uint64_t native;
    assert_int_equal(gpureg_vk_texture_image(reg, tex, &image), GPUREG_OK);
    assert_int_equal(gpureg_texture_native(reg, tex, &native), GPUREG_OK);
    assert_true(image != VK_NULL_HANDLE && (uint64_t)(uintptr_t)image == native);
    assert_int_equal(gpureg_vk_texture_view(reg, tex, &view), GPUREG_OK);
    assert_true(view != VK_NULL_HANDLE);
    assert_int_equal(gpureg_vk_texture_memory(reg, tex, &mem, &off), GPUREG_OK);
    assert_true(mem != VK_NULL_HANDLE);
    assert_int_equal(gpureg_vk_buffer_buffer(reg, buf, &vkbuf), GPUREG_OK);
    assert_true(vkbuf != VK_NULL_HANDLE);
    assert_int_equal(gpureg_vk_buffer_memory(reg, buf, &mem, &off), GPUREG_OK);
    /* Handle errors as gpureg_resolve answers them. */
    assert_int_equal(gpureg_vk_texture_image(reg, (gpureg_texture){buf.id}, &image), GPUREG_ERR_WRONG_TYPE);
    assert_true(image == VK_NULL_HANDLE);
    assert_int_equal(gpureg_vk_texture_image(reg, tex, NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_vk_texture_view(reg, tex, &view), GPUREG_ERR_RELEASED);
    assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    vkf_destroy_registry(f, 0);
}

static void small_textures_share_device_allocations(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    enum { N = 2000 };
    gpureg_texture *t = calloc(N, sizeof *t);
    gpureg_texture_desc td = {.width = 64, .height = 64, .format = GPUREG_FORMAT_RGBA8_UNORM};
    for (int i = 0; i < N; i++)
        assert_int_equal(gpureg_texture_create(reg, &td, &t[i]), GPUREG_OK);
    gpureg_vk_memory_stats ms;
    gpureg_stats st;
    assert_int_equal(gpureg_vk_get_memory_stats(reg, &ms), GPUREG_OK);
    assert_int_equal(gpureg_get_stats(reg, &st), GPUREG_OK);
    /* 2000 x 16 KiB = 31 MiB: one or two blocks, not 2000 allocations (plus the staging pool's). */
    assert_true(ms.allocate_calls <= 4);
    assert_int_equal(st.device_allocations, ms.allocations);
    assert_int_equal(st.device_bytes, ms.bytes);
    uint64_t heap_sum = 0;
    for (uint32_t h = 0; h < ms.heap_count; h++)
        heap_sum += ms.heap_bytes[h];
    assert_int_equal(heap_sum, ms.bytes);
    for (int i = 0; i < N; i++)
        assert_int_equal(gpureg_texture_release(reg, t[i]), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_int_equal(gpureg_vk_get_memory_stats(reg, &ms), GPUREG_OK);
    assert_true(ms.allocations <= 1); /* one empty block is kept for reuse */
    free(t);
    vkf_destroy_registry(f, 0);
}

/* The sub-allocator under churn: objects of random sizes and alignments never share bytes, and
 * once all are gone the blocks are empty again (one kept per pool). */
typedef struct placed {
    gpureg_handle h;
    VkDeviceMemory memory;
    VkDeviceSize offset, size;
} placed;

static void place(vk_fixture *f, gpureg_registry *reg, gpureg_handle h, placed *p) {
    p->h = h;
    VkMemoryRequirements req;
    if ((h >> 52 & 3u) == GPUREG_TYPE_TEXTURE) {
        gpureg_texture t = {h};
        VkImage image;
        assert_int_equal(gpureg_vk_texture_image(reg, t, &image), GPUREG_OK);
        vkGetImageMemoryRequirements(f->device, image, &req);
        assert_int_equal(gpureg_vk_texture_memory(reg, t, &p->memory, &p->offset), GPUREG_OK);
    } else {
        gpureg_buffer b = {h};
        VkBuffer buffer;
        assert_int_equal(gpureg_vk_buffer_buffer(reg, b, &buffer), GPUREG_OK);
        vkGetBufferMemoryRequirements(f->device, buffer, &req);
        assert_int_equal(gpureg_vk_buffer_memory(reg, b, &p->memory, &p->offset), GPUREG_OK);
    }
    assert_int_equal(p->offset % req.alignment, 0);
    p->size = req.size;
}

static void sub_allocations_never_overlap(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    enum { LIVE = 200, OPS = 3000 };
    placed live[LIVE];
    size_t n = 0;
    unsigned seed = 7;
    for (int op = 0; op < OPS; op++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        if (n == LIVE || (n > 0 && r % 3 == 0)) {
            size_t i = r % n;
            assert_int_equal(gpureg_release(reg, live[i].h), GPUREG_OK);
            live[i] = live[--n];
            assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
            continue;
        }
        gpureg_handle h;
        if (r % 2) {
            gpureg_texture t;
            gpureg_texture_desc td = {
                .width = 1 + r % 300, .height = 1 + (r >> 9) % 200, .format = (gpureg_format)(1 + (r >> 4) % 7)};
            assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
            h = t.id;
        } else {
            gpureg_buffer b;
            gpureg_buffer_desc bd = {.size = 1 + (r >> 3) % 100000,
                                     .usage = (r & 4) ? GPUREG_BUFFER_USAGE_UNIFORM | GPUREG_BUFFER_USAGE_HOST_VISIBLE
                                                      : GPUREG_BUFFER_USAGE_STORAGE};
            assert_int_equal(gpureg_buffer_create(reg, &bd, &b), GPUREG_OK);
            h = b.id;
        }
        place(f, reg, h, &live[n]);
        for (size_t i = 0; i < n; i++)
            if (live[i].memory == live[n].memory)
                assert_true(live[i].offset + live[i].size <= live[n].offset ||
                            live[n].offset + live[n].size <= live[i].offset);
        n++;
    }
    for (size_t i = 0; i < n; i++)
        assert_int_equal(gpureg_release(reg, live[i].h), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    gpureg_vk_memory_stats ms;
    assert_int_equal(gpureg_vk_get_memory_stats(reg, &ms), GPUREG_OK);
    assert_true(ms.allocations <= 2); /* one empty block per pool used (images, buffers) */
    vkf_destroy_registry(f, 0);
}

/* A steady create/release cycle allocates nothing: the released range is parked and the next
 * texture of its size takes it back (same memory, same offset), the record is reused (host_bytes
 * holds still) and the device sees no vkAllocateMemory. A texture of another size has the parked
 * range given back first (alone in its block, it starts the merged free range again), and with
 * everything released one empty block is kept: a parked range counts as free. */
static gpureg_texture cycle_texture(gpureg_registry *reg, const gpureg_texture_desc *td, VkDeviceMemory *memory,
                                    VkDeviceSize *offset) {
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create(reg, td, &t), GPUREG_OK);
    assert_int_equal(gpureg_vk_texture_memory(reg, t, memory, offset), GPUREG_OK);
    return t;
}

static void steady_cycles_reuse_memory_and_records(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture_desc td = {.width = 64, .height = 64, .format = GPUREG_FORMAT_RGBA8_UNORM};
    VkDeviceMemory first_memory = VK_NULL_HANDLE, memory;
    VkDeviceSize first_offset = 0, offset;
    gpureg_stats before = {0}, st;
    gpureg_vk_memory_stats ms_before = {0}, ms;
    for (int i = 0; i < 100; i++) {
        gpureg_texture t = cycle_texture(reg, &td, &memory, &offset);
        if (i == 0) {
            first_memory = memory;
            first_offset = offset;
        }
        assert_true(memory == first_memory);
        assert_int_equal(offset, first_offset);
        assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
        assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
        if (i == 0) { /* the first cycle adds what later ones reuse (the interned site, the record) */
            assert_int_equal(gpureg_get_stats(reg, &before), GPUREG_OK);
            assert_int_equal(gpureg_vk_get_memory_stats(reg, &ms_before), GPUREG_OK);
        }
    }
    assert_int_equal(gpureg_get_stats(reg, &st), GPUREG_OK);
    assert_int_equal(gpureg_vk_get_memory_stats(reg, &ms), GPUREG_OK);
    assert_int_equal(st.host_bytes, before.host_bytes);
    assert_int_equal(ms.allocate_calls, ms_before.allocate_calls);
    assert_int_equal(ms.allocations, 1);
    td.width = 128;
    gpureg_texture t = cycle_texture(reg, &td, &memory, &offset);
    assert_true(memory == first_memory);
    assert_int_equal(offset, first_offset);
    td.width = 64;
    gpureg_texture other = cycle_texture(reg, &td, &memory, &offset);
    assert_true(memory == first_memory);
    assert_true(offset != first_offset);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, other), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_int_equal(gpureg_vk_get_memory_stats(reg, &ms), GPUREG_OK);
    assert_int_equal(ms.allocations, 1);
    assert_int_equal(ms.allocate_calls, ms_before.allocate_calls);
    vkf_destroy_registry(f, 0);
}

/* Parking changes no placement: after A (first) and B are released, the next texture of their
 * size goes where first fit puts it, at A's offset, not into B's range released last. */
static void placement_stays_first_fit(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture_desc td = {.width = 64, .height = 64, .format = GPUREG_FORMAT_RGBA8_UNORM};
    VkDeviceMemory memory_a, memory_b, memory;
    VkDeviceSize offset_a, offset_b, offset;
    gpureg_texture a = cycle_texture(reg, &td, &memory_a, &offset_a);
    gpureg_texture b = cycle_texture(reg, &td, &memory_b, &offset_b);
    assert_true(memory_a == memory_b);
    assert_true(offset_a < offset_b);
    assert_int_equal(gpureg_texture_release(reg, a), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, b), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    gpureg_texture c = cycle_texture(reg, &td, &memory, &offset);
    assert_true(memory == memory_a);
    assert_int_equal(offset, offset_a);
    assert_int_equal(gpureg_texture_release(reg, c), GPUREG_OK);
    vkf_destroy_registry(f, 0);
}

/* Blocks are released as before parking: with textures spread over two blocks and all
 * released, one empty block stays, whichever range is parked last. */
static void parked_ranges_count_as_free(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    enum { N = 17 };
    gpureg_texture t[N];
    gpureg_texture_desc td = {.width = 1024, .height = 1024, .format = GPUREG_FORMAT_RGBA8_UNORM}; /* 4 MiB */
    for (int i = 0; i < N; i++)
        assert_int_equal(gpureg_texture_create(reg, &td, &t[i]), GPUREG_OK);
    gpureg_vk_memory_stats ms;
    assert_int_equal(gpureg_vk_get_memory_stats(reg, &ms), GPUREG_OK);
    assert_true(ms.allocations >= 2); /* 68 MiB: more than one block (64 MiB at most) */
    for (int i = 0; i < N; i++) {
        assert_int_equal(gpureg_texture_release(reg, t[i]), GPUREG_OK);
        assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    }
    assert_int_equal(gpureg_vk_get_memory_stats(reg, &ms), GPUREG_OK);
    assert_int_equal(ms.allocations, 1);
    vkf_destroy_registry(f, 0);
}

/* ---- The app's allocator --------------------------------------------------------------------- */
typedef struct app_allocator {
    vk_fixture *f;
    int allocs, frees;
} app_allocator;

static VkResult app_allocate(const VkMemoryRequirements *req, VkMemoryPropertyFlags required, gpureg_vk_allocation *out,
                             void *user) {
    app_allocator *a = user;
    VkPhysicalDeviceMemoryProperties mp;
    vkGetPhysicalDeviceMemoryProperties(a->f->physical_device, &mp);
    uint32_t type = UINT32_MAX;
    for (uint32_t i = 0; i < mp.memoryTypeCount && type == UINT32_MAX; i++)
        if ((req->memoryTypeBits & (1u << i)) && (mp.memoryTypes[i].propertyFlags & required) == required) type = i;
    if (type == UINT32_MAX) return VK_ERROR_OUT_OF_DEVICE_MEMORY;
    VkMemoryAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = req->size, .memoryTypeIndex = type};
    VkResult vr = vkAllocateMemory(a->f->device, &ai, NULL, &out->memory);
    if (vr != VK_SUCCESS) return vr;
    out->offset = 0;
    out->size = req->size;
    out->user_data = a;
    if (required & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
        assert_int_equal(vkMapMemory(a->f->device, out->memory, 0, VK_WHOLE_SIZE, 0, &out->mapped), VK_SUCCESS);
    a->allocs++;
    return VK_SUCCESS;
}

static void app_free(const gpureg_vk_allocation *allocation, void *user) {
    app_allocator *a = user;
    assert_ptr_equal(allocation->user_data, a);
    vkFreeMemory(a->f->device, allocation->memory, NULL);
    a->frees++;
}

static void external_allocator_provides_all_memory(void **state) {
    vk_fixture *f = *state;
    app_allocator a = {.f = f};
    gpureg_vk_desc vd = vkf_desc(f);
    vd.memory = (gpureg_vk_memory_callbacks){app_allocate, app_free, &a};
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF};
    assert_int_equal(gpureg_vk_create(&vd, &rd, &f->reg), GPUREG_OK);
    gpureg_registry *reg = f->reg;
    gpureg_texture tex;
    gpureg_buffer buf;
    gpureg_texture_desc td = {.width = 16, .height = 16, .format = GPUREG_FORMAT_RGBA8_UNORM};
    gpureg_buffer_desc bd = {.size = 256, .usage = GPUREG_BUFFER_USAGE_STORAGE | GPUREG_BUFFER_USAGE_HOST_VISIBLE};
    assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_OK);
    assert_int_equal(gpureg_buffer_create(reg, &bd, &buf), GPUREG_OK);
    uint8_t px[16 * 16 * 4], back[16 * 16 * 4];
    fill(GPUREG_FORMAT_RGBA8_UNORM, px, sizeof px, 5);
    gpureg_texture_region rg = {0};
    assert_int_equal(gpureg_texture_write(reg, tex, &rg, px, sizeof px, 0), GPUREG_OK);
    assert_int_equal(gpureg_texture_read(reg, tex, &rg, back, sizeof back), GPUREG_OK);
    assert_memory_equal(px, back, sizeof px);
    void *mapped;
    assert_int_equal(gpureg_vk_buffer_mapped(reg, buf, &mapped), GPUREG_OK);
    assert_int_equal(a.allocs, 3 + 0); /* texture, buffer, and the staging buffer of the transfers */
    gpureg_stats st;
    assert_int_equal(gpureg_get_stats(reg, &st), GPUREG_OK);
    assert_int_equal(st.device_allocations, 3);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    vkf_destroy_registry(f, 0);
    assert_int_equal(a.frees, a.allocs);
}

/* ---- Adopt -------------------------------------------------------------------------------------- */
static VkImage app_image(vk_fixture *f, VkDeviceMemory *mem, VkImageView *view) {
    VkImageCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
                            .imageType = VK_IMAGE_TYPE_2D,
                            .format = VK_FORMAT_R8G8B8A8_UNORM,
                            .extent = {4, 4, 1},
                            .mipLevels = 1,
                            .arrayLayers = 1,
                            .samples = VK_SAMPLE_COUNT_1_BIT,
                            .tiling = VK_IMAGE_TILING_OPTIMAL,
                            .usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |
                                     VK_IMAGE_USAGE_TRANSFER_SRC_BIT};
    VkImage image;
    assert_int_equal(vkCreateImage(f->device, &ci, NULL, &image), VK_SUCCESS);
    VkMemoryRequirements req;
    vkGetImageMemoryRequirements(f->device, image, &req);
    VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
                               .allocationSize = req.size,
                               .memoryTypeIndex = (uint32_t)__builtin_ctz(req.memoryTypeBits)};
    assert_int_equal(vkAllocateMemory(f->device, &ai, NULL, mem), VK_SUCCESS);
    assert_int_equal(vkBindImageMemory(f->device, image, *mem, 0), VK_SUCCESS);
    VkImageViewCreateInfo vi = {.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
                                .image = image,
                                .viewType = VK_IMAGE_VIEW_TYPE_2D,
                                .format = VK_FORMAT_R8G8B8A8_UNORM,
                                .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
    assert_int_equal(vkCreateImageView(f->device, &vi, NULL, view), VK_SUCCESS);
    return image;
}

typedef struct destroyed_by_app {
    vk_fixture *f;
    VkDeviceMemory mem;
    VkImageView view;
    int calls;
} destroyed_by_app;

static void app_destroy(uint64_t native, void *user) {
    destroyed_by_app *d = user;
    vkDestroyImageView(d->f->device, d->view, NULL);
    vkDestroyImage(d->f->device, (VkImage)(uintptr_t)native, NULL);
    vkFreeMemory(d->f->device, d->mem, NULL);
    d->calls++;
}

static void adopted_objects_are_destroyed_after_their_fence(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture_desc td = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "adopted"};
    /* gpureg takes image, view and memory and destroys them itself. */
    VkDeviceMemory mem;
    VkImageView view;
    VkImage image = app_image(f, &mem, &view);
    gpureg_vk_adopt_desc ad = {.view = view, .memory = mem, .layout = VK_IMAGE_LAYOUT_UNDEFINED};
    gpureg_texture tex;
    assert_int_equal(gpureg_vk_texture_adopt(reg, &td, image, &ad, &tex), GPUREG_OK);
    VkImageView got;
    assert_int_equal(gpureg_vk_texture_view(reg, tex, &got), GPUREG_OK);
    assert_true(got == view);
    uint8_t px[64], back[64];
    fill(GPUREG_FORMAT_RGBA8_UNORM, px, sizeof px, 1);
    gpureg_texture_region rg = {0};
    assert_int_equal(gpureg_texture_write(reg, tex, &rg, px, sizeof px, 0), GPUREG_OK);
    assert_int_equal(gpureg_texture_read(reg, tex, &rg, back, sizeof back), GPUREG_OK);
    assert_memory_equal(px, back, sizeof px);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, tex.id, &info), GPUREG_OK);
    assert_int_equal(info.adopted, 1);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    /* The app's own destroy callback instead. */
    destroyed_by_app d = {.f = f};
    image = app_image(f, &d.mem, &d.view);
    ad = (gpureg_vk_adopt_desc){.view = d.view, .destroy = app_destroy, .user = &d};
    assert_int_equal(gpureg_vk_texture_adopt(reg, &td, image, &ad, &tex), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_vk_texture_adopt(reg, &td, VK_NULL_HANDLE, &ad, &tex), GPUREG_ERR_INVALID_ARGUMENT);
    vkf_destroy_registry(f, 0);
    assert_int_equal(d.calls, 1);
}

/* ---- Transfer-only textures: no view ----------------------------------------------------------
 * A view needs SAMPLED, STORAGE, COLOR_ATTACHMENT or DEPTH_STENCIL_ATTACHMENT usage
 * (VUID-VkImageViewCreateInfo-image-04441), so a texture with only TRANSFER_SRC / TRANSFER_DST has
 * none: create, transfers, the image, query and report work; resolving the view is UNSUPPORTED. */
typedef struct report_text {
    char text[8192];
    size_t length;
} report_text;

static void report_append(const char *piece, size_t length, void *user) {
    report_text *t = user;
    if (t->length + length < sizeof t->text) {
        memcpy(t->text + t->length, piece, length);
        t->length += length;
        t->text[t->length] = 0;
    }
}

/* Write/read round trip, the image, query, report and the view answer of one texture. */
static void check_transfer_only(gpureg_registry *reg, gpureg_texture tex, uint32_t usage, uint32_t seed) {
    uint8_t px[8 * 8 * 4], back[8 * 8 * 4];
    fill(GPUREG_FORMAT_RGBA8_UNORM, px, sizeof px, seed);
    memset(back, 0xEE, sizeof back);
    gpureg_texture_region rg = {0};
    assert_int_equal(gpureg_texture_write(reg, tex, &rg, px, sizeof px, 0), GPUREG_OK);
    assert_int_equal(gpureg_texture_read(reg, tex, &rg, back, sizeof back), GPUREG_OK);
    assert_memory_equal(px, back, sizeof px);
    VkImage image = VK_NULL_HANDLE;
    uint64_t native = 0;
    assert_int_equal(gpureg_vk_texture_image(reg, tex, &image), GPUREG_OK);
    assert_int_equal(gpureg_texture_native(reg, tex, &native), GPUREG_OK);
    assert_true(image != VK_NULL_HANDLE && (uint64_t)(uintptr_t)image == native);
    VkImageView view = (VkImageView)(uintptr_t)0x1234;
    assert_int_equal(gpureg_vk_texture_view(reg, tex, &view), GPUREG_ERR_UNSUPPORTED);
    assert_true(view == VK_NULL_HANDLE);
    VkImageLayout layout;
    assert_int_equal(gpureg_vk_texture_layout(reg, tex, &layout), GPUREG_OK);
    assert_int_equal(layout, VK_IMAGE_LAYOUT_GENERAL); /* the resting layout of transfer-only usage */
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, tex.id, &info), GPUREG_OK);
    assert_int_equal(info.type, GPUREG_TYPE_TEXTURE);
    assert_int_equal(info.state, GPUREG_STATE_ALIVE);
    assert_int_equal(info.texture.usage, usage);
    assert_int_equal(info.native, native);
    report_text rt = {{0}, 0};
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_JSON, report_append, &rt), GPUREG_OK);
    char usage_field[32];
    snprintf(usage_field, sizeof usage_field, "\"usage\": %u}", usage);
    assert_non_null(strstr(rt.text, usage_field));
}

static void transfer_only_textures_have_no_view(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    const uint32_t usages[] = {GPUREG_TEXTURE_USAGE_TRANSFER_DST, GPUREG_TEXTURE_USAGE_TRANSFER_SRC,
                               GPUREG_TEXTURE_USAGE_TRANSFER_SRC | GPUREG_TEXTURE_USAGE_TRANSFER_DST};
    for (size_t i = 0; i < sizeof usages / sizeof usages[0]; i++) {
        gpureg_texture_desc td = {
            .width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM, .usage = usages[i], .label = "transfer only"};
        gpureg_texture tex;
        assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_OK);
        assert_int_equal(atomic_load(&vkf_validation_errors), 0); /* no view was attempted */
        check_transfer_only(reg, tex, usages[i], (uint32_t)i);
        assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
        assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK); /* destroyed without a view */
    }
    /* Every usage a view serves still gets one (where the device has the format for it). */
    const struct {
        uint32_t usage;
        gpureg_format format;
        VkImageUsageFlags vk;
    } viewed[] = {
        {GPUREG_TEXTURE_USAGE_SAMPLED, GPUREG_FORMAT_RGBA8_UNORM, VK_IMAGE_USAGE_SAMPLED_BIT},
        {GPUREG_TEXTURE_USAGE_STORAGE | GPUREG_TEXTURE_USAGE_TRANSFER_DST, GPUREG_FORMAT_RGBA8_UNORM,
         VK_IMAGE_USAGE_STORAGE_BIT},
        {GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT | GPUREG_TEXTURE_USAGE_TRANSFER_SRC, GPUREG_FORMAT_RGBA8_UNORM,
         VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT},
        {GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT, GPUREG_FORMAT_D32_FLOAT,
         VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT},
    };
    int tested = 0;
    for (size_t i = 0; i < sizeof viewed / sizeof viewed[0]; i++) {
        if (!device_supports(f, viewed[i].format,
                             viewed[i].vk | VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT))
            continue;
        gpureg_texture_desc td = {.width = 8, .height = 8, .format = viewed[i].format, .usage = viewed[i].usage};
        gpureg_texture tex;
        assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_OK);
        VkImageView view = VK_NULL_HANDLE;
        assert_int_equal(gpureg_vk_texture_view(reg, tex, &view), GPUREG_OK);
        assert_true(view != VK_NULL_HANDLE);
        assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
        tested++;
    }
    assert_true(tested >= 1); /* SAMPLED RGBA8 at least */
    vkf_destroy_registry(f, 0);
}

/* An app image with only transfer usage, its memory bound, no view. */
static VkImage app_transfer_image(vk_fixture *f, VkDeviceMemory *mem) {
    VkImageCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
                            .imageType = VK_IMAGE_TYPE_2D,
                            .format = VK_FORMAT_R8G8B8A8_UNORM,
                            .extent = {8, 8, 1},
                            .mipLevels = 1,
                            .arrayLayers = 1,
                            .samples = VK_SAMPLE_COUNT_1_BIT,
                            .tiling = VK_IMAGE_TILING_OPTIMAL,
                            .usage = VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT};
    VkImage image;
    assert_int_equal(vkCreateImage(f->device, &ci, NULL, &image), VK_SUCCESS);
    VkMemoryRequirements req;
    vkGetImageMemoryRequirements(f->device, image, &req);
    VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
                               .allocationSize = req.size,
                               .memoryTypeIndex = (uint32_t)__builtin_ctz(req.memoryTypeBits)};
    assert_int_equal(vkAllocateMemory(f->device, &ai, NULL, mem), VK_SUCCESS);
    assert_int_equal(vkBindImageMemory(f->device, image, *mem, 0), VK_SUCCESS);
    return image;
}

static void app_destroy_no_view(uint64_t native, void *user);

static void adopted_transfer_only_textures_have_no_view(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    const uint32_t usage = GPUREG_TEXTURE_USAGE_TRANSFER_SRC | GPUREG_TEXTURE_USAGE_TRANSFER_DST;
    gpureg_texture_desc td = {
        .width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM, .usage = usage, .label = "adopted transfer only"};
    /* gpureg destroys image and memory itself: no view to destroy. */
    VkDeviceMemory mem;
    VkImage image = app_transfer_image(f, &mem);
    gpureg_vk_adopt_desc ad = {.view = VK_NULL_HANDLE, .memory = mem, .layout = VK_IMAGE_LAYOUT_UNDEFINED};
    gpureg_texture tex;
    assert_int_equal(gpureg_vk_texture_adopt(reg, &td, image, &ad, &tex), GPUREG_OK);
    check_transfer_only(reg, tex, usage, 11);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, tex.id, &info), GPUREG_OK);
    assert_int_equal(info.adopted, 1);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    /* The app's destroy callback, handed no view. */
    destroyed_by_app d = {.f = f};
    image = app_transfer_image(f, &d.mem);
    ad = (gpureg_vk_adopt_desc){.destroy = app_destroy_no_view, .user = &d};
    assert_int_equal(gpureg_vk_texture_adopt(reg, &td, image, &ad, &tex), GPUREG_OK);
    check_transfer_only(reg, tex, usage, 12);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    vkf_destroy_registry(f, 0);
    assert_int_equal(d.calls, 1);
}

static void app_destroy_no_view(uint64_t native, void *user) {
    destroyed_by_app *d = user;
    assert_true(d->view == VK_NULL_HANDLE);
    vkDestroyImage(d->f->device, (VkImage)(uintptr_t)native, NULL);
    vkFreeMemory(d->f->device, d->mem, NULL);
    d->calls++;
}

/* ---- The layout calls are owner-thread calls --------------------------------------------------
 * The layout is owner-written state (every transfer and set_layout write it, plainly): reading
 * it from another thread would race those writes, so both calls answer WRONG_THREAD there. */
typedef struct layout_call {
    gpureg_registry *reg;
    gpureg_texture tex;
    gpureg_result get, set;
    VkImageLayout seen;
} layout_call;

static void *layout_from_another_thread(void *arg) {
    layout_call *c = arg;
    c->seen = VK_IMAGE_LAYOUT_GENERAL; /* must be overwritten with UNDEFINED */
    c->get = gpureg_vk_texture_layout(c->reg, c->tex, &c->seen);
    c->set = gpureg_vk_texture_set_layout(c->reg, c->tex, VK_IMAGE_LAYOUT_GENERAL);
    return NULL;
}

static void layout_calls_are_owner_thread_only(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture tex;
    gpureg_buffer buf;
    texture_and_buffer(reg, 64, &tex, &buf);
    uint8_t px[8 * 8 * 4];
    fill(GPUREG_FORMAT_RGBA8_UNORM, px, sizeof px, 2);
    gpureg_texture_region rg = {0};
    assert_int_equal(gpureg_texture_write(reg, tex, &rg, px, sizeof px, 0), GPUREG_OK);
    layout_call c = {.reg = reg, .tex = tex};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, layout_from_another_thread, &c), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(c.get, GPUREG_ERR_WRONG_THREAD);
    assert_int_equal(c.seen, VK_IMAGE_LAYOUT_UNDEFINED);
    assert_int_equal(c.set, GPUREG_ERR_WRONG_THREAD);
    /* The owner still reads it, unchanged by the refused set. */
    VkImageLayout layout;
    assert_int_equal(gpureg_vk_texture_layout(reg, tex, &layout), GPUREG_OK);
    assert_int_equal(layout, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    vkf_destroy_registry(f, 0);
}

/* Uploads recorded into the app's command buffer; staging lives until the frame's fence. */
static void uploads_into_the_app_command_buffer(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture tex;
    gpureg_buffer buf;
    texture_and_buffer(reg, 128, &tex, &buf);
    uint8_t px[8 * 8 * 4], back[8 * 8 * 4], bytes[128], bback[128];
    fill(GPUREG_FORMAT_RGBA8_UNORM, px, sizeof px, 3);
    fill(GPUREG_FORMAT_R8_UNORM, bytes, sizeof bytes, 4);
    VkCommandPool pool;
    VkCommandBuffer cmd = vkf_begin(f, &pool);
    assert_int_equal(gpureg_vk_set_command_buffer(reg, cmd), GPUREG_OK);
    gpureg_texture_region rg = {0};
    assert_int_equal(gpureg_texture_write(reg, tex, &rg, px, sizeof px, 0), GPUREG_ERR_FRAME_STATE);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_write(reg, tex, &rg, px, sizeof px, 0), GPUREG_OK);
    assert_int_equal(gpureg_buffer_write(reg, buf, 0, bytes, sizeof bytes), GPUREG_OK);
    assert_int_equal(gpureg_vk_set_command_buffer(reg, VK_NULL_HANDLE), GPUREG_OK);
    assert_int_equal(vkEndCommandBuffer(cmd), VK_SUCCESS);
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VkFence fence;
    assert_int_equal(vkCreateFence(f->device, &fi, NULL, &fence), VK_SUCCESS);
    VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
    assert_int_equal(vkQueueSubmit(f->queue, 1, &si, fence), VK_SUCCESS);
    assert_int_equal(gpureg_vk_frame_end_fence(reg, fence), GPUREG_OK);
    assert_int_equal(vkWaitForFences(f->device, 1, &fence, VK_TRUE, UINT64_MAX), VK_SUCCESS);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK); /* frees the staging */
    assert_int_equal(gpureg_texture_read(reg, tex, &rg, back, sizeof back), GPUREG_OK);
    assert_memory_equal(px, back, sizeof px);
    assert_int_equal(gpureg_buffer_read(reg, buf, 0, bback, sizeof bback), GPUREG_OK);
    assert_memory_equal(bytes, bback, sizeof bytes);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    vkf_destroy_registry(f, 0);
    vkDestroyFence(f->device, fence, NULL);
    vkDestroyCommandPool(f->device, pool, NULL);
}

/* ---- Stencil-only textures: VK_FORMAT_S8_UINT where the device has it ---------------------------- */
static void stencil_only_textures_follow_the_device(void **state) {
    vk_fixture *f = *state;
    VkFormatProperties fp;
    vkGetPhysicalDeviceFormatProperties(f->physical_device, VK_FORMAT_S8_UINT, &fp);
    const VkFormatFeatureFlags need =
        VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT | VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT;
    assert_true((fp.optimalTilingFeatures & need) == need); /* lavapipe has it: the path below runs */
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture_desc td = {.width = 8,
                              .height = 8,
                              .format = GPUREG_FORMAT_S8_UINT,
                              .usage = GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT,
                              .label = "stencil"};
    gpureg_texture tex;
    assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_OK);
    assert_int_equal(gpureg_format_texel_bytes(GPUREG_FORMAT_S8_UINT), 1);
    uint8_t in[64], out[64];
    fill(GPUREG_FORMAT_S8_UINT, in, sizeof in, 5);
    gpureg_texture_region rg = {0};
    assert_int_equal(gpureg_texture_write(reg, tex, &rg, in, sizeof in, 0), GPUREG_OK);
    memset(out, 0, sizeof out);
    assert_int_equal(gpureg_texture_read(reg, tex, &rg, out, sizeof out), GPUREG_OK);
    assert_memory_equal(in, out, sizeof in);
    VkImageView view = VK_NULL_HANDLE; /* a stencil-aspect view: a colour or depth one is a validation error */
    assert_int_equal(gpureg_vk_texture_view(reg, tex, &view), GPUREG_OK);
    assert_true(view != VK_NULL_HANDLE);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    vkf_destroy_registry(f, 0);
    /* A device without it (the wrapper hides its features): UNSUPPORTED, other formats unaffected. */
    vkf_injected.hide_format = VK_FORMAT_S8_UINT;
    reg = vkf_registry(f, NULL);
    tex.id = 1;
    assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(tex.id, 0);
    td.format = GPUREG_FORMAT_D24_UNORM_S8_UINT;
    assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    vkf_injected.hide_format = 0;
    vkf_destroy_registry(f, 0);
}

/* Bad input: distinct errors and no state change. */
static void bad_input_is_rejected_without_state_change(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture tex;
    gpureg_texture_desc ok = {.width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM};
    assert_int_equal(gpureg_texture_create(reg, &ok, &tex), GPUREG_OK);
    gpureg_stats before, after;
    gpureg_vk_memory_stats mb, ma;
    assert_int_equal(gpureg_get_stats(reg, &before), GPUREG_OK);
    assert_int_equal(gpureg_vk_get_memory_stats(reg, &mb), GPUREG_OK);

    /* A format/usage pair the device lacks (found by asking it, not assumed). */
    int found = 0;
    for (int fi = 1; fi < GPUREG_FORMAT_COUNT && !found; fi++) {
        gpureg_format fmt = (gpureg_format)fi;
        if (fmt == GPUREG_FORMAT_D24_UNORM_S8_UINT || fmt == GPUREG_FORMAT_D32_FLOAT || fmt == GPUREG_FORMAT_S8_UINT)
            continue;
        VkImageUsageFlags u =
            VK_IMAGE_USAGE_STORAGE_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
        if (device_supports(f, fmt, u)) continue;
        gpureg_texture_desc d = {.width = 8, .height = 8, .format = fmt, .usage = GPUREG_TEXTURE_USAGE_STORAGE};
        gpureg_texture t2 = {1};
        assert_int_equal(gpureg_texture_create(reg, &d, &t2), GPUREG_ERR_UNSUPPORTED);
        assert_int_equal(t2.id, 0);
        found = 1;
    }
    assert_true(found);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    gpureg_texture_desc zero = ok;
    zero.width = 0;
    assert_int_equal(gpureg_texture_create(reg, &zero, &tex), GPUREG_ERR_INVALID_SIZE);
    gpureg_texture_desc big = ok;
    big.width = f->props.limits.maxImageDimension2D + 1;
    assert_true(big.width <= GPUREG_MAX_TEXTURE_DIMENSION); /* so the device limit is what rejects it */
    assert_int_equal(gpureg_texture_create(reg, &big, &tex), GPUREG_ERR_INVALID_SIZE);
    assert_int_equal(gpureg_texture_create(reg, &ok, &tex), GPUREG_OK);
    uint8_t px[8 * 8 * 4] = {0};
    gpureg_texture_region outside = {.x = 6, .y = 0, .width = 4, .height = 1};
    assert_int_equal(gpureg_texture_write(reg, tex, &outside, px, sizeof px, 0), GPUREG_ERR_OUT_OF_BOUNDS);
    gpureg_texture_region rg = {0};
    assert_int_equal(gpureg_texture_write(reg, tex, &rg, NULL, sizeof px, 0), GPUREG_ERR_NULL_POINTER);
    VkImageLayout layout;
    assert_int_equal(gpureg_vk_texture_layout(reg, tex, &layout), GPUREG_OK);
    assert_int_equal(layout, VK_IMAGE_LAYOUT_UNDEFINED); /* no transfer ran */
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);

    assert_int_equal(gpureg_get_stats(reg, &after), GPUREG_OK);
    assert_int_equal(gpureg_vk_get_memory_stats(reg, &ma), GPUREG_OK);
    assert_int_equal(after.texture.created_total, before.texture.created_total + 1); /* only the good one */
    assert_int_equal(after.texture.live_count, before.texture.live_count - 1);
    assert_int_equal(ma.bytes, mb.bytes);
    /* A Vulkan call on a null registry, and NULL descs. */
    gpureg_registry *null_reg;
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF};
    assert_int_equal(gpureg_null_create(&rd, &null_reg), GPUREG_OK);
    VkImage image;
    assert_int_equal(gpureg_vk_texture_image(null_reg, tex, &image), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(gpureg_destroy(null_reg), 0);
    gpureg_vk_desc vd = vkf_desc(f);
    gpureg_registry *none = (gpureg_registry *)1;
    assert_int_equal(gpureg_vk_create(NULL, &rd, &none), GPUREG_ERR_NULL_POINTER);
    assert_null(none);
    vd.device = VK_NULL_HANDLE;
    assert_int_equal(gpureg_vk_create(&vd, &rd, &none), GPUREG_ERR_NULL_POINTER);
    vd = vkf_desc(f);
    vd.memory.allocate = app_allocate;
    assert_int_equal(gpureg_vk_create(&vd, &rd, &none), GPUREG_ERR_INVALID_ARGUMENT);
    vkf_destroy_registry(f, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_format_round_trips, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(buffers_round_trip_and_map, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(resolve_returns_vulkan_handles, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(small_textures_share_device_allocations, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(sub_allocations_never_overlap, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(steady_cycles_reuse_memory_and_records, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(placement_stays_first_fit, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(parked_ranges_count_as_free, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(external_allocator_provides_all_memory, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(adopted_objects_are_destroyed_after_their_fence, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(transfer_only_textures_have_no_view, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(adopted_transfer_only_textures_have_no_view, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(layout_calls_are_owner_thread_only, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(uploads_into_the_app_command_buffer, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(stencil_only_textures_follow_the_device, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(bad_input_is_rejected_without_state_change, vkf_setup, vkf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
