/* test_kinds.c — the generic object kinds on the null backend: every create and adopt call, the
 * refcount and deferred destruction they share with textures, stats and reports by kind,
 * dependents (gpureg_object_depend), render targets as one unit, a texture's sampler state and
 * a buffer's update frequency. */
#include "test_util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"

/* ---- frames and collection ------------------------------------------------------------------ */
static void begin(gpureg_registry *reg) { assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK); }
static void end(gpureg_registry *reg) { assert_int_equal(gpureg_frame_end(reg), GPUREG_OK); }
static void signal_fence(gpureg_registry *reg, uint64_t serial) {
    assert_int_equal(gpureg_null_signal(reg, serial), GPUREG_OK);
}
/* gpureg_collect, answering how many objects it destroyed. */
static uint32_t collect(gpureg_registry *reg) {
    uint32_t destroyed = 12345;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    return destroyed;
}

/* ---- objects of every kind ------------------------------------------------------------------ */
static const char shader_code[] = "#version 450\nvoid main() {}\n";

static gpureg_texture color_texture(gpureg_registry *reg, uint32_t width, uint32_t height) {
    gpureg_texture_desc td = {.width = width,
                              .height = height,
                              .format = GPUREG_FORMAT_RGBA8_UNORM,
                              .usage = GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT};
    gpureg_texture t = {0};
    assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    return t;
}

static gpureg_texture depth_texture(gpureg_registry *reg, uint32_t width, uint32_t height) {
    gpureg_texture_desc td = {.width = width,
                              .height = height,
                              .format = GPUREG_FORMAT_D32_FLOAT,
                              .usage = GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT};
    gpureg_texture t = {0};
    assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    return t;
}

static gpureg_object renderbuffer(gpureg_registry *reg, uint32_t width, uint32_t height, gpureg_format format,
                                  uint32_t samples) {
    gpureg_renderbuffer_desc rd = {.width = width, .height = height, .format = format, .samples = samples};
    gpureg_object o = {0};
    assert_int_equal(gpureg_renderbuffer_create(reg, &rd, &o), GPUREG_OK);
    assert_true(o.id != 0);
    return o;
}

static gpureg_object framebuffer_of(gpureg_registry *reg, gpureg_texture color, gpureg_handle depth_stencil) {
    gpureg_framebuffer_desc fd = {.color = {color}, .depth_stencil = depth_stencil};
    gpureg_object o = {0};
    assert_int_equal(gpureg_framebuffer_create(reg, &fd, &o), GPUREG_OK);
    assert_true(o.id != 0);
    return o;
}

static gpureg_object sampler(gpureg_registry *reg) {
    gpureg_sampler_desc sd = {0};
    gpureg_object o = {0};
    assert_int_equal(gpureg_sampler_create(reg, &sd, &o), GPUREG_OK);
    assert_true(o.id != 0);
    return o;
}

static gpureg_object shader(gpureg_registry *reg, gpureg_shader_stage stage) {
    gpureg_shader_desc sd = {.stage = stage, .code = shader_code, .code_size = sizeof shader_code - 1u};
    gpureg_object o = {0};
    assert_int_equal(gpureg_shader_create(reg, &sd, &o), GPUREG_OK);
    assert_true(o.id != 0);
    return o;
}

static gpureg_object program_of(gpureg_registry *reg, const gpureg_object *shaders, uint32_t count) {
    gpureg_program_desc pd = {.shaders = shaders, .shader_count = count};
    gpureg_object o = {0};
    assert_int_equal(gpureg_program_create(reg, &pd, &o), GPUREG_OK);
    assert_true(o.id != 0);
    return o;
}

static gpureg_object vertex_array(gpureg_registry *reg) {
    gpureg_vertex_array_desc vd = {0};
    gpureg_object o = {0};
    assert_int_equal(gpureg_vertex_array_create(reg, &vd, &o), GPUREG_OK);
    assert_true(o.id != 0);
    return o;
}

/* An adopted object of `kind` whose destruction `ac` records. */
static gpureg_object adopt_kind(gpureg_registry *reg, gpureg_object_kind kind, uint64_t native, adopt_counter *ac) {
    gpureg_object_desc od = {.kind = kind};
    gpureg_object o = {0};
    assert_int_equal(gpureg_object_adopt(reg, &od, native, adopt_counter_destroy_fn, ac, &o), GPUREG_OK);
    assert_true(o.id != 0);
    return o;
}

static gpureg_texture adopt_texture(gpureg_registry *reg, uint64_t native, adopt_counter *ac) {
    gpureg_texture_desc td = small_texture_desc();
    gpureg_texture t = {0};
    assert_int_equal(gpureg_texture_adopt(reg, &td, native, adopt_counter_destroy_fn, ac, &t), GPUREG_OK);
    return t;
}

/* One object made by each generic create call (and the colour texture and the shader that the
 * framebuffer and the program are made of). */
#define KIT_SIZE 6
typedef struct kit {
    gpureg_texture color;
    gpureg_object objects[KIT_SIZE];
} kit;
static const gpureg_object_kind kit_kinds[KIT_SIZE] = {GPUREG_KIND_RENDERBUFFER, GPUREG_KIND_FRAMEBUFFER,
                                                       GPUREG_KIND_SAMPLER,      GPUREG_KIND_SHADER,
                                                       GPUREG_KIND_PROGRAM,      GPUREG_KIND_VERTEX_ARRAY};

static kit make_kit(gpureg_registry *reg) {
    kit k;
    k.color = color_texture(reg, 8, 8);
    k.objects[0] = renderbuffer(reg, 8, 8, GPUREG_FORMAT_D24_UNORM_S8_UINT, 0);
    k.objects[1] = framebuffer_of(reg, k.color, k.objects[0].id);
    k.objects[2] = sampler(reg);
    k.objects[3] = shader(reg, GPUREG_STAGE_VERTEX);
    k.objects[4] = program_of(reg, &k.objects[3], 1);
    k.objects[5] = vertex_array(reg);
    return k;
}

static gpureg_object_info query(const gpureg_registry *reg, gpureg_handle h) {
    gpureg_object_info info;
    memset(&info, 0xAB, sizeof info);
    assert_int_equal(gpureg_query(reg, h, &info), GPUREG_OK);
    return info;
}

static void assert_label(const gpureg_registry *reg, gpureg_handle h, const char *expected) {
    char buf[GPUREG_MAX_LABEL_LENGTH + 1];
    assert_int_equal(gpureg_get_label(reg, h, buf, sizeof buf, NULL), GPUREG_OK);
    assert_string_equal(buf, expected);
}

/* ---- stats ----------------------------------------------------------------------------------- */
static void assert_type_stats_equal_at(const gpureg_type_stats *a, const gpureg_type_stats *b, const char *what,
                                       const char *file, int line) {
    if (memcmp(a, b, sizeof *a) != 0) {
        print_error("%s:%d: %s differ: live %llu/%llu B pending %llu/%llu B created %llu destroyed %llu vs "
                    "live %llu/%llu B pending %llu/%llu B created %llu destroyed %llu\n",
                    file, line, what, (unsigned long long)a->live_count, (unsigned long long)a->live_bytes,
                    (unsigned long long)a->pending_count, (unsigned long long)a->pending_bytes,
                    (unsigned long long)a->created_total, (unsigned long long)a->destroyed_total,
                    (unsigned long long)b->live_count, (unsigned long long)b->live_bytes,
                    (unsigned long long)b->pending_count, (unsigned long long)b->pending_bytes,
                    (unsigned long long)b->created_total, (unsigned long long)b->destroyed_total);
        fail();
    }
}

/* Everything a failed call must leave as it was ("Failure" in gpureg.h: all stats but host_bytes):
 * every kind's counters, the texture and buffer copies, frames and slots. */
#define assert_object_stats_equal(a, b) assert_object_stats_equal_at(&(a), &(b), __FILE__, __LINE__)
static void assert_object_stats_equal_at(const gpureg_stats *a, const gpureg_stats *b, const char *file, int line) {
    char what[64];
    for (int k = 0; k < GPUREG_KIND_COUNT; k++) {
        snprintf(what, sizeof what, "by_kind[%s]", gpureg_kind_name((gpureg_object_kind)k));
        assert_type_stats_equal_at(&a->by_kind[k], &b->by_kind[k], what, file, line);
    }
    assert_type_stats_equal_at(&a->texture, &b->texture, "texture", file, line);
    assert_type_stats_equal_at(&a->buffer, &b->buffer, "buffer", file, line);
    if (a->frame_serial != b->frame_serial || a->completed_serial != b->completed_serial ||
        a->slot_capacity != b->slot_capacity || a->pending_oldest_frames != b->pending_oldest_frames) {
        print_error("%s:%d: frames or slots changed\n", file, line);
        fail();
    }
}

static void assert_kind_counts(const gpureg_stats *s, gpureg_object_kind kind, uint64_t live, uint64_t live_bytes,
                               uint64_t pending, uint64_t pending_bytes, uint64_t created, uint64_t destroyed) {
    const gpureg_type_stats *t = &s->by_kind[kind];
    if (t->live_count != live || t->live_bytes != live_bytes || t->pending_count != pending ||
        t->pending_bytes != pending_bytes || t->created_total != created || t->destroyed_total != destroyed) {
        print_error("by_kind[%s]: live %llu/%llu B pending %llu/%llu B created %llu destroyed %llu; expected "
                    "live %llu/%llu B pending %llu/%llu B created %llu destroyed %llu\n",
                    gpureg_kind_name(kind), (unsigned long long)t->live_count, (unsigned long long)t->live_bytes,
                    (unsigned long long)t->pending_count, (unsigned long long)t->pending_bytes,
                    (unsigned long long)t->created_total, (unsigned long long)t->destroyed_total,
                    (unsigned long long)live, (unsigned long long)live_bytes, (unsigned long long)pending,
                    (unsigned long long)pending_bytes, (unsigned long long)created, (unsigned long long)destroyed);
        fail();
    }
}

/* A failed create: the documented result, *out zeroed, one log line naming the call, no change. */
#define assert_create_fails(lc, reg, call, out, result, function)                                                      \
    do {                                                                                                               \
        gpureg_stats before_ = get_stats(reg);                                                                         \
        log_capture_reset(lc);                                                                                         \
        (out).id = 0xDEADull;                                                                                          \
        assert_int_equal((call), (result));                                                                            \
        assert_int_equal((out).id, 0);                                                                                 \
        assert_logged_once((lc), (result), (function));                                                                \
        gpureg_stats after_ = get_stats(reg);                                                                          \
        assert_object_stats_equal(before_, after_);                                                                    \
    } while (0)

/* ---- reports --------------------------------------------------------------------------------- */
static void report_text(gpureg_registry *reg, text_sink *ts) {
    text_sink_clear(ts);
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_TEXT, text_sink_write, ts), GPUREG_OK);
    assert_non_null(ts->data);
}

static void parse_json(const text_sink *ts, json_value *doc) {
    char err[160];
    if (json_parse(ts->data, ts->length, doc, err, sizeof err) != 0) {
        print_error("report is not valid JSON (%s):\n%s\n", err, ts->data);
        fail();
    }
}

static void report_json(gpureg_registry *reg, json_value *doc) {
    text_sink ts = {0};
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_JSON, text_sink_write, &ts), GPUREG_OK);
    parse_json(&ts, doc);
    text_sink_free(&ts);
}

static const json_value *member(const json_value *obj, const char *key, json_type type) {
    const json_value *v = json_get(obj, key);
    if (!v || v->type != type) {
        print_error("member \"%s\" is missing or of another JSON type\n", key);
        fail();
    }
    return v;
}
static uint64_t member_uint(const json_value *obj, const char *key) {
    const json_value *v = member(obj, key, JSON_NUMBER);
    assert_true(v->is_uint);
    return v->uint;
}
static const char *member_string(const json_value *obj, const char *key) {
    return member(obj, key, JSON_STRING)->string;
}

static void hex_of(gpureg_handle h, char *buf, size_t cap) { snprintf(buf, cap, "0x%016" PRIx64, h); }

/* The JSON object describing handle h in the array `key` of doc (NULL when absent). */
static const json_value *json_object_in(const json_value *doc, const char *key, gpureg_handle h) {
    char want[32];
    hex_of(h, want, sizeof want);
    const json_value *objects = member(doc, key, JSON_ARRAY);
    for (size_t i = 0; i < objects->count; i++)
        if (!strcmp(member_string(&objects->items[i], "handle"), want)) return &objects->items[i];
    return NULL;
}
static const json_value *json_object(const json_value *doc, gpureg_handle h) {
    const json_value *o = json_object_in(doc, "objects", h);
    if (!o) {
        print_error("no object 0x%016" PRIx64 " in the report\n", h);
        fail();
    }
    return o;
}

/* "by_type" lists texture and buffer always and every other kind with a nonzero count, in enum
 * order, each with the expected count and bytes. */
static void assert_by_type(const json_value *doc, const uint64_t count[GPUREG_KIND_COUNT],
                           const uint64_t bytes[GPUREG_KIND_COUNT]) {
    const json_value *by_type = member(doc, "by_type", JSON_ARRAY);
    size_t next = 0;
    for (int k = 1; k < GPUREG_KIND_COUNT; k++) {
        if (k > GPUREG_KIND_BUFFER && !count[k]) continue;
        if (next >= by_type->count) {
            print_error("by_type ends before %s\n", gpureg_kind_name((gpureg_object_kind)k));
            fail();
        }
        const json_value *e = &by_type->items[next++];
        assert_string_equal(member_string(e, "type"), gpureg_kind_name((gpureg_object_kind)k));
        assert_int_equal(member_uint(e, "count"), count[k]);
        assert_int_equal(member_uint(e, "bytes"), bytes[k]);
    }
    if (next != by_type->count) {
        print_error("by_type has %zu entries, expected %zu (next: %s)\n", by_type->count, next,
                    member_string(&by_type->items[next], "type"));
        fail();
    }
}

/* The text report's row of handle h (the line that starts with it), copied into line. */
static int text_row_of(const char *text, gpureg_handle h, char *line, size_t cap) {
    char want[40];
    snprintf(want, sizeof want, "\n  0x%016" PRIx64 " ", h);
    const char *p = strstr(text, want);
    if (!p) return 0;
    p += 3; /* "\n  " */
    size_t n = strcspn(p, "\n");
    if (n >= cap) n = cap - 1;
    memcpy(line, p, n);
    line[n] = '\0';
    return 1;
}

/* ---- kind names ------------------------------------------------------------------------------ */
static void every_kind_has_its_name_and_unknown_kinds_are_undefined(void **state) {
    static const char *const names[GPUREG_KIND_COUNT] = {"undefined",       "texture",
                                                         "buffer",          "framebuffer",
                                                         "renderbuffer",    "vertex_array",
                                                         "sampler",         "shader",
                                                         "program",         "image_view",
                                                         "render_pass",     "pipeline",
                                                         "pipeline_layout", "descriptor_set_layout",
                                                         "descriptor_pool"};
    for (int k = 0; k < GPUREG_KIND_COUNT; k++) {
        assert_non_null(gpureg_kind_name((gpureg_object_kind)k));
        assert_string_equal(gpureg_kind_name((gpureg_object_kind)k), names[k]);
    }
    const unsigned unknown[] = {GPUREG_KIND_COUNT, GPUREG_KIND_COUNT + 1u, 99u, 0x7fffffffu, 0x80000000u, 0xffffffffu};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        assert_string_equal(gpureg_kind_name((gpureg_object_kind)unknown[i]), "undefined");
}

/* ---- create calls ---------------------------------------------------------------------------- */
static void every_create_call_makes_an_object_of_its_kind(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    begin(reg);
    kit k = make_kit(reg);
    uint64_t natives[KIT_SIZE];
    for (int i = 0; i < KIT_SIZE; i++) {
        gpureg_handle h = k.objects[i].id;
        assert_int_equal(handle_type_of(h), GPUREG_TYPE_OBJECT);
        assert_int_equal(gpureg_query_state(reg, h), GPUREG_STATE_ALIVE);
        gpureg_object_info info = query(reg, h);
        assert_int_equal(info.type, GPUREG_TYPE_OBJECT);
        assert_int_equal(info.kind, kit_kinds[i]);
        assert_int_equal(info.object.kind, kit_kinds[i]);
        assert_null(info.object.label);
        assert_int_equal(info.state, GPUREG_STATE_ALIVE);
        assert_int_equal(info.refcount, 1);
        assert_int_equal(info.adopted, 0);
        assert_int_equal(info.released_by_gc, 0);
        assert_int_equal(info.frame_created, 1);
        assert_int_equal(info.parent, 0);
        assert_true(info.native != 0);
        natives[i] = info.native;
        for (int j = 0; j < i; j++)
            assert_true(natives[j] != info.native);
        uint64_t native = 0;
        assert_int_equal(gpureg_resolve(reg, h, GPUREG_TYPE_OBJECT, &native), GPUREG_OK);
        assert_int_equal(native, info.native);
        assert_int_equal(gpureg_resolve(reg, h, GPUREG_TYPE_UNDEFINED, &native), GPUREG_OK);
        assert_int_equal(native, info.native);
        assert_int_equal(gpureg_resolve(reg, h, GPUREG_TYPE_TEXTURE, &native), GPUREG_ERR_WRONG_TYPE);
        assert_int_equal(native, 0);
        assert_int_equal(gpureg_resolve(reg, h, GPUREG_TYPE_BUFFER, &native), GPUREG_ERR_WRONG_TYPE);
        if (kit_kinds[i] != GPUREG_KIND_RENDERBUFFER) {
            assert_int_equal(info.bytes, 0);
            assert_int_equal(info.object.width, 0);
            assert_int_equal(info.object.height, 0);
            assert_int_equal(info.object.format, 0);
            assert_int_equal(info.object.samples, 0);
        }
        if (kit_kinds[i] != GPUREG_KIND_SHADER) assert_int_equal(info.object.stage, GPUREG_STAGE_UNDEFINED);
    }
    gpureg_object_info rb = query(reg, k.objects[0].id);
    assert_int_equal(rb.object.width, 8);
    assert_int_equal(rb.object.height, 8);
    assert_int_equal(rb.object.format, GPUREG_FORMAT_D24_UNORM_S8_UINT);
    assert_int_equal(rb.object.samples, 1); /* 0 -> 1 */
    assert_int_equal(rb.bytes, 8 * 8 * 4);
    assert_int_equal(query(reg, k.objects[3].id).object.stage, GPUREG_STAGE_VERTEX);
    /* A texture handle is not an OBJECT. */
    uint64_t native = 1;
    assert_int_equal(gpureg_resolve(reg, k.color.id, GPUREG_TYPE_OBJECT, &native), GPUREG_ERR_WRONG_TYPE);
    end(reg);
    destroy_expecting(reg, KIT_SIZE + 1);
}

static void create_calls_keep_their_labels(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture color = color_texture(reg, 4, 4);
    gpureg_object o[KIT_SIZE];
    gpureg_renderbuffer_desc rd = {.width = 4, .height = 4, .format = GPUREG_FORMAT_S8_UINT, .label = "stencil"};
    assert_int_equal(gpureg_renderbuffer_create(reg, &rd, &o[0]), GPUREG_OK);
    gpureg_framebuffer_desc fd = {.color = {color}, .depth_stencil = o[0].id, .label = "gbuffer"};
    assert_int_equal(gpureg_framebuffer_create(reg, &fd, &o[1]), GPUREG_OK);
    gpureg_sampler_desc sd = {.label = "linear clamp"};
    assert_int_equal(gpureg_sampler_create(reg, &sd, &o[2]), GPUREG_OK);
    gpureg_shader_desc shd = {
        .stage = GPUREG_STAGE_FRAGMENT, .code = shader_code, .code_size = sizeof shader_code - 1u, .label = "lit.frag"};
    assert_int_equal(gpureg_shader_create(reg, &shd, &o[3]), GPUREG_OK);
    gpureg_program_desc pd = {.shaders = &o[3], .shader_count = 1, .label = "lit"};
    assert_int_equal(gpureg_program_create(reg, &pd, &o[4]), GPUREG_OK);
    gpureg_vertex_array_desc vd = {.label = "mesh layout"};
    assert_int_equal(gpureg_vertex_array_create(reg, &vd, &o[5]), GPUREG_OK);
    const char *labels[KIT_SIZE] = {"stencil", "gbuffer", "linear clamp", "lit.frag", "lit", "mesh layout"};
    for (int i = 0; i < KIT_SIZE; i++) {
        assert_label(reg, o[i].id, labels[i]);
        assert_int_equal(query(reg, o[i].id).kind, kit_kinds[i]);
    }
    assert_int_equal(query(reg, o[3].id).object.stage, GPUREG_STAGE_FRAGMENT);
    assert_int_equal(query(reg, o[0].id).bytes, 16); /* S8: one byte a texel */
    assert_int_equal(gpureg_set_label(reg, o[2].id, "renamed"), GPUREG_OK);
    assert_label(reg, o[2].id, "renamed");
    destroy_expecting(reg, KIT_SIZE + 1);
}

static void renderbuffer_bytes_are_width_height_texel_size_and_samples(void **state) {
    static const struct {
        uint32_t width, height;
        gpureg_format format;
        uint32_t samples, expected_samples;
        uint64_t bytes;
    } cases[] = {
        {16, 8, GPUREG_FORMAT_RGBA8_UNORM, 4, 4, 16u * 8u * 4u * 4u},
        {3, 5, GPUREG_FORMAT_RGBA32_FLOAT, 0, 1, 3u * 5u * 16u},
        {7, 1, GPUREG_FORMAT_S8_UINT, 2, 2, 7u * 1u * 1u * 2u},
        {2, 2, GPUREG_FORMAT_D32_FLOAT, 1, 1, 2u * 2u * 4u},
        {1, 1, GPUREG_FORMAT_D24_UNORM_S8_UINT, 64, 64, 4u * 64u},
        {65536, 1, GPUREG_FORMAT_R8_UNORM, 8, 8, 65536u * 8u},
        {65536, 65536, GPUREG_FORMAT_RGBA32_FLOAT, 64, 64, 65536ull * 65536ull * 16ull * 64ull},
    };
    gpureg_registry *reg = make_registry(NULL);
    uint64_t total = 0;
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++) {
        gpureg_object o = renderbuffer(reg, cases[i].width, cases[i].height, cases[i].format, cases[i].samples);
        gpureg_object_info info = query(reg, o.id);
        assert_int_equal(info.bytes, cases[i].bytes);
        assert_int_equal(info.object.width, cases[i].width);
        assert_int_equal(info.object.height, cases[i].height);
        assert_int_equal(info.object.format, cases[i].format);
        assert_int_equal(info.object.samples, cases[i].expected_samples);
        total += cases[i].bytes;
    }
    gpureg_stats s = get_stats(reg);
    assert_kind_counts(&s, GPUREG_KIND_RENDERBUFFER, n, total, 0, 0, n, 0);
    assert_int_equal(s.by_kind[GPUREG_KIND_RENDERBUFFER].live_bytes_high_water, total);
    destroy_expecting(reg, (int)n);
}

static void framebuffers_take_up_to_four_colours_and_a_depth_stencil(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture c[GPUREG_MAX_COLOR_ATTACHMENTS];
    for (unsigned i = 0; i < GPUREG_MAX_COLOR_ATTACHMENTS; i++)
        c[i] = color_texture(reg, 32, 16);
    gpureg_texture depth = depth_texture(reg, 32, 16);
    gpureg_object stencil = renderbuffer(reg, 32, 16, GPUREG_FORMAT_S8_UINT, 0);
    gpureg_object d24 = renderbuffer(reg, 32, 16, GPUREG_FORMAT_D24_UNORM_S8_UINT, 0);
    gpureg_framebuffer_desc all = {.color = {c[0], c[1], c[2], c[3]}, .depth_stencil = depth.id};
    gpureg_framebuffer_desc with_stencil = {.color = {c[0]}, .depth_stencil = stencil.id};
    gpureg_framebuffer_desc depth_only = {.depth_stencil = d24.id};
    gpureg_framebuffer_desc depth_texture_only = {.depth_stencil = depth.id};
    gpureg_framebuffer_desc colour_only = {.color = {c[3], c[2]}};
    const gpureg_framebuffer_desc *descs[] = {&all, &with_stencil, &depth_only, &depth_texture_only, &colour_only};
    for (size_t i = 0; i < sizeof descs / sizeof descs[0]; i++) {
        gpureg_object fb = {0};
        assert_int_equal(gpureg_framebuffer_create(reg, descs[i], &fb), GPUREG_OK);
        assert_int_equal(query(reg, fb.id).kind, GPUREG_KIND_FRAMEBUFFER);
        /* The framebuffer takes no reference to its attachments. */
        assert_int_equal(query(reg, c[0].id).refcount, 1);
        assert_int_equal(query(reg, d24.id).refcount, 1);
    }
    destroy_expecting(reg, 4 + 1 + 2 + 5);
}

static void framebuffer_holds_no_reference_to_its_attachments(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture color = color_texture(reg, 4, 4);
    gpureg_object fb = framebuffer_of(reg, color, 0);
    assert_int_equal(gpureg_texture_release(reg, color), GPUREG_OK);
    assert_int_equal(collect(reg), 1); /* no frame has ended: destroyed at the next collection */
    assert_int_equal(gpureg_query_state(reg, color.id), GPUREG_STATE_DESTROYED);
    assert_int_equal(gpureg_query_state(reg, fb.id), GPUREG_STATE_ALIVE);
    destroy_expecting(reg, 1);
}

static void program_holds_no_reference_to_its_shaders(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_object shaders[8];
    for (int i = 0; i < 8; i++)
        shaders[i] = shader(reg, (gpureg_shader_stage)(1 + i % 3));
    gpureg_object p = program_of(reg, shaders, 8);
    assert_int_equal(query(reg, p.id).kind, GPUREG_KIND_PROGRAM);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(query(reg, shaders[i].id).refcount, 1);
        assert_int_equal(gpureg_release(reg, shaders[i].id), GPUREG_OK);
    }
    assert_int_equal(collect(reg), 8);
    assert_int_equal(gpureg_query_state(reg, p.id), GPUREG_STATE_ALIVE);
    destroy_expecting(reg, 1);
}

/* ---- refcount and deferred destruction -------------------------------------------------------- */
static void generic_objects_are_refcounted_and_destroyed_after_their_fence(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    begin(reg); /* frame 1 */
    kit k = make_kit(reg);
    for (int i = 0; i < KIT_SIZE; i++) {
        gpureg_handle h = k.objects[i].id;
        assert_int_equal(gpureg_retain(reg, h), GPUREG_OK);
        assert_int_equal(query(reg, h).refcount, 2);
        assert_int_equal(gpureg_release(reg, h), GPUREG_OK);
        assert_int_equal(query(reg, h).refcount, 1);
        assert_int_equal(gpureg_query_state(reg, h), GPUREG_STATE_ALIVE);
        assert_int_equal(gpureg_release(reg, h), GPUREG_OK);
        assert_int_equal(gpureg_query_state(reg, h), GPUREG_STATE_RELEASED);
        gpureg_object_info info = query(reg, h); /* a released object is still described */
        assert_int_equal(info.state, GPUREG_STATE_RELEASED);
        assert_int_equal(info.refcount, 0);
        assert_int_equal(info.kind, kit_kinds[i]);
        uint64_t native = 1;
        assert_int_equal(gpureg_resolve(reg, h, GPUREG_TYPE_OBJECT, &native), GPUREG_ERR_RELEASED);
        assert_int_equal(gpureg_retain(reg, h), GPUREG_ERR_RELEASED);
        assert_int_equal(gpureg_release(reg, h), GPUREG_ERR_RELEASED);
        assert_int_equal(gpureg_set_label(reg, h, "late"), GPUREG_ERR_RELEASED);
        assert_label(reg, h, "");
    }
    end(reg);
    assert_int_equal(collect(reg), 0);
    begin(reg); /* frame 2 */
    end(reg);
    assert_int_equal(collect(reg), 0);
    for (int i = 0; i < KIT_SIZE; i++)
        assert_int_equal(gpureg_query_state(reg, k.objects[i].id), GPUREG_STATE_RELEASED);
    signal_fence(reg, 1);
    for (int i = 0; i < KIT_SIZE; i++) /* signalling alone destroys nothing */
        assert_int_equal(gpureg_query_state(reg, k.objects[i].id), GPUREG_STATE_RELEASED);
    assert_int_equal(collect(reg), KIT_SIZE);
    for (int i = 0; i < KIT_SIZE; i++) {
        gpureg_handle h = k.objects[i].id;
        assert_int_equal(gpureg_query_state(reg, h), GPUREG_STATE_DESTROYED);
        gpureg_object_info info;
        assert_int_equal(gpureg_query(reg, h, &info), GPUREG_ERR_STALE_HANDLE);
        assert_int_equal(gpureg_release(reg, h), GPUREG_ERR_STALE_HANDLE);
        assert_int_equal(gpureg_retain(reg, h), GPUREG_ERR_STALE_HANDLE);
    }
    assert_int_equal(gpureg_query_state(reg, k.color.id), GPUREG_STATE_ALIVE);
    destroy_expecting(reg, 1);
}

static void release_from_gc_marks_a_generic_object(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    begin(reg);
    gpureg_object s = sampler(reg);
    assert_int_equal(gpureg_release_from_gc(reg, s.id), GPUREG_OK);
    gpureg_object_info info = query(reg, s.id);
    assert_int_equal(info.state, GPUREG_STATE_RELEASED);
    assert_int_equal(info.released_by_gc, 1);
    end(reg);
    signal_fence(reg, 1);
    assert_int_equal(collect(reg), 1);
    destroy_expecting(reg, 0);
}

static void handles_of_generic_objects_answer_the_handle_errors(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    gpureg_registry *other = make_registry(NULL);
    gpureg_object s = sampler(reg);
    gpureg_object foreign = sampler(other);
    uint64_t native = 1;
    assert_int_equal(gpureg_resolve(reg, foreign.id, GPUREG_TYPE_OBJECT, &native), GPUREG_ERR_FOREIGN_HANDLE);
    assert_int_equal(gpureg_release(reg, foreign.id), GPUREG_ERR_FOREIGN_HANDLE);
    /* An OBJECT handle whose type bits say texture: the slot is of another type. */
    gpureg_handle as_texture = (s.id & ~(3ull << 52)) | ((uint64_t)GPUREG_TYPE_TEXTURE << 52);
    assert_int_equal(gpureg_resolve(reg, as_texture, GPUREG_TYPE_UNDEFINED, &native), GPUREG_ERR_INVALID_HANDLE);
    assert_int_equal(gpureg_query_state(reg, as_texture), GPUREG_STATE_INVALID);
    assert_int_equal(gpureg_release(reg, s.id), GPUREG_OK);
    assert_int_equal(collect(reg), 1);
    assert_int_equal(gpureg_resolve(reg, s.id, GPUREG_TYPE_OBJECT, &native), GPUREG_ERR_STALE_HANDLE);
    assert_int_equal(native, 0);
    destroy_expecting(other, 1);
    destroy_expecting(reg, 0);
}

/* ---- stats ----------------------------------------------------------------------------------- */
static void stats_count_every_kind_apart(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_stats s = get_stats(reg);
    for (int k = 0; k < GPUREG_KIND_COUNT; k++)
        assert_kind_counts(&s, (gpureg_object_kind)k, 0, 0, 0, 0, 0, 0);

    gpureg_texture tex = make_texture(reg);                                           /* 4x4 RGBA8: 64 B */
    gpureg_buffer buf = make_buffer(reg);                                             /* 64 B */
    gpureg_texture color = color_texture(reg, 16, 8);                                 /* 512 B */
    gpureg_object rb1 = renderbuffer(reg, 16, 8, GPUREG_FORMAT_RGBA8_UNORM, 4);       /* 2048 B */
    gpureg_object rb2 = renderbuffer(reg, 16, 8, GPUREG_FORMAT_D24_UNORM_S8_UINT, 0); /* 512 B */
    gpureg_object fb = framebuffer_of(reg, color, rb2.id);
    gpureg_object smp1 = sampler(reg), smp2 = sampler(reg), smp3 = sampler(reg);
    gpureg_object sh = shader(reg, GPUREG_STAGE_COMPUTE);
    gpureg_object prog = program_of(reg, &sh, 1);
    gpureg_object va = vertex_array(reg);
    adopt_counter ac;
    adopt_counter_init(&ac);
    gpureg_object view = adopt_kind(reg, GPUREG_KIND_IMAGE_VIEW, 0x77, &ac);

    s = get_stats(reg);
    assert_kind_counts(&s, GPUREG_KIND_TEXTURE, 2, 64 + 512, 0, 0, 2, 0);
    assert_kind_counts(&s, GPUREG_KIND_BUFFER, 1, 64, 0, 0, 1, 0);
    assert_kind_counts(&s, GPUREG_KIND_RENDERBUFFER, 2, 2048 + 512, 0, 0, 2, 0);
    assert_kind_counts(&s, GPUREG_KIND_FRAMEBUFFER, 1, 0, 0, 0, 1, 0);
    assert_kind_counts(&s, GPUREG_KIND_SAMPLER, 3, 0, 0, 0, 3, 0);
    assert_kind_counts(&s, GPUREG_KIND_SHADER, 1, 0, 0, 0, 1, 0);
    assert_kind_counts(&s, GPUREG_KIND_PROGRAM, 1, 0, 0, 0, 1, 0);
    assert_kind_counts(&s, GPUREG_KIND_VERTEX_ARRAY, 1, 0, 0, 0, 1, 0);
    assert_kind_counts(&s, GPUREG_KIND_IMAGE_VIEW, 1, 0, 0, 0, 1, 0);
    for (int k = GPUREG_KIND_RENDER_PASS; k < GPUREG_KIND_COUNT; k++)
        assert_kind_counts(&s, (gpureg_object_kind)k, 0, 0, 0, 0, 0, 0);
    assert_kind_counts(&s, GPUREG_KIND_UNDEFINED, 0, 0, 0, 0, 0, 0); /* [0] unused */
    assert_type_stats_equal_at(&s.texture, &s.by_kind[GPUREG_KIND_TEXTURE], "texture", __FILE__, __LINE__);
    assert_type_stats_equal_at(&s.buffer, &s.by_kind[GPUREG_KIND_BUFFER], "buffer", __FILE__, __LINE__);
    assert_int_equal(s.by_kind[GPUREG_KIND_SAMPLER].live_count_high_water, 3);
    assert_int_equal(s.by_kind[GPUREG_KIND_RENDERBUFFER].live_bytes_high_water, 2560);

    begin(reg); /* frame 1 */
    assert_int_equal(gpureg_release(reg, rb1.id), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, smp1.id), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, smp2.id), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, view.id), GPUREG_OK);
    end(reg);
    s = get_stats(reg);
    assert_kind_counts(&s, GPUREG_KIND_RENDERBUFFER, 1, 512, 1, 2048, 2, 0);
    assert_kind_counts(&s, GPUREG_KIND_SAMPLER, 1, 0, 2, 0, 3, 0);
    assert_kind_counts(&s, GPUREG_KIND_TEXTURE, 1, 512, 1, 64, 2, 0);
    assert_kind_counts(&s, GPUREG_KIND_IMAGE_VIEW, 0, 0, 1, 0, 1, 0);
    assert_kind_counts(&s, GPUREG_KIND_FRAMEBUFFER, 1, 0, 0, 0, 1, 0);
    assert_type_stats_equal_at(&s.texture, &s.by_kind[GPUREG_KIND_TEXTURE], "texture", __FILE__, __LINE__);

    signal_fence(reg, 1);
    assert_int_equal(collect(reg), 5);
    assert_int_equal(atomic_load(&ac.calls), 1);
    s = get_stats(reg);
    assert_kind_counts(&s, GPUREG_KIND_RENDERBUFFER, 1, 512, 0, 0, 2, 1);
    assert_kind_counts(&s, GPUREG_KIND_SAMPLER, 1, 0, 0, 0, 3, 2);
    assert_kind_counts(&s, GPUREG_KIND_TEXTURE, 1, 512, 0, 0, 2, 1);
    assert_kind_counts(&s, GPUREG_KIND_IMAGE_VIEW, 0, 0, 0, 0, 1, 1);
    assert_kind_counts(&s, GPUREG_KIND_SHADER, 1, 0, 0, 0, 1, 0);
    assert_type_stats_equal_at(&s.texture, &s.by_kind[GPUREG_KIND_TEXTURE], "texture", __FILE__, __LINE__);
    assert_type_stats_equal_at(&s.buffer, &s.by_kind[GPUREG_KIND_BUFFER], "buffer", __FILE__, __LINE__);
    /* The high water stays; a new sampler after the collection counts from the live count. */
    gpureg_object smp4 = sampler(reg);
    s = get_stats(reg);
    assert_int_equal(s.by_kind[GPUREG_KIND_SAMPLER].live_count_high_water, 3);
    assert_int_equal(s.by_kind[GPUREG_KIND_SAMPLER].live_count, 2);
    assert_int_equal(s.by_kind[GPUREG_KIND_RENDERBUFFER].live_bytes_high_water, 2560);
    (void)buf, (void)fb, (void)smp3, (void)prog, (void)va, (void)smp4;
    destroy_expecting(reg, 9);
}

/* ---- reports --------------------------------------------------------------------------------- */
static void text_report_names_kinds_and_totals_by_kind(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    kit k = make_kit(reg);
    gpureg_object big = renderbuffer(reg, 16, 8, GPUREG_FORMAT_RGBA8_UNORM, 4);
    assert_int_equal(gpureg_set_label(reg, big.id, "msaa colour"), GPUREG_OK);
    text_sink ts = {0};
    report_text(reg, &ts);
    char line[1024];
    for (int i = 0; i < KIT_SIZE; i++) {
        if (!text_row_of(ts.data, k.objects[i].id, line, sizeof line)) {
            print_error("no row for the %s:\n%s\n", gpureg_kind_name(kit_kinds[i]), ts.data);
            fail();
        }
        assert_non_null(strstr(line, gpureg_kind_name(kit_kinds[i])));
        assert_null(strstr(line, "depends on"));
    }
    assert_true(text_row_of(ts.data, big.id, line, sizeof line));
    assert_non_null(strstr(line, "msaa colour"));
    assert_non_null(strstr(line, "16x8"));
    assert_non_null(strstr(line, "rgba8_unorm"));
    assert_non_null(strstr(line, "2048"));
    assert_true(text_row_of(ts.data, k.objects[3].id, line, sizeof line));
    assert_non_null(strstr(line, "vertex"));
    const char *by_kind = strstr(ts.data, "by kind:");
    if (!by_kind) {
        print_error("no \"by kind:\" section:\n%s\n", ts.data);
        fail();
    }
    for (int i = 0; i < KIT_SIZE; i++)
        assert_non_null(strstr(by_kind, gpureg_kind_name(kit_kinds[i])));
    assert_non_null(strstr(by_kind, "texture"));
    assert_non_null(strstr(by_kind, "buffer"));
    text_sink_free(&ts);
    destroy_expecting(reg, KIT_SIZE + 2);
}

static void json_report_gives_every_object_its_kind_and_fields(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    begin(reg);
    kit k = make_kit(reg);
    gpureg_object msaa = renderbuffer(reg, 16, 8, GPUREG_FORMAT_RGBA8_UNORM, 4);
    gpureg_object frag = shader(reg, GPUREG_STAGE_FRAGMENT);
    gpureg_object comp = shader(reg, GPUREG_STAGE_COMPUTE);
    gpureg_object gone = sampler(reg);
    assert_int_equal(gpureg_release(reg, gone.id), GPUREG_OK); /* pending: still reported */
    json_value doc;
    report_json(reg, &doc);
    assert_int_equal(member_uint(&doc, "live"), 1 + KIT_SIZE + 3);
    assert_int_equal(member_uint(&doc, "pending"), 1);
    assert_int_equal(member(&doc, "objects", JSON_ARRAY)->count, 1 + KIT_SIZE + 3 + 1);
    for (int i = 0; i < KIT_SIZE; i++) {
        const json_value *o = json_object(&doc, k.objects[i].id);
        assert_string_equal(member_string(o, "type"), gpureg_kind_name(kit_kinds[i]));
        assert_string_equal(member_string(o, "state"), "alive");
        assert_null(json_get(o, "parent"));
        assert_null(json_get(o, "size"));       /* buffer fields are a buffer's */
        assert_null(json_get(o, "mip_levels")); /* texture fields are a texture's */
        if (kit_kinds[i] != GPUREG_KIND_RENDERBUFFER) assert_null(json_get(o, "samples"));
        if (kit_kinds[i] != GPUREG_KIND_SHADER) assert_null(json_get(o, "stage"));
    }
    const json_value *rb = json_object(&doc, msaa.id);
    assert_string_equal(member_string(rb, "type"), "renderbuffer");
    assert_int_equal(member_uint(rb, "width"), 16);
    assert_int_equal(member_uint(rb, "height"), 8);
    assert_string_equal(member_string(rb, "format"), "rgba8_unorm");
    assert_int_equal(member_uint(rb, "samples"), 4);
    assert_int_equal(member_uint(rb, "bytes"), 2048);
    const json_value *ds = json_object(&doc, k.objects[0].id);
    assert_string_equal(member_string(ds, "format"), "d24_unorm_s8_uint");
    assert_int_equal(member_uint(ds, "samples"), 1);
    assert_string_equal(member_string(json_object(&doc, k.objects[3].id), "stage"), "vertex");
    assert_string_equal(member_string(json_object(&doc, frag.id), "stage"), "fragment");
    assert_string_equal(member_string(json_object(&doc, comp.id), "stage"), "compute");
    assert_string_equal(member_string(json_object(&doc, gone.id), "state"), "released");
    assert_string_equal(member_string(json_object(&doc, gone.id), "type"), "sampler");
    assert_string_equal(member_string(json_object(&doc, k.color.id), "type"), "texture");

    uint64_t count[GPUREG_KIND_COUNT] = {0}, bytes[GPUREG_KIND_COUNT] = {0};
    count[GPUREG_KIND_TEXTURE] = 1, bytes[GPUREG_KIND_TEXTURE] = 8 * 8 * 4;
    count[GPUREG_KIND_RENDERBUFFER] = 2, bytes[GPUREG_KIND_RENDERBUFFER] = 8 * 8 * 4 + 2048;
    count[GPUREG_KIND_FRAMEBUFFER] = 1;
    count[GPUREG_KIND_SAMPLER] = 2;
    count[GPUREG_KIND_SHADER] = 3;
    count[GPUREG_KIND_PROGRAM] = 1;
    count[GPUREG_KIND_VERTEX_ARRAY] = 1;
    assert_by_type(&doc, count, bytes);
    json_free(&doc);
    end(reg);
    destroy_expecting(reg, 1 + KIT_SIZE + 3);
}

static void json_by_type_lists_a_kind_only_while_it_has_objects(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    uint64_t count[GPUREG_KIND_COUNT] = {0}, bytes[GPUREG_KIND_COUNT] = {0};
    json_value doc;
    report_json(reg, &doc); /* empty: texture and buffer, nothing else */
    assert_by_type(&doc, count, bytes);
    json_free(&doc);

    adopt_counter ac;
    adopt_counter_init(&ac);
    gpureg_object pool = adopt_kind(reg, GPUREG_KIND_DESCRIPTOR_POOL, 0x51, &ac);
    gpureg_object va = vertex_array(reg);
    report_json(reg, &doc);
    count[GPUREG_KIND_DESCRIPTOR_POOL] = 1;
    count[GPUREG_KIND_VERTEX_ARRAY] = 1;
    assert_by_type(&doc, count, bytes);
    assert_string_equal(member_string(json_object(&doc, pool.id), "type"), "descriptor_pool");
    json_free(&doc);

    /* An object expected at shutdown is in none of the totals. */
    gpureg_sampler_desc sd = {.flags = GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN};
    gpureg_object kept = {0};
    assert_int_equal(gpureg_sampler_create(reg, &sd, &kept), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, pool.id), GPUREG_OK);
    assert_int_equal(collect(reg), 1);
    report_json(reg, &doc);
    count[GPUREG_KIND_DESCRIPTOR_POOL] = 0;
    assert_by_type(&doc, count, bytes);
    assert_int_equal(member_uint(&doc, "expected"), 1);
    assert_null(json_object_in(&doc, "objects", kept.id));
    const json_value *e = json_object_in(&doc, "expected_at_shutdown", kept.id);
    assert_non_null(e);
    assert_string_equal(member_string(e, "type"), "sampler");
    json_free(&doc);

    assert_int_equal(gpureg_release(reg, va.id), GPUREG_OK);
    assert_int_equal(collect(reg), 1);
    report_json(reg, &doc);
    count[GPUREG_KIND_VERTEX_ARRAY] = 0;
    assert_by_type(&doc, count, bytes);
    json_free(&doc);
    destroy_expecting(reg, 0);
}

/* ---- expected at shutdown and checkpoints ------------------------------------------------------ */
static void expected_at_shutdown_keeps_generic_objects_out_of_the_leak_count(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    adopt_counter ac;
    adopt_counter_init(&ac);
    gpureg_shader_desc shd = {.stage = GPUREG_STAGE_VERTEX,
                              .code = shader_code,
                              .code_size = sizeof shader_code - 1u,
                              .flags = GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN};
    gpureg_object sh = {0};
    assert_int_equal(gpureg_shader_create(reg, &shd, &sh), GPUREG_OK);
    gpureg_object_desc od = {.kind = GPUREG_KIND_PIPELINE, .flags = GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN};
    gpureg_object pipe = {0};
    assert_int_equal(gpureg_object_adopt(reg, &od, 0x99, adopt_counter_destroy_fn, &ac, &pipe), GPUREG_OK);
    gpureg_object va = vertex_array(reg);
    assert_int_equal(gpureg_set_expected_at_shutdown(reg, va.id, 1), GPUREG_OK);
    gpureg_object leaked = sampler(reg);
    (void)sh, (void)leaked;
    destroy_expecting(reg, 1); /* the sampler only */
    assert_int_equal(atomic_load(&ac.calls), 1);
    assert_int_equal(adopt_counter_calls_for(&ac, 0x99), 1);
}

static void checkpoint_reports_list_the_generic_objects_made_since(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_object before = sampler(reg);
    gpureg_checkpoint cp = gpureg_checkpoint_now(reg);
    begin(reg);
    gpureg_object rb = renderbuffer(reg, 4, 4, GPUREG_FORMAT_RGBA8_UNORM, 2);
    gpureg_object sh = shader(reg, GPUREG_STAGE_FRAGMENT);
    gpureg_object va = vertex_array(reg);
    assert_int_equal(gpureg_release(reg, va.id), GPUREG_OK);
    end(reg);
    text_sink ts = {0};
    assert_int_equal(gpureg_report_since(reg, cp, GPUREG_REPORT_JSON, text_sink_write, &ts), GPUREG_OK);
    json_value doc;
    parse_json(&ts, &doc);
    assert_int_equal(member_uint(&doc, "checkpoint"), cp);
    assert_int_equal(member_uint(&doc, "live"), 2);
    assert_int_equal(member_uint(&doc, "pending"), 1);
    assert_int_equal(member(&doc, "objects", JSON_ARRAY)->count, 3);
    assert_null(json_object_in(&doc, "objects", before.id));
    assert_string_equal(member_string(json_object(&doc, rb.id), "type"), "renderbuffer");
    assert_int_equal(member_uint(json_object(&doc, rb.id), "bytes"), 4 * 4 * 4 * 2);
    assert_string_equal(member_string(json_object(&doc, sh.id), "type"), "shader");
    assert_string_equal(member_string(json_object(&doc, va.id), "type"), "vertex_array");
    assert_string_equal(member_string(json_object(&doc, va.id), "state"), "released");
    uint64_t count[GPUREG_KIND_COUNT] = {0}, bytes[GPUREG_KIND_COUNT] = {0};
    count[GPUREG_KIND_RENDERBUFFER] = 1, bytes[GPUREG_KIND_RENDERBUFFER] = 128;
    count[GPUREG_KIND_SHADER] = 1;
    count[GPUREG_KIND_VERTEX_ARRAY] = 1;
    assert_by_type(&doc, count, bytes);
    json_free(&doc);

    text_sink_clear(&ts);
    assert_int_equal(gpureg_report_since(reg, cp, GPUREG_REPORT_TEXT, text_sink_write, &ts), GPUREG_OK);
    char line[1024];
    assert_true(text_row_of(ts.data, rb.id, line, sizeof line));
    assert_non_null(strstr(line, "renderbuffer"));
    assert_true(text_row_of(ts.data, sh.id, line, sizeof line));
    assert_non_null(strstr(line, "shader"));
    assert_true(text_row_of(ts.data, va.id, line, sizeof line));
    assert_non_null(strstr(line, "vertex_array"));
    assert_false(text_row_of(ts.data, before.id, line, sizeof line));
    text_sink_free(&ts);
    destroy_expecting(reg, 3);
}

/* ---- adopt ------------------------------------------------------------------------------------ */
static void every_generic_kind_can_be_adopted(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    adopt_counter ac;
    adopt_counter_init(&ac);
    gpureg_object o[GPUREG_KIND_COUNT];
    begin(reg);
    for (int k = GPUREG_KIND_FRAMEBUFFER; k < GPUREG_KIND_COUNT; k++) {
        o[k] = adopt_kind(reg, (gpureg_object_kind)k, 0x1000u + (uint64_t)k, &ac);
        gpureg_object_info info = query(reg, o[k].id);
        assert_int_equal(info.type, GPUREG_TYPE_OBJECT);
        assert_int_equal(info.kind, k);
        assert_int_equal(info.adopted, 1);
        assert_int_equal(info.native, 0x1000u + (uint64_t)k);
        assert_int_equal(info.bytes, 0);
        assert_int_equal(gpureg_release(reg, o[k].id), GPUREG_OK);
    }
    end(reg);
    assert_int_equal(collect(reg), 0);
    assert_int_equal(atomic_load(&ac.calls), 0); /* not before the fence */
    signal_fence(reg, 1);
    assert_int_equal(collect(reg), GPUREG_KIND_COUNT - GPUREG_KIND_FRAMEBUFFER);
    assert_int_equal(atomic_load(&ac.calls), GPUREG_KIND_COUNT - GPUREG_KIND_FRAMEBUFFER);
    assert_int_equal(atomic_load(&ac.off_owner_calls), 0);
    for (int k = GPUREG_KIND_FRAMEBUFFER; k < GPUREG_KIND_COUNT; k++)
        assert_int_equal(adopt_counter_calls_for(&ac, 0x1000u + (uint64_t)k), 1);
    assert_int_equal(collect(reg), 0);
    assert_int_equal(atomic_load(&ac.calls), GPUREG_KIND_COUNT - GPUREG_KIND_FRAMEBUFFER); /* once */
    destroy_expecting(reg, 0);
    assert_int_equal(atomic_load(&ac.calls), GPUREG_KIND_COUNT - GPUREG_KIND_FRAMEBUFFER);
}

typedef struct destroy_record {
    unsigned calls;
    uint64_t native;
    void *user;
} destroy_record;
static void record_destroy(uint64_t native, void *user) {
    destroy_record *r = user;
    r->calls++;
    r->native = native;
    r->user = user;
}

static void adopted_object_is_destroyed_once_with_its_native_and_user(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    destroy_record rec = {0};
    gpureg_object_desc od = {.kind = GPUREG_KIND_RENDERBUFFER,
                             .label = "swapchain depth",
                             .width = 64,
                             .height = 32,
                             .format = GPUREG_FORMAT_D32_FLOAT};
    gpureg_object o = {0};
    begin(reg);
    assert_int_equal(gpureg_object_adopt(reg, &od, 0xABCDEF, record_destroy, &rec, &o), GPUREG_OK);
    gpureg_object_info info = query(reg, o.id);
    assert_int_equal(info.kind, GPUREG_KIND_RENDERBUFFER);
    assert_int_equal(info.bytes, 64 * 32 * 4);
    assert_int_equal(info.object.samples, 1);
    assert_int_equal(info.native, 0xABCDEF);
    assert_label(reg, o.id, "swapchain depth");
    assert_int_equal(get_stats(reg).by_kind[GPUREG_KIND_RENDERBUFFER].live_bytes, 64 * 32 * 4);
    assert_int_equal(gpureg_release(reg, o.id), GPUREG_OK);
    end(reg);
    begin(reg);
    end(reg);
    assert_int_equal(collect(reg), 0);
    assert_int_equal(rec.calls, 0);
    signal_fence(reg, 1);
    assert_int_equal(rec.calls, 0);
    assert_int_equal(collect(reg), 1);
    assert_int_equal(rec.calls, 1);
    assert_int_equal(rec.native, 0xABCDEF);
    assert_ptr_equal(rec.user, &rec);
    signal_fence(reg, 2);
    assert_int_equal(collect(reg), 0);
    destroy_expecting(reg, 0);
    assert_int_equal(rec.calls, 1);
}

static void adopted_renderbuffer_without_storage_counts_no_bytes(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_object_desc od = {.kind = GPUREG_KIND_RENDERBUFFER};
    gpureg_object o = {0};
    assert_int_equal(gpureg_object_adopt(reg, &od, 5, NULL, NULL, &o), GPUREG_OK);
    gpureg_object_info info = query(reg, o.id);
    assert_int_equal(info.kind, GPUREG_KIND_RENDERBUFFER);
    assert_int_equal(info.bytes, 0);
    assert_int_equal(info.object.width, 0);
    assert_int_equal(get_stats(reg).by_kind[GPUREG_KIND_RENDERBUFFER].live_count, 1);
    destroy_expecting(reg, 1);
}

static void adopt_without_destroy_keeps_ownership_with_the_caller(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_object_desc od = {.kind = GPUREG_KIND_SAMPLER};
    gpureg_object kept = {0}, leaked = {0};
    begin(reg);
    assert_int_equal(gpureg_object_adopt(reg, &od, 0x42, NULL, NULL, &kept), GPUREG_OK);
    assert_int_equal(gpureg_object_adopt(reg, &od, 0x43, NULL, &od, &leaked), GPUREG_OK);
    assert_int_equal(query(reg, kept.id).adopted, 1);
    assert_int_equal(gpureg_release(reg, kept.id), GPUREG_OK);
    end(reg);
    signal_fence(reg, 1);
    assert_int_equal(collect(reg), 1); /* destroyed in gpureg's books; nothing to call */
    assert_int_equal(gpureg_query_state(reg, kept.id), GPUREG_STATE_DESTROYED);
    destroy_expecting(reg, 1);
}

static void adopt_desc_errors_are_refused_and_the_caller_keeps_the_native(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    static const char fn[] = "gpureg_object_adopt";
    struct {
        gpureg_object_desc desc;
        uint64_t native;
        gpureg_result result;
    } cases[] = {
        {{.kind = GPUREG_KIND_UNDEFINED}, 1, GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = GPUREG_KIND_TEXTURE}, 1, GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = GPUREG_KIND_BUFFER}, 1, GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = GPUREG_KIND_COUNT}, 1, GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = (gpureg_object_kind)99}, 1, GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = GPUREG_KIND_SAMPLER, .width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM},
         1,
         GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = GPUREG_KIND_FRAMEBUFFER, .samples = 4}, 1, GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = GPUREG_KIND_RENDERBUFFER, .width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .samples = 3},
         1,
         GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = GPUREG_KIND_RENDERBUFFER,
          .width = 4,
          .height = 4,
          .format = GPUREG_FORMAT_RGBA8_UNORM,
          .samples = 128},
         1,
         GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = GPUREG_KIND_RENDERBUFFER, .width = 4, .format = GPUREG_FORMAT_RGBA8_UNORM},
         1,
         GPUREG_ERR_INVALID_SIZE},
        {{.kind = GPUREG_KIND_RENDERBUFFER, .width = 65537, .height = 1, .format = GPUREG_FORMAT_RGBA8_UNORM},
         1,
         GPUREG_ERR_INVALID_SIZE},
        {{.kind = GPUREG_KIND_RENDERBUFFER, .width = 4, .height = 4}, 1, GPUREG_ERR_INVALID_FORMAT},
        {{.kind = GPUREG_KIND_RENDERBUFFER, .width = 4, .height = 4, .format = GPUREG_FORMAT_COUNT},
         1,
         GPUREG_ERR_INVALID_FORMAT},
        {{.kind = GPUREG_KIND_SAMPLER, .flags = 2}, 1, GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = GPUREG_KIND_SAMPLER, .flags = 0x80000000u}, 1, GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = GPUREG_KIND_SHADER, .stage = (gpureg_shader_stage)4}, 1, GPUREG_ERR_INVALID_ARGUMENT},
        {{.kind = GPUREG_KIND_SAMPLER}, 0, GPUREG_ERR_INVALID_ARGUMENT},
    };
    adopt_counter ac;
    adopt_counter_init(&ac);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gpureg_object o;
        assert_create_fails(
            &lc, reg, gpureg_object_adopt(reg, &cases[i].desc, cases[i].native, adopt_counter_destroy_fn, &ac, &o), o,
            cases[i].result, fn);
    }
    gpureg_object o;
    assert_create_fails(&lc, reg, gpureg_object_adopt(reg, NULL, 1, adopt_counter_destroy_fn, &ac, &o), o,
                        GPUREG_ERR_NULL_POINTER, fn);
    gpureg_object_desc ok = {.kind = GPUREG_KIND_SAMPLER};
    assert_int_equal(gpureg_object_adopt(reg, &ok, 1, adopt_counter_destroy_fn, &ac, NULL), GPUREG_ERR_NULL_POINTER);
    o.id = 7;
    assert_int_equal(gpureg_object_adopt(NULL, &ok, 1, adopt_counter_destroy_fn, &ac, &o), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(o.id, 0);
    destroy_expecting(reg, 0);
    assert_int_equal(atomic_load(&ac.calls), 0); /* nothing was adopted */
}

static void adopted_shader_keeps_its_stage(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_object_desc od = {.kind = GPUREG_KIND_SHADER, .stage = GPUREG_STAGE_COMPUTE};
    gpureg_object o = {0};
    assert_int_equal(gpureg_object_adopt(reg, &od, 3, NULL, NULL, &o), GPUREG_OK);
    assert_int_equal(query(reg, o.id).object.stage, GPUREG_STAGE_COMPUTE);
    destroy_expecting(reg, 1);
}

/* ---- bad input to each create call ------------------------------------------------------------ */
static void renderbuffer_create_refuses_bad_descs(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    static const char fn[] = "gpureg_renderbuffer_create";
    const struct {
        gpureg_renderbuffer_desc desc;
        gpureg_result result;
    } cases[] = {
        {{.width = 4, .height = 4}, GPUREG_ERR_INVALID_FORMAT},
        {{.width = 4, .height = 4, .format = GPUREG_FORMAT_COUNT}, GPUREG_ERR_INVALID_FORMAT},
        {{.width = 4, .height = 4, .format = (gpureg_format)99}, GPUREG_ERR_INVALID_FORMAT},
        {{.width = 0, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM}, GPUREG_ERR_INVALID_SIZE},
        {{.width = 4, .height = 0, .format = GPUREG_FORMAT_RGBA8_UNORM}, GPUREG_ERR_INVALID_SIZE},
        {{.width = 65537, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM}, GPUREG_ERR_INVALID_SIZE},
        {{.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .samples = 3}, GPUREG_ERR_INVALID_ARGUMENT},
        {{.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .samples = 6}, GPUREG_ERR_INVALID_ARGUMENT},
        {{.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .samples = 128}, GPUREG_ERR_INVALID_ARGUMENT},
        {{.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .flags = 4}, GPUREG_ERR_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gpureg_object o;
        assert_create_fails(&lc, reg, gpureg_renderbuffer_create(reg, &cases[i].desc, &o), o, cases[i].result, fn);
    }
    gpureg_object o;
    assert_create_fails(&lc, reg, gpureg_renderbuffer_create(reg, NULL, &o), o, GPUREG_ERR_NULL_POINTER, fn);
    gpureg_renderbuffer_desc ok = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM};
    assert_int_equal(gpureg_renderbuffer_create(reg, &ok, NULL), GPUREG_ERR_NULL_POINTER);
    o.id = 9;
    assert_int_equal(gpureg_renderbuffer_create(NULL, &ok, &o), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(o.id, 0);
    destroy_expecting(reg, 0);
}

static void framebuffer_create_refuses_bad_attachments(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    gpureg_registry *other = make_registry(NULL);
    static const char fn[] = "gpureg_framebuffer_create";
    gpureg_texture c1 = color_texture(reg, 16, 16), c2 = color_texture(reg, 16, 16);
    gpureg_texture small = color_texture(reg, 8, 16);
    gpureg_texture sampled = make_texture(reg); /* SAMPLED | TRANSFER_DST: not an attachment */
    gpureg_texture depth = depth_texture(reg, 16, 16), small_depth = depth_texture(reg, 16, 8);
    gpureg_object depth_rb = renderbuffer(reg, 16, 16, GPUREG_FORMAT_D24_UNORM_S8_UINT, 0);
    gpureg_object small_rb = renderbuffer(reg, 4, 4, GPUREG_FORMAT_S8_UINT, 0);
    gpureg_buffer buf = make_buffer(reg);
    gpureg_object smp = sampler(reg);
    gpureg_texture released = color_texture(reg, 16, 16);
    gpureg_texture stale = color_texture(reg, 16, 16);
    assert_int_equal(gpureg_texture_release(reg, stale), GPUREG_OK);
    assert_int_equal(collect(reg), 1);
    begin(reg);
    assert_int_equal(gpureg_texture_release(reg, released), GPUREG_OK);
    gpureg_texture foreign = color_texture(other, 16, 16);
    const struct {
        gpureg_framebuffer_desc desc;
        gpureg_result result;
    } cases[] = {
        {{.color = {{0}}}, GPUREG_ERR_INVALID_ARGUMENT},                                         /* no attachment */
        {{.color = {c1, {0}, c2}}, GPUREG_ERR_INVALID_ARGUMENT},                                 /* a gap */
        {{.color = {{0}, c1}}, GPUREG_ERR_INVALID_ARGUMENT},                                     /* a gap first */
        {{.color = {c1, {0}, {0}, c2}, .depth_stencil = depth.id}, GPUREG_ERR_INVALID_ARGUMENT}, /* a gap */
        {{.color = {{buf.id}}}, GPUREG_ERR_WRONG_TYPE},
        {{.color = {{smp.id}}}, GPUREG_ERR_WRONG_TYPE},
        {{.color = {sampled}}, GPUREG_ERR_INVALID_USAGE},
        {{.color = {c1, sampled}}, GPUREG_ERR_INVALID_USAGE},
        {{.color = {depth}}, GPUREG_ERR_INVALID_USAGE},
        {{.color = {c1}, .depth_stencil = c2.id}, GPUREG_ERR_INVALID_ARGUMENT}, /* colour as depth */
        {{.color = {c1}, .depth_stencil = smp.id}, GPUREG_ERR_INVALID_ARGUMENT},
        {{.color = {c1}, .depth_stencil = buf.id}, GPUREG_ERR_INVALID_ARGUMENT},
        {{.color = {c1, small}}, GPUREG_ERR_INVALID_SIZE},
        {{.color = {small, c1}}, GPUREG_ERR_INVALID_SIZE},
        {{.color = {c1}, .depth_stencil = small_depth.id}, GPUREG_ERR_INVALID_SIZE},
        {{.color = {c1}, .depth_stencil = small_rb.id}, GPUREG_ERR_INVALID_SIZE},
        {{.color = {released}}, GPUREG_ERR_RELEASED},
        {{.color = {c1}, .depth_stencil = released.id}, GPUREG_ERR_RELEASED},
        {{.color = {stale}}, GPUREG_ERR_STALE_HANDLE},
        {{.color = {foreign}}, GPUREG_ERR_FOREIGN_HANDLE},
        {{.color = {c1}, .depth_stencil = foreign.id}, GPUREG_ERR_FOREIGN_HANDLE},
        {{.color = {c1}, .flags = 2}, GPUREG_ERR_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gpureg_object o;
        assert_create_fails(&lc, reg, gpureg_framebuffer_create(reg, &cases[i].desc, &o), o, cases[i].result, fn);
    }
    gpureg_object o;
    assert_create_fails(&lc, reg, gpureg_framebuffer_create(reg, NULL, &o), o, GPUREG_ERR_NULL_POINTER, fn);
    /* The same attachments, valid, make one. */
    gpureg_framebuffer_desc ok = {.color = {c1, c2}, .depth_stencil = depth_rb.id};
    assert_int_equal(gpureg_framebuffer_create(reg, &ok, &o), GPUREG_OK);
    end(reg);
    destroy_expecting(other, 1);
    destroy_expecting(reg, 11);
}

static void sampler_create_refuses_unknown_state(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    static const char fn[] = "gpureg_sampler_create";
    const gpureg_sampler_desc cases[] = {
        {.state = {.min_filter = (gpureg_filter)3}},     {.state = {.mag_filter = (gpureg_filter)99}},
        {.state = {.mip_filter = (gpureg_mip_filter)4}}, {.state = {.wrap_u = (gpureg_wrap)4}},
        {.state = {.wrap_v = (gpureg_wrap)0x7fffffff}},  {.state = {.min_filter = GPUREG_FILTER_NEAREST}, .flags = 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gpureg_object o;
        assert_create_fails(&lc, reg, gpureg_sampler_create(reg, &cases[i], &o), o, GPUREG_ERR_INVALID_ARGUMENT, fn);
    }
    gpureg_object o;
    assert_create_fails(&lc, reg, gpureg_sampler_create(reg, NULL, &o), o, GPUREG_ERR_NULL_POINTER, fn);
    /* Every known value is accepted. */
    gpureg_sampler_desc all = {.state = {GPUREG_FILTER_NEAREST, GPUREG_FILTER_LINEAR, GPUREG_MIP_FILTER_LINEAR,
                                         GPUREG_WRAP_MIRRORED_REPEAT, GPUREG_WRAP_CLAMP_TO_EDGE}};
    assert_int_equal(gpureg_sampler_create(reg, &all, &o), GPUREG_OK);
    assert_int_equal(query(reg, o.id).kind, GPUREG_KIND_SAMPLER);
    destroy_expecting(reg, 1);
}

static void shader_create_refuses_bad_descs(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    static const char fn[] = "gpureg_shader_create";
    const size_t n = sizeof shader_code - 1u;
    const struct {
        gpureg_shader_desc desc;
        gpureg_result result;
    } cases[] = {
        {{.stage = GPUREG_STAGE_VERTEX, .code = NULL, .code_size = n}, GPUREG_ERR_NULL_POINTER},
        {{.stage = GPUREG_STAGE_VERTEX, .code = shader_code, .code_size = 0}, GPUREG_ERR_INVALID_SIZE},
        {{.stage = GPUREG_STAGE_VERTEX, .code = shader_code, .code_size = (16u << 20) + 1u}, GPUREG_ERR_INVALID_SIZE},
        {{.stage = GPUREG_STAGE_UNDEFINED, .code = shader_code, .code_size = n}, GPUREG_ERR_INVALID_ARGUMENT},
        {{.stage = (gpureg_shader_stage)4, .code = shader_code, .code_size = n}, GPUREG_ERR_INVALID_ARGUMENT},
        {{.stage = (gpureg_shader_stage)99, .code = shader_code, .code_size = n}, GPUREG_ERR_INVALID_ARGUMENT},
        {{.stage = GPUREG_STAGE_VERTEX, .code = shader_code, .code_size = n, .flags = 2}, GPUREG_ERR_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gpureg_object o;
        assert_create_fails(&lc, reg, gpureg_shader_create(reg, &cases[i].desc, &o), o, cases[i].result, fn);
    }
    gpureg_object o;
    assert_create_fails(&lc, reg, gpureg_shader_create(reg, NULL, &o), o, GPUREG_ERR_NULL_POINTER, fn);
    gpureg_shader_desc one = {.stage = GPUREG_STAGE_COMPUTE, .code = shader_code, .code_size = 1};
    assert_int_equal(gpureg_shader_create(reg, &one, &o), GPUREG_OK); /* 1 byte is the least */
    destroy_expecting(reg, 1);
}

static void program_create_refuses_bad_shader_lists(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    gpureg_registry *other = make_registry(NULL);
    static const char fn[] = "gpureg_program_create";
    gpureg_object vs = shader(reg, GPUREG_STAGE_VERTEX), fs = shader(reg, GPUREG_STAGE_FRAGMENT);
    gpureg_object smp = sampler(reg);
    gpureg_texture tex = make_texture(reg);
    gpureg_object released = shader(reg, GPUREG_STAGE_VERTEX);
    gpureg_object stale = shader(reg, GPUREG_STAGE_VERTEX);
    assert_int_equal(gpureg_release(reg, stale.id), GPUREG_OK);
    assert_int_equal(collect(reg), 1);
    begin(reg);
    assert_int_equal(gpureg_release(reg, released.id), GPUREG_OK);
    gpureg_object foreign = shader(other, GPUREG_STAGE_VERTEX);
    gpureg_object nine[9];
    for (int i = 0; i < 9; i++)
        nine[i] = vs;
    const gpureg_object with_sampler[] = {vs, smp};
    const gpureg_object with_texture[] = {{tex.id}, fs};
    const gpureg_object with_released[] = {vs, released};
    const gpureg_object with_stale[] = {stale, fs};
    const gpureg_object with_foreign[] = {vs, foreign};
    const gpureg_object with_zero[] = {vs, {0}};
    const struct {
        gpureg_program_desc desc;
        gpureg_result result;
    } cases[] = {
        {{.shaders = NULL, .shader_count = 1}, GPUREG_ERR_NULL_POINTER},
        {{.shaders = nine, .shader_count = 0}, GPUREG_ERR_INVALID_ARGUMENT},
        {{.shaders = nine, .shader_count = 9}, GPUREG_ERR_INVALID_ARGUMENT},
        {{.shaders = with_sampler, .shader_count = 2}, GPUREG_ERR_INVALID_ARGUMENT},
        {{.shaders = with_texture, .shader_count = 2}, GPUREG_ERR_WRONG_TYPE},
        {{.shaders = with_released, .shader_count = 2}, GPUREG_ERR_RELEASED},
        {{.shaders = with_stale, .shader_count = 2}, GPUREG_ERR_STALE_HANDLE},
        {{.shaders = with_foreign, .shader_count = 2}, GPUREG_ERR_FOREIGN_HANDLE},
        {{.shaders = with_zero, .shader_count = 2}, GPUREG_ERR_INVALID_HANDLE},
        {{.shaders = nine, .shader_count = 2, .flags = 2}, GPUREG_ERR_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gpureg_object o;
        assert_create_fails(&lc, reg, gpureg_program_create(reg, &cases[i].desc, &o), o, cases[i].result, fn);
    }
    gpureg_object o;
    assert_create_fails(&lc, reg, gpureg_program_create(reg, NULL, &o), o, GPUREG_ERR_NULL_POINTER, fn);
    const gpureg_object both[] = {vs, fs};
    gpureg_program_desc ok = {.shaders = both, .shader_count = 2};
    assert_int_equal(gpureg_program_create(reg, &ok, &o), GPUREG_OK);
    end(reg);
    destroy_expecting(other, 1);
    destroy_expecting(reg, 5);
}

static void vertex_array_create_refuses_bad_descs(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    static const char fn[] = "gpureg_vertex_array_create";
    gpureg_vertex_array_desc bad = {.flags = 2};
    gpureg_object o;
    assert_create_fails(&lc, reg, gpureg_vertex_array_create(reg, &bad, &o), o, GPUREG_ERR_INVALID_ARGUMENT, fn);
    assert_create_fails(&lc, reg, gpureg_vertex_array_create(reg, NULL, &o), o, GPUREG_ERR_NULL_POINTER, fn);
    gpureg_vertex_array_desc ok = {0};
    assert_int_equal(gpureg_vertex_array_create(reg, &ok, NULL), GPUREG_ERR_NULL_POINTER);
    destroy_expecting(reg, 0);
}

/* ---- threads and device loss ----------------------------------------------------------------- */
typedef struct off_owner {
    gpureg_registry *reg;
    gpureg_texture color;
    gpureg_object shader;
    gpureg_handle dependent, parent;
    gpureg_result results[9];
    gpureg_handle outs[9];
    gpureg_render_target target;
    adopt_counter *ac;
} off_owner;

static void create_everything(void *arg) {
    off_owner *t = arg;
    gpureg_object o[8] = {{1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}};
    gpureg_renderbuffer_desc rd = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM};
    gpureg_framebuffer_desc fd = {.color = {t->color}};
    gpureg_sampler_desc sd = {0};
    gpureg_shader_desc shd = {.stage = GPUREG_STAGE_VERTEX, .code = shader_code, .code_size = 4};
    gpureg_program_desc pd = {.shaders = &t->shader, .shader_count = 1};
    gpureg_vertex_array_desc vd = {0};
    gpureg_object_desc od = {.kind = GPUREG_KIND_RENDER_PASS};
    gpureg_render_target_desc rtd = {.color = small_texture_desc(), .depth_stencil = GPUREG_FORMAT_D32_FLOAT};
    t->results[0] = gpureg_renderbuffer_create(t->reg, &rd, &o[0]);
    t->results[1] = gpureg_framebuffer_create(t->reg, &fd, &o[1]);
    t->results[2] = gpureg_sampler_create(t->reg, &sd, &o[2]);
    t->results[3] = gpureg_shader_create(t->reg, &shd, &o[3]);
    t->results[4] = gpureg_program_create(t->reg, &pd, &o[4]);
    t->results[5] = gpureg_vertex_array_create(t->reg, &vd, &o[5]);
    t->results[6] = gpureg_object_adopt(t->reg, &od, 0x66, adopt_counter_destroy_fn, t->ac, &o[6]);
    t->results[7] = gpureg_object_depend(t->reg, t->dependent, t->parent);
    t->target.color.id = 1;
    t->results[8] = gpureg_render_target_create(t->reg, &rtd, &t->target);
    for (int i = 0; i < 7; i++)
        t->outs[i] = o[i].id;
}

static void owner_only_calls_answer_wrong_thread_elsewhere(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    adopt_counter ac;
    adopt_counter_init(&ac);
    off_owner t = {.reg = reg, .ac = &ac};
    t.color = color_texture(reg, 4, 4);
    t.shader = shader(reg, GPUREG_STAGE_VERTEX);
    gpureg_object a = sampler(reg), b = sampler(reg);
    t.dependent = a.id, t.parent = b.id;
    gpureg_stats before = get_stats(reg);
    run_on_other_thread(create_everything, &t);
    for (int i = 0; i < 9; i++)
        assert_int_equal(t.results[i], GPUREG_ERR_WRONG_THREAD);
    for (int i = 0; i < 7; i++)
        assert_int_equal(t.outs[i], 0);
    assert_int_equal(t.target.color.id, 0);
    assert_int_equal(t.target.framebuffer.id, 0);
    assert_int_equal(t.target.depth_stencil.id, 0);
    assert_int_equal(query(reg, a.id).parent, 0);
    gpureg_stats after = get_stats(reg);
    assert_object_stats_equal(before, after);
    destroy_expecting(reg, 4);
    assert_int_equal(atomic_load(&ac.calls), 0);
}

static void creates_answer_device_lost_and_released_objects_go_at_once(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    adopt_counter ac;
    adopt_counter_init(&ac);
    gpureg_texture color = color_texture(reg, 4, 4);
    gpureg_object sh = shader(reg, GPUREG_STAGE_VERTEX);
    gpureg_object parent = adopt_kind(reg, GPUREG_KIND_RENDERBUFFER, 0x10, &ac);
    gpureg_object dependent = adopt_kind(reg, GPUREG_KIND_FRAMEBUFFER, 0x11, &ac);
    assert_int_equal(gpureg_object_depend(reg, dependent.id, parent.id), GPUREG_OK);
    begin(reg);
    assert_int_equal(gpureg_release(reg, dependent.id), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, parent.id), GPUREG_OK);
    end(reg);
    assert_int_equal(gpureg_null_lose_device(reg), GPUREG_OK);
    gpureg_object o = {1};
    gpureg_renderbuffer_desc rd = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM};
    assert_int_equal(gpureg_renderbuffer_create(reg, &rd, &o), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(o.id, 0);
    gpureg_framebuffer_desc fd = {.color = {color}};
    assert_int_equal(gpureg_framebuffer_create(reg, &fd, &o), GPUREG_ERR_DEVICE_LOST);
    gpureg_sampler_desc sd = {0};
    assert_int_equal(gpureg_sampler_create(reg, &sd, &o), GPUREG_ERR_DEVICE_LOST);
    gpureg_shader_desc shd = {.stage = GPUREG_STAGE_VERTEX, .code = shader_code, .code_size = 4};
    assert_int_equal(gpureg_shader_create(reg, &shd, &o), GPUREG_ERR_DEVICE_LOST);
    gpureg_program_desc pd = {.shaders = &sh, .shader_count = 1};
    assert_int_equal(gpureg_program_create(reg, &pd, &o), GPUREG_ERR_DEVICE_LOST);
    gpureg_vertex_array_desc vd = {0};
    assert_int_equal(gpureg_vertex_array_create(reg, &vd, &o), GPUREG_ERR_DEVICE_LOST);
    gpureg_object_desc od = {.kind = GPUREG_KIND_PIPELINE};
    assert_int_equal(gpureg_object_adopt(reg, &od, 0x12, adopt_counter_destroy_fn, &ac, &o), GPUREG_ERR_DEVICE_LOST);
    gpureg_render_target_desc rtd = {.color = small_texture_desc()};
    gpureg_render_target rt;
    assert_int_equal(gpureg_render_target_create(reg, &rtd, &rt), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(rt.color.id, 0);
    /* No fence will signal: the pair goes at the next collection, the dependent first. */
    uint32_t destroyed = 0;
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_ERR_DEVICE_LOST);
    assert_int_equal(destroyed, 2);
    assert_int_equal(atomic_load(&ac.calls), 2);
    assert_int_equal(ac.natives[0], 0x11);
    assert_int_equal(ac.natives[1], 0x10);
    assert_int_equal(gpureg_query_state(reg, dependent.id), GPUREG_STATE_DESTROYED);
    destroy_expecting(reg, 2);
    assert_int_equal(adopt_counter_calls_for(&ac, 0x12), 0);
}

/* ---- dependents ------------------------------------------------------------------------------- */
typedef struct dep_fixture {
    gpureg_registry *reg;
    adopt_counter ac;
} dep_fixture;

static int dep_setup(void **state) {
    dep_fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    f->reg = make_registry(NULL);
    adopt_counter_init(&f->ac);
    *state = f;
    return 0;
}

static int dep_teardown(void **state) {
    dep_fixture *f = *state;
    if (f->reg) gpureg_destroy(f->reg);
    free(f);
    return 0;
}

static unsigned calls(dep_fixture *f) { return atomic_load(&f->ac.calls); }

/* The order in which the adopted natives were destroyed is `expected`. */
static void assert_destroy_order(dep_fixture *f, const uint64_t *expected, unsigned n) {
    assert_int_equal(f->ac.recorded, n);
    for (unsigned i = 0; i < n; i++)
        if (f->ac.natives[i] != expected[i]) {
            print_error("destruction %u was native 0x%llx, expected 0x%llx\n", i, (unsigned long long)f->ac.natives[i],
                        (unsigned long long)expected[i]);
            fail();
        }
}

static void depend_links_any_two_objects_and_query_shows_the_parent(void **state) {
    dep_fixture *f = *state;
    gpureg_texture tex = make_texture(f->reg);
    gpureg_buffer buf = make_buffer(f->reg);
    gpureg_object fb = adopt_kind(f->reg, GPUREG_KIND_FRAMEBUFFER, 0x20, &f->ac);
    gpureg_object rb = renderbuffer(f->reg, 4, 4, GPUREG_FORMAT_S8_UINT, 0);
    assert_int_equal(gpureg_object_depend(f->reg, fb.id, tex.id), GPUREG_OK);
    assert_int_equal(gpureg_object_depend(f->reg, rb.id, tex.id), GPUREG_OK); /* a parent of many */
    assert_int_equal(gpureg_object_depend(f->reg, buf.id, rb.id), GPUREG_OK); /* any type */
    assert_int_equal(query(f->reg, fb.id).parent, tex.id);
    assert_int_equal(query(f->reg, rb.id).parent, tex.id);
    assert_int_equal(query(f->reg, buf.id).parent, rb.id);
    assert_int_equal(query(f->reg, tex.id).parent, 0);
    /* Depending takes no reference. */
    assert_int_equal(query(f->reg, tex.id).refcount, 1);
    assert_int_equal(query(f->reg, rb.id).refcount, 1);
}

/* (a) */
static void dependent_and_parent_released_together_go_in_one_collection(void **state) {
    dep_fixture *f = *state;
    gpureg_texture parent = adopt_texture(f->reg, 0xA0, &f->ac);
    gpureg_object dependent = adopt_kind(f->reg, GPUREG_KIND_FRAMEBUFFER, 0xA1, &f->ac);
    assert_int_equal(gpureg_object_depend(f->reg, dependent.id, parent.id), GPUREG_OK);
    begin(f->reg);
    assert_int_equal(gpureg_release(f->reg, dependent.id), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(f->reg, parent), GPUREG_OK);
    end(f->reg);
    assert_int_equal(collect(f->reg), 0);
    assert_int_equal(gpureg_query_state(f->reg, dependent.id), GPUREG_STATE_RELEASED);
    assert_int_equal(gpureg_query_state(f->reg, parent.id), GPUREG_STATE_RELEASED);
    signal_fence(f->reg, 1);
    assert_int_equal(collect(f->reg), 2);
    assert_int_equal(gpureg_query_state(f->reg, dependent.id), GPUREG_STATE_DESTROYED);
    assert_int_equal(gpureg_query_state(f->reg, parent.id), GPUREG_STATE_DESTROYED);
    const uint64_t order[] = {0xA1, 0xA0}; /* the dependent just before its parent */
    assert_destroy_order(f, order, 2);
    gpureg_stats s = get_stats(f->reg);
    assert_kind_counts(&s, GPUREG_KIND_FRAMEBUFFER, 0, 0, 0, 0, 1, 1);
    assert_kind_counts(&s, GPUREG_KIND_TEXTURE, 0, 0, 0, 0, 1, 1);
}

/* (a), the parent released first in the frame: still one collection, still the dependent first. */
static void parent_released_first_in_the_frame_still_goes_after_its_dependent(void **state) {
    dep_fixture *f = *state;
    gpureg_texture parent = adopt_texture(f->reg, 0xB0, &f->ac);
    gpureg_object dependent = adopt_kind(f->reg, GPUREG_KIND_FRAMEBUFFER, 0xB1, &f->ac);
    assert_int_equal(gpureg_object_depend(f->reg, dependent.id, parent.id), GPUREG_OK);
    begin(f->reg);
    assert_int_equal(gpureg_texture_release(f->reg, parent), GPUREG_OK);
    assert_int_equal(gpureg_release(f->reg, dependent.id), GPUREG_OK);
    end(f->reg);
    assert_int_equal(collect(f->reg), 0);
    signal_fence(f->reg, 1);
    assert_int_equal(collect(f->reg), 2);
    const uint64_t order[] = {0xB1, 0xB0};
    assert_destroy_order(f, order, 2);
}

/* (b) */
static void dependent_released_early_waits_for_its_parent(void **state) {
    dep_fixture *f = *state;
    gpureg_texture parent = adopt_texture(f->reg, 0xC0, &f->ac);
    gpureg_object dependent = adopt_kind(f->reg, GPUREG_KIND_RENDERBUFFER, 0xC1, &f->ac);
    assert_int_equal(gpureg_object_depend(f->reg, dependent.id, parent.id), GPUREG_OK);
    begin(f->reg); /* frame 1 */
    assert_int_equal(gpureg_release(f->reg, dependent.id), GPUREG_OK);
    end(f->reg);
    begin(f->reg); /* frame 2 */
    end(f->reg);
    signal_fence(f->reg, 1);
    assert_int_equal(collect(f->reg), 0);
    assert_int_equal(gpureg_query_state(f->reg, dependent.id), GPUREG_STATE_RELEASED);
    assert_int_equal(query(f->reg, dependent.id).parent, parent.id);
    signal_fence(f->reg, 2);
    assert_int_equal(collect(f->reg), 0);
    assert_int_equal(gpureg_query_state(f->reg, dependent.id), GPUREG_STATE_RELEASED);
    gpureg_stats s = get_stats(f->reg);
    assert_kind_counts(&s, GPUREG_KIND_RENDERBUFFER, 0, 0, 1, 0, 1, 0);
    assert_int_equal(calls(f), 0);
    begin(f->reg); /* frame 3 */
    assert_int_equal(gpureg_texture_release(f->reg, parent), GPUREG_OK);
    end(f->reg);
    begin(f->reg); /* frame 4: collects, fence 3 not signalled */
    end(f->reg);
    assert_int_equal(collect(f->reg), 0);
    assert_int_equal(gpureg_query_state(f->reg, dependent.id), GPUREG_STATE_RELEASED);
    assert_int_equal(gpureg_query_state(f->reg, parent.id), GPUREG_STATE_RELEASED);
    signal_fence(f->reg, 3);
    assert_int_equal(collect(f->reg), 2);
    assert_int_equal(gpureg_query_state(f->reg, dependent.id), GPUREG_STATE_DESTROYED);
    assert_int_equal(gpureg_query_state(f->reg, parent.id), GPUREG_STATE_DESTROYED);
    const uint64_t order[] = {0xC1, 0xC0};
    assert_destroy_order(f, order, 2);
    s = get_stats(f->reg);
    assert_kind_counts(&s, GPUREG_KIND_RENDERBUFFER, 0, 0, 0, 0, 1, 1);
}

/* (b) with frames: the parent's fence alone does not release it while its dependent may still be
 * used in a later frame (the framebuffer renders into the texture). */
static void parent_released_a_frame_before_its_dependent_waits_for_it(void **state) {
    dep_fixture *f = *state;
    gpureg_texture parent = adopt_texture(f->reg, 0xD0, &f->ac);
    gpureg_object dependent = adopt_kind(f->reg, GPUREG_KIND_FRAMEBUFFER, 0xD1, &f->ac);
    assert_int_equal(gpureg_object_depend(f->reg, dependent.id, parent.id), GPUREG_OK);
    begin(f->reg); /* frame 1: the parent */
    assert_int_equal(gpureg_texture_release(f->reg, parent), GPUREG_OK);
    end(f->reg);
    begin(f->reg); /* frame 2: the dependent, which frame 2 may still have used */
    assert_int_equal(gpureg_release(f->reg, dependent.id), GPUREG_OK);
    end(f->reg);
    signal_fence(f->reg, 1);
    assert_int_equal(collect(f->reg), 0); /* the parent's fence alone is not enough */
    assert_int_equal(gpureg_query_state(f->reg, parent.id), GPUREG_STATE_RELEASED);
    assert_int_equal(gpureg_query_state(f->reg, dependent.id), GPUREG_STATE_RELEASED);
    assert_int_equal(calls(f), 0);
    gpureg_stats s = get_stats(f->reg);
    assert_kind_counts(&s, GPUREG_KIND_TEXTURE, 0, 0, 1, 64, 1, 0); /* held back, still pending */
    signal_fence(f->reg, 2);
    assert_int_equal(collect(f->reg), 2); /* one collection, the dependent first */
    assert_int_equal(gpureg_query_state(f->reg, parent.id), GPUREG_STATE_DESTROYED);
    assert_int_equal(gpureg_query_state(f->reg, dependent.id), GPUREG_STATE_DESTROYED);
    const uint64_t order[] = {0xD1, 0xD0};
    assert_destroy_order(f, order, 2);
}

/* (c): a released parent waits for its living dependent. */
static void parent_released_while_its_dependent_lives_waits_for_it(void **state) {
    dep_fixture *f = *state;
    gpureg_texture parent = adopt_texture(f->reg, 0xE0, &f->ac);
    gpureg_object dependent = adopt_kind(f->reg, GPUREG_KIND_FRAMEBUFFER, 0xE1, &f->ac);
    assert_int_equal(gpureg_object_depend(f->reg, dependent.id, parent.id), GPUREG_OK);
    begin(f->reg); /* frame 1 */
    assert_int_equal(gpureg_texture_release(f->reg, parent), GPUREG_OK);
    end(f->reg);
    signal_fence(f->reg, 1);
    assert_int_equal(collect(f->reg), 0); /* held back: the framebuffer still renders into it */
    assert_int_equal(gpureg_query_state(f->reg, parent.id), GPUREG_STATE_RELEASED);
    assert_int_equal(gpureg_query_state(f->reg, dependent.id), GPUREG_STATE_ALIVE);
    assert_int_equal(query(f->reg, dependent.id).parent, parent.id);
    json_value doc;
    report_json(f->reg, &doc);
    assert_non_null(json_get(json_object(&doc, dependent.id), "parent"));
    json_free(&doc);
    for (int i = 0; i < 3; i++) { /* more frames: still held */
        begin(f->reg);
        end(f->reg);
        signal_fence(f->reg, 2u + (uint64_t)i);
        assert_int_equal(collect(f->reg), 0);
    }
    begin(f->reg); /* frame 5 */
    assert_int_equal(gpureg_release(f->reg, dependent.id), GPUREG_OK);
    end(f->reg);
    assert_int_equal(collect(f->reg), 0);
    signal_fence(f->reg, 5);
    assert_int_equal(collect(f->reg), 2);
    assert_int_equal(gpureg_query_state(f->reg, parent.id), GPUREG_STATE_DESTROYED);
    assert_int_equal(gpureg_query_state(f->reg, dependent.id), GPUREG_STATE_DESTROYED);
    const uint64_t order[] = {0xE1, 0xE0};
    assert_destroy_order(f, order, 2);
    gpureg_stats s = get_stats(f->reg);
    assert_kind_counts(&s, GPUREG_KIND_TEXTURE, 0, 0, 0, 0, 1, 1);
    assert_kind_counts(&s, GPUREG_KIND_FRAMEBUFFER, 0, 0, 0, 0, 1, 1);
}

/* (c) with creates meanwhile: a held parent keeps its slot, so the link stays its own. */
static void held_parent_slot_is_not_reused_until_both_go(void **state) {
    dep_fixture *f = *state;
    gpureg_object parent = adopt_kind(f->reg, GPUREG_KIND_RENDERBUFFER, 0xF0, &f->ac);
    gpureg_object dependent = adopt_kind(f->reg, GPUREG_KIND_FRAMEBUFFER, 0xF1, &f->ac);
    assert_int_equal(gpureg_object_depend(f->reg, dependent.id, parent.id), GPUREG_OK);
    assert_int_equal(gpureg_release(f->reg, parent.id), GPUREG_OK);
    assert_int_equal(collect(f->reg), 0);
    /* Objects made meanwhile never take the held parent's slot. */
    for (int i = 0; i < 2048; i++) {
        gpureg_object o = adopt_kind(f->reg, GPUREG_KIND_RENDERBUFFER, 0x10000u + (uint64_t)i, &f->ac);
        assert_true(handle_index_of(o.id) != handle_index_of(parent.id));
    }
    assert_int_equal(query(f->reg, dependent.id).parent, parent.id);
    begin(f->reg);
    assert_int_equal(gpureg_release(f->reg, dependent.id), GPUREG_OK);
    end(f->reg);
    signal_fence(f->reg, 1);
    assert_int_equal(collect(f->reg), 2);
    assert_int_equal(adopt_counter_calls_for(&f->ac, 0xF0), 1);
    assert_int_equal(adopt_counter_calls_for(&f->ac, 0xF1), 1);
    gpureg_destroy(f->reg);
    f->reg = NULL;
}

typedef struct depend_call {
    gpureg_registry *reg;
    gpureg_handle dependent, parent;
    gpureg_result result;
} depend_call;
static void depend_elsewhere(void *arg) {
    depend_call *c = arg;
    c->result = gpureg_object_depend(c->reg, c->dependent, c->parent);
}

/* (d) */
static void depend_refuses_what_the_header_lists(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    gpureg_registry *other = make_registry(NULL);
    static const char fn[] = "gpureg_object_depend";
    gpureg_object a = sampler(reg), b = sampler(reg), c = sampler(reg), d = sampler(reg);
    gpureg_texture t = make_texture(reg);
    gpureg_object stale = sampler(reg);
    assert_int_equal(gpureg_release(reg, stale.id), GPUREG_OK);
    assert_int_equal(collect(reg), 1);
    begin(reg);
    gpureg_object released = sampler(reg);
    assert_int_equal(gpureg_release(reg, released.id), GPUREG_OK);
    gpureg_object foreign = sampler(other);

    assert_int_equal(gpureg_object_depend(reg, a.id, b.id), GPUREG_OK); /* a -> b */
    log_capture_reset(&lc);
    assert_int_equal(gpureg_object_depend(reg, b.id, a.id), GPUREG_ERR_INVALID_ARGUMENT); /* b -> a -> b */
    assert_logged_once(&lc, GPUREG_ERR_INVALID_ARGUMENT, fn);
    assert_int_equal(query(reg, b.id).parent, 0);
    assert_int_equal(gpureg_object_depend(reg, b.id, c.id), GPUREG_OK); /* b -> c */
    const struct {
        gpureg_handle dependent, parent;
        gpureg_result result;
    } cases[] = {
        {d.id, d.id, GPUREG_ERR_INVALID_ARGUMENT}, /* the same object */
        {a.id, d.id, GPUREG_ERR_INVALID_ARGUMENT}, /* a second parent */
        {a.id, t.id, GPUREG_ERR_INVALID_ARGUMENT}, /* a second parent of another type */
        {c.id, a.id, GPUREG_ERR_INVALID_ARGUMENT}, /* a cycle: c -> a -> b -> c */
        {d.id, released.id, GPUREG_ERR_RELEASED},      {released.id, d.id, GPUREG_ERR_RELEASED},
        {d.id, stale.id, GPUREG_ERR_STALE_HANDLE},     {stale.id, d.id, GPUREG_ERR_STALE_HANDLE},
        {d.id, foreign.id, GPUREG_ERR_FOREIGN_HANDLE}, {foreign.id, d.id, GPUREG_ERR_FOREIGN_HANDLE},
        {d.id, 0, GPUREG_ERR_INVALID_HANDLE},          {0, d.id, GPUREG_ERR_INVALID_HANDLE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        log_capture_reset(&lc);
        assert_int_equal(gpureg_object_depend(reg, cases[i].dependent, cases[i].parent), cases[i].result);
        assert_logged_once(&lc, cases[i].result, fn);
    }
    assert_int_equal(gpureg_object_depend(NULL, d.id, c.id), GPUREG_ERR_NULL_POINTER);
    /* Nothing changed: a -> b -> c, d alone. */
    assert_int_equal(query(reg, a.id).parent, b.id);
    assert_int_equal(query(reg, b.id).parent, c.id);
    assert_int_equal(query(reg, c.id).parent, 0);
    assert_int_equal(query(reg, d.id).parent, 0);
    assert_int_equal(query(reg, released.id).parent, 0);

    depend_call call = {reg, d.id, c.id, GPUREG_OK};
    run_on_other_thread(depend_elsewhere, &call);
    assert_int_equal(call.result, GPUREG_ERR_WRONG_THREAD);
    assert_int_equal(query(reg, d.id).parent, 0);
    /* On the owner, the same link is fine. */
    assert_int_equal(gpureg_object_depend(reg, d.id, c.id), GPUREG_OK);
    end(reg);
    destroy_expecting(other, 1);
    destroy_expecting(reg, 5);
}

/* (e) */
static void reports_show_what_a_dependent_waits_for(void **state) {
    dep_fixture *f = *state;
    gpureg_texture parent = make_texture(f->reg);
    gpureg_object dependent = framebuffer_of(f->reg, color_texture(f->reg, 4, 4), 0);
    assert_int_equal(gpureg_object_depend(f->reg, dependent.id, parent.id), GPUREG_OK);
    char want[32];
    hex_of(parent.id, want, sizeof want);
    text_sink ts = {0};
    report_text(f->reg, &ts);
    char line[1024], depends[64];
    snprintf(depends, sizeof depends, "[depends on %s]", want);
    assert_true(text_row_of(ts.data, dependent.id, line, sizeof line));
    if (!strstr(line, depends)) {
        print_error("row \"%s\" does not say %s\n", line, depends);
        fail();
    }
    assert_true(text_row_of(ts.data, parent.id, line, sizeof line));
    assert_null(strstr(line, "depends on"));
    text_sink_free(&ts);
    json_value doc;
    report_json(f->reg, &doc);
    assert_string_equal(member_string(json_object(&doc, dependent.id), "parent"), want);
    assert_null(json_get(json_object(&doc, parent.id), "parent"));
    json_free(&doc);
    /* Released and waiting, the dependent still says so. */
    begin(f->reg);
    assert_int_equal(gpureg_release(f->reg, dependent.id), GPUREG_OK);
    end(f->reg);
    signal_fence(f->reg, 1);
    assert_int_equal(collect(f->reg), 0);
    report_json(f->reg, &doc);
    assert_string_equal(member_string(json_object(&doc, dependent.id), "state"), "released");
    assert_string_equal(member_string(json_object(&doc, dependent.id), "parent"), want);
    json_free(&doc);
}

/* (f) */
static void chain_goes_from_the_last_dependent_to_the_root(void **state) {
    dep_fixture *f = *state;
    gpureg_object a = adopt_kind(f->reg, GPUREG_KIND_RENDERBUFFER, 0xA, &f->ac);
    gpureg_object b = adopt_kind(f->reg, GPUREG_KIND_IMAGE_VIEW, 0xB, &f->ac);
    gpureg_object c = adopt_kind(f->reg, GPUREG_KIND_FRAMEBUFFER, 0xC, &f->ac);
    assert_int_equal(gpureg_object_depend(f->reg, b.id, a.id), GPUREG_OK);
    assert_int_equal(gpureg_object_depend(f->reg, c.id, b.id), GPUREG_OK);
    begin(f->reg); /* frame 1: c and b */
    assert_int_equal(gpureg_release(f->reg, c.id), GPUREG_OK);
    assert_int_equal(gpureg_release(f->reg, b.id), GPUREG_OK);
    end(f->reg);
    signal_fence(f->reg, 1);
    assert_int_equal(collect(f->reg), 0);
    assert_int_equal(gpureg_query_state(f->reg, b.id), GPUREG_STATE_RELEASED);
    assert_int_equal(gpureg_query_state(f->reg, c.id), GPUREG_STATE_RELEASED);
    begin(f->reg); /* frame 2: a */
    assert_int_equal(gpureg_release(f->reg, a.id), GPUREG_OK);
    end(f->reg);
    assert_int_equal(collect(f->reg), 0);
    signal_fence(f->reg, 2);
    assert_int_equal(collect(f->reg), 3);
    const uint64_t order[] = {0xC, 0xB, 0xA};
    assert_destroy_order(f, order, 3);
}

static void chain_released_in_one_frame_goes_in_one_collection(void **state) {
    dep_fixture *f = *state;
    gpureg_object a = adopt_kind(f->reg, GPUREG_KIND_RENDERBUFFER, 0xA, &f->ac);
    gpureg_object b = adopt_kind(f->reg, GPUREG_KIND_IMAGE_VIEW, 0xB, &f->ac);
    gpureg_object c = adopt_kind(f->reg, GPUREG_KIND_FRAMEBUFFER, 0xC, &f->ac);
    assert_int_equal(gpureg_object_depend(f->reg, b.id, a.id), GPUREG_OK);
    assert_int_equal(gpureg_object_depend(f->reg, c.id, b.id), GPUREG_OK);
    begin(f->reg);
    assert_int_equal(gpureg_release(f->reg, c.id), GPUREG_OK);
    assert_int_equal(gpureg_release(f->reg, b.id), GPUREG_OK);
    assert_int_equal(gpureg_release(f->reg, a.id), GPUREG_OK);
    end(f->reg);
    assert_int_equal(collect(f->reg), 0);
    signal_fence(f->reg, 1);
    assert_int_equal(collect(f->reg), 3);
    const uint64_t order[] = {0xC, 0xB, 0xA};
    assert_destroy_order(f, order, 3);
}

/* The middle of a chain going first: its own dependent waits for it, not for the root. */
static void middle_of_a_chain_holds_its_dependent_back(void **state) {
    dep_fixture *f = *state;
    gpureg_object a = adopt_kind(f->reg, GPUREG_KIND_RENDERBUFFER, 0xA, &f->ac);
    gpureg_object b = adopt_kind(f->reg, GPUREG_KIND_IMAGE_VIEW, 0xB, &f->ac);
    gpureg_object c = adopt_kind(f->reg, GPUREG_KIND_FRAMEBUFFER, 0xC, &f->ac);
    assert_int_equal(gpureg_object_depend(f->reg, b.id, a.id), GPUREG_OK);
    assert_int_equal(gpureg_object_depend(f->reg, c.id, b.id), GPUREG_OK);
    begin(f->reg); /* frame 1: c */
    assert_int_equal(gpureg_release(f->reg, c.id), GPUREG_OK);
    end(f->reg);
    signal_fence(f->reg, 1);
    assert_int_equal(collect(f->reg), 0); /* b lives */
    begin(f->reg);                        /* frame 2: a */
    assert_int_equal(gpureg_release(f->reg, a.id), GPUREG_OK);
    end(f->reg);
    signal_fence(f->reg, 2);
    assert_int_equal(collect(f->reg), 0); /* a waits for b, which lives, and c waits for b */
    assert_int_equal(gpureg_query_state(f->reg, a.id), GPUREG_STATE_RELEASED);
    assert_int_equal(gpureg_query_state(f->reg, b.id), GPUREG_STATE_ALIVE);
    assert_int_equal(gpureg_query_state(f->reg, c.id), GPUREG_STATE_RELEASED);
    assert_int_equal(query(f->reg, b.id).parent, a.id);
    assert_int_equal(query(f->reg, c.id).parent, b.id);
    begin(f->reg); /* frame 3: b */
    assert_int_equal(gpureg_release(f->reg, b.id), GPUREG_OK);
    end(f->reg);
    signal_fence(f->reg, 3);
    assert_int_equal(collect(f->reg), 3); /* the whole chain in one collection, leaf first */
    const uint64_t order[] = {0xC, 0xB, 0xA};
    assert_destroy_order(f, order, 3);
}

/* (g) */
static void registry_destroy_frees_a_dependent_waiting_for_a_leaked_parent(void **state) {
    counting_allocator ca;
    gpureg_registry *reg = counted_null_registry(&ca);
    adopt_counter ac;
    adopt_counter_init(&ac);
    gpureg_texture_desc td = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "leaked"};
    gpureg_texture parent = {0};
    assert_int_equal(gpureg_texture_adopt(reg, &td, 0x1, adopt_counter_destroy_fn, &ac, &parent), GPUREG_OK);
    gpureg_object_desc od = {.kind = GPUREG_KIND_FRAMEBUFFER, .label = "waiting"};
    gpureg_object waiting = {0}, unreleased = {0};
    assert_int_equal(gpureg_object_adopt(reg, &od, 0x2, adopt_counter_destroy_fn, &ac, &waiting), GPUREG_OK);
    od.label = "alive dependent";
    assert_int_equal(gpureg_object_adopt(reg, &od, 0x3, adopt_counter_destroy_fn, &ac, &unreleased), GPUREG_OK);
    assert_int_equal(gpureg_object_depend(reg, waiting.id, parent.id), GPUREG_OK);
    assert_int_equal(gpureg_object_depend(reg, unreleased.id, parent.id), GPUREG_OK);
    begin(reg);
    assert_int_equal(gpureg_release(reg, waiting.id), GPUREG_OK);
    end(reg);
    assert_int_equal(gpureg_null_signal(reg, 1), GPUREG_OK);
    assert_int_equal(collect(reg), 0);
    assert_int_equal(gpureg_query_state(reg, waiting.id), GPUREG_STATE_RELEASED);
    assert_int_equal(gpureg_destroy(reg), 2); /* the parent and the dependent never released */
    assert_int_equal(atomic_load(&ac.calls), 3);
    for (uint64_t n = 1; n <= 3; n++)
        assert_int_equal(adopt_counter_calls_for(&ac, n), 1);
    assert_int_equal(atomic_load(&ca.outstanding), 0);
    assert_int_equal(atomic_load(&ca.blocks), 0);
}

static void registry_destroy_counts_a_leaked_parent_and_not_its_waiting_dependent(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    adopt_counter ac;
    adopt_counter_init(&ac);
    gpureg_object parent = adopt_kind(reg, GPUREG_KIND_RENDERBUFFER, 0x1, &ac);
    gpureg_object dependent = adopt_kind(reg, GPUREG_KIND_FRAMEBUFFER, 0x2, &ac);
    assert_int_equal(gpureg_object_depend(reg, dependent.id, parent.id), GPUREG_OK);
    begin(reg);
    assert_int_equal(gpureg_release(reg, dependent.id), GPUREG_OK);
    end(reg);
    signal_fence(reg, 1);
    assert_int_equal(collect(reg), 0);
    destroy_expecting(reg, 1);
    assert_int_equal(atomic_load(&ac.calls), 2);
    assert_int_equal(ac.natives[0], 0x2); /* still the dependent first */
    assert_int_equal(ac.natives[1], 0x1);
}

/* A parent held back for a dependent that leaked: gpureg_destroy destroys both, the dependent
 * first, and counts only the dependent (the parent was released). */
static void registry_destroy_frees_a_parent_held_for_a_leaked_dependent(void **state) {
    counting_allocator ca;
    gpureg_registry *reg = counted_null_registry(&ca);
    adopt_counter ac;
    adopt_counter_init(&ac);
    gpureg_object parent = adopt_kind(reg, GPUREG_KIND_RENDERBUFFER, 0x1, &ac);
    gpureg_object dependent = adopt_kind(reg, GPUREG_KIND_FRAMEBUFFER, 0x2, &ac);
    gpureg_object other = adopt_kind(reg, GPUREG_KIND_FRAMEBUFFER, 0x3, &ac);
    assert_int_equal(gpureg_object_depend(reg, dependent.id, parent.id), GPUREG_OK);
    assert_int_equal(gpureg_object_depend(reg, other.id, parent.id), GPUREG_OK);
    begin(reg);
    assert_int_equal(gpureg_release(reg, parent.id), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, other.id), GPUREG_OK);
    end(reg);
    assert_int_equal(gpureg_null_signal(reg, 1), GPUREG_OK);
    assert_int_equal(collect(reg), 0); /* other waits on the parent's list, the parent for dependent */
    assert_int_equal(gpureg_destroy(reg), 1);
    assert_int_equal(atomic_load(&ac.calls), 3);
    assert_int_equal(ac.natives[2], 0x1); /* the parent last */
    for (uint64_t n = 1; n <= 3; n++)
        assert_int_equal(adopt_counter_calls_for(&ac, n), 1);
    assert_int_equal(atomic_load(&ca.outstanding), 0);
    assert_int_equal(atomic_load(&ca.blocks), 0);
}

static void registry_destroy_with_a_dependent_of_an_expected_parent_reports_no_leak(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    adopt_counter ac;
    adopt_counter_init(&ac);
    gpureg_object_desc od = {.kind = GPUREG_KIND_PIPELINE_LAYOUT, .flags = GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN};
    gpureg_object parent = {0};
    assert_int_equal(gpureg_object_adopt(reg, &od, 0x1, adopt_counter_destroy_fn, &ac, &parent), GPUREG_OK);
    gpureg_object dependent = adopt_kind(reg, GPUREG_KIND_PIPELINE, 0x2, &ac);
    assert_int_equal(gpureg_object_depend(reg, dependent.id, parent.id), GPUREG_OK);
    begin(reg);
    assert_int_equal(gpureg_release(reg, dependent.id), GPUREG_OK);
    end(reg); /* fence 1 never signals: gpureg_destroy stops waiting and destroys anyway */
    destroy_expecting(reg, 0);
    assert_int_equal(atomic_load(&ac.calls), 2);
}

/* ---- render targets ---------------------------------------------------------------------------- */
static gpureg_render_target_desc target_desc(uint32_t w, uint32_t h, gpureg_format depth_stencil, const char *label) {
    gpureg_render_target_desc d = {
        .color = {.width = w, .height = h, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = label},
        .depth_stencil = depth_stencil};
    return d;
}

static void render_target_without_depth_is_a_texture_and_a_framebuffer(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_render_target_desc d = target_desc(64, 32, GPUREG_FORMAT_UNDEFINED, "hud");
    gpureg_render_target rt;
    memset(&rt, 0xAB, sizeof rt);
    assert_int_equal(gpureg_render_target_create(reg, &d, &rt), GPUREG_OK);
    assert_true(rt.color.id != 0);
    assert_true(rt.framebuffer.id != 0);
    assert_int_equal(rt.depth_stencil.id, 0);
    gpureg_object_info tex = query(reg, rt.color.id);
    assert_int_equal(tex.kind, GPUREG_KIND_TEXTURE);
    assert_int_equal(tex.texture.width, 64);
    assert_int_equal(tex.texture.height, 32);
    assert_int_equal(tex.texture.usage, GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_TRANSFER_DST |
                                            GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT); /* default + attachment */
    assert_int_equal(tex.refcount, 1);
    assert_int_equal(tex.parent, 0);
    gpureg_object_info fb = query(reg, rt.framebuffer.id);
    assert_int_equal(fb.kind, GPUREG_KIND_FRAMEBUFFER);
    assert_int_equal(fb.refcount, 1);
    assert_int_equal(fb.parent, rt.color.id);
    assert_label(reg, rt.color.id, "hud");
    assert_label(reg, rt.framebuffer.id, "hud framebuffer");
    gpureg_stats s = get_stats(reg);
    assert_kind_counts(&s, GPUREG_KIND_TEXTURE, 1, 64 * 32 * 4, 0, 0, 1, 0);
    assert_kind_counts(&s, GPUREG_KIND_FRAMEBUFFER, 1, 0, 0, 0, 1, 0);
    assert_kind_counts(&s, GPUREG_KIND_RENDERBUFFER, 0, 0, 0, 0, 0, 0);
    destroy_expecting(reg, 2);
}

static void render_target_with_each_depth_stencil_format(void **state) {
    const gpureg_format formats[] = {GPUREG_FORMAT_D24_UNORM_S8_UINT, GPUREG_FORMAT_S8_UINT, GPUREG_FORMAT_D32_FLOAT};
    const uint64_t texel[] = {4, 1, 4};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        gpureg_registry *reg = make_registry(NULL);
        gpureg_render_target_desc d = target_desc(40, 24, formats[i], "scene");
        d.color.usage = GPUREG_TEXTURE_USAGE_SAMPLED;
        gpureg_render_target rt;
        assert_int_equal(gpureg_render_target_create(reg, &d, &rt), GPUREG_OK);
        assert_true(rt.depth_stencil.id != 0);
        gpureg_object_info ds = query(reg, rt.depth_stencil.id);
        assert_int_equal(ds.type, GPUREG_TYPE_OBJECT);
        assert_int_equal(ds.kind, GPUREG_KIND_RENDERBUFFER);
        assert_int_equal(ds.object.format, formats[i]);
        assert_int_equal(ds.object.width, 40);
        assert_int_equal(ds.object.height, 24);
        assert_int_equal(ds.object.samples, 1);
        assert_int_equal(ds.bytes, 40 * 24 * texel[i]);
        assert_int_equal(ds.parent, rt.color.id);
        assert_int_equal(ds.refcount, 1);
        assert_int_equal(query(reg, rt.framebuffer.id).parent, rt.color.id);
        assert_int_equal(query(reg, rt.color.id).texture.usage,
                         GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT);
        assert_label(reg, rt.color.id, "scene");
        assert_label(reg, rt.framebuffer.id, "scene framebuffer");
        assert_label(reg, rt.depth_stencil.id, "scene depth-stencil");
        gpureg_stats s = get_stats(reg);
        assert_kind_counts(&s, GPUREG_KIND_RENDERBUFFER, 1, 40 * 24 * texel[i], 0, 0, 1, 0);
        destroy_expecting(reg, 3);
    }
}

static void render_target_parts_share_site_and_flags(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_render_target_desc d = target_desc(8, 8, GPUREG_FORMAT_D24_UNORM_S8_UINT, "shadow");
    d.color.flags = GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN;
    const gpureg_site site = {"renderer.c", 77, "make_shadow_map", 0};
    gpureg_render_target rt;
    assert_int_equal(gpureg_render_target_create_at(reg, &d, &site, &rt), GPUREG_OK);
    json_value doc;
    report_json(reg, &doc);
    assert_int_equal(member_uint(&doc, "expected"), 3);
    const gpureg_handle parts[] = {rt.color.id, rt.framebuffer.id, rt.depth_stencil.id};
    for (int i = 0; i < 3; i++) {
        const json_value *o = json_object_in(&doc, "expected_at_shutdown", parts[i]);
        assert_non_null(o);
        assert_string_equal(member_string(o, "site"), "renderer.c:77 (make_shadow_map)");
    }
    json_free(&doc);
    destroy_expecting(reg, 0);
}

static void render_target_release_destroys_all_three_after_the_fence(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_render_target_desc d = target_desc(16, 16, GPUREG_FORMAT_D24_UNORM_S8_UINT, "rt");
    gpureg_render_target rt;
    assert_int_equal(gpureg_render_target_create(reg, &d, &rt), GPUREG_OK);
    begin(reg);
    assert_int_equal(gpureg_render_target_release(reg, rt), GPUREG_OK);
    const gpureg_handle parts[] = {rt.color.id, rt.framebuffer.id, rt.depth_stencil.id};
    for (int i = 0; i < 3; i++)
        assert_int_equal(gpureg_query_state(reg, parts[i]), GPUREG_STATE_RELEASED);
    end(reg);
    assert_int_equal(collect(reg), 0);
    begin(reg);
    end(reg);
    assert_int_equal(collect(reg), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(gpureg_query_state(reg, parts[i]), GPUREG_STATE_RELEASED);
    signal_fence(reg, 1);
    assert_int_equal(collect(reg), 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(gpureg_query_state(reg, parts[i]), GPUREG_STATE_DESTROYED);
    gpureg_stats s = get_stats(reg);
    assert_kind_counts(&s, GPUREG_KIND_TEXTURE, 0, 0, 0, 0, 1, 1);
    assert_kind_counts(&s, GPUREG_KIND_FRAMEBUFFER, 0, 0, 0, 0, 1, 1);
    assert_kind_counts(&s, GPUREG_KIND_RENDERBUFFER, 0, 0, 0, 0, 1, 1);
    /* Released again: each part answers STALE_HANDLE; the call reports the first. */
    assert_int_equal(gpureg_render_target_release(reg, rt), GPUREG_ERR_STALE_HANDLE);
    destroy_expecting(reg, 0);
}

static void render_target_release_tries_every_part(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_render_target_desc d = target_desc(16, 16, GPUREG_FORMAT_S8_UINT, NULL);
    gpureg_render_target rt;
    assert_int_equal(gpureg_render_target_create(reg, &d, &rt), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, rt.framebuffer.id), GPUREG_OK); /* released by hand first */
    assert_int_equal(gpureg_render_target_release(reg, rt), GPUREG_ERR_RELEASED);
    assert_int_equal(gpureg_query_state(reg, rt.color.id), GPUREG_STATE_RELEASED);
    assert_int_equal(gpureg_query_state(reg, rt.depth_stencil.id), GPUREG_STATE_RELEASED);
    assert_int_equal(gpureg_render_target_release(NULL, rt), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(collect(reg), 3);
    /* An empty target is no target: its texture and framebuffer of 0 answer as release(0) does;
     * only depth_stencil may be left out. */
    gpureg_render_target empty = {{0}, {0}, {0}};
    assert_int_equal(gpureg_render_target_release(reg, empty), GPUREG_ERR_INVALID_HANDLE);
    gpureg_render_target no_depth;
    d.depth_stencil = GPUREG_FORMAT_UNDEFINED;
    assert_int_equal(gpureg_render_target_create(reg, &d, &no_depth), GPUREG_OK);
    assert_int_equal(gpureg_render_target_release(reg, no_depth), GPUREG_OK);
    assert_int_equal(collect(reg), 2);
    destroy_expecting(reg, 0);
}

static void render_target_refuses_a_format_that_is_not_depth_or_stencil(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    const gpureg_format bad[] = {GPUREG_FORMAT_RGBA8_UNORM, GPUREG_FORMAT_R8_UNORM, GPUREG_FORMAT_RGBA32_FLOAT,
                                 GPUREG_FORMAT_COUNT, (gpureg_format)99};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gpureg_render_target_desc d = target_desc(16, 16, bad[i], "bad");
        gpureg_stats before = get_stats(reg);
        gpureg_render_target rt;
        memset(&rt, 0xAB, sizeof rt);
        log_capture_reset(&lc);
        assert_int_equal(gpureg_render_target_create(reg, &d, &rt), GPUREG_ERR_INVALID_FORMAT);
        assert_logged_once(&lc, GPUREG_ERR_INVALID_FORMAT, "gpureg_render_target_create");
        assert_int_equal(rt.color.id, 0);
        assert_int_equal(rt.framebuffer.id, 0);
        assert_int_equal(rt.depth_stencil.id, 0);
        assert_int_equal(collect(reg), 0);
        gpureg_stats after = get_stats(reg);
        assert_object_stats_equal(before, after);
    }
    /* A bad colour desc: the texture's error, nothing made. */
    gpureg_render_target_desc d = target_desc(0, 16, GPUREG_FORMAT_D32_FLOAT, "bad");
    gpureg_render_target rt;
    assert_int_equal(gpureg_render_target_create(reg, &d, &rt), GPUREG_ERR_INVALID_SIZE);
    d = target_desc(16, 16, GPUREG_FORMAT_D32_FLOAT, "bad");
    d.color.format = GPUREG_FORMAT_D32_FLOAT; /* a depth texture cannot be a colour attachment */
    assert_int_equal(gpureg_render_target_create(reg, &d, &rt), GPUREG_ERR_INVALID_USAGE);
    d = target_desc(16, 16, GPUREG_FORMAT_UNDEFINED, "bad");
    assert_int_equal(gpureg_render_target_create(reg, NULL, &rt), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_render_target_create(reg, &d, NULL), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_render_target_create(NULL, &d, &rt), GPUREG_ERR_NULL_POINTER);
    gpureg_stats s = get_stats(reg);
    for (int k = 0; k < GPUREG_KIND_COUNT; k++)
        assert_kind_counts(&s, (gpureg_object_kind)k, 0, 0, 0, 0, 0, 0);
    destroy_expecting(reg, 0);
}

/* Out of memory at each allocation in turn: *out zeroed, nothing alive, and the parts already
 * made gone at the next collection. `in_frame`: with frames ended and one open, as in a game. */
static void render_target_failing_midway(int in_frame) {
    counting_allocator ca;
    gpureg_registry *reg = counted_null_registry(&ca);
    gpureg_render_target_desc d = target_desc(16, 16, GPUREG_FORMAT_D24_UNORM_S8_UINT, "level render target");
    /* One made and gone first, at the same site: the registry's own capacity (the interned site,
     * per-slot records) is there, so the failures below hit the parts themselves (their labels),
     * some after the texture is made. */
    gpureg_render_target warm;
    static const gpureg_site site = {"level.c", 12, "load_level", 1};
    /* Unlabelled: labels freed by the owner are kept for its next creates (labels.c), and a kept
     * block would serve the loop's labels, so no failure below could come after the texture. */
    gpureg_render_target_desc unlabelled = d;
    unlabelled.color.label = NULL;
    assert_int_equal(gpureg_render_target_create_at(reg, &unlabelled, &site, &warm), GPUREG_OK);
    assert_int_equal(gpureg_render_target_release(reg, warm), GPUREG_OK);
    assert_int_equal(collect(reg), 3);
    if (in_frame) {
        begin(reg);
        end(reg);
        begin(reg); /* frame 2 open; fence 1 never signals */
    }
    /* What went wrong is kept and asserted after gpureg_destroy, so a failure leaks nothing. */
    unsigned midway = 0, wrong_result = 0, not_zeroed = 0, left = 0;
    uint64_t left_at = 0, left_live = 0, left_pending = 0;
    gpureg_object_kind left_kind = GPUREG_KIND_UNDEFINED;
    gpureg_result r = GPUREG_ERR_OUT_OF_MEMORY;
    for (uint64_t k = 1; k <= 256 && r != GPUREG_OK; k++) {
        gpureg_stats before = get_stats(reg);
        gpureg_render_target rt;
        memset(&rt, 0xAB, sizeof rt);
        counting_allocator_fail_in(&ca, k);
        r = gpureg_render_target_create_at(reg, &d, &site, &rt);
        counting_allocator_fail_in(&ca, 0);
        if (r == GPUREG_OK) {
            gpureg_render_target_release(reg, rt);
            break;
        }
        wrong_result += r != GPUREG_ERR_OUT_OF_MEMORY;
        not_zeroed += rt.color.id || rt.framebuffer.id || rt.depth_stencil.id;
        gpureg_stats after = get_stats(reg);
        midway += after.texture.created_total > before.texture.created_total;
        gpureg_collect(reg, NULL);
        after = get_stats(reg);
        for (int kind = 1; kind < GPUREG_KIND_COUNT; kind++)
            /* In a frame the parts made wait for that frame's fence, as any release; between
             * frames they are gone at the next collection. Nothing stays alive either way. */
            if ((after.by_kind[kind].live_count || (!in_frame && after.by_kind[kind].pending_count)) && !left++) {
                left_at = k, left_kind = (gpureg_object_kind)kind;
                left_live = after.by_kind[kind].live_count, left_pending = after.by_kind[kind].pending_count;
            }
    }
    if (in_frame) end(reg);
    int leaks = gpureg_destroy(reg);
    assert_int_equal(atomic_load(&ca.outstanding), 0);
    assert_int_equal(leaks, 0);
    assert_int_equal(r, GPUREG_OK);
    assert_int_equal(wrong_result, 0);
    assert_int_equal(not_zeroed, 0);
    assert_true(midway > 0); /* some failures came after the texture was made */
    if (left) {
        print_error("failing allocation %llu left %s live %llu pending %llu after the next collection (%u cases)\n",
                    (unsigned long long)left_at, gpureg_kind_name(left_kind), (unsigned long long)left_live,
                    (unsigned long long)left_pending, left);
        fail();
    }
}

static void render_target_failing_midway_leaves_nothing_alive(void **state) { render_target_failing_midway(0); }

static void render_target_failing_midway_in_a_frame_leaves_nothing_alive(void **state) {
    render_target_failing_midway(1);
}

/* ---- texture sampler state and buffer update ---------------------------------------------------- */
static void texture_sampler_state_round_trips_through_query(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture plain = make_texture(reg);
    gpureg_sampler_state zero = {0};
    gpureg_object_info info = query(reg, plain.id);
    assert_memory_equal(&info.texture.sampler, &zero, sizeof zero);
    const gpureg_sampler_state states[] = {
        {GPUREG_FILTER_NEAREST, GPUREG_FILTER_LINEAR, GPUREG_MIP_FILTER_LINEAR, GPUREG_WRAP_CLAMP_TO_EDGE,
         GPUREG_WRAP_MIRRORED_REPEAT},
        {GPUREG_FILTER_LINEAR, GPUREG_FILTER_NEAREST, GPUREG_MIP_FILTER_NONE, GPUREG_WRAP_REPEAT,
         GPUREG_WRAP_CLAMP_TO_EDGE},
        {.mag_filter = GPUREG_FILTER_NEAREST}, /* others DEFAULT: they stay DEFAULT */
        {.mip_filter = GPUREG_MIP_FILTER_NEAREST, .wrap_v = GPUREG_WRAP_REPEAT},
    };
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        gpureg_texture_desc td = small_texture_desc();
        td.sampler = states[i];
        gpureg_texture t;
        assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
        info = query(reg, t.id);
        assert_int_equal(info.texture.sampler.min_filter, states[i].min_filter);
        assert_int_equal(info.texture.sampler.mag_filter, states[i].mag_filter);
        assert_int_equal(info.texture.sampler.mip_filter, states[i].mip_filter);
        assert_int_equal(info.texture.sampler.wrap_u, states[i].wrap_u);
        assert_int_equal(info.texture.sampler.wrap_v, states[i].wrap_v);
        /* A released texture is still described with its state. */
        assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
        info = query(reg, t.id);
        assert_int_equal(info.texture.sampler.wrap_v, states[i].wrap_v);
        assert_int_equal(collect(reg), 1);
    }
    /* Adopted textures keep theirs too. */
    gpureg_texture_desc td = small_texture_desc();
    td.sampler.wrap_u = GPUREG_WRAP_MIRRORED_REPEAT;
    gpureg_texture adopted;
    assert_int_equal(gpureg_texture_adopt(reg, &td, 0x55, NULL, NULL, &adopted), GPUREG_OK);
    assert_int_equal(query(reg, adopted.id).texture.sampler.wrap_u, GPUREG_WRAP_MIRRORED_REPEAT);
    /* A new texture in the slot of one that had state starts from DEFAULT. */
    for (int i = 0; i < 2100; i++) {
        gpureg_texture t = make_texture(reg);
        info = query(reg, t.id);
        if (memcmp(&info.texture.sampler, &zero, sizeof zero) != 0) {
            print_error("texture 0x%016" PRIx64 " made with DEFAULT state has another\n", t.id);
            fail();
        }
        assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
        assert_int_equal(collect(reg), 1);
    }
    destroy_expecting(reg, 2);
}

static void texture_with_unknown_sampler_state_is_refused(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    const gpureg_sampler_state bad[] = {
        {.min_filter = (gpureg_filter)3}, {.mag_filter = (gpureg_filter)3},    {.mip_filter = (gpureg_mip_filter)4},
        {.wrap_u = (gpureg_wrap)4},       {.wrap_v = (gpureg_wrap)0x7fffffff}, {.min_filter = (gpureg_filter)0x40},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gpureg_texture_desc td = small_texture_desc();
        td.sampler = bad[i];
        gpureg_texture t;
        assert_create_fails(&lc, reg, gpureg_texture_create(reg, &td, &t), t, GPUREG_ERR_INVALID_ARGUMENT,
                            "gpureg_texture_create");
        assert_create_fails(&lc, reg, gpureg_texture_adopt(reg, &td, 0x9, NULL, NULL, &t), t,
                            GPUREG_ERR_INVALID_ARGUMENT, "gpureg_texture_adopt");
    }
    destroy_expecting(reg, 0);
}

static void buffer_update_defaults_to_static_and_round_trips(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    const gpureg_buffer_update given[] = {GPUREG_UPDATE_DEFAULT, GPUREG_UPDATE_STATIC, GPUREG_UPDATE_DYNAMIC,
                                          GPUREG_UPDATE_STREAM};
    const gpureg_buffer_update stored[] = {GPUREG_UPDATE_STATIC, GPUREG_UPDATE_STATIC, GPUREG_UPDATE_DYNAMIC,
                                           GPUREG_UPDATE_STREAM};
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++) {
        gpureg_buffer_desc bd = {.size = 1000, .usage = GPUREG_BUFFER_USAGE_UNIFORM, .update = given[i]};
        gpureg_buffer b;
        assert_int_equal(gpureg_buffer_create(reg, &bd, &b), GPUREG_OK);
        gpureg_object_info info = query(reg, b.id);
        assert_int_equal(info.buffer.update, stored[i]);
        assert_int_equal(info.buffer.size, 1000);
        assert_int_equal(info.buffer.usage, GPUREG_BUFFER_USAGE_UNIFORM);
        gpureg_buffer adopted;
        assert_int_equal(gpureg_buffer_adopt(reg, &bd, 0x100 + i, NULL, NULL, &adopted), GPUREG_OK);
        assert_int_equal(query(reg, adopted.id).buffer.update, stored[i]);
    }
    const unsigned bad[] = {4, 7, 99, 0x7fffffff};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gpureg_buffer_desc bd = {.size = 64, .update = (gpureg_buffer_update)bad[i]};
        gpureg_buffer b;
        assert_create_fails(&lc, reg, gpureg_buffer_create(reg, &bd, &b), b, GPUREG_ERR_INVALID_ARGUMENT,
                            "gpureg_buffer_create");
        assert_create_fails(&lc, reg, gpureg_buffer_adopt(reg, &bd, 0x9, NULL, NULL, &b), b,
                            GPUREG_ERR_INVALID_ARGUMENT, "gpureg_buffer_adopt");
    }
    destroy_expecting(reg, 8);
}

int main(void) {
    /* The leak report settings come from the descs here, not from the environment. */
    unsetenv("GPUREG_LEAK_REPORT");
    unsetenv("GPUREG_LEAK_FATAL");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_has_its_name_and_unknown_kinds_are_undefined),
        cmocka_unit_test(every_create_call_makes_an_object_of_its_kind),
        cmocka_unit_test(create_calls_keep_their_labels),
        cmocka_unit_test(renderbuffer_bytes_are_width_height_texel_size_and_samples),
        cmocka_unit_test(framebuffers_take_up_to_four_colours_and_a_depth_stencil),
        cmocka_unit_test(framebuffer_holds_no_reference_to_its_attachments),
        cmocka_unit_test(program_holds_no_reference_to_its_shaders),
        cmocka_unit_test(generic_objects_are_refcounted_and_destroyed_after_their_fence),
        cmocka_unit_test(release_from_gc_marks_a_generic_object),
        cmocka_unit_test(handles_of_generic_objects_answer_the_handle_errors),
        cmocka_unit_test(stats_count_every_kind_apart),
        cmocka_unit_test(text_report_names_kinds_and_totals_by_kind),
        cmocka_unit_test(json_report_gives_every_object_its_kind_and_fields),
        cmocka_unit_test(json_by_type_lists_a_kind_only_while_it_has_objects),
        cmocka_unit_test(expected_at_shutdown_keeps_generic_objects_out_of_the_leak_count),
        cmocka_unit_test(checkpoint_reports_list_the_generic_objects_made_since),
        cmocka_unit_test(every_generic_kind_can_be_adopted),
        cmocka_unit_test(adopted_object_is_destroyed_once_with_its_native_and_user),
        cmocka_unit_test(adopted_renderbuffer_without_storage_counts_no_bytes),
        cmocka_unit_test(adopt_without_destroy_keeps_ownership_with_the_caller),
        cmocka_unit_test(adopt_desc_errors_are_refused_and_the_caller_keeps_the_native),
        cmocka_unit_test(adopted_shader_keeps_its_stage),
        cmocka_unit_test(renderbuffer_create_refuses_bad_descs),
        cmocka_unit_test(framebuffer_create_refuses_bad_attachments),
        cmocka_unit_test(sampler_create_refuses_unknown_state),
        cmocka_unit_test(shader_create_refuses_bad_descs),
        cmocka_unit_test(program_create_refuses_bad_shader_lists),
        cmocka_unit_test(vertex_array_create_refuses_bad_descs),
        cmocka_unit_test(owner_only_calls_answer_wrong_thread_elsewhere),
        cmocka_unit_test(creates_answer_device_lost_and_released_objects_go_at_once),
        cmocka_unit_test_setup_teardown(depend_links_any_two_objects_and_query_shows_the_parent, dep_setup,
                                        dep_teardown),
        cmocka_unit_test_setup_teardown(dependent_and_parent_released_together_go_in_one_collection, dep_setup,
                                        dep_teardown),
        cmocka_unit_test_setup_teardown(parent_released_first_in_the_frame_still_goes_after_its_dependent, dep_setup,
                                        dep_teardown),
        cmocka_unit_test_setup_teardown(dependent_released_early_waits_for_its_parent, dep_setup, dep_teardown),
        cmocka_unit_test_setup_teardown(parent_released_a_frame_before_its_dependent_waits_for_it, dep_setup,
                                        dep_teardown),
        cmocka_unit_test_setup_teardown(parent_released_while_its_dependent_lives_waits_for_it, dep_setup,
                                        dep_teardown),
        cmocka_unit_test_setup_teardown(held_parent_slot_is_not_reused_until_both_go, dep_setup, dep_teardown),
        cmocka_unit_test(depend_refuses_what_the_header_lists),
        cmocka_unit_test_setup_teardown(reports_show_what_a_dependent_waits_for, dep_setup, dep_teardown),
        cmocka_unit_test_setup_teardown(chain_goes_from_the_last_dependent_to_the_root, dep_setup, dep_teardown),
        cmocka_unit_test_setup_teardown(chain_released_in_one_frame_goes_in_one_collection, dep_setup, dep_teardown),
        cmocka_unit_test_setup_teardown(middle_of_a_chain_holds_its_dependent_back, dep_setup, dep_teardown),
        cmocka_unit_test(registry_destroy_frees_a_dependent_waiting_for_a_leaked_parent),
        cmocka_unit_test(registry_destroy_counts_a_leaked_parent_and_not_its_waiting_dependent),
        cmocka_unit_test(registry_destroy_frees_a_parent_held_for_a_leaked_dependent),
        cmocka_unit_test(registry_destroy_with_a_dependent_of_an_expected_parent_reports_no_leak),
        cmocka_unit_test(render_target_without_depth_is_a_texture_and_a_framebuffer),
        cmocka_unit_test(render_target_with_each_depth_stencil_format),
        cmocka_unit_test(render_target_parts_share_site_and_flags),
        cmocka_unit_test(render_target_release_destroys_all_three_after_the_fence),
        cmocka_unit_test(render_target_release_tries_every_part),
        cmocka_unit_test(render_target_refuses_a_format_that_is_not_depth_or_stencil),
        cmocka_unit_test(render_target_failing_midway_leaves_nothing_alive),
        cmocka_unit_test(render_target_failing_midway_in_a_frame_leaves_nothing_alive),
        cmocka_unit_test(texture_sampler_state_round_trips_through_query),
        cmocka_unit_test(texture_with_unknown_sampler_state_is_refused),
        cmocka_unit_test(buffer_update_defaults_to_static_and_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
