/* gpureg_gl.h — the OpenGL / OpenGL ES backend.
 *
 * A GL registry lives on the GL context current on the thread that creates it; that thread is the
 * owner thread and the context must be current there for every owner-thread call (creates, writes,
 * reads, frames, collection, destroy). Releases from other threads only queue the handle: the GL
 * name is deleted later, on the owner thread, once the fence of the last frame that could use it
 * has signalled (glFenceSync at gpureg_frame_end, polled without blocking).
 *
 * Supported contexts: desktop GL 3.3 core or newer, OpenGL ES 3.0 or newer. gpureg loads every GL
 * function through the get_proc_address the app passes (glfwGetProcAddress, eglGetProcAddress,
 * SDL_GL_GetProcAddress, ...): no loader library, no link-time GL dependency.
 *
 * GL state: with direct state access (GL 4.5) gpureg binds no texture or buffer at all; otherwise
 * it binds what it needs and restores the previous binding afterwards (the texture binding of the
 * affected target on the active unit, GL_COPY_WRITE_BUFFER / GL_COPY_READ_BUFFER,
 * GL_READ_FRAMEBUFFER). For every transfer it sets GL_PIXEL_UNPACK_BUFFER / GL_PIXEL_PACK_BUFFER to
 * 0 and the pack/unpack alignment and row length to what the data needs, and puts the app's values
 * back. The other pixel-store values (SKIP_PIXELS, SKIP_ROWS, IMAGE_HEIGHT, SKIP_IMAGES) must be at
 * their defaults (0) when gpureg transfers. gpureg calls glGetError after creates and transfers to
 * detect GL_OUT_OF_MEMORY, which consumes an error the app left pending: check yours before calling
 * gpureg, or use KHR_debug.
 *
 * One GL registry per context: a second registry on the same context takes over the debug
 * callback (the first then receives no driver messages; late calls into either are still made
 * safe by the guard) and puts the first one's back when it is destroyed.
 *
 * Handles never alias a reused GL name: GL gives a deleted name out again at once, but the gpureg
 * handle of the deleted object answers GPUREG_ERR_STALE_HANDLE forever.
 */
#ifndef GPUREG_GL_H
#define GPUREG_GL_H

#include "gpureg/gpureg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Any GL entry point, as loaders return it. */
typedef void (*gpureg_gl_proc)(void);
/* glfwGetProcAddress and eglGetProcAddress have this type; SDL_GL_GetProcAddress needs a cast. */
typedef gpureg_gl_proc (*gpureg_gl_get_proc_address_fn)(const char *name);

/* Optional paths. gpureg uses each one the context offers unless the desc disables it;
 * gpureg_gl_get_info says which are in use. */
typedef enum gpureg_gl_feature {
    /* Immutable storage: glTexStorage2D/3D (GL 4.2, ARB_texture_storage, GLES 3.0). Without it:
     * glTexImage2D/3D per mip level. */
    GPUREG_GL_FEATURE_TEXTURE_STORAGE = 1u << 0,
    /* glBufferStorage (GL 4.4, ARB_buffer_storage, EXT_buffer_storage). Without it: glBufferData. */
    GPUREG_GL_FEATURE_BUFFER_STORAGE = 1u << 1,
    /* KHR_debug (GL 4.3, GLES 3.2, the extension): debug callback into the message ring and object
     * labels. Without it the registry works, says so in the log, and has no driver messages. */
    GPUREG_GL_FEATURE_DEBUG = 1u << 2,
    /* Shader storage buffers (GL 4.3, GLES 3.1): GPUREG_BUFFER_USAGE_STORAGE. */
    GPUREG_GL_FEATURE_STORAGE_BUFFERS = 1u << 3,
    /* BGRA8 textures (desktop GL; GLES with EXT_texture_format_BGRA8888). */
    GPUREG_GL_FEATURE_BGRA = 1u << 4,
    /* Float colour attachments (desktop GL; GLES with EXT_color_buffer_float): RGBA16F/RGBA32F
     * with COLOR_ATTACHMENT usage and read back. */
    GPUREG_GL_FEATURE_FLOAT_RENDER = 1u << 5,
    /* Direct state access (GL 4.5, ARB_direct_state_access; needs TEXTURE_STORAGE): objects are
     * made, filled and read by name, with no binding to save and restore and no framebuffer for
     * reads. Without it: bind, work, restore. */
    GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS = 1u << 6,
    GPUREG_GL_FEATURE_ALL = (1u << 7) - 1u,
    GPUREG_GL_FEATURE_FORCE32 = 0x7fffffff
} gpureg_gl_feature;

/*
 * GL backend desc. Zero-initialise; defaults:
 *   get_proc_address     required
 *   disable_features     0: use every feature the context has (set bits to force fallbacks)
 *   debug_asynchronous   0: GL_DEBUG_OUTPUT_SYNCHRONOUS is enabled, so a message arrives inside the
 *                        GL call that caused it, on the owner thread, and is mapped to the object
 *                        gpureg was working on. 1: leave asynchronous output allowed (faster on
 *                        some drivers; messages may come from driver threads; the guard still
 *                        makes late ones safe).
 */
typedef struct gpureg_gl_desc {
    gpureg_gl_get_proc_address_fn get_proc_address;
    uint32_t disable_features; /* gpureg_gl_feature bits */
    int debug_asynchronous;
} gpureg_gl_desc;

/* Create a registry on the GL context current on the calling thread, which becomes the owner.
 * @errors NULL_POINTER (gl, gl->get_proc_address, out), INVALID_ARGUMENT (registry desc member out
 *   of range, unknown feature bits), UNSUPPORTED (no current context, or older than GL 3.3 / ES 3.0,
 *   or a required entry point missing: the log names it), OUT_OF_MEMORY.
 * @thread_safety any thread with a current GL context; it becomes the owner thread.
 * desc may be NULL: every registry default.
 * @pointer_lifetime gl and desc are read during the call only; *out is valid until gpureg_destroy,
 *   which must run on the owner thread with the context still current. */
GPUREG_API gpureg_result gpureg_gl_create(const gpureg_gl_desc *gl, const gpureg_registry_desc *desc,
                                          gpureg_registry **out);

/* What the context is and which paths gpureg chose. */
typedef struct gpureg_gl_info {
    uint32_t is_gles; /* 1: OpenGL ES */
    uint32_t major, minor;
    uint32_t features;          /* gpureg_gl_feature bits in use */
    uint32_t max_texture_size;  /* GL_MAX_TEXTURE_SIZE: larger textures answer INVALID_SIZE */
    uint32_t max_array_layers;  /* GL_MAX_ARRAY_TEXTURE_LAYERS */
    uint32_t debug_synchronous; /* 1: GL_DEBUG_OUTPUT_SYNCHRONOUS is on */
    uint32_t reserved;
} gpureg_gl_info;

/* @errors NULL_POINTER, UNSUPPORTED (not a GL registry). @thread_safety any thread.
 * @pointer_lifetime *out is written during the call; it holds no pointers. */
GPUREG_API gpureg_result gpureg_gl_get_info(const gpureg_registry *reg, gpureg_gl_info *out);

/* The GL name of a live texture, and its target (GL_TEXTURE_2D or GL_TEXTURE_2D_ARRAY; optional).
 * The name is valid until the handle is released; after that GL may give it to another object.
 * @errors NULL_POINTER (reg, out_name), the handle errors, UNSUPPORTED (not a GL registry).
 * @thread_safety any thread (wait-free); use the name on the owner thread.
 * @pointer_lifetime out_name and out_target are written during the call only. */
GPUREG_API gpureg_result gpureg_gl_texture_name(const gpureg_registry *reg, gpureg_texture tex, uint32_t *out_name,
                                                uint32_t *out_target);
/* The GL name of a live buffer. Errors and threads as gpureg_gl_texture_name. */
GPUREG_API gpureg_result gpureg_gl_buffer_name(const gpureg_registry *reg, gpureg_buffer buf, uint32_t *out_name);

/* Who deletes an adopted GL object when its handle's refcount reaches 0 and its fence signalled. */
typedef enum gpureg_gl_ownership {
    GPUREG_GL_ADOPT_DELETE = 1, /* gpureg deletes it (glDeleteTextures / glDeleteBuffers) */
    GPUREG_GL_ADOPT_KEEP = 2,   /* gpureg only tracks it; the app keeps and deletes the name */
    GPUREG_GL_OWNERSHIP_FORCE32 = 0x7fffffff
} gpureg_gl_ownership;

/* Put an app-created GL texture / buffer under a handle: same refcount, deferred deletion, label
 * (glObjectLabel) and report as gpureg's own. `desc` describes the object as the app made it
 * (used for the report and for transfers through gpureg).
 * @errors NULL_POINTER, INVALID_ARGUMENT (name 0 or not a texture/buffer name, unknown ownership),
 *   the desc errors of gpureg_texture_create_at, WRONG_THREAD, DEVICE_LOST.
 * @thread_safety owner thread. @pointer_lifetime desc, label and site are copied. */
GPUREG_API gpureg_result gpureg_gl_texture_adopt_at(gpureg_registry *reg, const gpureg_texture_desc *desc,
                                                    uint32_t name, gpureg_gl_ownership ownership,
                                                    const gpureg_site *site, gpureg_texture *out);
GPUREG_API gpureg_result gpureg_gl_buffer_adopt_at(gpureg_registry *reg, const gpureg_buffer_desc *desc, uint32_t name,
                                                   gpureg_gl_ownership ownership, const gpureg_site *site,
                                                   gpureg_buffer *out);
#define gpureg_gl_texture_adopt(reg, desc, name, ownership, out)                                                       \
    gpureg_gl_texture_adopt_at((reg), (desc), (name), (ownership), GPUREG_SITE_HERE, (out))
#define gpureg_gl_buffer_adopt(reg, desc, name, ownership, out)                                                        \
    gpureg_gl_buffer_adopt_at((reg), (desc), (name), (ownership), GPUREG_SITE_HERE, (out))

#ifdef __cplusplus
}
#endif

#endif /* GPUREG_GL_H */
