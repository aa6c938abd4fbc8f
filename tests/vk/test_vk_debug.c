/* test_vk_debug.c — the debug messenger behind the guard: a validation message about one of our
 * objects comes back with its handle, label and creation site; a callback arriving after the
 * registry is gone (or while it is being destroyed) is dropped safely — run under ASan too. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/backend.h" /* gpureg__guard_late_total */
#include "vk_fixture.h"

static void validation_message_names_handle_and_label(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture tex;
    gpureg_texture_desc td = {.width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "hero albedo"};
    assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_OK);
    VkImage image;
    assert_int_equal(gpureg_vk_texture_image(reg, tex, &image), GPUREG_OK);
    /* A deliberate misuse: subresource layouts exist only for linear images. */
    VkImageSubresource sub = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0};
    VkSubresourceLayout layout;
    vkGetImageSubresourceLayout(f->device, image, &sub, &layout);
    assert_true(gpureg_error_message_count(reg) >= 1);
    gpureg_message msgs[16];
    size_t n = 0;
    assert_int_equal(gpureg_poll_messages(reg, msgs, 16, &n), GPUREG_OK);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (msgs[i].severity != GPUREG_SEVERITY_ERROR || msgs[i].type != GPUREG_MESSAGE_VALIDATION) continue;
        assert_int_equal(msgs[i].handle, tex.id);
        assert_non_null(strstr(msgs[i].text, "hero albedo"));
        assert_non_null(strstr(msgs[i].text, "test_vk_debug.c:")); /* the creation site */
        assert_non_null(strstr(msgs[i].text, "vkGetImageSubresourceLayout"));
        found = 1;
    }
    assert_true(found);
    /* Expected: the fixture's own messenger saw the same error. */
    assert_true(vkf_saw("hero albedo"));
    atomic_store(&vkf_validation_errors, 0);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    f->reg = NULL;
    assert_int_equal(gpureg_destroy(reg), 0);
    assert_int_equal(atomic_load(&vkf_validation_errors), 0);
}

static void label_change_renames_the_driver_object(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_buffer buf;
    gpureg_buffer_desc bd = {.size = 64, .label = "before"};
    assert_int_equal(gpureg_buffer_create(reg, &bd, &buf), GPUREG_OK);
    assert_int_equal(gpureg_set_label(reg, buf.id, "after rename"), GPUREG_OK);
    VkBuffer vkbuf;
    assert_int_equal(gpureg_vk_buffer_buffer(reg, buf, &vkbuf), GPUREG_OK);
    /* Misuse naming the buffer: bind memory to a buffer that already has memory. */
    VkDeviceMemory mem;
    VkDeviceSize off;
    assert_int_equal(gpureg_vk_buffer_memory(reg, buf, &mem, &off), GPUREG_OK);
    vkBindBufferMemory(f->device, vkbuf, mem, off);
    gpureg_message msgs[16];
    size_t n = 0;
    assert_int_equal(gpureg_poll_messages(reg, msgs, 16, &n), GPUREG_OK);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (msgs[i].handle == buf.id && strstr(msgs[i].text, "after rename")) found = 1;
    assert_true(found);
    atomic_store(&vkf_validation_errors, 0);
    assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    f->reg = NULL;
    assert_int_equal(gpureg_destroy(reg), 0);
}

typedef struct caller {
    PFN_vkDebugUtilsMessengerCallbackEXT callback;
    void *user;
    _Atomic int stop;
} caller;

static void call_once(caller *c) {
    VkDebugUtilsObjectNameInfoEXT obj = {.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT,
                                         .objectType = VK_OBJECT_TYPE_IMAGE,
                                         .objectHandle = 1,
                                         .pObjectName = "gpureg 0x0000000100000001 \"late\" @ x.c:1"};
    VkDebugUtilsMessengerCallbackDataEXT data = {.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CALLBACK_DATA_EXT,
                                                 .pMessageIdName = "late",
                                                 .pMessage = "a message from a driver thread",
                                                 .objectCount = 1,
                                                 .pObjects = &obj};
    assert_int_equal(c->callback(VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
                                 VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT, &data, c->user),
                     VK_FALSE);
}

static void *driver_thread(void *arg) {
    caller *c = arg;
    while (!atomic_load(&c->stop))
        call_once(c);
    return NULL;
}

static void late_callback_after_destroy_is_dropped(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    caller c = {.callback = vkf_injected.messenger_callback, .user = vkf_injected.messenger_user_data};
    assert_non_null(c.callback);
    /* The user data is a token, not a pointer into the registry. */
    assert_int_equal((uint64_t)(uintptr_t)c.user, gpureg__guard_token(reg));
    call_once(&c); /* while alive: copied into the ring */
    gpureg_message m;
    size_t n = 0;
    assert_int_equal(gpureg_poll_messages(reg, &m, 1, &n), GPUREG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(m.handle, 0x0000000100000001ull);
    /* Driver threads keep calling while the registry is destroyed, and after. */
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, driver_thread, &c), 0);
    uint64_t late_before = gpureg__guard_late_total();
    f->reg = NULL;
    gpureg_destroy(reg); /* its error count is 1 + the threads' messages: expected here */
    for (int i = 0; i < 1000; i++)
        call_once(&c);
    atomic_store(&c.stop, 1);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    assert_true(gpureg__guard_late_total() >= late_before + 1000);
}

static void debug_utils_can_be_turned_off(void **state) {
    vk_fixture *f = *state;
    gpureg_vk_desc vd = vkf_desc(f);
    vd.disable_debug_utils = 1;
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF};
    assert_int_equal(gpureg_vk_create(&vd, &rd, &f->reg), GPUREG_OK);
    assert_null(vkf_injected.messenger_callback);
    /* Objects work the same, unnamed; the Vulkan calls still know the registry. */
    gpureg_texture tex;
    gpureg_texture_desc td = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "unnamed"};
    assert_int_equal(gpureg_texture_create(f->reg, &td, &tex), GPUREG_OK);
    VkImage image;
    assert_int_equal(gpureg_vk_texture_image(f->reg, tex, &image), GPUREG_OK);
    assert_true(image != VK_NULL_HANDLE);
    assert_int_equal(gpureg_texture_release(f->reg, tex), GPUREG_OK);
    vkf_destroy_registry(f, 0);
    vd.disable_debug_utils = 2;
    gpureg_registry *reg = (gpureg_registry *)1;
    assert_int_equal(gpureg_vk_create(&vd, &rd, &reg), GPUREG_ERR_INVALID_ARGUMENT);
    assert_null(reg);
}

/* gpureg_vk.h: "desc may be NULL: every registry default" (it crashed reading frames_in_flight). */
static void null_registry_desc_means_every_default(void **state) {
    vk_fixture *f = *state;
    gpureg_vk_desc vd = vkf_desc(f);
    assert_int_equal(gpureg_vk_create(&vd, NULL, &f->reg), GPUREG_OK);
    gpureg_stats s;
    assert_int_equal(gpureg_get_stats(f->reg, &s), GPUREG_OK);
    gpureg_texture tex;
    gpureg_texture_desc td = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM};
    assert_int_equal(gpureg_texture_create(f->reg, &td, &tex), GPUREG_OK);
    for (int i = 0; i < 3; i++) { /* the default two frames in flight, and one more */
        assert_int_equal(gpureg_frame_begin(f->reg), GPUREG_OK);
        assert_int_equal(gpureg_frame_end(f->reg), GPUREG_OK);
    }
    assert_int_equal(gpureg_texture_release(f->reg, tex), GPUREG_OK);
    vkf_destroy_registry(f, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(validation_message_names_handle_and_label, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(label_change_renames_the_driver_object, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(late_callback_after_destroy_is_dropped, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(debug_utils_can_be_turned_off, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(null_registry_desc_means_every_default, vkf_setup, vkf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
