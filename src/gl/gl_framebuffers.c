/* gl_framebuffers.c — renderbuffers and framebuffers. With direct state access both are made and
 * filled by name and nothing is bound; otherwise gpureg binds them, works, and puts the app's
 * GL_RENDERBUFFER and draw / read framebuffer bindings back. */
#include "gl_backend.h"

/* GL_MAX_SAMPLES bounds every format; GL 4.2 and GLES 3.0 can say less for one format (float
 * formats on GLES, for one), and none at all for a format that cannot be multisampled. */
static GLint most_samples(const gl_backend *b, GLenum internal) {
    GLint most = b->caps.max_samples;
    if (b->caps.internalformat_query) {
        GLint counts = 0, first = 0;
        b->gl.GetInternalformativ(GL_RENDERBUFFER, internal, GL_NUM_SAMPLE_COUNTS, 1, &counts);
        if (counts > 0) b->gl.GetInternalformativ(GL_RENDERBUFFER, internal, GL_SAMPLES, 1, &first);
        if (first < most) most = first;
    }
    return most;
}

static void renderbuffer_storage(const gl_backend *b, GLuint name, GLenum internal, const gpureg_renderbuffer_desc *d) {
    GLsizei w = (GLsizei)d->width, h = (GLsizei)d->height, samples = (GLsizei)d->samples;
    if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) {
        if (samples > 1)
            b->gl.NamedRenderbufferStorageMultisample(name, samples, internal, w, h);
        else
            b->gl.NamedRenderbufferStorage(name, internal, w, h);
    } else if (samples > 1) {
        b->gl.RenderbufferStorageMultisample(GL_RENDERBUFFER, samples, internal, w, h);
    } else {
        b->gl.RenderbufferStorage(GL_RENDERBUFFER, internal, w, h);
    }
}

gpureg_result gl_renderbuffer_create(gl_backend *b, const gpureg_renderbuffer_desc *d, GLuint *name) {
    static const char fn[] = "gpureg_renderbuffer_create (gl)";
    GLenum internal = gl_renderbuffer_format(b, d->format);
    if (!internal)
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED, "%s: %s renderbuffers are not available in this context",
                            fn, gpureg_format_name(d->format));
    GLint max_size = b->caps.max_renderbuffer_size;
    if ((GLint)d->width > max_size || (GLint)d->height > max_size)
        return gpureg__fail(b->reg, GPUREG_ERR_INVALID_SIZE, "%s: %ux%u exceeds GL_MAX_RENDERBUFFER_SIZE %d", fn,
                            d->width, d->height, max_size);
    gl_errors errors;
    gl_errors_begin(b, &errors);
    GLint most = d->samples > 1 ? most_samples(b, internal) : 1;
    if ((GLint)d->samples > most) {
        (void)gl_errors_end(b, &errors, NULL);
        return gpureg__fail(b->reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: %u samples; %s takes at most %d here", fn,
                            d->samples, gpureg_format_name(d->format), most);
    }
    if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) {
        b->gl.CreateRenderbuffers(1, name);
        renderbuffer_storage(b, *name, internal, d);
    } else {
        b->gl.GenRenderbuffers(1, name);
        gl_binding saved = gl_bind(b, GL_RENDERBUFFER, *name);
        renderbuffer_storage(b, *name, internal, d);
        gl_unbind(b, saved, *name);
    }
    gpureg_result r = gl_errors_end(b, &errors, fn);
    if (r != GPUREG_OK) {
        b->gl.DeleteRenderbuffers(1, name);
        *name = 0;
    }
    return r;
}

static GLenum depth_stencil_point(gpureg_format f) {
    switch (f) {
    case GPUREG_FORMAT_D24_UNORM_S8_UINT:
        return GL_DEPTH_STENCIL_ATTACHMENT;
    case GPUREG_FORMAT_S8_UINT:
        return GL_STENCIL_ATTACHMENT;
    default:
        return GL_DEPTH_ATTACHMENT; /* D32_FLOAT */
    }
}

/* Attach everything, name the draw buffers, and say whether GL finds the result complete. By
 * name with direct state access, else on the framebuffer bound to both targets. */
static GLenum attach_all(const gl_backend *b, GLuint fb, const gpureg__object_spec *spec) {
    int direct = (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) != 0;
    uint32_t colors = spec->framebuffer.color_count;
    for (uint32_t i = 0; i < colors; i++) {
        GLenum point = GL_COLOR_ATTACHMENT0 + i;
        GLuint tex = (GLuint)spec->framebuffer.color[i];
        if (direct)
            b->gl.NamedFramebufferTexture(fb, point, tex, 0);
        else
            b->gl.FramebufferTexture2D(GL_DRAW_FRAMEBUFFER, point, GL_TEXTURE_2D, tex, 0);
    }
    if (spec->framebuffer.depth_stencil) {
        GLenum point = depth_stencil_point(spec->framebuffer.depth_stencil_format);
        GLuint ds = (GLuint)spec->framebuffer.depth_stencil;
        int renderbuffer = spec->framebuffer.depth_stencil_kind == GPUREG_KIND_RENDERBUFFER;
        if (direct && renderbuffer)
            b->gl.NamedFramebufferRenderbuffer(fb, point, GL_RENDERBUFFER, ds);
        else if (direct)
            b->gl.NamedFramebufferTexture(fb, point, ds, 0);
        else if (renderbuffer)
            b->gl.FramebufferRenderbuffer(GL_DRAW_FRAMEBUFFER, point, GL_RENDERBUFFER, ds);
        else
            b->gl.FramebufferTexture2D(GL_DRAW_FRAMEBUFFER, point, GL_TEXTURE_2D, ds, 0);
    }
    /* Draw into every colour attachment. With none, draw and read buffers are NONE: before GL
     * 4.1 a draw or read buffer naming an empty attachment leaves the framebuffer incomplete. */
    GLenum buffers[GPUREG_MAX_COLOR_ATTACHMENTS] = {GL_NONE};
    for (uint32_t i = 0; i < colors; i++)
        buffers[i] = GL_COLOR_ATTACHMENT0 + i;
    GLsizei count = colors ? (GLsizei)colors : 1;
    if (direct) {
        b->gl.NamedFramebufferDrawBuffers(fb, count, buffers);
        if (!colors) b->gl.NamedFramebufferReadBuffer(fb, GL_NONE);
        return b->gl.CheckNamedFramebufferStatus(fb, GL_DRAW_FRAMEBUFFER);
    }
    b->gl.DrawBuffers(count, buffers);
    if (!colors) b->gl.ReadBuffer(GL_NONE);
    return b->gl.CheckFramebufferStatus(GL_DRAW_FRAMEBUFFER);
}

gpureg_result gl_framebuffer_create(gl_backend *b, const gpureg__object_spec *spec, GLuint *name) {
    static const char fn[] = "gpureg_framebuffer_create (gl)";
    GLenum status;
    gl_errors errors;
    gl_errors_begin(b, &errors);
    if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) {
        b->gl.CreateFramebuffers(1, name);
        status = attach_all(b, *name, spec);
    } else {
        b->gl.GenFramebuffers(1, name);
        gl_binding draw = gl_bind(b, GL_DRAW_FRAMEBUFFER, *name);
        gl_binding read = gl_bind(b, GL_READ_FRAMEBUFFER, *name); /* glReadBuffer sets the read one */
        status = attach_all(b, *name, spec);
        gl_unbind(b, read, *name);
        gl_unbind(b, draw, *name);
    }
    gpureg_result r = gl_errors_end(b, &errors, fn);
    if (r == GPUREG_OK && status != GL_FRAMEBUFFER_COMPLETE)
        r = gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED,
                         "%s: this context cannot render to that combination of %u colour attachment(s)%s%s "
                         "(glCheckFramebufferStatus 0x%04x)",
                         fn, spec->framebuffer.color_count, spec->framebuffer.depth_stencil ? " and " : "",
                         spec->framebuffer.depth_stencil ? gpureg_format_name(spec->framebuffer.depth_stencil_format)
                                                         : "",
                         (unsigned)status);
    if (r != GPUREG_OK) {
        b->gl.DeleteFramebuffers(1, name);
        *name = 0;
    }
    return r;
}
