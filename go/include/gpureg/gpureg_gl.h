/* gpureg_gl.h — the OpenGL / OpenGL ES backend.
 *
 * A GL registry lives on the GL context current on the thread that creates it; that thread is the
 * owner thread and the context must be current there for every owner-thread call (creates, writes,
 * reads, frames, collection, destroy). Releases from other threads only queue the handle: the GL
 * name is deleted later, on the owner thread, once the fence of the last frame that could use it
 * has signalled (glFenceSync at gpureg_frame_end, polled without blocking).
 *
 * Supported contexts: desktop GL 3.2 core or newer, OpenGL ES 3.0 or newer. On 3.2, what needs
 * 3.3 is used only when present: sampler objects (GL 3.3, ARB_sampler_objects; without them
 * gpureg_sampler_create answers UNSUPPORTED) and texture swizzles (not used). gpureg loads every GL
 * function through the get_proc_address the app passes (glfwGetProcAddress, eglGetProcAddress,
 * SDL_GL_GetProcAddress, ...): no loader library, no link-time GL dependency.
 *
 * GL state: with direct state access (GL 4.5) gpureg binds no texture or buffer at all; otherwise
 * it binds what it needs and restores the previous binding afterwards (the texture binding of the
 * affected target on the active unit, GL_COPY_WRITE_BUFFER / GL_COPY_READ_BUFFER,
 * GL_READ_FRAMEBUFFER). For every transfer it sets GL_PIXEL_UNPACK_BUFFER / GL_PIXEL_PACK_BUFFER to
 * 0 and the pack/unpack alignment and row length to what the data needs, and puts the app's values
 * back. The other pixel-store values (SKIP_PIXELS, SKIP_ROWS, IMAGE_HEIGHT, SKIP_IMAGES) must be at
 * their defaults (0) when gpureg transfers.
 *
 * GL errors. A GL error the app left pending is the app's: no gpureg call fails because of it, and
 * glGetError still returns it after the call. A GL error of gpureg's own GL calls fails the gpureg
 * call (GPUREG_ERR_OUT_OF_MEMORY for GL_OUT_OF_MEMORY, else GPUREG_ERR_BACKEND), and is logged
 * (and, with KHR_debug, its driver message is in the ring). How gpureg tells the two apart, in
 * creates, transfers, gpureg_frame_end and gpureg_gl_create:
 *   - KHR_debug in use, GL_DEBUG_OUTPUT and GL_DEBUG_OUTPUT_SYNCHRONOUS on and a gpureg callback
 *     installed (the default with KHR_debug; the callback is checked at every call, the two
 *     enables once per frame serial: an app that turns debug output off in the middle of a frame
 *     is seen from the next frame on, and until then an error of gpureg's own GL calls may pass
 *     unnoticed): gpureg never calls glGetError. It counts the GL_DEBUG_TYPE_ERROR messages that reach its callback
 * during its own calls; the app's pending errors are not read at all. The flag set by a failing GL call of gpureg's may
 * still be pending afterwards (rely on the result, not on glGetError). Muting GL_DEBUG_TYPE_ERROR messages with
 * glDebugMessageControl hides gpureg's errors from it.
 *   - otherwise (no KHR_debug, debug_asynchronous, the app's callback installed over gpureg's,
 *     synchronous output turned off): gpureg reads the pending errors before its work (at most 8,
 *     one per code), reads its own after it, and raises each of the app's again with a call that
 *     makes exactly that code and changes no state: GL_INVALID_ENUM glIsEnabled(0),
 *     GL_INVALID_VALUE glGetStringi(GL_EXTENSIONS, 0xffffffff), GL_INVALID_OPERATION
 *     glUnmapBuffer(GL_COPY_WRITE_BUFFER) with 0 bound there, GL_INVALID_FRAMEBUFFER_OPERATION
 *     glReadPixels from gpureg's own framebuffer, which has nothing attached. The pending codes
 *     are the same afterwards (the order glGetError returns them in is GL's). GL_OUT_OF_MEMORY,
 *     GL_CONTEXT_LOST and the stack errors cannot be made on purpose: if the app left one of those
 *     pending, gpureg logs a warning naming it and it is no longer pending. gpureg's callback drops
 *     the messages of the errors it raises again (the app's own call already produced one each);
 *     a callback of the app's installed over gpureg's hears them (one GL_DEBUG_TYPE_ERROR message
 *     per error raised again).
 *
 * Several registries on one context share the debug callback as a chain. A registry installs its
 * callback over whatever it finds (the app's, or another registry's) and, while it is the one
 * installed, its ring receives the driver's messages (also those about another registry's objects:
 * they still name their handles). At destroy a registry puts back only what is still its own:
 *   - if its callback is still installed, it installs the one it found, skipping registries
 *     destroyed meanwhile, so the newest live registry of the context, or else the app's own
 *     callback (or none) as it was before the first registry, is installed again;
 *   - if another callback is installed (a later registry's, or one the app installed over it),
 *     it leaves that one in place, and the later registry, when destroyed, goes on to what this
 *     one had found.
 * So whatever the destroy order, every live registry keeps receiving messages (the newest one
 * receives them) and, once all are gone, the app's callback and user parameter are back.
 * GL_DEBUG_OUTPUT and GL_DEBUG_OUTPUT_SYNCHRONOUS are put back as the app had them before the first
 * registry of the chain only when the app's callback is installed again; while another registry is
 * left, they stay on. Late calls into any registry's callback after its destroy are dropped safely
 * by the guard.
 *
 * Object kinds. gpureg creates and adopts GL textures, buffers, framebuffers, renderbuffers,
 * vertex arrays, samplers, shaders and programs (gpureg.h's create calls; gpureg_gl_object_adopt
 * for names the app made). Framebuffers and vertex arrays are container objects that belong to
 * the one context they were made on: a GL registry makes and deletes them on its own context (the
 * one current at gpureg_gl_create, which must be current for every owner-thread call), and an
 * adopted framebuffer or vertex array must be a name of that context (gpureg checks with
 * glIsFramebuffer / glIsVertexArray there; a name of another context answers INVALID_ARGUMENT
 * unless that context shares it by chance, which GL cannot tell apart). Textures, buffers,
 * renderbuffers, samplers, shaders and programs are shared objects: any context of the share
 * group may use them, gpureg deletes them on its own.
 *
 * Lost contexts. A GL context can be lost (GPU reset, Android's EGL_CONTEXT_LOST, WebGL-style
 * resets). Where glGetGraphicsResetStatus exists (GL 4.5, GLES 3.2, or GL_KHR_robustness /
 * GL_ARB_robustness / GL_EXT_robustness), gpureg polls it at gpureg_frame_begin,
 * gpureg_frame_end and gpureg_collect; an app
 * that learns of the loss otherwise calls gpureg_gl_context_lost. Either way the registry enters
 * the lost state of gpureg.h's "Device loss": calls that would touch GL answer DEVICE_LOST, GL is
 * no longer called (not even glDelete*: the names died with the context, nor the call that would
 * take gpureg's debug callback off it: the context is gone), and the registry can still be
 * queried, reported and destroyed. Name lookups (gpureg_gl_texture_name, ...) still answer: the
 * names are the dead context's.
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

/* A get_proc_address for the GL context current on the calling thread, for apps that do not have
 * their windowing library's (glfwGetProcAddress, SDL_GL_GetProcAddress) at hand, such as a
 * language binding. It asks EGL (libEGL.so.1) and then GLX (libGLX.so.0, libGL.so.1) which
 * context is current, through the libraries the process has already loaded, whatever flags they
 * were opened with (a windowing library that opened them RTLD_LOCAL hides them from
 * dlsym(RTLD_DEFAULT)), and last through the global scope. It loads no library itself.
 * Returns NULL when no context is current on this thread; `why` (optional, `why_size` bytes)
 * then says what was tried, and on success which API was found.
 * @thread_safety any thread; the function it returns loads for the context found, on the thread
 *   that found it (gpureg_gl_create calls it during the call only).
 * @pointer_lifetime why is written during the call only. */
GPUREG_API gpureg_gl_get_proc_address_fn gpureg_gl_current_loader(char *why, size_t why_size);

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
 * With KHR_debug in use it installs its debug callback (see "Several registries on one context"
 * above) and enables GL_DEBUG_OUTPUT, and GL_DEBUG_OUTPUT_SYNCHRONOUS unless debug_asynchronous.
 * @errors NULL_POINTER (gl, gl->get_proc_address, out), INVALID_ARGUMENT (registry desc member out
 *   of range, unknown feature bits), UNSUPPORTED (no current context, or older than GL 3.2 / ES 3.0,
 *   or a required entry point missing: the log names it), OUT_OF_MEMORY. A GL error the app left
 *   pending is no error here and is still pending afterwards (see "GL errors" above); the same
 *   holds for every create, transfer and gpureg_frame_end of a GL registry, whose BACKEND and
 *   OUT_OF_MEMORY answers come from gpureg's own GL calls only.
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
    GPUREG_GL_ADOPT_DELETE = 1, /* gpureg deletes it (glDeleteTextures, glDeleteFramebuffers, ...) */
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

/* Adopt an app-made GL framebuffer, renderbuffer, vertex array, sampler, shader or program
 * (desc->kind says which): same refcount, deferred deletion (glDeleteFramebuffers, ...), label
 * and report as gpureg's own.
 * @errors NULL_POINTER, INVALID_ARGUMENT (name 0, not a name of that kind on the current context,
 *   a kind GL has not, unknown ownership), the desc errors of gpureg_object_adopt_at, UNSUPPORTED
 *   (not a GL registry; samplers without GL 3.3), WRONG_THREAD, DEVICE_LOST.
 * @thread_safety owner thread. @pointer_lifetime desc, label and site are copied. */
GPUREG_API gpureg_result gpureg_gl_object_adopt_at(gpureg_registry *reg, const gpureg_object_desc *desc, uint32_t name,
                                                   gpureg_gl_ownership ownership, const gpureg_site *site,
                                                   gpureg_object *out);
#define gpureg_gl_object_adopt(reg, desc, name, ownership, out)                                                        \
    gpureg_gl_object_adopt_at((reg), (desc), (name), (ownership), GPUREG_SITE_HERE, (out))

/* The GL name of a live object of a generic kind, and its kind (optional).
 * @errors NULL_POINTER (reg, out_name), the handle errors, UNSUPPORTED (not a GL registry).
 * @thread_safety any thread (wait-free); use the name on the owner thread. */
GPUREG_API gpureg_result gpureg_gl_object_name(const gpureg_registry *reg, gpureg_object obj, uint32_t *out_name,
                                               gpureg_object_kind *out_kind);

/* Tell the registry its context was lost (see "Lost contexts"). Idempotent.
 * @errors NULL_POINTER, UNSUPPORTED (not a GL registry), WRONG_THREAD. @thread_safety owner thread. */
GPUREG_API gpureg_result gpureg_gl_context_lost(gpureg_registry *reg);

#ifdef __cplusplus
}
#endif

#endif /* GPUREG_GL_H */
