/* gl_samplers.c — sampling state in GL terms: sampler objects, and the parameters a texture's
 * desc sets on the texture itself. */
#include "gl_backend.h"

static GLint filter_of(gpureg_filter f) { return f == GPUREG_FILTER_NEAREST ? GL_NEAREST : GL_LINEAR; }

static GLint wrap_of(gpureg_wrap w) {
    switch (w) {
    case GPUREG_WRAP_CLAMP_TO_EDGE:
        return GL_CLAMP_TO_EDGE;
    case GPUREG_WRAP_MIRRORED_REPEAT:
        return GL_MIRRORED_REPEAT;
    default:
        return GL_REPEAT;
    }
}

/* GL folds the mip filter into the minification filter. A member left DEFAULT takes its part of
 * GL's default, GL_NEAREST_MIPMAP_LINEAR: a NEAREST minification, a LINEAR mip filter. */
static GLint min_filter_of(gpureg_filter min, gpureg_mip_filter mip) {
    int linear = min == GPUREG_FILTER_LINEAR;
    switch (mip) {
    case GPUREG_MIP_FILTER_NONE:
        return linear ? GL_LINEAR : GL_NEAREST;
    case GPUREG_MIP_FILTER_NEAREST:
        return linear ? GL_LINEAR_MIPMAP_NEAREST : GL_NEAREST_MIPMAP_NEAREST;
    default:
        return linear ? GL_LINEAR_MIPMAP_LINEAR : GL_NEAREST_MIPMAP_LINEAR;
    }
}

uint32_t gl_sampler_params(const gpureg_sampler_state *s, gl_sampler_param out[GL_SAMPLER_PARAMS]) {
    uint32_t n = 0;
    if (s->min_filter != GPUREG_FILTER_DEFAULT || s->mip_filter != GPUREG_MIP_FILTER_DEFAULT)
        out[n++] = (gl_sampler_param){GL_TEXTURE_MIN_FILTER, min_filter_of(s->min_filter, s->mip_filter)};
    if (s->mag_filter != GPUREG_FILTER_DEFAULT)
        out[n++] = (gl_sampler_param){GL_TEXTURE_MAG_FILTER, filter_of(s->mag_filter)};
    if (s->wrap_u != GPUREG_WRAP_DEFAULT) out[n++] = (gl_sampler_param){GL_TEXTURE_WRAP_S, wrap_of(s->wrap_u)};
    if (s->wrap_v != GPUREG_WRAP_DEFAULT) out[n++] = (gl_sampler_param){GL_TEXTURE_WRAP_T, wrap_of(s->wrap_v)};
    return n;
}

/* A sampler object binds to no target: nothing to save or restore, with or without direct state
 * access. The core filled every member, so every parameter is set. */
gpureg_result gl_sampler_create(gl_backend *b, const gpureg_sampler_state *state, GLuint *name) {
    if (!b->caps.sampler_objects)
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED,
                            "gpureg_sampler_create (gl): sampler objects need GL 3.3, ARB_sampler_objects or GLES 3.0");
    gl_sampler_param params[GL_SAMPLER_PARAMS];
    uint32_t n = gl_sampler_params(state, params);
    gl_errors errors;
    gl_errors_begin(b, &errors);
    if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS)
        b->gl.CreateSamplers(1, name);
    else
        b->gl.GenSamplers(1, name);
    for (uint32_t i = 0; i < n; i++)
        b->gl.SamplerParameteri(*name, params[i].name, params[i].value);
    gpureg_result r = gl_errors_end(b, &errors, "gpureg_sampler_create (gl)");
    if (r != GPUREG_OK) {
        b->gl.DeleteSamplers(1, name);
        *name = 0;
    }
    return r;
}
