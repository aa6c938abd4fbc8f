/* test_gl_api_header.c — src/gl/gl_api.h agrees with the Khronos headers of this system.
 *
 * The check is done by the compiler: the system <GL/glcorearb.h> (and, where installed, the GLES
 * <GLES2/gl2ext.h> for the two EXT names glcorearb.h lacks) come first, then gpureg's own gl_api.h.
 * C11 allows a typedef to be repeated only with the same type, and a macro to be redefined only with
 * the same replacement list; any other redefinition is diagnosed, and this target is built with
 * -Werror. So a constant with another value, a scalar type of another C type, or an entry point with
 * another signature or calling convention fails the build of this test. What runs is a formality. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* The system headers first, then ours; gl2ext.h needs gl2platform.h before it. */
/* clang-format off */
#include <GL/glcorearb.h>
#if defined(__has_include)
#if __has_include(<GLES2/gl2ext.h>)
#include <GLES2/gl2platform.h>
#include <GLES2/gl2ext.h>
#define HAVE_GL2EXT 1
#endif
#endif

#include "gl/gl_api.h"
/* clang-format on */

_Static_assert(GL_BGRA_EXT == GL_BGRA, "EXT_texture_format_BGRA8888 reuses the desktop GL_BGRA value");
_Static_assert(sizeof(GLsync) == sizeof(void *), "GLsync is a pointer");
_Static_assert(sizeof(GLintptr) == sizeof(void *), "GLintptr is pointer-sized");
_Static_assert(sizeof(GLsizeiptr) == sizeof(void *), "GLsizeiptr is pointer-sized");
_Static_assert(sizeof(GLuint64) == 8, "GLuint64 is 64 bits");

static void test_types_and_values_match_the_registry(void **state) {
    (void)state;
    assert_int_equal(sizeof(GLsync), sizeof(void *));
    assert_int_equal(sizeof(GLenum), 4);
    assert_int_equal(sizeof(GLboolean), 1);
    assert_int_equal(GL_TEXTURE_2D_ARRAY, 0x8C1A);
    assert_int_equal(GL_BGRA8_EXT, 0x93A1);
    assert_int_equal(GL_SYNC_GPU_COMMANDS_COMPLETE, 0x9117);
#ifdef HAVE_GL2EXT
    print_message("checked against glcorearb.h and gl2ext.h\n");
#else
    print_message("checked against glcorearb.h (no GLES2/gl2ext.h here: the EXT names were not compared)\n");
#endif
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_and_values_match_the_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
