/* gl_registry.c — the GL backend's public entry points: a registry on the current GL context,
 * native names for handles, adoption of app-made objects. The work itself is in gl_*.c. */
#include <string.h>

#include "gl_backend.h"

static void gl_shutdown(void *be) { gl_debug_remove(be); }

static void gl_free(void *be) {
    gl_backend *b = be;
    gl_fences_free(b);
    if (b->read_framebuffer && !b->lost) b->gl.DeleteFramebuffers(1, &b->read_framebuffer);
    gpureg__free(b->reg, b, sizeof *b);
}

#define GL_OPS(naming)                                                                                                 \
    {                                                                                                                  \
        .name = "gl", .texture_create = gl_texture_create, .buffer_create = gl_buffer_create,                          \
        .object_create = gl_object_create, .object_kinds = GPUREG__CREATABLE_KINDS,                                    \
        .object_destroy = gl_object_destroy, .object_name = (naming), .texture_write = gl_texture_write,               \
        .texture_read = gl_texture_read, .buffer_write = gl_buffer_write, .buffer_read = gl_buffer_read,               \
        .fence_insert = gl_fence_insert, .fence_poll = gl_fence_poll, .fence_wait = gl_fence_wait,                     \
        .shutdown = gl_shutdown, .destroy = gl_free,                                                                   \
    }
/* Without KHR_debug nothing can carry a name: the core then builds none (a create saves the
 * formatting). */
static const gpureg__backend_ops gl_ops = GL_OPS(gl_object_name);
static const gpureg__backend_ops gl_ops_unnamed = GL_OPS(NULL);

gpureg_result gpureg_gl_create(const gpureg_gl_desc *gl, const gpureg_registry_desc *desc, gpureg_registry **out) {
    if (!out) return GPUREG_ERR_NULL_POINTER;
    *out = NULL;
    if (!gl || !gl->get_proc_address) return GPUREG_ERR_NULL_POINTER;
    if (gl->disable_features & ~(uint32_t)GPUREG_GL_FEATURE_ALL) return GPUREG_ERR_INVALID_ARGUMENT;
    gpureg_registry *reg;
    gpureg_result r = gpureg__registry_create(desc, &reg);
    if (r != GPUREG_OK) return r;
    gl_backend *b = gpureg__alloc(reg, sizeof *b);
    if (!b) {
        gpureg__registry_free(reg);
        return GPUREG_ERR_OUT_OF_MEMORY;
    }
    memset(b, 0, sizeof *b);
    b->reg = reg;
    b->debug_enables_serial = UINT64_MAX;
    if ((r = gl_load(b, gl)) != GPUREG_OK) {
        if (b->read_framebuffer) b->gl.DeleteFramebuffers(1, &b->read_framebuffer); /* raising an app error */
        gpureg__free(reg, b, sizeof *b);
        gpureg__registry_free(reg);
        return r;
    }
    gl_debug_install(b, gl->debug_asynchronous);
    b->debug_enables_serial = UINT64_MAX; /* installing turned them on: read them again */
    gpureg__registry_attach(reg, (b->info.features & GPUREG_GL_FEATURE_DEBUG) ? &gl_ops : &gl_ops_unnamed, b);
    *out = reg;
    return GPUREG_OK;
}

gpureg_result gl_state(const gpureg_registry *reg, gl_backend **out, const char *fn) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    *out = gpureg__backend_state(reg, &gl_ops);
    if (!*out) *out = gpureg__backend_state(reg, &gl_ops_unnamed);
    return *out ? GPUREG_OK : gpureg__fail(reg, GPUREG_ERR_UNSUPPORTED, "%s: not a GL registry", fn);
}

gpureg_result gpureg_gl_get_info(const gpureg_registry *reg, gpureg_gl_info *out) {
    gl_backend *b;
    gpureg_result r = gl_state(reg, &b, "gpureg_gl_get_info");
    if (r != GPUREG_OK) return r;
    if (!out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "gpureg_gl_get_info: out is NULL");
    *out = b->info;
    return GPUREG_OK;
}

static gpureg_result native_name(const gpureg_registry *reg, gpureg_handle h, gpureg_object_type type,
                                 uint32_t *out_name, uint32_t *out_target, const char *fn) {
    if (out_name) *out_name = 0;
    if (out_target) *out_target = 0;
    gl_backend *b;
    gpureg_result r = gl_state(reg, &b, fn);
    if (r != GPUREG_OK) return r;
    if (!out_name) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: out_name is NULL", fn);
    gpureg__object obj;
    if ((r = gpureg__lookup(reg, h, type, &obj, fn)) != GPUREG_OK) return r;
    *out_name = (uint32_t)obj.native;
    if (out_target) *out_target = gl_texture_target(&obj.texture);
    return GPUREG_OK;
}

gpureg_result gpureg_gl_texture_name(const gpureg_registry *reg, gpureg_texture tex, uint32_t *out_name,
                                     uint32_t *out_target) {
    return native_name(reg, tex.id, GPUREG_TYPE_TEXTURE, out_name, out_target, "gpureg_gl_texture_name");
}

gpureg_result gpureg_gl_buffer_name(const gpureg_registry *reg, gpureg_buffer buf, uint32_t *out_name) {
    return native_name(reg, buf.id, GPUREG_TYPE_BUFFER, out_name, NULL, "gpureg_gl_buffer_name");
}

gpureg_result gpureg_gl_object_name(const gpureg_registry *reg, gpureg_object obj, uint32_t *out_name,
                                    gpureg_object_kind *out_kind) {
    static const char fn[] = "gpureg_gl_object_name";
    if (out_kind) *out_kind = GPUREG_KIND_UNDEFINED;
    if (out_name) *out_name = 0;
    gl_backend *b;
    gpureg_result r = gl_state(reg, &b, fn);
    if (r != GPUREG_OK) return r;
    if (!out_name) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: out_name is NULL", fn);
    gpureg__object o;
    if ((r = gpureg__lookup(reg, obj.id, GPUREG_TYPE_OBJECT, &o, fn)) != GPUREG_OK) return r;
    *out_name = (uint32_t)o.native;
    if (out_kind) *out_kind = o.kind;
    return GPUREG_OK;
}

/* Every adopt call: a GL registry, the owner thread (GL is called), a known ownership and a name
 * GL knows as an object of that kind; then the core's adopt with gpureg deleting it, or not. */
static gpureg_result adopt(gpureg_registry *reg, gpureg_object_type type, gpureg_object_kind kind, const void *desc,
                           GLuint name, gpureg_gl_ownership ownership, const gpureg_site *site, gpureg_handle *out,
                           const char *fn) {
    if (out) *out = 0;
    gl_backend *b;
    gpureg_result r = gl_state(reg, &b, fn);
    if (r == GPUREG_OK) r = gpureg__check_owner(reg, fn);
    if (r == GPUREG_OK) r = gpureg__check_device(reg, fn);
    if (r != GPUREG_OK) return r;
    if (ownership != GPUREG_GL_ADOPT_DELETE && ownership != GPUREG_GL_ADOPT_KEEP)
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: unknown ownership %d", fn, (int)ownership);
    if (kind == GPUREG_KIND_SAMPLER && !b->caps.sampler_objects)
        return gpureg__fail(reg, GPUREG_ERR_UNSUPPORTED, "%s: this context has no sampler objects (GL 3.3)", fn);
    if (!name || !gl_is_kind(b, kind, name))
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT,
                            "%s: %u is not a GL %s of this context (made and bound once)", fn, name,
                            gpureg_kind_name(kind));
    gpureg_adopt_destroy_fn deleter = ownership == GPUREG_GL_ADOPT_DELETE ? gl_adopted_deleter(kind) : NULL;
    return gpureg__adopt(reg, type, desc, name, NULL, deleter, b, site, out, fn);
}

gpureg_result gpureg_gl_texture_adopt_at(gpureg_registry *reg, const gpureg_texture_desc *desc, uint32_t name,
                                         gpureg_gl_ownership ownership, const gpureg_site *site, gpureg_texture *out) {
    return adopt(reg, GPUREG_TYPE_TEXTURE, GPUREG_KIND_TEXTURE, desc, name, ownership, site, out ? &out->id : NULL,
                 "gpureg_gl_texture_adopt");
}

gpureg_result gpureg_gl_buffer_adopt_at(gpureg_registry *reg, const gpureg_buffer_desc *desc, uint32_t name,
                                        gpureg_gl_ownership ownership, const gpureg_site *site, gpureg_buffer *out) {
    return adopt(reg, GPUREG_TYPE_BUFFER, GPUREG_KIND_BUFFER, desc, name, ownership, site, out ? &out->id : NULL,
                 "gpureg_gl_buffer_adopt");
}

/* The kind comes from the desc: it is read here (which check applies, which deleter), so a NULL
 * desc or a kind GL has not is answered before the core sees the rest of the desc. */
gpureg_result gpureg_gl_object_adopt_at(gpureg_registry *reg, const gpureg_object_desc *desc, uint32_t name,
                                        gpureg_gl_ownership ownership, const gpureg_site *site, gpureg_object *out) {
    static const char fn[] = "gpureg_gl_object_adopt";
    if (out) out->id = 0;
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!desc || !out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "%s: desc and out are required", fn);
    gpureg_object_kind kind = desc->kind;
    if (kind == GPUREG_KIND_TEXTURE || kind == GPUREG_KIND_BUFFER || !gl_kind_known(kind))
        return gpureg__fail(reg, GPUREG_ERR_INVALID_ARGUMENT,
                            "%s: kind %s (%u): GL adopts framebuffers, renderbuffers, vertex arrays, samplers, shaders "
                            "and programs here (gpureg_gl_texture_adopt, gpureg_gl_buffer_adopt for the others)",
                            fn, gpureg_kind_name(kind), (unsigned)kind);
    return adopt(reg, GPUREG_TYPE_OBJECT, kind, desc, name, ownership, site, &out->id, fn);
}
