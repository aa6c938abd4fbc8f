/* backend.h — the contract between the registry core and a graphics backend (null, GL, Vulkan).
 *
 * The core owns handles, refcounts, frames, the retire queue, labels, sites, the report and the
 * debug guard. A backend owns native objects and fences. The core validates every public input
 * before a backend sees it (descs have their defaults applied, handles are resolved, regions are
 * inside the object), so backend functions only check what the device adds (formats, limits).
 *
 * All ops run on the owner thread unless marked otherwise. `be` is the backend's own state.
 */
#ifndef GPUREG_BACKEND_H
#define GPUREG_BACKEND_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gpureg/gpureg.h"

/* Thread-locals of the library, the core's and the backends': initial-exec, so that a hot path
 * reads one without a call to __tls_get_addr (the library is linked at start-up, as Mesa links
 * its own TLS). */
#if defined(__GNUC__) || defined(__clang__)
#define GPUREG_TLS _Thread_local __attribute__((tls_model("initial-exec")))
#else
#define GPUREG_TLS _Thread_local
#endif

/* Out-of-line work, for the core and the backends alike: GPUREG_NOINLINE for work the common
 * case skips (so the common case runs without the register saves it needs), GPUREG_COLD for
 * failure paths besides (kept apart from the hot code, their branches predicted not taken). */
#if defined(__GNUC__) || defined(__clang__)
#define GPUREG_NOINLINE __attribute__((noinline))
#define GPUREG_COLD     __attribute__((noinline, cold))
#else
#define GPUREG_NOINLINE
#define GPUREG_COLD
#endif

/* Two backend-defined 64-bit values kept per object next to the native handle (Vulkan: the
 * VkImageView and the memory allocation record; GL: unused). Readable from any thread through
 * gpureg__lookup. */
typedef struct gpureg__aux {
    uint64_t value[2];
} gpureg__aux;

/* The op signatures, as types: a backend split over several files declares its functions with
 * them (`gpureg__texture_write_fn gl_texture_write;`) instead of repeating each signature. */
typedef gpureg_result gpureg__texture_create_fn(void *be, const gpureg_texture_desc *desc, gpureg_handle handle,
                                                const char *driver_name, uint64_t *native, gpureg__aux *aux);
typedef gpureg_result gpureg__buffer_create_fn(void *be, const gpureg_buffer_desc *desc, gpureg_handle handle,
                                               const char *driver_name, uint64_t *native, gpureg__aux *aux);
/* An object of a generic kind to create: the kind's desc as the core checked it (defaults
 * applied, labels left out), with the natives of the gpureg objects it names. */
typedef struct gpureg__object_spec {
    gpureg_object_kind kind;
    gpureg_renderbuffer_desc renderbuffer; /* RENDERBUFFER: samples >= 1 */
    struct {
        uint64_t color[GPUREG_MAX_COLOR_ATTACHMENTS]; /* natives of colour textures, mip 0 layer 0 */
        uint32_t color_count;
        uint32_t width, height;                /* of the first attachment */
        uint64_t depth_stencil;                /* native, 0: none */
        gpureg_object_kind depth_stencil_kind; /* TEXTURE or RENDERBUFFER */
        gpureg_format depth_stencil_format;    /* D24_UNORM_S8_UINT, D32_FLOAT or S8_UINT */
    } framebuffer;
    gpureg_sampler_state sampler; /* SAMPLER: every member set (no DEFAULT left) */
    gpureg_shader_desc shader;    /* SHADER: stage, code, code_size (label NULL) */
    struct {
        uint64_t shaders[8]; /* natives of SHADER objects */
        uint32_t count;
    } program; /* PROGRAM */
} gpureg__object_spec;

typedef gpureg_result gpureg__object_create_fn(void *be, const gpureg__object_spec *spec, gpureg_handle handle,
                                               const char *driver_name, uint64_t *native, gpureg__aux *aux);
/* kind: GPUREG_KIND_TEXTURE and GPUREG_KIND_BUFFER are the texture and buffer types' values. */
typedef void gpureg__object_destroy_fn(void *be, gpureg_object_kind kind, uint64_t native, const gpureg__aux *aux);
typedef void gpureg__object_name_fn(void *be, gpureg_object_kind kind, uint64_t native, const gpureg__aux *aux,
                                    const char *driver_name);
typedef gpureg_result gpureg__texture_write_fn(void *be, uint64_t native, const gpureg__aux *aux,
                                               const gpureg_texture_desc *desc, const gpureg_texture_region *region,
                                               const void *data, uint32_t row_bytes);
typedef gpureg_result gpureg__texture_read_fn(void *be, uint64_t native, const gpureg__aux *aux,
                                              const gpureg_texture_desc *desc, const gpureg_texture_region *region,
                                              void *data);
typedef gpureg_result gpureg__buffer_write_fn(void *be, uint64_t native, const gpureg__aux *aux,
                                              const gpureg_buffer_desc *desc, uint64_t offset, const void *data,
                                              uint64_t size);
typedef gpureg_result gpureg__buffer_read_fn(void *be, uint64_t native, const gpureg__aux *aux,
                                             const gpureg_buffer_desc *desc, uint64_t offset, void *data,
                                             uint64_t size);
typedef gpureg_result gpureg__fence_insert_fn(void *be, uint64_t serial);
typedef gpureg_result gpureg__fence_poll_fn(void *be, uint64_t *completed_serial);
typedef gpureg_result gpureg__fence_wait_fn(void *be, uint64_t serial, uint64_t timeout_ns);

#define GPUREG__KIND_BIT(kind) (1u << (kind))
/* Every kind the core has a create call for (gpureg_*_create): what object_create may be asked. */
#define GPUREG__CREATABLE_KINDS                                                                                        \
    (GPUREG__KIND_BIT(GPUREG_KIND_FRAMEBUFFER) | GPUREG__KIND_BIT(GPUREG_KIND_RENDERBUFFER) |                          \
     GPUREG__KIND_BIT(GPUREG_KIND_VERTEX_ARRAY) | GPUREG__KIND_BIT(GPUREG_KIND_SAMPLER) |                              \
     GPUREG__KIND_BIT(GPUREG_KIND_SHADER) | GPUREG__KIND_BIT(GPUREG_KIND_PROGRAM))

typedef struct gpureg__backend_ops {
    const char *name; /* "null", "gl", "vulkan" */

    /* Create the native object. `driver_name` is the debug name to give it (handle, label, site);
     * it is formatted only for backends that have an object_name op, else it is "".
     * Must set *native to a nonzero value on success and leave nothing behind on failure. */
    gpureg__texture_create_fn *texture_create;
    gpureg__buffer_create_fn *buffer_create;
    /* Every other kind. NULL, or UNSUPPORTED for a kind the backend lacks (logged by the core). */
    gpureg__object_create_fn *object_create;
    /* The kinds object_create makes (GPUREG__KIND_BIT each), so that a call that makes several
     * objects (gpureg_render_target_create) can refuse before it makes any. */
    uint32_t object_kinds;
    /* Destroy a native object created by the ops above (never adopted ones). Cannot fail. */
    gpureg__object_destroy_fn *object_destroy;
    /* Give the native object a new debug name (label change, adopt). May be NULL. */
    gpureg__object_name_fn *object_name;

    /* Transfers. The core has checked bounds; region->width/height are nonzero. May be NULL
     * (the core answers UNSUPPORTED). */
    gpureg__texture_write_fn *texture_write;
    gpureg__texture_read_fn *texture_read;
    gpureg__buffer_write_fn *buffer_write;
    gpureg__buffer_read_fn *buffer_read;

    /* Fences. fence_insert records the fence of frame `serial` (called by frame_end, serials strictly
     * increasing). fence_poll reports, without blocking, the highest serial known complete (fences
     * signal in order). fence_wait blocks until `serial` completes or the timeout passes (TIMEOUT).
     * DEVICE_LOST from any of them puts the registry in the lost state. */
    gpureg__fence_insert_fn *fence_insert;
    gpureg__fence_poll_fn *fence_poll;
    gpureg__fence_wait_fn *fence_wait;

    /* Add backend figures (device_allocations, device_bytes) to stats. Any thread. May be NULL. */
    void (*stats)(void *be, gpureg_stats *out);
    /* First step of teardown, after every object is destroyed: unregister debug callbacks. The core
     * then closes the guard (waiting for callbacks in flight) and calls destroy. May be NULL. */
    void (*shutdown)(void *be);
    /* Free the backend state. */
    void (*destroy)(void *be);
} gpureg__backend_ops;

/* ---- Registry services for backends (implemented by the core) ---------------------------- */

/* Core part of registry creation: everything but the backend. The caller (a backend's public
 * create function) then makes its state and attaches it, or frees the registry on failure. */
gpureg_result gpureg__registry_create(const gpureg_registry_desc *desc, gpureg_registry **out);
void gpureg__registry_attach(gpureg_registry *reg, const gpureg__backend_ops *ops, void *be);
/* Free a registry that has no backend attached and no objects (failed backend init). */
void gpureg__registry_free(gpureg_registry *reg);

/* The backend state when reg runs `ops`, else NULL (a GL call on a Vulkan registry, ...). */
void *gpureg__backend_state(const gpureg_registry *reg, const gpureg__backend_ops *ops);

/* Host memory through the registry's allocator, counted in stats.host_bytes. */
void *gpureg__alloc(gpureg_registry *reg, size_t size);
void gpureg__free(gpureg_registry *reg, void *ptr, size_t size);

/* Blocks of one size that the owner thread freed, kept (up to a limit) for its next ones, so that
 * a steady create/destroy cycle calls no allocator: the core's labels, the Vulkan backend's
 * object records. A kept block's first bytes hold the next one. Owner thread only. */
typedef struct gpureg__spares {
    void *head;
    uint32_t count;
} gpureg__spares;

/* A kept block, or a new one (NULL: out of host memory). */
static inline void *gpureg__spare_take(gpureg_registry *reg, gpureg__spares *s, size_t size) {
    void *p = s->head;
    if (!p) return gpureg__alloc(reg, size);
    memcpy(&s->head, p, sizeof s->head);
    s->count--;
    return p;
}
/* Keep p for the next take, or free it when `max` are kept already. */
static inline void gpureg__spare_give(gpureg_registry *reg, gpureg__spares *s, void *p, size_t size, uint32_t max) {
    if (s->count >= max) {
        gpureg__free(reg, p, size);
        return;
    }
    memcpy(p, &s->head, sizeof s->head);
    s->head = p;
    s->count++;
}
/* Free every kept block (at destroy). */
static inline void gpureg__spares_free(gpureg_registry *reg, gpureg__spares *s, size_t size) {
    while (s->head)
        gpureg__free(reg, gpureg__spare_take(reg, s, size), size);
}

/* Log `message` through the registry's log sink and return `result` (the error funnel). */
gpureg_result gpureg__fail(const gpureg_registry *reg, gpureg_result result, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void gpureg__log(const gpureg_registry *reg, gpureg_log_level level, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Owner-thread check: GPUREG_OK or a logged WRONG_THREAD naming `function`. */
gpureg_result gpureg__check_owner(const gpureg_registry *reg, const char *function);
/* DEVICE_LOST (logged) once the registry is lost, else OK. */
gpureg_result gpureg__check_device(const gpureg_registry *reg, const char *function);
/* Backends call this when the driver reports device loss outside the fence ops. */
void gpureg__set_device_lost(gpureg_registry *reg);

/* A resolved object: what backend entry points need. */
typedef struct gpureg__object {
    gpureg_object_type type;
    gpureg_object_kind kind;
    uint32_t adopted;
    uint64_t native;
    gpureg__aux aux;
    /* Only the desc of `type` is set (label NULL); the others are left as they were. */
    gpureg_texture_desc texture; /* type TEXTURE */
    gpureg_buffer_desc buffer;   /* type BUFFER */
    gpureg_object_desc object;   /* type OBJECT */
} gpureg__object;

/* Resolve an ALIVE handle of the expected type (UNDEFINED = any) to its object. Any thread,
 * wait-free. Errors: the handle errors (logged, naming `function`). */
gpureg_result gpureg__lookup(const gpureg_registry *reg, gpureg_handle handle, gpureg_object_type expected,
                             gpureg__object *out, const char *function);

/* Adopt with backend aux values (e.g. an app's VkImage with its VkImageView). `destroy` may be
 * NULL. desc: a gpureg_texture_desc, gpureg_buffer_desc or (type OBJECT) gpureg_object_desc. */
gpureg_result gpureg__adopt(gpureg_registry *reg, gpureg_object_type type, const void *desc, uint64_t native,
                            const gpureg__aux *aux, gpureg_adopt_destroy_fn destroy, void *user,
                            const gpureg_site *site, gpureg_handle *out, const char *function);

/* ---- Debug-callback guard (process-wide table; see guard.c) -------------------------------- */

/* The registry's guard token: pass it (cast to void* / uintptr_t) as the debug callback's user
 * data instead of any pointer. */
uint64_t gpureg__guard_token(const gpureg_registry *reg);

/* In a debug callback, on any thread: enter the guard with the token. On success it returns the
 * registry's message ring and the registry may not be torn down until gpureg__guard_leave. On
 * failure (registry gone or closing) it returns NULL and counts a late callback; do nothing else. */
typedef struct gpureg__ring gpureg__ring;
gpureg__ring *gpureg__guard_enter(uint64_t token);
void gpureg__guard_leave(uint64_t token);
/* Copy a message into the ring (drop-oldest when full). Lock-free, never allocates. Callback-safe. */
void gpureg__ring_push(gpureg__ring *ring, const gpureg_message *message);
/* Late callbacks dropped by the guard across the process (stats.late_callbacks is per registry). */
uint64_t gpureg__guard_late_total(void);

/* The debug name the core gives objects: `gpureg 0x<16 hex> "<label>" @ <file>:<line>`, truncated
 * to cap. Backends name driver objects with it; messages are mapped back with the parser below. */
#define GPUREG__DRIVER_NAME_SIZE 320u
/* Find "gpureg 0x<hex>" in a driver message or object name; 0 if absent. Callback-safe. */
gpureg_handle gpureg__handle_from_text(const char *text);
/* The handle whose backend op runs on this thread right now (0 if none). A debug callback that
 * the driver runs synchronously, inside that op, uses it to say which object a message is
 * about. Callback-safe. */
gpureg_handle gpureg__current_handle(void);
/* Serial of the open frame (or last ended). Any thread. */
uint64_t gpureg__frame_serial(const gpureg_registry *reg);
/* Frames the registry lets be in flight (its desc's, the default applied). */
uint32_t gpureg__frames_in_flight(const gpureg_registry *reg);
/* Whether a frame is open (between frame_begin and frame_end). Owner thread. */
int gpureg__frame_is_open(const gpureg_registry *reg);

#endif /* GPUREG_BACKEND_H */
