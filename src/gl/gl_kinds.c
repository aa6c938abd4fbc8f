/* gl_kinds.c — every kind of GL object by its gpureg_object_kind: the create op of the generic
 * kinds (the work is in gl_framebuffers.c, gl_samplers.c, gl_shaders.c), vertex arrays, and the
 * destroy, name, adoption check and adopt deleter of every kind. Once the context is lost nothing
 * here calls GL: the names died with it. */
#include "gl_backend.h"

/* glObjectLabel's identifier of each kind GL has; 0: not a GL kind. */
static GLenum label_identifier(gpureg_object_kind kind) {
    switch (kind) {
    case GPUREG_KIND_TEXTURE:
        return GL_TEXTURE;
    case GPUREG_KIND_BUFFER:
        return GL_BUFFER;
    case GPUREG_KIND_FRAMEBUFFER:
        return GL_FRAMEBUFFER;
    case GPUREG_KIND_RENDERBUFFER:
        return GL_RENDERBUFFER;
    case GPUREG_KIND_VERTEX_ARRAY:
        return GL_VERTEX_ARRAY;
    case GPUREG_KIND_SAMPLER:
        return GL_SAMPLER;
    case GPUREG_KIND_SHADER:
        return GL_SHADER;
    case GPUREG_KIND_PROGRAM:
        return GL_PROGRAM;
    default:
        return 0;
    }
}

int gl_kind_known(gpureg_object_kind kind) { return label_identifier(kind) != 0; }

/* An empty vertex array. Without direct state access a generated name is a vertex array only
 * once bound (glIsVertexArray, glObjectLabel), so it is bound once and the app's put back. */
static gpureg_result vertex_array_create(gl_backend *b, GLuint *name) {
    gl_errors errors;
    gl_errors_begin(b, &errors);
    if (b->info.features & GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS) {
        b->gl.CreateVertexArrays(1, name);
    } else {
        b->gl.GenVertexArrays(1, name);
        gl_binding saved = gl_bind(b, GL_VERTEX_ARRAY, *name);
        gl_unbind(b, saved, *name);
    }
    gpureg_result r = gl_errors_end(b, &errors, "gpureg_vertex_array_create (gl)");
    if (r != GPUREG_OK) {
        b->gl.DeleteVertexArrays(1, name);
        *name = 0;
    }
    return r;
}

gpureg_result gl_object_create(void *be, const gpureg__object_spec *spec, gpureg_handle handle, const char *driver_name,
                               uint64_t *native, gpureg__aux *aux) {
    gl_backend *b = be;
    (void)handle;
    (void)aux;
    if (b->lost) return GPUREG_ERR_DEVICE_LOST;
    GLuint name = 0;
    gpureg_result r;
    switch (spec->kind) {
    case GPUREG_KIND_RENDERBUFFER:
        r = gl_renderbuffer_create(b, &spec->renderbuffer, &name);
        break;
    case GPUREG_KIND_FRAMEBUFFER:
        r = gl_framebuffer_create(b, spec, &name);
        break;
    case GPUREG_KIND_VERTEX_ARRAY:
        r = vertex_array_create(b, &name);
        break;
    case GPUREG_KIND_SAMPLER:
        r = gl_sampler_create(b, &spec->sampler, &name);
        break;
    case GPUREG_KIND_SHADER:
        r = gl_shader_create(b, &spec->shader, &name);
        break;
    case GPUREG_KIND_PROGRAM:
        r = gl_program_create(b, spec, &name);
        break;
    default:
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED, "gpureg (gl): GL has no %s objects",
                            gpureg_kind_name(spec->kind));
    }
    if (r != GPUREG_OK) return r;
    gl_label(b, label_identifier(spec->kind), name, driver_name);
    *native = name;
    return GPUREG_OK;
}

void gl_object_destroy(void *be, gpureg_object_kind kind, uint64_t native, const gpureg__aux *aux) {
    gl_backend *b = be;
    GLuint name = (GLuint)native;
    (void)aux;
    if (b->lost) return;
    if (kind == GPUREG_KIND_TEXTURE) { /* the common kind, ahead of the switch's table */
        b->gl.DeleteTextures(1, &name);
        return;
    }
    switch (kind) {
    case GPUREG_KIND_BUFFER:
        b->gl.DeleteBuffers(1, &name);
        break;
    case GPUREG_KIND_FRAMEBUFFER:
        b->gl.DeleteFramebuffers(1, &name);
        break;
    case GPUREG_KIND_RENDERBUFFER:
        b->gl.DeleteRenderbuffers(1, &name);
        break;
    case GPUREG_KIND_VERTEX_ARRAY:
        b->gl.DeleteVertexArrays(1, &name);
        break;
    case GPUREG_KIND_SAMPLER:
        b->gl.DeleteSamplers(1, &name);
        break;
    case GPUREG_KIND_SHADER:
        b->gl.DeleteShader(name);
        break;
    case GPUREG_KIND_PROGRAM:
        b->gl.DeleteProgram(name);
        break;
    default:
        break; /* never created here */
    }
}

void gl_object_name(void *be, gpureg_object_kind kind, uint64_t native, const gpureg__aux *aux,
                    const char *driver_name) {
    gl_backend *b = be;
    (void)aux;
    GLenum identifier = label_identifier(kind);
    if (!b->lost && identifier) gl_label(b, identifier, (GLuint)native, driver_name);
}

GLboolean gl_is_kind(const gl_backend *b, gpureg_object_kind kind, GLuint name) {
    switch (kind) {
    case GPUREG_KIND_TEXTURE:
        return b->gl.IsTexture(name);
    case GPUREG_KIND_BUFFER:
        return b->gl.IsBuffer(name);
    case GPUREG_KIND_FRAMEBUFFER:
        return b->gl.IsFramebuffer(name);
    case GPUREG_KIND_RENDERBUFFER:
        return b->gl.IsRenderbuffer(name);
    case GPUREG_KIND_VERTEX_ARRAY:
        return b->gl.IsVertexArray(name);
    case GPUREG_KIND_SAMPLER:
        return b->caps.sampler_objects ? b->gl.IsSampler(name) : GL_FALSE;
    case GPUREG_KIND_SHADER:
        return b->gl.IsShader(name);
    case GPUREG_KIND_PROGRAM:
        return b->gl.IsProgram(name);
    default:
        return GL_FALSE;
    }
}

/* Adopted names are deleted through the same op as gpureg's own (so a lost context deletes
 * nothing either); `be` is the backend, given as the adopt's user pointer. */
#define GL_ADOPTED_DELETER(fn, kind)                                                                                   \
    static void fn(uint64_t native, void *be) { gl_object_destroy(be, kind, native, NULL); }
GL_ADOPTED_DELETER(delete_texture, GPUREG_KIND_TEXTURE)
GL_ADOPTED_DELETER(delete_buffer, GPUREG_KIND_BUFFER)
GL_ADOPTED_DELETER(delete_framebuffer, GPUREG_KIND_FRAMEBUFFER)
GL_ADOPTED_DELETER(delete_renderbuffer, GPUREG_KIND_RENDERBUFFER)
GL_ADOPTED_DELETER(delete_vertex_array, GPUREG_KIND_VERTEX_ARRAY)
GL_ADOPTED_DELETER(delete_sampler, GPUREG_KIND_SAMPLER)
GL_ADOPTED_DELETER(delete_shader, GPUREG_KIND_SHADER)
GL_ADOPTED_DELETER(delete_program, GPUREG_KIND_PROGRAM)
#undef GL_ADOPTED_DELETER

gpureg_adopt_destroy_fn gl_adopted_deleter(gpureg_object_kind kind) {
    switch (kind) {
    case GPUREG_KIND_TEXTURE:
        return delete_texture;
    case GPUREG_KIND_BUFFER:
        return delete_buffer;
    case GPUREG_KIND_FRAMEBUFFER:
        return delete_framebuffer;
    case GPUREG_KIND_RENDERBUFFER:
        return delete_renderbuffer;
    case GPUREG_KIND_VERTEX_ARRAY:
        return delete_vertex_array;
    case GPUREG_KIND_SAMPLER:
        return delete_sampler;
    case GPUREG_KIND_SHADER:
        return delete_shader;
    case GPUREG_KIND_PROGRAM:
        return delete_program;
    default:
        return NULL;
    }
}
