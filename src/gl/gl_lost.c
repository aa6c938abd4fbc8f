/* gl_lost.c — lost contexts: told by the app (gpureg_gl_context_lost) or seen by polling
 * glGetGraphicsResetStatus in the fence ops, which run at every frame begin and end and every
 * collection. Either way the backend stops calling GL for good (b->lost: every op checks it) and
 * the core enters its lost state, in which objects are still destroyed, host-side only. */
#include "gl_backend.h"

static const char *reset_name(GLenum status) {
    switch (status) {
    case GL_GUILTY_CONTEXT_RESET:
        return "GL_GUILTY_CONTEXT_RESET: this context caused it";
    case GL_INNOCENT_CONTEXT_RESET:
        return "GL_INNOCENT_CONTEXT_RESET: another context caused it";
    default:
        return "GL_UNKNOWN_CONTEXT_RESET";
    }
}

gpureg_result gl_context_reset(gl_backend *b, const char *what, GLenum status) {
    b->lost = 1;
    return gpureg__fail(b->reg, GPUREG_ERR_DEVICE_LOST, "%s: the GL context was reset (%s); GL is no longer called",
                        what, reset_name(status));
}

gpureg_result gpureg_gl_context_lost(gpureg_registry *reg) {
    static const char fn[] = "gpureg_gl_context_lost";
    gl_backend *b;
    gpureg_result r = gl_state(reg, &b, fn);
    if (r == GPUREG_OK) r = gpureg__check_owner(reg, fn);
    if (r != GPUREG_OK) return r;
    if (!b->lost)
        gpureg__log(reg, GPUREG_LOG_WARNING, "%s: the app says the GL context is lost; GL is no longer called", fn);
    b->lost = 1;
    gpureg__set_device_lost(reg); /* idempotent: logs the loss once */
    return GPUREG_OK;
}
