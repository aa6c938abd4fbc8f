/* test_vk_kinds.c — every object kind but textures and buffers, on lavapipe:
 *   - a frame drawn from objects of every Vulkan kind the app made (render pass, framebuffer on a
 *     gpureg texture's view, descriptor set layout, pipeline layout, descriptor pool, an extra
 *     image view, a sampler, a shader module, a graphics pipeline) and gpureg's own sampler and
 *     shader module: the picture is right; adopted with DESTROY and released while the GPU is
 *     held back by an event, none is destroyed (the fixture counts gpureg's vkDestroy* calls, and
 *     the validation layer would report one in use) until the frame's fence has signalled;
 *   - adopted with KEEP they are tracked (handle, kind, driver name, report) and never destroyed
 *     by gpureg; leaked DESTROY adoptions are destroyed by gpureg_destroy;
 *   - gpureg_object_adopt's destroy callback runs once, after an app fence;
 *   - the sampler state's VkSamplerCreateInfo, the SPIR-V checks and the copy of unaligned code,
 *     the kinds Vulkan answers UNSUPPORTED, and bad input (distinct errors, nothing left behind).
 * Zero validation errors, synchronization validation included, throughout. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vk_fixture.h"

enum { SIZE = 16 };                                       /* the target's width and height */
static const uint8_t COLOR[4] = {0x20, 0x40, 0x80, 0xFF}; /* every texel of the source */

static uint32_t *read_spirv(const char *name, size_t *size) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", VKF_SPIRV_DIR, name);
    FILE *fp = fopen(path, "rb");
    if (!fp) fail_msg("%s is missing: the build compiles shaders/ with glslc", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    assert_true(n >= 20 && n % 4 == 0);
    uint32_t *words = malloc((size_t)n);
    assert_int_equal(fread(words, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *size = (size_t)n;
    return words;
}

static gpureg_stats stats_of(gpureg_registry *reg) {
    gpureg_stats st;
    assert_int_equal(gpureg_get_stats(reg, &st), GPUREG_OK);
    return st;
}

static uint64_t native_of(gpureg_registry *reg, gpureg_object o) {
    uint64_t n = 0;
    assert_int_equal(gpureg_vk_object_handle(reg, o, &n, NULL), GPUREG_OK);
    return n;
}

/* ---- The rig: one frame's worth of objects of every kind -------------------------------------- */
enum { RP, FB, DSL, PL, POOL, VIEW, SAMPLER, SHADER, PIPE, ADOPTED };
static const gpureg_object_kind rig_kinds[ADOPTED] = {
    [RP] = GPUREG_KIND_RENDER_PASS,     [FB] = GPUREG_KIND_FRAMEBUFFER,       [DSL] = GPUREG_KIND_DESCRIPTOR_SET_LAYOUT,
    [PL] = GPUREG_KIND_PIPELINE_LAYOUT, [POOL] = GPUREG_KIND_DESCRIPTOR_POOL, [VIEW] = GPUREG_KIND_IMAGE_VIEW,
    [SAMPLER] = GPUREG_KIND_SAMPLER,    [SHADER] = GPUREG_KIND_SHADER,        [PIPE] = GPUREG_KIND_PIPELINE,
};
static const VkObjectType rig_types[ADOPTED] = {
    [RP] = VK_OBJECT_TYPE_RENDER_PASS,
    [FB] = VK_OBJECT_TYPE_FRAMEBUFFER,
    [DSL] = VK_OBJECT_TYPE_DESCRIPTOR_SET_LAYOUT,
    [PL] = VK_OBJECT_TYPE_PIPELINE_LAYOUT,
    [POOL] = VK_OBJECT_TYPE_DESCRIPTOR_POOL,
    [VIEW] = VK_OBJECT_TYPE_IMAGE_VIEW,
    [SAMPLER] = VK_OBJECT_TYPE_SAMPLER,
    [SHADER] = VK_OBJECT_TYPE_SHADER_MODULE,
    [PIPE] = VK_OBJECT_TYPE_PIPELINE,
};

typedef struct rig {
    gpureg_texture source, target; /* 4x4 of COLOR, sampled; SIZE x SIZE colour attachment */
    gpureg_buffer vertices;        /* STREAM: written in place */
    gpureg_object sampler, vert;   /* made by gpureg: the pipeline samples and runs them */
    uint64_t native[ADOPTED];      /* made by the app, adopted as rig_kinds[i] */
    gpureg_object adopted[ADOPTED];
    VkDescriptorSet set;
} rig;

#define RIG(r, i, type) ((Vk##type)(uintptr_t)(r)->native[i])

static void rig_adopt(vk_fixture *f, rig *r, int i, uint64_t native, gpureg_vk_ownership own) {
    char label[64];
    snprintf(label, sizeof label, "rig %s", gpureg_kind_name(rig_kinds[i]));
    gpureg_object_desc d = {.kind = rig_kinds[i], .label = label};
    r->native[i] = native;
    assert_int_equal(gpureg_vk_object_adopt(f->reg, &d, native, own, &r->adopted[i]), GPUREG_OK);
}

static void rig_resources(vk_fixture *f, rig *r) {
    gpureg_registry *reg = f->reg;
    gpureg_texture_desc sd = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "rig source"};
    assert_int_equal(gpureg_texture_create(reg, &sd, &r->source), GPUREG_OK);
    uint8_t px[4 * 4 * 4];
    for (int i = 0; i < 16; i++)
        memcpy(px + i * 4, COLOR, 4);
    gpureg_texture_region whole = {0};
    assert_int_equal(gpureg_texture_write(reg, r->source, &whole, px, sizeof px, 0), GPUREG_OK);
    gpureg_texture_desc td = {.width = SIZE,
                              .height = SIZE,
                              .format = GPUREG_FORMAT_RGBA8_UNORM,
                              .usage = GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT,
                              .label = "rig target"};
    assert_int_equal(gpureg_texture_create(reg, &td, &r->target), GPUREG_OK);
    /* Two triangles over the target: position (pixels), uv, tint. */
    const float quad[6][8] = {{0, 0, 0, 0, 1, 1, 1, 1}, {SIZE, 0, 1, 0, 1, 1, 1, 1},    {SIZE, SIZE, 1, 1, 1, 1, 1, 1},
                              {0, 0, 0, 0, 1, 1, 1, 1}, {SIZE, SIZE, 1, 1, 1, 1, 1, 1}, {0, SIZE, 0, 1, 1, 1, 1, 1}};
    gpureg_buffer_desc bd = {
        .size = sizeof quad, .usage = GPUREG_BUFFER_USAGE_VERTEX, .update = GPUREG_UPDATE_STREAM, .label = "rig quad"};
    assert_int_equal(gpureg_buffer_create(reg, &bd, &r->vertices), GPUREG_OK);
    assert_int_equal(gpureg_buffer_write(reg, r->vertices, 0, quad, sizeof quad), GPUREG_OK);
    gpureg_sampler_desc smp = {.state = {GPUREG_FILTER_NEAREST, GPUREG_FILTER_NEAREST, GPUREG_MIP_FILTER_NONE,
                                         GPUREG_WRAP_CLAMP_TO_EDGE, GPUREG_WRAP_CLAMP_TO_EDGE},
                               .label = "rig nearest"};
    assert_int_equal(gpureg_sampler_create(reg, &smp, &r->sampler), GPUREG_OK);
    size_t size;
    uint32_t *code = read_spirv("sprite.vert.spv", &size);
    gpureg_shader_desc vd = {.stage = GPUREG_STAGE_VERTEX, .code = code, .code_size = size, .label = "rig vert"};
    assert_int_equal(gpureg_shader_create(reg, &vd, &r->vert), GPUREG_OK);
    free(code);
}

static void rig_pass(vk_fixture *f, rig *r, gpureg_vk_ownership own) {
    VkAttachmentDescription color = {.format = VK_FORMAT_R8G8B8A8_UNORM,
                                     .samples = VK_SAMPLE_COUNT_1_BIT,
                                     .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
                                     .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
                                     .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
                                     .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
                                     .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
                                     .finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkAttachmentReference ref = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription sub = {
        .pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS, .colorAttachmentCount = 1, .pColorAttachments = &ref};
    VkRenderPassCreateInfo rpi = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
                                  .attachmentCount = 1,
                                  .pAttachments = &color,
                                  .subpassCount = 1,
                                  .pSubpasses = &sub};
    VkRenderPass pass;
    assert_int_equal(vkCreateRenderPass(f->device, &rpi, NULL, &pass), VK_SUCCESS);
    rig_adopt(f, r, RP, (uint64_t)(uintptr_t)pass, own);
    VkImageView target;
    assert_int_equal(gpureg_vk_texture_view(f->reg, r->target, &target), GPUREG_OK);
    VkFramebufferCreateInfo fbi = {.sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
                                   .renderPass = pass,
                                   .attachmentCount = 1,
                                   .pAttachments = &target,
                                   .width = SIZE,
                                   .height = SIZE,
                                   .layers = 1};
    VkFramebuffer fb;
    assert_int_equal(vkCreateFramebuffer(f->device, &fbi, NULL, &fb), VK_SUCCESS);
    rig_adopt(f, r, FB, (uint64_t)(uintptr_t)fb, own);
}

/* Layouts, the pool and its set, reading the source through an extra view and gpureg's sampler. */
static void rig_descriptors(vk_fixture *f, rig *r, gpureg_vk_ownership own) {
    VkDescriptorSetLayoutBinding b = {0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_FRAGMENT_BIT,
                                      NULL};
    VkDescriptorSetLayoutCreateInfo li = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, .bindingCount = 1, .pBindings = &b};
    VkDescriptorSetLayout dsl;
    assert_int_equal(vkCreateDescriptorSetLayout(f->device, &li, NULL, &dsl), VK_SUCCESS);
    rig_adopt(f, r, DSL, (uint64_t)(uintptr_t)dsl, own);
    VkPushConstantRange push = {VK_SHADER_STAGE_VERTEX_BIT, 0, 2 * sizeof(float)};
    VkPipelineLayoutCreateInfo pli = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
                                      .setLayoutCount = 1,
                                      .pSetLayouts = &dsl,
                                      .pushConstantRangeCount = 1,
                                      .pPushConstantRanges = &push};
    VkPipelineLayout pl;
    assert_int_equal(vkCreatePipelineLayout(f->device, &pli, NULL, &pl), VK_SUCCESS);
    rig_adopt(f, r, PL, (uint64_t)(uintptr_t)pl, own);
    VkDescriptorPoolSize ps = {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1};
    VkDescriptorPoolCreateInfo pi = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO, .maxSets = 1, .poolSizeCount = 1, .pPoolSizes = &ps};
    VkDescriptorPool pool;
    assert_int_equal(vkCreateDescriptorPool(f->device, &pi, NULL, &pool), VK_SUCCESS);
    rig_adopt(f, r, POOL, (uint64_t)(uintptr_t)pool, own);
    VkDescriptorSetAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                                      .descriptorPool = pool,
                                      .descriptorSetCount = 1,
                                      .pSetLayouts = &dsl};
    assert_int_equal(vkAllocateDescriptorSets(f->device, &ai, &r->set), VK_SUCCESS);
    VkImageViewCreateInfo vi = {.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
                                .viewType = VK_IMAGE_VIEW_TYPE_2D,
                                .format = VK_FORMAT_R8G8B8A8_UNORM,
                                .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
    assert_int_equal(gpureg_vk_texture_image(f->reg, r->source, &vi.image), GPUREG_OK);
    VkImageView view;
    assert_int_equal(vkCreateImageView(f->device, &vi, NULL, &view), VK_SUCCESS);
    rig_adopt(f, r, VIEW, (uint64_t)(uintptr_t)view, own);
    VkDescriptorImageInfo ii = {(VkSampler)(uintptr_t)native_of(f->reg, r->sampler), view,
                                VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
    VkWriteDescriptorSet w = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                              .dstSet = r->set,
                              .descriptorCount = 1,
                              .descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
                              .pImageInfo = &ii};
    vkUpdateDescriptorSets(f->device, 1, &w, 0, NULL);
    /* A sampler of the app's own too: adopted, not sampled with. */
    VkSamplerCreateInfo si = {.sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO, .maxLod = VK_LOD_CLAMP_NONE};
    VkSampler sampler;
    assert_int_equal(vkCreateSampler(f->device, &si, NULL, &sampler), VK_SUCCESS);
    rig_adopt(f, r, SAMPLER, (uint64_t)(uintptr_t)sampler, own);
}

/* The pipeline: gpureg's vertex shader module, the app's fragment one. */
static void rig_pipeline(vk_fixture *f, rig *r, gpureg_vk_ownership own) {
    size_t size;
    uint32_t *code = read_spirv("sprite.frag.spv", &size);
    VkShaderModuleCreateInfo mi = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, .codeSize = size, .pCode = code};
    VkShaderModule frag;
    assert_int_equal(vkCreateShaderModule(f->device, &mi, NULL, &frag), VK_SUCCESS);
    free(code);
    rig_adopt(f, r, SHADER, (uint64_t)(uintptr_t)frag, own);
    VkPipelineShaderStageCreateInfo stages[2] = {{.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                                                  .stage = VK_SHADER_STAGE_VERTEX_BIT,
                                                  .module = (VkShaderModule)(uintptr_t)native_of(f->reg, r->vert),
                                                  .pName = "main"},
                                                 {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                                                  .stage = VK_SHADER_STAGE_FRAGMENT_BIT,
                                                  .module = frag,
                                                  .pName = "main"}};
    VkVertexInputBindingDescription vb = {0, 8 * sizeof(float), VK_VERTEX_INPUT_RATE_VERTEX};
    VkVertexInputAttributeDescription va[3] = {{0, 0, VK_FORMAT_R32G32_SFLOAT, 0},
                                               {1, 0, VK_FORMAT_R32G32_SFLOAT, 2 * sizeof(float)},
                                               {2, 0, VK_FORMAT_R32G32B32A32_SFLOAT, 4 * sizeof(float)}};
    VkPipelineVertexInputStateCreateInfo vi = {.sType = VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO,
                                               .vertexBindingDescriptionCount = 1,
                                               .pVertexBindingDescriptions = &vb,
                                               .vertexAttributeDescriptionCount = 3,
                                               .pVertexAttributeDescriptions = va};
    VkPipelineInputAssemblyStateCreateInfo ia = {.sType = VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO,
                                                 .topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST};
    VkViewport viewport = {0, 0, SIZE, SIZE, 0, 1};
    VkRect2D scissor = {{0, 0}, {SIZE, SIZE}};
    VkPipelineViewportStateCreateInfo vp = {.sType = VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO,
                                            .viewportCount = 1,
                                            .pViewports = &viewport,
                                            .scissorCount = 1,
                                            .pScissors = &scissor};
    VkPipelineRasterizationStateCreateInfo rs = {.sType = VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO,
                                                 .polygonMode = VK_POLYGON_MODE_FILL,
                                                 .cullMode = VK_CULL_MODE_NONE,
                                                 .lineWidth = 1};
    VkPipelineMultisampleStateCreateInfo ms = {.sType = VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO,
                                               .rasterizationSamples = VK_SAMPLE_COUNT_1_BIT};
    VkPipelineColorBlendAttachmentState blend = {.colorWriteMask = 0xF};
    VkPipelineColorBlendStateCreateInfo cb = {.sType = VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO,
                                              .attachmentCount = 1,
                                              .pAttachments = &blend};
    VkGraphicsPipelineCreateInfo gi = {.sType = VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO,
                                       .stageCount = 2,
                                       .pStages = stages,
                                       .pVertexInputState = &vi,
                                       .pInputAssemblyState = &ia,
                                       .pViewportState = &vp,
                                       .pRasterizationState = &rs,
                                       .pMultisampleState = &ms,
                                       .pColorBlendState = &cb,
                                       .layout = RIG(r, PL, PipelineLayout),
                                       .renderPass = RIG(r, RP, RenderPass)};
    VkPipeline pipe;
    assert_int_equal(vkCreateGraphicsPipelines(f->device, VK_NULL_HANDLE, 1, &gi, NULL, &pipe), VK_SUCCESS);
    rig_adopt(f, r, PIPE, (uint64_t)(uintptr_t)pipe, own);
}

static void rig_build(vk_fixture *f, rig *r, gpureg_vk_ownership own) {
    memset(r, 0, sizeof *r);
    rig_resources(f, r);
    rig_pass(f, r, own);
    rig_descriptors(f, r, own);
    rig_pipeline(f, r, own);
}

static void rig_record(vk_fixture *f, const rig *r, VkCommandBuffer cmd) {
    VkClearValue clear = {.color = {{0, 0, 0, 0}}};
    VkRenderPassBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
                                .renderPass = RIG(r, RP, RenderPass),
                                .framebuffer = RIG(r, FB, Framebuffer),
                                .renderArea = {{0, 0}, {SIZE, SIZE}},
                                .clearValueCount = 1,
                                .pClearValues = &clear};
    vkCmdBeginRenderPass(cmd, &bi, VK_SUBPASS_CONTENTS_INLINE);
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, RIG(r, PIPE, Pipeline));
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, RIG(r, PL, PipelineLayout), 0, 1, &r->set, 0, NULL);
    const float viewport[2] = {SIZE, SIZE};
    vkCmdPushConstants(cmd, RIG(r, PL, PipelineLayout), VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof viewport, viewport);
    VkBuffer vertices;
    assert_int_equal(gpureg_vk_buffer_buffer(f->reg, r->vertices, &vertices), GPUREG_OK);
    VkDeviceSize zero = 0;
    vkCmdBindVertexBuffers(cmd, 0, 1, &vertices, &zero);
    vkCmdDraw(cmd, 6, 1, 0, 0);
    vkCmdEndRenderPass(cmd);
}

/* Every texel of the target is the source's colour: sampler, views, shaders and pipeline are real. */
static void check_picture(vk_fixture *f, const rig *r) {
    assert_int_equal(gpureg_vk_texture_set_layout(f->reg, r->target, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL),
                     GPUREG_OK);
    uint8_t px[SIZE * SIZE * 4];
    gpureg_texture_region whole = {0};
    assert_int_equal(gpureg_texture_read(f->reg, r->target, &whole, px, sizeof px), GPUREG_OK);
    for (int i = 0; i < SIZE * SIZE; i++)
        assert_memory_equal(px + i * 4, COLOR, 4);
}

/* The rig's objects of generic kinds: the adopted ones, then gpureg's sampler and shader. */
enum { RIG_OBJECTS = ADOPTED + 2 };
static gpureg_handle rig_object(const rig *r, int i) {
    return i < ADOPTED ? r->adopted[i].id : i == ADOPTED ? r->sampler.id : r->vert.id;
}

static void rig_release_objects(vk_fixture *f, const rig *r) {
    for (int i = 0; i < RIG_OBJECTS; i++)
        assert_int_equal(gpureg_release(f->reg, rig_object(r, i)), GPUREG_OK);
}

static void rig_release_resources(vk_fixture *f, const rig *r) {
    assert_int_equal(gpureg_texture_release(f->reg, r->source), GPUREG_OK);
    assert_int_equal(gpureg_texture_release(f->reg, r->target), GPUREG_OK);
    assert_int_equal(gpureg_buffer_release(f->reg, r->vertices), GPUREG_OK);
}

static void check_states(vk_fixture *f, const rig *r, gpureg_state want) {
    for (int i = 0; i < RIG_OBJECTS; i++)
        assert_int_equal(gpureg_query_state(f->reg, rig_object(r, i)), want);
}

/* gpureg's vkDestroy* calls since `before`, of each type the rig has: its own sampler and shader
 * module, `views` image views, and the adopted objects when it destroys them. Where one object of
 * a type was destroyed, it is the rig's. */
static void check_destroyed(const uint64_t *before, const rig *r, int adopted_destroyed, uint64_t views) {
    uint64_t want[VKF_OBJECT_TYPES] = {0};
    for (int i = 0; i < ADOPTED && adopted_destroyed; i++)
        want[rig_types[i]]++;
    want[VK_OBJECT_TYPE_SAMPLER]++;
    want[VK_OBJECT_TYPE_SHADER_MODULE]++;
    want[VK_OBJECT_TYPE_IMAGE_VIEW] = views;
    for (int i = 0; i < ADOPTED; i++) {
        VkObjectType t = rig_types[i];
        assert_int_equal(vkf_injected.destroy_calls[t] - before[t], want[t]);
        if (adopted_destroyed && want[t] == 1) assert_int_equal(vkf_injected.last_destroyed[t], r->native[i]);
    }
}

static void adopted_objects_draw_and_wait_for_the_frame_fence(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    rig r;
    rig_build(f, &r, GPUREG_VK_ADOPT_DESTROY);
    /* The frame's work waits for an event the host sets later: the GPU cannot finish early. */
    VkEventCreateInfo ei = {.sType = VK_STRUCTURE_TYPE_EVENT_CREATE_INFO};
    VkEvent ev;
    assert_int_equal(vkCreateEvent(f->device, &ei, NULL, &ev), VK_SUCCESS);
    VkCommandPool pool;
    VkCommandBuffer cmd = vkf_begin(f, &pool);
    vkCmdWaitEvents(cmd, 1, &ev, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, NULL, 0, NULL, 0,
                    NULL);
    rig_record(f, &r, cmd);
    assert_int_equal(vkEndCommandBuffer(cmd), VK_SUCCESS);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
    assert_int_equal(vkQueueSubmit(f->queue, 1, &si, VK_NULL_HANDLE), VK_SUCCESS);
    rig_release_objects(f, &r);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    uint64_t before[VKF_OBJECT_TYPES];
    memcpy(before, vkf_injected.destroy_calls, sizeof before);
    uint32_t destroyed = 99;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
        assert_int_equal(destroyed, 0);
    }
    check_states(f, &r, GPUREG_STATE_RELEASED);
    assert_memory_equal(vkf_injected.destroy_calls, before, sizeof before);
    assert_int_equal(vkSetEvent(f->device, ev), VK_SUCCESS);
    assert_int_equal(vkQueueWaitIdle(f->queue), VK_SUCCESS);
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, RIG_OBJECTS); /* all at the first collection after the fence */
    check_states(f, &r, GPUREG_STATE_DESTROYED);
    check_destroyed(before, &r, 1, 1);
    check_picture(f, &r);
    rig_release_resources(f, &r);
    vkDestroyEvent(f->device, ev, NULL);
    vkDestroyCommandPool(f->device, pool, NULL);
    vkf_destroy_registry(f, 0);
}

/* ---- KEEP: tracked, named and reported, never destroyed by gpureg ------------------------------ */
typedef struct report_text {
    char text[32768];
    size_t length;
} report_text;

static void report_append(const char *piece, size_t length, void *user) {
    report_text *t = user;
    if (t->length + length < sizeof t->text) {
        memcpy(t->text + t->length, piece, length);
        t->length += length;
        t->text[t->length] = 0;
    }
}

static void check_tracked(vk_fixture *f, const rig *r) {
    report_text *rt = calloc(1, sizeof *rt);
    assert_int_equal(gpureg_report(f->reg, GPUREG_REPORT_JSON, report_append, rt), GPUREG_OK);
    for (int i = 0; i < ADOPTED; i++) {
        uint64_t native = 0;
        gpureg_object_kind kind = GPUREG_KIND_UNDEFINED;
        assert_int_equal(gpureg_vk_object_handle(f->reg, r->adopted[i], &native, &kind), GPUREG_OK);
        assert_int_equal(native, r->native[i]);
        assert_int_equal(kind, rig_kinds[i]);
        gpureg_object_info info;
        assert_int_equal(gpureg_query(f->reg, r->adopted[i].id, &info), GPUREG_OK);
        assert_int_equal(info.type, GPUREG_TYPE_OBJECT);
        assert_int_equal(info.kind, rig_kinds[i]);
        assert_int_equal(info.state, GPUREG_STATE_ALIVE);
        assert_int_equal(info.adopted, 1);
        assert_int_equal(info.native, r->native[i]);
        /* Named in the driver as its own VkObjectType, with handle and label. */
        char handle[32], label[64], line[128];
        snprintf(handle, sizeof handle, "gpureg 0x%016llx", (unsigned long long)r->adopted[i].id);
        snprintf(label, sizeof label, "\"rig %s\"", gpureg_kind_name(rig_kinds[i]));
        const char *name = vkf_name_of(rig_types[i], r->native[i]);
        assert_non_null(name);
        assert_non_null(strstr(name, handle));
        assert_non_null(strstr(name, label));
        /* One report line each, under its kind's name. */
        snprintf(line, sizeof line, "\"type\": \"%s\", \"label\": %s", gpureg_kind_name(rig_kinds[i]), label);
        assert_non_null(strstr(rt->text, line));
    }
    assert_non_null(vkf_name_of(VK_OBJECT_TYPE_SAMPLER, native_of(f->reg, r->sampler)));
    assert_non_null(strstr(vkf_name_of(VK_OBJECT_TYPE_SHADER_MODULE, native_of(f->reg, r->vert)), "\"rig vert\""));
    /* by_type: two samplers and two shaders (the app's and gpureg's), one of every other kind. */
    assert_non_null(strstr(rt->text, "{\"type\": \"sampler\", \"count\": 2"));
    assert_non_null(strstr(rt->text, "{\"type\": \"shader\", \"count\": 2"));
    assert_non_null(strstr(rt->text, "{\"type\": \"pipeline\", \"count\": 1"));
    free(rt);
}

static void keep_adoptions_are_tracked_and_left_to_the_app(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    rig r;
    rig_build(f, &r, GPUREG_VK_ADOPT_KEEP);
    check_tracked(f, &r);
    VkCommandPool pool;
    VkCommandBuffer cmd = vkf_begin(f, &pool);
    rig_record(f, &r, cmd);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    vkf_submit_wait(f, pool, cmd);
    check_picture(f, &r);
    uint64_t before[VKF_OBJECT_TYPES];
    memcpy(before, vkf_injected.destroy_calls, sizeof before);
    rig_release_objects(f, &r);
    assert_int_equal(gpureg_frame_end(reg), GPUREG_OK);
    assert_int_equal(vkQueueWaitIdle(f->queue), VK_SUCCESS);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK); /* (frame_end may have collected already) */
    check_states(f, &r, GPUREG_STATE_DESTROYED);
    check_destroyed(before, &r, 0, 0); /* gpureg's own two only */
    /* Still the app's: it destroys them, and the layer would report any gpureg destroyed. */
    vkDestroyPipeline(f->device, RIG(&r, PIPE, Pipeline), NULL);
    vkDestroyShaderModule(f->device, RIG(&r, SHADER, ShaderModule), NULL);
    vkDestroySampler(f->device, RIG(&r, SAMPLER, Sampler), NULL);
    vkDestroyImageView(f->device, RIG(&r, VIEW, ImageView), NULL);
    vkDestroyDescriptorPool(f->device, RIG(&r, POOL, DescriptorPool), NULL);
    vkDestroyPipelineLayout(f->device, RIG(&r, PL, PipelineLayout), NULL);
    vkDestroyDescriptorSetLayout(f->device, RIG(&r, DSL, DescriptorSetLayout), NULL);
    vkDestroyFramebuffer(f->device, RIG(&r, FB, Framebuffer), NULL);
    vkDestroyRenderPass(f->device, RIG(&r, RP, RenderPass), NULL);
    rig_release_resources(f, &r);
    vkf_destroy_registry(f, 0);
}

/* gpureg_destroy destroys what was never released, DESTROY adoptions with vkDestroy<Type>. */
static void leaked_adoptions_are_destroyed_at_shutdown(void **state) {
    vk_fixture *f = *state;
    vkf_registry(f, NULL);
    rig r;
    rig_build(f, &r, GPUREG_VK_ADOPT_DESTROY);
    uint64_t before[VKF_OBJECT_TYPES];
    memcpy(before, vkf_injected.destroy_calls, sizeof before);
    vkf_destroy_registry(f, RIG_OBJECTS + 3); /* and the two textures and the buffer */
    check_destroyed(before, &r, 1, 3);        /* the adopted view and the two textures' own */
    /* vkDestroyDevice in the teardown: the layer reports any object left alive. */
}

/* ---- gpureg_object_adopt: the app's callback, once, after the fence ----------------------------- */
typedef struct counted {
    vk_fixture *f;
    int calls;
    uint64_t native;
} counted;

static void destroy_counted(uint64_t native, void *user) {
    counted *c = user;
    c->calls++;
    c->native = native;
    vkDestroySampler(c->f->device, (VkSampler)(uintptr_t)native, NULL);
}

static VkSampler app_sampler(vk_fixture *f) {
    VkSamplerCreateInfo si = {.sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
    VkSampler s;
    assert_int_equal(vkCreateSampler(f->device, &si, NULL, &s), VK_SUCCESS);
    return s;
}

static void object_adopt_callback_runs_once_after_the_fence(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    counted c = {.f = f};
    VkSampler s = app_sampler(f);
    gpureg_object_desc d = {.kind = GPUREG_KIND_SAMPLER, .label = "counted"};
    gpureg_object o;
    assert_int_equal(gpureg_object_adopt(reg, &d, (uint64_t)(uintptr_t)s, destroy_counted, &c, &o), GPUREG_OK);
    assert_non_null(strstr(vkf_name_of(VK_OBJECT_TYPE_SAMPLER, (uint64_t)(uintptr_t)s), "\"counted\""));
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VkFence fence;
    assert_int_equal(vkCreateFence(f->device, &fi, NULL, &fence), VK_SUCCESS);
    assert_int_equal(gpureg_frame_begin(reg), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, o.id), GPUREG_OK);
    assert_int_equal(gpureg_vk_frame_end_fence(reg, fence), GPUREG_OK); /* not submitted yet */
    uint32_t destroyed = 99;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
        assert_int_equal(destroyed, 0);
    }
    assert_int_equal(c.calls, 0);
    assert_int_equal(gpureg_query_state(reg, o.id), GPUREG_STATE_RELEASED);
    assert_int_equal(vkQueueSubmit(f->queue, 0, NULL, fence), VK_SUCCESS);
    assert_int_equal(vkWaitForFences(f->device, 1, &fence, VK_TRUE, UINT64_MAX), VK_SUCCESS);
    assert_int_equal(gpureg_collect(reg, &destroyed), GPUREG_OK);
    assert_int_equal(destroyed, 1);
    assert_int_equal(c.calls, 1);
    assert_int_equal(c.native, (uint64_t)(uintptr_t)s);
    assert_int_equal(vkf_injected.destroy_calls[VK_OBJECT_TYPE_SAMPLER], 0); /* the callback's job, not gpureg's */
    vkf_destroy_registry(f, 0);
    assert_int_equal(c.calls, 1);
    vkDestroyFence(f->device, fence, NULL);
}

/* ---- gpureg_sampler_create: the state as VkSamplerCreateInfo ------------------------------------ */
static void sampler_state_becomes_the_vk_sampler(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    const struct {
        gpureg_sampler_state in;
        VkFilter min, mag;
        VkSamplerMipmapMode mode;
        float max_lod;
        VkSamplerAddressMode u, v;
    } cases[] = {
        /* All DEFAULT: LINEAR, LINEAR, mip NONE (level 0 only: maxLod 0.25), REPEAT. */
        {{0},
         VK_FILTER_LINEAR,
         VK_FILTER_LINEAR,
         VK_SAMPLER_MIPMAP_MODE_NEAREST,
         0.25f,
         VK_SAMPLER_ADDRESS_MODE_REPEAT,
         VK_SAMPLER_ADDRESS_MODE_REPEAT},
        {{GPUREG_FILTER_NEAREST, GPUREG_FILTER_LINEAR, GPUREG_MIP_FILTER_NEAREST, GPUREG_WRAP_CLAMP_TO_EDGE,
          GPUREG_WRAP_MIRRORED_REPEAT},
         VK_FILTER_NEAREST,
         VK_FILTER_LINEAR,
         VK_SAMPLER_MIPMAP_MODE_NEAREST,
         VK_LOD_CLAMP_NONE,
         VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
         VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT},
        {{GPUREG_FILTER_LINEAR, GPUREG_FILTER_NEAREST, GPUREG_MIP_FILTER_LINEAR, GPUREG_WRAP_MIRRORED_REPEAT,
          GPUREG_WRAP_REPEAT},
         VK_FILTER_LINEAR,
         VK_FILTER_NEAREST,
         VK_SAMPLER_MIPMAP_MODE_LINEAR,
         VK_LOD_CLAMP_NONE,
         VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT,
         VK_SAMPLER_ADDRESS_MODE_REPEAT},
        {{GPUREG_FILTER_NEAREST, GPUREG_FILTER_NEAREST, GPUREG_MIP_FILTER_NONE, GPUREG_WRAP_CLAMP_TO_EDGE,
          GPUREG_WRAP_CLAMP_TO_EDGE},
         VK_FILTER_NEAREST,
         VK_FILTER_NEAREST,
         VK_SAMPLER_MIPMAP_MODE_NEAREST,
         0.25f,
         VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
         VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gpureg_sampler_desc d = {.state = cases[i].in, .label = "mapped"};
        gpureg_object o;
        memset(&vkf_injected.last_sampler, 0xCD, sizeof vkf_injected.last_sampler);
        assert_int_equal(gpureg_sampler_create(reg, &d, &o), GPUREG_OK);
        const VkSamplerCreateInfo *ci = &vkf_injected.last_sampler;
        assert_int_equal(ci->minFilter, cases[i].min);
        assert_int_equal(ci->magFilter, cases[i].mag);
        assert_int_equal(ci->mipmapMode, cases[i].mode);
        assert_true(ci->minLod == 0.0f && ci->maxLod == cases[i].max_lod);
        assert_int_equal(ci->addressModeU, cases[i].u);
        assert_int_equal(ci->addressModeV, cases[i].v);
        assert_int_equal(ci->anisotropyEnable, VK_FALSE);
        assert_int_equal(ci->compareEnable, VK_FALSE);
        assert_int_equal(ci->unnormalizedCoordinates, VK_FALSE);
        uint64_t native = 0;
        gpureg_object_kind kind = GPUREG_KIND_UNDEFINED;
        assert_int_equal(gpureg_vk_object_handle(reg, o, &native, &kind), GPUREG_OK);
        assert_int_equal(kind, GPUREG_KIND_SAMPLER);
        assert_non_null(strstr(vkf_name_of(VK_OBJECT_TYPE_SAMPLER, native), "\"mapped\""));
        gpureg_object_info info;
        assert_int_equal(gpureg_query(reg, o.id, &info), GPUREG_OK);
        assert_int_equal(info.kind, GPUREG_KIND_SAMPLER);
        assert_int_equal(info.adopted, 0);
        assert_int_equal(gpureg_release(reg, o.id), GPUREG_OK);
    }
    gpureg_sampler_desc bad = {.state = {.min_filter = (gpureg_filter)7}};
    gpureg_object o = {1};
    assert_int_equal(gpureg_sampler_create(reg, &bad, &o), GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(o.id, 0);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    gpureg_stats st = stats_of(reg);
    assert_int_equal(st.by_kind[GPUREG_KIND_SAMPLER].created_total, 4);
    vkf_destroy_registry(f, 0);
    assert_int_equal(vkf_injected.destroy_calls[VK_OBJECT_TYPE_SAMPLER], 4);
}

/* ---- gpureg_shader_create: SPIR-V checked, unaligned code copied ------------------------------- */
/* One creation site for every attempt: each new site is interned once (host memory that stays). */
static gpureg_result make_shader(gpureg_registry *reg, const gpureg_shader_desc *d, gpureg_object *o) {
    return gpureg_shader_create(reg, d, o);
}

static void shader_code_is_checked_and_copied_when_unaligned(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    size_t size;
    uint32_t *words = read_spirv("sprite.frag.spv", &size);
    gpureg_shader_desc d = {.stage = GPUREG_STAGE_FRAGMENT, .code = words, .code_size = size - 2};
    gpureg_object o = {1};
    assert_int_equal(make_shader(reg, &d, &o), GPUREG_ERR_INVALID_ARGUMENT); /* not whole words */
    assert_int_equal(o.id, 0);
    /* The first failure may leave capacity (a block of slots, the interned site: see "Failure" in
     * gpureg.h); a retry and every other failure add nothing. */
    gpureg_stats before = stats_of(reg);
    assert_int_equal(make_shader(reg, &d, &o), GPUREG_ERR_INVALID_ARGUMENT);
    d.code_size = 16; /* whole words, but shorter than the header */
    assert_int_equal(make_shader(reg, &d, &o), GPUREG_ERR_INVALID_ARGUMENT);
    uint32_t *wrong = malloc(size);
    memcpy(wrong, words, size);
    wrong[0] ^= 0x01000000u; /* no magic number */
    d = (gpureg_shader_desc){.stage = GPUREG_STAGE_FRAGMENT, .code = wrong, .code_size = size};
    assert_int_equal(make_shader(reg, &d, &o), GPUREG_ERR_INVALID_ARGUMENT);
    d.code = NULL;
    assert_int_equal(make_shader(reg, &d, &o), GPUREG_ERR_NULL_POINTER);
    gpureg_stats after = stats_of(reg);
    assert_int_equal(vkf_injected.shader_calls, 0); /* the driver never saw any of them */
    assert_int_equal(after.by_kind[GPUREG_KIND_SHADER].created_total, 0);
    assert_int_equal(after.host_bytes, before.host_bytes);
    /* Aligned code goes to the driver as it is; code at an odd address is copied first. */
    d.code = words;
    assert_int_equal(make_shader(reg, &d, &o), GPUREG_OK);
    assert_true(vkf_injected.last_shader_code == (uintptr_t)words);
    assert_int_equal(gpureg_release(reg, o.id), GPUREG_OK);
    char *odd = malloc(size + 1);
    memcpy(odd + 1, words, size);
    d.code = odd + 1;
    assert_int_equal(make_shader(reg, &d, &o), GPUREG_OK);
    assert_int_equal(vkf_injected.shader_calls, 2);
    assert_int_equal(vkf_injected.last_shader_code % 4, 0);
    assert_true(vkf_injected.last_shader_code != (uintptr_t)(odd + 1));
    assert_int_equal(vkf_injected.last_shader_size, size);
    assert_int_equal(vkf_injected.last_shader_word, 0x07230203u);
    gpureg_object_info info;
    assert_int_equal(gpureg_query(reg, o.id, &info), GPUREG_OK);
    assert_int_equal(info.kind, GPUREG_KIND_SHADER);
    assert_int_equal(info.object.stage, GPUREG_STAGE_FRAGMENT);
    assert_int_equal(gpureg_release(reg, o.id), GPUREG_OK);
    free(odd);
    free(wrong);
    free(words);
    vkf_destroy_registry(f, 0);
    assert_int_equal(vkf_injected.destroy_calls[VK_OBJECT_TYPE_SHADER_MODULE], 2);
}

/* ---- Kinds Vulkan has not: UNSUPPORTED, nothing left behind ------------------------------------ */
static void gl_kinds_are_unsupported(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    gpureg_texture tex;
    gpureg_texture_desc td = {
        .width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM, .usage = GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT};
    assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_OK);
    size_t size;
    uint32_t *code = read_spirv("sprite.vert.spv", &size);
    gpureg_shader_desc sd = {.stage = GPUREG_STAGE_VERTEX, .code = code, .code_size = size};
    gpureg_object shader;
    assert_int_equal(gpureg_shader_create(reg, &sd, &shader), GPUREG_OK);
    free(code);
    gpureg_object o = {1};
    gpureg_renderbuffer_desc rb = {.width = 8, .height = 8, .format = GPUREG_FORMAT_D24_UNORM_S8_UINT};
    assert_int_equal(gpureg_renderbuffer_create(reg, &rb, &o), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(o.id, 0);
    gpureg_framebuffer_desc fb = {.color = {tex}};
    o.id = 1;
    assert_int_equal(gpureg_framebuffer_create(reg, &fb, &o), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(o.id, 0);
    gpureg_program_desc pd = {.shaders = &shader, .shader_count = 1};
    o.id = 1;
    assert_int_equal(gpureg_program_create(reg, &pd, &o), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(o.id, 0);
    gpureg_vertex_array_desc vd = {0};
    o.id = 1;
    assert_int_equal(gpureg_vertex_array_create(reg, &vd, &o), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(o.id, 0);
    gpureg_render_target_desc rd = {.color = {.width = 8, .height = 8, .format = GPUREG_FORMAT_RGBA8_UNORM},
                                    .depth_stencil = GPUREG_FORMAT_D24_UNORM_S8_UINT};
    gpureg_render_target rt = {{1}, {1}, {1}};
    uint64_t textures_before = stats_of(reg).texture.created_total;
    assert_int_equal(gpureg_render_target_create(reg, &rd, &rt), GPUREG_ERR_UNSUPPORTED);
    /* Refused before it makes anything: no texture was made and released on the way. */
    assert_int_equal(stats_of(reg).texture.created_total, textures_before);
    assert_int_equal(stats_of(reg).texture.pending_count, 0);
    assert_true(rt.color.id == 0 && rt.framebuffer.id == 0 && rt.depth_stencil.id == 0);
    assert_int_equal(gpureg_collect(reg, NULL), GPUREG_OK);
    gpureg_stats st = stats_of(reg);
    assert_int_equal(st.texture.live_count, 1); /* tex only: the render target left no texture */
    const gpureg_object_kind none[] = {GPUREG_KIND_RENDERBUFFER, GPUREG_KIND_FRAMEBUFFER, GPUREG_KIND_PROGRAM,
                                       GPUREG_KIND_VERTEX_ARRAY};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        assert_int_equal(st.by_kind[none[i]].created_total, 0);
    assert_int_equal(st.by_kind[GPUREG_KIND_SHADER].live_count, 1);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_release(reg, shader.id), GPUREG_OK);
    vkf_destroy_registry(f, 0);
}

/* ---- Bad input: distinct errors, no state change, the app's object untouched --------------------- */
typedef struct adopt_call {
    gpureg_registry *reg;
    uint64_t native;
    gpureg_result result;
} adopt_call;

static void *adopt_from_another_thread(void *arg) {
    adopt_call *c = arg;
    gpureg_object_desc d = {.kind = GPUREG_KIND_SAMPLER};
    gpureg_object o;
    c->result = gpureg_vk_object_adopt(c->reg, &d, c->native, GPUREG_VK_ADOPT_DESTROY, &o);
    return NULL;
}

static void adopt_and_handle_reject_bad_input(void **state) {
    vk_fixture *f = *state;
    gpureg_registry *reg = vkf_registry(f, NULL);
    VkSampler s = app_sampler(f);
    uint64_t n = (uint64_t)(uintptr_t)s;
    gpureg_stats before = stats_of(reg);
    gpureg_object_desc d = {.kind = GPUREG_KIND_SAMPLER, .label = "bad"};
    gpureg_object o = {1};
    assert_int_equal(gpureg_vk_object_adopt(NULL, &d, n, GPUREG_VK_ADOPT_DESTROY, &o), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(o.id, 0);
    assert_int_equal(gpureg_vk_object_adopt(reg, NULL, n, GPUREG_VK_ADOPT_DESTROY, &o), GPUREG_ERR_NULL_POINTER);
    assert_int_equal(gpureg_vk_object_adopt(reg, &d, n, GPUREG_VK_ADOPT_DESTROY, NULL), GPUREG_ERR_NULL_POINTER);
    o.id = 1;
    assert_int_equal(gpureg_vk_object_adopt(reg, &d, 0, GPUREG_VK_ADOPT_DESTROY, &o), GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(o.id, 0);
    const int kinds[] = {GPUREG_KIND_UNDEFINED,    GPUREG_KIND_TEXTURE, GPUREG_KIND_BUFFER, GPUREG_KIND_RENDERBUFFER,
                         GPUREG_KIND_VERTEX_ARRAY, GPUREG_KIND_PROGRAM, GPUREG_KIND_COUNT,  -1};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        gpureg_object_desc k = {.kind = (gpureg_object_kind)kinds[i]};
        assert_int_equal(gpureg_vk_object_adopt(reg, &k, n, GPUREG_VK_ADOPT_DESTROY, &o), GPUREG_ERR_INVALID_ARGUMENT);
    }
    assert_int_equal(gpureg_vk_object_adopt(reg, &d, n, (gpureg_vk_ownership)0, &o), GPUREG_ERR_INVALID_ARGUMENT);
    assert_int_equal(gpureg_vk_object_adopt(reg, &d, n, (gpureg_vk_ownership)3, &o), GPUREG_ERR_INVALID_ARGUMENT);
    gpureg_object_desc flags = {.kind = GPUREG_KIND_SAMPLER, .flags = 1u << 30};
    assert_int_equal(gpureg_vk_object_adopt(reg, &flags, n, GPUREG_VK_ADOPT_DESTROY, &o), GPUREG_ERR_INVALID_ARGUMENT);
    gpureg_object_desc storage = {.kind = GPUREG_KIND_SAMPLER, .width = 4, .height = 4};
    assert_int_equal(gpureg_vk_object_adopt(reg, &storage, n, GPUREG_VK_ADOPT_DESTROY, &o),
                     GPUREG_ERR_INVALID_ARGUMENT); /* renderbuffer fields on a sampler */
    adopt_call c = {.reg = reg, .native = n};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, adopt_from_another_thread, &c), 0);
    pthread_join(t, NULL);
    assert_int_equal(c.result, GPUREG_ERR_WRONG_THREAD);
    gpureg_registry *null_reg;
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF};
    assert_int_equal(gpureg_null_create(&rd, &null_reg), GPUREG_OK);
    assert_int_equal(gpureg_vk_object_adopt(null_reg, &d, n, GPUREG_VK_ADOPT_KEEP, &o), GPUREG_ERR_UNSUPPORTED);
    uint64_t got = 1;
    assert_int_equal(gpureg_vk_object_handle(null_reg, o, &got, NULL), GPUREG_ERR_UNSUPPORTED);
    assert_int_equal(got, 0);
    assert_int_equal(gpureg_destroy(null_reg), 0);
    gpureg_stats after = stats_of(reg);
    assert_int_equal(after.by_kind[GPUREG_KIND_SAMPLER].created_total, 0);
    assert_int_equal(after.host_bytes, before.host_bytes);
    assert_int_equal(vkf_injected.destroy_calls[VK_OBJECT_TYPE_SAMPLER], 0);

    /* The handle call: each wrong handle answers its own error, and 0 / UNDEFINED. */
    assert_int_equal(gpureg_vk_object_adopt(reg, &d, n, GPUREG_VK_ADOPT_KEEP, &o), GPUREG_OK);
    gpureg_object_kind kind = GPUREG_KIND_SAMPLER;
    assert_int_equal(gpureg_vk_object_handle(reg, o, NULL, &kind), GPUREG_ERR_NULL_POINTER);
    got = 1;
    assert_int_equal(gpureg_vk_object_handle(reg, (gpureg_object){0}, &got, &kind), GPUREG_ERR_INVALID_HANDLE);
    assert_int_equal(got, 0);
    assert_int_equal(kind, GPUREG_KIND_UNDEFINED);
    gpureg_texture tex;
    gpureg_texture_desc td = {.width = 4, .height = 4, .format = GPUREG_FORMAT_RGBA8_UNORM};
    assert_int_equal(gpureg_texture_create(reg, &td, &tex), GPUREG_OK);
    assert_int_equal(gpureg_vk_object_handle(reg, (gpureg_object){tex.id}, &got, &kind), GPUREG_ERR_WRONG_TYPE);
    assert_int_equal(gpureg_texture_release(reg, tex), GPUREG_OK);
    assert_int_equal(gpureg_vk_object_handle(reg, o, &got, NULL), GPUREG_OK);
    assert_int_equal(got, n);
    assert_int_equal(gpureg_release(reg, o.id), GPUREG_OK);
    got = 1;
    assert_int_equal(gpureg_vk_object_handle(reg, o, &got, &kind), GPUREG_ERR_RELEASED);
    assert_int_equal(got, 0);
    vkf_destroy_registry(f, 0);
    vkDestroySampler(f->device, s, NULL); /* KEEP: still the app's */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(adopted_objects_draw_and_wait_for_the_frame_fence, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(keep_adoptions_are_tracked_and_left_to_the_app, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(leaked_adoptions_are_destroyed_at_shutdown, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(object_adopt_callback_runs_once_after_the_fence, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(sampler_state_becomes_the_vk_sampler, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(shader_code_is_checked_and_copied_when_unaligned, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(gl_kinds_are_unsupported, vkf_setup, vkf_teardown),
        cmocka_unit_test_setup_teardown(adopt_and_handle_reject_bad_input, vkf_setup, vkf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
