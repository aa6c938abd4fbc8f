/* gl_loader.c — gpureg_gl_current_loader: the get_proc_address of whatever GL context is current
 * on this thread, found without the app's windowing library.
 *
 * Windowing libraries (GLFW, SDL) dlopen libGL / libEGL with RTLD_LOCAL, so their symbols are not
 * in the global scope that dlsym(RTLD_DEFAULT) searches, although a context is current.
 * dlopen(RTLD_NOLOAD) of the usual sonames finds those libraries all the same: it loads nothing,
 * it only hands back a library that is already in the process, however it was opened. */
#include <stdio.h>
#include <string.h>

#include "gl_backend.h"

#if defined(_WIN32)

gpureg_gl_get_proc_address_fn gpureg_gl_current_loader(char *why, size_t why_size) {
    if (why && why_size) snprintf(why, why_size, "no automatic GL loader on Windows: pass wglGetProcAddress's");
    return NULL;
}

#else
#include <dlfcn.h>

typedef void *(*get_current_fn)(void);
typedef gpureg_gl_proc (*loader_fn)(const char *name);

/* One windowing API: the libraries that may hold it, the call that names the current context,
 * and its loader. */
typedef struct gl_api_candidate {
    const char *api;
    const char *libraries[3];
    const char *get_current, *loader;
} gl_api_candidate;

static const gl_api_candidate candidates[] = {
    {"EGL", {"libEGL.so.1", "libEGL.so", NULL}, "eglGetCurrentContext", "eglGetProcAddress"},
    {"GLX", {"libGLX.so.0", "libGL.so.1", "libGL.so"}, "glXGetCurrentContext", "glXGetProcAddressARB"},
};

/* Where core entry points live, for an EGL loader that hands out extensions only (EGL < 1.5
 * without EGL_KHR_get_all_proc_addresses). */
static const char *const gl_libraries[] = {"libOpenGL.so.0", "libGL.so.1", "libGLESv2.so.2"};

/* The loader found on this thread. Thread-local: two threads may have contexts of two APIs. */
static GPUREG_TLS loader_fn found_loader;

static void *symbol_of(void *library, const char *name) { return library ? dlsym(library, name) : NULL; }

static gpureg_gl_proc cast_proc(void *p) {
    gpureg_gl_proc f;
    memcpy(&f, &p, sizeof f); /* object to function pointer: what dlsym's users must do */
    return f;
}

static gpureg_gl_proc current_proc(const char *name) {
    gpureg_gl_proc f = found_loader ? found_loader(name) : NULL;
    for (size_t i = 0; !f && i < sizeof gl_libraries / sizeof gl_libraries[0]; i++) {
        void *library = dlopen(gl_libraries[i], RTLD_LAZY | RTLD_NOLOAD);
        f = cast_proc(symbol_of(library, name));
        if (library) dlclose(library); /* NOLOAD took a reference; the app keeps its own */
    }
    return f ? f : cast_proc(dlsym(RTLD_DEFAULT, name));
}

/* The candidate's current-context call and loader in `library` (NULL: the global scope). */
static int try_library(const gl_api_candidate *c, void *library, loader_fn *out) {
    void *get_current = library ? dlsym(library, c->get_current) : dlsym(RTLD_DEFAULT, c->get_current);
    void *loader = library ? dlsym(library, c->loader) : dlsym(RTLD_DEFAULT, c->loader);
    if (!get_current || !loader) return 0;
    get_current_fn current;
    memcpy(&current, &get_current, sizeof current);
    if (!current()) return -1; /* the API is there, but no context of it is current here */
    memcpy(out, &loader, sizeof *out);
    return 1;
}

gpureg_gl_get_proc_address_fn gpureg_gl_current_loader(char *why, size_t why_size) {
    char tried[400] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        const gl_api_candidate *c = &candidates[i];
        int found = 0, present = 0;
        loader_fn loader = NULL;
        /* The libraries already in the process first (RTLD_LOCAL ones included), then the global
         * scope (a program linked against libEGL / libGL directly). */
        for (size_t k = 0; !found && k <= 3; k++) {
            const char *soname = k < 3 ? c->libraries[k] : NULL;
            if (k < 3 && !soname) continue;
            void *library = soname ? dlopen(soname, RTLD_LAZY | RTLD_NOLOAD) : NULL;
            if (soname && !library) continue;
            int r = try_library(c, library, &loader);
            present |= r != 0;
            found = r > 0;
            if (library) dlclose(library); /* the app's own reference keeps it loaded */
        }
        if (found) {
            found_loader = loader;
            if (why && why_size) snprintf(why, why_size, "%s context current: %s", c->api, c->loader);
            return current_proc;
        }
        int n =
            snprintf(tried + used, sizeof tried - used, "%s%s: %s", used ? "; " : "", c->api,
                     present ? "loaded, but no context of it is current on this thread" : "not loaded in this process");
        if (n > 0 && (size_t)n < sizeof tried - used) used += (size_t)n;
    }
    if (why && why_size)
        snprintf(why, why_size,
                 "no GL context is current on this thread (tried %s, through the loaded libraries "
                 "libEGL.so.1, libGLX.so.0, libGL.so.1 and the global scope): make the context current "
                 "on this thread first, or pass the windowing library's get_proc_address",
                 tried);
    return NULL;
}

#endif
