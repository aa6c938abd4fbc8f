/* gl_transfer.c — texture and buffer writes and reads from client memory. The core has checked
 * every bound; here the data is laid out the way GL reads it, and the app's pixel-store state and
 * bindings are put back afterwards. */
#include <string.h>

#include "gl_backend.h"

/* The largest GL alignment that divides a row pitch, so GL's row stride is exactly that pitch. */
static GLint alignment_of(uint64_t pitch) { return pitch % 8 == 0 ? 8 : pitch % 4 == 0 ? 4 : pitch % 2 == 0 ? 2 : 1; }

/* Pack or unpack alignment and row length, set for one transfer and restored after it. */
typedef struct pixel_store {
    GLenum alignment_name, row_length_name;
    GLint alignment, row_length;           /* the app's */
    GLint used_alignment, used_row_length; /* what the transfer runs with */
} pixel_store;

/* GL's row stride is the row's bytes rounded up to the alignment, so every alignment that divides
 * the pitch gives exactly the pitch: the app's value is kept when it does (the usual 4 with any
 * pitch a multiple of 4), and only then are no glPixelStorei calls made at all. Filled in place
 * (GL writes the app's values into it) and inline: the write of every upload runs it. */
static inline void pixel_store_set(const gl_backend *b, pixel_store *saved, int pack, uint64_t pitch,
                                   GLint row_length) {
    saved->alignment_name = pack ? GL_PACK_ALIGNMENT : GL_UNPACK_ALIGNMENT;
    saved->row_length_name = pack ? GL_PACK_ROW_LENGTH : GL_UNPACK_ROW_LENGTH;
    saved->alignment = 0;
    saved->row_length = 0;
    saved->used_row_length = row_length;
    /* A pitch that is a multiple of 8 is a multiple of every alignment GL has (1, 2, 4, 8): the
     * app's value then works as it is, and need not even be read (0 stands for "the app's"). */
    if (pitch % 8 != 0) b->gl.GetIntegerv(saved->alignment_name, &saved->alignment);
    b->gl.GetIntegerv(saved->row_length_name, &saved->row_length);
    saved->used_alignment = pitch % 8 == 0 || (saved->alignment > 0 && pitch % (uint64_t)saved->alignment == 0)
                                ? saved->alignment
                                : alignment_of(pitch);
    if (saved->used_alignment != saved->alignment) b->gl.PixelStorei(saved->alignment_name, saved->used_alignment);
    if (saved->row_length != row_length) b->gl.PixelStorei(saved->row_length_name, row_length);
}

static void pixel_store_restore(const gl_backend *b, const pixel_store *saved) {
    if (saved->used_alignment != saved->alignment) b->gl.PixelStorei(saved->alignment_name, saved->alignment);
    if (saved->row_length != saved->used_row_length) b->gl.PixelStorei(saved->row_length_name, saved->row_length);
}

static void sub_image(const gl_backend *b, GLuint name, GLenum target, const gl_format *f,
                      const gpureg_texture_region *rg, uint32_t y, uint32_t rows, const void *data) {
    if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) {
        if (target == GL_TEXTURE_2D)
            b->gl.TextureSubImage2D(name, (GLint)rg->mip_level, (GLint)rg->x, (GLint)y, (GLsizei)rg->width,
                                    (GLsizei)rows, f->format, f->type, data);
        else
            b->gl.TextureSubImage3D(name, (GLint)rg->mip_level, (GLint)rg->x, (GLint)y, (GLint)rg->array_layer,
                                    (GLsizei)rg->width, (GLsizei)rows, 1, f->format, f->type, data);
    } else if (target == GL_TEXTURE_2D)
        b->gl.TexSubImage2D(target, (GLint)rg->mip_level, (GLint)rg->x, (GLint)y, (GLsizei)rg->width, (GLsizei)rows,
                            f->format, f->type, data);
    else
        b->gl.TexSubImage3D(target, (GLint)rg->mip_level, (GLint)rg->x, (GLint)y, (GLint)rg->array_layer,
                            (GLsizei)rg->width, (GLsizei)rows, 1, f->format, f->type, data);
}

/* gpureg's D24S8 texel has depth in bits 0-23 and stencil in 24-31 (as Vulkan copies it); GL's
 * GL_UNSIGNED_INT_24_8 has depth in 8-31 and stencil in 0-7. */
static uint32_t d24s8_to_gl(uint32_t v) { return v << 8 | v >> 24; }
static uint32_t d24s8_from_gl(uint32_t v) { return v >> 8 | v << 24; }

/* A tight copy of the region's rows in GL's D24S8 layout (NULL when out of memory). */
static uint32_t *d24s8_for_gl(gl_backend *b, const gpureg_texture_region *rg, const void *data, uint32_t row_bytes,
                              size_t *size) {
    *size = (size_t)rg->width * rg->height * 4u;
    uint32_t *copy = gpureg__alloc(b->reg, *size);
    if (!copy) return NULL;
    for (uint32_t y = 0; y < rg->height; y++) {
        memcpy(copy + (size_t)y * rg->width, (const unsigned char *)data + (size_t)y * row_bytes,
               (size_t)rg->width * 4);
        for (uint32_t x = 0; x < rg->width; x++)
            copy[(size_t)y * rg->width + x] = d24s8_to_gl(copy[(size_t)y * rg->width + x]);
    }
    return copy;
}

gpureg_result gl_texture_write(void *be, uint64_t native, const gpureg__aux *aux, const gpureg_texture_desc *desc,
                               const gpureg_texture_region *rg, const void *data, uint32_t row_bytes) {
    gl_backend *b = be;
    (void)aux;
    uint32_t *copy = NULL; /* D24S8 is written from a converted, tight copy */
    size_t copy_size = 0;
    if (desc->format == GPUREG_FORMAT_D24_UNORM_S8_UINT) {
        if (!(copy = d24s8_for_gl(b, rg, data, row_bytes, &copy_size))) return GPUREG_ERR_OUT_OF_MEMORY;
        data = copy;
        row_bytes = rg->width * 4u;
    }
    const gl_format *f = gl_format_of(b, desc->format);
    GLenum target = gl_texture_target(desc);
    GLuint name = (GLuint)native;
    int direct = (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) != 0;
    gl_errors errors;
    gl_errors_begin(b, &errors);
    gl_binding tex = {target, (GLint)name}; /* by name (direct) nothing is bound */
    if (!direct) tex = gl_bind(b, target, name);
    gl_binding unpack = gl_bind(b, GL_PIXEL_UNPACK_BUFFER, 0);
    /* Texel sizes are powers of two: the remainder is a mask. */
    if ((row_bytes & (f->texel_bytes - 1u)) == 0) {
        GLint row_length = row_bytes == rg->width * f->texel_bytes ? 0 : (GLint)(row_bytes / f->texel_bytes);
        pixel_store saved;
        pixel_store_set(b, &saved, 0, row_bytes, row_length);
        sub_image(b, name, target, f, rg, rg->y, rg->height, data);
        pixel_store_restore(b, &saved);
    } else {
        /* A pitch GL cannot express in texels: one row at a time (the stride never matters). */
        for (uint32_t i = 0; i < rg->height; i++)
            sub_image(b, name, target, f, rg, rg->y + i, 1, (const unsigned char *)data + (size_t)i * row_bytes);
    }
    gl_unbind(b, unpack, 0);
    if (!direct) gl_unbind(b, tex, name);
    gpureg_result r = gl_errors_end(b, &errors, "gpureg_texture_write (gl)");
    if (copy) gpureg__free(b->reg, copy, copy_size);
    return r;
}

/* ---- Reads ------------------------------------------------------------------------------------ */

static uint16_t half_from_float(float value) {
    uint32_t x;
    memcpy(&x, &value, sizeof x);
    uint32_t sign = (x >> 16) & 0x8000u, exponent = (x >> 23) & 0xffu, mantissa = x & 0x7fffffu;
    if (exponent == 0xffu) return (uint16_t)(sign | 0x7c00u | (mantissa ? 0x200u : 0u));
    int e = (int)exponent - 127 + 15;
    if (e >= 31) return (uint16_t)(sign | 0x7c00u);
    if (e <= 0) { /* subnormal half (values read back from a half texture are exact here) */
        if (e < -10) return (uint16_t)sign;
        mantissa |= 0x800000u;
        return (uint16_t)(sign | (mantissa >> (uint32_t)(14 - e)));
    }
    return (uint16_t)(sign | (uint32_t)e << 10 | (mantissa >> 13));
}

/* GLES reads colour only as RGBA (bytes or floats) unless the implementation names another
 * format: read that and keep the channels the texture has. */
static void from_rgba(gpureg_format format, const void *rgba, void *out, size_t texels) {
    const unsigned char *u8 = rgba;
    const float *f32 = rgba;
    unsigned char *o8 = out;
    uint16_t *o16 = out;
    for (size_t i = 0; i < texels; i++) {
        switch (format) {
        case GPUREG_FORMAT_R8_UNORM:
            o8[i] = u8[4 * i];
            break;
        case GPUREG_FORMAT_RG8_UNORM:
            memcpy(o8 + 2 * i, u8 + 4 * i, 2);
            break;
        case GPUREG_FORMAT_BGRA8_UNORM:
            for (int c = 0; c < 4; c++)
                o8[4 * i + (size_t)c] = u8[4 * i + (size_t)(c == 3 ? 3 : 2 - c)];
            break;
        case GPUREG_FORMAT_RGBA16_FLOAT:
            for (size_t c = 0; c < 4; c++)
                o16[4 * i + c] = half_from_float(f32[4 * i + c]);
            break;
        case GPUREG_FORMAT_RGBA32_FLOAT:
            memcpy(o8 + 16 * i, f32 + 4 * i, 16);
            break;
        default:
            memcpy(o8 + 4 * i, u8 + 4 * i, 4);
            break; /* RGBA8, SRGB8_A8 */
        }
    }
}

static gpureg_result read_pixels(gl_backend *b, const gl_format *f, gpureg_format format,
                                 const gpureg_texture_region *rg, void *data) {
    GLint x = (GLint)rg->x, y = (GLint)rg->y;
    GLsizei w = (GLsizei)rg->width, h = (GLsizei)rg->height;
    GLint read_format = (GLint)f->format, read_type = (GLint)f->type;
    if (b->info.is_gles && !f->depth) {
        b->gl.GetIntegerv(GL_IMPLEMENTATION_COLOR_READ_FORMAT, &read_format);
        b->gl.GetIntegerv(GL_IMPLEMENTATION_COLOR_READ_TYPE, &read_type);
    }
    pixel_store saved;
    pixel_store_set(b, &saved, 1, (uint64_t)rg->width * f->texel_bytes, 0);
    gpureg_result r = GPUREG_OK;
    if ((GLenum)read_format == f->format && (GLenum)read_type == f->type) {
        b->gl.ReadPixels(x, y, w, h, f->format, f->type, data);
    } else {
        GLenum type = gl_format_is_float(format) ? GL_FLOAT : GL_UNSIGNED_BYTE;
        size_t texels = (size_t)rg->width * rg->height, size = texels * (type == GL_FLOAT ? 16u : 4u);
        void *rgba = gpureg__alloc(b->reg, size);
        if (rgba) {
            b->gl.ReadPixels(x, y, w, h, GL_RGBA, type, rgba);
            from_rgba(format, rgba, data, texels);
            gpureg__free(b->reg, rgba, size);
        } else {
            r = GPUREG_ERR_OUT_OF_MEMORY;
        }
    }
    pixel_store_restore(b, &saved);
    return r;
}

static void attach(const gl_backend *b, GLenum target, const gl_format *f, GLuint name,
                   const gpureg_texture_region *rg) {
    if (target == GL_TEXTURE_2D)
        b->gl.FramebufferTexture2D(GL_READ_FRAMEBUFFER, f->attachment, target, name, (GLint)rg->mip_level);
    else
        b->gl.FramebufferTextureLayer(GL_READ_FRAMEBUFFER, f->attachment, name, (GLint)rg->mip_level,
                                      (GLint)rg->array_layer);
}

/* glGetTextureSubImage reads any level and layer of any format, depth included, with no
 * framebuffer. */
static gpureg_result read_direct(gl_backend *b, GLuint name, const gl_format *f, const gpureg_texture_region *rg,
                                 void *data) {
    uint64_t row = (uint64_t)rg->width * f->texel_bytes;
    gl_binding pack = gl_bind(b, GL_PIXEL_PACK_BUFFER, 0);
    pixel_store saved;
    pixel_store_set(b, &saved, 1, row, 0);
    b->gl.GetTextureSubImage(name, (GLint)rg->mip_level, (GLint)rg->x, (GLint)rg->y, (GLint)rg->array_layer,
                             (GLsizei)rg->width, (GLsizei)rg->height, 1, f->format, f->type,
                             (GLsizei)(row * rg->height), data);
    pixel_store_restore(b, &saved);
    gl_unbind(b, pack, 0);
    return GPUREG_OK;
}

static gpureg_result texture_read(gl_backend *b, uint64_t native, const gpureg_texture_desc *desc,
                                  const gpureg_texture_region *rg, void *data);

gpureg_result gl_texture_read(void *be, uint64_t native, const gpureg__aux *aux, const gpureg_texture_desc *desc,
                              const gpureg_texture_region *rg, void *data) {
    (void)aux;
    gl_errors errors;
    gl_errors_begin(be, &errors);
    gpureg_result r = texture_read(be, native, desc, rg, data);
    gpureg_result e = gl_errors_end(be, &errors, "gpureg_texture_read (gl)");
    if (r == GPUREG_OK) r = e;
    if (r == GPUREG_OK && desc->format == GPUREG_FORMAT_D24_UNORM_S8_UINT) {
        unsigned char *texel = data; /* the caller's buffer need not be 4-aligned */
        for (size_t i = 0, count = (size_t)rg->width * rg->height; i < count; i++, texel += 4) {
            uint32_t v;
            memcpy(&v, texel, 4);
            v = d24s8_from_gl(v);
            memcpy(texel, &v, 4);
        }
    }
    return r;
}

static gpureg_result texture_read(gl_backend *b, uint64_t native, const gpureg_texture_desc *desc,
                                  const gpureg_texture_region *rg, void *data) {
    const gl_format *f = gl_format_of(b, desc->format);
    if (f->depth && b->info.is_gles)
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED,
                            "gpureg_texture_read (gl): GLES cannot read depth or stencil");
    if (gl_format_is_float(desc->format) && !(b->info.features & GPUREG_GL_FEATURE_FLOAT_RENDER))
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED,
                            "gpureg_texture_read (gl): float textures are readable only with EXT_color_buffer_float");
    GLenum target = gl_texture_target(desc);
    GLuint name = (GLuint)native;
    if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) return read_direct(b, name, f, rg, data);
    GLuint framebuffer = gl_read_framebuffer(b);
    gl_binding fb = gl_bind(b, GL_READ_FRAMEBUFFER, framebuffer);
    gl_binding pack = gl_bind(b, GL_PIXEL_PACK_BUFFER, 0);
    attach(b, target, f, name, rg);
    gpureg_result r = GPUREG_OK;
    GLenum status = b->gl.CheckFramebufferStatus(GL_READ_FRAMEBUFFER);
    if (status == GL_FRAMEBUFFER_COMPLETE)
        r = read_pixels(b, f, desc->format, rg, data);
    else
        r = gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED, "gpureg_texture_read (gl): %s is not readable here (0x%04x)",
                         gpureg_format_name(desc->format), (unsigned)status);
    /* Detach, so this framebuffer never keeps a deleted texture's storage alive. */
    attach(b, target, f, 0, rg);
    gl_unbind(b, pack, 0);
    gl_unbind(b, fb, framebuffer);
    return r;
}

gpureg_result gl_buffer_write(void *be, uint64_t native, const gpureg__aux *aux, const gpureg_buffer_desc *desc,
                              uint64_t offset, const void *data, uint64_t size) {
    gl_backend *b = be;
    (void)aux;
    (void)desc;
    GLuint name = (GLuint)native;
    gl_errors errors;
    gl_errors_begin(b, &errors);
    if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) {
        b->gl.NamedBufferSubData(name, (GLintptr)offset, (GLsizeiptr)size, data);
    } else {
        gl_binding saved = gl_bind(b, GL_COPY_WRITE_BUFFER, name);
        b->gl.BufferSubData(GL_COPY_WRITE_BUFFER, (GLintptr)offset, (GLsizeiptr)size, data);
        gl_unbind(b, saved, name);
    }
    return gl_errors_end(b, &errors, "gpureg_buffer_write (gl)");
}

/* GLES has no glGetBufferSubData: copy the range into a scratch buffer made for reading, map it. */
static void read_through_copy(gl_backend *b, uint64_t offset, void *data, uint64_t size) {
    GLuint scratch = 0;
    b->gl.GenBuffers(1, &scratch);
    gl_binding write = gl_bind(b, GL_COPY_WRITE_BUFFER, scratch);
    b->gl.BufferData(GL_COPY_WRITE_BUFFER, (GLsizeiptr)size, NULL, GL_STREAM_READ);
    b->gl.CopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, (GLintptr)offset, 0, (GLsizeiptr)size);
    const void *mapped = b->gl.MapBufferRange(GL_COPY_WRITE_BUFFER, 0, (GLsizeiptr)size, GL_MAP_READ_BIT);
    if (mapped) {
        memcpy(data, mapped, (size_t)size);
        b->gl.UnmapBuffer(GL_COPY_WRITE_BUFFER);
    }
    gl_unbind(b, write, scratch);
    b->gl.DeleteBuffers(1, &scratch);
}

gpureg_result gl_buffer_read(void *be, uint64_t native, const gpureg__aux *aux, const gpureg_buffer_desc *desc,
                             uint64_t offset, void *data, uint64_t size) {
    gl_backend *b = be;
    (void)aux;
    (void)desc;
    GLuint name = (GLuint)native;
    gl_errors errors;
    gl_errors_begin(b, &errors);
    if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) {
        b->gl.GetNamedBufferSubData(name, (GLintptr)offset, (GLsizeiptr)size, data);
    } else {
        gl_binding saved = gl_bind(b, GL_COPY_READ_BUFFER, name);
        if (b->gl.GetBufferSubData)
            b->gl.GetBufferSubData(GL_COPY_READ_BUFFER, (GLintptr)offset, (GLsizeiptr)size, data);
        else
            read_through_copy(b, offset, data, size);
        gl_unbind(b, saved, name);
    }
    return gl_errors_end(b, &errors, "gpureg_buffer_read (gl)");
}
