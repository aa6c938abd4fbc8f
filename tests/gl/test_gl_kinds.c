/* test_gl_kinds.c — framebuffers, renderbuffers, vertex arrays, samplers, shaders and programs
 * in GL: made or adopted, each a GL name of its kind with gpureg's label, deleted only after the
 * fence of its release frame (held back through the function table) and a collection, and listed
 * in the report by kind. Also: which context versions the backend accepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gl_kinds_fixture.h"

static int has_labels(gpureg_registry *reg) {
    gpureg_gl_info info;
    assert_int_equal(gpureg_gl_get_info(reg, &info), GPUREG_OK);
    return (info.features & GPUREG_GL_FEATURE_DEBUG) != 0;
}

static void assert_label_contains(gpureg_object_kind kind, GLuint name, const char *text) {
    char label[320] = {0};
    gl_ctx.gl.GetObjectLabel(gl_test_label_identifier(kind), name, sizeof label, NULL, label);
    assert_non_null(strstr(label, "gpureg 0x"));
    assert_non_null(strstr(label, text));
}

/* ---- Versions ----------------------------------------------------------------------------------- */

/* The gl32 entries run under MESA_GL_VERSION_OVERRIDE=3.2: the backend takes a 3.2 core context. */
static void test_the_context_version_is_the_one_asked_for(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_gl_info info;
    assert_int_equal(gpureg_gl_get_info(reg, &info), GPUREG_OK);
    if (!strncmp(gl_ctx.kind, "gl32", 4)) {
        assert_int_equal(info.major, 3);
        assert_int_equal(info.minor, 2);
        assert_int_equal(info.is_gles, 0);
    } else {
        assert_true(info.is_gles ? info.major == 3 : info.major == 4);
    }
    if (gl_ctx.bare) { /* the override took: these are the paths a bare 3.2 driver lacks */
        assert_false(gl_test_has_extension(&gl_ctx, "GL_ARB_sampler_objects"));
        assert_false(gl_test_has_extension(&gl_ctx, "GL_ARB_texture_stencil8"));
        assert_int_equal(info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS, 0);
        assert_int_equal(info.features & GPUREG_GL_FEATURE_TEXTURE_STORAGE, 0);
    }
    gl_test_destroy(reg);
}

static void test_sampler_objects_follow_the_context(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gpureg_sampler_desc desc = {.label = "needs GL 3.3"};
    gpureg_object sampler = {99};
    gpureg_result r = gpureg_sampler_create(reg, &desc, &sampler);
    if (gl_test_has_sampler_objects()) {
        assert_int_equal(r, GPUREG_OK);
        assert_true(gl_ctx.gl.IsSampler(gl_test_object_name(reg, sampler, NULL)));
        assert_int_equal(gpureg_release(reg, sampler.id), GPUREG_OK);
    } else {
        assert_int_equal(r, GPUREG_ERR_UNSUPPORTED);
        assert_int_equal(sampler.id, 0);
        /* Adopting one is refused the same way (GL could not tell a name of one anyway). */
        gpureg_object_desc kind = {.kind = GPUREG_KIND_SAMPLER};
        assert_int_equal(gpureg_gl_object_adopt(reg, &kind, 1, GPUREG_GL_ADOPT_KEEP, &sampler), GPUREG_ERR_UNSUPPORTED);
    }
    gl_test_destroy(reg);
}

/* ---- Made by gpureg ----------------------------------------------------------------------------- */

static void test_each_object_is_a_gl_name_of_its_kind_with_its_label(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gl_test_kinds k = gl_test_kinds_create(reg, 16);
    const struct {
        gpureg_object obj;
        gpureg_object_kind kind;
        const char *label;
    } expected[] = {
        {k.renderbuffer, GPUREG_KIND_RENDERBUFFER, "depth"},
        {k.framebuffer, GPUREG_KIND_FRAMEBUFFER, "target"},
        {k.vertex_array, GPUREG_KIND_VERTEX_ARRAY, "no attributes"},
        {k.sampler, GPUREG_KIND_SAMPLER, "point"},
        {k.vertex_shader, GPUREG_KIND_SHADER, "full screen"},
        {k.fragment_shader, GPUREG_KIND_SHADER, "green"},
        {k.program, GPUREG_KIND_PROGRAM, "paint"},
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        if (!expected[i].obj.id) continue; /* no sampler objects in this context */
        gpureg_object_kind kind = GPUREG_KIND_UNDEFINED;
        GLuint name = gl_test_object_name(reg, expected[i].obj, &kind);
        assert_int_equal(kind, expected[i].kind);
        assert_true(gl_test_is_kind(kind, name));
        if (has_labels(reg)) assert_label_contains(kind, name, expected[i].label);
        gpureg_object_info info;
        assert_int_equal(gpureg_query(reg, expected[i].obj.id, &info), GPUREG_OK);
        assert_int_equal(info.type, GPUREG_TYPE_OBJECT);
        assert_int_equal(info.kind, expected[i].kind);
    }
    /* The kind is optional, and a texture is no generic object. */
    uint32_t name = 0;
    assert_int_equal(gpureg_gl_object_name(reg, k.program, &name, NULL), GPUREG_OK);
    assert_true(gl_ctx.gl.IsProgram(name));
    gpureg_object texture_as_object = {k.color.id};
    gpureg_object_kind kind = GPUREG_KIND_PROGRAM;
    assert_int_equal(gpureg_gl_object_name(reg, texture_as_object, &name, &kind), GPUREG_ERR_WRONG_TYPE);
    assert_int_equal(name, 0);
    assert_int_equal(kind, GPUREG_KIND_UNDEFINED);
    assert_int_equal(gpureg_gl_object_name(reg, k.program, NULL, NULL), GPUREG_ERR_NULL_POINTER);
    gl_test_kinds_release(reg, &k);
    gl_test_destroy(reg);
}

static void test_a_new_label_reaches_the_driver(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    if (!has_labels(reg)) {
        gl_test_destroy(reg);
        return; /* nothing carries a label without KHR_debug */
    }
    gl_test_kinds k = gl_test_kinds_create(reg, 4);
    gpureg_object list[GL_TEST_KIND_OBJECTS];
    uint32_t n = gl_test_kinds_list(&k, list);
    for (uint32_t i = 0; i < n; i++) {
        char label[32];
        snprintf(label, sizeof label, "renamed %u", i);
        assert_int_equal(gpureg_set_label(reg, list[i].id, label), GPUREG_OK);
        gpureg_object_kind kind;
        GLuint name = gl_test_object_name(reg, list[i], &kind);
        assert_label_contains(kind, name, label);
    }
    gl_test_kinds_release(reg, &k);
    gl_test_destroy(reg);
}

/* A linked program keeps no shader attached (they are deleted with their own handles), and
 * making a vertex array leaves the app's bound. */
static void test_creates_leave_no_attachment_and_no_binding_behind(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    GLuint app_vao = 0;
    gl_ctx.gl.GenVertexArrays(1, &app_vao);
    gl_ctx.gl.BindVertexArray(app_vao);
    gl_test_kinds k = gl_test_kinds_create(reg, 4);
    GLint bound = 0, attached = -1;
    gl_ctx.gl.GetIntegerv(GL_VERTEX_ARRAY_BINDING, &bound);
    assert_int_equal(bound, app_vao);
    gl_ctx.gl.GetProgramiv(gl_test_object_name(reg, k.program, NULL), GL_ATTACHED_SHADERS, &attached);
    assert_int_equal(attached, 0);
    gl_ctx.gl.BindVertexArray(0);
    gl_ctx.gl.DeleteVertexArrays(1, &app_vao);
    gl_test_kinds_release(reg, &k);
    gl_test_destroy(reg);
}

/* ---- Deferred deletion, with the fences held back ------------------------------------------------ */

static gpureg_registry *held_registry(void) {
    gl_test_gate_reset();
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    gl.get_proc_address = gl_test_gate_get_proc_address;
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_gl_create(&gl, NULL, &reg), GPUREG_OK);
    return reg;
}

static void test_each_kind_is_deleted_after_its_fence_and_a_collection(void **state) {
    (void)state;
    gpureg_registry *reg = held_registry();
    gl_test_kinds k = gl_test_kinds_create(reg, 8);
    gpureg_object list[GL_TEST_KIND_OBJECTS];
    uint32_t n = gl_test_kinds_list(&k, list);
    GLuint names[GL_TEST_KIND_OBJECTS];
    gpureg_object_kind kinds[GL_TEST_KIND_OBJECTS];
    for (uint32_t i = 0; i < n; i++)
        names[i] = gl_test_object_name(reg, list[i], &kinds[i]);

    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    gl_test_kinds_release(reg, &k);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    gl_ctx.gl.Finish(); /* the GPU is done; only the held fence says otherwise */
    uint32_t destroyed = 99;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 0);
    for (uint32_t i = 0; i < n; i++) {
        assert_true(gl_test_is_kind(kinds[i], names[i]));
        assert_int_equal(gpureg_query_state(reg, list[i].id), GPUREG_STATE_RELEASED);
    }

    gl_test_gate_show(1);
    /* The fence alone deletes nothing: the names go in the collection after it. */
    for (uint32_t i = 0; i < n; i++)
        assert_true(gl_test_is_kind(kinds[i], names[i]));
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, n + 1); /* and the colour texture */
    for (uint32_t i = 0; i < n; i++) {
        assert_false(gl_test_is_kind(kinds[i], names[i]));
        assert_int_equal(gpureg_query_state(reg, list[i].id), GPUREG_STATE_DESTROYED);
        uint32_t stale = 7;
        assert_int_equal(gpureg_gl_object_name(reg, list[i], &stale, NULL), GPUREG_ERR_STALE_HANDLE);
        assert_int_equal(stale, 0);
    }
    gl_test_destroy(reg);
}

/* ---- Adopted ------------------------------------------------------------------------------------ */

/* A name of `kind` made by the app the way apps make them (bound once where GL wants that). */
static GLuint app_object(gpureg_object_kind kind) {
    const gl_test_fns *gl = &gl_ctx.gl;
    GLuint name = 0;
    switch (kind) {
    case GPUREG_KIND_FRAMEBUFFER: {
        GLint previous = 0;
        gl->GetIntegerv(GL_FRAMEBUFFER_BINDING, &previous);
        gl->GenFramebuffers(1, &name);
        gl->BindFramebuffer(GL_FRAMEBUFFER, name);
        gl->BindFramebuffer(GL_FRAMEBUFFER, (GLuint)previous);
        break;
    }
    case GPUREG_KIND_RENDERBUFFER:
        gl->GenRenderbuffers(1, &name);
        gl->BindRenderbuffer(GL_RENDERBUFFER, name);
        gl->RenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, 4, 4);
        gl->BindRenderbuffer(GL_RENDERBUFFER, 0);
        break;
    case GPUREG_KIND_VERTEX_ARRAY:
        gl->GenVertexArrays(1, &name);
        gl->BindVertexArray(name);
        gl->BindVertexArray(0);
        break;
    case GPUREG_KIND_SAMPLER:
        gl->GenSamplers(1, &name);
        gl->SamplerParameteri(name, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        break;
    case GPUREG_KIND_SHADER:
        name = gl->CreateShader(GL_FRAGMENT_SHADER);
        break;
    default:
        name = gl->CreateProgram();
        break;
    }
    assert_true(gl_test_is_kind(kind, name));
    return name;
}

static void app_delete(gpureg_object_kind kind, GLuint name) {
    const gl_test_fns *gl = &gl_ctx.gl;
    switch (kind) {
    case GPUREG_KIND_FRAMEBUFFER:
        gl->DeleteFramebuffers(1, &name);
        break;
    case GPUREG_KIND_RENDERBUFFER:
        gl->DeleteRenderbuffers(1, &name);
        break;
    case GPUREG_KIND_VERTEX_ARRAY:
        gl->DeleteVertexArrays(1, &name);
        break;
    case GPUREG_KIND_SAMPLER:
        gl->DeleteSamplers(1, &name);
        break;
    case GPUREG_KIND_SHADER:
        gl->DeleteShader(name);
        break;
    default:
        gl->DeleteProgram(name);
        break;
    }
}

static const gpureg_object_kind gl_kinds[] = {GPUREG_KIND_FRAMEBUFFER,  GPUREG_KIND_RENDERBUFFER,
                                              GPUREG_KIND_VERTEX_ARRAY, GPUREG_KIND_SAMPLER,
                                              GPUREG_KIND_SHADER,       GPUREG_KIND_PROGRAM};
enum { GL_KINDS = sizeof gl_kinds / sizeof gl_kinds[0] };

static void test_adopted_objects_follow_their_ownership(void **state) {
    (void)state;
    gpureg_registry *reg = held_registry();
    GLuint given[GL_KINDS] = {0}, lent[GL_KINDS] = {0};
    gpureg_object owned[GL_KINDS] = {{0}}, borrowed[GL_KINDS] = {{0}};
    for (int i = 0; i < GL_KINDS; i++) {
        gpureg_object_kind kind = gl_kinds[i];
        if (kind == GPUREG_KIND_SAMPLER && !gl_test_has_sampler_objects()) continue;
        given[i] = app_object(kind);
        lent[i] = app_object(kind);
        gpureg_object_desc desc = {.kind = kind, .label = "the app's"};
        assert_int_equal(gpureg_gl_object_adopt(reg, &desc, given[i], GPUREG_GL_ADOPT_DELETE, &owned[i]), GPUREG_OK);
        assert_int_equal(gpureg_gl_object_adopt(reg, &desc, lent[i], GPUREG_GL_ADOPT_KEEP, &borrowed[i]), GPUREG_OK);
        gpureg_object_kind got;
        assert_int_equal(gl_test_object_name(reg, owned[i], &got), given[i]);
        assert_int_equal(got, kind);
        assert_int_equal(gl_test_object_name(reg, borrowed[i], &got), lent[i]);
        if (has_labels(reg)) assert_label_contains(kind, given[i], "the app's");
        gpureg_object_info info;
        assert_int_equal(gpureg_query(reg, owned[i].id, &info), GPUREG_OK);
        assert_int_equal(info.kind, kind);
        assert_true(info.adopted);
    }
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    for (int i = 0; i < GL_KINDS; i++) {
        if (!given[i]) continue;
        assert_int_equal(gpureg_release(reg, owned[i].id), GPUREG_OK);
        assert_int_equal(gpureg_release(reg, borrowed[i].id), GPUREG_OK);
    }
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    gl_ctx.gl.Finish();
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    for (int i = 0; i < GL_KINDS; i++) /* deferred like gpureg's own */
        if (given[i]) assert_true(gl_test_is_kind(gl_kinds[i], given[i]));
    gl_test_gate_show(1);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    for (int i = 0; i < GL_KINDS; i++) {
        if (!given[i]) continue;
        assert_false(gl_test_is_kind(gl_kinds[i], given[i]));
        assert_true(gl_test_is_kind(gl_kinds[i], lent[i])); /* still the app's */
        app_delete(gl_kinds[i], lent[i]);
    }
    gl_test_destroy(reg);
}

static void test_adoption_checks_the_name_kind_and_ownership(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    GLuint program = app_object(GPUREG_KIND_PROGRAM), vertex_array = app_object(GPUREG_KIND_VERTEX_ARRAY);
    gpureg_object out = {5};
    gpureg_object_desc as_framebuffer = {.kind = GPUREG_KIND_FRAMEBUFFER};
    /* A name of another kind, a name GL never gave, and 0. */
    assert_int_equal(gpureg_gl_object_adopt(reg, &as_framebuffer, vertex_array, GPUREG_GL_ADOPT_DELETE, &out),
                     GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(out.id, 0);
    gpureg_object_desc as_shader = {.kind = GPUREG_KIND_SHADER};
    assert_int_equal(gpureg_gl_object_adopt(reg, &as_shader, 987654, GPUREG_GL_ADOPT_DELETE, &out),
                     GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(gpureg_gl_object_adopt(reg, &as_shader, 0, GPUREG_GL_ADOPT_DELETE, &out),
                     GPUREG_ERR_INVALID_ARGUMENT);
    /* Kinds this call does not take: textures and buffers have their own, Vulkan's none in GL. */
    gpureg_object_kind foreign[] = {GPUREG_KIND_UNDEFINED,  GPUREG_KIND_TEXTURE,         GPUREG_KIND_BUFFER,
                                    GPUREG_KIND_IMAGE_VIEW, GPUREG_KIND_DESCRIPTOR_POOL, (gpureg_object_kind)77};
    for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
        gpureg_object_desc desc = {.kind = foreign[i]};
        assert_int_equal(gpureg_gl_object_adopt(reg, &desc, program, GPUREG_GL_ADOPT_DELETE, &out),
                         GPUREG_ERR_INVALID_ARGUMENT);
    }
    gpureg_object_desc as_program = {.kind = GPUREG_KIND_PROGRAM};
    assert_int_equal(gpureg_gl_object_adopt(reg, &as_program, program, (gpureg_gl_ownership)9, &out),
                     GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(gpureg_gl_object_adopt(reg, NULL, program, GPUREG_GL_ADOPT_DELETE, &out), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_gl_object_adopt(reg, &as_program, program, GPUREG_GL_ADOPT_DELETE, NULL),
                     GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_gl_object_adopt(NULL, &as_program, program, GPUREG_GL_ADOPT_DELETE, &out),
                     GPUREG_ERR_NULL_POINTER);
    assert_int_equal(out.id, 0);
    gpureg_stats stats;
    assert_int_equal(gpureg_get_stats(reg, &stats), GPUREG_OK);
    for (int kind = GPUREG_KIND_FRAMEBUFFER; kind < GPUREG_KIND_COUNT; kind++)
        assert_int_equal(stats.by_kind[kind].created_total, 0);
    /* Nothing adopted: both names are still the app's alone. */
    assert_true(gl_ctx.gl.IsProgram(program) && gl_ctx.gl.IsVertexArray(vertex_array));
    gl_ctx.gl.DeleteProgram(program);
    gl_ctx.gl.DeleteVertexArrays(1, &vertex_array);

    /* Another backend's registry has no GL names to adopt. */
    gpureg_registry *null_reg = NULL;
    assert_int_equal(gpureg_null_create(NULL, &null_reg), GPUREG_OK);
    assert_int_equal(gpureg_gl_object_adopt(null_reg, &as_program, 1, GPUREG_GL_ADOPT_DELETE, &out),
                     GPUREG_ERR_UNSUPPORTED);
    uint32_t name = 3;
    assert_int_equal(gpureg_gl_object_name(null_reg, out, &name, NULL), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(name, 0);
    assert_int_equal(gpureg_destroy(null_reg), 0);
    gl_test_destroy(reg);
}

/* ---- Report -------------------------------------------------------------------------------------- */

typedef struct text {
    char bytes[32768];
    size_t length;
} text;

static void append(const char *bytes, size_t length, void *user) {
    text *t = user;
    size_t room = sizeof t->bytes - 1 - t->length;
    if (length > room) length = room;
    memcpy(t->bytes + t->length, bytes, length);
    t->length += length;
    t->bytes[t->length] = '\0';
}

static void test_the_report_lists_every_kind_by_name(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    gl_test_kinds k = gl_test_kinds_create(reg, 4);
    static text json, plain;
    json.length = plain.length = 0;
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_JSON, append, &json), GPUREG_OK);
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_TEXT, append, &plain), GPUREG_OK);
    const char *names[] = {"renderbuffer", "framebuffer", "vertex_array", "sampler", "shader", "program"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!strcmp(names[i], "sampler") && !gl_test_has_sampler_objects()) continue;
        char quoted[64];
        snprintf(quoted, sizeof quoted, "\"type\": \"%s\"", names[i]);
        if (!strstr(json.bytes, quoted)) fail_msg("no %s in the JSON report:\n%s", quoted, json.bytes);
        if (!strstr(plain.bytes, names[i])) fail_msg("no %s in the text report:\n%s", names[i], plain.bytes);
    }
    gl_test_kinds_release(reg, &k);
    gl_test_destroy(reg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_context_version_is_the_one_asked_for),
        cmocka_unit_test(test_sampler_objects_follow_the_context),
        cmocka_unit_test(test_each_object_is_a_gl_name_of_its_kind_with_its_label),
        cmocka_unit_test(test_a_new_label_reaches_the_driver),
        cmocka_unit_test(test_creates_leave_no_attachment_and_no_binding_behind),
        cmocka_unit_test(test_each_kind_is_deleted_after_its_fence_and_a_collection),
        cmocka_unit_test(test_adopted_objects_follow_their_ownership),
        cmocka_unit_test(test_adoption_checks_the_name_kind_and_ownership),
        cmocka_unit_test(test_the_report_lists_every_kind_by_name),
    };
    return cmocka_run_group_tests(tests, gl_test_group_setup, gl_test_group_teardown);
}
