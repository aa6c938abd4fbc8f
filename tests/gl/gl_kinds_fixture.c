/* gl_kinds_fixture.c — see gl_kinds_fixture.h. */
#include "gl_kinds_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* Vertex 0, 1, 2 at (-1,-1), (3,-1), (-1,3): one triangle covers the whole viewport. */
const char gl_test_vertex_body[] = "void main() {\n"
                                   "  gl_Position = vec4(gl_VertexID == 1 ? 3.0 : -1.0,\n"
                                   "                     gl_VertexID == 2 ? 3.0 : -1.0, 0.0, 1.0);\n"
                                   "}\n";
const char gl_test_fragment_body[] = "out vec4 color;\n"
                                     "void main() { color = vec4(0.0, 1.0, 0.0, 1.0); }\n";

gpureg_result gl_test_shader_create(gpureg_registry *reg, gpureg_shader_stage stage, const char *body,
                                    const char *label, gpureg_object *out) {
    static const char tail[] = "#error read past code_size\n";
    char code[2048];
    int n = snprintf(code, sizeof code, "%s%s", gl_test_glsl_version(&gl_ctx), body);
    assert_true(n > 0 && (size_t)n + sizeof tail < sizeof code);
    memcpy(code + n, tail, sizeof tail);
    gpureg_shader_desc desc = {.stage = stage, .code = code, .code_size = (size_t)n, .label = label};
    return gpureg_shader_create(reg, &desc, out);
}

int gl_test_has_sampler_objects(void) { return !gl_ctx.bare; }

gl_test_kinds gl_test_kinds_create(gpureg_registry *reg, uint32_t size) {
    gl_test_kinds k;
    memset(&k, 0, sizeof k);
    gpureg_texture_desc color = {.width = size,
                                 .height = size,
                                 .format = GPUREG_FORMAT_RGBA8_UNORM,
                                 .usage = GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT,
                                 .label = "colour"};
    assert_int_equal(gpureg_texture_create(reg, &color, &k.color), GPUREG_OK);
    gpureg_renderbuffer_desc depth = {
        .width = size, .height = size, .format = GPUREG_FORMAT_D24_UNORM_S8_UINT, .label = "depth"};
    assert_int_equal(gpureg_renderbuffer_create(reg, &depth, &k.renderbuffer), GPUREG_OK);
    gpureg_framebuffer_desc fb = {.color = {k.color}, .depth_stencil = k.renderbuffer.id, .label = "target"};
    assert_int_equal(gpureg_framebuffer_create(reg, &fb, &k.framebuffer), GPUREG_OK);
    gpureg_vertex_array_desc va = {.label = "no attributes"};
    assert_int_equal(gpureg_vertex_array_create(reg, &va, &k.vertex_array), GPUREG_OK);
    if (gl_test_has_sampler_objects()) {
        gpureg_sampler_desc sampler = {.state = {.min_filter = GPUREG_FILTER_NEAREST}, .label = "point"};
        assert_int_equal(gpureg_sampler_create(reg, &sampler, &k.sampler), GPUREG_OK);
    }
    assert_int_equal(
        gl_test_shader_create(reg, GPUREG_STAGE_VERTEX, gl_test_vertex_body, "full screen", &k.vertex_shader),
        GPUREG_OK);
    assert_int_equal(
        gl_test_shader_create(reg, GPUREG_STAGE_FRAGMENT, gl_test_fragment_body, "green", &k.fragment_shader),
        GPUREG_OK);
    gpureg_object stages[2] = {k.vertex_shader, k.fragment_shader};
    gpureg_program_desc program = {.shaders = stages, .shader_count = 2, .label = "paint"};
    assert_int_equal(gpureg_program_create(reg, &program, &k.program), GPUREG_OK);
    return k;
}

uint32_t gl_test_kinds_list(const gl_test_kinds *k, gpureg_object out[GL_TEST_KIND_OBJECTS]) {
    const gpureg_object all[GL_TEST_KIND_OBJECTS] = {k->renderbuffer,  k->framebuffer,     k->vertex_array, k->sampler,
                                                     k->vertex_shader, k->fragment_shader, k->program};
    uint32_t n = 0;
    for (uint32_t i = 0; i < GL_TEST_KIND_OBJECTS; i++)
        if (all[i].id) out[n++] = all[i];
    return n;
}

void gl_test_kinds_release(gpureg_registry *reg, const gl_test_kinds *k) {
    gpureg_object list[GL_TEST_KIND_OBJECTS];
    uint32_t n = gl_test_kinds_list(k, list);
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(gpureg_release(reg, list[i].id), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, k->color), GPUREG_OK);
}

GLboolean gl_test_is_kind(gpureg_object_kind kind, GLuint name) {
    const gl_test_fns *gl = &gl_ctx.gl;
    switch (kind) {
    case GPUREG_KIND_TEXTURE:
        return gl->IsTexture(name);
    case GPUREG_KIND_BUFFER:
        return gl->IsBuffer(name);
    case GPUREG_KIND_FRAMEBUFFER:
        return gl->IsFramebuffer(name);
    case GPUREG_KIND_RENDERBUFFER:
        return gl->IsRenderbuffer(name);
    case GPUREG_KIND_VERTEX_ARRAY:
        return gl->IsVertexArray(name);
    case GPUREG_KIND_SAMPLER:
        return gl->IsSampler(name);
    case GPUREG_KIND_SHADER:
        return gl->IsShader(name);
    case GPUREG_KIND_PROGRAM:
        return gl->IsProgram(name);
    default:
        fail_msg("no GL kind %s", gpureg_kind_name(kind));
        return GL_FALSE;
    }
}

GLenum gl_test_label_identifier(gpureg_object_kind kind) {
    switch (kind) {
    case GPUREG_KIND_TEXTURE:
        return GL_TEXTURE;
    case GPUREG_KIND_BUFFER:
        return GL_BUFFER;
    case GPUREG_KIND_FRAMEBUFFER:
        return GL_FRAMEBUFFER;
    case GPUREG_KIND_RENDERBUFFER:
        return GL_RENDERBUFFER;
    case GPUREG_KIND_VERTEX_ARRAY:
        return GL_VERTEX_ARRAY;
    case GPUREG_KIND_SAMPLER:
        return GL_SAMPLER;
    case GPUREG_KIND_SHADER:
        return GL_SHADER;
    default:
        return GL_PROGRAM;
    }
}

GLuint gl_test_object_name(gpureg_registry *reg, gpureg_object obj, gpureg_object_kind *kind) {
    uint32_t name = 0;
    assert_int_equal(gpureg_gl_object_name(reg, obj, &name, kind), GPUREG_OK);
    assert_int_not_equal(name, 0);
    return name;
}
