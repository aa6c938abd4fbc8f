/* gl_backend.h — state and internal interfaces of the GL backend (gl_registry.c and the other gl_*.c).
 * Not installed. Every function here runs on the owner thread with the context current, except
 * where marked. */
#ifndef GPUREG_GL_BACKEND_H
#define GPUREG_GL_BACKEND_H

#include "core/backend.h"
#include "gl_api.h"
#include "gpureg/gpureg_gl.h"

/* Entry points every supported context has (GL 3.3 core, GLES 3.0). */
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
    X(PFNGLDELETESYNCPROC, DeleteSync)

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
    X(PFNGLGETNAMEDBUFFERSUBDATAPROC, GetNamedBufferSubData, "glGetNamedBufferSubData")

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

typedef struct gl_backend {
    gpureg_registry *reg;
    gpureg_gl_functions gl;
    gpureg_gl_info info;
    GLint max_label_length;

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

/* gl_functions.c: load entry points and read the context's version, limits and extensions.
 * Chooses info.features as (available & ~disabled). Fails naming the first missing entry point. */
gpureg_result gl_load(gl_backend *b, const gpureg_gl_desc *desc);

/* gl_formats.c */
/* The GL form of `format` in this context (internal == 0 when unsupported). */
gl_format gl_format_of(const gl_backend *b, gpureg_format format);
/* UNSUPPORTED (logged) when this context cannot make a texture of that desc. */
gpureg_result gl_texture_check(const gl_backend *b, const gpureg_texture_desc *desc);
gpureg_result gl_buffer_check(const gl_backend *b, const gpureg_buffer_desc *desc);
GLenum gl_texture_target(const gpureg_texture_desc *desc);

/* gl_objects.c: the vtable's create / destroy / name ops and adoption. */
gpureg__texture_create_fn gl_texture_create;
gpureg__buffer_create_fn gl_buffer_create;
gpureg__object_destroy_fn gl_object_destroy;
gpureg__object_name_fn gl_object_name;
void gl_adopted_texture_delete(uint64_t native, void *be);
void gl_adopted_buffer_delete(uint64_t native, void *be);

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
 * texture targets, GL_COPY_READ/WRITE_BUFFER, GL_PIXEL_PACK/UNPACK_BUFFER, GL_READ_FRAMEBUFFER. */
typedef struct gl_binding {
    GLenum target;
    GLint previous;
} gl_binding;
gl_binding gl_bind(const gl_backend *b, GLenum target, GLuint name);
void gl_unbind(const gl_backend *b, gl_binding saved, GLuint name);

#endif /* GPUREG_GL_BACKEND_H */
