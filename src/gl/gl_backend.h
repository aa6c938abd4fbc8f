/* gl_backend.h — state and internal interfaces of the GL backend (gl_registry.c and the other gl_*.c).
 * Not installed. Every function here runs on the owner thread with the context current, except
 * where marked. */
#ifndef GPUREG_GL_BACKEND_H
#define GPUREG_GL_BACKEND_H

#include "core/backend.h"
#include "gl_api.h"
#include "gpureg/gpureg_gl.h"

/* Entry points every supported context has (GL 3.2 core, GLES 3.0). */
#define GPUREG_GL_REQUIRED(X)                                                                                          \
    X(PFNGLGETERRORPROC, GetError)                                                                                     \
    X(PFNGLGETINTEGERVPROC, GetIntegerv)                                                                               \
    X(PFNGLGETSTRINGPROC, GetString)                                                                                   \
    X(PFNGLGETSTRINGIPROC, GetStringi)                                                                                 \
    X(PFNGLENABLEPROC, Enable)                                                                                         \
    X(PFNGLDISABLEPROC, Disable)                                                                                       \
    X(PFNGLISENABLEDPROC, IsEnabled)                                                                                   \
    X(PFNGLFLUSHPROC, Flush)                                                                                           \
    X(PFNGLGENTEXTURESPROC, GenTextures)                                                                               \
    X(PFNGLDELETETEXTURESPROC, DeleteTextures)                                                                         \
    X(PFNGLISTEXTUREPROC, IsTexture)                                                                                   \
    X(PFNGLBINDTEXTUREPROC, BindTexture)                                                                               \
    X(PFNGLTEXPARAMETERIPROC, TexParameteri)                                                                           \
    X(PFNGLTEXIMAGE2DPROC, TexImage2D)                                                                                 \
    X(PFNGLTEXIMAGE3DPROC, TexImage3D)                                                                                 \
    X(PFNGLTEXSUBIMAGE2DPROC, TexSubImage2D)                                                                           \
    X(PFNGLTEXSUBIMAGE3DPROC, TexSubImage3D)                                                                           \
    X(PFNGLPIXELSTOREIPROC, PixelStorei)                                                                               \
    X(PFNGLGENBUFFERSPROC, GenBuffers)                                                                                 \
    X(PFNGLDELETEBUFFERSPROC, DeleteBuffers)                                                                           \
    X(PFNGLISBUFFERPROC, IsBuffer)                                                                                     \
    X(PFNGLBINDBUFFERPROC, BindBuffer)                                                                                 \
    X(PFNGLBUFFERDATAPROC, BufferData)                                                                                 \
    X(PFNGLBUFFERSUBDATAPROC, BufferSubData)                                                                           \
    X(PFNGLCOPYBUFFERSUBDATAPROC, CopyBufferSubData)                                                                   \
    X(PFNGLMAPBUFFERRANGEPROC, MapBufferRange)                                                                         \
    X(PFNGLUNMAPBUFFERPROC, UnmapBuffer)                                                                               \
    X(PFNGLGENFRAMEBUFFERSPROC, GenFramebuffers)                                                                       \
    X(PFNGLDELETEFRAMEBUFFERSPROC, DeleteFramebuffers)                                                                 \
    X(PFNGLBINDFRAMEBUFFERPROC, BindFramebuffer)                                                                       \
    X(PFNGLFRAMEBUFFERTEXTURE2DPROC, FramebufferTexture2D)                                                             \
    X(PFNGLFRAMEBUFFERTEXTURELAYERPROC, FramebufferTextureLayer)                                                       \
    X(PFNGLCHECKFRAMEBUFFERSTATUSPROC, CheckFramebufferStatus)                                                         \
    X(PFNGLREADBUFFERPROC, ReadBuffer)                                                                                 \
    X(PFNGLREADPIXELSPROC, ReadPixels)                                                                                 \
    X(PFNGLFENCESYNCPROC, FenceSync)                                                                                   \
    X(PFNGLCLIENTWAITSYNCPROC, ClientWaitSync)                                                                         \
    X(PFNGLDELETESYNCPROC, DeleteSync)                                                                                 \
    X(PFNGLISFRAMEBUFFERPROC, IsFramebuffer)                                                                           \
    X(PFNGLFRAMEBUFFERRENDERBUFFERPROC, FramebufferRenderbuffer)                                                       \
    X(PFNGLDRAWBUFFERSPROC, DrawBuffers)                                                                               \
    X(PFNGLGENRENDERBUFFERSPROC, GenRenderbuffers)                                                                     \
    X(PFNGLDELETERENDERBUFFERSPROC, DeleteRenderbuffers)                                                               \
    X(PFNGLISRENDERBUFFERPROC, IsRenderbuffer)                                                                         \
    X(PFNGLBINDRENDERBUFFERPROC, BindRenderbuffer)                                                                     \
    X(PFNGLRENDERBUFFERSTORAGEPROC, RenderbufferStorage)                                                               \
    X(PFNGLRENDERBUFFERSTORAGEMULTISAMPLEPROC, RenderbufferStorageMultisample)                                         \
    X(PFNGLGENVERTEXARRAYSPROC, GenVertexArrays)                                                                       \
    X(PFNGLDELETEVERTEXARRAYSPROC, DeleteVertexArrays)                                                                 \
    X(PFNGLISVERTEXARRAYPROC, IsVertexArray)                                                                           \
    X(PFNGLBINDVERTEXARRAYPROC, BindVertexArray)                                                                       \
    X(PFNGLCREATESHADERPROC, CreateShader)                                                                             \
    X(PFNGLDELETESHADERPROC, DeleteShader)                                                                             \
    X(PFNGLISSHADERPROC, IsShader)                                                                                     \
    X(PFNGLSHADERSOURCEPROC, ShaderSource)                                                                             \
    X(PFNGLCOMPILESHADERPROC, CompileShader)                                                                           \
    X(PFNGLGETSHADERIVPROC, GetShaderiv)                                                                               \
    X(PFNGLGETSHADERINFOLOGPROC, GetShaderInfoLog)                                                                     \
    X(PFNGLCREATEPROGRAMPROC, CreateProgram)                                                                           \
    X(PFNGLDELETEPROGRAMPROC, DeleteProgram)                                                                           \
    X(PFNGLISPROGRAMPROC, IsProgram)                                                                                   \
    X(PFNGLATTACHSHADERPROC, AttachShader)                                                                             \
    X(PFNGLDETACHSHADERPROC, DetachShader)                                                                             \
    X(PFNGLLINKPROGRAMPROC, LinkProgram)                                                                               \
    X(PFNGLGETPROGRAMIVPROC, GetProgramiv)                                                                             \
    X(PFNGLGETPROGRAMINFOLOGPROC, GetProgramInfoLog)

/* Entry points of optional features, loaded only when the feature is in use. The second name is
 * the GLES extension spelling tried when the first is absent. */
#define GPUREG_GL_OPTIONAL(X)                                                                                          \
    X(PFNGLTEXSTORAGE2DPROC, TexStorage2D, "glTexStorage2D")                                                           \
    X(PFNGLTEXSTORAGE3DPROC, TexStorage3D, "glTexStorage3D")                                                           \
    X(PFNGLBUFFERSTORAGEPROC, BufferStorage, "glBufferStorageEXT")                                                     \
    X(PFNGLGETBUFFERSUBDATAPROC, GetBufferSubData, "glGetBufferSubData")                                               \
    X(PFNGLDEBUGMESSAGECALLBACKPROC, DebugMessageCallback, "glDebugMessageCallbackKHR")                                \
    X(PFNGLGETPOINTERVPROC, GetPointerv, "glGetPointervKHR")                                                           \
    X(PFNGLOBJECTLABELPROC, ObjectLabel, "glObjectLabelKHR")                                                           \
    X(PFNGLCREATETEXTURESPROC, CreateTextures, "glCreateTextures")                                                     \
    X(PFNGLTEXTURESTORAGE2DPROC, TextureStorage2D, "glTextureStorage2D")                                               \
    X(PFNGLTEXTURESTORAGE3DPROC, TextureStorage3D, "glTextureStorage3D")                                               \
    X(PFNGLTEXTURESUBIMAGE2DPROC, TextureSubImage2D, "glTextureSubImage2D")                                            \
    X(PFNGLTEXTURESUBIMAGE3DPROC, TextureSubImage3D, "glTextureSubImage3D")                                            \
    X(PFNGLGETTEXTURESUBIMAGEPROC, GetTextureSubImage, "glGetTextureSubImage")                                         \
    X(PFNGLCREATEBUFFERSPROC, CreateBuffers, "glCreateBuffers")                                                        \
    X(PFNGLNAMEDBUFFERSTORAGEPROC, NamedBufferStorage, "glNamedBufferStorage")                                         \
    X(PFNGLNAMEDBUFFERDATAPROC, NamedBufferData, "glNamedBufferData")                                                  \
    X(PFNGLNAMEDBUFFERSUBDATAPROC, NamedBufferSubData, "glNamedBufferSubData")                                         \
    X(PFNGLGETNAMEDBUFFERSUBDATAPROC, GetNamedBufferSubData, "glGetNamedBufferSubData")                                \
    X(PFNGLTEXTUREPARAMETERIPROC, TextureParameteri, "glTextureParameteri")                                            \
    X(PFNGLCREATEFRAMEBUFFERSPROC, CreateFramebuffers, "glCreateFramebuffers")                                         \
    X(PFNGLNAMEDFRAMEBUFFERTEXTUREPROC, NamedFramebufferTexture, "glNamedFramebufferTexture")                          \
    X(PFNGLNAMEDFRAMEBUFFERRENDERBUFFERPROC, NamedFramebufferRenderbuffer, "glNamedFramebufferRenderbuffer")           \
    X(PFNGLNAMEDFRAMEBUFFERDRAWBUFFERSPROC, NamedFramebufferDrawBuffers, "glNamedFramebufferDrawBuffers")              \
    X(PFNGLNAMEDFRAMEBUFFERREADBUFFERPROC, NamedFramebufferReadBuffer, "glNamedFramebufferReadBuffer")                 \
    X(PFNGLCHECKNAMEDFRAMEBUFFERSTATUSPROC, CheckNamedFramebufferStatus, "glCheckNamedFramebufferStatus")              \
    X(PFNGLCREATERENDERBUFFERSPROC, CreateRenderbuffers, "glCreateRenderbuffers")                                      \
    X(PFNGLNAMEDRENDERBUFFERSTORAGEPROC, NamedRenderbufferStorage, "glNamedRenderbufferStorage")                       \
    X(PFNGLNAMEDRENDERBUFFERSTORAGEMULTISAMPLEPROC, NamedRenderbufferStorageMultisample,                               \
      "glNamedRenderbufferStorageMultisample")                                                                         \
    X(PFNGLCREATEVERTEXARRAYSPROC, CreateVertexArrays, "glCreateVertexArrays")                                         \
    X(PFNGLCREATESAMPLERSPROC, CreateSamplers, "glCreateSamplers")                                                     \
    X(PFNGLGENSAMPLERSPROC, GenSamplers, "glGenSamplers")                                                              \
    X(PFNGLDELETESAMPLERSPROC, DeleteSamplers, "glDeleteSamplers")                                                     \
    X(PFNGLISSAMPLERPROC, IsSampler, "glIsSampler")                                                                    \
    X(PFNGLSAMPLERPARAMETERIPROC, SamplerParameteri, "glSamplerParameteri")                                            \
    X(PFNGLGETINTERNALFORMATIVPROC, GetInternalformativ, "glGetInternalformativ")

typedef struct gpureg_gl_functions {
#define GPUREG_GL_MEMBER(type, name, ...) type name;
    GPUREG_GL_REQUIRED(GPUREG_GL_MEMBER) GPUREG_GL_OPTIONAL(GPUREG_GL_MEMBER)
#undef GPUREG_GL_MEMBER
} gpureg_gl_functions;

/* What one gpureg_format is in GL. */
typedef struct gl_format {
    GLenum internal; /* sized internal format (0: not supported by this context) */
    GLenum format;   /* client data format of writes and reads */
    GLenum type;     /* client data type */
    GLenum attachment;
    uint8_t texel_bytes;
    uint8_t depth;
} gl_format;

typedef struct gl_fence {
    uint64_t serial;
    GLsync sync;
} gl_fence;

/* What one registry's debug callback replaced when it was installed: a link of the per-context
 * chain app -> first registry -> second registry ... (gl_debug.c keeps every installed link in
 * one process-wide list, under a mutex). */
typedef struct gl_debug_link {
    struct gl_debug_link *next;
    uint64_t token; /* this registry's guard token: the user parameter it installed */
    GLDEBUGPROC previous_callback;
    const void *previous_user;
    GLboolean previous_output, previous_synchronous; /* GL_DEBUG_OUTPUT(_SYNCHRONOUS) as found */
} gl_debug_link;

/* What the context offers beyond GL 3.2 core / GLES 3.0 that no gpureg_gl_feature bit names
 * (read once at gpureg_gl_create). */
typedef struct gl_caps {
    int sampler_objects;      /* GL 3.3, ARB_sampler_objects, GLES 3.0 */
    int stencil_textures;     /* GL_STENCIL_INDEX8 textures: GL 4.4, ARB_texture_stencil8, GLES 3.2,
                                 OES_texture_stencil8 */
    int compute_shaders;      /* GL 4.3, ARB_compute_shader, GLES 3.1 */
    int internalformat_query; /* per-format sample counts: GL 4.2, ARB_internalformat_query, GLES 3.0 */
    GLint max_renderbuffer_size, max_samples;
} gl_caps;

typedef struct gl_backend {
    gpureg_registry *reg;
    gpureg_gl_functions gl;
    gpureg_gl_info info;
    gl_caps caps;
    GLint max_label_length;
    /* The GL form of every gpureg_format in this context, made once at gl_load (gl_formats.c). */
    gl_format formats[GPUREG_FORMAT_COUNT];
    /* glGetGraphicsResetStatus under the name the context has it (NULL: no robustness). */
    PFNGLGETGRAPHICSRESETSTATUSPROC GetGraphicsResetStatus;
    /* The context is lost (gl_lost.c): from then on nothing calls GL. Owner thread only. */
    int lost;
    /* GL_DEBUG_OUTPUT and GL_DEBUG_OUTPUT_SYNCHRONOUS both on, as last read, and the frame serial
     * it was read in (UINT64_MAX: never): the error scope reads them once per frame (gl_debug.c). */
    int debug_enables_on;
    uint64_t debug_enables_serial;

    /* Fences of ended frames not yet seen signalled, oldest first (a ring of `cap` entries). */
    gl_fence *fences;
    uint32_t fence_head, fence_count, fence_cap;
    uint64_t completed; /* serial of the last fence seen signalled */

    GLuint read_framebuffer; /* made on the first texture read */

    /* The debug callback and output state this registry found at install (gl_debug.c). */
    gl_debug_link debug;
    int debug_linked;
} gl_backend;

/* The context's version is major.minor or newer. */
static inline int gl_version_at_least(const gpureg_gl_info *info, uint32_t major, uint32_t minor) {
    return info->major > major || (info->major == major && info->minor >= minor);
}

/* RGBA16F / RGBA32F: colour-renderable and readable only with float render targets on GLES. */
static inline int gl_format_is_float(gpureg_format f) {
    return f == GPUREG_FORMAT_RGBA16_FLOAT || f == GPUREG_FORMAT_RGBA32_FLOAT;
}

/* gl_registry.c: the backend of a GL registry; UNSUPPORTED (logged) for any other registry. */
gpureg_result gl_state(const gpureg_registry *reg, gl_backend **out, const char *fn);

/* gl_functions.c: load entry points and read the context's version, limits and extensions.
 * Chooses info.features as (available & ~disabled). Fails naming the first missing entry point. */
gpureg_result gl_load(gl_backend *b, const gpureg_gl_desc *desc);

/* gl_formats.c */
/* Fill b->formats from the context's features and caps (gl_load, once they are known). */
void gl_formats_init(gl_backend *b);
/* The GL form of `format` in this context (internal == 0 when unsupported). */
static inline const gl_format *gl_format_of(const gl_backend *b, gpureg_format format) { return &b->formats[format]; }
/* The renderbuffer internal format of `format` (0: none in this context). */
GLenum gl_renderbuffer_format(const gl_backend *b, gpureg_format format);
/* UNSUPPORTED (logged) when this context cannot make a texture of that desc. */
gpureg_result gl_texture_check(const gl_backend *b, const gpureg_texture_desc *desc);
gpureg_result gl_buffer_check(const gl_backend *b, const gpureg_buffer_desc *desc);
static inline GLenum gl_texture_target(const gpureg_texture_desc *desc) {
    return desc->array_layers > 1 ? GL_TEXTURE_2D_ARRAY : GL_TEXTURE_2D;
}

/* gl_objects.c: textures and buffers, the debug labels of every kind. */
gpureg__texture_create_fn gl_texture_create;
gpureg__buffer_create_fn gl_buffer_create;
/* glObjectLabel with `text` cut to GL_MAX_LABEL_LENGTH; nothing without KHR_debug. */
void gl_label(const gl_backend *b, GLenum identifier, GLuint name, const char *text);

/* gl_kinds.c: every kind by its gpureg_object_kind: the create op of the generic kinds, the
 * destroy and name ops of all, what adoption checks and who deletes an adopted name. */
gpureg__object_create_fn gl_object_create;
gpureg__object_destroy_fn gl_object_destroy;
gpureg__object_name_fn gl_object_name;
/* Whether GL has the kind at all (framebuffer .. program; texture, buffer). */
int gl_kind_known(gpureg_object_kind kind);
/* glIsTexture, glIsFramebuffer, ... for the kind. */
GLboolean gl_is_kind(const gl_backend *b, gpureg_object_kind kind, GLuint name);
/* The adopt deleter that deletes a name of that kind (through gl_object_destroy). */
gpureg_adopt_destroy_fn gl_adopted_deleter(gpureg_object_kind kind);

/* gl_framebuffers.c: renderbuffer storage and framebuffers of gpureg attachments. */
gpureg_result gl_renderbuffer_create(gl_backend *b, const gpureg_renderbuffer_desc *desc, GLuint *name);
gpureg_result gl_framebuffer_create(gl_backend *b, const gpureg__object_spec *spec, GLuint *name);

/* gl_shaders.c: GLSL shaders and programs; compile and link errors carry the driver's log. */
gpureg_result gl_shader_create(gl_backend *b, const gpureg_shader_desc *desc, GLuint *name);
gpureg_result gl_program_create(gl_backend *b, const gpureg__object_spec *spec, GLuint *name);

/* gl_samplers.c: sampler objects, and the GL parameters of a gpureg_sampler_state (textures
 * take the same ones). */
typedef struct gl_sampler_param {
    GLenum name;
    GLint value;
} gl_sampler_param;
enum { GL_SAMPLER_PARAMS = 4 };
/* The parameters of the members that are not DEFAULT (min and mip filter make one); the count. */
uint32_t gl_sampler_params(const gpureg_sampler_state *state, gl_sampler_param out[GL_SAMPLER_PARAMS]);
gpureg_result gl_sampler_create(gl_backend *b, const gpureg_sampler_state *state, GLuint *name);

/* gl_lost.c: lost contexts. gl_check_reset: DEVICE_LOST (logged once, naming `what`) when the
 * context is lost or glGetGraphicsResetStatus now says it was reset; else OK. Inline: every
 * collection polls. gl_context_reset: the reset `status` was seen; the context is lost from now. */
gpureg_result gl_context_reset(gl_backend *b, const char *what, GLenum status);
static inline gpureg_result gl_check_reset(gl_backend *b, const char *what) {
    if (b->lost) return GPUREG_ERR_DEVICE_LOST;
    /* One call per poll, and no error scope: it raises no GL error, and answers GL_NO_ERROR on a
     * context made without reset notification. */
    GLenum status = b->GetGraphicsResetStatus ? b->GetGraphicsResetStatus() : GL_NO_ERROR;
    return status == GL_NO_ERROR ? GPUREG_OK : gl_context_reset(b, what, status);
}

/* GL errors of gpureg's own work in one create, transfer or fence (gl_debug.c), kept apart from
 * errors the app left pending. Begin before the first GL call, end after the last one:
 *   - KHR_debug in use, GL_DEBUG_OUTPUT and GL_DEBUG_OUTPUT_SYNCHRONOUS on and gpureg's callback
 *     installed: glGetError is never called; the callback, which then runs inside each failing GL
 *     call on this thread, counts the errors of the scope.
 *   - otherwise: the errors pending at begin are read and kept, gpureg's own are read at end, and
 *     the kept ones are raised again (the same codes) before end returns.
 * One scope per thread at a time (not nested). */
enum { GL_ERRORS_KEPT = 8 }; /* GL keeps at most one flag per error code */
typedef struct gl_errors {
    int via_callback;
    int raising;         /* raising the app's errors again: gpureg's callback drops their messages */
    uint32_t seen;       /* GL_DEBUG_TYPE_ERROR messages heard in the scope (via_callback) */
    int out_of_memory;   /* one of them said out of memory */
    uint32_t kept_count; /* the app's pending errors, read at begin (not via_callback) */
    GLenum kept[GL_ERRORS_KEPT];
} gl_errors;
void gl_errors_begin(gl_backend *b, gl_errors *e);
/* OK, or the result of gpureg's own GL errors (OUT_OF_MEMORY or BACKEND, logged naming `what`;
 * `what` NULL: not logged). */
gpureg_result gl_errors_end(gl_backend *b, gl_errors *e, const char *what);
/* The framebuffer gpureg reads textures through (made on first use; nothing stays attached). */
GLuint gl_read_framebuffer(gl_backend *b);

/* gl_transfer.c */
gpureg__texture_write_fn gl_texture_write;
gpureg__texture_read_fn gl_texture_read;
gpureg__buffer_write_fn gl_buffer_write;
gpureg__buffer_read_fn gl_buffer_read;

/* gl_fences.c */
gpureg__fence_insert_fn gl_fence_insert;
gpureg__fence_poll_fn gl_fence_poll;
gpureg__fence_wait_fn gl_fence_wait;
void gl_fences_free(gl_backend *b);

/* gl_debug.c: install the guarded callback (when KHR_debug is in use) and take it down, putting
 * back only what is still this registry's to put back. */
void gl_debug_install(gl_backend *b, int asynchronous);
void gl_debug_remove(gl_backend *b);

/* Save and restore one binding around gpureg's own use of it (gl_objects.c). Targets: the two
 * texture targets, GL_COPY_READ/WRITE_BUFFER, GL_PIXEL_PACK/UNPACK_BUFFER, GL_READ_FRAMEBUFFER,
 * GL_DRAW_FRAMEBUFFER, GL_RENDERBUFFER, and GL_VERTEX_ARRAY for the vertex array binding. */
typedef struct gl_binding {
    GLenum target;
    GLint previous;
} gl_binding;
/* Bind `name` to `target` (glBindTexture, glBindBuffer, ...: the call the target takes). */
void gl_bind_name(const gl_backend *b, GLenum target, GLuint name);
/* The glGetIntegerv name of a target's binding. Inline with gl_bind: callers name a constant
 * target, so the query is a constant and the call is all that is left. */
static inline GLenum gl_binding_query(GLenum target) {
    switch (target) {
    case GL_TEXTURE_2D:
        return GL_TEXTURE_BINDING_2D;
    case GL_TEXTURE_2D_ARRAY:
        return GL_TEXTURE_BINDING_2D_ARRAY;
    case GL_COPY_READ_BUFFER:
        return GL_COPY_READ_BUFFER_BINDING;
    case GL_COPY_WRITE_BUFFER:
        return GL_COPY_WRITE_BUFFER_BINDING;
    case GL_PIXEL_PACK_BUFFER:
        return GL_PIXEL_PACK_BUFFER_BINDING;
    case GL_PIXEL_UNPACK_BUFFER:
        return GL_PIXEL_UNPACK_BUFFER_BINDING;
    case GL_DRAW_FRAMEBUFFER:
        return GL_DRAW_FRAMEBUFFER_BINDING;
    case GL_RENDERBUFFER:
        return GL_RENDERBUFFER_BINDING;
    case GL_VERTEX_ARRAY:
        return GL_VERTEX_ARRAY_BINDING;
    default:
        return GL_READ_FRAMEBUFFER_BINDING; /* GL_READ_FRAMEBUFFER */
    }
}
/* The binding found (one query), `name` bound unless it already was. */
static inline gl_binding gl_bind(const gl_backend *b, GLenum target, GLuint name) {
    gl_binding saved = {target, 0};
    b->gl.GetIntegerv(gl_binding_query(target), &saved.previous);
    if ((GLuint)saved.previous != name) gl_bind_name(b, target, name);
    return saved;
}
/* Put back what gl_bind found (no call when it was `name` already). */
static inline void gl_unbind(const gl_backend *b, gl_binding saved, GLuint name) {
    if ((GLuint)saved.previous != name) gl_bind_name(b, saved.target, (GLuint)saved.previous);
}

#endif /* GPUREG_GL_BACKEND_H */
