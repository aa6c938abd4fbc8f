/* platform_egl.h — a GL 3.3+ core context without any display: EGL on Mesa's surfaceless
 * platform, no config, no surface (the demo renders into an FBO). */
#ifndef DEMO_PLATFORM_EGL_H
#define DEMO_PLATFORM_EGL_H

#include <gpureg/gpureg_gl.h>

typedef struct demo_egl {
    void *display; /* EGLDisplay */
    void *context; /* EGLContext */
} demo_egl;

/* Create the context and make it current on the calling thread. Returns a DEMO_EXIT_* code:
 * DEMO_EXIT_NO_DRIVER with a message naming the packages when EGL or the GL driver is missing. */
int demo_egl_open(demo_egl *egl);
/* The loader gpureg and the demo use for GL entry points. */
gpureg_gl_get_proc_address_fn demo_egl_get_proc_address(void);
void demo_egl_close(demo_egl *egl);

#endif
