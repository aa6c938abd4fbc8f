/*
 * gpureg.h — GPU object registry: integer handles, refcounts, deferred destruction, leak report.
 *
 * ===========================================================================================
 *  MANUAL
 * ===========================================================================================
 *
 * gpureg owns GPU textures and buffers behind 64-bit integer handles. You create an object, get a
 * handle, and from then on every thread may retain, release, resolve (handle -> native GL name /
 * Vulkan handle) and query it without locks. When the last reference goes, the handle is dead at
 * once for the application, but the GPU object lives on until the fence of the last frame that
 * could have used it has signalled; then the *owner thread* destroys it. At shutdown gpureg tells
 * you which objects leaked, how big they are, and which line of code created them.
 *
 *   gpureg_registry *reg = NULL;
 *   gpureg_registry_desc rd = {0};                      // zero = documented defaults
 *   gpureg_null_create(&rd, &reg);                      // or gpureg_gl_create / gpureg_vk_create
 *
 *   gpureg_texture tex;
 *   gpureg_texture_desc td = {.width = 64, .height = 64, .format = GPUREG_FORMAT_RGBA8_UNORM,
 *                             .label = "player sprite"};
 *   if (gpureg_texture_create(reg, &td, &tex) != GPUREG_OK) { ... }   // captures file:line:func
 *
 *   gpureg_frame_begin(reg);            // collects what the GPU has finished with
 *   uint64_t native; gpureg_texture_native(reg, tex, &native);       // any thread, wait-free
 *   ... record and submit GPU work that uses the texture ...
 *   gpureg_texture_release(reg, tex);   // any thread; destruction is deferred
 *   gpureg_frame_end(reg);              // records this frame's fence
 *
 *   int leaks = gpureg_destroy(reg);    // waits for fences, destroys, prints the leak report
 *
 * Handles
 *   A handle is a uint64_t; 0 is never valid. Layout (bit 0 = least significant):
 *     bits  0..31  slot index
 *     bits 32..51  generation of the slot (1..GPUREG_MAX_GENERATION; 0 is never issued)
 *     bits 52..53  object type (gpureg_object_type: 1 texture, 2 buffer, 3 any other kind)
 *     bits 54..63  registry tag (1..1023; distinct among registries alive at the same time)
 *   Every call that takes a handle checks all four parts and answers, distinctly:
 *     GPUREG_ERR_INVALID_HANDLE  0, or never issued by this registry (forged)
 *     GPUREG_ERR_FOREIGN_HANDLE  issued by another registry
 *     GPUREG_ERR_WRONG_TYPE      a buffer handle where a texture is expected, or the reverse
 *     GPUREG_ERR_RELEASED        refcount reached 0; destruction is pending
 *     GPUREG_ERR_STALE_HANDLE    the object has been destroyed
 *   A stale handle never aliases a newer object: slots are reused first-in first-out, every reuse
 *   bumps the generation, and a slot whose generation is exhausted is retired for good.
 *   Checks run in this order, and the first that fails gives the answer: 0 → INVALID_HANDLE; tag
 *   not this registry's (tag 0, never issued, included) → FOREIGN_HANDLE; type bits 0 →
 *   INVALID_HANDLE; type not the expected one → WRONG_TYPE; generation 0 → INVALID_HANDLE;
 *   generation at or below this registry's first (see below) → FOREIGN_HANDLE; slot index never
 *   issued, or generation above the slot's → INVALID_HANDLE; generation below the slot's →
 *   STALE_HANDLE; slot of another type → INVALID_HANDLE; then the state: RELEASED or STALE_HANDLE.
 *   So a handle whose type bits were flipped answers WRONG_TYPE where a type is expected and
 *   INVALID_HANDLE where any type is accepted.
 *   Registries that come and go: a tag is reused once its registry is destroyed, but a handle of a
 *   destroyed registry never resolves on a later one. Each tag remembers the highest generation
 *   its registries issued; the next registry with that tag starts every slot above it and answers
 *   FOREIGN_HANDLE for a handle at or below it. This holds for any sequence of registries in one
 *   process. Its limit: a tag's 2^20 generations are shared by all the registries that have it, so
 *   a tag whose registries issued more than GPUREG_MAX_GENERATION - 65536 generations on one slot
 *   is never handed out again; once no tag is left (or 1023 registries are alive at once) registry
 *   creation answers GPUREG_ERR_TOO_MANY_REGISTRIES.
 *   In C, gpureg_texture, gpureg_buffer and gpureg_object wrap the id so that mixing them is a
 *   compile error.
 *
 * Object kinds
 *   Textures and buffers have a type of their own. Every other object an engine deletes
 *   (framebuffers, renderbuffers, vertex arrays, samplers, shaders, programs, Vulkan image views,
 *   render passes, pipelines, pipeline layouts, descriptor set layouts and pools) is a
 *   gpureg_object of type GPUREG_TYPE_OBJECT whose kind (gpureg_object_kind) the slot keeps:
 *   the same refcount, deferred destruction, label, site, checkpoints, expected-at-shutdown mark
 *   and report line as a texture. Report and stats group every object by kind. Which kinds a
 *   backend creates and which it adopts is in its header; any kind can be adopted.
 *
 * Dependents (render targets as one unit)
 *   gpureg_object_depend(reg, dependent, parent) makes two objects one unit: a dependent
 *   references its parent (a framebuffer the texture it renders into), so neither goes while
 *   the other may still be used. Once both are released and both fences have signalled, they
 *   are destroyed in one collection, the dependent just before the parent, whatever order they
 *   were released in; never earlier. A released parent waits for every dependent that still
 *   exists (alive, or released with its fence not signalled yet); one whose dependent is never
 *   released is destroyed by gpureg_destroy, after it. An image's framebuffer and stencil
 *   renderbuffer depend on its texture: released together on Dispose, all three go after the
 *   same fence. gpureg_render_target_create makes such a unit in one call. After device loss
 *   the same holds (gpureg_destroy destroys every part in any case).
 *
 * Threads
 *   The owner thread is the thread that created the registry (GL: the context is current there;
 *   Vulkan: the thread that records and submits). Owner-only calls made from any other thread
 *   answer GPUREG_ERR_WRONG_THREAD and change nothing. Each function's @thread_safety tag says
 *   which kind it is. Retain, release and resolve take no lock and allocate nothing.
 *
 * Frames and deferred destruction
 *   gpureg_frame_begin opens frame serial N (1, 2, 3, ...) and gpureg_frame_end records the fence
 *   of frame N with the backend. An object released while frame N is open is destroyed once
 *   fence N has signalled; one released between frames is tied to the last ended frame; one
 *   released before any frame ended is destroyed at the next collection. Collection runs in
 *   gpureg_frame_begin, gpureg_frame_end, every create and gpureg_collect, and costs
 *   O(objects destroyed), never O(live objects).
 *
 * Device loss
 *   Once the backend reports a lost device (or gpureg_null_lose_device is called), every call
 *   that would touch the GPU — create, adopt, transfers, frame_begin/end, resolve, retain — answers
 *   GPUREG_ERR_DEVICE_LOST. Bookkeeping keeps working so an engine can tear down cleanly: release,
 *   query, labels, stats, messages and the report; collection destroys every released object at
 *   once (no fence will ever signal) and answers DEVICE_LOST; gpureg_destroy frees everything and
 *   reports as usual.
 *
 * Failure
 *   A call that fails changes no observable state (handles, refcounts, stats other than
 *   host_bytes) and frees what it allocated for the object itself. Capacity it added to the
 *   registry's own tables on the way (a block of 1024 slots, a segment of a million slots and its
 *   directory, a block of per-slot records for labels, an interned creation site) stays for later
 *   calls, is not added again when the call is retried, and is freed by gpureg_destroy.
 *
 * Ownership
 *   gpureg never keeps a pointer you pass: descs, labels and site strings are copied during the
 *   call. Pointers gpureg hands out (gpureg_staging_alloc) belong to gpureg until you free them
 *   with the matching call. Native objects created by gpureg belong to gpureg; adopted native
 *   objects belong to gpureg from the adopt call on and are destroyed through your callback.
 *
 * Leak report
 *   A leak is an object still alive at gpureg_destroy that was not marked expected at shutdown
 *   (GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN: an atlas, a shader that lives as long as the app). With
 *   leaks, gpureg_destroy prints the report through the desc's report writer (stderr if unset):
 *   in text (the default) after a line "gpureg: N leaked objects at shutdown", in JSON as the
 *   one document alone, so that the output parses; with none it prints nothing:
 *   a clean shutdown is quiet, and gpureg_report stays available on demand. It returns the
 *   number of leaks. The environment variables GPUREG_LEAK_REPORT=text|json|off and
 *   GPUREG_LEAK_FATAL=1 override the desc's choice, so a test suite can fail on leaks without
 *   code changes; in C a fatal leak is abort() after the report (bindings may turn it into an
 *   error instead, with leak_fatal = GPUREG_LEAK_FATAL_NEVER: the Go package's Close returns a
 *   *LeakError).
 *   Checkpoints (gpureg_checkpoint_now, gpureg_report_since) answer "what was created since then
 *   and is still here?", grouped by creation site.
 *
 * Doc tags on every function: @errors (results besides GPUREG_OK), @thread_safety,
 * @pointer_lifetime.
 */
#ifndef GPUREG_GPUREG_H
#define GPUREG_GPUREG_H

#include <stddef.h>
#include <stdint.h>

#include "gpureg/gpureg_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Results. One table feeds the enum and gpureg_result_string.
 * ------------------------------------------------------------------------------------------- */
#define GPUREG_RESULT_TABLE(X)                                                                                         \
    X(OK, 0, "success")                                                                                                \
    X(ERR_NULL_POINTER, 1, "a required pointer argument is NULL")                                                      \
    X(ERR_INVALID_ARGUMENT, 2, "an argument is out of its documented range")                                           \
    X(ERR_INVALID_SIZE, 3, "a size or dimension is zero or larger than the limit")                                     \
    X(ERR_INVALID_FORMAT, 4, "unknown texture format")                                                                 \
    X(ERR_INVALID_USAGE, 5, "unknown usage bits, or a usage the object kind cannot have")                              \
    X(ERR_INVALID_HANDLE, 6, "handle is 0 or was never issued by this registry")                                       \
    X(ERR_STALE_HANDLE, 7, "handle refers to an object that has been destroyed")                                       \
    X(ERR_RELEASED, 8, "handle was released (refcount 0); destruction is pending")                                     \
    X(ERR_WRONG_TYPE, 9, "handle is of another object type")                                                           \
    X(ERR_FOREIGN_HANDLE, 10, "handle belongs to another registry")                                                    \
    X(ERR_WRONG_THREAD, 11, "owner-thread call made from another thread")                                              \
    X(ERR_OUT_OF_MEMORY, 12, "host or device memory allocation failed")                                                \
    X(ERR_REFCOUNT_OVERFLOW, 13, "retain would overflow the reference count")                                          \
    X(ERR_HANDLES_EXHAUSTED, 14, "no slot index left for a new handle")                                                \
    X(ERR_FRAME_STATE, 15, "frame_begin while a frame is open, or frame_end with none open")                           \
    X(ERR_OUT_OF_BOUNDS, 16, "region or range lies outside the object")                                                \
    X(ERR_UNSUPPORTED, 17, "the backend or device does not support this")                                              \
    X(ERR_DEVICE_LOST, 18, "the device was lost; only destroy and queries still work")                                 \
    X(ERR_TIMEOUT, 19, "waiting for the GPU timed out")                                                                \
    X(ERR_BUFFER_TOO_SMALL, 20, "the output buffer is too small")                                                      \
    X(ERR_BACKEND, 21, "the graphics API reported an unexpected error")                                                \
    X(ERR_TOO_MANY_REGISTRIES, 22, "1023 registries are alive, or every registry tag's generations are spent")

typedef enum gpureg_result {
#define GPUREG_RESULT_ENUM(name, value, text) GPUREG_##name = value,
    GPUREG_RESULT_TABLE(GPUREG_RESULT_ENUM)
#undef GPUREG_RESULT_ENUM
        GPUREG_RESULT_COUNT,
    GPUREG_RESULT_FORCE32 = 0x7fffffff
} gpureg_result;

/* Name and meaning of a result ("GPUREG_ERR_STALE_HANDLE: handle refers to ...").
 * @errors none; unknown values give "GPUREG_UNKNOWN_RESULT".
 * @thread_safety any thread. @pointer_lifetime the string is static. */
GPUREG_API const char *gpureg_result_string(gpureg_result result);

/* ---------------------------------------------------------------------------------------------
 * Handles and enums
 * ------------------------------------------------------------------------------------------- */
typedef uint64_t gpureg_handle;
typedef struct gpureg_texture {
    gpureg_handle id;
} gpureg_texture;
typedef struct gpureg_buffer {
    gpureg_handle id;
} gpureg_buffer;

#define GPUREG_MAX_GENERATION 0xFFFFFu /* a slot is retired after this many uses */

typedef enum gpureg_object_type {
    GPUREG_TYPE_UNDEFINED = 0,
    GPUREG_TYPE_TEXTURE = 1,
    GPUREG_TYPE_BUFFER = 2,
    GPUREG_TYPE_OBJECT = 3, /* any other kind (gpureg_object_kind), held as a gpureg_object */
    GPUREG_TYPE_FORCE32 = 0x7fffffff
} gpureg_object_type;

typedef struct gpureg_object {
    gpureg_handle id;
} gpureg_object;

/* What an object is. Textures and buffers are kinds too (their kind equals their type), so
 * reports and stats can group every object by kind. The backend column says who has the kind. */
typedef enum gpureg_object_kind {
    GPUREG_KIND_UNDEFINED = 0,
    GPUREG_KIND_TEXTURE = 1,                /* all: GL texture, VkImage (+ view) */
    GPUREG_KIND_BUFFER = 2,                 /* all: GL buffer, VkBuffer */
    GPUREG_KIND_FRAMEBUFFER = 3,            /* GL framebuffer (context-bound), VkFramebuffer */
    GPUREG_KIND_RENDERBUFFER = 4,           /* GL renderbuffer */
    GPUREG_KIND_VERTEX_ARRAY = 5,           /* GL vertex array object (context-bound) */
    GPUREG_KIND_SAMPLER = 6,                /* GL sampler object, VkSampler */
    GPUREG_KIND_SHADER = 7,                 /* GL shader object, VkShaderModule */
    GPUREG_KIND_PROGRAM = 8,                /* GL program */
    GPUREG_KIND_IMAGE_VIEW = 9,             /* VkImageView */
    GPUREG_KIND_RENDER_PASS = 10,           /* VkRenderPass */
    GPUREG_KIND_PIPELINE = 11,              /* VkPipeline */
    GPUREG_KIND_PIPELINE_LAYOUT = 12,       /* VkPipelineLayout */
    GPUREG_KIND_DESCRIPTOR_SET_LAYOUT = 13, /* VkDescriptorSetLayout */
    GPUREG_KIND_DESCRIPTOR_POOL = 14,       /* VkDescriptorPool */
    GPUREG_KIND_COUNT,
    GPUREG_KIND_FORCE32 = 0x7fffffff
} gpureg_object_kind;

/* "texture", "framebuffer", "descriptor_set_layout", ...; "undefined" for unknown values.
 * @errors none. @thread_safety any thread; static string. */
GPUREG_API const char *gpureg_kind_name(gpureg_object_kind kind);

/* Lifecycle state of a handle, as answered by gpureg_query_state. */
typedef enum gpureg_state {
    GPUREG_STATE_INVALID = 0,   /* never issued, forged, foreign or wrong type */
    GPUREG_STATE_ALIVE = 1,     /* refcount > 0 */
    GPUREG_STATE_RELEASED = 2,  /* refcount 0, waiting for its frame fence */
    GPUREG_STATE_DESTROYED = 3, /* destroyed; the handle is stale */
    GPUREG_STATE_FORCE32 = 0x7fffffff
} gpureg_state;

typedef enum gpureg_format {
    GPUREG_FORMAT_UNDEFINED = 0,
    GPUREG_FORMAT_RGBA8_UNORM = 1,
    GPUREG_FORMAT_RGBA8_SRGB = 2,
    GPUREG_FORMAT_BGRA8_UNORM = 3,
    GPUREG_FORMAT_R8_UNORM = 4,
    GPUREG_FORMAT_RG8_UNORM = 5,
    GPUREG_FORMAT_RGBA16_FLOAT = 6,
    GPUREG_FORMAT_RGBA32_FLOAT = 7,
    GPUREG_FORMAT_D24_UNORM_S8_UINT = 8,
    GPUREG_FORMAT_D32_FLOAT = 9,
    GPUREG_FORMAT_S8_UINT = 10, /* stencil only: renderbuffers everywhere; textures where the device has it */
    GPUREG_FORMAT_COUNT,
    GPUREG_FORMAT_FORCE32 = 0x7fffffff
} gpureg_format;

/* Bytes per texel of a format (0 for UNDEFINED or unknown). D24S8 counts 4: in every backend its
 * texel data is one little-endian uint32, depth (unorm) in bits 0-23 and stencil in bits 24-31.
 * @errors none. @thread_safety any thread. */
GPUREG_API uint32_t gpureg_format_texel_bytes(gpureg_format format);
/* "rgba8_unorm", ...; "undefined" for unknown values. @thread_safety any thread; static string. */
GPUREG_API const char *gpureg_format_name(gpureg_format format);

typedef enum gpureg_texture_usage {
    GPUREG_TEXTURE_USAGE_SAMPLED = 1u << 0,
    GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT = 1u << 1,
    GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT = 1u << 2,
    GPUREG_TEXTURE_USAGE_STORAGE = 1u << 3,
    GPUREG_TEXTURE_USAGE_TRANSFER_SRC = 1u << 4,
    GPUREG_TEXTURE_USAGE_TRANSFER_DST = 1u << 5,
    GPUREG_TEXTURE_USAGE_ALL = (1u << 6) - 1u,
    GPUREG_TEXTURE_USAGE_FORCE32 = 0x7fffffff
} gpureg_texture_usage;

typedef enum gpureg_buffer_usage {
    GPUREG_BUFFER_USAGE_VERTEX = 1u << 0,
    GPUREG_BUFFER_USAGE_INDEX = 1u << 1,
    GPUREG_BUFFER_USAGE_UNIFORM = 1u << 2,
    GPUREG_BUFFER_USAGE_STORAGE = 1u << 3,
    GPUREG_BUFFER_USAGE_TRANSFER_SRC = 1u << 4,
    GPUREG_BUFFER_USAGE_TRANSFER_DST = 1u << 5,
    GPUREG_BUFFER_USAGE_HOST_VISIBLE = 1u << 6, /* CPU-mappable memory (gpureg_buffer_map) */
    GPUREG_BUFFER_USAGE_ALL = (1u << 7) - 1u,
    GPUREG_BUFFER_USAGE_FORCE32 = 0x7fffffff
} gpureg_buffer_usage;

/* Limits the core enforces before any backend looks (backends apply the device's, lower ones). */
#define GPUREG_MAX_TEXTURE_DIMENSION 65536u
#define GPUREG_MAX_ARRAY_LAYERS      65535u
#define GPUREG_MAX_BUFFER_SIZE       (1ull << 40) /* 1 TiB: anything larger is a bug, not a buffer */
#define GPUREG_MAX_LABEL_LENGTH      255u         /* longer labels are truncated when copied */

/* ---------------------------------------------------------------------------------------------
 * Registry
 * ------------------------------------------------------------------------------------------- */
typedef struct gpureg_registry gpureg_registry;

/* Host allocator hooks. Both set, or both NULL for malloc/free. Everything the registry holds
 * goes through them except its slot tables: those are address space reserved from the OS (mmap,
 * 44 MiB per million slots, never moved) and committed 1024 slots (44 KiB) at a time, because an
 * allocator cannot reserve address space without memory. stats.host_bytes_os says how much. */
typedef struct gpureg_allocator {
    void *(*alloc)(size_t size, void *user); /* may return NULL: gpureg answers OUT_OF_MEMORY */
    void (*free)(void *ptr, void *user);     /* never called with NULL */
    void *user;
} gpureg_allocator;

typedef enum gpureg_log_level {
    GPUREG_LOG_ERROR = 1, /* a call failed: bad input or a driver error */
    GPUREG_LOG_WARNING = 2,
    GPUREG_LOG_INFO = 3,
    GPUREG_LOG_FORCE32 = 0x7fffffff
} gpureg_log_level;

/* Called with one ERROR line (no newline) per failed call, naming the function and the reason,
 * with the call's result; WARNING and INFO lines (result GPUREG_OK unless they name one) add what
 * else happened: the driver's error codes behind a BACKEND failure, a lost device, a fence that
 * timed out at shutdown. Runs on the thread that made the call; must not call back into gpureg. */
typedef void (*gpureg_log_fn)(gpureg_log_level level, gpureg_result result, const char *message, void *user);

/* Receives report text in pieces; the concatenation of all pieces is the report. */
typedef void (*gpureg_write_fn)(const char *bytes, size_t length, void *user);

typedef enum gpureg_report_format {
    GPUREG_REPORT_DEFAULT = 0, /* in the desc: text; GPUREG_LEAK_REPORT may override */
    GPUREG_REPORT_TEXT = 1,
    GPUREG_REPORT_JSON = 2,
    GPUREG_REPORT_OFF = 3, /* gpureg_destroy prints nothing */
    GPUREG_REPORT_FORCE32 = 0x7fffffff
} gpureg_report_format;

/* A debug message from the driver (or gpureg itself), copied into the registry's ring. */
typedef enum gpureg_message_severity {
    GPUREG_SEVERITY_INFO = 1,
    GPUREG_SEVERITY_WARNING = 2,
    GPUREG_SEVERITY_ERROR = 3,
    GPUREG_SEVERITY_FORCE32 = 0x7fffffff
} gpureg_message_severity;

typedef enum gpureg_message_type {
    GPUREG_MESSAGE_GENERAL = 1,
    GPUREG_MESSAGE_VALIDATION = 2, /* Vulkan validation / GL_DEBUG_TYPE_ERROR */
    GPUREG_MESSAGE_PERFORMANCE = 3,
    GPUREG_MESSAGE_FORCE32 = 0x7fffffff
} gpureg_message_type;

#define GPUREG_MESSAGE_TEXT_SIZE 448u

typedef struct gpureg_message {
    gpureg_message_severity severity;
    gpureg_message_type type;
    int32_t id; /* GL message id / Vulkan messageIdNumber */
    uint32_t reserved;
    gpureg_handle handle;                /* gpureg object the message names, 0 if none or unknown */
    uint64_t frame;                      /* frame serial open (or last ended) when it was copied */
    char text[GPUREG_MESSAGE_TEXT_SIZE]; /* NUL-terminated, truncated if longer */
} gpureg_message;

/* Called from gpureg_collect / frame calls on the owner thread for each queued message, if set. */
typedef void (*gpureg_message_fn)(const gpureg_message *message, void *user);

/*
 * Registry desc. Zero-initialise it ({0}); every member's zero value means its documented default.
 */
typedef struct gpureg_registry_desc {
    /* Frames the CPU is expected to record ahead of the GPU: it sizes the backend's fence pool
     * (and, on Vulkan, the ring of frame fences gpureg keeps). It is a sizing hint, not a throttle:
     * gpureg_frame_begin never waits or fails when more frames than this are unsignalled, and
     * released objects simply wait longer; pacing frames is the app's job (its own fences or
     * swapchain). The one wait: a Vulkan registry keeps at most 32 unsignalled frame fences of its
     * own, and frame_end waits for the oldest when all 32 are taken. Default 2; 1..16. */
    uint32_t frames_in_flight;
    /* Capacity of the debug message ring (rounded up to a power of two). Default 256; max 65536. */
    uint32_t message_capacity;
    /* Bound on the waits of gpureg_destroy for outstanding fences, in ms. Default 5000. */
    uint32_t shutdown_timeout_ms;
    /* Host allocator; default malloc/free. */
    gpureg_allocator allocator;
    /* Error and diagnostic lines; default: none printed. */
    gpureg_log_fn log;
    void *log_user;
    /* Debug messages delivered on the owner thread during collection; default: only polling. */
    gpureg_message_fn message_sink;
    void *message_sink_user;
    /* Report printed by gpureg_destroy: format (default text) and writer (default stderr). */
    gpureg_report_format report_format;
    gpureg_write_fn report_writer;
    void *report_writer_user;
    /* Whether gpureg_destroy aborts the process after the report when it finds leaks
     * (gpureg_leak_fatal). Default 0: no abort, unless GPUREG_LEAK_FATAL=1 is in the environment;
     * 1: abort, unless GPUREG_LEAK_FATAL=0; GPUREG_LEAK_FATAL_NEVER: never abort, whatever the
     * environment says (for language bindings that turn leaks into an error of their own). */
    int leak_fatal;
} gpureg_registry_desc;

/* Values of gpureg_registry_desc.leak_fatal. Any other value above 0 counts as ON, below 0 as NEVER. */
typedef enum gpureg_leak_fatal {
    GPUREG_LEAK_FATAL_DEFAULT = 0, /* not fatal; GPUREG_LEAK_FATAL=1 in the environment makes it fatal */
    GPUREG_LEAK_FATAL_ON = 1,      /* abort() after the report; GPUREG_LEAK_FATAL=0 turns it off */
    /* Never abort, and ignore GPUREG_LEAK_FATAL: gpureg_destroy still reports and returns the
     * number of leaks, and the caller decides what a leak means (the Go package's Close reads
     * GPUREG_LEAK_FATAL itself and returns a *LeakError instead of dying inside cgo). */
    GPUREG_LEAK_FATAL_NEVER = -1
} gpureg_leak_fatal;

/* A registry whose "GPU" is the CPU: objects have no storage, fences signal only when the caller
 * says so (gpureg_null_signal), so tests can hold the GPU back at will.
 * desc may be NULL: every default (as a zeroed desc).
 * @errors NULL_POINTER (out), INVALID_ARGUMENT (desc member out of range), OUT_OF_MEMORY.
 * @thread_safety any thread; that thread becomes the owner thread.
 * @pointer_lifetime desc is read during the call only; *out stays valid until gpureg_destroy. */
GPUREG_API gpureg_result gpureg_null_create(const gpureg_registry_desc *desc, gpureg_registry **out);

/* Null backend only: mark every fence up to and including frame `serial` as signalled.
 * @errors NULL_POINTER, UNSUPPORTED (not a null registry), INVALID_ARGUMENT (serial of a frame
 * that has not ended). @thread_safety any thread. */
GPUREG_API gpureg_result gpureg_null_signal(gpureg_registry *reg, uint64_t serial);

/* Null backend only: from now on every backend call answers DEVICE_LOST, as a real device would.
 * @errors NULL_POINTER, UNSUPPORTED. @thread_safety owner thread. */
GPUREG_API gpureg_result gpureg_null_lose_device(gpureg_registry *reg);

/* Destroy the registry: wait (bounded by shutdown_timeout_ms) for outstanding fences, destroy
 * everything pending, write the leak report when there are leaks (nothing when there are none),
 * destroy the leaked and the expected objects too, tear down the debug guard and free all memory.
 * NULL is a no-op answering 0. With leaks and leak_fatal (or GPUREG_LEAK_FATAL=1) it aborts the
 * process after the report, unless leak_fatal is GPUREG_LEAK_FATAL_NEVER.
 * @return the number of leaked objects (>= 0; objects expected at shutdown are not leaks), or
 * -GPUREG_ERR_WRONG_THREAD when called off the owner thread (then nothing is destroyed).
 * @thread_safety owner thread. @pointer_lifetime reg is invalid afterwards. */
GPUREG_API int gpureg_destroy(gpureg_registry *reg);

/* Name of the backend: "null", "gl", "vulkan". @thread_safety any thread; static string. */
GPUREG_API const char *gpureg_backend_name(const gpureg_registry *reg);

/* ---------------------------------------------------------------------------------------------
 * Objects
 * ------------------------------------------------------------------------------------------- */

/* Where an object was created. The C create macros fill it from __FILE__, __LINE__ and __func__;
 * language bindings pass their caller's frame. All strings are copied. */
typedef struct gpureg_site {
    const char *file; /* may be NULL: "?" */
    uint32_t line;
    const char *function; /* may be NULL: "?" */
    /* 1 when file and function are string literals that outlive the registry (the C macros set
     * it): gpureg may then recognise the site by pointer alone. Bindings passing temporary
     * copies leave it 0. */
    uint32_t is_static;
} gpureg_site;

#define GPUREG_SITE_HERE (&(const gpureg_site){__FILE__, (uint32_t)__LINE__, __func__, 1u})

/* Flags of any object's desc (the flags member of every desc). */
typedef enum gpureg_object_flags {
    /* The object is meant to live until gpureg_destroy (an atlas, a shader, a long-lived
     * buffer): the report lists it apart, under "expected at shutdown", and gpureg_destroy never
     * counts it as a leak. Also set or cleared later with gpureg_set_expected_at_shutdown. */
    GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN = 1u << 0,
    GPUREG_OBJECT_FLAGS_ALL = GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN,
    GPUREG_OBJECT_FLAGS_FORCE32 = 0x7fffffff
} gpureg_object_flags;

/* Sampling state. Zero members mean the default of where the state is used: in a texture desc,
 * the graphics API's own default for that parameter (GL: min NEAREST_MIPMAP_LINEAR, mag LINEAR,
 * wrap REPEAT; the desc then changes nothing); in a sampler desc, LINEAR, LINEAR, mip NONE and
 * REPEAT. */
typedef enum gpureg_filter {
    GPUREG_FILTER_DEFAULT = 0,
    GPUREG_FILTER_NEAREST = 1,
    GPUREG_FILTER_LINEAR = 2,
    GPUREG_FILTER_FORCE32 = 0x7fffffff
} gpureg_filter;
typedef enum gpureg_mip_filter {
    GPUREG_MIP_FILTER_DEFAULT = 0,
    GPUREG_MIP_FILTER_NONE = 1, /* level 0 only */
    GPUREG_MIP_FILTER_NEAREST = 2,
    GPUREG_MIP_FILTER_LINEAR = 3,
    GPUREG_MIP_FILTER_FORCE32 = 0x7fffffff
} gpureg_mip_filter;
typedef enum gpureg_wrap {
    GPUREG_WRAP_DEFAULT = 0,
    GPUREG_WRAP_REPEAT = 1,
    GPUREG_WRAP_CLAMP_TO_EDGE = 2,
    GPUREG_WRAP_MIRRORED_REPEAT = 3,
    GPUREG_WRAP_FORCE32 = 0x7fffffff
} gpureg_wrap;
typedef struct gpureg_sampler_state {
    gpureg_filter min_filter, mag_filter;
    gpureg_mip_filter mip_filter;
    gpureg_wrap wrap_u, wrap_v;
} gpureg_sampler_state;

/*
 * Texture desc. Zero-initialise; defaults:
 *   width, height   required, 1..GPUREG_MAX_TEXTURE_DIMENSION (and the device limit)
 *   mip_levels      0 -> 1; at most floor(log2(max(width, height))) + 1
 *   array_layers    0 -> 1 (a plain 2D texture); > 1 makes a 2D array
 *   format          required
 *   usage           0 -> SAMPLED | TRANSFER_DST (a texture you upload and sample)
 *   label           optional, copied (truncated to GPUREG_MAX_LABEL_LENGTH)
 *   flags           0 -> none; gpureg_object_flags bits
 *   sampler         all 0 -> the API's defaults. GL applies the members that are set to the
 *                   texture at create (glTexParameteri; no separate bind on GL 4.5), so a new
 *                   texture needs no bind to set its filtering and wrap. Vulkan keeps it for
 *                   queries only (sampling state lives in VkSampler objects there).
 */
typedef struct gpureg_texture_desc {
    uint32_t width;
    uint32_t height;
    uint32_t mip_levels;
    uint32_t array_layers;
    gpureg_format format;
    uint32_t usage; /* gpureg_texture_usage bits */
    const char *label;
    uint32_t flags; /* gpureg_object_flags bits */
    gpureg_sampler_state sampler;
} gpureg_texture_desc;

/* How often a buffer's contents change: a hint the backends map to their memory choice.
 * GL: without buffer storage, glBufferData with the usage named below. With it (GL 4.4,
 * ARB/EXT_buffer_storage) the storage is immutable and every buffer gets
 * GL_DYNAMIC_STORAGE_BIT, which gpureg_buffer_write's glBufferSubData needs, STREAM adding
 * GL_CLIENT_STORAGE_BIT; STATIC and DYNAMIC then make the same buffer, and GL reports
 * GL_BUFFER_USAGE as GL_DYNAMIC_DRAW for all three (the flags, not a usage, guide the driver). */
typedef enum gpureg_buffer_update {
    GPUREG_UPDATE_DEFAULT = 0, /* STATIC */
    GPUREG_UPDATE_STATIC = 1,  /* written once or rarely (GL_STATIC_DRAW; Vulkan: device-local) */
    GPUREG_UPDATE_DYNAMIC = 2, /* rewritten now and then (GL_DYNAMIC_DRAW; Vulkan: host-visible
                                  when the device has device-local host-visible memory, else
                                  device-local) */
    GPUREG_UPDATE_STREAM = 3,  /* rewritten every frame (GL_STREAM_DRAW, with buffer storage
                                  GL_CLIENT_STORAGE_BIT; Vulkan: host-visible) */
    GPUREG_UPDATE_FORCE32 = 0x7fffffff
} gpureg_buffer_update;

/*
 * Buffer desc. Zero-initialise; defaults:
 *   size   required, 1..GPUREG_MAX_BUFFER_SIZE bytes (and the device limit)
 *   usage  0 -> VERTEX | TRANSFER_DST
 *   label  optional, copied
 *   flags  0 -> none; gpureg_object_flags bits
 *   update 0 -> STATIC (gpureg_buffer_update)
 */
typedef struct gpureg_buffer_desc {
    uint64_t size;
    uint32_t usage; /* gpureg_buffer_usage bits */
    const char *label;
    uint32_t flags; /* gpureg_object_flags bits */
    gpureg_buffer_update update;
} gpureg_buffer_desc;

/* Create a texture with refcount 1. Runs a collection first.
 * @errors NULL_POINTER (reg, desc, out), INVALID_SIZE, INVALID_FORMAT, INVALID_USAGE,
 *   INVALID_ARGUMENT (mip_levels too many), UNSUPPORTED (backend/device lacks format or usage),
 *   OUT_OF_MEMORY, HANDLES_EXHAUSTED, WRONG_THREAD, DEVICE_LOST. On error *out is {0}.
 * @thread_safety owner thread. @pointer_lifetime desc, label and site are copied. */
GPUREG_API gpureg_result gpureg_texture_create_at(gpureg_registry *reg, const gpureg_texture_desc *desc,
                                                  const gpureg_site *site, gpureg_texture *out);
#define gpureg_texture_create(reg, desc, out) gpureg_texture_create_at((reg), (desc), GPUREG_SITE_HERE, (out))

/* Create a buffer with refcount 1. Errors, threads and lifetimes as gpureg_texture_create_at. */
GPUREG_API gpureg_result gpureg_buffer_create_at(gpureg_registry *reg, const gpureg_buffer_desc *desc,
                                                 const gpureg_site *site, gpureg_buffer *out);
#define gpureg_buffer_create(reg, desc, out) gpureg_buffer_create_at((reg), (desc), GPUREG_SITE_HERE, (out))

/* Destroys an adopted native object; called once, on the owner thread, after its fence. */
typedef void (*gpureg_adopt_destroy_fn)(uint64_t native, void *user);

/* Put a native object made elsewhere (GL name, VkImage, VkBuffer, or any 64-bit id on the null
 * backend) under gpureg's refcount, deferred destruction and report. The desc describes it for
 * queries and the report. `destroy` may be NULL when the caller keeps ownership of the native
 * object and only wants tracking. Backends offer typed variants (gpureg_gl_texture_adopt, ...).
 * @errors NULL_POINTER (reg, desc, out), INVALID_ARGUMENT (native == 0), and the desc errors of
 *   the create calls; OUT_OF_MEMORY, HANDLES_EXHAUSTED, WRONG_THREAD, DEVICE_LOST.
 *   On error nothing is adopted: the caller still owns `native`.
 * @thread_safety owner thread. @pointer_lifetime `user` is kept until `destroy` has run. */
GPUREG_API gpureg_result gpureg_texture_adopt_at(gpureg_registry *reg, const gpureg_texture_desc *desc, uint64_t native,
                                                 gpureg_adopt_destroy_fn destroy, void *user, const gpureg_site *site,
                                                 gpureg_texture *out);
#define gpureg_texture_adopt(reg, desc, native, destroy, user, out)                                                    \
    gpureg_texture_adopt_at((reg), (desc), (native), (destroy), (user), GPUREG_SITE_HERE, (out))
GPUREG_API gpureg_result gpureg_buffer_adopt_at(gpureg_registry *reg, const gpureg_buffer_desc *desc, uint64_t native,
                                                gpureg_adopt_destroy_fn destroy, void *user, const gpureg_site *site,
                                                gpureg_buffer *out);
#define gpureg_buffer_adopt(reg, desc, native, destroy, user, out)                                                     \
    gpureg_buffer_adopt_at((reg), (desc), (native), (destroy), (user), GPUREG_SITE_HERE, (out))

/* ---------------------------------------------------------------------------------------------
 * Every other kind: framebuffers, renderbuffers, vertex arrays, samplers, shaders, programs,
 * Vulkan views, render passes, pipelines, layouts, descriptor pools (see "Object kinds").
 * ------------------------------------------------------------------------------------------- */

typedef enum gpureg_shader_stage {
    GPUREG_STAGE_UNDEFINED = 0,
    GPUREG_STAGE_VERTEX = 1,
    GPUREG_STAGE_FRAGMENT = 2,
    GPUREG_STAGE_COMPUTE = 3,
    GPUREG_STAGE_FORCE32 = 0x7fffffff
} gpureg_shader_stage;

/* What an object of a generic kind is, for adopt, queries and the report. Zero-initialise;
 *   kind       required: GPUREG_KIND_FRAMEBUFFER .. GPUREG_KIND_DESCRIPTOR_POOL
 *   label      optional, copied; flags: gpureg_object_flags bits
 *   width, height, format, samples   RENDERBUFFER only (0 elsewhere): its storage, for the
 *              report's bytes; an adopted renderbuffer may leave them 0 (bytes 0). samples 0 -> 1,
 *              else a power of two up to 64.
 *   stage      SHADER only (0 elsewhere; 0 = not known). */
typedef struct gpureg_object_desc {
    gpureg_object_kind kind;
    const char *label;
    uint32_t flags;
    uint32_t width, height;
    gpureg_format format;
    uint32_t samples;
    gpureg_shader_stage stage;
} gpureg_object_desc;

/* Put a native object of any generic kind under a handle, destroyed through `destroy` (NULL:
 * the caller keeps ownership and gpureg only tracks it). Backends offer adopt calls that destroy
 * with the API's own call (gpureg_gl_object_adopt_at, gpureg_vk_object_adopt_at).
 * @errors NULL_POINTER (reg, desc, out), INVALID_ARGUMENT (native 0, kind not a generic kind,
 *   unknown flags, renderbuffer fields on another kind, samples not a power of two),
 *   INVALID_SIZE / INVALID_FORMAT (renderbuffer fields), OUT_OF_MEMORY, HANDLES_EXHAUSTED,
 *   WRONG_THREAD, DEVICE_LOST. On error nothing is adopted.
 * @thread_safety owner thread. @pointer_lifetime desc and label are copied; `user` is kept until
 *   `destroy` has run. */
GPUREG_API gpureg_result gpureg_object_adopt_at(gpureg_registry *reg, const gpureg_object_desc *desc, uint64_t native,
                                                gpureg_adopt_destroy_fn destroy, void *user, const gpureg_site *site,
                                                gpureg_object *out);
#define gpureg_object_adopt(reg, desc, native, destroy, user, out)                                                     \
    gpureg_object_adopt_at((reg), (desc), (native), (destroy), (user), GPUREG_SITE_HERE, (out))

/* Renderbuffer (GL; the null backend): depth, stencil-only (S8_UINT), depth-stencil or colour
 * storage, multisampled when samples > 1. Vulkan answers UNSUPPORTED (use a texture). */
typedef struct gpureg_renderbuffer_desc {
    uint32_t width, height; /* 1..GPUREG_MAX_TEXTURE_DIMENSION (and GL_MAX_RENDERBUFFER_SIZE) */
    gpureg_format format;   /* required */
    uint32_t samples;       /* 0 -> 1; a power of two up to the device's GL_MAX_SAMPLES */
    const char *label;
    uint32_t flags;
} gpureg_renderbuffer_desc;

#define GPUREG_MAX_COLOR_ATTACHMENTS 4u

/* Framebuffer (GL; the null backend) from gpureg objects: 2D colour textures (array_layers 1)
 * made with COLOR_ATTACHMENT usage, at mip 0, layer 0, in attachment order (the first {0} ends the list; an
 * entry after it answers INVALID_ARGUMENT, as no attachment at all does), all of one size, and an
 * optional depth/stencil attachment of that size: a depth-format texture made with
 * DEPTH_STENCIL_ATTACHMENT usage, or a RENDERBUFFER object of a depth or stencil format. The attachments must be ALIVE
 * at create; the framebuffer holds no reference to them (gpureg_object_depend or gpureg_render_target_create tie their
 * lifetimes). Vulkan answers UNSUPPORTED (a VkFramebuffer needs the app's render pass: adopt it). */
typedef struct gpureg_framebuffer_desc {
    gpureg_texture color[GPUREG_MAX_COLOR_ATTACHMENTS];
    gpureg_handle depth_stencil; /* 0: none */
    const char *label;
    uint32_t flags;
} gpureg_framebuffer_desc;

/* Sampler object (GL sampler, VkSampler, null). */
typedef struct gpureg_sampler_desc {
    gpureg_sampler_state state; /* zero members: LINEAR, LINEAR, mip NONE, REPEAT */
    const char *label;
    uint32_t flags;
} gpureg_sampler_desc;

/* Shader: GL compiles `code` as GLSL source text (code_size bytes, no NUL needed); Vulkan makes a
 * VkShaderModule from SPIR-V (code_size a multiple of 4); the null backend keeps nothing. A GL
 * compile error answers GPUREG_ERR_INVALID_ARGUMENT with the driver's info log in the log line. */
typedef struct gpureg_shader_desc {
    gpureg_shader_stage stage; /* required */
    const void *code;
    size_t code_size; /* 1..16 MiB */
    const char *label;
    uint32_t flags;
} gpureg_shader_desc;

/* Program (GL; the null backend): links the given SHADER objects, each once (ALIVE at create;
 * the program keeps no reference: gpureg detaches them after linking, and GL needs them no more). A link error answers
 * GPUREG_ERR_INVALID_ARGUMENT with the info log in the log line. */
typedef struct gpureg_program_desc {
    const gpureg_object *shaders;
    uint32_t shader_count; /* 1..8 */
    const char *label;
    uint32_t flags;
} gpureg_program_desc;

/* Vertex array object (GL; the null backend), empty: the app binds it and sets its attributes. */
typedef struct gpureg_vertex_array_desc {
    const char *label;
    uint32_t flags;
} gpureg_vertex_array_desc;

/* Create an object of a generic kind with refcount 1. Runs a collection first.
 * @errors NULL_POINTER (reg, desc, out, desc->code, desc->shaders), INVALID_SIZE,
 *   INVALID_FORMAT, INVALID_ARGUMENT (unknown enum values or flags, samples, an attachment or
 *   shader handle of the wrong kind, a shader_count outside 1..8, a compile or link error),
 *   INVALID_USAGE (a colour attachment without COLOR_ATTACHMENT usage), the handle errors of the handles
 *   in the desc, UNSUPPORTED (the backend lacks the kind or the format), OUT_OF_MEMORY,
 *   HANDLES_EXHAUSTED, WRONG_THREAD, DEVICE_LOST, BACKEND. On error *out is {0}.
 * @thread_safety owner thread. @pointer_lifetime descs, code, labels and sites are copied or
 *   read during the call only. */
GPUREG_API gpureg_result gpureg_renderbuffer_create_at(gpureg_registry *reg, const gpureg_renderbuffer_desc *desc,
                                                       const gpureg_site *site, gpureg_object *out);
GPUREG_API gpureg_result gpureg_framebuffer_create_at(gpureg_registry *reg, const gpureg_framebuffer_desc *desc,
                                                      const gpureg_site *site, gpureg_object *out);
GPUREG_API gpureg_result gpureg_sampler_create_at(gpureg_registry *reg, const gpureg_sampler_desc *desc,
                                                  const gpureg_site *site, gpureg_object *out);
GPUREG_API gpureg_result gpureg_shader_create_at(gpureg_registry *reg, const gpureg_shader_desc *desc,
                                                 const gpureg_site *site, gpureg_object *out);
GPUREG_API gpureg_result gpureg_program_create_at(gpureg_registry *reg, const gpureg_program_desc *desc,
                                                  const gpureg_site *site, gpureg_object *out);
GPUREG_API gpureg_result gpureg_vertex_array_create_at(gpureg_registry *reg, const gpureg_vertex_array_desc *desc,
                                                       const gpureg_site *site, gpureg_object *out);
#define gpureg_renderbuffer_create(reg, desc, out) gpureg_renderbuffer_create_at((reg), (desc), GPUREG_SITE_HERE, (out))
#define gpureg_framebuffer_create(reg, desc, out)  gpureg_framebuffer_create_at((reg), (desc), GPUREG_SITE_HERE, (out))
#define gpureg_sampler_create(reg, desc, out)      gpureg_sampler_create_at((reg), (desc), GPUREG_SITE_HERE, (out))
#define gpureg_shader_create(reg, desc, out)       gpureg_shader_create_at((reg), (desc), GPUREG_SITE_HERE, (out))
#define gpureg_program_create(reg, desc, out)      gpureg_program_create_at((reg), (desc), GPUREG_SITE_HERE, (out))
#define gpureg_vertex_array_create(reg, desc, out) gpureg_vertex_array_create_at((reg), (desc), GPUREG_SITE_HERE, (out))

/* Make `dependent` and `parent` one unit (see "Dependents"): once released, the dependent is
 * destroyed in the collection that destroys the parent, just before it, and never while the
 * parent lives; a released parent waits for every dependent that still exists. Both handles
 * must be ALIVE; an object has at most one parent, and a parent may have any number of
 * dependents (which may have their own). Depending takes no reference.
 * @errors NULL_POINTER (reg), the handle errors of both, INVALID_ARGUMENT (the same object, the
 *   dependent has a parent already, or the parent depends on the dependent), OUT_OF_MEMORY,
 *   WRONG_THREAD. @thread_safety owner thread. */
GPUREG_API gpureg_result gpureg_object_depend(gpureg_registry *reg, gpureg_handle dependent, gpureg_handle parent);

/* A render target as one unit: a colour texture (its usage gets COLOR_ATTACHMENT), an optional
 * depth/stencil renderbuffer of the same size, and a framebuffer with both attached; the
 * framebuffer and the renderbuffer depend on the texture. Labels: the desc's label for the
 * texture, with " framebuffer" and " depth-stencil" appended for the others; all three share
 * the site and flags. GL and the null backend; Vulkan answers UNSUPPORTED before it makes
 * anything. */
typedef struct gpureg_render_target_desc {
    gpureg_texture_desc color;
    gpureg_format depth_stencil; /* 0: none; D24_UNORM_S8_UINT, D32_FLOAT or S8_UINT */
} gpureg_render_target_desc;
typedef struct gpureg_render_target {
    gpureg_texture color;
    gpureg_object framebuffer;
    gpureg_object depth_stencil; /* {0} without one */
} gpureg_render_target;

/* Create the three (or two) objects, each with refcount 1. On error *out is zeroed and the parts
 * already made are released, as gpureg_render_target_release would (so they go after the fence
 * of the frame open now, or at the next collection between frames).
 * @errors as gpureg_texture_create_at and gpureg_renderbuffer_create_at (INVALID_FORMAT for a
 *   depth_stencil format that is not a depth or stencil one). @thread_safety owner thread. */
GPUREG_API gpureg_result gpureg_render_target_create_at(gpureg_registry *reg, const gpureg_render_target_desc *desc,
                                                        const gpureg_site *site, gpureg_render_target *out);
#define gpureg_render_target_create(reg, desc, out)                                                                    \
    gpureg_render_target_create_at((reg), (desc), GPUREG_SITE_HERE, (out))
/* Release every part (a Dispose): the texture, the framebuffer and the depth-stencil attachment
 * (depth_stencil {0}: none). @return OK, or the first error of the releases, each still tried
 * (a texture or framebuffer of 0 answers INVALID_HANDLE, as gpureg_release does).
 * @thread_safety any thread. */
GPUREG_API gpureg_result gpureg_render_target_release(gpureg_registry *reg, gpureg_render_target target);

/* ---------------------------------------------------------------------------------------------
 * Refcounts and resolve: any thread, no lock, no allocation.
 * ------------------------------------------------------------------------------------------- */

/* Add a reference. @errors NULL_POINTER (reg), the handle errors, REFCOUNT_OVERFLOW (2^26 - 1
 * references), DEVICE_LOST.
 * @thread_safety any thread; lock-free. */
GPUREG_API gpureg_result gpureg_retain(gpureg_registry *reg, gpureg_handle handle);

/* Drop a reference. At 0 the handle answers RELEASED at once and the object is queued for
 * destruction after the fence of the frame open now. Releasing a released handle answers
 * RELEASED; a destroyed one STALE_HANDLE; neither changes anything.
 * @errors NULL_POINTER (reg), the handle errors. @thread_safety any thread; lock-free. */
GPUREG_API gpureg_result gpureg_release(gpureg_registry *reg, gpureg_handle handle);

/* As gpureg_release, and marks the object "released by GC" in the report when this drops the
 * last reference. For language bindings' finalizers/cleanups. */
GPUREG_API gpureg_result gpureg_release_from_gc(gpureg_registry *reg, gpureg_handle handle);

/* Batched retain/release: one call for `count` handles. results may be NULL; if given, it receives
 * one result per handle. @return the number of handles that failed (0 = all succeeded). When reg
 * or handles is NULL with count > 0, nothing is done and every handle failed: it returns count,
 * each result is NULL_POINTER, and NULL_POINTER is logged (when reg is given).
 * @thread_safety any thread. @pointer_lifetime arrays are read/written during the call only. */
GPUREG_API size_t gpureg_retain_many(gpureg_registry *reg, const gpureg_handle *handles, size_t count,
                                     gpureg_result *results);
GPUREG_API size_t gpureg_release_many(gpureg_registry *reg, const gpureg_handle *handles, size_t count,
                                      gpureg_result *results);

/* Handle -> native object (GL name, VkImage/VkBuffer as uint64_t, null id) of an ALIVE object of
 * the expected type (UNDEFINED accepts either). @errors NULL_POINTER, the handle errors,
 * DEVICE_LOST. On error *out_native is 0.
 * @thread_safety any thread; wait-free. */
GPUREG_API gpureg_result gpureg_resolve(const gpureg_registry *reg, gpureg_handle handle, gpureg_object_type expected,
                                        uint64_t *out_native);

/* Lifecycle state of any handle; never fails (INVALID for NULL reg or bad handles).
 * @thread_safety any thread; wait-free. */
GPUREG_API gpureg_state gpureg_query_state(const gpureg_registry *reg, gpureg_handle handle);

/* Everything known about a live or released object. */
typedef struct gpureg_object_info {
    gpureg_object_type type;
    gpureg_object_kind kind; /* TEXTURE, BUFFER, or the generic kind */
    gpureg_state state;
    uint32_t refcount;
    uint32_t released_by_gc; /* 1 if the last reference was dropped by gpureg_release_from_gc */
    uint32_t adopted;        /* 1 if made elsewhere and adopted */
    uint32_t reserved;
    uint64_t native;
    uint64_t bytes;              /* GPU memory the object accounts for */
    uint64_t frame_created;      /* frame serial open (or last ended) at creation */
    gpureg_texture_desc texture; /* type TEXTURE: the desc with defaults applied; label NULL */
    gpureg_buffer_desc buffer;   /* type BUFFER: the desc with defaults applied; label NULL */
    gpureg_object_desc object;   /* type OBJECT: kind, renderbuffer storage, stage; label NULL */
    gpureg_handle parent;        /* the object it depends on (gpureg_object_depend), 0 if none */
} gpureg_object_info;

/* @errors NULL_POINTER, the handle errors except RELEASED (released objects are described).
 * @thread_safety any thread; lock-free. */
GPUREG_API gpureg_result gpureg_query(const gpureg_registry *reg, gpureg_handle handle, gpureg_object_info *out);

/* Replace the label of a live object (copied, cut to GPUREG_MAX_LABEL_LENGTH bytes on a UTF-8
 * character boundary; NULL clears it). Also renames the driver object (owner thread only).
 * A released object's label no longer changes: it answers RELEASED, as for any call that would
 * change a released object, while gpureg_get_label still reads it (the report describes pending
 * objects with the label they had).
 * @errors NULL_POINTER (reg), handle errors (RELEASED included), OUT_OF_MEMORY. @thread_safety any
 * thread (takes the registry's label lock; not a hot path). */
GPUREG_API gpureg_result gpureg_set_label(gpureg_registry *reg, gpureg_handle handle, const char *label);

/* Copy the label into buf (NUL-terminated, truncated to cap). *out_length (optional) gets the
 * length of the label as stored, which is the label as given unless it was longer than
 * GPUREG_MAX_LABEL_LENGTH (then cut when it was set): cap = *out_length + 1 always suffices.
 * An unlabelled object gives "". Works on released objects too (their label stays until they are
 * destroyed). @errors NULL_POINTER (reg, buf when cap > 0), handle errors except RELEASED.
 * @thread_safety any thread. */
GPUREG_API gpureg_result gpureg_get_label(const gpureg_registry *reg, gpureg_handle handle, char *buf, size_t cap,
                                          size_t *out_length);

/* Typed conveniences. */
static inline gpureg_result gpureg_texture_retain(gpureg_registry *reg, gpureg_texture t) {
    return gpureg_retain(reg, t.id);
}
static inline gpureg_result gpureg_texture_release(gpureg_registry *reg, gpureg_texture t) {
    return gpureg_release(reg, t.id);
}
static inline gpureg_result gpureg_texture_native(const gpureg_registry *reg, gpureg_texture t, uint64_t *out) {
    return gpureg_resolve(reg, t.id, GPUREG_TYPE_TEXTURE, out);
}
static inline gpureg_result gpureg_buffer_retain(gpureg_registry *reg, gpureg_buffer b) {
    return gpureg_retain(reg, b.id);
}
static inline gpureg_result gpureg_buffer_release(gpureg_registry *reg, gpureg_buffer b) {
    return gpureg_release(reg, b.id);
}
static inline gpureg_result gpureg_buffer_native(const gpureg_registry *reg, gpureg_buffer b, uint64_t *out) {
    return gpureg_resolve(reg, b.id, GPUREG_TYPE_BUFFER, out);
}

/* ---------------------------------------------------------------------------------------------
 * Data transfer (owner thread). Backends without storage (null) validate and discard writes and
 * answer UNSUPPORTED to reads.
 * ------------------------------------------------------------------------------------------- */
typedef struct gpureg_texture_region {
    uint32_t x, y;          /* texel offset */
    uint32_t width, height; /* 0 -> the whole extent of the mip level from (x, y) */
    uint32_t mip_level;
    uint32_t array_layer;
} gpureg_texture_region;

/* Write texels. `data` holds rows of `row_bytes` bytes (0 -> tightly packed width * texel size);
 * `data_size` must cover height rows. @errors NULL_POINTER (reg, region, data), handle errors,
 * OUT_OF_BOUNDS (region outside the level, or data_size too small), INVALID_ARGUMENT (row_bytes
 * smaller than a row), UNSUPPORTED (depth formats on some backends), OUT_OF_MEMORY, WRONG_THREAD,
 * DEVICE_LOST. @thread_safety owner thread. @pointer_lifetime data is read during the call only. */
GPUREG_API gpureg_result gpureg_texture_write(gpureg_registry *reg, gpureg_texture tex,
                                              const gpureg_texture_region *region, const void *data, size_t data_size,
                                              uint32_t row_bytes);
/* Read texels back into tightly packed rows. Blocks until the GPU has finished prior work.
 * Errors as gpureg_texture_write. */
GPUREG_API gpureg_result gpureg_texture_read(gpureg_registry *reg, gpureg_texture tex,
                                             const gpureg_texture_region *region, void *data, size_t data_size);
/* Write / read a byte range of a buffer. Errors as the texture calls. */
GPUREG_API gpureg_result gpureg_buffer_write(gpureg_registry *reg, gpureg_buffer buf, uint64_t offset, const void *data,
                                             uint64_t size);
GPUREG_API gpureg_result gpureg_buffer_read(gpureg_registry *reg, gpureg_buffer buf, uint64_t offset, void *data,
                                            uint64_t size);

/* Registry-owned host memory for language bindings: a binding fills it and passes it to the
 * write calls, so no binding-owned pointer crosses. @errors NULL_POINTER, INVALID_SIZE,
 * OUT_OF_MEMORY. @thread_safety any thread. @pointer_lifetime *out is valid until
 * gpureg_staging_free or gpureg_destroy. */
GPUREG_API gpureg_result gpureg_staging_alloc(gpureg_registry *reg, size_t size, void **out);
/* NULL is a no-op. @thread_safety any thread. */
GPUREG_API void gpureg_staging_free(gpureg_registry *reg, void *ptr);

/* ---------------------------------------------------------------------------------------------
 * Frames and collection (owner thread)
 * ------------------------------------------------------------------------------------------- */

/* Open the next frame and collect what finished. @errors NULL_POINTER, FRAME_STATE, WRONG_THREAD,
 * DEVICE_LOST. @thread_safety owner thread. */
GPUREG_API gpureg_result gpureg_frame_begin(gpureg_registry *reg);
/* Close the open frame and record its fence with the backend. Errors as gpureg_frame_begin. */
GPUREG_API gpureg_result gpureg_frame_end(gpureg_registry *reg);
/* Serial of the open frame, or of the last ended one when none is open (0 before the first).
 * @thread_safety any thread. */
GPUREG_API uint64_t gpureg_frame_serial(const gpureg_registry *reg);
/* Destroy every released object whose fence has signalled; deliver queued messages to the sink.
 * *out_destroyed (optional) gets the number destroyed. @errors NULL_POINTER (reg), WRONG_THREAD,
 * DEVICE_LOST (objects are still destroyed host-side). @thread_safety owner thread. */
GPUREG_API gpureg_result gpureg_collect(gpureg_registry *reg, uint32_t *out_destroyed);

/* ---------------------------------------------------------------------------------------------
 * Stats (any thread; counters may be a moment apart from each other)
 * ------------------------------------------------------------------------------------------- */
typedef struct gpureg_type_stats {
    uint64_t live_count; /* refcount > 0 */
    uint64_t live_bytes;
    uint64_t pending_count; /* released, waiting for a fence */
    uint64_t pending_bytes;
    uint64_t created_total;
    uint64_t destroyed_total;
    uint64_t live_count_high_water; /* highest live count at a create (releases count once */
    uint64_t live_bytes_high_water; /* the owner has collected them) */
} gpureg_type_stats;

typedef struct gpureg_stats {
    gpureg_type_stats texture;                    /* the same as by_kind[GPUREG_KIND_TEXTURE] */
    gpureg_type_stats buffer;                     /* the same as by_kind[GPUREG_KIND_BUFFER] */
    gpureg_type_stats by_kind[GPUREG_KIND_COUNT]; /* [0] unused */
    uint64_t pending_oldest_frames;               /* frame serial now minus that of the oldest pending entry */
    uint64_t pending_oldest_ns;                   /* age of the oldest pending entry (monotonic, ~4 ms resolution) */
    uint64_t frame_serial;                        /* as gpureg_frame_serial */
    uint64_t completed_serial;                    /* last frame whose fence was seen signalled */
    uint64_t slot_capacity;                       /* slots handed out so far that can hold an object (live,
                                                     pending, free); retired slots are not counted */
    uint64_t slots_retired;                       /* slots retired for good (generation exhausted) */
    uint64_t host_bytes;                          /* host memory held by the registry (labels included) */
    uint64_t host_bytes_os;                       /* of host_bytes, the slot tables: address space committed from
                                                     the OS, not the allocator hooks (gpureg_allocator) */
    uint64_t messages_queued;
    uint64_t messages_dropped;   /* ring overflow (oldest dropped) */
    uint64_t late_callbacks;     /* process-wide, not this registry's: debug callbacks that arrived
                                    for any registry after its teardown (with a dead token) and were
                                    dropped; such a callback names no live registry to count it in */
    uint64_t device_allocations; /* backend: live device memory allocations */
    uint64_t device_bytes;       /* backend: bytes in those allocations */
} gpureg_stats;

/* @errors NULL_POINTER. @thread_safety any thread. */
GPUREG_API gpureg_result gpureg_get_stats(const gpureg_registry *reg, gpureg_stats *out);

/* ---------------------------------------------------------------------------------------------
 * Report
 * ------------------------------------------------------------------------------------------- */
/* Write the live/leak report: every live or pending object with handle, type, label, dimensions
 * and format or size, bytes, refcount, state, creation site, frame of creation and whether the GC
 * released it; then totals grouped by creation site and by kind. Objects expected at shutdown
 * (GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN) are listed apart, after the totals, and counted in none
 * of them: "live", "pending", "objects", "by_site" and "by_type" are the unexpected ones.
 *
 * JSON (stable):
 *   {"live": N, "pending": N, "expected": N,
 *    "objects": [{"handle": "0x...", "type": kind name ("texture", "buffer", "framebuffer", ...,
 *                 gpureg_kind_name), "label": "..."|null,
 *                 "site": "file:line (function)", "bytes": N, "refcount": N,
 *                 "state": "alive"|"released", "frame_created": N, "released_by_gc": bool,
 *                 "adopted": bool, "native": N, "parent": "0x..." (only for a dependent),
 *                 texture: "width", "height", "mip_levels", "array_layers", "format", "usage";
 *                 buffer: "size", "usage"; renderbuffer: "width", "height", "format",
 *                 "samples"; shader: "stage"}, ...],
 *    "by_site": [{"site": "...", "count": N, "bytes": N}, ...],   (largest bytes first)
 *    "by_type": [{"type": kind name, "count": N, "bytes": N}, ...], (kinds in enum order, only
 *                 those with objects, texture and buffer always)
 *    "expected_at_shutdown": [objects as in "objects"]}
 * @errors NULL_POINTER (reg, write), INVALID_ARGUMENT (format), WRONG_THREAD, OUT_OF_MEMORY.
 * @thread_safety owner thread. @pointer_lifetime the pieces passed to write live for that call. */
GPUREG_API gpureg_result gpureg_report(gpureg_registry *reg, gpureg_report_format format, gpureg_write_fn write,
                                       void *user);

/* Mark or unmark an object as expected to live until shutdown (see GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN).
 * @errors NULL_POINTER (reg), the handle errors except RELEASED (a pending object may be marked
 *   too), WRONG_THREAD. @thread_safety owner thread (the thread that reuses slots, so the mark can
 *   never land on another object). */
GPUREG_API gpureg_result gpureg_set_expected_at_shutdown(gpureg_registry *reg, gpureg_handle handle, int expected);

/* A point in the registry's history: objects created after it compare greater. Checkpoints are
 * numbers, not state: any number of them may be kept, and they cost nothing on any path. */
typedef uint64_t gpureg_checkpoint;

/* The checkpoint of now: every object created after this call is "since" it.
 * @errors none (reg NULL gives 0). @thread_safety any thread; the owner's creates are ordered with
 *   it only when the caller orders them (call it on the owner thread for an exact boundary). */
GPUREG_API gpureg_checkpoint gpureg_checkpoint_now(const gpureg_registry *reg);

/* The report of what was created after `since` and is still here, alive or released and waiting
 * for its fence (shown as such): "after level 1 was unloaded, what is still here?". Rows are
 * grouped by creation site, largest bytes first; objects expected at shutdown are listed apart.
 * Checkpoint 0 is the registry's creation. JSON: as gpureg_report, with "checkpoint": N first,
 * and "objects" ordered by site as the text is.
 * @errors as gpureg_report. @thread_safety owner thread. */
GPUREG_API gpureg_result gpureg_report_since(gpureg_registry *reg, gpureg_checkpoint since, gpureg_report_format format,
                                             gpureg_write_fn write, void *user);

/* ---------------------------------------------------------------------------------------------
 * Debug messages (driver debug output, copied by the lifetime-guarded callback)
 * ------------------------------------------------------------------------------------------- */
/* Move up to `capacity` queued messages, oldest first, into out. *out_count gets the number.
 * @errors NULL_POINTER (reg, out_count, out when capacity > 0). @thread_safety any thread. */
GPUREG_API gpureg_result gpureg_poll_messages(gpureg_registry *reg, gpureg_message *out, size_t capacity,
                                              size_t *out_count);

/* Count of validation-type error messages seen since creation (polled or not). Tests assert 0.
 * @thread_safety any thread. */
GPUREG_API uint64_t gpureg_error_message_count(const gpureg_registry *reg);

#ifdef __cplusplus
}
#endif
#endif /* GPUREG_GPUREG_H */
