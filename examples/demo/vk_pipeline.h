/* vk_pipeline.h — what the Vulkan renderer draws sprites with. */
#ifndef DEMO_VK_PIPELINE_H
#define DEMO_VK_PIPELINE_H

#include "vk_device.h"

typedef struct demo_vk_pipeline {
    /* One colour attachment of `format`: cleared, left in TRANSFER_SRC_OPTIMAL for the blit to the
     * window or the readback. */
    VkRenderPass pass;
    VkDescriptorSetLayout set_layout; /* binding 0: the sprite's combined image sampler */
    VkPipelineLayout layout;          /* push constant: viewport size (vec2) */
    VkPipeline pipeline;              /* dynamic viewport and scissor */
    VkSampler sampler;                /* nearest, repeat */
} demo_vk_pipeline;

/* Returns a DEMO_EXIT_* code; on failure what was made is left for demo_vk_pipeline_destroy. */
int demo_vk_pipeline_create(VkDevice device, VkFormat format, demo_vk_pipeline *out);
/* Null-safe per member. */
void demo_vk_pipeline_destroy(VkDevice device, demo_vk_pipeline *p);

#endif
