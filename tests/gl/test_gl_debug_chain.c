/* test_gl_debug_chain.c — several GL registries on one context, and the app's own debug callback:
 * whatever order the registries are destroyed in, every registry still alive keeps hearing the
 * driver, and once the last one is gone the app's callback (installed before them all) is back and
 * fed. Also: a callback the app installs over a registry stays, and GL_DEBUG_OUTPUT /
 * GL_DEBUG_OUTPUT_SYNCHRONOUS go back to the app's settings only with the last registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gl_fixture.h"

enum { PROBE_ID = 4242 };

/* ---- The app's own callback ----------------------------------------------------------------- */

static int app_heard;
static const void *app_user_seen;
static int app_marker; /* its address is the app's user parameter */

static void APIENTRY app_callback(GLenum source, GLenum type, GLuint id, GLenum severity, GLsizei length,
                                  const GLchar *message, const void *user) {
    (void)source;
    (void)type;
    (void)severity;
    (void)length;
    (void)message;
    if (id != PROBE_ID) return;
    app_heard++;
    app_user_seen = user;
}

/* Debug output as the context had it before the test, put back after it. */
static GLboolean saved_output, saved_synchronous;

/* Per-test setup: the app has its callback installed, with synchronous output on. */
static int app_installs_its_callback(void **state) {
    (void)state;
    saved_output = gl_ctx.gl.IsEnabled(GL_DEBUG_OUTPUT);
    saved_synchronous = gl_ctx.gl.IsEnabled(GL_DEBUG_OUTPUT_SYNCHRONOUS);
    gl_ctx.gl.Enable(GL_DEBUG_OUTPUT);
    gl_ctx.gl.Enable(GL_DEBUG_OUTPUT_SYNCHRONOUS);
    gl_ctx.gl.DebugMessageCallback(app_callback, &app_marker);
    app_heard = 0;
    app_user_seen = NULL;
    return 0;
}

/* Per-test teardown: no callback, debug output as before the test. */
static int app_takes_its_callback_away(void **state) {
    (void)state;
    gl_ctx.gl.DebugMessageCallback(NULL, NULL);
    if (saved_output)
        gl_ctx.gl.Enable(GL_DEBUG_OUTPUT);
    else
        gl_ctx.gl.Disable(GL_DEBUG_OUTPUT);
    if (saved_synchronous)
        gl_ctx.gl.Enable(GL_DEBUG_OUTPUT_SYNCHRONOUS);
    else
        gl_ctx.gl.Disable(GL_DEBUG_OUTPUT_SYNCHRONOUS);
    return gl_ctx.gl.GetError() == GL_NO_ERROR ? 0 : -1;
}

/* ---- Probes --------------------------------------------------------------------------------- */

/* A message from the app: whichever callback is installed hears it. */
static void probe(void) {
    gl_ctx.gl.DebugMessageInsert(GL_DEBUG_SOURCE_APPLICATION, GL_DEBUG_TYPE_OTHER, PROBE_ID, GL_DEBUG_SEVERITY_HIGH, -1,
                                 "probe");
}

/* How many probes reached the registry's ring (drains it). */
static size_t heard_by(gpureg_registry *reg) {
    gpureg_message m[16];
    size_t n = 0, heard = 0;
    while (gpureg_poll_messages(reg, m, 16, &n) == GPUREG_OK && n)
        for (size_t i = 0; i < n; i++)
            if (m[i].id == PROBE_ID) heard++;
    return heard;
}

static void assert_app_callback_installed_and_fed(void) {
    void *callback = NULL, *user = NULL;
    gl_ctx.gl.GetPointerv(GL_DEBUG_CALLBACK_FUNCTION, &callback);
    gl_ctx.gl.GetPointerv(GL_DEBUG_CALLBACK_USER_PARAM, &user);
    GLDEBUGPROC installed = NULL;
    memcpy(&installed, &callback, sizeof installed);
    assert_true(installed == app_callback);
    assert_ptr_equal(user, &app_marker);
    app_heard = 0;
    probe();
    assert_int_equal(app_heard, 1);
    assert_ptr_equal(app_user_seen, &app_marker);
}

/* ---- Two registries ------------------------------------------------------------------------- */

static void test_destroying_the_first_of_two_registries_keeps_the_second_fed(void **state) {
    (void)state;
    gpureg_registry *first = gl_test_registry(&gl_ctx, NULL), *second = gl_test_registry(&gl_ctx, NULL);
    gl_test_destroy(first);
    app_heard = 0;
    probe();
    assert_int_equal(heard_by(second), 1);
    assert_int_equal(app_heard, 0);
    gl_test_destroy(second);
}

static void test_destroying_two_registries_in_creation_order_gives_the_app_its_callback_back(void **state) {
    (void)state;
    gpureg_registry *first = gl_test_registry(&gl_ctx, NULL), *second = gl_test_registry(&gl_ctx, NULL);
    gl_test_destroy(first);
    gl_test_destroy(second);
    assert_app_callback_installed_and_fed();
}

static void test_destroying_the_second_of_two_registries_keeps_the_first_fed(void **state) {
    (void)state;
    gpureg_registry *first = gl_test_registry(&gl_ctx, NULL), *second = gl_test_registry(&gl_ctx, NULL);
    gl_test_destroy(second);
    app_heard = 0;
    probe();
    assert_int_equal(heard_by(first), 1);
    assert_int_equal(app_heard, 0);
    gl_test_destroy(first);
}

static void test_destroying_two_registries_in_reverse_order_gives_the_app_its_callback_back(void **state) {
    (void)state;
    gpureg_registry *first = gl_test_registry(&gl_ctx, NULL), *second = gl_test_registry(&gl_ctx, NULL);
    gl_test_destroy(second);
    gl_test_destroy(first);
    assert_app_callback_installed_and_fed();
}

/* ---- Three registries, the middle one destroyed first ---------------------------------------- */

static void test_three_registries_destroyed_middle_first_last_keep_every_listener_fed(void **state) {
    (void)state;
    gpureg_registry *first = gl_test_registry(&gl_ctx, NULL), *middle = gl_test_registry(&gl_ctx, NULL),
                    *last = gl_test_registry(&gl_ctx, NULL);
    gl_test_destroy(middle);
    probe();
    assert_int_equal(heard_by(last), 1);
    assert_int_equal(heard_by(first), 0);
    gl_test_destroy(first);
    probe();
    assert_int_equal(heard_by(last), 1);
    gl_test_destroy(last);
    assert_app_callback_installed_and_fed();
}

static void test_three_registries_destroyed_middle_last_first_keep_every_listener_fed(void **state) {
    (void)state;
    gpureg_registry *first = gl_test_registry(&gl_ctx, NULL), *middle = gl_test_registry(&gl_ctx, NULL),
                    *last = gl_test_registry(&gl_ctx, NULL);
    gl_test_destroy(middle);
    probe();
    assert_int_equal(heard_by(last), 1);
    gl_test_destroy(last);
    probe();
    assert_int_equal(heard_by(first), 1);
    assert_int_equal(app_heard, 0);
    gl_test_destroy(first);
    assert_app_callback_installed_and_fed();
}

/* ---- The app's own moves -------------------------------------------------------------------- */

static void test_a_callback_the_app_installs_over_a_registry_is_left_in_place(void **state) {
    (void)state;
    gl_ctx.gl.DebugMessageCallback(NULL, NULL);
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gl_ctx.gl.DebugMessageCallback(app_callback, &app_marker); /* the app takes over */
    gl_test_destroy(reg);
    assert_app_callback_installed_and_fed();
}

static void test_debug_output_goes_back_to_the_app_setting_only_with_the_last_registry(void **state) {
    (void)state;
    gl_ctx.gl.Disable(GL_DEBUG_OUTPUT_SYNCHRONOUS); /* the app had synchronous output off */
    gpureg_registry *first = gl_test_registry(&gl_ctx, NULL), *second = gl_test_registry(&gl_ctx, NULL);
    assert_true(gl_ctx.gl.IsEnabled(GL_DEBUG_OUTPUT_SYNCHRONOUS));
    gl_test_destroy(first);
    assert_true(gl_ctx.gl.IsEnabled(GL_DEBUG_OUTPUT)); /* the second registry still needs it */
    assert_true(gl_ctx.gl.IsEnabled(GL_DEBUG_OUTPUT_SYNCHRONOUS));
    gl_test_destroy(second);
    assert_true(gl_ctx.gl.IsEnabled(GL_DEBUG_OUTPUT));
    assert_false(gl_ctx.gl.IsEnabled(GL_DEBUG_OUTPUT_SYNCHRONOUS));
}

#define CHAIN_TEST(f) cmocka_unit_test_setup_teardown(f, app_installs_its_callback, app_takes_its_callback_away)

int main(void) {
    const struct CMUnitTest tests[] = {
        CHAIN_TEST(test_destroying_the_first_of_two_registries_keeps_the_second_fed),
        CHAIN_TEST(test_destroying_two_registries_in_creation_order_gives_the_app_its_callback_back),
        CHAIN_TEST(test_destroying_the_second_of_two_registries_keeps_the_first_fed),
        CHAIN_TEST(test_destroying_two_registries_in_reverse_order_gives_the_app_its_callback_back),
        CHAIN_TEST(test_three_registries_destroyed_middle_first_last_keep_every_listener_fed),
        CHAIN_TEST(test_three_registries_destroyed_middle_last_first_keep_every_listener_fed),
        CHAIN_TEST(test_a_callback_the_app_installs_over_a_registry_is_left_in_place),
        CHAIN_TEST(test_debug_output_goes_back_to_the_app_setting_only_with_the_last_registry),
    };
    return cmocka_run_group_tests(tests, gl_test_group_setup, gl_test_group_teardown);
}
