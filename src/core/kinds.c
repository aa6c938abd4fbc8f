/* kinds.c — the name of each gpureg_object_kind, as reports and logs spell it. */
#include "gpureg/gpureg.h"

static const char *const kind_names[GPUREG_KIND_COUNT] = {
    [GPUREG_KIND_UNDEFINED] = "undefined",
    [GPUREG_KIND_TEXTURE] = "texture",
    [GPUREG_KIND_BUFFER] = "buffer",
    [GPUREG_KIND_FRAMEBUFFER] = "framebuffer",
    [GPUREG_KIND_RENDERBUFFER] = "renderbuffer",
    [GPUREG_KIND_VERTEX_ARRAY] = "vertex_array",
    [GPUREG_KIND_SAMPLER] = "sampler",
    [GPUREG_KIND_SHADER] = "shader",
    [GPUREG_KIND_PROGRAM] = "program",
    [GPUREG_KIND_IMAGE_VIEW] = "image_view",
    [GPUREG_KIND_RENDER_PASS] = "render_pass",
    [GPUREG_KIND_PIPELINE] = "pipeline",
    [GPUREG_KIND_PIPELINE_LAYOUT] = "pipeline_layout",
    [GPUREG_KIND_DESCRIPTOR_SET_LAYOUT] = "descriptor_set_layout",
    [GPUREG_KIND_DESCRIPTOR_POOL] = "descriptor_pool",
};

const char *gpureg_kind_name(gpureg_object_kind kind) {
    return (unsigned)kind < GPUREG_KIND_COUNT ? kind_names[kind] : "undefined";
}
