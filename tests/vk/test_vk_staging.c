/* test_vk_staging.c — the staging ring behind writes recorded into the app's command buffer
 * (src/vk/vk_staging_ring.c), on lavapipe with validation and synchronization validation:
 *   - 10,000 recorded texture writes over many frames make a handful of vkCreateBuffer /
 *     vkAllocateMemory calls in all and none in the steady state, and every sampled texture reads
 *     back what was last written to it;
 *   - a frame that needs more than a chunk grows the ring within the frame; a write larger than a
 *     chunk gets a chunk of its own, freed after its frame's fence and not before;
 *   - a chunk is reused only after the fence of the last frame that took from it: with the GPU held
 *     at the first frame, later frames grow the ring instead, and the first frame's data arrives;
 *   - free chunks idle for 256 frames are freed, the open one stays;
 *   - ranges are aligned for every format (the layer checks bufferOffset), and flushed by whole
 *     atoms where the memory is not coherent;
 *   - device loss and destroy with chunks in flight leak nothing (the layer reports leaked objects
 *     at vkDestroyDevice; ASan / LSan the host side).
 * Counts come from the fixture's function-table wrapper: what gpureg asked of the driver. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vk_fixture.h"

/* ---- The app's frames: command buffers and fences in slots, as a renderer paces them ---------- */
enum { SLOTS = 3 };

typedef struct frames {
    vk_fixture *f;
    gpureg_registry *reg;
    VkCommandPool pool;
    VkCommandBuffer cmd[SLOTS];
    VkFence fence[SLOTS];
    int submitted[SLOTS];
    uint64_t count; /* frames opened */
    int slot;       /* of the open frame */
} frames;

static void frames_init(frames *fr, vk_fixture *f, gpureg_registry *reg) {
    memset(fr, 0, sizeof *fr);
    fr->f = f;
    fr->reg = reg;
    VkCommandPoolCreateInfo pi = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                  .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
                                  .queueFamilyIndex = f->queue_family_index};
    assert_int_equal(vkCreateCommandPool(f->device, &pi, NULL, &fr->pool), VK_SUCCESS);
    VkCommandBufferAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                      .commandPool = fr->pool,
                                      .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                      .commandBufferCount = SLOTS};
    assert_int_equal(vkAllocateCommandBuffers(f->device, &ai, fr->cmd), VK_SUCCESS);
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    for (int i = 0; i < SLOTS; i++)
        assert_int_equal(vkCreateFence(f->device, &fi, NULL, &fr->fence[i]), VK_SUCCESS);
}

/* Wait for the frame that last used the slot, open a gpureg frame, begin recording into the slot's
 * command buffer and hand it to gpureg. */
static VkCommandBuffer frame_open(frames *fr) {
    vk_fixture *f = fr->f;
    int s = fr->slot = (int)(fr->count++ % SLOTS);
    if (fr->submitted[s])
        assert_int_equal(vkWaitForFences(f->device, 1, &fr->fence[s], VK_TRUE, UINT64_MAX), VK_SUCCESS);
    assert_int_equal(gpureg_frame_begin(fr->reg), GPUREG_OK); /* after the wait, before the reset */
    if (fr->submitted[s]) assert_int_equal(vkResetFences(f->device, 1, &fr->fence[s]), VK_SUCCESS);
    fr->submitted[s] = 0;
    assert_int_equal(vkResetCommandBuffer(fr->cmd[s], 0), VK_SUCCESS);
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    assert_int_equal(vkBeginCommandBuffer(fr->cmd[s], &bi), VK_SUCCESS);
    assert_int_equal(gpureg_vk_set_command_buffer(fr->reg, fr->cmd[s]), GPUREG_OK);
    return fr->cmd[s];
}

/* End recording; submit now (or leave it to the test: submit = 0) and end the frame with the
 * slot's fence. */
static void frame_close(frames *fr, int submit) {
    int s = fr->slot;
    assert_int_equal(gpureg_vk_set_command_buffer(fr->reg, VK_NULL_HANDLE), GPUREG_OK);
    assert_int_equal(vkEndCommandBuffer(fr->cmd[s]), VK_SUCCESS);
    if (submit) {
        VkSubmitInfo si = {
            .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &fr->cmd[s]};
        assert_int_equal(vkQueueSubmit(fr->f->queue, 1, &si, fr->fence[s]), VK_SUCCESS);
    }
    assert_int_equal(gpureg_vk_frame_end_fence(fr->reg, fr->fence[s]), GPUREG_OK);
    fr->submitted[s] = 1;
}

static void frames_idle(frames *fr) {
    assert_int_equal(vkQueueWaitIdle(fr->f->queue), VK_SUCCESS);
    assert_int_equal(gpureg_collect(fr->reg, NULL), GPUREG_OK);
}

static void frames_free(frames *fr) {
    for (int i = 0; i < SLOTS; i++)
        vkDestroyFence(fr->f->device, fr->fence[i], NULL);
    vkDestroyCommandPool(fr->f->device, fr->pool, NULL);
}

/* ---- Textures and their data ------------------------------------------------------------------- */
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
        uint32_t x = seed * 2654435761u + 1u;
        uint8_t *b = data;
        for (size_t i = 0; i < bytes; i++) {
            x = x * 1103515245u + 12345u;
            b[i] = (uint8_t)(x >> 16);
        }
    }
}

static gpureg_texture texture(gpureg_registry *reg, uint32_t w, uint32_t h, gpureg_format fmt) {
    gpureg_texture_desc td = {.width = w, .height = h, .format = fmt, .label = "staged"};
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    return t;
}

static void write_texture(gpureg_registry *reg, gpureg_texture t, uint32_t w, uint32_t h, gpureg_format fmt,
                          uint32_t seed) {
    size_t n = (size_t)w * h * gpureg_format_texel_bytes(fmt);
    void *px = malloc(n);
    fill(fmt, px, n, seed);
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_write(reg, t, &all, px, n, 0), GPUREG_OK);
    free(px);
}

/* Read back through gpureg (a submit on the registry's queue) and compare with `seed`'s data. */
static void expect_texture(gpureg_registry *reg, gpureg_texture t, uint32_t w, uint32_t h, gpureg_format fmt,
                           uint32_t seed) {
    size_t n = (size_t)w * h * gpureg_format_texel_bytes(fmt);
    uint8_t *want = malloc(n), *got = malloc(n);
    fill(fmt, want, n, seed);
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_read(reg, t, &all, got, n), GPUREG_OK);
    if (memcmp(want, got, n)) fail_msg("%s %ux%u: not the data of seed %u", gpureg_format_name(fmt), w, h, seed);
    free(want);
    free(got);
}

typedef struct counts {
    uint64_t create_buffer, allocate_memory, destroy_buffer;
} counts;

static counts counts_now(void) {
    return (counts){vkf_injected.create_buffer_calls, vkf_injected.allocate_memory_calls,
                    vkf_injected.destroy_calls[VK_OBJECT_TYPE_BUFFER]};
}

/* ---- Steady state ------------------------------------------------------------------------------ */
enum { RING_TEXTURES = 128, RING_SIZE = 32, PER_FRAME = 64, RING_FRAMES = 160 }; /* 10,240 writes */

static void ten_thousand_recorded_writes_reuse_a_handful_of_chunks(void **state) {
    vk_fixture *f = *state;
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF, .frames_in_flight = SLOTS};
    gpureg_registry *reg = vkf_registry(f, &rd);
    frames fr;
    frames_init(&fr, f, reg);
    gpureg_texture tex[RING_TEXTURES];
    uint32_t last[RING_TEXTURES];
    for (int i = 0; i < RING_TEXTURES; i++)
        tex[i] = texture(reg, RING_SIZE, RING_SIZE, GPUREG_FORMAT_RGBA8_UNORM);
    counts start = counts_now(), half = start;
    uint32_t writes = 0, checked = 0;
    for (int frame = 0; frame < RING_FRAMES; frame++) {
        if (frame == RING_FRAMES / 2) half = counts_now();
        frame_open(&fr);
        for (int k = 0; k < PER_FRAME; k++, writes++) {
            int i = (int)(writes % RING_TEXTURES);
            write_texture(reg, tex[i], RING_SIZE, RING_SIZE, GPUREG_FORMAT_RGBA8_UNORM, writes);
            last[i] = writes;
        }
        frame_close(&fr, 1);
        /* In the second half each frame finishes before the next opens, so the ring's size,
         * grown in the first half with up to SLOTS frames in flight, must hold every frame: how
         * far it grows while frames are in flight depends on how far the GPU lags (a loaded
         * machine), not on the ring. */
        if (frame >= RING_FRAMES / 2) frames_idle(&fr);
        if (frame % 16 == 15) { /* a sample, once the GPU has everything: 8 textures */
            frames_idle(&fr);
            for (int s = 0; s < 8; s++, checked++) {
                int i = (s * 16 + frame / 16) % RING_TEXTURES;
                expect_texture(reg, tex[i], RING_SIZE, RING_SIZE, GPUREG_FORMAT_RGBA8_UNORM, last[i]);
            }
        }
    }
    counts end = counts_now();
    print_message("%u recorded writes: %llu vkCreateBuffer, %llu vkAllocateMemory (the readbacks' scratch "
                  "included); %u textures checked\n",
                  writes, (unsigned long long)(end.create_buffer - start.create_buffer),
                  (unsigned long long)(end.allocate_memory - start.allocate_memory), checked);
    assert_true(writes >= 10000);
    assert_true(end.create_buffer - start.create_buffer <= 4);
    assert_true(end.allocate_memory - start.allocate_memory <= 2);
    assert_int_equal(end.create_buffer, half.create_buffer); /* none in the steady state */
    assert_int_equal(end.allocate_memory, half.allocate_memory);
    assert_int_equal(end.destroy_buffer, half.destroy_buffer);
    frames_idle(&fr);
    for (int i = 0; i < RING_TEXTURES; i++) {
        expect_texture(reg, tex[i], RING_SIZE, RING_SIZE, GPUREG_FORMAT_RGBA8_UNORM, last[i]);
        assert_int_equal(gpureg_texture_release(reg, tex[i]), GPUREG_OK);
    }
    vkf_destroy_registry(f, 0);
    frames_free(&fr);
}

/* ---- Growth ------------------------------------------------------------------------------------ */
enum { BIG_FRAME = 96, BIG_SIZE = 64 }; /* 96 x 16 KiB: more than the first 1 MiB chunk */

static void a_frame_larger_than_a_chunk_grows_the_ring_within_the_frame(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    frames fr;
    frames_init(&fr, f, reg);
    gpureg_texture tex[BIG_FRAME];
    for (int i = 0; i < BIG_FRAME; i++)
        tex[i] = texture(reg, BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM);
    counts before = counts_now();
    frame_open(&fr);
    for (int i = 0; i < BIG_FRAME; i++)
        write_texture(reg, tex[i], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM, (uint32_t)i);
    counts grown = counts_now();
    assert_int_equal(grown.create_buffer - before.create_buffer, 2); /* the first chunk, then one twice its size */
    frame_close(&fr, 1);
    frames_idle(&fr);
    for (int i = 0; i < BIG_FRAME; i++)
        expect_texture(reg, tex[i], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM, (uint32_t)i);
    /* The same frame again, ten times, each finished before the next: the grown ring holds it.
     * (With frames left in flight the ring may rightly grow further while the GPU lags, as it
     * does on a loaded machine: how far depends on the GPU's pace, not on the ring.) */
    counts steady = counts_now();
    for (int frame = 1; frame <= 10; frame++) {
        frame_open(&fr);
        for (int i = 0; i < BIG_FRAME; i++)
            write_texture(reg, tex[i], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM, (uint32_t)(frame * 1000 + i));
        frame_close(&fr, 1);
        frames_idle(&fr);
    }
    frames_idle(&fr);
    counts end = counts_now();
    assert_int_equal(end.create_buffer, steady.create_buffer);
    assert_int_equal(end.allocate_memory, steady.allocate_memory);
    for (int i = 0; i < BIG_FRAME; i++) {
        expect_texture(reg, tex[i], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM, (uint32_t)(10 * 1000 + i));
        assert_int_equal(gpureg_texture_release(reg, tex[i]), GPUREG_OK);
    }
    vkf_destroy_registry(f, 0);
    frames_free(&fr);
}

/* 4096 x 2112 RGBA8 is 33 MiB: more than the largest chunk (32 MiB). */
enum { HUGE_W = 4096, HUGE_H = 2112 };

static void expect_rows(gpureg_registry *reg, gpureg_texture t, const uint8_t *want, uint32_t y, uint32_t rows) {
    size_t row = (size_t)HUGE_W * 4u, n = row * rows;
    uint8_t *got = malloc(n);
    gpureg_texture_region rg = {.y = y, .height = rows};
    assert_int_equal(gpureg_texture_read(reg, t, &rg, got, n), GPUREG_OK);
    assert_memory_equal(got, want + (size_t)y * row, n);
    free(got);
}

static void a_write_larger_than_a_chunk_gets_its_own_until_its_fence(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    frames fr;
    frames_init(&fr, f, reg);
    gpureg_texture t = texture(reg, HUGE_W, HUGE_H, GPUREG_FORMAT_RGBA8_UNORM);
    size_t n = (size_t)HUGE_W * HUGE_H * 4u;
    uint8_t *px = malloc(n);
    fill(GPUREG_FORMAT_RGBA8_UNORM, px, n, 77);
    gpureg_stats st0;
    assert_int_equal(gpureg_get_stats(reg, &st0), GPUREG_OK);
    counts before = counts_now();
    frame_open(&fr);
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_write(reg, t, &all, px, n, 0), GPUREG_OK);
    frame_close(&fr, 0); /* the fence is the frame's, not submitted yet */
    counts made = counts_now();
    assert_int_equal(made.create_buffer - before.create_buffer, 1);     /* its own chunk, no regular one */
    assert_int_equal(made.allocate_memory - before.allocate_memory, 1); /* larger than half a block */
    gpureg_stats st1;
    assert_int_equal(gpureg_get_stats(reg, &st1), GPUREG_OK);
    assert_true(st1.device_bytes >= st0.device_bytes + n);
    for (int i = 0; i < 3; i++) /* held until the fence */
        assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_int_equal(counts_now().destroy_buffer, before.destroy_buffer);
    VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &fr.cmd[0]};
    assert_int_equal(vkQueueSubmit(f->queue, 1, &si, fr.fence[0]), VK_SUCCESS);
    assert_int_equal(vkWaitForFences(f->device, 1, &fr.fence[0], VK_TRUE, UINT64_MAX), VK_SUCCESS);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_int_equal(counts_now().destroy_buffer, before.destroy_buffer + 1); /* freed at the first poll after it */
    gpureg_stats st2;
    assert_int_equal(gpureg_get_stats(reg, &st2), GPUREG_OK);
    assert_int_equal(st2.device_bytes, st0.device_bytes);
    expect_rows(reg, t, px, 0, 4);
    expect_rows(reg, t, px, HUGE_H / 2 - 2, 4);
    expect_rows(reg, t, px, HUGE_H - 4, 4);
    free(px);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    vkf_destroy_registry(f, 0);
    frames_free(&fr);
}

/* ---- Recycling only after the fence ------------------------------------------------------------ */
enum { HELD_FRAMES = 8, HELD_PER_FRAME = 40 }; /* 640 KiB a frame: the first chunk holds one frame */

static void staging_is_reused_only_after_its_frame_fence(void **state) {
    vk_fixture *f = *state;
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF, .frames_in_flight = HELD_FRAMES};
    gpureg_registry *reg = vkf_registry(f, &rd);
    gpureg_texture tex[HELD_FRAMES][HELD_PER_FRAME];
    for (int fi = 0; fi < HELD_FRAMES; fi++)
        for (int i = 0; i < HELD_PER_FRAME; i++)
            tex[fi][i] = texture(reg, BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM);
    /* One command buffer and fence per frame; the first waits for an event the host sets later, so
     * no frame can finish (a fence covers every earlier submission on the queue). */
    VkCommandPool pool;
    VkCommandBuffer cmd[HELD_FRAMES];
    VkFence fence[HELD_FRAMES];
    VkCommandPoolCreateInfo pi = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                  .queueFamilyIndex = f->queue_family_index};
    assert_int_equal(vkCreateCommandPool(f->device, &pi, NULL, &pool), VK_SUCCESS);
    VkCommandBufferAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                      .commandPool = pool,
                                      .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                      .commandBufferCount = HELD_FRAMES};
    assert_int_equal(vkAllocateCommandBuffers(f->device, &ai, cmd), VK_SUCCESS);
    VkEventCreateInfo ei = {.sType = VK_STRUCTURE_TYPE_EVENT_CREATE_INFO};
    VkEvent ev;
    assert_int_equal(vkCreateEvent(f->device, &ei, NULL, &ev), VK_SUCCESS);
    counts before = counts_now();
    for (int fi = 0; fi < HELD_FRAMES; fi++) {
        VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
        assert_int_equal(vkCreateFence(f->device, &fci, NULL, &fence[fi]), VK_SUCCESS);
        assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
        VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
        assert_int_equal(vkBeginCommandBuffer(cmd[fi], &bi), VK_SUCCESS);
        if (fi == 0)
            vkCmdWaitEvents(cmd[fi], 1, &ev, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, NULL, 0,
                            NULL, 0, NULL);
        assert_int_equal(gpureg_vk_set_command_buffer(reg, cmd[fi]), GPUREG_OK);
        for (int i = 0; i < HELD_PER_FRAME; i++)
            write_texture(reg, tex[fi][i], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM, (uint32_t)(fi * 100 + i));
        assert_int_equal(gpureg_vk_set_command_buffer(reg, VK_NULL_HANDLE), GPUREG_OK);
        assert_int_equal(vkEndCommandBuffer(cmd[fi]), VK_SUCCESS);
        VkSubmitInfo si = {
            .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd[fi]};
        assert_int_equal(vkQueueSubmit(f->queue, 1, &si, fence[fi]), VK_SUCCESS);
        assert_int_equal(gpureg_vk_frame_end_fence(reg, fence[fi]), GPUREG_OK);
    }
    assert_int_equal(vkGetFenceStatus(f->device, fence[HELD_FRAMES - 1]), VK_NOT_READY); /* still held */
    counts held = counts_now();
    /* Nothing could be recycled: 8 frames of 640 KiB took new chunks (1 + 2 + 4 MiB). */
    assert_true(held.create_buffer - before.create_buffer >= 3);
    assert_int_equal(held.destroy_buffer, before.destroy_buffer);
    assert_int_equal(vkSetEvent(f->device, ev), VK_SUCCESS);
    assert_int_equal(vkQueueWaitIdle(f->queue), VK_SUCCESS);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    /* Every frame's data arrived: the first frame's staging was not overwritten while it waited. */
    for (int fi = 0; fi < HELD_FRAMES; fi++)
        for (int i = 0; i < HELD_PER_FRAME; i++)
            expect_texture(reg, tex[fi][i], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM, (uint32_t)(fi * 100 + i));
    /* Once the fences are seen signalled, the same load runs in the chunks there are. */
    frames fr;
    frames_init(&fr, f, reg);
    counts after = counts_now();
    for (int round = 0; round < 3; round++)
        for (int fi = 0; fi < HELD_FRAMES; fi++) {
            frame_open(&fr);
            for (int i = 0; i < HELD_PER_FRAME; i++)
                write_texture(reg, tex[fi][i], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM,
                              (uint32_t)(round * 1000 + fi * 100 + i));
            frame_close(&fr, 1);
        }
    frames_idle(&fr);
    assert_int_equal(counts_now().create_buffer, after.create_buffer);
    for (int fi = 0; fi < HELD_FRAMES; fi++)
        for (int i = 0; i < HELD_PER_FRAME; i++) {
            expect_texture(reg, tex[fi][i], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM,
                           (uint32_t)(2 * 1000 + fi * 100 + i));
            assert_int_equal(gpureg_texture_release(reg, tex[fi][i]), GPUREG_OK);
        }
    vkf_destroy_registry(f, 0);
    frames_free(&fr);
    for (int fi = 0; fi < HELD_FRAMES; fi++)
        vkDestroyFence(f->device, fence[fi], NULL);
    vkDestroyEvent(f->device, ev, NULL);
    vkDestroyCommandPool(f->device, pool, NULL);
}

/* ---- Trimming ---------------------------------------------------------------------------------- */
static void idle_chunks_are_freed_after_256_frames_but_the_open_one_stays(void **state) {
    vk_fixture *f = *state;
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF, .frames_in_flight = HELD_FRAMES};
    gpureg_registry *reg = vkf_registry(f, &rd);
    frames fr;
    frames_init(&fr, f, reg);
    gpureg_texture tex[BIG_FRAME];
    for (int i = 0; i < BIG_FRAME; i++)
        tex[i] = texture(reg, BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM);
    counts before = counts_now();
    frame_open(&fr); /* a burst: 1.5 MiB in one frame, two chunks */
    for (int i = 0; i < BIG_FRAME; i++)
        write_texture(reg, tex[i], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM, (uint32_t)i);
    frame_close(&fr, 1);
    frames_idle(&fr);
    uint64_t made = counts_now().create_buffer - before.create_buffer;
    assert_true(made >= 2);
    for (int i = 0; i < 200; i++) { /* idle frames: nothing trimmed yet */
        assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
        assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    }
    assert_int_equal(counts_now().destroy_buffer, before.destroy_buffer);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
        assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    }
    assert_int_equal(counts_now().destroy_buffer, before.destroy_buffer + made - 1);
    counts trimmed = counts_now();
    frame_open(&fr); /* a small frame fits the chunk that stayed */
    write_texture(reg, tex[0], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM, 5);
    frame_close(&fr, 1);
    frames_idle(&fr);
    assert_int_equal(counts_now().create_buffer, trimmed.create_buffer);
    expect_texture(reg, tex[0], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM, 5);
    for (int i = 0; i < BIG_FRAME; i++)
        assert_int_equal(gpureg_texture_release(reg, tex[i]), GPUREG_OK);
    vkf_destroy_registry(f, 0);
    frames_free(&fr);
}

/* ---- Alignment and coherence ------------------------------------------------------------------- */
typedef struct shape {
    gpureg_format format;
    uint32_t w, h;
} shape;

/* Odd sizes, so that each range ends at an odd offset and the next one must be aligned. */
static const shape shapes[] = {
    {GPUREG_FORMAT_R8_UNORM, 13, 7},         {GPUREG_FORMAT_RGBA32_FLOAT, 3, 3}, {GPUREG_FORMAT_RG8_UNORM, 5, 3},
    {GPUREG_FORMAT_D24_UNORM_S8_UINT, 9, 9}, {GPUREG_FORMAT_R8_UNORM, 1, 1},     {GPUREG_FORMAT_RGBA16_FLOAT, 7, 5},
    {GPUREG_FORMAT_S8_UINT, 11, 5},          {GPUREG_FORMAT_D32_FLOAT, 6, 6},    {GPUREG_FORMAT_RGBA8_UNORM, 3, 1},
};
#define SHAPES (sizeof shapes / sizeof shapes[0])

static void every_format_takes_an_aligned_range(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    frames fr;
    frames_init(&fr, f, reg);
    gpureg_texture tex[SHAPES];
    gpureg_buffer buf;
    gpureg_buffer_desc bd = {.size = 256, .label = "staged"};
    assert_int_equal(gpureg_buffer_create(reg, &bd, &buf), GPUREG_OK);
    for (size_t i = 0; i < SHAPES; i++)
        tex[i] = texture(reg, shapes[i].w, shapes[i].h, shapes[i].format);
    uint8_t bytes[37];
    for (uint32_t round = 0; round < 3; round++) {
        frame_open(&fr);
        for (size_t i = 0; i < SHAPES; i++) {
            write_texture(reg, tex[i], shapes[i].w, shapes[i].h, shapes[i].format, round * 10 + (uint32_t)i);
            fill(GPUREG_FORMAT_R8_UNORM, bytes, sizeof bytes, round * 10 + (uint32_t)i);
            assert_int_equal(gpureg_buffer_write(reg, buf, 3 + i, bytes, sizeof bytes), GPUREG_OK);
        }
        frame_close(&fr, 1);
    }
    frames_idle(&fr);
    for (size_t i = 0; i < SHAPES; i++)
        expect_texture(reg, tex[i], shapes[i].w, shapes[i].h, shapes[i].format, 20 + (uint32_t)i);
    /* Each buffer write overlapped the previous one by all but a byte: the last wins. */
    uint8_t want[3 + SHAPES - 1 + sizeof bytes], got[sizeof want];
    for (size_t i = 0; i < SHAPES; i++) {
        fill(GPUREG_FORMAT_R8_UNORM, bytes, sizeof bytes, 20 + (uint32_t)i);
        memcpy(want + 3 + i, bytes, sizeof bytes);
    }
    assert_int_equal(gpureg_buffer_read(reg, buf, 3, got + 3, sizeof got - 3), GPUREG_OK);
    assert_memory_equal(got + 3, want + 3, sizeof got - 3);
    for (size_t i = 0; i < SHAPES; i++)
        assert_int_equal(gpureg_texture_release(reg, tex[i]), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    vkf_destroy_registry(f, 0);
    frames_free(&fr);
}

/* The test's own readback of a colour image in SHADER_READ_ONLY_OPTIMAL (the registry's path needs
 * coherent memory, which this device is made to lack). */
static void read_by_hand(vk_fixture *f, VkImage image, uint32_t w, uint32_t h, size_t texel, void *out) {
    VkDeviceSize n = (VkDeviceSize)w * h * texel;
    VkBufferCreateInfo bi = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, .size = n, .usage = VK_BUFFER_USAGE_TRANSFER_DST_BIT};
    VkBuffer buf;
    assert_int_equal(vkCreateBuffer(f->device, &bi, NULL, &buf), VK_SUCCESS);
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(f->device, buf, &req);
    VkPhysicalDeviceMemoryProperties mp;
    vkGetPhysicalDeviceMemoryProperties(f->physical_device, &mp);
    uint32_t type = 0;
    const VkMemoryPropertyFlags want = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    while (!((req.memoryTypeBits >> type) & 1u) || (mp.memoryTypes[type].propertyFlags & want) != want)
        type++;
    VkMemoryAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = req.size, .memoryTypeIndex = type};
    VkDeviceMemory mem;
    assert_int_equal(vkAllocateMemory(f->device, &ai, NULL, &mem), VK_SUCCESS);
    assert_int_equal(vkBindBufferMemory(f->device, buf, mem, 0), VK_SUCCESS);
    VkCommandPool pool;
    VkCommandBuffer cmd = vkf_begin(f, &pool);
    VkImageMemoryBarrier b = {.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
                              .srcAccessMask = VK_ACCESS_SHADER_READ_BIT,
                              .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT,
                              .oldLayout = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                              .newLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                              .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                              .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                              .image = image,
                              .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0, NULL,
                         1, &b);
    VkBufferImageCopy copy = {.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1}, .imageExtent = {w, h, 1}};
    vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, buf, 1, &copy);
    b.srcAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
    b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT;
    b.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
    b.newLayout = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0, NULL, 0, NULL,
                         1, &b);
    VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
                          .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
                          .dstAccessMask = VK_ACCESS_HOST_READ_BIT};
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0, NULL, 0, NULL);
    vkf_submit_wait(f, pool, cmd);
    void *mapped;
    assert_int_equal(vkMapMemory(f->device, mem, 0, VK_WHOLE_SIZE, 0, &mapped), VK_SUCCESS);
    memcpy(out, mapped, (size_t)n);
    vkUnmapMemory(f->device, mem);
    vkDestroyBuffer(f->device, buf, NULL);
    vkFreeMemory(f->device, mem, NULL);
}

static void non_coherent_staging_is_flushed_by_whole_atoms(void **state) {
    vk_fixture *f = *state;
    vkf_injected.hide_coherent = 1; /* what gpureg is told: host-visible memory, none of it coherent */
    gpureg_registry *reg = vkf_registry(f, NULL);
    frames fr;
    frames_init(&fr, f, reg);
    static const shape colour[] = {{GPUREG_FORMAT_R8_UNORM, 13, 7},
                                   {GPUREG_FORMAT_RGBA8_UNORM, 5, 3},
                                   {GPUREG_FORMAT_RG8_UNORM, 3, 11},
                                   {GPUREG_FORMAT_RGBA8_UNORM, 64, 64}};
    enum { N = sizeof colour / sizeof colour[0] };
    gpureg_texture tex[N];
    for (int i = 0; i < N; i++)
        tex[i] = texture(reg, colour[i].w, colour[i].h, colour[i].format);
    uint64_t flushed = vkf_injected.flush_ranges;
    for (uint32_t round = 0; round < 2; round++) {
        frame_open(&fr);
        for (int i = 0; i < N; i++)
            write_texture(reg, tex[i], colour[i].w, colour[i].h, colour[i].format, round * 10 + (uint32_t)i);
        frame_close(&fr, 1);
    }
    frames_idle(&fr);
    assert_int_equal(vkf_injected.flush_ranges - flushed, 2 * N); /* one per write */
    assert_int_equal(vkf_injected.flush_misaligned, 0);
    for (int i = 0; i < N; i++) {
        size_t texel = gpureg_format_texel_bytes(colour[i].format), n = (size_t)colour[i].w * colour[i].h * texel;
        uint8_t *want = malloc(n), *got = malloc(n);
        fill(colour[i].format, want, n, 10 + (uint32_t)i);
        VkImage image;
        assert_int_equal(gpureg_vk_texture_image(reg, tex[i], &image), GPUREG_OK);
        read_by_hand(f, image, colour[i].w, colour[i].h, texel, got);
        assert_memory_equal(want, got, n);
        free(want);
        free(got);
        assert_int_equal(gpureg_texture_release(reg, tex[i]), GPUREG_OK);
    }
    vkf_destroy_registry(f, 0);
    frames_free(&fr);
}

static void coherent_staging_is_never_flushed(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    frames fr;
    frames_init(&fr, f, reg);
    gpureg_texture t = texture(reg, 16, 16, GPUREG_FORMAT_RGBA8_UNORM);
    frame_open(&fr);
    write_texture(reg, t, 16, 16, GPUREG_FORMAT_RGBA8_UNORM, 1);
    frame_close(&fr, 1);
    frames_idle(&fr);
    assert_int_equal(vkf_injected.flush_ranges, 0);
    expect_texture(reg, t, 16, 16, GPUREG_FORMAT_RGBA8_UNORM, 1);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    vkf_destroy_registry(f, 0);
    frames_free(&fr);
}

/* ---- Device loss and destroy ------------------------------------------------------------------- */
/* Frames whose chunks are in every state: a retired chunk, the open one and a dedicated one. */
static void stage_in_every_state(frames *fr, gpureg_texture *tex, gpureg_texture *huge) {
    frame_open(fr);
    for (int i = 0; i < BIG_FRAME; i++)
        write_texture(fr->reg, tex[i], BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM, (uint32_t)i);
    frame_close(fr, 1);
    frame_open(fr);
    write_texture(fr->reg, *huge, HUGE_W, HUGE_H, GPUREG_FORMAT_RGBA8_UNORM, 3);
    frame_close(fr, 1);
}

static void device_loss_with_chunks_in_flight_leaks_nothing(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    frames fr;
    frames_init(&fr, f, reg);
    gpureg_texture tex[BIG_FRAME], huge = texture(reg, HUGE_W, HUGE_H, GPUREG_FORMAT_RGBA8_UNORM);
    for (int i = 0; i < BIG_FRAME; i++)
        tex[i] = texture(reg, BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM);
    counts before = counts_now();
    stage_in_every_state(&fr, tex, &huge);
    assert_true(counts_now().create_buffer - before.create_buffer >= 3);
    for (int i = 0; i < BIG_FRAME; i++)
        assert_int_equal(gpureg_texture_release(reg, tex[i]), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, huge), GPUREG_OK);
    assert_int_equal(vkDeviceWaitIdle(f->device), VK_SUCCESS); /* the real GPU is done: destroying is valid */
    vkf_injected.get_fence_status = VK_ERROR_DEVICE_LOST;
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_ERR_DEVICE_LOST);
    vkf_injected.get_fence_status = VK_SUCCESS;
    vkf_destroy_registry(f, 0);
    counts end = counts_now();
    assert_int_equal(end.destroy_buffer - before.destroy_buffer, end.create_buffer - before.create_buffer);
    frames_free(&fr);
}

static void destroy_with_frames_in_flight_frees_every_chunk(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    frames fr;
    frames_init(&fr, f, reg);
    gpureg_texture tex[BIG_FRAME], huge = texture(reg, HUGE_W, HUGE_H, GPUREG_FORMAT_RGBA8_UNORM);
    for (int i = 0; i < BIG_FRAME; i++)
        tex[i] = texture(reg, BIG_SIZE, BIG_SIZE, GPUREG_FORMAT_RGBA8_UNORM);
    counts before = counts_now();
    stage_in_every_state(&fr, tex, &huge);
    for (int i = 0; i < BIG_FRAME; i++)
        assert_int_equal(gpureg_texture_release(reg, tex[i]), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, huge), GPUREG_OK);
    vkf_destroy_registry(f, 0); /* waits for the frames, then frees every chunk */
    counts end = counts_now();
    assert_true(end.create_buffer - before.create_buffer >= 3);
    assert_int_equal(end.destroy_buffer - before.destroy_buffer, end.create_buffer - before.create_buffer);
    frames_free(&fr);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(ten_thousand_recorded_writes_reuse_a_handful_of_chunks, vkf_setup,
                                        vkf_teardown),
        cmocka_unit_test_setup_teardown(a_frame_larger_than_a_chunk_grows_the_ring_within_the_frame, vkf_setup,
                                        vkf_teardown),
        cmocka_unit_test_setup_teardown(a_write_larger_than_a_chunk_gets_its_own_until_its_fence, vkf_setup,
                                        vkf_teardown),
        cmocka_unit_test_setup_teardown(staging_is_reused_only_after_its_frame_fence, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(idle_chunks_are_freed_after_256_frames_but_the_open_one_stays, vkf_setup,
                                        vkf_teardown),
        cmocka_unit_test_setup_teardown(every_format_takes_an_aligned_range, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(non_coherent_staging_is_flushed_by_whole_atoms, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(coherent_staging_is_never_flushed, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(device_loss_with_chunks_in_flight_leaks_nothing, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(destroy_with_frames_in_flight_frees_every_chunk, vkf_setup, vkf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
