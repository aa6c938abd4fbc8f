/* gl_kinds_fixture.h — gpureg objects of every generic GL kind for the GL suites: shaders that
 * compile on every context kind, a program that draws a full-screen triangle in one colour, and
 * the GL calls that ask GL about a name of a given kind. */
#ifndef GPUREG_TEST_GL_KINDS_FIXTURE_H
#define GPUREG_TEST_GL_KINDS_FIXTURE_H

#include "gl_fixture.h"

/* The body (after the #version line) of a vertex shader drawing a full-screen triangle with no
 * vertex attributes, and of a fragment shader writing one colour. */
extern const char gl_test_vertex_body[];
extern const char gl_test_fragment_body[];

/* gpureg_shader_create of the kind's #version line and `body`, handed over without a NUL and
 * followed by bytes that do not compile, so only code_size bytes may be read. */
gpureg_result gl_test_shader_create(gpureg_registry *reg, gpureg_shader_stage stage, const char *body,
                                    const char *label, gpureg_object *out);

/* One of each generic kind, made through gpureg (the sampler only where the context has sampler
 * objects: {0} otherwise), and the colour texture the framebuffer draws into. */
typedef struct gl_test_kinds {
    gpureg_texture color;
    gpureg_object renderbuffer, framebuffer, vertex_array, sampler, vertex_shader, fragment_shader, program;
} gl_test_kinds;
enum { GL_TEST_KIND_OBJECTS = 7 }; /* the gpureg_objects above */

gl_test_kinds gl_test_kinds_create(gpureg_registry *reg, uint32_t size);
/* The objects as an array (for loops); count: GL_TEST_KIND_OBJECTS, fewer without a sampler. */
uint32_t gl_test_kinds_list(const gl_test_kinds *k, gpureg_object out[GL_TEST_KIND_OBJECTS]);
/* Release every object (the texture too). */
void gl_test_kinds_release(gpureg_registry *reg, const gl_test_kinds *k);

/* Whether the context has sampler objects: GL 3.3 or ARB_sampler_objects (every kind but gl32bare). */
int gl_test_has_sampler_objects(void);

/* glIsFramebuffer, glIsRenderbuffer, ... for the kind (texture and buffer too). */
GLboolean gl_test_is_kind(gpureg_object_kind kind, GLuint name);
/* glObjectLabel's identifier of the kind. */
GLenum gl_test_label_identifier(gpureg_object_kind kind);
/* The GL name and kind gpureg_gl_object_name gives (asserted OK). */
GLuint gl_test_object_name(gpureg_registry *reg, gpureg_object obj, gpureg_object_kind *kind);

#endif
