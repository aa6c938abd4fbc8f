/* test_gl_churn.c — thousands of frames that draw with textures while the owner and two other
 * threads release them at random points. The fences the registry sees are the real ones, but the
 * test decides when each signalled fence becomes visible (through the function table), so it can
 * say for every object exactly which collection must delete it: the first one after the fence of
 * its release frame is seen signalled, never earlier, never later. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gl_fixture.h"

enum { FRAMES = 2000, CREATES_PER_FRAME = 6, WORKERS = 2, MAX_OBJECTS = FRAMES * CREATES_PER_FRAME + 16 };

/* ---- Objects ------------------------------------------------------------------------------------ */
typedef struct object {
    gpureg_texture tex;
    GLuint name;
    uint64_t release_serial; /* 0 while live */
    int deleted;
} object;

static object objects[MAX_OBJECTS];
static int object_count;
static int live[MAX_OBJECTS], live_count;

/* ---- Workers: release what the owner hands them, while the owner draws ------------------------- */
typedef struct worker {
    gpureg_registry *reg;
    gpureg_texture batch[8];
    int count;
    int failures;
} worker;

static worker workers[WORKERS];
static pthread_barrier_t start_line, finish_line;
static int stopping;

static void *worker_main(void *arg) {
    worker *w = arg;
    for (;;) {
        pthread_barrier_wait(&start_line);
        if (stopping) return NULL;
        for (int i = 0; i < w->count; i++)
            if (gpureg_texture_release(w->reg, w->batch[i]) != GPUREG_OK) w->failures++;
        pthread_barrier_wait(&finish_line);
    }
}

/* ---- Drawing ------------------------------------------------------------------------------------ */
static GLuint program, vao, framebuffer;

static GLuint compile(GLenum kind, const char *body) {
    const char *sources[2] = {gl_test_glsl_version(&gl_ctx), body};
    GLuint shader = gl_ctx.gl.CreateShader(kind);
    gl_ctx.gl.ShaderSource(shader, 2, sources, NULL);
    gl_ctx.gl.CompileShader(shader);
    GLint ok = 0;
    gl_ctx.gl.GetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024] = {0};
        gl_ctx.gl.GetShaderInfoLog(shader, sizeof log, NULL, log);
        fail_msg("shader: %s", log);
    }
    return shader;
}

static void make_pipeline(gpureg_registry *reg, gpureg_texture target) {
    GLuint vs = compile(GL_VERTEX_SHADER, "out vec2 uv;\n"
                                          "void main() {\n"
                                          "  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));\n"
                                          "  uv = p; gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);\n"
                                          "}\n");
    GLuint fs = compile(GL_FRAGMENT_SHADER, "in vec2 uv; uniform sampler2D image; out vec4 color;\n"
                                            "void main() { color = texture(image, uv); }\n");
    program = gl_ctx.gl.CreateProgram();
    gl_ctx.gl.AttachShader(program, vs);
    gl_ctx.gl.AttachShader(program, fs);
    gl_ctx.gl.LinkProgram(program);
    gl_ctx.gl.DeleteShader(vs);
    gl_ctx.gl.DeleteShader(fs);
    GLint ok = 0;
    gl_ctx.gl.GetProgramiv(program, GL_LINK_STATUS, &ok);
    assert_true(ok);
    gl_ctx.gl.GenVertexArrays(1, &vao);
    gl_ctx.gl.GenFramebuffers(1, &framebuffer);
    uint32_t name = 0;
    assert_int_equal(gpureg_gl_texture_name(reg, target, &name, NULL), GPUREG_OK);
    gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, framebuffer);
    gl_ctx.gl.FramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, name, 0);
    assert_int_equal(gl_ctx.gl.CheckFramebufferStatus(GL_FRAMEBUFFER), GL_FRAMEBUFFER_COMPLETE);
    gl_ctx.gl.Viewport(0, 0, 32, 32);
    gl_ctx.gl.UseProgram(program);
    gl_ctx.gl.BindVertexArray(vao);
    gl_ctx.gl.ActiveTexture(GL_TEXTURE0);
}

static void draw_with(GLuint name) {
    gl_ctx.gl.BindTexture(GL_TEXTURE_2D, name);
    gl_ctx.gl.DrawArrays(GL_TRIANGLES, 0, 3);
}

/* ---- The run ------------------------------------------------------------------------------------ */
static unsigned next_random(unsigned *seed) { return (unsigned)rand_r(seed); }

static void create_some(gpureg_registry *reg, unsigned *seed) {
    for (int i = 0; i < CREATES_PER_FRAME; i++) {
        object *o = &objects[object_count];
        gpureg_texture_desc desc = {.width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "churn"};
        assert_int_equal(gpureg_texture_create(reg, &desc, &o->tex), GPUREG_OK);
        unsigned char px[8 * 8 * 4];
        memset(px, (int)(next_random(seed) & 0xff), sizeof px);
        gpureg_texture_region all = {0};
        assert_int_equal(gpureg_texture_write(reg, o->tex, &all, px, sizeof px, 0), GPUREG_OK);
        assert_int_equal(gpureg_gl_texture_name(reg, o->tex, &o->name, NULL), GPUREG_OK);
        live[live_count++] = object_count++;
    }
}

/* Take a random live object out of the live set and mark it released in `serial`. */
static object *pick_for_release(unsigned *seed, uint64_t serial) {
    int at = (int)(next_random(seed) % (unsigned)live_count);
    object *o = &objects[live[at]];
    live[at] = live[--live_count];
    o->release_serial = serial;
    return o;
}

/* After a collection: every object whose release frame's fence is visible is gone, exactly now;
 * every other released object is still there. No create happened since, so no name was reused. */
static void check_deletions(gpureg_registry *reg, uint32_t destroyed_now) {
    uint64_t visible_serial = (uint64_t)gl_test_gate_shown(); /* frame k's fence is the k-th */
    uint32_t newly = 0;
    for (int i = 0; i < object_count; i++) {
        object *o = &objects[i];
        if (!o->release_serial || o->deleted) continue;
        if (o->release_serial <= visible_serial) {
            assert_int_equal(gpureg_query_state(reg, o->tex.id), GPUREG_STATE_DESTROYED);
            assert_false(gl_ctx.gl.IsTexture(o->name));
            o->deleted = 1;
            newly++;
        } else {
            assert_int_equal(gpureg_query_state(reg, o->tex.id), GPUREG_STATE_RELEASED);
            assert_true(gl_ctx.gl.IsTexture(o->name));
        }
    }
    assert_int_equal(destroyed_now, newly);
}

static void test_churn_deletes_each_object_at_the_first_collection_after_its_fence(void **state) {
    (void)state;
    gl_test_gate_reset();
    gpureg_gl_desc gl = gl_test_desc(&gl_ctx);
    gl.get_proc_address = gl_test_gate_get_proc_address;
    gpureg_registry *reg = NULL;
    gpureg_registry_desc desc = {.log = gl_test_log};
    assert_int_equal(gpureg_gl_create(&gl, &desc, &reg), GPUREG_OK);
    gpureg_texture target;
    gpureg_texture_desc target_desc = {
        .width = 32, .height = 32, .format = GPUREG_FORMAT_RGBA8_UNORM, .usage = GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT};
    assert_int_equal(gpureg_texture_create(reg, &target_desc, &target), GPUREG_OK);
    make_pipeline(reg, target);

    pthread_barrier_init(&start_line, NULL, WORKERS + 1);
    pthread_barrier_init(&finish_line, NULL, WORKERS + 1);
    pthread_t threads[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        workers[w] = (worker){.reg = reg};
        assert_int_equal(pthread_create(&threads[w], NULL, worker_main, &workers[w]), 0);
    }
    unsigned seed = 12345;
    uint64_t destroyed_total = 0;
    for (int frame = 0; frame < FRAMES; frame++) {
        assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
        uint64_t serial = gpureg_frame_serial(reg);
        create_some(reg, &seed);
        /* Hand the workers some objects, then draw with others and release those right after
         * the draw, while the GPU may still read them. */
        for (int w = 0; w < WORKERS; w++) {
            workers[w].count = live_count > 40 ? (int)(next_random(&seed) % 4) : 0;
            for (int i = 0; i < workers[w].count; i++)
                workers[w].batch[i] = pick_for_release(&seed, serial)->tex;
        }
        pthread_barrier_wait(&start_line);
        for (int i = 0; i < 4 && live_count; i++)
            draw_with(objects[live[next_random(&seed) % (unsigned)live_count]].name);
        int owner_releases = live_count > 40 ? (int)(next_random(&seed) % 4) : 0;
        for (int i = 0; i < owner_releases; i++) {
            object *o = pick_for_release(&seed, serial);
            draw_with(o->name);
            assert_int_equal(gpureg_texture_release(reg, o->tex), GPUREG_OK);
        }
        pthread_barrier_wait(&finish_line);
        assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);

        /* Let the registry see some of the fences the GPU has signalled (sometimes none). */
        if (next_random(&seed) % 8 == 0) gl_ctx.gl.Finish();
        int shown = gl_test_gate_shown(), really = gl_test_gate_really_signalled();
        if (really > shown) gl_test_gate_show(shown + (int)(next_random(&seed) % (unsigned)(really - shown + 1)));
        uint32_t destroyed = 0;
        assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
        check_deletions(reg, destroyed);
        destroyed_total += destroyed;
    }
    stopping = 1;
    pthread_barrier_wait(&start_line);
    for (int w = 0; w < WORKERS; w++) {
        pthread_join(threads[w], NULL);
        assert_int_equal(workers[w].failures, 0);
    }

    /* Release the rest, let every fence show, and everything goes. */
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    uint64_t serial = gpureg_frame_serial(reg);
    while (live_count)
        assert_int_equal(gpureg_texture_release(reg, pick_for_release(&seed, serial)->tex), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    gl_ctx.gl.Finish();
    gl_test_gate_show(gl_test_gate_recorded());
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    check_deletions(reg, destroyed);
    destroyed_total += destroyed;
    assert_int_equal(destroyed_total, (uint64_t)object_count);
    gpureg_stats stats;
    assert_int_equal(gpureg_get_stats(reg, &stats), GPUREG_OK);
    assert_int_equal(stats.texture.pending_count, 0);
    assert_int_equal(stats.texture.live_count, 1); /* the render target */
    printf("%d frames, %d textures created and deleted on time, %llu destroyed\n", FRAMES, object_count,
           (unsigned long long)destroyed_total);

    gl_ctx.gl.BindFramebuffer(GL_FRAMEBUFFER, 0);
    gl_ctx.gl.DeleteFramebuffers(1, &framebuffer);
    gl_ctx.gl.DeleteVertexArrays(1, &vao);
    gl_ctx.gl.DeleteProgram(program);
    assert_int_equal(gpureg_texture_release(reg, target), GPUREG_OK);
    pthread_barrier_destroy(&start_line);
    pthread_barrier_destroy(&finish_line);
    gl_test_destroy(reg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_churn_deletes_each_object_at_the_first_collection_after_its_fence),
    };
    return cmocka_run_group_tests(tests, gl_test_group_setup, gl_test_group_teardown);
}
