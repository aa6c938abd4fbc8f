/* render_vk.c — the Vulkan renderer: an offscreen colour image when headless; when windowed, a
 * GLFW surface and FIFO (vsync) swapchain that the offscreen image is blitted to, so the window
 * and the screenshot hold the same pixels. Two frames are in flight: each slot has its command
 * buffer, descriptor pool and fence, and that fence is the one gpureg waits on before it destroys
 * what the frame released (gpureg_vk_frame_end_fence). */
#include <gpureg/gpureg_vk.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "vk_device.h"
#include "vk_pipeline.h"

#define SLOTS           2u /* frames in flight */
#define MAX_SWAP_IMAGES 8u
#define MAX_DRAWS       64u /* descriptor sets per slot */
#define TARGET_FORMAT   VK_FORMAT_R8G8B8A8_UNORM

typedef struct vk_slot {
    VkCommandBuffer cmd;
    VkFence fence;
    VkDescriptorPool pool;
    VkSemaphore acquired; /* swapchain image ready (windowed) */
} vk_slot;

typedef struct vk_state {
    demo_options opt;
    GLFWwindow *window;
    demo_vk_device dev;
    gpureg_registry *reg;
    demo_vk_pipeline pipe;
    VkCommandPool cmd_pool;
    vk_slot slots[SLOTS];
    uint32_t slot;
    /* The offscreen target: a gpureg texture, with the framebuffer made on its view. */
    gpureg_texture target;
    VkFramebuffer framebuffer;
    uint32_t target_w, target_h;
    /* Window only. */
    VkSwapchainKHR swapchain;
    VkExtent2D swap_extent;
    uint32_t swap_count;
    VkImage swap_images[MAX_SWAP_IMAGES];
    VkSemaphore rendered[MAX_SWAP_IMAGES]; /* per image: the blit finished, present may start */
    int swap_dirty;
} vk_state;

static int create_slots(vk_state *s) {
    VkCommandPoolCreateInfo pool_info = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                         .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
                                         .queueFamilyIndex = s->dev.family};
    DEMO_VK_CHECK(vkCreateCommandPool(s->dev.device, &pool_info, NULL, &s->cmd_pool));
    for (uint32_t i = 0; i < SLOTS; i++) {
        vk_slot *slot = &s->slots[i];
        VkCommandBufferAllocateInfo alloc = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                             .commandPool = s->cmd_pool,
                                             .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                             .commandBufferCount = 1};
        DEMO_VK_CHECK(vkAllocateCommandBuffers(s->dev.device, &alloc, &slot->cmd));
        VkFenceCreateInfo fence = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, .flags = VK_FENCE_CREATE_SIGNALED_BIT};
        DEMO_VK_CHECK(vkCreateFence(s->dev.device, &fence, NULL, &slot->fence));
        VkDescriptorPoolSize size = {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, MAX_DRAWS};
        VkDescriptorPoolCreateInfo dp = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
                                         .maxSets = MAX_DRAWS,
                                         .poolSizeCount = 1,
                                         .pPoolSizes = &size};
        DEMO_VK_CHECK(vkCreateDescriptorPool(s->dev.device, &dp, NULL, &slot->pool));
        VkSemaphoreCreateInfo sem = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
        if (s->window) DEMO_VK_CHECK(vkCreateSemaphore(s->dev.device, &sem, NULL, &slot->acquired));
    }
    return DEMO_EXIT_OK;
}

static VkSurfaceFormatKHR pick_surface_format(vk_state *s) {
    VkSurfaceFormatKHR formats[32];
    uint32_t n = 32;
    vkGetPhysicalDeviceSurfaceFormatsKHR(s->dev.physical, s->dev.surface, &n, formats);
    for (uint32_t i = 0; i < n; i++) /* UNORM, as the target: the blit then copies values unchanged */
        if (formats[i].format == VK_FORMAT_B8G8R8A8_UNORM || formats[i].format == VK_FORMAT_R8G8B8A8_UNORM)
            return formats[i];
    return formats[0];
}

/* (Re)create the swapchain at the window's size; the caller made sure the GPU is idle. */
static int create_swapchain(vk_state *s) {
    VkSurfaceCapabilitiesKHR caps;
    DEMO_VK_CHECK(vkGetPhysicalDeviceSurfaceCapabilitiesKHR(s->dev.physical, s->dev.surface, &caps));
    if (!(caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_DST_BIT))
        return demo_vk_failed("swapchain images cannot be blitted to", VK_ERROR_FEATURE_NOT_PRESENT);
    VkExtent2D extent = caps.currentExtent;
    if (extent.width == UINT32_MAX) {
        int w = 0, h = 0;
        glfwGetFramebufferSize(s->window, &w, &h);
        extent.width = (uint32_t)w;
        extent.height = (uint32_t)h;
    }
    uint32_t count = caps.minImageCount + 1u;
    if (caps.maxImageCount && count > caps.maxImageCount) count = caps.maxImageCount;
    if (count > MAX_SWAP_IMAGES) count = MAX_SWAP_IMAGES;
    VkSurfaceFormatKHR format = pick_surface_format(s);
    VkSwapchainKHR old = s->swapchain;
    VkSwapchainCreateInfoKHR info = {.sType = VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR,
                                     .surface = s->dev.surface,
                                     .minImageCount = count,
                                     .imageFormat = format.format,
                                     .imageColorSpace = format.colorSpace,
                                     .imageExtent = extent,
                                     .imageArrayLayers = 1,
                                     .imageUsage = VK_IMAGE_USAGE_TRANSFER_DST_BIT,
                                     .imageSharingMode = VK_SHARING_MODE_EXCLUSIVE,
                                     .preTransform = caps.currentTransform,
                                     .compositeAlpha = VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR,
                                     .presentMode = VK_PRESENT_MODE_FIFO_KHR, /* vsync; always supported */
                                     .clipped = VK_TRUE,
                                     .oldSwapchain = old};
    DEMO_VK_CHECK(vkCreateSwapchainKHR(s->dev.device, &info, NULL, &s->swapchain));
    if (old) vkDestroySwapchainKHR(s->dev.device, old, NULL);
    for (uint32_t i = 0; i < s->swap_count; i++)
        vkDestroySemaphore(s->dev.device, s->rendered[i], NULL);
    s->swap_count = MAX_SWAP_IMAGES;
    DEMO_VK_CHECK(vkGetSwapchainImagesKHR(s->dev.device, s->swapchain, &s->swap_count, s->swap_images));
    VkSemaphoreCreateInfo sem = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    for (uint32_t i = 0; i < s->swap_count; i++)
        DEMO_VK_CHECK(vkCreateSemaphore(s->dev.device, &sem, NULL, &s->rendered[i]));
    s->swap_extent = extent;
    s->swap_dirty = 0;
    return DEMO_EXIT_OK;
}

static int vk_open(const demo_options *opt, const gpureg_registry_desc *desc, void **out, gpureg_registry **reg) {
    vk_state *s = calloc(1, sizeof *s);
    if (!s) return DEMO_EXIT_FAILURE;
    s->opt = *opt;
    *out = s;
    int rc = DEMO_EXIT_OK;
    if (!opt->headless && (rc = demo_window_open(opt, &s->window)) != DEMO_EXIT_OK) return rc;
    if ((rc = demo_vk_device_open(opt, s->window, &s->dev)) != DEMO_EXIT_OK) return rc;

    gpureg_vk_desc vd = {.instance = s->dev.instance,
                         .physical_device = s->dev.physical,
                         .device = s->dev.device,
                         .queue = s->dev.queue,
                         .queue_family_index = s->dev.family,
                         .get_instance_proc_addr = vkGetInstanceProcAddr};
    gpureg_registry_desc rd = *desc;
    rd.frames_in_flight = SLOTS;
    gpureg_result r = gpureg_vk_create(&vd, &rd, &s->reg);
    if (r != GPUREG_OK) {
        fprintf(stderr, "gpureg-demo: gpureg_vk_create: %s\n", gpureg_result_string(r));
        return DEMO_EXIT_FAILURE;
    }
    *reg = s->reg;
    if ((rc = demo_vk_pipeline_create(s->dev.device, TARGET_FORMAT, &s->pipe)) != DEMO_EXIT_OK ||
        (rc = create_slots(s)) != DEMO_EXIT_OK)
        return rc;
    if (s->window) return create_swapchain(s);
    return DEMO_EXIT_OK;
}

static int vk_poll(void *state, uint32_t *width, uint32_t *height) {
    vk_state *s = state;
    if (!s->window) {
        *width = s->opt.width;
        *height = s->opt.height;
        return 1;
    }
    uint32_t w = 0, h = 0;
    if (!demo_window_poll(s->window, s->reg, &w, &h)) return 0;
    if (s->swap_dirty || w != s->swap_extent.width || h != s->swap_extent.height) {
        vkDeviceWaitIdle(s->dev.device);
        if (create_swapchain(s) != DEMO_EXIT_OK) return 0;
    }
    *width = s->swap_extent.width;
    *height = s->swap_extent.height;
    return 1;
}

static int vk_wait_frame(void *state) {
    vk_state *s = state;
    s->slot = (s->slot + 1u) % SLOTS;
    vk_slot *slot = &s->slots[s->slot];
    DEMO_VK_CHECK(vkWaitForFences(s->dev.device, 1, &slot->fence, VK_TRUE, UINT64_MAX));
    /* Start recording now, so the scene's texture and vertex uploads of this frame go into this
     * command buffer (gpureg records copy + barrier) instead of a submit-and-wait each. */
    DEMO_VK_CHECK(vkResetCommandBuffer(slot->cmd, 0));
    VkCommandBufferBeginInfo begin = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                      .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    DEMO_VK_CHECK(vkBeginCommandBuffer(slot->cmd, &begin));
    gpureg_result r = gpureg_vk_set_command_buffer(s->reg, slot->cmd);
    if (r != GPUREG_OK) {
        fprintf(stderr, "gpureg-demo: gpureg_vk_set_command_buffer: %s\n", gpureg_result_string(r));
        return DEMO_EXIT_FAILURE;
    }
    return DEMO_EXIT_OK;
}

/* (Re)make the offscreen target at the frame's size. Rare (window resize), so the GPU is drained
 * first and the old framebuffer goes at once; the old image is released to gpureg like any. */
static int ensure_target(vk_state *s, uint32_t w, uint32_t h) {
    if (s->target.id && s->target_w == w && s->target_h == h) return DEMO_EXIT_OK;
    if (s->target.id) {
        vkDeviceWaitIdle(s->dev.device);
        vkDestroyFramebuffer(s->dev.device, s->framebuffer, NULL);
        s->framebuffer = VK_NULL_HANDLE;
        gpureg_texture_release(s->reg, s->target);
        s->target.id = 0;
    }
    char label[64];
    snprintf(label, sizeof label, "render target %ux%u", w, h);
    gpureg_texture_desc desc = {.width = w,
                                .height = h,
                                .format = GPUREG_FORMAT_RGBA8_UNORM,
                                .usage = GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT | GPUREG_TEXTURE_USAGE_TRANSFER_SRC,
                                .label = label};
    VkImageView view = VK_NULL_HANDLE;
    gpureg_result r = gpureg_texture_create(s->reg, &desc, &s->target);
    if (r == GPUREG_OK) r = gpureg_vk_texture_view(s->reg, s->target, &view);
    if (r != GPUREG_OK) {
        fprintf(stderr, "gpureg-demo: render target: %s\n", gpureg_result_string(r));
        return DEMO_EXIT_FAILURE;
    }
    VkFramebufferCreateInfo info = {.sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
                                    .renderPass = s->pipe.pass,
                                    .attachmentCount = 1,
                                    .pAttachments = &view,
                                    .width = w,
                                    .height = h,
                                    .layers = 1};
    DEMO_VK_CHECK(vkCreateFramebuffer(s->dev.device, &info, NULL, &s->framebuffer));
    s->target_w = w;
    s->target_h = h;
    return DEMO_EXIT_OK;
}

static int record_draws(vk_state *s, vk_slot *slot, const scene_frame *f) {
    VkBuffer vertices = VK_NULL_HANDLE;
    if (gpureg_vk_buffer_buffer(s->reg, f->vertices, &vertices) != GPUREG_OK)
        return demo_vk_failed("vertex buffer handle", VK_ERROR_UNKNOWN);
    VkClearValue clear = {.color = {.float32 = {0.0f, 0.0f, 0.0f, 1.0f}}};
    VkRenderPassBeginInfo begin = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
                                   .renderPass = s->pipe.pass,
                                   .framebuffer = s->framebuffer,
                                   .renderArea = {{0, 0}, {f->width, f->height}},
                                   .clearValueCount = 1,
                                   .pClearValues = &clear};
    vkCmdBeginRenderPass(slot->cmd, &begin, VK_SUBPASS_CONTENTS_INLINE);
    VkViewport viewport = {0.0f, 0.0f, (float)f->width, (float)f->height, 0.0f, 1.0f};
    VkRect2D scissor = {{0, 0}, {f->width, f->height}};
    vkCmdSetViewport(slot->cmd, 0, 1, &viewport);
    vkCmdSetScissor(slot->cmd, 0, 1, &scissor);
    vkCmdBindPipeline(slot->cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, s->pipe.pipeline);
    float size[2] = {(float)f->width, (float)f->height};
    vkCmdPushConstants(slot->cmd, s->pipe.layout, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof size, size);
    VkDeviceSize offset = 0;
    vkCmdBindVertexBuffers(slot->cmd, 0, 1, &vertices, &offset);
    for (uint32_t i = 0; i < f->draw_count && i < MAX_DRAWS; i++) {
        VkImageView view = VK_NULL_HANDLE;
        if (gpureg_vk_texture_view(s->reg, f->draws[i].texture, &view) != GPUREG_OK)
            return demo_vk_failed("texture view of a draw", VK_ERROR_UNKNOWN);
        VkDescriptorSetAllocateInfo alloc = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                                             .descriptorPool = slot->pool,
                                             .descriptorSetCount = 1,
                                             .pSetLayouts = &s->pipe.set_layout};
        VkDescriptorSet set = VK_NULL_HANDLE;
        DEMO_VK_CHECK(vkAllocateDescriptorSets(s->dev.device, &alloc, &set));
        /* gpureg leaves sampled textures in SHADER_READ_ONLY_OPTIMAL after their upload. */
        VkDescriptorImageInfo image = {s->pipe.sampler, view, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
        VkWriteDescriptorSet write = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                                      .dstSet = set,
                                      .descriptorCount = 1,
                                      .descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
                                      .pImageInfo = &image};
        vkUpdateDescriptorSets(s->dev.device, 1, &write, 0, NULL);
        vkCmdBindDescriptorSets(slot->cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, s->pipe.layout, 0, 1, &set, 0, NULL);
        vkCmdDraw(slot->cmd, f->draws[i].vertex_count, 1, f->draws[i].first_vertex, 0);
    }
    vkCmdEndRenderPass(slot->cmd);
    return DEMO_EXIT_OK;
}

static void image_barrier(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to,
                          VkAccessFlags src_access, VkAccessFlags dst_access, VkPipelineStageFlags src_stage,
                          VkPipelineStageFlags dst_stage) {
    VkImageMemoryBarrier b = {.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
                              .srcAccessMask = src_access,
                              .dstAccessMask = dst_access,
                              .oldLayout = from,
                              .newLayout = to,
                              .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                              .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                              .image = image,
                              .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
    vkCmdPipelineBarrier(cmd, src_stage, dst_stage, 0, 0, NULL, 0, NULL, 1, &b);
}

/* Copy the finished target (TRANSFER_SRC_OPTIMAL) to the acquired swapchain image. */
static void record_blit(vk_state *s, vk_slot *slot, uint32_t index, const scene_frame *f) {
    VkImage target = VK_NULL_HANDLE, swap = s->swap_images[index];
    gpureg_vk_texture_image(s->reg, s->target, &target);
    image_barrier(slot->cmd, swap, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 0,
                  VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT);
    int32_t w = (int32_t)(f->width < s->swap_extent.width ? f->width : s->swap_extent.width);
    int32_t h = (int32_t)(f->height < s->swap_extent.height ? f->height : s->swap_extent.height);
    VkImageBlit region = {.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
                          .srcOffsets = {{0, 0, 0}, {w, h, 1}},
                          .dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
                          .dstOffsets = {{0, 0, 0}, {w, h, 1}}};
    vkCmdBlitImage(slot->cmd, target, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, swap, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                   1, &region, VK_FILTER_NEAREST);
    image_barrier(slot->cmd, swap, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_PRESENT_SRC_KHR,
                  VK_ACCESS_TRANSFER_WRITE_BIT, 0, VK_PIPELINE_STAGE_TRANSFER_BIT,
                  VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT);
}

static int vk_draw(void *state, const scene_frame *f) {
    vk_state *s = state;
    vk_slot *slot = &s->slots[s->slot];
    int rc = ensure_target(s, f->width, f->height);
    if (rc != DEMO_EXIT_OK) return rc;
    uint32_t index = 0;
    if (s->window) {
        VkResult r =
            vkAcquireNextImageKHR(s->dev.device, s->swapchain, UINT64_MAX, slot->acquired, VK_NULL_HANDLE, &index);
        if (r == VK_ERROR_OUT_OF_DATE_KHR) { /* resized between poll and now: rebuild and retry once */
            vkDeviceWaitIdle(s->dev.device);
            if ((rc = create_swapchain(s)) != DEMO_EXIT_OK) return rc;
            r = vkAcquireNextImageKHR(s->dev.device, s->swapchain, UINT64_MAX, slot->acquired, VK_NULL_HANDLE, &index);
        }
        if (r == VK_SUBOPTIMAL_KHR)
            s->swap_dirty = 1;
        else if (r != VK_SUCCESS)
            return demo_vk_failed("vkAcquireNextImageKHR", r);
    }
    DEMO_VK_CHECK(vkResetFences(s->dev.device, 1, &slot->fence));
    DEMO_VK_CHECK(vkResetDescriptorPool(s->dev.device, slot->pool, 0));
    if ((rc = record_draws(s, slot, f)) != DEMO_EXIT_OK) return rc;
    if (s->window) record_blit(s, slot, index, f);
    DEMO_VK_CHECK(vkEndCommandBuffer(slot->cmd));

    VkPipelineStageFlags wait_stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
    VkSubmitInfo submit = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
                           .waitSemaphoreCount = s->window ? 1u : 0u,
                           .pWaitSemaphores = &slot->acquired,
                           .pWaitDstStageMask = &wait_stage,
                           .commandBufferCount = 1,
                           .pCommandBuffers = &slot->cmd,
                           .signalSemaphoreCount = s->window ? 1u : 0u,
                           .pSignalSemaphores = &s->rendered[index]};
    DEMO_VK_CHECK(vkQueueSubmit(s->dev.queue, 1, &submit, slot->fence));
    gpureg_vk_set_command_buffer(s->reg, VK_NULL_HANDLE); /* later writes (none in a frame) submit again */
    if (s->window) {
        VkPresentInfoKHR present = {.sType = VK_STRUCTURE_TYPE_PRESENT_INFO_KHR,
                                    .waitSemaphoreCount = 1,
                                    .pWaitSemaphores = &s->rendered[index],
                                    .swapchainCount = 1,
                                    .pSwapchains = &s->swapchain,
                                    .pImageIndices = &index};
        VkResult r = vkQueuePresentKHR(s->dev.queue, &present);
        if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR)
            s->swap_dirty = 1;
        else if (r != VK_SUCCESS)
            return demo_vk_failed("vkQueuePresentKHR", r);
    }
    return DEMO_EXIT_OK;
}

/* The frame's own fence tells gpureg when the frame is done: no extra submission needed. */
static gpureg_result vk_end_frame(void *state) {
    vk_state *s = state;
    return gpureg_vk_frame_end_fence(s->reg, s->slots[s->slot].fence);
}

static int vk_read_pixels(void *state, uint8_t *rgba) {
    vk_state *s = state;
    vkQueueWaitIdle(s->dev.queue);
    /* The render pass left the target in TRANSFER_SRC_OPTIMAL; gpureg needs to know before it reads. */
    gpureg_result r = gpureg_vk_texture_set_layout(s->reg, s->target, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
    gpureg_texture_region region = {0};
    if (r == GPUREG_OK)
        r = gpureg_texture_read(s->reg, s->target, &region, rgba, (size_t)s->target_w * s->target_h * 4u);
    if (r != GPUREG_OK) {
        fprintf(stderr, "gpureg-demo: reading the target back: %s\n", gpureg_result_string(r));
        return DEMO_EXIT_FAILURE;
    }
    return DEMO_EXIT_OK;
}

static void vk_resize(void *state, uint32_t width, uint32_t height) {
    vk_state *s = state;
    demo_window_resize(s->window, &s->opt, width, height);
}

static void vk_set_status(void *state, const char *text) { demo_window_set_title(((vk_state *)state)->window, text); }

static void vk_finish(void *state) {
    vk_state *s = state;
    if (!s->dev.device) return;
    vkDeviceWaitIdle(s->dev.device);
    if (s->framebuffer) vkDestroyFramebuffer(s->dev.device, s->framebuffer, NULL);
    s->framebuffer = VK_NULL_HANDLE;
    if (s->target.id) gpureg_texture_release(s->reg, s->target);
    s->target.id = 0;
}

static void vk_close(void *state) {
    vk_state *s = state;
    if (!s) return;
    if (s->dev.device) {
        vkDeviceWaitIdle(s->dev.device);
        for (uint32_t i = 0; i < SLOTS; i++) {
            vkDestroyFence(s->dev.device, s->slots[i].fence, NULL);
            vkDestroyDescriptorPool(s->dev.device, s->slots[i].pool, NULL);
            vkDestroySemaphore(s->dev.device, s->slots[i].acquired, NULL);
        }
        for (uint32_t i = 0; i < s->swap_count; i++)
            vkDestroySemaphore(s->dev.device, s->rendered[i], NULL);
        if (s->swapchain) vkDestroySwapchainKHR(s->dev.device, s->swapchain, NULL);
        vkDestroyCommandPool(s->dev.device, s->cmd_pool, NULL);
        demo_vk_pipeline_destroy(s->dev.device, &s->pipe);
    }
    demo_vk_device_close(&s->dev);
    if (!s->opt.headless) demo_window_close(s->window);
    free(s);
}

const demo_renderer demo_renderer_vk = {
    .name = "vulkan",
    .open = vk_open,
    .poll = vk_poll,
    .wait_frame = vk_wait_frame,
    .draw = vk_draw,
    .end_frame = vk_end_frame,
    .read_pixels = vk_read_pixels,
    .resize = vk_resize,
    .set_status = vk_set_status,
    .finish = vk_finish,
    .close = vk_close,
};
