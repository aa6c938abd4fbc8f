/* gl_formats.c — gpureg formats as GL sees them, and what this context can make. The core has
 * already checked the desc against gpureg's own limits; here only the context's limits apply. */
#include <string.h>

#include "gl_backend.h"

static const gl_format formats[GPUREG_FORMAT_COUNT] = {
    [GPUREG_FORMAT_RGBA8_UNORM] = {GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE, GL_COLOR_ATTACHMENT0, 4, 0},
    [GPUREG_FORMAT_RGBA8_SRGB] = {GL_SRGB8_ALPHA8, GL_RGBA, GL_UNSIGNED_BYTE, GL_COLOR_ATTACHMENT0, 4, 0},
    [GPUREG_FORMAT_BGRA8_UNORM] = {GL_RGBA8, GL_BGRA, GL_UNSIGNED_BYTE, GL_COLOR_ATTACHMENT0, 4, 0},
    [GPUREG_FORMAT_R8_UNORM] = {GL_R8, GL_RED, GL_UNSIGNED_BYTE, GL_COLOR_ATTACHMENT0, 1, 0},
    [GPUREG_FORMAT_RG8_UNORM] = {GL_RG8, GL_RG, GL_UNSIGNED_BYTE, GL_COLOR_ATTACHMENT0, 2, 0},
    [GPUREG_FORMAT_RGBA16_FLOAT] = {GL_RGBA16F, GL_RGBA, GL_HALF_FLOAT, GL_COLOR_ATTACHMENT0, 8, 0},
    [GPUREG_FORMAT_RGBA32_FLOAT] = {GL_RGBA32F, GL_RGBA, GL_FLOAT, GL_COLOR_ATTACHMENT0, 16, 0},
    [GPUREG_FORMAT_D24_UNORM_S8_UINT] = {GL_DEPTH24_STENCIL8, GL_DEPTH_STENCIL, GL_UNSIGNED_INT_24_8,
                                         GL_DEPTH_STENCIL_ATTACHMENT, 4, 1},
    [GPUREG_FORMAT_D32_FLOAT] = {GL_DEPTH_COMPONENT32F, GL_DEPTH_COMPONENT, GL_FLOAT, GL_DEPTH_ATTACHMENT, 4, 1},
    [GPUREG_FORMAT_S8_UINT] = {GL_STENCIL_INDEX8, GL_STENCIL_INDEX, GL_UNSIGNED_BYTE, GL_STENCIL_ATTACHMENT, 1, 1},
};

void gl_formats_init(gl_backend *b) {
    memcpy(b->formats, formats, sizeof formats);
    if (!b->caps.stencil_textures) b->formats[GPUREG_FORMAT_S8_UINT].internal = 0;
    gl_format *bgra = &b->formats[GPUREG_FORMAT_BGRA8_UNORM];
    if (!(b->info.features & GPUREG_GL_FEATURE_BGRA)) bgra->internal = 0;
    /* GLES's BGRA8888 extension knows only the unsized BGRA internal format. */
    else if (b->info.is_gles)
        bgra->internal = bgra->format = GL_BGRA_EXT;
}

/* Every context renders to GL_STENCIL_INDEX8 renderbuffers (GL 3.0, GLES 3.0), textures of it
 * or not. A renderbuffer's texels never cross to the client, so BGRA8 is RGBA8 storage. */
GLenum gl_renderbuffer_format(const gl_backend *b, gpureg_format format) {
    if (gl_format_is_float(format) && !(b->info.features & GPUREG_GL_FEATURE_FLOAT_RENDER)) return 0;
    if (format == GPUREG_FORMAT_BGRA8_UNORM) return GL_RGBA8;
    return formats[format].internal;
}

/* Image load/store: GL 4.2 / GLES 3.1, and GLES allows only some formats in image units. */
static int storage_image_ok(const gl_backend *b, gpureg_format f) {
    int es = (int)b->info.is_gles;
    if (!gl_version_at_least(&b->info, es ? 3 : 4, es ? 1 : 2)) return 0;
    if (f == GPUREG_FORMAT_RGBA8_UNORM || gl_format_is_float(f)) return 1;
    return !es && (f == GPUREG_FORMAT_R8_UNORM || f == GPUREG_FORMAT_RG8_UNORM);
}

gpureg_result gl_texture_check(const gl_backend *b, const gpureg_texture_desc *d) {
    static const char fn[] = "gpureg_texture_create (gl)";
    if (!gl_format_of(b, d->format)->internal) {
        if (d->format == GPUREG_FORMAT_S8_UINT)
            return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED,
                                "%s: s8_uint textures need GL 4.4, ARB_texture_stencil8, GLES 3.2 or "
                                "OES_texture_stencil8 (a renderbuffer works everywhere)",
                                fn);
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED, "%s: format %s is not available in this context", fn,
                            gpureg_format_name(d->format));
    }
    if (d->width > b->info.max_texture_size || d->height > b->info.max_texture_size)
        return gpureg__fail(b->reg, GPUREG_ERR_INVALID_SIZE, "%s: %ux%u exceeds GL_MAX_TEXTURE_SIZE %u", fn, d->width,
                            d->height, b->info.max_texture_size);
    if (d->array_layers > b->info.max_array_layers)
        return gpureg__fail(b->reg, GPUREG_ERR_INVALID_SIZE, "%s: %u layers exceed GL_MAX_ARRAY_TEXTURE_LAYERS %u", fn,
                            d->array_layers, b->info.max_array_layers);
    if ((d->usage & GPUREG_TEXTURE_USAGE_STORAGE) && !storage_image_ok(b, d->format))
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED, "%s: storage usage with %s needs GL 4.2 / GLES 3.1", fn,
                            gpureg_format_name(d->format));
    if ((d->usage & GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT) && gl_format_is_float(d->format) &&
        !(b->info.features & GPUREG_GL_FEATURE_FLOAT_RENDER))
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED,
                            "%s: %s is not colour-renderable without "
                            "EXT_color_buffer_float",
                            fn, gpureg_format_name(d->format));
    return GPUREG_OK;
}

gpureg_result gl_buffer_check(const gl_backend *b, const gpureg_buffer_desc *d) {
    if ((d->usage & GPUREG_BUFFER_USAGE_STORAGE) && !(b->info.features & GPUREG_GL_FEATURE_STORAGE_BUFFERS))
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED,
                            "gpureg_buffer_create (gl): storage buffers need GL 4.3 / GLES 3.1");
    return GPUREG_OK;
}
