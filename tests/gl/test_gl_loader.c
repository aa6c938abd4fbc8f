/* test_gl_loader.c — gpureg_gl_current_loader in a GLFW process (under Xvfb), with a GLX context
 * and with an EGL one (GPUREG_TEST_GLFW_API=glx|egl). GLFW opens libGL / libEGL with RTLD_LOCAL,
 * so their symbols are not in the global scope: this program links neither, as a Go engine's
 * process does not, and the loader must find the current context all the same. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "gpureg/gpureg.h"
#include "gpureg/gpureg_gl.h"

static GLFWwindow *window;
static int egl;

static int setup(void **state) {
    const char *api = getenv("GPUREG_TEST_GLFW_API");
    egl = api && !strcmp(api, "egl");
    if (!glfwInit()) {
        print_error("glfwInit failed: is there a display (run under xvfb-run -a)?\n");
        return -1;
    }
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    glfwWindowHint(GLFW_CONTEXT_CREATION_API, egl ? GLFW_EGL_CONTEXT_API : GLFW_NATIVE_CONTEXT_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    window = glfwCreateWindow(64, 64, "gpureg loader test", NULL, NULL);
    if (!window) {
        print_error("glfwCreateWindow failed (%s)\n", egl ? "EGL" : "GLX");
        glfwTerminate();
        return -1;
    }
    return 0;
}

static int teardown(void **state) {
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}

static void no_current_context_answers_null_and_says_what_was_tried(void **state) {
    glfwMakeContextCurrent(NULL);
    char why[512] = "";
    assert_null(gpureg_gl_current_loader(why, sizeof why));
    print_message("why: %s\n", why);
    assert_non_null(strstr(why, "no GL context is current on this thread"));
    assert_non_null(strstr(why, "EGL"));
    assert_non_null(strstr(why, "GLX"));
    assert_null(gpureg_gl_current_loader(NULL, 0)); /* why is optional */
}

static void finds_the_current_context_of_libraries_opened_rtld_local(void **state) {
    glfwMakeContextCurrent(window);
    /* The situation of the defect: the context's library is not in the global scope. */
    assert_null(dlsym(RTLD_DEFAULT, egl ? "eglGetCurrentContext" : "glXGetCurrentContext"));
    char why[512] = "";
    gpureg_gl_get_proc_address_fn loader = gpureg_gl_current_loader(why, sizeof why);
    print_message("why: %s\n", why);
    assert_non_null(loader);
    assert_non_null(strstr(why, egl ? "EGL context current" : "GLX context current"));

    gpureg_gl_desc gl = {.get_proc_address = loader};
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF};
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_gl_create(&gl, &rd, &reg), GPUREG_OK);
    gpureg_texture_desc td = {.width = 16, .height = 16, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "loader"};
    gpureg_texture tex;
    assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_OK);
    uint32_t name = 0;
    assert_int_equal(gpureg_gl_texture_name(reg, tex, &name, NULL), GPUREG_OK);
    assert_true(name != 0);
    unsigned char pixels[16 * 16 * 4];
    memset(pixels, 0x5A, sizeof pixels);
    gpureg_texture_region region = {.width = 16, .height = 16};
    assert_int_equal(gpureg_texture_write(reg, tex, &region, pixels, sizeof pixels, 0), GPUREG_OK);
    unsigned char back[sizeof pixels];
    assert_int_equal(gpureg_texture_read(reg, tex, &region, back, sizeof back), GPUREG_OK);
    assert_memory_equal(back, pixels, sizeof pixels);
    assert_int_equal(gpureg_error_message_count(reg), 0);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_destroy(reg), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_current_context_answers_null_and_says_what_was_tried),
        cmocka_unit_test(finds_the_current_context_of_libraries_opened_rtld_local),
    };
    return cmocka_run_group_tests_name(getenv("GPUREG_TEST_GLFW_API") ? getenv("GPUREG_TEST_GLFW_API") : "glx", tests,
                                       setup, teardown);
}
