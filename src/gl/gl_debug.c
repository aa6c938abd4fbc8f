/* gl_debug.c — KHR_debug output into the registry's message ring, through the lifetime guard; the
 * chain of debug callbacks when several registries share a context; and how gpureg tells its own
 * GL errors from those the app left pending.
 *
 * The callback's user parameter is the registry's guard token, never a pointer: a driver may call
 * it from its own thread, or after the registry is gone, and then it finds the token closed and
 * returns. It never calls GL and never allocates. */
#include <pthread.h>
#include <string.h>

#include "gl_backend.h"

static gpureg_message_severity severity_of(GLenum type, GLenum severity) {
    if (type == GL_DEBUG_TYPE_ERROR) return GPUREG_SEVERITY_ERROR;
    return severity == GL_DEBUG_SEVERITY_HIGH || severity == GL_DEBUG_SEVERITY_MEDIUM ? GPUREG_SEVERITY_WARNING
                                                                                      : GPUREG_SEVERITY_INFO;
}

static gpureg_message_type type_of(GLenum type) {
    if (type == GL_DEBUG_TYPE_ERROR || type == GL_DEBUG_TYPE_UNDEFINED_BEHAVIOR) return GPUREG_MESSAGE_VALIDATION;
    return type == GL_DEBUG_TYPE_PERFORMANCE ? GPUREG_MESSAGE_PERFORMANCE : GPUREG_MESSAGE_GENERAL;
}

/* The error scope of the gpureg call running on this thread (NULL outside one): see gl_errors. */
static GPUREG_TLS gl_errors *errors_scope;

/* "GL_OUT_OF_MEMORY", "out of memory", in any case: how drivers word it (the callback is given no
 * error code). */
static int says_out_of_memory(const char *text, size_t n) {
    static const char key[] = "out of memory";
    const size_t k = sizeof key - 1u;
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        for (; j < k; j++) {
            char c = text[i + j];
            if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
            if (c == '_') c = ' ';
            if (c != key[j]) break;
        }
        if (j == k) return 1;
    }
    return 0;
}

static void GPUREG_GLAPIENTRY on_debug_message(GLenum source, GLenum type, GLuint id, GLenum severity, GLsizei length,
                                               const GLchar *text, const void *user) {
    size_t full = text ? (length >= 0 ? (size_t)length : strlen(text)) : 0;
    /* Inside a gpureg call on this thread (synchronous output): the error is gpureg's own, or one
     * of the app's that gpureg raises again, whose message the app's own call already produced.
     * Only GL_DEBUG_SOURCE_API errors are GL errors (KHR_debug reports every error flag so): the
     * shader compiler's errors about the app's GLSL are the app's, answered by the create. */
    gl_errors *scope = errors_scope;
    if (scope && type == GL_DEBUG_TYPE_ERROR && source == GL_DEBUG_SOURCE_API) {
        if (scope->raising) return;
        if (scope->via_callback) {
            scope->seen++;
            if (text && says_out_of_memory(text, full)) scope->out_of_memory = 1;
        }
    }
    uint64_t token = (uint64_t)(uintptr_t)user;
    gpureg__ring *ring = gpureg__guard_enter(token);
    if (!ring) return; /* the registry is gone or closing: counted and dropped by the guard */
    gpureg_message m;
    m.severity = severity_of(type, severity);
    m.type = type_of(type);
    m.id = (int32_t)id;
    m.reserved = 0;
    m.frame = 0; /* the ring stamps the frame */
    size_t n = full;
    if (n > sizeof m.text - 1u) n = sizeof m.text - 1u;
    if (n) memcpy(m.text, text, n);
    m.text[n] = '\0';
    /* A message naming our label names its handle; otherwise, with synchronous output, the
     * message belongs to the object gpureg is working on in this very call (if any). */
    m.handle = gpureg__handle_from_text(m.text);
    if (!m.handle) m.handle = gpureg__current_handle();
    gpureg__ring_push(ring, &m);
    gpureg__guard_leave(token);
}

/* glGetPointerv gives the app's callback as a data pointer; carry its bits to a function pointer. */
static GLDEBUGPROC callback_from_pointer(void *pointer) {
    GLDEBUGPROC fn = NULL; /* a NULL pointer's bits are NULL's too */
    if (sizeof fn == sizeof pointer) memcpy(&fn, &pointer, sizeof fn);
    return fn;
}

static const void *token_pointer(uint64_t token) { return (const void *)(uintptr_t)token; }

/* ---- The callback chain ---------------------------------------------------------------------
 *
 * Each registry installs its callback over whatever it finds (the app's, another registry's) and
 * remembers that in its link. At destroy it puts back only what is still its own to put back:
 *   - if its callback is no longer installed (a later registry's, or the app's, is), it leaves
 *     the installed one alone;
 *   - if it is installed, it installs the pair it replaced;
 *   - either way, a link that replaced this registry's callback now replaced what this one had
 *     replaced (the link is spliced out of the chain), so no link ever points at a registry that
 *     is gone, and the app's own callback stays at the end of the chain.
 * The links of every context sit in one list: a token is unique in the process, so a link refers
 * to another only on the same context. */
static pthread_mutex_t chain_lock = PTHREAD_MUTEX_INITIALIZER;
static gl_debug_link *chain_links;

void gl_debug_install(gl_backend *b, int asynchronous) {
    if (!(b->info.features & GPUREG_GL_FEATURE_DEBUG)) {
        gpureg__log(b->reg, GPUREG_LOG_INFO,
                    "gpureg_gl_create: KHR_debug is not in use: no driver messages and no object labels");
        return;
    }
    void *previous_callback = NULL, *previous_user = NULL;
    b->gl.GetPointerv(GL_DEBUG_CALLBACK_FUNCTION, &previous_callback);
    b->gl.GetPointerv(GL_DEBUG_CALLBACK_USER_PARAM, &previous_user);
    b->debug = (gl_debug_link){
        .token = gpureg__guard_token(b->reg),
        .previous_callback = callback_from_pointer(previous_callback),
        .previous_user = previous_user,
        .previous_output = b->gl.IsEnabled(GL_DEBUG_OUTPUT),
        .previous_synchronous = b->gl.IsEnabled(GL_DEBUG_OUTPUT_SYNCHRONOUS),
    };
    pthread_mutex_lock(&chain_lock);
    b->debug.next = chain_links;
    chain_links = &b->debug;
    pthread_mutex_unlock(&chain_lock);
    b->debug_linked = 1;
    b->gl.DebugMessageCallback(on_debug_message, token_pointer(b->debug.token));
    b->gl.Enable(GL_DEBUG_OUTPUT);
    if (!asynchronous) b->gl.Enable(GL_DEBUG_OUTPUT_SYNCHRONOUS);
    b->info.debug_synchronous = b->gl.IsEnabled(GL_DEBUG_OUTPUT_SYNCHRONOUS);
}

static void set_enabled(const gl_backend *b, GLenum cap, GLboolean on) {
    if (on)
        b->gl.Enable(cap);
    else
        b->gl.Disable(cap);
}

void gl_debug_remove(gl_backend *b) {
    if (!b->debug_linked) return; /* nothing was installed */
    gl_debug_link *self = &b->debug;
    const void *own_user = token_pointer(self->token);
    void *callback = NULL, *user = NULL;
    /* A lost context is called no more: the link leaves the chain all the same (its memory is
     * freed next), and a late call with the token left installed is dropped by the guard. */
    if (!b->lost) {
        b->gl.GetPointerv(GL_DEBUG_CALLBACK_FUNCTION, &callback);
        b->gl.GetPointerv(GL_DEBUG_CALLBACK_USER_PARAM, &user);
    }
    int installed = callback_from_pointer(callback) == on_debug_message && user == own_user;

    pthread_mutex_lock(&chain_lock);
    for (gl_debug_link **at = &chain_links; *at; at = &(*at)->next)
        if (*at == self) {
            *at = self->next;
            break;
        }
    for (gl_debug_link *l = chain_links; l; l = l->next)
        if (l->previous_callback == on_debug_message && l->previous_user == own_user) {
            l->previous_callback = self->previous_callback;
            l->previous_user = self->previous_user;
            l->previous_output = self->previous_output;
            l->previous_synchronous = self->previous_synchronous;
        }
    pthread_mutex_unlock(&chain_lock);
    b->debug_linked = 0;

    /* The core then closes the guard, waiting for any callback still running on a driver thread. */
    if (!installed) return; /* someone installed theirs over ours: it stays */
    b->gl.DebugMessageCallback(self->previous_callback, self->previous_user);
    /* Back to another live registry: it keeps the output it set up. Back to the app's callback (or
     * none): no registry of this chain is left, and the output is as the app had it. */
    if (self->previous_callback == on_debug_message) return;
    set_enabled(b, GL_DEBUG_OUTPUT, self->previous_output);
    set_enabled(b, GL_DEBUG_OUTPUT_SYNCHRONOUS, self->previous_synchronous);
}

/* ---- gpureg's own GL errors ------------------------------------------------------------------
 *
 * GL has error flags, not a queue: glGetError returns (and clears) whichever flag is set, and
 * cannot tell gpureg's from the app's; Mesa keeps only the first error until it is read. So:
 *
 * - With gpureg's callback installed and synchronous output on, every GL error raised inside
 *   gpureg's calls reaches the callback on this thread, before the failing GL call returns: the
 *   scope counts them and glGetError is never called. The app's pending errors are not even read
 *   (so none is lost, GL_OUT_OF_MEMORY included), and no error is raised again. The price is the
 *   check that this holds, three state queries per call (about what the two glGetError of the
 *   other way cost; with synchronous output on, threaded drivers such as Mesa's glthread run
 *   unthreaded anyway); it is made on every call, since the app may install its own callback or
 *   turn synchronous output off at any time.
 * - Otherwise (no KHR_debug, asynchronous output, the app's callback installed over gpureg's),
 *   the flags are the only witness. The scope reads the app's pending errors before gpureg's work
 *   (none, as a rule: one glGetError), gpureg's own after it (one more), and raises the app's
 *   again, each with a call that makes exactly that error and changes no state, so glGetError
 *   still returns them to the app afterwards. GL_OUT_OF_MEMORY and GL_CONTEXT_LOST cannot be made
 *   on purpose: those are logged instead. gpureg's callback drops the messages of errors it raises
 *   again (the app's own call already produced one each). */

/* Once per frame serial: out of line, so every scope's common path keeps no register for it. */
static GPUREG_NOINLINE void read_debug_enables(gl_backend *b, uint64_t serial) {
    b->debug_enables_on = b->gl.IsEnabled(GL_DEBUG_OUTPUT_SYNCHRONOUS) && b->gl.IsEnabled(GL_DEBUG_OUTPUT);
    b->debug_enables_serial = serial;
}

/* The two enables are read once per frame, the installed callback at every scope: state queries
 * are a tenth of a texture create on llvmpipe, and an app that installs its own callback (the
 * change apps make) is seen at once; one that turns debug output off is seen from the next
 * frame on (gpureg_gl.h, "GL errors"). */
static int errors_via_callback(gl_backend *b) {
    /* Set only by gl_debug_install, so only with KHR_debug in use. */
    if (!b->info.debug_synchronous) return 0;
    uint64_t serial = gpureg__frame_serial(b->reg);
    if (serial != b->debug_enables_serial) read_debug_enables(b, serial);
    if (!b->debug_enables_on) return 0;
    void *callback = NULL;
    b->gl.GetPointerv(GL_DEBUG_CALLBACK_FUNCTION, &callback);
    /* Any registry's token will do: the scope is counted before the guard is entered. */
    return callback_from_pointer(callback) == on_debug_message;
}

void gl_errors_begin(gl_backend *b, gl_errors *e) {
    /* Member by member: kept[] is read only up to kept_count, so it is left as it is. */
    e->raising = 0;
    e->seen = 0;
    e->out_of_memory = 0;
    e->kept_count = 0;
    e->via_callback = errors_via_callback(b);
    GLenum code;
    if (!e->via_callback)
        while (e->kept_count < GL_ERRORS_KEPT && (code = b->gl.GetError()) != GL_NO_ERROR)
            e->kept[e->kept_count++] = code;
    errors_scope = e;
}

/* Make `code` again with a GL call that changes no state; 0 when no call can. */
static int raise_again(gl_backend *b, GLenum code) {
    switch (code) {
    case GL_INVALID_ENUM:
        (void)b->gl.IsEnabled(0); /* no capability is 0 */
        return 1;
    case GL_INVALID_VALUE:
        (void)b->gl.GetStringi(GL_EXTENSIONS, 0xffffffffu); /* index past GL_NUM_EXTENSIONS */
        return 1;
    case GL_INVALID_OPERATION: { /* unmap with no buffer bound to the target */
        gl_binding saved = gl_bind(b, GL_COPY_WRITE_BUFFER, 0);
        (void)b->gl.UnmapBuffer(GL_COPY_WRITE_BUFFER);
        gl_unbind(b, saved, 0);
        return 1;
    }
    case GL_INVALID_FRAMEBUFFER_OPERATION: { /* read from gpureg's framebuffer, which has nothing attached */
        GLuint framebuffer = gl_read_framebuffer(b);
        gl_binding fb = gl_bind(b, GL_READ_FRAMEBUFFER, framebuffer);
        gl_binding pack = gl_bind(b, GL_PIXEL_PACK_BUFFER, 0);
        unsigned char texel[4];
        b->gl.ReadPixels(0, 0, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, texel);
        gl_unbind(b, pack, 0);
        gl_unbind(b, fb, framebuffer);
        return 1;
    }
    default:
        return 0;
    }
}

/* gl_errors_end but for its common case (the callback heard nothing). Out of line, so that case
 * needs no stack frame. */
static GPUREG_NOINLINE gpureg_result errors_end(gl_backend *b, gl_errors *e, const char *what) {
    gpureg_result r = GPUREG_OK;
    if (e->via_callback) {
        r = e->out_of_memory ? GPUREG_ERR_OUT_OF_MEMORY : GPUREG_ERR_BACKEND;
        if (what)
            gpureg__log(b->reg, GPUREG_LOG_WARNING, "%s: %u GL error(s) in gpureg's own GL calls (see the messages)",
                        what, (unsigned)e->seen);
    } else {
        GLenum code;
        for (int i = 0; i < GL_ERRORS_KEPT && (code = b->gl.GetError()) != GL_NO_ERROR; i++) {
            gpureg_result this_one = code == GL_OUT_OF_MEMORY ? GPUREG_ERR_OUT_OF_MEMORY : GPUREG_ERR_BACKEND;
            if (r == GPUREG_OK || this_one == GPUREG_ERR_OUT_OF_MEMORY) r = this_one;
            if (what) gpureg__log(b->reg, GPUREG_LOG_WARNING, "%s: GL error 0x%04x", what, (unsigned)code);
        }
        e->raising = 1;
        for (uint32_t i = 0; i < e->kept_count; i++)
            if (!raise_again(b, e->kept[i]))
                gpureg__log(b->reg, GPUREG_LOG_WARNING,
                            "%s: the GL error 0x%04x the app left pending was read and cannot be raised again",
                            what ? what : "gpureg (gl)", (unsigned)e->kept[i]);
        e->raising = 0;
    }
    errors_scope = NULL;
    return r;
}

gpureg_result gl_errors_end(gl_backend *b, gl_errors *e, const char *what) {
    if (!e->via_callback || e->seen) return errors_end(b, e, what);
    errors_scope = NULL; /* the callback heard no error of gpureg's */
    return GPUREG_OK;
}
