/* test_gl_lost.c — lost contexts. The registry gets its GL through a function table that counts
 * the calls that could touch the dead context (every delete, fence, label, state and debug call
 * of the destroy paths) and whose glGetGraphicsResetStatus answers what the test says. After
 * gpureg_gl_context_lost, or a reset seen by the polling at frame begin, frame end or collection,
 * creates answer DEVICE_LOST and no counted GL call is made again, destroy included, while the
 * handles are still released, queried, reported and freed.
 *
 * The context is not really lost, so each test has a context of its own: the registry leaves
 * its debug callback installed (it may not call GL to take it down), and the context goes with it. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gl_kinds_fixture.h"

/* ---- The counting function table -------------------------------------------------------------- */

static int calls;      /* counted GL calls since counting began */
static int counting;   /* count from now on */
static int reset_asks; /* glGetGraphicsResetStatus calls, counted or not */
static GLenum reset_status = GL_NO_ERROR;

#define COUNTED(X)                                                                                                     \
    X(void, DeleteTextures, (GLsizei n, const GLuint *a), (n, a))                                                      \
    X(void, DeleteBuffers, (GLsizei n, const GLuint *a), (n, a))                                                       \
    X(void, DeleteFramebuffers, (GLsizei n, const GLuint *a), (n, a))                                                  \
    X(void, DeleteRenderbuffers, (GLsizei n, const GLuint *a), (n, a))                                                 \
    X(void, DeleteVertexArrays, (GLsizei n, const GLuint *a), (n, a))                                                  \
    X(void, DeleteSamplers, (GLsizei n, const GLuint *a), (n, a))                                                      \
    X(void, DeleteShader, (GLuint a), (a))                                                                             \
    X(void, DeleteProgram, (GLuint a), (a))                                                                            \
    X(void, DeleteSync, (GLsync s), (s))                                                                               \
    X(GLsync, FenceSync, (GLenum c, GLbitfield f), (c, f))                                                             \
    X(GLenum, ClientWaitSync, (GLsync s, GLbitfield f, GLuint64 t), (s, f, t))                                         \
    X(void, Flush, (void), ())                                                                                         \
    X(GLenum, GetError, (void), ())                                                                                    \
    X(void, GetIntegerv, (GLenum p, GLint * v), (p, v))                                                                \
    X(GLboolean, IsEnabled, (GLenum c), (c))                                                                           \
    X(void, Enable, (GLenum c), (c))                                                                                   \
    X(void, Disable, (GLenum c), (c))                                                                                  \
    X(void, GetPointerv, (GLenum p, void **v), (p, v))                                                                 \
    X(void, DebugMessageCallback, (GLDEBUGPROC f, const void *u), (f, u))                                              \
    X(void, ObjectLabel, (GLenum i, GLuint n, GLsizei l, const GLchar *t), (i, n, l, t))                               \
    X(void, GenTextures, (GLsizei n, GLuint * a), (n, a))                                                              \
    X(void, CreateTextures, (GLenum t, GLsizei n, GLuint * a), (t, n, a))                                              \
    X(void, GenFramebuffers, (GLsizei n, GLuint * a), (n, a))                                                          \
    X(void, CreateFramebuffers, (GLsizei n, GLuint * a), (n, a))

#define REAL(ret, name, params, args) static ret(APIENTRY *real_##name) params;
#define WRAP(ret, name, params, args)                                                                                  \
    static ret APIENTRY counted_##name params {                                                                        \
        calls += counting;                                                                                             \
        return real_##name args;                                                                                       \
    }
COUNTED(REAL)
COUNTED(WRAP)

static GLenum APIENTRY fake_reset_status(void) {
    reset_asks++;
    calls += counting;
    return reset_status;
}

static gpureg_gl_proc counting_get_proc_address(const char *name) {
    if (!strncmp(name, "glGetGraphicsResetStatus", 24)) return (gpureg_gl_proc)fake_reset_status;
    gpureg_gl_proc p = gl_test_gate_get_proc_address(name); /* fences held back until shown */
#define SWAP(ret, fn, params, args)                                                                                    \
    if (p && !strcmp(name, "gl" #fn)) {                                                                                \
        memcpy(&real_##fn, &p, sizeof p);                                                                              \
        return (gpureg_gl_proc)counted_##fn;                                                                           \
    }
    COUNTED(SWAP)
#undef SWAP
    return p;
}

static gpureg_registry *counted_registry(void) {
    calls = counting = reset_asks = 0;
    gl_test_gate_reset();
    gl_test_gate_show(1 << 30); /* every fence as the GPU signals it, unless a test holds them */
    reset_status = GL_NO_ERROR;
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    gl.get_proc_address = counting_get_proc_address;
    gpureg_registry_desc desc = {.log = gl_test_log};
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_gl_create(&gl, &desc, &reg), GPUREG_OK);
    return reg;
}

/* ---- What a lost registry still does, and does not ----------------------------------------------- */

typedef struct everything {
    gl_test_kinds kinds;
    gpureg_buffer buffer;
    gpureg_object adopted; /* an app's program that gpureg was to delete */
    GLuint adopted_name;
} everything;

static everything make_everything(gpureg_registry *reg) {
    everything e;
    e.kinds = gl_test_kinds_create(reg, 8);
    /* A read: without direct state access it makes the framebuffer gpureg reads through. */
    unsigned char texels[8 * 8 * 4];
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_read(reg, e.kinds.color, &all, texels, sizeof texels), GPUREG_OK);
    gpureg_buffer_desc desc = {.size = 64};
    assert_int_equal(gpureg_buffer_create(reg, &desc, &e.buffer), GPUREG_OK);
    e.adopted_name = gl_ctx.gl.CreateProgram();
    gpureg_object_desc program = {.kind = GPUREG_KIND_PROGRAM, .label = "app's"};
    assert_int_equal(gpureg_gl_object_adopt(reg, &program, e.adopted_name, GPUREG_GL_ADOPT_DELETE, &e.adopted),
                     GPUREG_OK);
    return e;
}

/* Everything made before the loss is refused as lost, can still be released, and nothing of it
 * is deleted in GL (the names died with the context): they are still names here. */
static void assert_lost_and_deletes_nothing(gpureg_registry *reg, everything *e) {
    counting = 1;
    gpureg_texture tex = {1};
    gpureg_texture_desc td = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM};
    assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(tex.id, 0);
    gpureg_object obj = {1};
    gpureg_renderbuffer_desc rd = {.width = 4, .height = 4, .format = GPUREG_FORMAT_S8_UINT};
    assert_int_equal(gpureg_renderbuffer_create(reg, &rd, &obj), GPUREG_ERR_DEVICE_LOST);
    gpureg_framebuffer_desc fd = {.color = {e->kinds.color}};
    assert_int_equal(gpureg_framebuffer_create(reg, &fd, &obj), GPUREG_ERR_DEVICE_LOST);
    gpureg_vertex_array_desc vd = {0};
    assert_int_equal(gpureg_vertex_array_create(reg, &vd, &obj), GPUREG_ERR_DEVICE_LOST);
    gpureg_object_desc od = {.kind = GPUREG_KIND_PROGRAM};
    assert_int_equal(gpureg_gl_object_adopt(reg, &od, e->adopted_name, GPUREG_GL_ADOPT_DELETE, &obj),
                     GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(obj.id, 0);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_ERR_DEVICE_LOST);
    unsigned char texels[8 * 8 * 4] = {0};
    gpureg_texture_region all = {0};
    assert_int_equal(gpureg_texture_write(reg, e->kinds.color, &all, texels, sizeof texels, 0), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(gpureg_texture_read(reg, e->kinds.color, &all, texels, sizeof texels), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(gpureg_buffer_write(reg, e->buffer, 0, texels, 16), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(gpureg_set_label(reg, e->kinds.program.id, "renamed while lost"), GPUREG_OK);

    GLuint tex_name = 0, fb = gl_test_object_name(reg, e->kinds.framebuffer, NULL);
    GLuint program = gl_test_object_name(reg, e->kinds.program, NULL);
    assert_int_equal(gpureg_gl_texture_name(reg, e->kinds.color, &tex_name, NULL), GPUREG_OK);
    gl_test_kinds_release(reg, &e->kinds);
    assert_int_equal(gpureg_buffer_release(reg, e->buffer), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, e->adopted.id), GPUREG_OK);
    /* A lost registry destroys every released object at once, host-side. */
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(gpureg_query_state(reg, e->kinds.program.id), GPUREG_STATE_DESTROYED);
    assert_int_equal(gpureg_error_message_count(reg), 0);
    assert_int_equal(gpureg_destroy(reg), 0);
    counting = 0;
    assert_int_equal(calls, 0);
    assert_true(gl_ctx.gl.IsTexture(tex_name) && gl_ctx.gl.IsFramebuffer(fb) && gl_ctx.gl.IsProgram(program));
    assert_true(gl_ctx.gl.IsProgram(e->adopted_name));
}

static void test_context_lost_refuses_gl_work_and_destroy_calls_no_gl(void **state) {
    (void)state;
    gpureg_registry *reg = counted_registry();
    everything e = make_everything(reg);
    assert_int_equal(gpureg_gl_context_lost(reg), GPUREG_OK);
    assert_int_equal(gpureg_gl_context_lost(reg), GPUREG_OK); /* idempotent */
    assert_lost_and_deletes_nothing(reg, &e);
}

/* The same loss, seen by the driver: polling at frame begin. */
static void test_a_reset_seen_at_frame_begin_loses_the_registry(void **state) {
    (void)state;
    gpureg_registry *reg = counted_registry();
    everything e = make_everything(reg);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    assert_true(reset_asks > 0); /* the backend polls the status it loaded */
    reset_status = GL_GUILTY_CONTEXT_RESET;
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_ERR_DEVICE_LOST);
    int asked = reset_asks;
    assert_lost_and_deletes_nothing(reg, &e);
    assert_int_equal(reset_asks, asked); /* and never asks again */
}

static void test_a_reset_seen_at_frame_end_loses_the_registry(void **state) {
    (void)state;
    gpureg_registry *reg = counted_registry();
    everything e = make_everything(reg);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    reset_status = GL_INNOCENT_CONTEXT_RESET;
    assert_int_equal(gpureg_frame_end(reg), GPUREG_ERR_DEVICE_LOST);
    assert_lost_and_deletes_nothing(reg, &e);
}

static void test_a_reset_seen_by_a_collection_loses_the_registry(void **state) {
    (void)state;
    gpureg_registry *reg = counted_registry();
    everything e = make_everything(reg);
    reset_status = GL_UNKNOWN_CONTEXT_RESET;
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_ERR_DEVICE_LOST);
    assert_lost_and_deletes_nothing(reg, &e);
}

/* Released objects waiting for a fence go too, at the loss, without GL. */
static void test_objects_pending_at_the_loss_are_freed_without_gl(void **state) {
    (void)state;
    gpureg_registry *reg = counted_registry();
    gl_test_gate_show(0); /* no frame is ever done */
    gl_test_kinds k = gl_test_kinds_create(reg, 4);
    GLuint rb = gl_test_object_name(reg, k.renderbuffer, NULL);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    gl_test_kinds_release(reg, &k);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    gl_ctx.gl.Finish();
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_int_equal(gpureg_query_state(reg, k.renderbuffer.id), GPUREG_STATE_RELEASED); /* held back */
    counting = 1;
    reset_status = GL_GUILTY_CONTEXT_RESET;
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(gpureg_query_state(reg, k.renderbuffer.id), GPUREG_STATE_DESTROYED);
    gpureg_stats stats;
    assert_int_equal(gpureg_get_stats(reg, &stats), GPUREG_OK);
    assert_int_equal(stats.by_kind[GPUREG_KIND_RENDERBUFFER].pending_count, 0);
    assert_int_equal(destroyed, GL_TEST_KIND_OBJECTS + 1 - (gl_test_has_sampler_objects() ? 0 : 1));
    assert_int_equal(gpureg_error_message_count(reg), 0);
    assert_int_equal(gpureg_destroy(reg), 0);
    counting = 0;
    assert_int_equal(calls, 1); /* the one glGetGraphicsResetStatus that saw the reset */
    assert_true(gl_ctx.gl.IsRenderbuffer(rb));
}

static void *lose_elsewhere(void *reg) {
    static gpureg_result r;
    r = gpureg_gl_context_lost(reg);
    return &r;
}

static void test_context_lost_wants_a_gl_registry_on_its_owner_thread(void **state) {
    (void)state;
    gpureg_registry *reg = gl_test_registry(&gl_ctx, NULL);
    pthread_t thread;
    void *result = NULL;
    assert_int_equal(pthread_create(&thread, NULL, lose_elsewhere, reg), 0);
    assert_int_equal(pthread_join(thread, &result), 0);
    assert_int_equal(*(gpureg_result *)result, GPUREG_ERR_WRONG_THREAD);
    gpureg_object va; /* not lost */
    gpureg_vertex_array_desc desc = {0};
    assert_int_equal(gpureg_vertex_array_create(reg, &desc, &va), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, va.id), GPUREG_OK);
    gl_test_destroy(reg);
    assert_int_equal(gpureg_gl_context_lost(NULL), GPUREG_ERR_NULL_POINTER);
    gpureg_registry *null_reg = NULL;
    assert_int_equal(gpureg_null_create(NULL, &null_reg), GPUREG_OK);
    assert_int_equal(gpureg_gl_context_lost(null_reg), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(gpureg_destroy(null_reg), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
#define FRESH(test) cmocka_unit_test_setup_teardown(test, gl_test_group_setup, gl_test_group_teardown)
        FRESH(test_context_lost_refuses_gl_work_and_destroy_calls_no_gl),
        FRESH(test_a_reset_seen_at_frame_begin_loses_the_registry),
        FRESH(test_a_reset_seen_at_frame_end_loses_the_registry),
        FRESH(test_a_reset_seen_by_a_collection_loses_the_registry),
        FRESH(test_objects_pending_at_the_loss_are_freed_without_gl),
        FRESH(test_context_lost_wants_a_gl_registry_on_its_owner_thread),
#undef FRESH
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
