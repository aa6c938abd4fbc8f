/* crash_child.c — a cmocka program that crashes inside a test on purpose, in the way argv[1]
 * names; tests/unit/test_crash_fails_fast runs it and watches how it ends. Not a ctest test.
 *
 *   segv              a write to an unmapped address inside a cmocka test
 *   segv-malloc-held  the same, with malloc, calloc and realloc made to block from just before
 *                     the crash on: a model of a crash inside malloc with the arena lock held, where
 *                     any handler that allocates (cmocka's does) never returns
 *   segv-thread       the same on a second thread while the test waits
 *   abort             abort() inside a test
 *   assert            an ordinary failed assertion (a failure, not a crash)
 *   handler           prints which handler SIGSEGV has while a test runs; passes */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CHILD_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CHILD_SANITIZED 1
#endif
#endif

static const char *mode = "";

/* An unmapped address the compiler cannot see through; not NULL, so that UBSan's null check lets
 * the store through to the fault (a sanitizer build reports the SEGV itself). */
static volatile uintptr_t nowhere = 16;

static void crash_here(void) { *(volatile char *)nowhere = 42; }

/* ---- The malloc-lock model (not with a sanitizer: it owns malloc). The executable exports these
 * (the build hides symbols by default), so every library's malloc is this one. ---------------- */
#ifndef CHILD_SANITIZED
static volatile sig_atomic_t malloc_held;

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static void wait_for_ever(void) {
    static const char msg[] = "crash_child: malloc called after the crash: it would deadlock here\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    for (;;)
        pause();
}

__attribute__((visibility("default"))) void *malloc(size_t size) {
    if (malloc_held) wait_for_ever();
    return __libc_malloc(size);
}

__attribute__((visibility("default"))) void *calloc(size_t n, size_t size) {
    if (malloc_held) wait_for_ever();
    return __libc_calloc(n, size);
}

__attribute__((visibility("default"))) void *realloc(void *p, size_t size) {
    if (malloc_held) wait_for_ever();
    return __libc_realloc(p, size);
}
#endif

static void *crash_thread(void *arg) {
    (void)arg;
    crash_here();
    return NULL;
}

static void test_crash(void **state) {
    (void)state;
    if (!strcmp(mode, "segv")) {
        crash_here();
    } else if (!strcmp(mode, "segv-malloc-held")) {
#ifndef CHILD_SANITIZED
        malloc_held = 1;
#endif
        crash_here();
    } else if (!strcmp(mode, "segv-thread")) {
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, crash_thread, NULL), 0);
        pthread_join(t, NULL);
    } else if (!strcmp(mode, "abort")) {
        abort();
    } else if (!strcmp(mode, "assert")) {
        assert_int_equal(1, 2);
    } else if (!strcmp(mode, "handler")) {
        struct sigaction now;
        assert_int_equal(sigaction(SIGSEGV, NULL, &now), 0);
        void *address;
        memcpy(&address, &now.sa_handler, sizeof address);
        Dl_info info;
        const char *where = now.sa_handler == SIG_DFL                  ? "default"
                            : dladdr(address, &info) && info.dli_fname ? info.dli_fname
                                                                       : "?";
        printf("SIGSEGV handler during a test: %s\n", where);
        fflush(stdout);
    } else {
        fail_msg("crash_child: unknown mode '%s'", mode);
    }
    print_message("crash_child: still running after mode %s\n", mode);
}

int main(int argc, char **argv) {
    if (argc > 1) mode = argv[1];
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_crash)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
