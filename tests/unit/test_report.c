/* test_report.c — the live/leak report: JSON content (parsed strictly), text content, grouping
 * by creation site, escaping, and what gpureg_destroy does with leaks (count, format from the
 * desc or GPUREG_LEAK_REPORT, GPUREG_LEAK_FATAL). */
#include "test_util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "json_check.h"

static int unset_env(void **state) {
    unsetenv("GPUREG_LEAK_REPORT");
    unsetenv("GPUREG_LEAK_FATAL");
    return 0;
}

static gpureg_registry *registry_writing_to(text_sink *ts, gpureg_report_format format) {
    gpureg_registry_desc rd = {0};
    rd.report_format = format;
    rd.report_writer = text_sink_write;
    rd.report_writer_user = ts;
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_null_create(&rd, &reg), GPUREG_OK);
    return reg;
}

/* Run gpureg_report as JSON and parse it; the caller frees *doc. */
static void report_json(gpureg_registry *reg, json_value *doc) {
    text_sink ts = {0};
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_JSON, text_sink_write, &ts), GPUREG_OK);
    char err[128];
    if (json_parse(ts.data, ts.length, doc, err, sizeof err) != 0) {
        print_error("report is not valid JSON (%s):\n%s\n", err, ts.data);
        fail();
    }
    text_sink_free(&ts);
}

static uint64_t member_uint(const json_value *obj, const char *key) {
    const json_value *v = json_get(obj, key);
    if (!v || v->type != JSON_NUMBER || !v->is_uint) {
        print_error("member \"%s\" is missing or not an unsigned integer\n", key);
        fail();
    }
    return v->uint;
}

static const char *member_string(const json_value *obj, const char *key) {
    const json_value *v = json_get(obj, key);
    if (!v || v->type != JSON_STRING) {
        print_error("member \"%s\" is missing or not a string\n", key);
        fail();
    }
    return v->string;
}

static int member_bool(const json_value *obj, const char *key) {
    const json_value *v = json_get(obj, key);
    if (!v || v->type != JSON_BOOL) {
        print_error("member \"%s\" is missing or not a boolean\n", key);
        fail();
    }
    return v->boolean;
}

static const json_value *member_array(const json_value *obj, const char *key) {
    const json_value *v = json_get(obj, key);
    if (!v || v->type != JSON_ARRAY) {
        print_error("member \"%s\" is missing or not an array\n", key);
        fail();
    }
    return v;
}

static const json_value *object_with_handle(const json_value *doc, gpureg_handle h) {
    char want[32];
    snprintf(want, sizeof want, "0x%016llx", (unsigned long long)h);
    const json_value *objects = member_array(doc, "objects");
    for (size_t i = 0; i < objects->count; i++)
        if (!strcmp(member_string(&objects->items[i], "handle"), want)) return &objects->items[i];
    print_error("no object with handle %s in the report\n", want);
    fail();
    return NULL;
}

static void json_checker_rejects_malformed_documents(void **state) {
    const char *bad[] = {"{\"a\": 1,}",
                         "[1,]",
                         "\"a\x01\"",
                         "01",
                         "{\"a\": 1, \"a\": 2}",
                         "[1] x",
                         "{\"a\" 1}",
                         "\"\\x\"",
                         "tru",
                         "[\"\\ud800\"]",
                         "",
                         "-",
                         "1.",
                         "{'a': 1}",
                         "\"\xc3\"",
                         "\"\xff\xfe\"",
                         "\"\xed\xa0\x80\"",
                         "\"\xc0\xaf\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_value v;
        if (json_parse(bad[i], strlen(bad[i]), &v, NULL, 0) == 0) {
            print_error("accepted malformed JSON: %s\n", bad[i]);
            fail();
        }
    }
    const char *good = " {\"a\": [1, -2.5e3, true, false, null, \"\\u00e9\\n\\\"\"], \"b\": {}} ";
    json_value v;
    assert_int_equal(json_parse(good, strlen(good), &v, NULL, 0), 0);
    assert_string_equal(json_get(&v, "a")->items[5].string, "\xc3\xa9\n\"");
    json_free(&v);
}

static void json_report_of_an_empty_registry_has_no_objects(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    json_value doc;
    report_json(reg, &doc);
    assert_int_equal(member_uint(&doc, "live"), 0);
    assert_int_equal(member_uint(&doc, "pending"), 0);
    assert_int_equal(member_array(&doc, "objects")->count, 0);
    assert_int_equal(member_array(&doc, "by_site")->count, 0);
    json_free(&doc);
    destroy_expecting(reg, 0);
}

static void json_report_describes_every_live_and_pending_object(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    const gpureg_site site_tex = {"game.c", 42, "load_sprites", 0};
    const gpureg_site site_buf = {"mesh.c", 7, "upload", 0};
    gpureg_texture_desc td = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "player sprite"};
    gpureg_texture tex;
    assert_int_equal(gpureg_texture_create_at(reg, &td, &site_tex, &tex), GPUREG_OK);
    assert_int_equal(gpureg_texture_retain(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK); /* frame 2 */
    gpureg_buffer_desc bd = {.size = 1000, .usage = GPUREG_BUFFER_USAGE_INDEX};
    gpureg_buffer buf, gc_buf;
    assert_int_equal(gpureg_buffer_create_at(reg, &bd, &site_buf, &buf), GPUREG_OK);
    assert_int_equal(gpureg_buffer_create_at(reg, &bd, &site_buf, &gc_buf), GPUREG_OK);
    assert_int_equal(gpureg_release_from_gc(reg, gc_buf.id), GPUREG_OK); /* pending: fence 2 held back */
    gpureg_texture_desc ad = {.width = 2, .height = 2, .format = GPUREG_FORMAT_R8_UNORM, .label = "adopted"};
    gpureg_texture adopted;
    assert_int_equal(gpureg_texture_adopt_at(reg, &ad, 0x5151, NULL, NULL, &site_tex, &adopted), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);

    json_value doc;
    report_json(reg, &doc);
    assert_int_equal(member_uint(&doc, "live"), 3);
    assert_int_equal(member_uint(&doc, "pending"), 1);
    assert_int_equal(member_array(&doc, "objects")->count, 4);

    const json_value *t = object_with_handle(&doc, tex.id);
    assert_string_equal(member_string(t, "type"), "texture");
    assert_string_equal(member_string(t, "label"), "player sprite");
    assert_string_equal(member_string(t, "site"), "game.c:42 (load_sprites)");
    assert_int_equal(member_uint(t, "bytes"), 64);
    assert_int_equal(member_uint(t, "refcount"), 2);
    assert_string_equal(member_string(t, "state"), "alive");
    assert_int_equal(member_uint(t, "frame_created"), 0);
    assert_false(member_bool(t, "released_by_gc"));
    assert_false(member_bool(t, "adopted"));
    uint64_t native = 0;
    assert_int_equal(gpureg_texture_native(reg, tex, &native), GPUREG_OK);
    assert_int_equal(member_uint(t, "native"), native);
    assert_int_equal(member_uint(t, "width"), 4);
    assert_int_equal(member_uint(t, "height"), 4);
    assert_int_equal(member_uint(t, "mip_levels"), 1);
    assert_int_equal(member_uint(t, "array_layers"), 1);
    assert_string_equal(member_string(t, "format"), "rgba8_unorm");
    assert_int_equal(member_uint(t, "usage"), GPUREG_TEXTURE_USAGE_SAMPLED | GPUREG_TEXTURE_USAGE_TRANSFER_DST);

    const json_value *b = object_with_handle(&doc, buf.id);
    assert_string_equal(member_string(b, "type"), "buffer");
    assert_int_equal(json_get(b, "label")->type, JSON_NULL);
    assert_string_equal(member_string(b, "site"), "mesh.c:7 (upload)");
    assert_int_equal(member_uint(b, "bytes"), 1000);
    assert_int_equal(member_uint(b, "size"), 1000);
    assert_int_equal(member_uint(b, "usage"), GPUREG_BUFFER_USAGE_INDEX);
    assert_int_equal(member_uint(b, "refcount"), 1);
    assert_int_equal(member_uint(b, "frame_created"), 2);
    assert_string_equal(member_string(b, "state"), "alive");

    const json_value *g = object_with_handle(&doc, gc_buf.id);
    assert_string_equal(member_string(g, "state"), "released");
    assert_int_equal(member_uint(g, "refcount"), 0);
    assert_true(member_bool(g, "released_by_gc"));

    const json_value *a = object_with_handle(&doc, adopted.id);
    assert_true(member_bool(a, "adopted"));
    assert_int_equal(member_uint(a, "native"), 0x5151);
    assert_string_equal(member_string(a, "format"), "r8_unorm");

    const json_value *by_type = member_array(&doc, "by_type");
    assert_int_equal(by_type->count, 2);
    for (size_t i = 0; i < by_type->count; i++) {
        const json_value *e = &by_type->items[i];
        if (!strcmp(member_string(e, "type"), "texture")) {
            assert_int_equal(member_uint(e, "count"), 2);
            assert_int_equal(member_uint(e, "bytes"), 64 + 4);
        } else {
            assert_string_equal(member_string(e, "type"), "buffer");
            assert_int_equal(member_uint(e, "count"), 2);
            assert_int_equal(member_uint(e, "bytes"), 2000);
        }
    }
    json_free(&doc);

    /* Destroyed objects leave the report. */
    assert_int_equal(gpureg_null_signal(reg, 2), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    report_json(reg, &doc);
    assert_int_equal(member_uint(&doc, "pending"), 0);
    assert_int_equal(member_array(&doc, "objects")->count, 3);
    json_free(&doc);
    destroy_expecting(reg, 3);
}

static void json_report_groups_by_creation_site_largest_bytes_first(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    const gpureg_site small = {"a.c", 1, "many_small", 0};
    const gpureg_site big = {"b.c", 2, "one_big", 0};
    const gpureg_site tiny = {"c.c", 3, "two_tiny", 0};
    gpureg_texture_desc td = small_texture_desc(); /* 64 bytes */
    gpureg_texture t;
    for (int i = 0; i < 3; i++)
        assert_int_equal(gpureg_texture_create_at(reg, &td, &small, &t), GPUREG_OK);
    gpureg_buffer_desc bd_big = {.size = 1000}, bd_tiny = {.size = 10};
    gpureg_buffer b;
    assert_int_equal(gpureg_buffer_create_at(reg, &bd_tiny, &tiny, &b), GPUREG_OK);
    assert_int_equal(gpureg_buffer_create_at(reg, &bd_big, &big, &b), GPUREG_OK);
    assert_int_equal(gpureg_buffer_create_at(reg, &bd_tiny, &tiny, &b), GPUREG_OK);
    /* The same site passed as a temporary copy (as bindings do) is the same site. */
    char file_copy[8], fn_copy[16];
    strcpy(file_copy, "a.c");
    strcpy(fn_copy, "many_small");
    const gpureg_site small_copy = {file_copy, 1, fn_copy, 0};
    assert_int_equal(gpureg_texture_create_at(reg, &td, &small_copy, &t), GPUREG_OK);

    json_value doc;
    report_json(reg, &doc);
    const json_value *sites = member_array(&doc, "by_site");
    assert_int_equal(sites->count, 3);
    assert_string_equal(member_string(&sites->items[0], "site"), "b.c:2 (one_big)");
    assert_int_equal(member_uint(&sites->items[0], "count"), 1);
    assert_int_equal(member_uint(&sites->items[0], "bytes"), 1000);
    assert_string_equal(member_string(&sites->items[1], "site"), "a.c:1 (many_small)");
    assert_int_equal(member_uint(&sites->items[1], "count"), 4);
    assert_int_equal(member_uint(&sites->items[1], "bytes"), 256);
    assert_string_equal(member_string(&sites->items[2], "site"), "c.c:3 (two_tiny)");
    assert_int_equal(member_uint(&sites->items[2], "count"), 2);
    assert_int_equal(member_uint(&sites->items[2], "bytes"), 20);
    json_free(&doc);
    destroy_expecting(reg, 7);
}

static void create_macros_record_file_line_and_function(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture_desc td = small_texture_desc();
    gpureg_texture t;
    int line = __LINE__ + 1;
    assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    json_value doc;
    report_json(reg, &doc);
    const char *site = member_string(object_with_handle(&doc, t.id), "site");
    char want[128];
    snprintf(want, sizeof want, "test_report.c:%d (create_macros_record_file_line_and_function)", line);
    if (!strstr(site, want)) {
        print_error("site \"%s\" does not contain \"%s\"\n", site, want);
        fail();
    }
    json_free(&doc);
    destroy_expecting(reg, 1);
}

static void site_with_null_strings_reads_as_question_marks(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    const gpureg_site anon = {NULL, 5, NULL, 0};
    gpureg_buffer_desc bd = small_buffer_desc();
    gpureg_buffer b, c;
    assert_int_equal(gpureg_buffer_create_at(reg, &bd, &anon, &b), GPUREG_OK);
    assert_int_equal(gpureg_buffer_create_at(reg, &bd, NULL, &c), GPUREG_OK);
    json_value doc;
    report_json(reg, &doc);
    assert_string_equal(member_string(object_with_handle(&doc, b.id), "site"), "?:5 (?)");
    const char *none = member_string(object_with_handle(&doc, c.id), "site");
    assert_true(none[0] != '\0');
    json_free(&doc);
    destroy_expecting(reg, 2);
}

static void labels_and_sites_with_quotes_backslashes_and_control_characters_are_escaped(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    const char *label = "say \"hi\" \\ back\nslash\ttab\x01\x1f end \xc3\xa9";
    const gpureg_site odd = {"dir\\we\"ird.c", 9, "fn\n", 0};
    gpureg_texture_desc td = small_texture_desc();
    td.label = label;
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create_at(reg, &td, &odd, &t), GPUREG_OK);
    json_value doc;
    report_json(reg, &doc);
    const json_value *o = object_with_handle(&doc, t.id);
    assert_string_equal(member_string(o, "label"), label);
    assert_string_equal(member_string(o, "site"), "dir\\we\"ird.c:9 (fn\n)");
    json_free(&doc);
    destroy_expecting(reg, 1);
}

static void labels_are_copied_truncated_and_replaceable(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    char long_label[400];
    memset(long_label, 'x', sizeof long_label - 1);
    long_label[sizeof long_label - 1] = '\0';
    char temp[16] = "temporary";
    gpureg_buffer_desc bd = small_buffer_desc();
    bd.label = temp;
    gpureg_buffer b, c;
    assert_int_equal(gpureg_buffer_create(reg, &bd, &b), GPUREG_OK);
    memset(temp, 'Z', sizeof temp - 1); /* gpureg kept a copy, not our pointer */
    bd.label = long_label;
    assert_int_equal(gpureg_buffer_create(reg, &bd, &c), GPUREG_OK);

    char out[512];
    size_t length = 0;
    assert_int_equal(gpureg_get_label(reg, b.id, out, sizeof out, &length), GPUREG_OK);
    assert_string_equal(out, "temporary");
    assert_int_equal(length, 9);
    assert_int_equal(gpureg_get_label(reg, c.id, out, sizeof out, &length), GPUREG_OK);
    assert_int_equal(length, GPUREG_MAX_LABEL_LENGTH);
    assert_int_equal(strlen(out), GPUREG_MAX_LABEL_LENGTH);
    assert_int_equal(gpureg_get_label(reg, b.id, out, 4, &length), GPUREG_OK); /* truncated copy, full length */
    assert_string_equal(out, "tem");
    assert_int_equal(length, 9);
    assert_int_equal(gpureg_get_label(reg, b.id, NULL, 0, &length), GPUREG_OK);
    assert_int_equal(length, 9);

    assert_int_equal(gpureg_set_label(reg, b.id, "renamed"), GPUREG_OK);
    assert_int_equal(gpureg_set_label(reg, c.id, NULL), GPUREG_OK);
    json_value doc;
    report_json(reg, &doc);
    assert_string_equal(member_string(object_with_handle(&doc, b.id), "label"), "renamed");
    assert_int_equal(json_get(object_with_handle(&doc, c.id), "label")->type, JSON_NULL);
    json_free(&doc);
    assert_int_equal(gpureg_get_label(reg, c.id, out, sizeof out, &length), GPUREG_OK);
    assert_string_equal(out, "");
    assert_int_equal(length, 0);
    destroy_expecting(reg, 2);
}

static void large_json_report_arrives_in_pieces_that_concatenate_to_valid_json(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture_desc td = small_texture_desc();
    td.label = "a label long enough to make each row of the report take a good hundred bytes or more";
    for (int i = 0; i < 200; i++) {
        gpureg_texture t;
        assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    }
    text_sink ts = {0};
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_JSON, text_sink_write, &ts), GPUREG_OK);
    assert_true(ts.pieces > 1);
    json_value doc;
    char err[128];
    assert_int_equal(json_parse(ts.data, ts.length, &doc, err, sizeof err), 0);
    assert_int_equal(member_uint(&doc, "live"), 200);
    assert_int_equal(member_array(&doc, "objects")->count, 200);
    json_free(&doc);
    text_sink_free(&ts);
    destroy_expecting(reg, 200);
}

static void text_report_names_each_object_its_label_site_and_state(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    const gpureg_site site = {"hud.c", 12, "draw_hud", 0};
    gpureg_texture_desc td = {.width = 32, .height = 16, .format = GPUREG_FORMAT_BGRA8_UNORM, .label = "hud atlas"};
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create_at(reg, &td, &site, &t), GPUREG_OK);
    gpureg_buffer_desc bd = {.size = 4096, .label = "gc victim"};
    gpureg_buffer b;
    assert_int_equal(gpureg_buffer_create_at(reg, &bd, &site, &b), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_release_from_gc(reg, b.id), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    text_sink ts = {0};
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_TEXT, text_sink_write, &ts), GPUREG_OK);
    char handle[32];
    snprintf(handle, sizeof handle, "0x%016llx", (unsigned long long)t.id);
    const char *expected[] = {handle,  "hud atlas",   "gc victim",     "hud.c:12 (draw_hud)",
                              "32x16", "bgra8_unorm", "released by GC"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        if (!strstr(ts.data, expected[i])) {
            print_error("text report lacks \"%s\":\n%s\n", expected[i], ts.data);
            fail();
        }
    }
    text_sink_free(&ts);
    destroy_expecting(reg, 1);
}

static void report_rejects_bad_arguments(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    text_sink ts = {0};
    assert_int_equal(gpureg_report(NULL, GPUREG_REPORT_JSON, text_sink_write, &ts), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_JSON, NULL, NULL), GPUREG_ERR_NULL_POINTER);
    assert_logged_once(&lc, GPUREG_ERR_NULL_POINTER, "gpureg_report");
    log_capture_reset(&lc);
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_OFF, text_sink_write, &ts), GPUREG_ERR_INVALID_ARGUMENT);
    assert_logged_once(&lc, GPUREG_ERR_INVALID_ARGUMENT, "gpureg_report");
    assert_int_equal(gpureg_report(reg, (gpureg_report_format)77, text_sink_write, &ts), GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(ts.length, 0);
    destroy_expecting(reg, 0);
}

/* ---- gpureg_destroy and the leak report ---------------------------------------------------- */

static void destroy_returns_the_number_of_leaked_objects(void **state) {
    text_sink ts = {0};
    gpureg_registry *reg = registry_writing_to(&ts, GPUREG_REPORT_DEFAULT);
    make_texture(reg);
    make_buffer(reg);
    gpureg_texture released = make_texture(reg);
    assert_int_equal(gpureg_texture_release(reg, released), GPUREG_OK);
    assert_int_equal(gpureg_destroy(reg), 2);
    assert_non_null(ts.data);
    assert_non_null(strstr(ts.data, "2 leaked objects")); /* the default format is text */
    text_sink_free(&ts);
    assert_int_equal(gpureg_destroy(NULL), 0);
}

static void destroy_without_leaks_returns_zero(void **state) {
    text_sink ts = {0};
    gpureg_registry *reg = registry_writing_to(&ts, GPUREG_REPORT_TEXT);
    gpureg_buffer b = make_buffer(reg);
    assert_int_equal(gpureg_buffer_release(reg, b), GPUREG_OK);
    assert_int_equal(gpureg_destroy(reg), 0);
    text_sink_free(&ts);
}

static void destroy_writes_the_json_report_chosen_in_the_desc(void **state) {
    text_sink ts = {0};
    gpureg_registry *reg = registry_writing_to(&ts, GPUREG_REPORT_JSON);
    gpureg_texture t = make_texture(reg);
    assert_int_equal(gpureg_destroy(reg), 1);
    json_value doc;
    char err[128];
    assert_int_equal(json_parse(ts.data, ts.length, &doc, err, sizeof err), 0);
    assert_int_equal(member_uint(&doc, "live"), 1);
    object_with_handle(&doc, t.id);
    json_free(&doc);
    text_sink_free(&ts);
}

static void leak_report_environment_variable_json_overrides_the_desc(void **state) {
    text_sink ts = {0};
    gpureg_registry *reg = registry_writing_to(&ts, GPUREG_REPORT_TEXT);
    make_buffer(reg);
    setenv("GPUREG_LEAK_REPORT", "json", 1);
    assert_int_equal(gpureg_destroy(reg), 1);
    json_value doc;
    char err[128];
    assert_int_equal(json_parse(ts.data, ts.length, &doc, err, sizeof err), 0);
    assert_int_equal(member_uint(&doc, "live"), 1);
    json_free(&doc);
    text_sink_free(&ts);
}

static void leak_report_environment_variable_text_overrides_the_desc(void **state) {
    text_sink ts = {0};
    gpureg_registry *reg = registry_writing_to(&ts, GPUREG_REPORT_JSON);
    gpureg_buffer_desc bd = {.size = 8, .label = "text please"};
    gpureg_buffer b;
    assert_int_equal(gpureg_buffer_create(reg, &bd, &b), GPUREG_OK);
    setenv("GPUREG_LEAK_REPORT", "text", 1);
    assert_int_equal(gpureg_destroy(reg), 1);
    json_value doc;
    assert_int_not_equal(json_parse(ts.data, ts.length, &doc, NULL, 0), 0);
    assert_non_null(strstr(ts.data, "1 leaked object"));
    assert_non_null(strstr(ts.data, "text please"));
    text_sink_free(&ts);
}

static void leak_report_environment_variable_off_silences_destroy(void **state) {
    text_sink ts = {0};
    gpureg_registry *reg = registry_writing_to(&ts, GPUREG_REPORT_JSON);
    make_texture(reg);
    setenv("GPUREG_LEAK_REPORT", "off", 1);
    assert_int_equal(gpureg_destroy(reg), 1); /* still counted */
    assert_int_equal(ts.length, 0);
    text_sink_free(&ts);
}

static void report_format_off_in_the_desc_silences_destroy(void **state) {
    text_sink ts = {0};
    gpureg_registry *reg = registry_writing_to(&ts, GPUREG_REPORT_OFF);
    make_texture(reg);
    assert_int_equal(gpureg_destroy(reg), 1);
    assert_int_equal(ts.length, 0);
    text_sink_free(&ts);
}

typedef struct fatal_case {
    const char *env_fatal; /* NULL: unset */
    int desc_fatal;
    int leak;
} fatal_case;

static int fatal_child(void *arg) {
    const fatal_case *c = arg;
    setenv("GPUREG_LEAK_REPORT", "off", 1);
    if (c->env_fatal)
        setenv("GPUREG_LEAK_FATAL", c->env_fatal, 1);
    else
        unsetenv("GPUREG_LEAK_FATAL");
    gpureg_registry_desc rd = {0};
    rd.leak_fatal = c->desc_fatal;
    gpureg_registry *reg = NULL;
    if (gpureg_null_create(&rd, &reg) != GPUREG_OK) return 10;
    gpureg_buffer_desc bd = {.size = 4};
    gpureg_buffer b;
    if (gpureg_buffer_create(reg, &bd, &b) != GPUREG_OK) return 11;
    if (!c->leak && gpureg_buffer_release(reg, b) != GPUREG_OK) return 12;
    int leaks = gpureg_destroy(reg);
    return leaks == (c->leak ? 1 : 0) ? 0 : 13;
}

static void assert_child_aborted(int status) {
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT) {
        print_error("child should have aborted; status 0x%x (exit %d)\n", status,
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        fail();
    }
}

static void assert_child_exited_cleanly(int status) {
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        print_error("child should have exited with 0; status 0x%x\n", status);
        fail();
    }
}

static void leak_fatal_environment_variable_aborts_on_leaks(void **state) {
    fatal_case c = {"1", 0, 1};
    assert_child_aborted(run_in_child(fatal_child, &c));
}

static void leak_fatal_in_the_desc_aborts_on_leaks(void **state) {
    fatal_case c = {NULL, 1, 1};
    assert_child_aborted(run_in_child(fatal_child, &c));
}

static void leak_fatal_does_not_abort_without_leaks(void **state) {
    fatal_case c = {"1", 1, 0};
    assert_child_exited_cleanly(run_in_child(fatal_child, &c));
}

static void leak_fatal_environment_variable_zero_overrides_the_desc(void **state) {
    fatal_case c = {"0", 1, 1};
    assert_child_exited_cleanly(run_in_child(fatal_child, &c));
}

static void leaks_are_not_fatal_by_default(void **state) {
    fatal_case c = {NULL, 0, 1};
    assert_child_exited_cleanly(run_in_child(fatal_child, &c));
}

static void leak_fatal_never_ignores_the_environment_variable(void **state) {
    fatal_case c = {"1", GPUREG_LEAK_FATAL_NEVER, 1};
    assert_child_exited_cleanly(run_in_child(fatal_child, &c));
}

static void leak_fatal_below_zero_counts_as_never(void **state) {
    fatal_case c = {"1", -7, 1};
    assert_child_exited_cleanly(run_in_child(fatal_child, &c));
}

/* Is the whole of text well-formed UTF-8 (RFC 3629)? */
static int is_utf8(const char *text, size_t length) {
    const unsigned char *p = (const unsigned char *)text, *end = p + length;
    while (p < end) {
        size_t n = *p < 0x80                    ? 1
                   : (*p >= 0xC2 && *p <= 0xDF) ? 2
                   : (*p >= 0xE0 && *p <= 0xEF) ? 3
                   : (*p >= 0xF0 && *p <= 0xF4) ? 4
                                                : 0;
        if (!n || (size_t)(end - p) < n) return 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (*p == 0xE0) lo = 0xA0;
        if (*p == 0xED) hi = 0x9F;
        if (*p == 0xF0) lo = 0x90;
        if (*p == 0xF4) hi = 0x8F;
        if (n > 1 && (p[1] < lo || p[1] > hi)) return 0;
        for (size_t i = 2; i < n; i++)
            if ((p[i] & 0xC0) != 0x80) return 0;
        p += n;
    }
    return 1;
}

static void long_labels_are_cut_on_a_character_boundary(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    /* 254 ASCII bytes, then "é" (C3 A9) at bytes 254 and 255: a cut at 255 would keep a lone C3. */
    char label[300];
    memset(label, 'a', 254);
    memcpy(label + 254, "\xc3\xa9tail", 7);
    gpureg_texture_desc td = small_texture_desc();
    td.label = label;
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    char got[GPUREG_MAX_LABEL_LENGTH + 1];
    size_t length = 0;
    assert_int_equal(gpureg_get_label(reg, t.id, got, sizeof got, &length), GPUREG_OK);
    assert_int_equal(length, 254);
    assert_true(is_utf8(got, length));
    /* set_label cuts the same way, for a 3-byte character split at 255 too. */
    memcpy(label + 253, "\xe2\x82\xac", 3); /* "€" over bytes 253..255 */
    assert_int_equal(gpureg_set_label(reg, t.id, label), GPUREG_OK);
    assert_int_equal(gpureg_get_label(reg, t.id, got, sizeof got, &length), GPUREG_OK);
    assert_int_equal(length, 253);
    json_value doc;
    report_json(reg, &doc);
    json_free(&doc);
    destroy_expecting(reg, 1);
}

static void reports_are_valid_utf8_whatever_bytes_a_label_holds(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    const char *labels[] = {"lone lead \xc3",    "\xff\xfe not text",  "surrogate \xed\xa0\x80",
                            "overlong \xc0\xaf", "truncated \xe2\x82", "fine \xc3\xa9 \xf0\x9f\x99\x82"};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        gpureg_texture_desc td = small_texture_desc();
        td.label = labels[i];
        gpureg_texture t;
        assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    }
    text_sink ts = {0};
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_JSON, text_sink_write, &ts), GPUREG_OK);
    assert_true(is_utf8(ts.data, ts.length));
    json_value doc;
    char err[128];
    if (json_parse(ts.data, ts.length, &doc, err, sizeof err) != 0) {
        print_error("report is not valid JSON (%s):\n%s\n", err, ts.data);
        fail();
    }
    json_free(&doc);
    /* Bytes that start no character read as U+FFFD; well-formed characters pass unchanged. */
    assert_non_null(strstr(ts.data, "lone lead \xef\xbf\xbd"));
    assert_non_null(strstr(ts.data, "\xef\xbf\xbd\xef\xbf\xbd not text"));
    assert_non_null(strstr(ts.data, "fine \xc3\xa9 \xf0\x9f\x99\x82"));
    text_sink_clear(&ts);
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_TEXT, text_sink_write, &ts), GPUREG_OK);
    assert_true(is_utf8(ts.data, ts.length));
    text_sink_free(&ts);
    destroy_expecting(reg, 6);
}

static void labels_of_released_objects_read_but_do_not_change(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture_desc td = small_texture_desc();
    td.label = "before release";
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create(reg, &td, &t), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK); /* the null fence has not signalled: pending */
    char out[64];
    size_t length = 0;
    assert_int_equal(gpureg_get_label(reg, t.id, out, sizeof out, &length), GPUREG_OK);
    assert_string_equal(out, "before release");
    assert_int_equal(length, 14);
    assert_int_equal(gpureg_set_label(reg, t.id, "after"), GPUREG_ERR_RELEASED);
    assert_int_equal(gpureg_get_label(reg, t.id, out, sizeof out, &length), GPUREG_OK);
    assert_string_equal(out, "before release");
    destroy_expecting(reg, 0);
}

int main(void) {
#define T(name) cmocka_unit_test_teardown(name, unset_env)
    const struct CMUnitTest tests[] = {
        T(json_checker_rejects_malformed_documents),
        T(json_report_of_an_empty_registry_has_no_objects),
        T(json_report_describes_every_live_and_pending_object),
        T(json_report_groups_by_creation_site_largest_bytes_first),
        T(create_macros_record_file_line_and_function),
        T(site_with_null_strings_reads_as_question_marks),
        T(labels_and_sites_with_quotes_backslashes_and_control_characters_are_escaped),
        T(labels_are_copied_truncated_and_replaceable),
        T(long_labels_are_cut_on_a_character_boundary),
        T(labels_of_released_objects_read_but_do_not_change),
        T(reports_are_valid_utf8_whatever_bytes_a_label_holds),
        T(large_json_report_arrives_in_pieces_that_concatenate_to_valid_json),
        T(text_report_names_each_object_its_label_site_and_state),
        T(report_rejects_bad_arguments),
        T(destroy_returns_the_number_of_leaked_objects),
        T(destroy_without_leaks_returns_zero),
        T(destroy_writes_the_json_report_chosen_in_the_desc),
        T(leak_report_environment_variable_json_overrides_the_desc),
        T(leak_report_environment_variable_text_overrides_the_desc),
        T(leak_report_environment_variable_off_silences_destroy),
        T(report_format_off_in_the_desc_silences_destroy),
        T(leak_fatal_environment_variable_aborts_on_leaks),
        T(leak_fatal_in_the_desc_aborts_on_leaks),
        T(leak_fatal_does_not_abort_without_leaks),
        T(leak_fatal_environment_variable_zero_overrides_the_desc),
        T(leaks_are_not_fatal_by_default),
        T(leak_fatal_never_ignores_the_environment_variable),
        T(leak_fatal_below_zero_counts_as_never),
    };
#undef T
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
