/* gl_shaders.c — GLSL shaders and programs. A compile or link error is the app's input, not a GL
 * error: it answers INVALID_ARGUMENT with the driver's info log in the log line, and nothing is
 * left behind. Neither binds anything. */
#include "gl_backend.h"

/* The log line holds about this much of an info log (errors.c formats into 512 bytes). */
enum { INFO_LOG_SHOWN = 400 };

static GLenum shader_type(gpureg_shader_stage stage) {
    switch (stage) {
    case GPUREG_STAGE_VERTEX:
        return GL_VERTEX_SHADER;
    case GPUREG_STAGE_FRAGMENT:
        return GL_FRAGMENT_SHADER;
    default:
        return GL_COMPUTE_SHADER;
    }
}

static const char *stage_name(gpureg_shader_stage stage) {
    return stage == GPUREG_STAGE_VERTEX ? "vertex" : stage == GPUREG_STAGE_FRAGMENT ? "fragment" : "compute";
}

gpureg_result gl_shader_create(gl_backend *b, const gpureg_shader_desc *d, GLuint *name) {
    static const char fn[] = "gpureg_shader_create (gl)";
    if (d->stage == GPUREG_STAGE_COMPUTE && !b->caps.compute_shaders)
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED, "%s: compute shaders need GL 4.3 or GLES 3.1", fn);
    /* The length argument: the code needs no terminating NUL (the core bounds code_size to 16 MiB). */
    const GLchar *text = d->code;
    GLint length = (GLint)d->code_size;
    GLint compiled = GL_FALSE;
    char info[INFO_LOG_SHOWN] = "";
    gl_errors errors;
    gl_errors_begin(b, &errors);
    *name = b->gl.CreateShader(shader_type(d->stage));
    if (*name) {
        b->gl.ShaderSource(*name, 1, &text, &length);
        b->gl.CompileShader(*name);
        b->gl.GetShaderiv(*name, GL_COMPILE_STATUS, &compiled);
        if (!compiled) b->gl.GetShaderInfoLog(*name, (GLsizei)sizeof info, NULL, info);
    }
    gpureg_result r = gl_errors_end(b, &errors, fn);
    if (r == GPUREG_OK && !*name) r = gpureg__fail(b->reg, GPUREG_ERR_BACKEND, "%s: glCreateShader returned 0", fn);
    if (r == GPUREG_OK && !compiled)
        r = gpureg__fail(b->reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: the %s shader does not compile: %s", fn,
                         stage_name(d->stage), info);
    if (r != GPUREG_OK && *name) {
        b->gl.DeleteShader(*name);
        *name = 0;
    }
    return r;
}

/* GL refuses to attach a shader twice, and GLES a second shader of one stage, with a GL error:
 * say so before attaching anything. */
static gpureg_result attachable(gl_backend *b, const gpureg__object_spec *spec, const char *fn) {
    GLint types[8] = {0};
    for (uint32_t i = 0; i < spec->program.count; i++) {
        b->gl.GetShaderiv((GLuint)spec->program.shaders[i], GL_SHADER_TYPE, &types[i]);
        for (uint32_t j = 0; j < i; j++) {
            if (spec->program.shaders[j] == spec->program.shaders[i])
                return gpureg__fail(b->reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: shaders[%u] is shaders[%u] again", fn, i,
                                    j);
            if (b->info.is_gles && types[j] == types[i])
                return gpureg__fail(b->reg, GPUREG_ERR_INVALID_ARGUMENT,
                                    "%s: shaders[%u] and shaders[%u] have one stage; GLES links one shader per stage",
                                    fn, j, i);
        }
    }
    return GPUREG_OK;
}

/* Link the shaders, then detach them again: the program keeps what it linked, and a detached
 * shader object is deleted with its own handle, not held alive by the program. */
gpureg_result gl_program_create(gl_backend *b, const gpureg__object_spec *spec, GLuint *name) {
    static const char fn[] = "gpureg_program_create (gl)";
    gpureg_result r = attachable(b, spec, fn);
    if (r != GPUREG_OK) return r;
    GLint linked = GL_FALSE;
    char info[INFO_LOG_SHOWN] = "";
    gl_errors errors;
    gl_errors_begin(b, &errors);
    *name = b->gl.CreateProgram();
    if (*name) {
        for (uint32_t i = 0; i < spec->program.count; i++)
            b->gl.AttachShader(*name, (GLuint)spec->program.shaders[i]);
        b->gl.LinkProgram(*name);
        b->gl.GetProgramiv(*name, GL_LINK_STATUS, &linked);
        if (!linked) b->gl.GetProgramInfoLog(*name, (GLsizei)sizeof info, NULL, info);
        for (uint32_t i = 0; i < spec->program.count; i++)
            b->gl.DetachShader(*name, (GLuint)spec->program.shaders[i]);
    }
    r = gl_errors_end(b, &errors, fn);
    if (r == GPUREG_OK && !*name) r = gpureg__fail(b->reg, GPUREG_ERR_BACKEND, "%s: glCreateProgram returned 0", fn);
    if (r == GPUREG_OK && !linked)
        r = gpureg__fail(b->reg, GPUREG_ERR_INVALID_ARGUMENT, "%s: the program does not link: %s", fn, info);
    if (r != GPUREG_OK && *name) {
        b->gl.DeleteProgram(*name);
        *name = 0;
    }
    return r;
}
