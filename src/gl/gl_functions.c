/* gl_functions.c — load GL entry points through the app's get_proc_address and decide, from the
 * context's version and extensions, which optional paths the backend takes.
 *
 * A non-NULL pointer proves nothing (libglvnd hands out a dispatch stub for any "gl..." name), so
 * optional entry points are loaded only once the version or an extension says they exist. */
#include <stdio.h>
#include <string.h>

#include "gl_backend.h"

/* Extensions that change a choice; the rest are ignored. */
typedef struct gl_extensions {
    int texture_storage, buffer_storage, khr_debug, ssbo, bgra_gles, color_buffer_float, dsa;
    int sampler_objects, texture_stencil8, compute_shader, internalformat_query;
    int arb_robustness, khr_robustness, ext_robustness;
} gl_extensions;

static gl_extensions read_extensions(const gl_backend *b) {
    gl_extensions e = {0};
    GLint count = 0;
    b->gl.GetIntegerv(GL_NUM_EXTENSIONS, &count);
    for (GLint i = 0; i < count; i++) {
        const char *name = (const char *)b->gl.GetStringi(GL_EXTENSIONS, (GLuint)i);
        if (!name) continue;
        if (!strcmp(name, "GL_ARB_texture_storage")) e.texture_storage = 1;
        if (!strcmp(name, "GL_ARB_buffer_storage") || !strcmp(name, "GL_EXT_buffer_storage")) e.buffer_storage = 1;
        if (!strcmp(name, "GL_KHR_debug")) e.khr_debug = 1;
        if (!strcmp(name, "GL_ARB_shader_storage_buffer_object")) e.ssbo = 1;
        if (!strcmp(name, "GL_EXT_texture_format_BGRA8888")) e.bgra_gles = 1;
        if (!strcmp(name, "GL_EXT_color_buffer_float")) e.color_buffer_float = 1;
        if (!strcmp(name, "GL_ARB_direct_state_access")) e.dsa = 1;
        if (!strcmp(name, "GL_ARB_sampler_objects")) e.sampler_objects = 1;
        if (!strcmp(name, "GL_ARB_texture_stencil8") || !strcmp(name, "GL_OES_texture_stencil8"))
            e.texture_stencil8 = 1;
        if (!strcmp(name, "GL_ARB_compute_shader")) e.compute_shader = 1;
        if (!strcmp(name, "GL_ARB_internalformat_query")) e.internalformat_query = 1;
        if (!strcmp(name, "GL_ARB_robustness")) e.arb_robustness = 1;
        if (!strcmp(name, "GL_KHR_robustness")) e.khr_robustness = 1;
        if (!strcmp(name, "GL_EXT_robustness")) e.ext_robustness = 1;
    }
    return e;
}

static uint32_t available_features(const gpureg_gl_info *info, const gl_extensions *e) {
    uint32_t f = 0;
    int es = (int)info->is_gles;
    if (es || gl_version_at_least(info, 4, 2) || e->texture_storage) f |= GPUREG_GL_FEATURE_TEXTURE_STORAGE;
    if ((!es && gl_version_at_least(info, 4, 4)) || e->buffer_storage) f |= GPUREG_GL_FEATURE_BUFFER_STORAGE;
    if (gl_version_at_least(info, es ? 3 : 4, es ? 2 : 3) || e->khr_debug) f |= GPUREG_GL_FEATURE_DEBUG;
    if (gl_version_at_least(info, es ? 3 : 4, es ? 1 : 3) || e->ssbo) f |= GPUREG_GL_FEATURE_STORAGE_BUFFERS;
    if (!es || e->bgra_gles) f |= GPUREG_GL_FEATURE_BGRA;
    if (!es || e->color_buffer_float) f |= GPUREG_GL_FEATURE_FLOAT_RENDER;
    if (!es && (gl_version_at_least(info, 4, 5) || e->dsa)) f |= GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS;
    return f;
}

/* What the context has that no feature bit names (the entry points are loaded with the optional
 * ones: a capability without them is dropped there). */
static gl_caps available_caps(const gpureg_gl_info *info, const gl_extensions *e) {
    int es = (int)info->is_gles;
    gl_caps c = {0};
    c.sampler_objects = es || gl_version_at_least(info, 3, 3) || e->sampler_objects;
    c.stencil_textures = gl_version_at_least(info, es ? 3 : 4, es ? 2 : 4) || e->texture_stencil8;
    c.compute_shaders = gl_version_at_least(info, es ? 3 : 4, es ? 1 : 3) || e->compute_shader;
    c.internalformat_query = es || gl_version_at_least(info, 4, 2) || e->internalformat_query;
    return c;
}

/* glGetGraphicsResetStatus under the name the context has it: core in GL 4.5 and GLES 3.2, and
 * in KHR_robustness (suffixed KHR on GLES); ARB_robustness on desktop, EXT_robustness on GLES.
 * NULL without any of them: only gpureg_gl_context_lost can tell then. */
static PFNGLGETGRAPHICSRESETSTATUSPROC reset_status_function(const gpureg_gl_info *info, const gl_extensions *e,
                                                             gpureg_gl_get_proc_address_fn get) {
    int es = (int)info->is_gles;
    const char *name = NULL;
    if (gl_version_at_least(info, es ? 3 : 4, es ? 2 : 5) || (!es && e->khr_robustness))
        name = "glGetGraphicsResetStatus";
    else if (es && e->khr_robustness)
        name = "glGetGraphicsResetStatusKHR";
    else if (!es && e->arb_robustness)
        name = "glGetGraphicsResetStatusARB";
    else if (es && e->ext_robustness)
        name = "glGetGraphicsResetStatusEXT";
    return name ? (PFNGLGETGRAPHICSRESETSTATUSPROC)get(name) : NULL;
}

/* "OpenGL ES 3.2 Mesa ..." or "4.5 (Core Profile) Mesa ...". */
static int parse_version(const char *text, gpureg_gl_info *info) {
    static const char es[] = "OpenGL ES ";
    info->is_gles = strncmp(text, es, sizeof es - 1) == 0;
    if (info->is_gles) text += sizeof es - 1;
    unsigned major = 0, minor = 0;
    if (sscanf(text, "%u.%u", &major, &minor) != 2) return 0;
    info->major = major;
    info->minor = minor;
    return 1;
}

static gpureg_result load_context(gl_backend *b, const gpureg_gl_desc *desc, gpureg_gl_get_proc_address_fn get);

gpureg_result gl_load(gl_backend *b, const gpureg_gl_desc *desc) {
    gpureg_gl_get_proc_address_fn get = desc->get_proc_address;
    const char *missing = NULL;
#define GPUREG_GL_LOAD_REQUIRED(type, name)                                                                            \
    if (!(b->gl.name = (type)get("gl" #name)) && !missing) missing = "gl" #name;
    GPUREG_GL_REQUIRED(GPUREG_GL_LOAD_REQUIRED)
#undef GPUREG_GL_LOAD_REQUIRED
    if (missing) return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED, "gpureg_gl_create: %s is missing", missing);
    /* The queries below cannot fail on a valid context; whatever they leave is read quietly, and
     * an error the app left pending is still pending afterwards. */
    gl_errors errors;
    gl_errors_begin(b, &errors);
    gpureg_result r = load_context(b, desc, get);
    (void)gl_errors_end(b, &errors, NULL);
    return r;
}

/* The version, the features and the optional entry points of the current context. */
static gpureg_result load_context(gl_backend *b, const gpureg_gl_desc *desc, gpureg_gl_get_proc_address_fn get) {
    const char *version = (const char *)b->gl.GetString(GL_VERSION);
    if (!version)
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED,
                            "gpureg_gl_create: no GL context is current on this thread");
    if (!parse_version(version, &b->info))
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED, "gpureg_gl_create: unreadable GL_VERSION \"%s\"", version);
    if (!gl_version_at_least(&b->info, 3, b->info.is_gles ? 0 : 2))
        return gpureg__fail(b->reg, GPUREG_ERR_UNSUPPORTED,
                            "gpureg_gl_create: GL_VERSION \"%s\": gpureg needs GL 3.2 core or GLES 3.0", version);

    gl_extensions ext = read_extensions(b);
    b->info.features = available_features(&b->info, &ext) & ~desc->disable_features;
    b->caps = available_caps(&b->info, &ext);
    b->GetGraphicsResetStatus = reset_status_function(&b->info, &ext, get);

    /* Optional entry points: the core name first, then the extension spelling. */
#define GPUREG_GL_LOAD_OPTIONAL(type, name, alias)                                                                     \
    b->gl.name = (type)get("gl" #name);                                                                                \
    if (!b->gl.name) b->gl.name = (type)get(alias);
    GPUREG_GL_OPTIONAL(GPUREG_GL_LOAD_OPTIONAL)
#undef GPUREG_GL_LOAD_OPTIONAL
    /* On GLES before 3.2, KHR_debug's functions carry the KHR suffix; a stub under the core name
     * would dispatch to nothing. */
    if (b->info.is_gles && !gl_version_at_least(&b->info, 3, 2)) {
        b->gl.DebugMessageCallback = (PFNGLDEBUGMESSAGECALLBACKPROC)get("glDebugMessageCallbackKHR");
        b->gl.GetPointerv = (PFNGLGETPOINTERVPROC)get("glGetPointervKHR");
        b->gl.ObjectLabel = (PFNGLOBJECTLABELPROC)get("glObjectLabelKHR");
    }
    if (b->info.is_gles) {
        b->gl.GetBufferSubData = NULL; /* not in GLES: reads map a copy instead */
        b->gl.BufferStorage = (PFNGLBUFFERSTORAGEPROC)get("glBufferStorageEXT"); /* GLES has only the EXT */
    }
    struct {
        uint32_t feature;
        int present;
    } needs[] = {
        {GPUREG_GL_FEATURE_TEXTURE_STORAGE, b->gl.TexStorage2D && b->gl.TexStorage3D},
        {GPUREG_GL_FEATURE_BUFFER_STORAGE, b->gl.BufferStorage != NULL},
        {GPUREG_GL_FEATURE_DEBUG, b->gl.DebugMessageCallback && b->gl.GetPointerv && b->gl.ObjectLabel},
        {GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS,
         b->gl.CreateTextures && b->gl.TextureStorage2D && b->gl.TextureStorage3D && b->gl.TextureSubImage2D &&
             b->gl.TextureSubImage3D && b->gl.GetTextureSubImage && b->gl.TextureParameteri && b->gl.CreateBuffers &&
             b->gl.NamedBufferStorage && b->gl.NamedBufferData && b->gl.NamedBufferSubData &&
             b->gl.GetNamedBufferSubData && b->gl.CreateFramebuffers && b->gl.NamedFramebufferTexture &&
             b->gl.NamedFramebufferRenderbuffer && b->gl.NamedFramebufferDrawBuffers &&
             b->gl.NamedFramebufferReadBuffer && b->gl.CheckNamedFramebufferStatus && b->gl.CreateRenderbuffers &&
             b->gl.NamedRenderbufferStorage && b->gl.NamedRenderbufferStorageMultisample && b->gl.CreateVertexArrays &&
             b->gl.CreateSamplers},
    };
    for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++)
        if (!needs[i].present) b->info.features &= ~needs[i].feature;
    if (!b->gl.GenSamplers || !b->gl.DeleteSamplers || !b->gl.IsSampler || !b->gl.SamplerParameteri)
        b->caps.sampler_objects = 0;
    if (!b->gl.GetInternalformativ) b->caps.internalformat_query = 0;
    /* Direct state access makes storage with glTextureStorage*: without immutable storage it
     * would have nothing to call. */
    if (!(b->info.features & GPUREG_GL_FEATURE_TEXTURE_STORAGE))
        b->info.features &= ~(uint32_t)GPUREG_GL_FEATURE_DIRECT_STATE_ACCESS;

    GLint value = 0;
    b->gl.GetIntegerv(GL_MAX_TEXTURE_SIZE, &value);
    b->info.max_texture_size = (uint32_t)value;
    b->gl.GetIntegerv(GL_MAX_ARRAY_TEXTURE_LAYERS, &value);
    b->info.max_array_layers = (uint32_t)value;
    b->gl.GetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &b->caps.max_renderbuffer_size);
    b->gl.GetIntegerv(GL_MAX_SAMPLES, &b->caps.max_samples);
    b->max_label_length = 0;
    if (b->info.features & GPUREG_GL_FEATURE_DEBUG) b->gl.GetIntegerv(GL_MAX_LABEL_LENGTH, &b->max_label_length);
    gl_formats_init(b);
    return GPUREG_OK;
}
