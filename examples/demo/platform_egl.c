/* platform_egl.c — EGL surfaceless context for headless GL (see platform_egl.h). */
#include "platform_egl.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <stdio.h>
#include <string.h>

#include "demo.h"

static int no_driver(const char *what) {
    fprintf(stderr,
            "gpureg-demo: no headless OpenGL: %s (EGL error 0x%04x).\n"
            "  Install the EGL/GL driver: apt-get install " DEMO_GL_PACKAGES "\n",
            what, (unsigned)eglGetError());
    return DEMO_EXIT_NO_DRIVER;
}

static int has_extension(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *p = list; p && (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
    return 0;
}

int demo_egl_open(demo_egl *egl) {
    const char *client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (!client || !has_extension(client, "EGL_MESA_platform_surfaceless"))
        return no_driver("EGL_MESA_platform_surfaceless is not offered");
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_display =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
    if (!get_display) return no_driver("eglGetPlatformDisplayEXT is missing");
    EGLDisplay display = get_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    if (display == EGL_NO_DISPLAY) return no_driver("no surfaceless display");
    EGLint major = 0, minor = 0;
    if (!eglInitialize(display, &major, &minor)) return no_driver("eglInitialize failed");
    const char *ext = eglQueryString(display, EGL_EXTENSIONS);
    if (!has_extension(ext, "EGL_KHR_no_config_context") || !has_extension(ext, "EGL_KHR_surfaceless_context")) {
        eglTerminate(display);
        return no_driver("EGL_KHR_no_config_context / EGL_KHR_surfaceless_context missing");
    }
    if (!eglBindAPI(EGL_OPENGL_API)) {
        eglTerminate(display);
        return no_driver("desktop OpenGL is not available through EGL");
    }
    /* A debug context, so GL errors reach gpureg's message ring and the demo can assert none. */
    const EGLint attribs[] = {EGL_CONTEXT_MAJOR_VERSION,
                              3,
                              EGL_CONTEXT_MINOR_VERSION,
                              3,
                              EGL_CONTEXT_OPENGL_PROFILE_MASK,
                              EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                              EGL_CONTEXT_OPENGL_DEBUG,
                              EGL_TRUE,
                              EGL_NONE};
    EGLContext context = eglCreateContext(display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attribs);
    if (context == EGL_NO_CONTEXT) {
        eglTerminate(display);
        return no_driver("no OpenGL 3.3 core context");
    }
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
        eglDestroyContext(display, context);
        eglTerminate(display);
        return no_driver("eglMakeCurrent failed");
    }
    egl->display = display;
    egl->context = context;
    return DEMO_EXIT_OK;
}

gpureg_gl_get_proc_address_fn demo_egl_get_proc_address(void) {
    return (gpureg_gl_get_proc_address_fn)eglGetProcAddress;
}

void demo_egl_close(demo_egl *egl) {
    if (!egl->display) return;
    eglMakeCurrent(egl->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    eglDestroyContext(egl->display, egl->context);
    eglTerminate(egl->display);
    egl->display = egl->context = NULL;
}
