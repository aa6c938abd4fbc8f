/* crash_handler.c — linked into every test program (gpureg_add_test in tests/CMakeLists.txt): a
 * crash ends the process at once, says so, and prints a stack.
 *
 * Why. cmocka 1.1.5 (Debian 12) puts its own handler on SIGSEGV, SIGILL, SIGFPE, SIGBUS and SIGSYS
 * with signal() around every test and fixture. That handler calls strsignal and cm_print_error
 * (malloc) and then longjmps into the next test, or abort()s when CMOCKA_TEST_ABORT=1: the variable
 * changes only what happens after the message, the handler is installed all the same. A crash
 * inside malloc (heap corruption, arena lock held) then deadlocks in that handler, and the test sits
 * idle until ctest's TIMEOUT ends it: a crash that reads as a timeout.
 *
 * What this file does:
 *  - It defines signal(). The executable's definition comes first in symbol lookup, so libcmocka's
 *    calls land here, and a request to put a handler that lives in libcmocka on one of those
 *    signals leaves the handler in place and changes nothing. Every other call gets signal()'s usual
 *    (BSD) behaviour through sigaction, so a sanitizer's interceptor still sees it.
 *  - Outside sanitizer builds it installs, at start-up, a handler for SIGSEGV, SIGBUS, SIGILL,
 *    SIGFPE, SIGABRT and SIGSYS that only makes async-signal-safe calls: write() of
 *    "CRASH: signal N (NAME) in PROGRAM ...", backtrace() (libgcc is loaded by a first call at
 *    start-up, so the handler's call allocates nothing) and backtrace_symbols_fd(); then the signal
 *    is raised again with its default action and the process dies by it (core dump included). An
 *    alarm ends a handler that could not finish (a lock held by the crashed code) within 10 s.
 *  - Sanitizer builds keep the sanitizers' own handlers: they print a symbolised stack and exit
 *    (and, with handle_abort=1 set here as a default, do so for abort() too).
 *
 * GPUREG_TEST_CMOCKA_SIGNALS=1 lets cmocka install its handlers as before (the control case of
 * tests/unit/test_crash_fails_fast). Frames print as "program(+0xOFFSET)": `addr2line -f -e
 * program 0xOFFSET` names them (tests/soak.sh does it for the stacks it records). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CRASH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CRASH_SANITIZED 1
#endif
#endif

typedef void (*crash_sighandler)(int);

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS};

static int is_crash_signal(int sig) {
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
        if (crash_signals[i] == sig) return 1;
    return 0;
}

/* signal() as glibc has it (BSD semantics: SA_RESTART, the signal blocked in its handler). */
static crash_sighandler plain_signal(int sig, crash_sighandler handler) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, sig);
    sa.sa_flags = SA_RESTART;
    if (sigaction(sig, &sa, &old) != 0) return SIG_ERR;
    /* A handler installed with SA_SIGINFO comes back through the same field. */
    return old.sa_handler;
}

static int lives_in_cmocka(crash_sighandler handler) {
    if (handler == SIG_DFL || handler == SIG_IGN || handler == SIG_ERR) return 0;
    void *address;
    memcpy(&address, &handler, sizeof address); /* a function's address as data, without a cast */
    Dl_info info;
    return dladdr(address, &info) && info.dli_fname && strstr(info.dli_fname, "libcmocka");
}

static int cmocka_signals_allowed(void) {
    const char *v = getenv("GPUREG_TEST_CMOCKA_SIGNALS");
    return v && v[0] == '1';
}

#ifndef CRASH_SANITIZED
static void crash_handler(int sig, siginfo_t *info, void *context);
static void install_crash_handler(int sig);
#endif

/* The interposer: see the top of the file. */
__attribute__((visibility("default"))) crash_sighandler signal(int sig, crash_sighandler handler) {
    if (!is_crash_signal(sig)) return plain_signal(sig, handler);
    struct sigaction now;
    if (sigaction(sig, NULL, &now) != 0) return SIG_ERR;
    /* cmocka's handler stays out; putting back the handler in place (cmocka does, after each test)
     * changes nothing, so an SA_SIGINFO handler keeps its flags. */
    if ((lives_in_cmocka(handler) && !cmocka_signals_allowed()) || handler == now.sa_handler) return now.sa_handler;
#ifndef CRASH_SANITIZED
    void *ours, *asked;
    void (*crash)(int, siginfo_t *, void *) = crash_handler;
    memcpy(&ours, &crash, sizeof ours);
    memcpy(&asked, &handler, sizeof asked);
    if (asked == ours) { /* given back by cmocka (GPUREG_TEST_CMOCKA_SIGNALS=1): with its flags */
        install_crash_handler(sig);
        return now.sa_handler;
    }
#endif
    return plain_signal(sig, handler);
}

#ifdef CRASH_SANITIZED
/* The sanitizers report abort() too (with a stack), not only faults; the environment's
 * ASAN_OPTIONS / TSAN_OPTIONS still win. A sanitizer that aborts after its own report puts
 * SIGABRT back to its default first, so a report is never followed by a second one. */
__attribute__((visibility("default"), used)) const char *__asan_default_options(void) { return "handle_abort=1"; }
__attribute__((visibility("default"), used)) const char *__tsan_default_options(void) { return "handle_abort=1"; }
#else
static char program[256];
static atomic_long crashing_thread; /* the first thread to crash */
static char alternate_stack[64 * 1024];

static void put(const char *s) {
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        s += w, n -= (size_t)w;
    }
}

static void put_unsigned(uintmax_t v, unsigned base) {
    char digits[32];
    int i = (int)sizeof digits;
    digits[--i] = '\0';
    do {
        digits[--i] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v && i > 0);
    put(digits + i);
}

static const char *signal_name(int sig) {
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGILL:
        return "SIGILL";
    case SIGFPE:
        return "SIGFPE";
    case SIGABRT:
        return "SIGABRT";
    case SIGSYS:
        return "SIGSYS";
    default:
        return "?";
    }
}

static void crash_handler(int sig, siginfo_t *info, void *context) {
    (void)context;
    int saved_errno = errno;
    long me = (long)syscall(SYS_gettid), first = 0;
    if (!atomic_compare_exchange_strong(&crashing_thread, &first, me)) {
        if (first == me) { /* a crash inside this handler: die now */
            plain_signal(sig, SIG_DFL);
            raise(sig);
            _exit(128 + sig);
        }
        for (;;) /* another thread crashed first: it ends the process (or its alarm does) */
            pause();
    }
    alarm(10); /* SIGALRM's default action ends the process if this handler cannot finish */
    put("\nCRASH: signal ");
    put_unsigned((uintmax_t)sig, 10);
    put(" (");
    put(signal_name(sig));
    put(") in ");
    put(program);
    put(", thread ");
    put_unsigned((uintmax_t)me, 10);
    if (sig == SIGSEGV || sig == SIGBUS) {
        put(", address 0x");
        put_unsigned((uintmax_t)(uintptr_t)info->si_addr, 16);
    }
    put("\nCRASH: stack (innermost first; addr2line -f -e PROGRAM +OFFSET names a frame):\n");
    void *frames[64];
    int n = backtrace(frames, 64);
    backtrace_symbols_fd(frames, n, STDERR_FILENO);
    put("CRASH: end of stack\n");
    errno = saved_errno;
    /* Die by the same signal, with its default action. */
    plain_signal(sig, SIG_DFL);
    raise(sig);
    _exit(128 + sig); /* raise() returns only if the signal is blocked: it is not (SA_NODEFER) */
}

static void install_crash_handler(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = crash_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(sig, &sa, NULL);
}

__attribute__((constructor)) static void crash_handler_install(void) {
    const char *name = program_invocation_name ? program_invocation_name : "?";
    strncpy(program, name, sizeof program - 1);
    void *frames[2];
    (void)backtrace(frames, 2); /* loads libgcc's unwinder now, so the handler's call allocates nothing */
    stack_t alternate = {.ss_sp = alternate_stack, .ss_size = sizeof alternate_stack, .ss_flags = 0};
    sigaltstack(&alternate, NULL); /* a stack overflow on the main thread still gets its report */
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
        install_crash_handler(crash_signals[i]);
}
#endif
