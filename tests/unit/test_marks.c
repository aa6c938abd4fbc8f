/* test_marks.c — what the app says about lifetimes for the report: objects expected at shutdown
 * (listed apart, never leaks), checkpoints ("what appeared since then and is still here?"), and a
 * shutdown that is quiet when nothing unexpected is left. */
#include <string.h>

#include "json_check.h"
#include "test_util.h"

static const gpureg_site level_site = {"game/level.go", 42, "loadLevel", 1};
static const gpureg_site hud_site = {"game/hud.go", 7, "drawHud", 1};
static const gpureg_site atlas_site = {"engine/atlas.go", 3, "newAtlas", 1};

static gpureg_registry *registry_writing_to(text_sink *ts) {
    gpureg_registry_desc rd = {
        .report_format = GPUREG_REPORT_TEXT, .report_writer = text_sink_write, .report_writer_user = ts};
    gpureg_registry *reg = NULL;
    assert_int_equal(gpureg_null_create(&rd, &reg), GPUREG_OK);
    return reg;
}

static gpureg_texture texture_at(gpureg_registry *reg, const gpureg_site *site, uint32_t flags, const char *label) {
    gpureg_texture_desc td = small_texture_desc();
    td.flags = flags;
    td.label = label;
    gpureg_texture t;
    assert_int_equal(gpureg_texture_create_at(reg, &td, site, &t), GPUREG_OK);
    return t;
}

static void parse(const text_sink *ts, json_value *doc) {
    char err[128];
    if (json_parse(ts->data, ts->length, doc, err, sizeof err) != 0) {
        print_error("not valid JSON (%s):\n%s\n", err, ts->data);
        fail();
    }
}

static size_t array_length(const json_value *doc, const char *key) {
    const json_value *v = json_get(doc, key);
    assert_non_null(v);
    assert_int_equal(v->type, JSON_ARRAY);
    return v->count;
}

static void objects_expected_at_shutdown_are_listed_apart_and_are_no_leaks(void **state) {
    text_sink ts = {0};
    gpureg_registry *reg = registry_writing_to(&ts);
    texture_at(reg, &atlas_site, GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN, "atlas page");
    gpureg_buffer_desc bd = small_buffer_desc();
    bd.flags = GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN;
    gpureg_buffer vb;
    assert_int_equal(gpureg_buffer_create(reg, &bd, &vb), GPUREG_OK);
    gpureg_texture leak = texture_at(reg, &level_site, 0, "forgotten");
    (void)leak;

    text_sink report = {0};
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_JSON, text_sink_write, &report), GPUREG_OK);
    json_value doc;
    parse(&report, &doc);
    assert_int_equal(json_get(&doc, "live")->uint, 1);
    assert_int_equal(json_get(&doc, "expected")->uint, 2);
    assert_int_equal(array_length(&doc, "objects"), 1);
    assert_int_equal(array_length(&doc, "expected_at_shutdown"), 2);
    assert_int_equal(array_length(&doc, "by_site"), 1); /* totals are the unexpected ones */
    json_free(&doc);
    text_sink_clear(&report);
    assert_int_equal(gpureg_report(reg, GPUREG_REPORT_TEXT, text_sink_write, &report), GPUREG_OK);
    const char *apart = strstr(report.data, "expected at shutdown (not leaks): 2 objects");
    assert_non_null(apart);
    assert_non_null(strstr(apart, "atlas page")); /* listed after the heading */
    assert_null(strstr(apart, "forgotten"));
    text_sink_free(&report);

    assert_int_equal(gpureg_destroy(reg), 1); /* only the forgotten texture is a leak */
    assert_non_null(strstr(ts.data, "gpureg: 1 leaked object at shutdown"));
    text_sink_free(&ts);
}

static void expected_at_shutdown_can_be_set_and_cleared_later_on_the_owner_thread(void **state) {
    log_capture lc;
    log_capture_init(&lc);
    gpureg_registry *reg = make_registry(&lc);
    gpureg_texture t = texture_at(reg, &hud_site, 0, NULL);
    gpureg_texture u = texture_at(reg, &hud_site, 0, NULL);
    assert_int_equal(gpureg_set_expected_at_shutdown(reg, t.id, 1), GPUREG_OK);
    assert_int_equal(gpureg_set_expected_at_shutdown(reg, u.id, 1), GPUREG_OK);
    assert_int_equal(gpureg_set_expected_at_shutdown(reg, u.id, 0), GPUREG_OK);
    /* Bad input: distinct errors, nothing changed. */
    log_capture_reset(&lc);
    assert_int_equal(gpureg_set_expected_at_shutdown(reg, 0, 1), GPUREG_ERR_INVALID_HANDLE);
    assert_logged_once(&lc, GPUREG_ERR_INVALID_HANDLE, "gpureg_set_expected_at_shutdown");
    assert_int_equal(gpureg_set_expected_at_shutdown(NULL, t.id, 1), GPUREG_ERR_NULL_POINTER);
    gpureg_texture_desc td = small_texture_desc();
    td.flags = 0x80;
    gpureg_texture bad;
    log_capture_reset(&lc);
    assert_int_equal(gpureg_texture_create(reg, &td, &bad), GPUREG_ERR_INVALID_ARGUMENT);
    assert_logged_once(&lc, GPUREG_ERR_INVALID_ARGUMENT, "gpureg_texture_create");
    destroy_expecting(reg, 1); /* u, unmarked again */
}

typedef struct off_owner {
    gpureg_registry *reg;
    gpureg_handle h;
    gpureg_result result;
} off_owner;

static void mark_from_another_thread(void *arg) {
    off_owner *o = arg;
    o->result = gpureg_set_expected_at_shutdown(o->reg, o->h, 1);
}

static void expected_at_shutdown_off_the_owner_thread_answers_wrong_thread(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    gpureg_texture t = make_texture(reg);
    off_owner o = {reg, t.id, GPUREG_OK};
    run_on_other_thread(mark_from_another_thread, &o);
    assert_int_equal(o.result, GPUREG_ERR_WRONG_THREAD);
    destroy_expecting(reg, 1); /* still a leak: the mark did not land */
}

static void a_clean_shutdown_prints_nothing(void **state) {
    gpureg_report_format formats[] = {GPUREG_REPORT_TEXT, GPUREG_REPORT_JSON};
    for (size_t i = 0; i < 2; i++) {
        text_sink ts = {0};
        gpureg_registry *reg = registry_writing_to(&ts);
        gpureg_texture t = make_texture(reg);
        texture_at(reg, &atlas_site, GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN, "atlas"); /* expected: no leak */
        assert_int_equal(gpureg_texture_release(reg, t), GPUREG_OK);
        text_sink report = {0};
        assert_int_equal(gpureg_report(reg, formats[i], text_sink_write, &report), GPUREG_OK);
        assert_true(report.length > 0); /* the report stays available on demand */
        text_sink_free(&report);
        assert_int_equal(gpureg_destroy(reg), 0);
        assert_int_equal(ts.length, 0);
        text_sink_free(&ts);
    }
}

static void checkpoint_report_lists_what_was_created_since_and_is_still_here_by_site(void **state) {
    gpureg_registry *reg = make_registry(NULL);
    texture_at(reg, &hud_site, 0, "before the level");
    gpureg_checkpoint level_start = gpureg_checkpoint_now(reg);
    gpureg_texture a = texture_at(reg, &level_site, 0, "level tile A");
    gpureg_texture b = texture_at(reg, &level_site, 0, "level tile B");
    gpureg_texture c = texture_at(reg, &hud_site, 0, "level hud");
    texture_at(reg, &atlas_site, GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN, "atlas grown in the level");
    gpureg_checkpoint later = gpureg_checkpoint_now(reg);
    assert_true(later > level_start);
    /* "Unload the level": tile A is released properly, B is released but its fence is pending,
     * the hud texture is forgotten. */
    assert_int_equal(gpureg_texture_release(reg, a), GPUREG_OK);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(reg, b), GPUREG_OK);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK); /* the null fence waits for a signal */

    text_sink ts = {0};
    assert_int_equal(gpureg_report_since(reg, level_start, GPUREG_REPORT_TEXT, text_sink_write, &ts), GPUREG_OK);
    print_message("%s", ts.data);
    assert_non_null(strstr(ts.data, "2 objects created since are still here: 1 alive, 1 released"));
    assert_null(strstr(ts.data, "before the level"));
    assert_null(strstr(ts.data, "level tile A"));
    const char *level = strstr(ts.data, "at game/level.go:42 (loadLevel): 1 object");
    const char *hud = strstr(ts.data, "at game/hud.go:7 (drawHud): 1 object");
    assert_non_null(level);
    assert_non_null(hud);
    assert_non_null(strstr(level, "level tile B"));
    assert_non_null(strstr(hud, "level hud"));
    assert_non_null(strstr(ts.data, "released")); /* the pending object is shown as such */
    assert_non_null(strstr(ts.data, "expected at shutdown (not leaks): 1 object"));

    text_sink_clear(&ts);
    assert_int_equal(gpureg_report_since(reg, level_start, GPUREG_REPORT_JSON, text_sink_write, &ts), GPUREG_OK);
    json_value doc;
    parse(&ts, &doc);
    assert_int_equal(json_get(&doc, "checkpoint")->uint, level_start);
    assert_int_equal(json_get(&doc, "live")->uint, 1);
    assert_int_equal(json_get(&doc, "pending")->uint, 1);
    assert_int_equal(array_length(&doc, "objects"), 2);
    assert_int_equal(array_length(&doc, "expected_at_shutdown"), 1);
    json_free(&doc);

    /* Several checkpoints at once: nothing was created after `later`. */
    text_sink_clear(&ts);
    assert_int_equal(gpureg_report_since(reg, later, GPUREG_REPORT_JSON, text_sink_write, &ts), GPUREG_OK);
    parse(&ts, &doc);
    assert_int_equal(array_length(&doc, "objects"), 0);
    json_free(&doc);
    /* Checkpoint 0 is the registry's creation: everything still here. */
    text_sink_clear(&ts);
    assert_int_equal(gpureg_report_since(reg, 0, GPUREG_REPORT_JSON, text_sink_write, &ts), GPUREG_OK);
    parse(&ts, &doc);
    assert_int_equal(array_length(&doc, "objects"), 3);
    json_free(&doc);
    text_sink_free(&ts);
    assert_int_equal(gpureg_checkpoint_now(NULL), 0);
    assert_int_equal(gpureg_report_since(reg, 0, GPUREG_REPORT_OFF, text_sink_write, &ts), GPUREG_ERR_INVALID_ARGUMENT);
    (void)c;
    assert_int_equal(gpureg_null_signal(reg, 1), GPUREG_OK);
    destroy_expecting(reg, 2); /* "before the level" and "level hud"; the atlas is expected */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(objects_expected_at_shutdown_are_listed_apart_and_are_no_leaks),
        cmocka_unit_test(expected_at_shutdown_can_be_set_and_cleared_later_on_the_owner_thread),
        cmocka_unit_test(expected_at_shutdown_off_the_owner_thread_answers_wrong_thread),
        cmocka_unit_test(a_clean_shutdown_prints_nothing),
        cmocka_unit_test(checkpoint_report_lists_what_was_created_since_and_is_still_here_by_site),
    };
    return cmocka_run_group_tests_name("marks", tests, NULL, NULL);
}
