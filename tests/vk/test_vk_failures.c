/* test_vk_failures.c — failures injected through the function table (the fixture's
 * vkGetInstanceProcAddr wrapper): vkAllocateMemory out of memory, VK_ERROR_DEVICE_LOST from
 * vkQueueSubmit and from fence waits/polls. Each gives the documented result, changes nothing on
 * failure, and leaks nothing: the validation layer reports every object still alive at
 * vkDestroyDevice, and the fixture asserts it reported nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vk_fixture.h"

static gpureg_stats stats_of(gpureg_registry *reg) {
    gpureg_stats st;
    assert_int_equal(gpureg_get_stats(reg, &st), GPUREG_OK);
    return st;
}

static void out_of_device_memory_leaves_nothing(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    vkf_injected.allocate_memory = VK_ERROR_OUT_OF_DEVICE_MEMORY;
    gpureg_texture tex = {7};
    gpureg_buffer buf = {7};
    gpureg_texture_desc small = {.width = 16, .height = 16, .format = GPUREG_FORMAT_RGBA8_UNORM};
    gpureg_texture_desc large = {.width = 8192, .height = 8192, .format = GPUREG_FORMAT_RGBA8_UNORM}; /* own alloc */
    gpureg_buffer_desc bd = {.size = 4096, .usage = GPUREG_BUFFER_USAGE_HOST_VISIBLE};
    gpureg_stats before = stats_of(reg);
    assert_int_equal(gpureg_texture_create(reg, &small, &tex), GPUREG_ERR_OUT_OF_MEMORY);
    assert_int_equal(tex.id, 0);
    assert_int_equal(gpureg_texture_create(reg, &large, &tex), GPUREG_ERR_OUT_OF_MEMORY);
    assert_int_equal(gpureg_buffer_create(reg, &bd, &buf), GPUREG_ERR_OUT_OF_MEMORY);
    assert_int_equal(buf.id, 0);
    gpureg_stats after = stats_of(reg);
    assert_int_equal(after.texture.created_total, before.texture.created_total);
    assert_int_equal(after.buffer.created_total, before.buffer.created_total);
    assert_int_equal(after.device_allocations, 0);
    assert_int_equal(after.device_bytes, 0);
    /* A block exists, then the next one cannot be had: the first block keeps serving. */
    vkf_injected.allocate_memory = VK_SUCCESS;
    assert_int_equal(gpureg_texture_create(reg, &small, &tex), GPUREG_OK);
    vkf_injected.allocate_memory = VK_ERROR_OUT_OF_DEVICE_MEMORY;
    gpureg_texture more;
    assert_int_equal(gpureg_texture_create(reg, &small, &more), GPUREG_OK);
    gpureg_texture none;
    assert_int_equal(gpureg_texture_create(reg, &large, &none), GPUREG_ERR_OUT_OF_MEMORY);
    assert_int_equal(none.id, 0);
    vkf_injected.allocate_memory = VK_SUCCESS;
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, more), GPUREG_OK);
    vkf_destroy_registry(f, 0);
}

static void out_of_memory_on_staging_fails_the_transfer(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture tex;
    gpureg_texture_desc td = {.width = 16, .height = 16, .format = GPUREG_FORMAT_RGBA8_UNORM};
    assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_OK); /* an image block only */
    vkf_injected.allocate_memory = VK_ERROR_OUT_OF_DEVICE_MEMORY;       /* no buffer block for staging */
    uint8_t px[16 * 16 * 4] = {0};
    gpureg_texture_region rg = {0};
    gpureg_stats before = stats_of(reg);
    assert_int_equal(gpureg_texture_write(reg, tex, &rg, px, sizeof px, 0), GPUREG_ERR_OUT_OF_MEMORY);
    VkImageLayout layout;
    assert_int_equal(gpureg_vk_texture_layout(reg, tex, &layout), GPUREG_OK);
    assert_int_equal(layout, VK_IMAGE_LAYOUT_UNDEFINED); /* nothing was recorded */
    assert_int_equal(stats_of(reg).device_allocations, before.device_allocations);
    vkf_injected.allocate_memory = VK_SUCCESS;
    assert_int_equal(gpureg_texture_write(reg, tex, &rg, px, sizeof px, 0), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    vkf_destroy_registry(f, 0);
}

/* The app's allocator failing is the same out-of-memory. */
static VkResult refuse(const VkMemoryRequirements *req, VkMemoryPropertyFlags required, gpureg_vk_allocation *out,
                       void *user) {
    return VK_ERROR_OUT_OF_DEVICE_MEMORY;
}
static void never_called(const gpureg_vk_allocation *a, void *user) { fail_msg("free without an allocation"); }

static void external_allocator_out_of_memory(void **state) {
    vk_fixture *f = *state;
    gpureg_vk_desc vd = vkf_desc(f);
    vd.memory = (gpureg_vk_memory_callbacks){refuse, never_called, NULL};
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF};
    assert_int_equal(gpureg_vk_create(&vd, &rd, &f->reg), GPUREG_OK);
    gpureg_buffer buf = {7};
    gpureg_buffer_desc bd = {.size = 64};
    assert_int_equal(gpureg_buffer_create(f->reg, &bd, &buf), GPUREG_ERR_OUT_OF_MEMORY);
    assert_int_equal(buf.id, 0);
    assert_int_equal(stats_of(f->reg).buffer.created_total, 0);
    vkf_destroy_registry(f, 0);
}

/* Objects in every state when the device goes: alive, released, and released in an open frame. */
typedef struct lost_setup {
    gpureg_texture alive, released;
    gpureg_buffer in_frame;
} lost_setup;

static gpureg_handle populate_last_released;

static lost_setup populate(vk_fixture *f, gpureg_registry *reg) {
    lost_setup s;
    gpureg_texture_desc td = {.width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "survivor"};
    gpureg_buffer_desc bd = {.size = 64};
    assert_int_equal(gpureg_texture_create(reg, &td, &s.alive), GPUREG_OK);
    assert_int_equal(gpureg_texture_create(reg, &td, &s.released), GPUREG_OK);
    assert_int_equal(gpureg_buffer_create(reg, &bd, &s.in_frame), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, s.released), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(reg, s.in_frame), GPUREG_OK);
    populate_last_released = s.in_frame.id;
    /* The real GPU is idle, so destroying everything at once is also valid for the layer. */
    assert_int_equal(vkDeviceWaitIdle(f->device), VK_SUCCESS);
    return s;
}

static void after_loss_everything_answers_device_lost(gpureg_registry *reg, const lost_setup *s) {
    gpureg_texture t;
    gpureg_texture_desc td = {.width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM};
    assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_ERR_DEVICE_LOST);
    uint8_t px[256] = {0};
    gpureg_texture_region rg = {0};
    assert_int_equal(gpureg_texture_write(reg, s->alive, &rg, px, sizeof px, 0), GPUREG_ERR_DEVICE_LOST);
    VkImage image;
    assert_int_equal(gpureg_vk_texture_image(reg, s->alive, &image), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_ERR_DEVICE_LOST);
    /* Bookkeeping still works; collection destroys the released objects at once. */
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(gpureg_query_state(reg, s->released.id), GPUREG_STATE_DESTROYED);
    assert_int_equal(gpureg_query_state(reg, s->in_frame.id), GPUREG_STATE_DESTROYED);
    assert_int_equal(gpureg_query_state(reg, s->alive.id), GPUREG_STATE_ALIVE);
}

static void device_lost_on_submit(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    lost_setup s = populate(f, reg);
    vkf_injected.queue_submit = VK_ERROR_DEVICE_LOST;
    assert_int_equal(gpureg_frame_end(reg), GPUREG_ERR_DEVICE_LOST); /* the empty submit */
    after_loss_everything_answers_device_lost(reg, &s);
    vkf_injected.queue_submit = VK_SUCCESS;
    vkf_destroy_registry(f, 1); /* "survivor" is reported, then destroyed */
}

static void device_lost_on_transfer_submit(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    lost_setup s = populate(f, reg);
    vkf_injected.queue_submit = VK_ERROR_DEVICE_LOST;
    uint8_t px[256] = {0};
    gpureg_texture_region rg = {0};
    assert_int_equal(gpureg_texture_write(reg, s.alive, &rg, px, sizeof px, 0), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_ERR_DEVICE_LOST);
    after_loss_everything_answers_device_lost(reg, &s);
    vkf_injected.queue_submit = VK_SUCCESS;
    vkf_destroy_registry(f, 1);
}

/* A frame whose app fence is never submitted stays in flight: polls and waits reach the driver. */
static VkFence frame_in_flight(vk_fixture *f, gpureg_registry *reg) {
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VkFence fence;
    assert_int_equal(vkCreateFence(f->device, &fi, NULL, &fence), VK_SUCCESS);
    assert_int_equal(gpureg_vk_frame_end_fence(reg, fence), GPUREG_OK);
    assert_int_equal(gpureg_query_state(reg, populate_last_released), GPUREG_STATE_RELEASED);
    return fence;
}

static void device_lost_on_fence_poll(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    lost_setup s = populate(f, reg);
    VkFence fence = frame_in_flight(f, reg);
    vkf_injected.get_fence_status = VK_ERROR_DEVICE_LOST;
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_ERR_DEVICE_LOST);
    after_loss_everything_answers_device_lost(reg, &s);
    vkf_injected.get_fence_status = VK_SUCCESS;
    vkf_destroy_registry(f, 1);
    vkDestroyFence(f->device, fence, NULL);
}

static int logged_wait_loss;
static void on_log(gpureg_log_level level, gpureg_result result, const char *message, void *user) {
    if (result == GPUREG_ERR_DEVICE_LOST && strstr(message, "vkWaitForFences")) logged_wait_loss = 1;
}

static void device_lost_on_shutdown_fence_wait(void **state) {
    vk_fixture *f = *state;
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF, .log = on_log};
    gpureg_registry *reg = vkf_registry(f, &rd);
    populate(f, reg);
    VkFence fence = frame_in_flight(f, reg);
    vkf_injected.wait_for_fences = VK_ERROR_DEVICE_LOST;
    logged_wait_loss = 0;
    vkf_destroy_registry(f, 1); /* waits for the frame: lost; everything is still destroyed */
    assert_true(logged_wait_loss);
    vkf_injected.wait_for_fences = VK_SUCCESS;
    vkDestroyFence(f->device, fence, NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(out_of_device_memory_leaves_nothing, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(out_of_memory_on_staging_fails_the_transfer, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(device_lost_on_submit, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(device_lost_on_transfer_submit, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(external_allocator_out_of_memory, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(device_lost_on_fence_poll, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(device_lost_on_shutdown_fence_wait, vkf_setup, vkf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
