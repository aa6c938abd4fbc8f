/* test_vk_frames.c — deferred destruction against real fences on lavapipe:
 *   - churn: thousands of frames whose command buffers copy from textures and buffers while the
 *     app releases them at random points, also from another thread; zero validation errors
 *     (VUID-vkDestroyImage-image-01000 / VUID-vkDestroyBuffer-buffer-00922 would fire on an early
 *     destroy) and every object destroyed exactly at the first collection after its fence;
 *   - the three fence kinds (registry pool, app fence, timeline semaphore) holding objects back
 *     exactly until they signal. */
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vk_fixture.h"

static uint64_t destroyed_total(gpureg_registry *reg) {
    gpureg_stats st;
    assert_int_equal(gpureg_get_stats(reg, &st), GPUREG_OK);
    return st.texture.destroyed_total + st.buffer.destroyed_total;
}

/* ---- Churn ------------------------------------------------------------------------------------- */
enum { FRAMES = 3000, APP_FRAMES = 3, LIVE_TEXTURES = 24, LIVE_BUFFERS = 12, COPIES = 4 };

typedef struct churn {
    vk_fixture *f;
    gpureg_registry *reg;
    unsigned seed;
    gpureg_texture tex[LIVE_TEXTURES];
    gpureg_buffer buf[LIVE_BUFFERS];
    VkBuffer scratch;
    VkDeviceMemory scratch_mem;
    VkCommandPool pool;
    VkCommandBuffer cmd[APP_FRAMES];
    VkFence fence[APP_FRAMES];
    uint64_t fence_serial[APP_FRAMES]; /* frame submitted with it; 0 = none pending */
    uint64_t known_done;               /* highest frame seen finished by the test */
    /* Model: released objects in release order with the frame they were released in. */
    uint64_t *pending;
    size_t pending_head, pending_count, pending_cap;
    uint64_t destroyed_seen;
    uint64_t checks_exact; /* collections where the fence state did not move during the call */
    /* The releasing thread. */
    pthread_t worker;
    sem_t work, done;
    gpureg_handle batch[8];
    size_t batch_count;
    int stop;
} churn;

static unsigned next_rand(churn *c) {
    c->seed = c->seed * 1103515245u + 12345u;
    return c->seed >> 8;
}

/* Highest frame whose fence the test has seen signalled (fences signal cumulatively). */
static uint64_t finished_now(churn *c) {
    for (int i = 0; i < APP_FRAMES; i++)
        if (c->fence_serial[i] > c->known_done && vkGetFenceStatus(c->f->device, c->fence[i]) == VK_SUCCESS)
            c->known_done = c->fence_serial[i];
    return c->known_done;
}

static void model_released(churn *c, uint64_t frame) {
    if (c->pending_count == c->pending_cap) {
        size_t cap = c->pending_cap ? c->pending_cap * 2 : 256;
        uint64_t *n = malloc(cap * sizeof *n);
        for (size_t i = 0; i < c->pending_count; i++)
            n[i] = c->pending[(c->pending_head + i) % c->pending_cap];
        free(c->pending);
        c->pending = n;
        c->pending_head = 0;
        c->pending_cap = cap;
    }
    c->pending[(c->pending_head + c->pending_count++) % c->pending_cap] = frame;
}

static uint64_t model_tag(const churn *c, size_t i) { return c->pending[(c->pending_head + i) % c->pending_cap]; }

static size_t model_count_upto(const churn *c, uint64_t frame) {
    size_t n = 0;
    while (n < c->pending_count && model_tag(c, n) <= frame)
        n++;
    return n;
}

/* After a call that collects: what it destroyed is exactly the released objects of every frame
 * whose fence had signalled when it polled — at least those signalled before the call, at most
 * those signalled after it, and never part of a frame. */
static void check_collection(churn *c, uint64_t done_before, uint64_t destroyed_before) {
    uint64_t done_after = finished_now(c);
    uint64_t d = destroyed_total(c->reg) - destroyed_before;
    size_t lo = model_count_upto(c, done_before), hi = model_count_upto(c, done_after);
    if (d < lo || d > hi) {
        gpureg_stats st;
        gpureg_get_stats(c->reg, &st);
        fail_msg(
            "collection destroyed %llu objects; frames <= %llu (%zu objects) had finished before it and "
            "frames <= %llu (%zu) after; gpureg saw frame %llu complete (frame %llu), pending %llu+%llu, model %zu",
            (unsigned long long)d, (unsigned long long)done_before, lo, (unsigned long long)done_after, hi,
            (unsigned long long)st.completed_serial, (unsigned long long)st.frame_serial,
            (unsigned long long)st.texture.pending_count, (unsigned long long)st.buffer.pending_count,
            c->pending_count);
    }
    if (d > 0 && d < c->pending_count) assert_true(model_tag(c, (size_t)d - 1) < model_tag(c, (size_t)d));
    if (done_before == done_after) c->checks_exact++;
    c->pending_head = (c->pending_head + (size_t)d) % (c->pending_cap ? c->pending_cap : 1);
    c->pending_count -= (size_t)d;
    c->destroyed_seen += d;
}

#define COLLECTING(c, call)                                                                                            \
    do {                                                                                                               \
        uint64_t done_before_ = finished_now(c), destroyed_before_ = destroyed_total((c)->reg);                        \
        assert_int_equal((call), GPUREG_OK);                                                                           \
        check_collection((c), done_before_, destroyed_before_);                                                        \
    } while (0)

static void new_texture(churn *c, int i) {
    gpureg_texture_desc td = {.width = 16, .height = 16, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "churn"};
    COLLECTING(c, gpureg_texture_create(c->reg, &td, &c->tex[i]));
    uint32_t px[16 * 16];
    for (int k = 0; k < 16 * 16; k++)
        px[k] = next_rand(c);
    gpureg_texture_region rg = {0};
    assert_int_equal(gpureg_texture_write(c->reg, c->tex[i], &rg, px, sizeof px, 0), GPUREG_OK);
}

static void new_buffer(churn *c, int i) {
    gpureg_buffer_desc bd = {.size = 256, .usage = GPUREG_BUFFER_USAGE_STORAGE, .label = "churn"};
    COLLECTING(c, gpureg_buffer_create(c->reg, &bd, &c->buf[i]));
}

static void *release_worker(void *arg) {
    churn *c = arg;
    for (;;) {
        sem_wait(&c->work);
        if (c->stop) return NULL;
        for (size_t i = 0; i < c->batch_count; i++) {
            assert_int_equal(gpureg_release(c->reg, c->batch[i]), GPUREG_OK);
            sched_yield();
        }
        sem_post(&c->done);
    }
}

static void record_copies(churn *c, VkCommandBuffer cmd) {
    /* The scratch buffer is written by every batch: order those writes (sync validation checks). */
    VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
                          .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
                          .dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT};
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &mb, 0, NULL, 0,
                         NULL);
    VkImageMemoryBarrier b = {.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
                              .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                              .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                              .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
    for (int k = 0; k < COPIES; k++) {
        gpureg_texture t = c->tex[next_rand(c) % LIVE_TEXTURES];
        assert_int_equal(gpureg_vk_texture_image(c->reg, t, &b.image), GPUREG_OK);
        b.oldLayout = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
        b.newLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
        b.srcAccessMask = VK_ACCESS_SHADER_READ_BIT;
        b.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
        vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0,
                             NULL, 1, &b);
        VkBufferImageCopy copy = {.bufferOffset = (VkDeviceSize)k * 1024u,
                                  .imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
                                  .imageExtent = {16, 16, 1}};
        vkCmdCopyImageToBuffer(cmd, b.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, c->scratch, 1, &copy);
        b.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
        b.newLayout = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
        b.srcAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
        b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT;
        vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0, NULL, 0,
                             NULL, 1, &b);
        VkBuffer src;
        assert_int_equal(gpureg_vk_buffer_buffer(c->reg, c->buf[next_rand(c) % LIVE_BUFFERS], &src), GPUREG_OK);
        VkBufferCopy bc = {0, 8192u + (VkDeviceSize)k * 256u, 256};
        vkCmdCopyBuffer(cmd, src, c->scratch, 1, &bc);
    }
}

static void churn_setup(churn *c, vk_fixture *f) {
    memset(c, 0, sizeof *c);
    c->f = f;
    c->seed = 12345;
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF, .frames_in_flight = APP_FRAMES};
    c->reg = vkf_registry(f, &rd);
    VkBufferCreateInfo bi = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, .size = 16384, .usage = VK_BUFFER_USAGE_TRANSFER_DST_BIT};
    assert_int_equal(vkCreateBuffer(f->device, &bi, NULL, &c->scratch), VK_SUCCESS);
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(f->device, c->scratch, &req);
    VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
                               .allocationSize = req.size,
                               .memoryTypeIndex = (uint32_t)__builtin_ctz(req.memoryTypeBits)};
    assert_int_equal(vkAllocateMemory(f->device, &ai, NULL, &c->scratch_mem), VK_SUCCESS);
    assert_int_equal(vkBindBufferMemory(f->device, c->scratch, c->scratch_mem, 0), VK_SUCCESS);
    VkCommandPoolCreateInfo pi = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                  .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
                                  .queueFamilyIndex = f->queue_family_index};
    assert_int_equal(vkCreateCommandPool(f->device, &pi, NULL, &c->pool), VK_SUCCESS);
    VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                       .commandPool = c->pool,
                                       .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                       .commandBufferCount = APP_FRAMES};
    assert_int_equal(vkAllocateCommandBuffers(f->device, &cai, c->cmd), VK_SUCCESS);
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    for (int i = 0; i < APP_FRAMES; i++)
        assert_int_equal(vkCreateFence(f->device, &fi, NULL, &c->fence[i]), VK_SUCCESS);
    for (int i = 0; i < LIVE_TEXTURES; i++)
        new_texture(c, i);
    for (int i = 0; i < LIVE_BUFFERS; i++)
        new_buffer(c, i);
    sem_init(&c->work, 0, 0);
    sem_init(&c->done, 0, 0);
    assert_int_equal(pthread_create(&c->worker, NULL, release_worker, c), 0);
}

/* Release texture or buffer i at this point of frame `frame`, here or on the worker, and replace it. */
static void release_one(churn *c, uint64_t frame, int on_worker) {
    int is_tex = next_rand(c) % 3 != 0;
    int i = (int)(next_rand(c) % (is_tex ? LIVE_TEXTURES : LIVE_BUFFERS));
    gpureg_handle h = is_tex ? c->tex[i].id : c->buf[i].id;
    if (on_worker)
        c->batch[c->batch_count++] = h;
    else
        assert_int_equal(gpureg_release(c->reg, h), GPUREG_OK);
    model_released(c, frame);
    if (is_tex)
        new_texture(c, i);
    else
        new_buffer(c, i);
}

static void churn_frame(churn *c, uint64_t frame) {
    vk_fixture *f = c->f;
    int slot = (int)(frame % APP_FRAMES);
    if (c->fence_serial[slot]) /* the app's pacing: wait for the frame that used this slot */
        assert_int_equal(vkWaitForFences(f->device, 1, &c->fence[slot], VK_TRUE, UINT64_MAX), VK_SUCCESS);
    COLLECTING(c, gpureg_frame_begin(c->reg)); /* after the wait, before the reset */
    assert_int_equal(gpureg_frame_serial(c->reg), frame);
    if (c->fence_serial[slot]) assert_int_equal(vkResetFences(f->device, 1, &c->fence[slot]), VK_SUCCESS);
    c->fence_serial[slot] = 0;
    VkCommandBuffer cmd = c->cmd[slot];
    assert_int_equal(vkResetCommandBuffer(cmd, 0), VK_SUCCESS);
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    assert_int_equal(vkBeginCommandBuffer(cmd, &bi), VK_SUCCESS);
    record_copies(c, cmd);
    /* Release at random points: some now (recorded, not yet submitted), some on the worker while
     * this thread goes on, some after the submit. */
    c->batch_count = 0;
    unsigned n = next_rand(c) % 3;
    for (unsigned k = 0; k < n; k++)
        release_one(c, frame, 0);
    unsigned w = next_rand(c) % 4;
    for (unsigned k = 0; k < w; k++)
        release_one(c, frame, 1);
    sem_post(&c->work);
    record_copies(c, cmd);
    assert_int_equal(vkEndCommandBuffer(cmd), VK_SUCCESS);
    VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
    assert_int_equal(vkQueueSubmit(f->queue, 1, &si, c->fence[slot]), VK_SUCCESS);
    if (next_rand(c) % 2) release_one(c, frame, 0);
    sem_wait(&c->done); /* the worker's releases belong to this frame */
    /* The fence is frame `frame`'s only once gpureg has it: count it from then on. */
    uint64_t done_before = finished_now(c), destroyed_before = destroyed_total(c->reg);
    assert_int_equal(gpureg_vk_frame_end_fence(c->reg, c->fence[slot]), GPUREG_OK);
    c->fence_serial[slot] = frame;
    check_collection(c, done_before, destroyed_before);
}

static void churn_teardown(churn *c) {
    c->stop = 1;
    sem_post(&c->work);
    pthread_join(c->worker, NULL);
    vk_fixture *f = c->f;
    assert_int_equal(vkDeviceWaitIdle(f->device), VK_SUCCESS);
    for (int i = 0; i < LIVE_TEXTURES; i++)
        assert_int_equal(gpureg_texture_release(c->reg, c->tex[i]), GPUREG_OK);
    for (int i = 0; i < LIVE_BUFFERS; i++)
        assert_int_equal(gpureg_buffer_release(c->reg, c->buf[i]), GPUREG_OK);
    gpureg_stats st;
    vkf_destroy_registry(f, 0);
    (void)st;
    for (int i = 0; i < APP_FRAMES; i++)
        vkDestroyFence(f->device, c->fence[i], NULL);
    vkDestroyCommandPool(f->device, c->pool, NULL);
    vkDestroyBuffer(f->device, c->scratch, NULL);
    vkFreeMemory(f->device, c->scratch_mem, NULL);
    sem_destroy(&c->work);
    sem_destroy(&c->done);
    free(c->pending);
}

static void churn_releases_never_destroy_early_or_late(void **state) {
    churn *c = calloc(1, sizeof *c);
    churn_setup(c, *state);
    for (uint64_t frame = 1; frame <= FRAMES; frame++)
        churn_frame(c, frame);
    uint64_t released = c->destroyed_seen + c->pending_count;
    assert_true(released > FRAMES); /* about 3 releases per frame */
    assert_true(c->destroyed_seen > 0);
    assert_true(c->checks_exact > FRAMES); /* most checks were exact, not just bounded */
    print_message("churn: %d frames, %llu released, %llu destroyed, %llu collections checked exactly\n", FRAMES,
                  (unsigned long long)released, (unsigned long long)c->destroyed_seen,
                  (unsigned long long)c->checks_exact);
    assert_int_equal(gpureg_error_message_count(c->reg), 0);
    churn_teardown(c);
    assert_int_equal(atomic_load(&vkf_validation_errors), 0);
    free(c);
}

/* ---- The fence kinds, held back by the test ---------------------------------------------------- */
static gpureg_texture one_texture(gpureg_registry *reg) {
    gpureg_texture t;
    gpureg_texture_desc td = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "held"};
    assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    return t;
}

static void app_fence_holds_until_signalled(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture t = one_texture(reg);
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VkFence fence;
    assert_int_equal(vkCreateFence(f->device, &fi, NULL, &fence), VK_SUCCESS);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    /* The fence is not submitted yet: the frame cannot have finished. */
    assert_int_equal(gpureg_vk_frame_end_fence(reg, fence), GPUREG_OK);
    uint32_t destroyed = 9;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
        assert_int_equal(destroyed, 0);
    }
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_RELEASED);
    assert_int_equal(vkQueueSubmit(f->queue, 0, NULL, fence), VK_SUCCESS);
    assert_int_equal(vkWaitForFences(f->device, 1, &fence, VK_TRUE, UINT64_MAX), VK_SUCCESS);
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1);
    assert_int_equal(gpureg_query_state(reg, t.id), GPUREG_STATE_DESTROYED);
    assert_int_equal(gpureg_vk_frame_end_fence(reg, VK_NULL_HANDLE), GPUREG_ERR_NULL_POINTER);
    vkf_destroy_registry(f, 0);
    vkDestroyFence(f->device, fence, NULL);
}

static void timeline_value_holds_until_reached(void **state) {
    vk_fixture *f = *state;
    assert_true(f->timeline);
    gpureg_registry *reg = vkf_registry(f, NULL);
    VkSemaphoreTypeCreateInfo ti = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
                                    .semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE};
    VkSemaphoreCreateInfo si = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO, .pNext = &ti};
    VkSemaphore sem;
    assert_int_equal(vkCreateSemaphore(f->device, &si, NULL, &sem), VK_SUCCESS);
    gpureg_texture a = one_texture(reg), b = one_texture(reg);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, a), GPUREG_OK);
    assert_int_equal(gpureg_vk_frame_end_timeline(reg, sem, 5), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, b), GPUREG_OK);
    assert_int_equal(gpureg_vk_frame_end_timeline(reg, sem, 6), GPUREG_OK);
    uint32_t destroyed = 9;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 0);
    VkSemaphoreSignalInfo sig = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO, .semaphore = sem, .value = 5};
    assert_int_equal(vkSignalSemaphore(f->device, &sig), VK_SUCCESS);
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1); /* frame 1 only */
    assert_int_equal(gpureg_query_state(reg, a.id), GPUREG_STATE_DESTROYED);
    assert_int_equal(gpureg_query_state(reg, b.id), GPUREG_STATE_RELEASED);
    sig.value = 6;
    assert_int_equal(vkSignalSemaphore(f->device, &sig), VK_SUCCESS);
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1);
    vkf_destroy_registry(f, 0);
    vkDestroySemaphore(f->device, sem, NULL);
}

/* Default frame_end: an empty submit with a pool fence; work submitted earlier holds it back. */
static void registry_fence_covers_earlier_submissions(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    for (int frame = 0; frame < 50; frame++) {
        gpureg_texture t = one_texture(reg);
        uint64_t before = destroyed_total(reg);
        assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
        /* Work that uses t, gated on an event the host sets later: the GPU cannot finish early. */
        VkEventCreateInfo ei = {.sType = VK_STRUCTURE_TYPE_EVENT_CREATE_INFO};
        VkEvent ev;
        assert_int_equal(vkCreateEvent(f->device, &ei, NULL, &ev), VK_SUCCESS);
        VkCommandPool pool;
        VkCommandBuffer cmd = vkf_begin(f, &pool);
        vkCmdWaitEvents(cmd, 1, &ev, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, NULL, 0, NULL, 0,
                        NULL);
        VkImage image;
        assert_int_equal(gpureg_vk_texture_image(reg, t, &image), GPUREG_OK);
        VkClearColorValue color = {{1, 0, 0, 1}};
        VkImageSubresourceRange range = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
        VkImageMemoryBarrier b = {.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
                                  .dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
                                  .oldLayout = VK_IMAGE_LAYOUT_UNDEFINED,
                                  .newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                                  .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                                  .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                                  .image = image,
                                  .subresourceRange = range};
        vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0,
                             NULL, 1, &b);
        vkCmdClearColorImage(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &color, 1, &range);
        assert_int_equal(vkEndCommandBuffer(cmd), VK_SUCCESS);
        VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
        assert_int_equal(vkQueueSubmit(f->queue, 1, &si, VK_NULL_HANDLE), VK_SUCCESS);
        assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
        assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
        uint32_t destroyed = 9;
        assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
        assert_int_equal(destroyed, 0); /* the GPU is still waiting for the event */
        assert_int_equal(destroyed_total(reg), before);
        assert_int_equal(vkSetEvent(f->device, ev), VK_SUCCESS);
        assert_int_equal(vkQueueWaitIdle(f->queue), VK_SUCCESS);
        assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
        assert_int_equal(destroyed, 1); /* at the first collection after the fence */
        vkDestroyEvent(f->device, ev, NULL);
        vkDestroyCommandPool(f->device, pool, NULL);
    }
    vkf_destroy_registry(f, 0);
}

/* More frames than the fence ring holds without anything to collect: pool fences are recycled
 * only once signalled, app fences merge into later ones, and nothing is destroyed early. */
static void fence_ring_stays_bounded(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
        assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    }
    enum { N = 40 };
    VkFence fences[N];
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    gpureg_texture t = one_texture(reg);
    for (int i = 0; i < N; i++) {
        assert_int_equal(vkCreateFence(f->device, &fi, NULL, &fences[i]), VK_SUCCESS);
        assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
        if (i == 0) assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
        assert_int_equal(gpureg_vk_frame_end_fence(reg, fences[i]), GPUREG_OK); /* never submitted yet */
    }
    uint32_t destroyed = 9;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 0);
    assert_int_equal(vkQueueSubmit(f->queue, 0, NULL, fences[N - 1]), VK_SUCCESS);
    assert_int_equal(vkWaitForFences(f->device, 1, &fences[N - 1], VK_TRUE, UINT64_MAX), VK_SUCCESS);
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1); /* the newest frame's fence covers the first */
    vkf_destroy_registry(f, 0);
    for (int i = 0; i < N; i++)
        vkDestroyFence(f->device, fences[i], NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(churn_releases_never_destroy_early_or_late, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(app_fence_holds_until_signalled, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(timeline_value_holds_until_reached, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(registry_fence_covers_earlier_submissions, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(fence_ring_stays_bounded, vkf_setup, vkf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
