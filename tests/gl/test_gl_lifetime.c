/* test_gl_lifetime.c — when GL names are deleted, by whom, and what a handle says afterwards:
 * name reuse, fence timing (with the fence held back through the function table), releases from
 * other threads, adoption, labels and messages, the debug guard, shutdown. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/backend.h"
#include "gl_fixture.h"

static gpureg_texture make_texture(gpureg_registry *reg, const char *label) {
    gpureg_texture tex;
    gpureg_texture_desc desc = {.width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = label};
    assert_int_equal(gpureg_texture_create(reg, &desc, &tex), GPUREG_OK);
    return tex;
}

static GLuint name_of(gpureg_registry *reg, gpureg_texture tex) {
    uint32_t name = 0;
    assert_int_equal(gpureg_gl_texture_name(reg, tex, &name, NULL), GPUREG_OK);
    return name;
}

/* One frame with nothing in it; then wait for the GPU and collect. */
static void finish_frame(gpureg_registry *reg) {
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    gl_ctx.gl.Finish();
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
}

static void test_stale_handle_is_detected_when_gl_reuses_the_name(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_texture old = make_texture(reg, "old");
    GLuint old_name = name_of(reg, old);
    assert_int_equal(gpureg_texture_release(reg, old), GPUREG_OK);
    finish_frame(reg);
    assert_false(gl_ctx.gl.IsTexture(old_name));
    gpureg_texture fresh = make_texture(reg, "new");
    assert_int_equal(name_of(reg, fresh), old_name); /* GL handed the same name out again */
    uint32_t name = 0;
    assert_int_equal(gpureg_gl_texture_name(reg, old, &name, NULL), GPUREG_ERR_STALE_HANDLE);
    assert_int_equal(name, 0);
    assert_int_equal(gpureg_query_state(reg, old.id), GPUREG_STATE_DESTROYED);
    assert_int_equal(gpureg_texture_retain(reg, old), GPUREG_ERR_STALE_HANDLE);
    assert_int_equal(gpureg_query_state(reg, fresh.id), GPUREG_STATE_ALIVE);
    assert_int_equal(gpureg_texture_release(reg, fresh), GPUREG_OK);
    gl_test_destroy(reg);
}

/* ---- Fences held back: glFenceSync / glClientWaitSync seen through the function table ---------- */

static gpureg_registry *held_registry(void) {
    gl_test_gate_reset();
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    gl.get_proc_address = gl_test_gate_get_proc_address;
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_gl_create(&gl, NULL, &reg), GPUREG_OK);
    return reg;
}

static void test_deletion_waits_for_the_fence_of_the_release_frame(void **state) {
    (void)state;
    gpureg_registry *reg = held_registry();
    gpureg_texture a = make_texture(reg, "released in frame 1"), b = make_texture(reg, "released in frame 2");
    GLuint a_name = name_of(reg, a), b_name = name_of(reg, b);

    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK); /* frame 1 */
    assert_int_equal(gpureg_texture_release(reg, a), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK); /* frame 2 */
    assert_int_equal(gpureg_texture_release(reg, b), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    gl_ctx.gl.Finish(); /* the real GPU is done; only the held fences say otherwise */

    uint32_t destroyed = 99;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 0);
    assert_true(gl_ctx.gl.IsTexture(a_name) && gl_ctx.gl.IsTexture(b_name));
    assert_int_equal(gpureg_query_state(reg, a.id), GPUREG_STATE_RELEASED);

    gl_test_gate_show(1); /* frame 1 done */
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1);
    assert_false(gl_ctx.gl.IsTexture(a_name));
    assert_true(gl_ctx.gl.IsTexture(b_name));

    gl_test_gate_show(2); /* frame 2 done: deleted at the first collection after it */
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1);
    assert_false(gl_ctx.gl.IsTexture(b_name));
    gl_test_destroy(reg);
}

/* With nothing pending, frames still poll: every frame's fence is retired (a long run with no
 * releases keeps no GL sync objects) and the completed serial follows the GPU. */
static void test_every_frame_fence_is_retired_even_with_nothing_pending(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    for (int frame = 0; frame < 50; frame++) {
        assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
        assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
        gl_ctx.gl.Finish();
        assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
        gpureg_stats stats;
        assert_int_equal(gpureg_get_stats(reg, &stats), GPUREG_OK);
        assert_int_equal(stats.completed_serial, stats.frame_serial);
    }
    gl_test_destroy(reg);
}

static void test_shutdown_waits_for_fences_and_deletes_pending_and_leaked(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_texture pending = make_texture(reg, "pending"), leaked = make_texture(reg, "leaked on purpose");
    GLuint pending_name = name_of(reg, pending), leaked_name = name_of(reg, leaked);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, pending), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    gl_test_assert_no_errors(reg);
    assert_int_equal(gpureg_destroy(reg), 1); /* one leak, reported and deleted */
    assert_false(gl_ctx.gl.IsTexture(pending_name));
    assert_false(gl_ctx.gl.IsTexture(leaked_name));
}

/* ---- Threads ----------------------------------------------------------------------------------- */

typedef struct release_job {
    gpureg_registry *reg;
    gpureg_texture tex;
    gpureg_result result;
} release_job;

static void *release_elsewhere(void *arg) {
    release_job *job = arg;
    job->result = gpureg_texture_release(job->reg, job->tex); /* no GL context on this thread */
    return NULL;
}

static void *create_elsewhere(void *arg) {
    release_job *job = arg;
    gpureg_texture_desc desc = {.width = 4, .height = 4, .format = GPUREG_FORMAT_R8_UNORM};
    job->result = gpureg_texture_create(job->reg, &desc, &job->tex);
    return NULL;
}

static void run_on_thread(void *(*fn)(void *), release_job *job) {
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, fn, job), 0);
    assert_int_equal(pthread_join(thread, NULL), 0);
}

static void test_release_on_another_thread_deletes_on_the_owner(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    release_job job = {reg, make_texture(reg, "released elsewhere"), GPUREG_ERR_BACKEND};
    GLuint name = name_of(reg, job.tex);
    run_on_thread(release_elsewhere, &job);
    assert_int_equal(job.result, GPUREG_OK);
    assert_true(gl_ctx.gl.IsTexture(name)); /* nothing happened on the releasing thread */
    finish_frame(reg);
    assert_false(gl_ctx.gl.IsTexture(name));
    gl_test_destroy(reg);
}

static void test_owner_calls_from_another_thread_are_refused(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    release_job job = {reg, {0}, GPUREG_OK};
    run_on_thread(create_elsewhere, &job);
    assert_int_equal(job.result, GPUREG_ERR_WRONG_THREAD);
    assert_int_equal(job.tex.id, 0);
    gl_test_destroy(reg);
}

/* ---- Adoption ---------------------------------------------------------------------------------- */

static GLuint app_texture(void) {
    GLuint name = 0;
    gl_ctx.gl.GenTextures(1, &name);
    gl_ctx.gl.BindTexture(GL_TEXTURE_2D, name);
    gl_ctx.gl.TexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 4, 4, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    gl_ctx.gl.BindTexture(GL_TEXTURE_2D, 0);
    return name;
}

static void test_adopted_textures_follow_their_ownership(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_texture_desc desc = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "app's"};
    GLuint given = app_texture(), lent = app_texture();
    gpureg_texture owned, borrowed;
    assert_int_equal(gpureg_gl_texture_adopt(reg, &desc, given, GPUREG_GL_ADOPT_DELETE, &owned), GPUREG_OK);
    assert_int_equal(gpureg_gl_texture_adopt(reg, &desc, lent, GPUREG_GL_ADOPT_KEEP, &borrowed), GPUREG_OK);
    assert_int_equal(name_of(reg, owned), given);
    char label[320] = {0};
    gl_ctx.gl.GetObjectLabel(GL_TEXTURE, given, sizeof label, NULL, label);
    assert_non_null(strstr(label, "gpureg 0x"));
    assert_non_null(strstr(label, "app's"));

    unsigned char px[4 * 4 * 4] = {1, 2, 3, 4}, back[sizeof px];
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_write(reg, owned, &all, px, sizeof px, 0), GPUREG_OK);
    assert_int_equal(gpureg_texture_read(reg, owned, &all, back, sizeof back), GPUREG_OK);
    assert_memory_equal(px, back, sizeof px);

    assert_int_equal(gpureg_texture_release(reg, owned), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, borrowed), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, borrowed), GPUREG_ERR_RELEASED); /* twice: refused */
    finish_frame(reg);
    assert_false(gl_ctx.gl.IsTexture(given));
    assert_true(gl_ctx.gl.IsTexture(lent)); /* still the app's */
    gl_ctx.gl.DeleteTextures(1, &lent);

    gpureg_texture none;
    assert_int_equal(gpureg_gl_texture_adopt(reg, &desc, 0, GPUREG_GL_ADOPT_DELETE, &none),
                     GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(gpureg_gl_texture_adopt(reg, &desc, 123456, GPUREG_GL_ADOPT_DELETE, &none),
                     GPUREG_ERR_INVALID_ARGUMENT);
    GLuint spare = app_texture();
    assert_int_equal(gpureg_gl_texture_adopt(reg, &desc, spare, (gpureg_gl_ownership)7, &none),
                     GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(none.id, 0);
    gl_ctx.gl.DeleteTextures(1, &spare);
    gl_test_destroy(reg);
}

static void test_adopted_buffers_are_deleted_after_their_fence(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    GLuint name = 0;
    gl_ctx.gl.GenBuffers(1, &name);
    gl_ctx.gl.BindBuffer(GL_ARRAY_BUFFER, name);
    gl_ctx.gl.BufferData(GL_ARRAY_BUFFER, 64, NULL, GL_STATIC_DRAW);
    gl_ctx.gl.BindBuffer(GL_ARRAY_BUFFER, 0);
    gpureg_buffer_desc desc = {.size = 64};
    gpureg_buffer buf;
    assert_int_equal(gpureg_gl_buffer_adopt(reg, &desc, name, GPUREG_GL_ADOPT_DELETE, &buf), GPUREG_OK);
    uint32_t resolved = 0;
    assert_int_equal(gpureg_gl_buffer_name(reg, buf, &resolved), GPUREG_OK);
    assert_int_equal(resolved, name);
    assert_int_equal(gpureg_buffer_release(reg, buf), GPUREG_OK);
    finish_frame(reg);
    assert_false(gl_ctx.gl.IsBuffer(name));
    gl_test_destroy(reg);
}

/* ---- Debug output -------------------------------------------------------------------------------- */

static void test_driver_labels_map_messages_back_to_handles(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_texture tex = make_texture(reg, "sprite atlas");
    char label[320] = {0};
    gl_ctx.gl.GetObjectLabel(GL_TEXTURE, name_of(reg, tex), sizeof label, NULL, label);
    assert_non_null(strstr(label, "sprite atlas"));
    assert_non_null(strstr(label, "test_gl_lifetime.c"));
    /* A message that names the object the way the driver knows it (its label). */
    char text[400];
    snprintf(text, sizeof text, "about %s", label);
    gl_ctx.gl.DebugMessageInsert(GL_DEBUG_SOURCE_APPLICATION, GL_DEBUG_TYPE_OTHER, 42, GL_DEBUG_SEVERITY_HIGH, -1,
                                 text);
    gpureg_message m[4];
    size_t n = 0;
    assert_int_equal(gpureg_poll_messages(reg, m, 4, &n), GPUREG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].handle, tex.id);
    assert_int_equal(m[0].id, 42);
    assert_int_equal(m[0].severity, GPUREG_SEVERITY_WARNING);
    assert_string_equal(m[0].text, text);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    gl_test_destroy(reg);
}

static void test_gl_errors_are_counted_as_errors(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gl_ctx.gl.BindTexture(0x1234, 0); /* GL_INVALID_ENUM, raised by the app */
    assert_int_equal(gpureg_error_message_count(reg), 1);
    gpureg_message m;
    size_t n = 0;
    assert_int_equal(gpureg_poll_messages(reg, &m, 1, &n), GPUREG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(m.severity, GPUREG_SEVERITY_ERROR);
    assert_int_equal(m.type, GPUREG_MESSAGE_VALIDATION);
    assert_int_equal(m.handle, 0);
    assert_int_equal(gl_ctx.gl.GetError(), GL_INVALID_ENUM);
    assert_int_equal(gpureg_destroy(reg), 0);
}

static void test_a_callback_after_destroy_is_dropped(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    void *callback = NULL, *user = NULL;
    gl_ctx.gl.GetPointerv(GL_DEBUG_CALLBACK_FUNCTION, &callback);
    gl_ctx.gl.GetPointerv(GL_DEBUG_CALLBACK_USER_PARAM, &user);
    assert_non_null(callback);
    gl_test_destroy(reg);

    void *after = (void *)1;
    gl_ctx.gl.GetPointerv(GL_DEBUG_CALLBACK_FUNCTION, &after);
    assert_null(after); /* the app's (absent) callback is back */
    /* A driver thread that read the old callback and user data just before teardown calls now. */
    GLDEBUGPROC late;
    memcpy(&late, &callback, sizeof late);
    uint64_t before = gpureg__guard_late_total();
    late(GL_DEBUG_SOURCE_API, GL_DEBUG_TYPE_ERROR, 1, GL_DEBUG_SEVERITY_HIGH, 4, "late", user);
    assert_int_equal(gpureg__guard_late_total(), before + 1);
}

static char last_log[512];
static void keep_log(gpureg_log_level level, gpureg_result result, const char *message, void *user) {
    (void)level;
    (void)result;
    (void)user;
    if (strstr(message, "KHR_debug")) snprintf(last_log, sizeof last_log, "%s", message);
}

static void test_without_khr_debug_the_registry_works_and_says_so(void **state) {
    (void)state;
    last_log[0] = '\0';
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    gl.disable_features |= GPUREG_GL_FEATURE_DEBUG;
    gpureg_registry_desc desc = {.log = keep_log};
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_gl_create(&gl, &desc, &reg), GPUREG_OK);
    assert_non_null(strstr(last_log, "KHR_debug is not in use"));
    gpureg_gl_info info;
    assert_int_equal(gpureg_gl_get_info(reg, &info), GPUREG_OK);
    assert_int_equal(info.features & GPUREG_GL_FEATURE_DEBUG, 0);
    assert_int_equal(info.debug_synchronous, 0);
    gpureg_texture tex = make_texture(reg, "unlabelled in GL");
    char label[64] = "x";
    GLsizei length = -1;
    gl_ctx.gl.GetObjectLabel(GL_TEXTURE, name_of(reg, tex), sizeof label, &length, label);
    assert_int_equal(length, 0);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    finish_frame(reg);
    assert_int_equal(gpureg_destroy(reg), 0);
}

static void test_asynchronous_debug_output_is_an_option(void **state) {
    (void)state;
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    gl.debug_asynchronous = 1;
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_gl_create(&gl, NULL, &reg), GPUREG_OK);
    gpureg_gl_info info;
    assert_int_equal(gpureg_gl_get_info(reg, &info), GPUREG_OK);
    assert_int_equal(info.debug_synchronous, 0);
    assert_true(info.features & GPUREG_GL_FEATURE_DEBUG); /* messages still arrive, from any thread */
    gl_test_destroy(reg);
}

static void test_no_current_context_is_unsupported(void **state) {
    (void)state;
    assert_true(eglMakeCurrent(gl_ctx.display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT));
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    gpureg_registry *reg = (gpureg_registry *)&gl;
    assert_int_equal(gpureg_gl_create(&gl, NULL, &reg), GPUREG_ERR_UNSUPPORTED);
    assert_null(reg);
    assert_true(eglMakeCurrent(gl_ctx.display, EGL_NO_SURFACE, EGL_NO_SURFACE, gl_ctx.context));
    gl.get_proc_address = NULL;
    assert_int_equal(gpureg_gl_create(&gl, NULL, &reg), GPUREG_ERR_NULL_POINTER);
    gl = gl_test_desc(&gl_ctx);
    gl.disable_features = 1u << 30;
    assert_int_equal(gpureg_gl_create(&gl, NULL, &reg), GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(gpureg_gl_create(NULL, NULL, &reg), GPUREG_ERR_NULL_POINTER);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stale_handle_is_detected_when_gl_reuses_the_name),
        cmocka_unit_test(test_deletion_waits_for_the_fence_of_the_release_frame),
        cmocka_unit_test(test_every_frame_fence_is_retired_even_with_nothing_pending),
        cmocka_unit_test(test_shutdown_waits_for_fences_and_deletes_pending_and_leaked),
        cmocka_unit_test(test_release_on_another_thread_deletes_on_the_owner),
        cmocka_unit_test(test_owner_calls_from_another_thread_are_refused),
        cmocka_unit_test(test_adopted_textures_follow_their_ownership),
        cmocka_unit_test(test_adopted_buffers_are_deleted_after_their_fence),
        cmocka_unit_test(test_driver_labels_map_messages_back_to_handles),
        cmocka_unit_test(test_gl_errors_are_counted_as_errors),
        cmocka_unit_test(test_a_callback_after_destroy_is_dropped),
        cmocka_unit_test(test_without_khr_debug_the_registry_works_and_says_so),
        cmocka_unit_test(test_asynchronous_debug_output_is_an_option),
        cmocka_unit_test(test_no_current_context_is_unsupported),
    };
    return cmocka_run_group_tests(tests, gl_test_group_setup, gl_test_group_teardown);
}
