/* gl_objects.c — GL textures and buffers: storage, sampling state and update hints, debug labels,
 * and the bindings gpureg borrows (and gives back) while it works on them. */
#include <string.h>

#include "gl_backend.h"

void gl_bind_name(const gl_backend *b, GLenum target, GLuint name) {
    if (target == GL_TEXTURE_2D || target == GL_TEXTURE_2D_ARRAY)
        b->gl.BindTexture(target, name);
    else if (target == GL_READ_FRAMEBUFFER || target == GL_DRAW_FRAMEBUFFER)
        b->gl.BindFramebuffer(target, name);
    else if (target == GL_RENDERBUFFER)
        b->gl.BindRenderbuffer(target, name);
    else if (target == GL_VERTEX_ARRAY)
        b->gl.BindVertexArray(name);
    else
        b->gl.BindBuffer(target, name);
}

GLuint gl_read_framebuffer(gl_backend *b) {
    if (!b->read_framebuffer) {
        b->gl.GenFramebuffers(1, &b->read_framebuffer);
        gl_binding first = gl_bind(b, GL_READ_FRAMEBUFFER, b->read_framebuffer);
        b->gl.ReadBuffer(GL_COLOR_ATTACHMENT0); /* framebuffer state: set once */
        gl_unbind(b, first, b->read_framebuffer);
    }
    return b->read_framebuffer;
}

/* Immutable storage where the context has it, else one glTexImage per level (with no pixel
 * unpack buffer bound, so the NULL data pointer means "no data", not "offset 0"). */
static void texture_storage(const gl_backend *b, const gpureg_texture_desc *d, const gl_format *f, GLenum target) {
    GLsizei w = (GLsizei)d->width, h = (GLsizei)d->height, layers = (GLsizei)d->array_layers;
    /* Immutable textures are complete with their own level count; others need MAX_LEVEL, or
     * fewer levels than the filter asks for leave the texture incomplete (it samples black). */
    if ((b->info.features & GPUREG_GL_FEATURE_TEXTURE_STORAGE) && f->internal != GL_BGRA_EXT) {
        if (target == GL_TEXTURE_2D)
            b->gl.TexStorage2D(target, (GLsizei)d->mip_levels, f->internal, w, h);
        else
            b->gl.TexStorage3D(target, (GLsizei)d->mip_levels, f->internal, w, h, layers);
        return;
    }
    b->gl.TexParameteri(target, GL_TEXTURE_MAX_LEVEL, (GLint)d->mip_levels - 1);
    gl_binding unpack = gl_bind(b, GL_PIXEL_UNPACK_BUFFER, 0);
    for (GLint level = 0; level < (GLint)d->mip_levels; level++) {
        GLsizei lw = w >> level ? w >> level : 1, lh = h >> level ? h >> level : 1;
        if (target == GL_TEXTURE_2D)
            b->gl.TexImage2D(target, level, (GLint)f->internal, lw, lh, 0, f->format, f->type, NULL);
        else
            b->gl.TexImage3D(target, level, (GLint)f->internal, lw, lh, layers, 0, f->format, f->type, NULL);
    }
    gl_unbind(b, unpack, 0);
}

/* The same by name (direct state access): nothing bound, nothing to restore. */
static void direct_texture_storage(const gl_backend *b, const gpureg_texture_desc *d, const gl_format *f, GLenum target,
                                   GLuint *name) {
    b->gl.CreateTextures(target, 1, name);
    GLsizei w = (GLsizei)d->width, h = (GLsizei)d->height;
    if (target == GL_TEXTURE_2D)
        b->gl.TextureStorage2D(*name, (GLsizei)d->mip_levels, f->internal, w, h);
    else
        b->gl.TextureStorage3D(*name, (GLsizei)d->mip_levels, f->internal, w, h, (GLsizei)d->array_layers);
}

void gl_label(const gl_backend *b, GLenum identifier, GLuint name, const char *text) {
    /* max_label_length is read only with KHR_debug in use (0 without). */
    if (b->max_label_length < 2 || !text[0]) return;
    size_t length = strlen(text), max = (size_t)b->max_label_length - 1u;
    b->gl.ObjectLabel(identifier, name, (GLsizei)(length < max ? length : max), text);
}

/* The desc's sampling state, members left DEFAULT untouched (GL's own defaults stay): on the
 * texture bound to `target`, or by name with direct state access. */
static inline void texture_sampling(const gl_backend *b, const gpureg_sampler_state *state, GLenum target,
                                    GLuint name) {
    /* Most descs leave every member DEFAULT (0): nothing to set, and no parameters to make. */
    if (!((unsigned)state->min_filter | (unsigned)state->mag_filter | (unsigned)state->mip_filter |
          (unsigned)state->wrap_u | (unsigned)state->wrap_v))
        return;
    gl_sampler_param params[GL_SAMPLER_PARAMS];
    uint32_t n = gl_sampler_params(state, params);
    for (uint32_t i = 0; i < n; i++) {
        if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS)
            b->gl.TextureParameteri(name, params[i].name, params[i].value);
        else
            b->gl.TexParameteri(target, params[i].name, params[i].value);
    }
}

gpureg_result gl_texture_create(void *be, const gpureg_texture_desc *d, gpureg_handle handle, const char *driver_name,
                                uint64_t *native, gpureg__aux *aux) {
    gl_backend *b = be;
    (void)handle;
    (void)aux;
    if (b->lost) return GPUREG_ERR_DEVICE_LOST;
    gpureg_result r = gl_texture_check(b, d);
    if (r != GPUREG_OK) return r;
    const gl_format *f = gl_format_of(b, d->format);
    GLenum target = gl_texture_target(d);
    GLuint name = 0;
    gl_errors errors;
    gl_errors_begin(b, &errors);
    if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) {
        direct_texture_storage(b, d, f, target, &name);
        texture_sampling(b, &d->sampler, target, name);
    } else {
        b->gl.GenTextures(1, &name);
        gl_binding saved = gl_bind(b, target, name);
        texture_storage(b, d, f, target);
        texture_sampling(b, &d->sampler, target, name);
        gl_unbind(b, saved, name);
    }
    if ((r = gl_errors_end(b, &errors, "gpureg_texture_create (gl)")) != GPUREG_OK) {
        b->gl.DeleteTextures(1, &name);
        return r;
    }
    gl_label(b, GL_TEXTURE, name, driver_name);
    *native = name;
    return GPUREG_OK;
}

/* glBufferData's usage hint for the update frequency (the core made DEFAULT STATIC). */
static GLenum buffer_hint(gpureg_buffer_update update) {
    switch (update) {
    case GPUREG_UPDATE_DYNAMIC:
        return GL_DYNAMIC_DRAW;
    case GPUREG_UPDATE_STREAM:
        return GL_STREAM_DRAW;
    default:
        return GL_STATIC_DRAW;
    }
}

gpureg_result gl_buffer_create(void *be, const gpureg_buffer_desc *d, gpureg_handle handle, const char *driver_name,
                               uint64_t *native, gpureg__aux *aux) {
    gl_backend *b = be;
    (void)handle;
    (void)aux;
    if (b->lost) return GPUREG_ERR_DEVICE_LOST;
    gpureg_result r = gl_buffer_check(b, d);
    if (r != GPUREG_OK) return r;
    int host_visible = (d->usage & GPUREG_BUFFER_USAGE_HOST_VISIBLE) != 0;
    GLuint name = 0;
    GLsizeiptr size = (GLsizeiptr)d->size;
    GLenum hint = buffer_hint(d->update);
    /* gpureg writes every buffer with glBufferSubData, so immutable storage always keeps
     * GL_DYNAMIC_STORAGE_BIT; a buffer rewritten every frame asks for client-side memory. */
    GLbitfield flags = GL_DYNAMIC_STORAGE_BIT | (host_visible ? GL_MAP_READ_BIT | GL_MAP_WRITE_BIT : 0u) |
                       (d->update == GPUREG_UPDATE_STREAM ? GL_CLIENT_STORAGE_BIT : 0u);
    int immutable = (b->info.features & GPUREG_GL_FEATURE_BUFFER_STORAGE) != 0;
    gl_errors errors;
    gl_errors_begin(b, &errors);
    if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) {
        b->gl.CreateBuffers(1, &name);
        if (immutable)
            b->gl.NamedBufferStorage(name, size, NULL, flags);
        else
            b->gl.NamedBufferData(name, size, NULL, hint);
    } else {
        b->gl.GenBuffers(1, &name);
        /* GL_COPY_WRITE_BUFFER belongs to no draw state: binding it disturbs nothing the app set up. */
        gl_binding saved = gl_bind(b, GL_COPY_WRITE_BUFFER, name);
        if (immutable)
            b->gl.BufferStorage(GL_COPY_WRITE_BUFFER, size, NULL, flags);
        else
            b->gl.BufferData(GL_COPY_WRITE_BUFFER, size, NULL, hint);
        gl_unbind(b, saved, name);
    }
    if ((r = gl_errors_end(b, &errors, "gpureg_buffer_create (gl)")) != GPUREG_OK) {
        b->gl.DeleteBuffers(1, &name);
        return r;
    }
    gl_label(b, GL_BUFFER, name, driver_name);
    *native = name;
    return GPUREG_OK;
}
