/* gl_debug.c — KHR_debug output into the registry's message ring, through the lifetime guard.
 *
 * The callback's user parameter is the registry's guard token, never a pointer: a driver may call
 * it from its own thread, or after the registry is gone, and then it finds the token closed and
 * returns. It never calls GL and never allocates. */
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

static void GPUREG_GLAPIENTRY on_debug_message(GLenum source, GLenum type, GLuint id, GLenum severity, GLsizei length,
                                               const GLchar *text, const void *user) {
    (void)source;
    uint64_t token = (uint64_t)(uintptr_t)user;
    gpureg__ring *ring = gpureg__guard_enter(token);
    if (!ring) return; /* the registry is gone or closing: counted and dropped by the guard */
    gpureg_message m;
    m.severity = severity_of(type, severity);
    m.type = type_of(type);
    m.id = (int32_t)id;
    m.reserved = 0;
    m.frame = 0; /* the ring stamps the frame */
    size_t n = text ? (length >= 0 ? (size_t)length : strlen(text)) : 0;
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
    GLDEBUGPROC fn = NULL;
    if (pointer && sizeof fn == sizeof pointer) memcpy(&fn, &pointer, sizeof fn);
    return fn;
}

void gl_debug_install(gl_backend *b, int asynchronous) {
    if (!(b->info.features & GPUREG_GL_FEATURE_DEBUG)) {
        gpureg__log(b->reg, GPUREG_LOG_INFO,
                    "gpureg_gl_create: KHR_debug is not in use: no driver messages and no object labels");
        return;
    }
    void *app_callback = NULL, *app_user = NULL;
    b->gl.GetPointerv(GL_DEBUG_CALLBACK_FUNCTION, &app_callback);
    b->gl.GetPointerv(GL_DEBUG_CALLBACK_USER_PARAM, &app_user);
    b->app_callback = callback_from_pointer(app_callback);
    b->app_callback_user = app_user;
    b->app_debug_output = b->gl.IsEnabled(GL_DEBUG_OUTPUT);
    b->app_debug_synchronous = b->gl.IsEnabled(GL_DEBUG_OUTPUT_SYNCHRONOUS);
    b->gl.DebugMessageCallback(on_debug_message, (const void *)(uintptr_t)gpureg__guard_token(b->reg));
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
    if (!(b->info.features & GPUREG_GL_FEATURE_DEBUG)) return; /* nothing was installed */
    /* Give the app its callback back; the core then closes the guard, waiting for any callback
     * still running on a driver thread. */
    b->gl.DebugMessageCallback(b->app_callback, b->app_callback_user);
    set_enabled(b, GL_DEBUG_OUTPUT, b->app_debug_output);
    set_enabled(b, GL_DEBUG_OUTPUT_SYNCHRONOUS, b->app_debug_synchronous);
}
