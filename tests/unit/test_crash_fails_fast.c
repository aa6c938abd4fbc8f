/* test_crash_fails_fast.c — a test program that crashes fails at once, says it crashed, and
 * prints a stack (tests/crash_handler.c), instead of hanging in cmocka's signal handler until
 * ctest's timeout. Each test runs crash_child (built beside this program) in one mode and watches
 * how it ends: by which signal, how fast, and what it printed.
 *
 * The control case shows the hang this guards against: with cmocka's handler let in
 * (GPUREG_TEST_CMOCKA_SIGNALS=1) and malloc blocking after the crash (the arena lock held by the
 * crashed code), the child never ends. Sanitizer builds keep the sanitizer's handler: there the
 * report is the sanitizer's, and the malloc model (the sanitizer owns malloc) is not built. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif

#ifndef CRASH_CHILD
#error "CRASH_CHILD: the path of crash_child, set by tests/unit/CMakeLists.txt"
#endif

extern char **environ;

/* A crash report takes well under a second; this is the bound that says "fast", with room for a
 * loaded machine. The control waits less: it only has to show the child still stuck. */
enum { CRASH_DEADLINE_MS = 10000, HANG_WAIT_MS = 3000 };

typedef struct outcome {
    int finished; /* 0: still running at the deadline (then killed) */
    int signalled, signal, exit_status;
    double seconds;
    char output[64 * 1024];
    size_t length;
} outcome;

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void take_output(int fd, outcome *o) {
    for (;;) {
        ssize_t n = read(fd, o->output + o->length, sizeof o->output - 1 - o->length);
        if (n > 0) {
            o->length += (size_t)n;
            if (o->length == sizeof o->output - 1) return;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return; /* EOF, EAGAIN or an error */
    }
}

/* Run crash_child MODE (with EXTRA_ENV, "NAME=value", if not NULL) for at most deadline_ms. */
static outcome *run_child(const char *mode, const char *extra_env, int deadline_ms) {
    outcome *o = calloc(1, sizeof *o);
    assert_non_null(o);
    int pipe_fds[2];
    assert_int_equal(pipe2(pipe_fds, O_CLOEXEC), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    size_t count = 0;
    while (environ[count])
        count++;
    char **env = calloc(count + 2, sizeof *env);
    assert_non_null(env);
    memcpy(env, environ, count * sizeof *env);
    if (extra_env) env[count++] = (char *)extra_env;
    char *argv[] = {(char *)CRASH_CHILD, (char *)mode, NULL};
    double start = now_seconds();
    pid_t pid;
    int spawned = posix_spawn(&pid, CRASH_CHILD, &actions, NULL, argv, env);
    posix_spawn_file_actions_destroy(&actions);
    free(env);
    close(pipe_fds[1]);
    assert_int_equal(spawned, 0);
    fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);

    int status = 0;
    for (;;) {
        take_output(pipe_fds[0], o);
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            o->finished = 1;
            break;
        }
        int left = deadline_ms - (int)((now_seconds() - start) * 1000.0);
        if (left <= 0) break;
        struct pollfd p = {.fd = pipe_fds[0], .events = POLLIN};
        poll(&p, 1, left < 20 ? left : 20);
    }
    o->seconds = now_seconds() - start;
    if (!o->finished) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    take_output(pipe_fds[0], o);
    close(pipe_fds[0]);
    o->output[o->length] = '\0';
    o->signalled = o->finished && WIFSIGNALED(status);
    o->signal = o->signalled ? WTERMSIG(status) : 0;
    o->exit_status = o->finished && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    printf("---- crash_child %s%s%s: %s after %.2f s", mode, extra_env ? " with " : "", extra_env ? extra_env : "",
           !o->finished   ? "still running, killed"
           : o->signalled ? "killed by a signal"
                          : "exited",
           o->seconds);
    if (o->signalled) printf(" (signal %d)", o->signal);
    if (o->finished && !o->signalled) printf(" (status %d)", o->exit_status);
    printf("; its output:\n%s---- end of crash_child %s\n", o->output, mode);
    fflush(stdout);
    return o;
}

static int contains(const outcome *o, const char *text) { return strstr(o->output, text) != NULL; }

/* The stack has a frame of the child itself: glibc's backtrace_symbols_fd writes
 * ".../crash_child(+0x1234)[0x...]"; ASan "#0 0x... in crash_here /.../crash_child.c:41", TSan
 * "#0 crash_here /.../crash_child.c:41 (crash_child+0x...)". */
static int has_child_frame(const outcome *o) {
#ifdef SANITIZED
    return contains(o, " crash_here /") || contains(o, " test_crash /");
#else
    return contains(o, "/crash_child(+0x");
#endif
}

/* The child crashed by `sig`, soon, saying so, with a stack; it went no further. */
static void assert_crashed_fast(const outcome *o, int sig) {
    assert_true(o->finished);
    assert_true(o->seconds < CRASH_DEADLINE_MS / 1000.0);
    assert_false(contains(o, "still running after mode"));
    assert_false(contains(o, "Test failed with exception")); /* cmocka's handler never ran */
#ifdef SANITIZED
    /* The sanitizer's report: "ERROR: AddressSanitizer: SEGV" / "ThreadSanitizer: SEGV" ... "#0 ".
     * It ends by abort() (abort_on_error=1) or exit(1), as its options say. */
    assert_false(o->finished && !o->signalled && o->exit_status == 0);
    if (sig == SIGSEGV) assert_true(contains(o, "Sanitizer: SEGV"));
    if (sig == SIGABRT) assert_true(contains(o, "Sanitizer: ABRT"));
    assert_true(contains(o, "#0 "));
#else
    assert_true(o->signalled);
    assert_int_equal(o->signal, sig);
    char line[64];
    snprintf(line, sizeof line, "CRASH: signal %d (", sig);
    assert_true(contains(o, line));
    assert_true(contains(o, "CRASH: end of stack"));
#endif
    assert_true(has_child_frame(o));
}

static void test_a_segfault_in_a_test_kills_the_program_with_a_stack(void **state) {
    (void)state;
    outcome *o = run_child("segv", NULL, CRASH_DEADLINE_MS);
    assert_crashed_fast(o, SIGSEGV);
    free(o);
}

static void test_a_segfault_with_malloc_locked_still_reports_and_dies(void **state) {
    (void)state;
    outcome *o = run_child("segv-malloc-held", NULL, CRASH_DEADLINE_MS);
    assert_crashed_fast(o, SIGSEGV);
    assert_false(contains(o, "malloc called after the crash")); /* the handler allocates nothing */
    free(o);
}

static void test_a_segfault_on_another_thread_kills_the_program_with_a_stack(void **state) {
    (void)state;
    outcome *o = run_child("segv-thread", NULL, CRASH_DEADLINE_MS);
    assert_crashed_fast(o, SIGSEGV);
    free(o);
}

static void test_an_abort_in_a_test_kills_the_program_with_a_stack(void **state) {
    (void)state;
    outcome *o = run_child("abort", NULL, CRASH_DEADLINE_MS);
    assert_crashed_fast(o, SIGABRT);
    free(o);
}

static void test_a_failed_assertion_is_still_an_ordinary_failure(void **state) {
    (void)state;
    outcome *o = run_child("assert", NULL, CRASH_DEADLINE_MS);
    assert_true(o->finished);
    assert_false(o->signalled);
    assert_int_equal(o->exit_status, 1); /* cmocka: one test failed */
    assert_false(contains(o, "CRASH"));
    assert_true(contains(o, "[  FAILED  ] test_crash"));
    free(o);
}

static void test_cmocka_handler_is_kept_out_during_tests(void **state) {
    (void)state;
    outcome *o = run_child("handler", NULL, CRASH_DEADLINE_MS);
    assert_true(o->finished && !o->signalled && o->exit_status == 0);
    assert_true(contains(o, "SIGSEGV handler during a test: "));
    assert_false(contains(o, "SIGSEGV handler during a test: default"));
    assert_false(contains(o, "libcmocka"));
    free(o);
    /* The control: let cmocka in, and its handler is there. */
    o = run_child("handler", "GPUREG_TEST_CMOCKA_SIGNALS=1", CRASH_DEADLINE_MS);
    assert_true(o->finished && !o->signalled && o->exit_status == 0);
    assert_true(contains(o, "libcmocka"));
    free(o);
}

#ifndef SANITIZED
/* The control of the malloc model: cmocka's handler allocates, and the crash becomes a hang. */
static void test_control_cmocka_handler_hangs_when_malloc_is_locked(void **state) {
    (void)state;
    outcome *o = run_child("segv-malloc-held", "GPUREG_TEST_CMOCKA_SIGNALS=1", HANG_WAIT_MS);
    assert_false(o->finished);
    assert_true(contains(o, "malloc called after the crash"));
    assert_false(contains(o, "CRASH"));
    free(o);
}
#endif

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_segfault_in_a_test_kills_the_program_with_a_stack),
        cmocka_unit_test(test_a_segfault_with_malloc_locked_still_reports_and_dies),
        cmocka_unit_test(test_a_segfault_on_another_thread_kills_the_program_with_a_stack),
        cmocka_unit_test(test_an_abort_in_a_test_kills_the_program_with_a_stack),
        cmocka_unit_test(test_a_failed_assertion_is_still_an_ordinary_failure),
        cmocka_unit_test(test_cmocka_handler_is_kept_out_during_tests),
#ifndef SANITIZED
        cmocka_unit_test(test_control_cmocka_handler_hangs_when_malloc_is_locked),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
