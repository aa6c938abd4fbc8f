/* render_vk.c — the Vulkan renderer: an offscreen colour image when headless; when windowed, a
 * GLFW surface and FIFO (vsync) swapchain that the offscreen image is blitted to, so the window
 * and the screenshot hold the same pixels. Two frames are in flight: each slot has its command
 * buffer, descriptor pool and fence, and that fence is the one gpureg waits on before it destroys
 * what the frame released (gpureg_vk_frame_end_fence). */
#include <gpureg/gpureg_vk.h>

/* After vulkan.h: GLFW then declares its Vulkan calls (glfwCreateWindowSurface, ...). */
#include "window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "sprite_frag.h"
#include "sprite_vert.h"

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
    VkInstance instance;
    VkPhysicalDevice physical;
    VkDevice device;
    VkQueue queue;
    uint32_t family;
    gpureg_registry *reg;
    VkRenderPass pass;
    VkDescriptorSetLayout set_layout;
    VkPipelineLayout layout;
    VkPipeline pipeline;
    VkSampler sampler;
    VkCommandPool cmd_pool;
    vk_slot slots[SLOTS];
    uint32_t slot;
    /* The offscreen target: a gpureg texture, with the framebuffer made on its view. */
    gpureg_texture target;
    VkFramebuffer framebuffer;
    uint32_t target_w, target_h;
    /* Window only. */
    VkSurfaceKHR surface;
    VkSwapchainKHR swapchain;
    VkExtent2D swap_extent;
    uint32_t swap_count;
    VkImage swap_images[MAX_SWAP_IMAGES];
    VkSemaphore rendered[MAX_SWAP_IMAGES]; /* per image: the blit finished, present may start */
    int swap_dirty;
} vk_state;

static int vk_failed(const char *what, VkResult r) {
    fprintf(stderr, "gpureg-demo: %s failed (VkResult %d)\n", what, (int)r);
    return DEMO_EXIT_FAILURE;
}

#define VK_CHECK(call)                                                                                                 \
    do {                                                                                                               \
        VkResult vk_check_result = (call);                                                                             \
        if (vk_check_result != VK_SUCCESS) return vk_failed(#call, vk_check_result);                                   \
    } while (0)

static int no_driver(const char *what, const char *packages) {
    fprintf(stderr, "gpureg-demo: no Vulkan: %s.\n  Install: apt-get install %s\n", what, packages);
    return DEMO_EXIT_NO_DRIVER;
}

static int has_layer(const char *name) {
    uint32_t n = 0;
    if (vkEnumerateInstanceLayerProperties(&n, NULL) != VK_SUCCESS || n == 0) return 0;
    VkLayerProperties *layers = calloc(n, sizeof *layers);
    int found = 0;
    if (layers && vkEnumerateInstanceLayerProperties(&n, layers) == VK_SUCCESS)
        for (uint32_t i = 0; i < n && !found; i++)
            found = !strcmp(layers[i].layerName, name);
    free(layers);
    return found;
}

static int has_instance_extension(const char *layer, const char *name) {
    uint32_t n = 0;
    if (vkEnumerateInstanceExtensionProperties(layer, &n, NULL) != VK_SUCCESS || n == 0) return 0;
    VkExtensionProperties *ext = calloc(n, sizeof *ext);
    int found = 0;
    if (ext && vkEnumerateInstanceExtensionProperties(layer, &n, ext) == VK_SUCCESS)
        for (uint32_t i = 0; i < n && !found; i++)
            found = !strcmp(ext[i].extensionName, name);
    free(ext);
    return found;
}

static int create_instance(vk_state *s) {
    const char *layers[1];
    uint32_t layer_count = 0;
    const char *validation = "VK_LAYER_KHRONOS_validation";
    if (s->opt.validate) {
        if (!has_layer(validation))
            return no_driver("--validate needs VK_LAYER_KHRONOS_validation", "vulkan-validationlayers");
        layers[layer_count++] = validation;
    }
    const char *extensions[16];
    uint32_t ext_count = 0;
    if (s->window) {
        uint32_t n = 0;
        const char **required = glfwGetRequiredInstanceExtensions(&n);
        if (!required || n > 15) return no_driver("no Vulkan surface extensions for windows", DEMO_VK_PACKAGES);
        for (uint32_t i = 0; i < n; i++)
            extensions[ext_count++] = required[i];
    }
    /* debug_utils lets gpureg receive validation messages and name every object it creates. */
    if (has_instance_extension(NULL, VK_EXT_DEBUG_UTILS_EXTENSION_NAME) ||
        (s->opt.validate && has_instance_extension(validation, VK_EXT_DEBUG_UTILS_EXTENSION_NAME)))
        extensions[ext_count++] = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
    else if (s->opt.validate)
        return no_driver("VK_EXT_debug_utils is missing", "vulkan-validationlayers libvulkan1");

    /* --validate also turns on synchronization validation: a missing barrier between the uploads,
     * the render pass and the blit is an error like any other. */
    VkValidationFeatureEnableEXT sync = VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT;
    VkValidationFeaturesEXT features = {.sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT,
                                        .enabledValidationFeatureCount = 1,
                                        .pEnabledValidationFeatures = &sync};
    int sync_validation =
        s->opt.validate && has_instance_extension(validation, VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);
    if (sync_validation) extensions[ext_count++] = VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME;

    VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
                             .pApplicationName = "gpureg-demo",
                             .apiVersion = VK_API_VERSION_1_1};
    VkInstanceCreateInfo info = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
                                 .pNext = sync_validation ? &features : NULL,
                                 .pApplicationInfo = &app,
                                 .enabledLayerCount = layer_count,
                                 .ppEnabledLayerNames = layers,
                                 .enabledExtensionCount = ext_count,
                                 .ppEnabledExtensionNames = extensions};
    VkResult r = vkCreateInstance(&info, NULL, &s->instance);
    if (r == VK_ERROR_INCOMPATIBLE_DRIVER || r == VK_ERROR_INITIALIZATION_FAILED)
        return no_driver("no Vulkan driver (ICD) found", DEMO_VK_PACKAGES);
    if (r == VK_ERROR_LAYER_NOT_PRESENT || r == VK_ERROR_EXTENSION_NOT_PRESENT)
        return no_driver("a required layer or instance extension is missing",
                         DEMO_VK_PACKAGES " vulkan-validationlayers");
    VK_CHECK(r);
    return DEMO_EXIT_OK;
}

/* The first device with a graphics queue (that can also present to the window, if any). */
static int pick_device(vk_state *s) {
    uint32_t n = 0;
    vkEnumeratePhysicalDevices(s->instance, &n, NULL);
    VkPhysicalDevice devices[16];
    if (n > 16) n = 16;
    if (n == 0 || vkEnumeratePhysicalDevices(s->instance, &n, devices) < 0)
        return no_driver("no Vulkan device", DEMO_VK_PACKAGES);
    for (uint32_t d = 0; d < n; d++) {
        VkPhysicalDeviceProperties props;
        vkGetPhysicalDeviceProperties(devices[d], &props);
        if (props.apiVersion < VK_API_VERSION_1_1) continue;
        uint32_t qn = 0;
        vkGetPhysicalDeviceQueueFamilyProperties(devices[d], &qn, NULL);
        VkQueueFamilyProperties families[16];
        if (qn > 16) qn = 16;
        vkGetPhysicalDeviceQueueFamilyProperties(devices[d], &qn, families);
        for (uint32_t f = 0; f < qn; f++) {
            if (!(families[f].queueFlags & VK_QUEUE_GRAPHICS_BIT)) continue;
            VkBool32 present = VK_TRUE;
            if (s->surface) vkGetPhysicalDeviceSurfaceSupportKHR(devices[d], f, s->surface, &present);
            if (!present) continue;
            s->physical = devices[d];
            s->family = f;
            printf("gpureg-demo: Vulkan %u.%u on %s (%s%s)\n", VK_API_VERSION_MAJOR(props.apiVersion),
                   VK_API_VERSION_MINOR(props.apiVersion), props.deviceName,
                   s->window ? "GLFW window, FIFO swapchain" : "offscreen", s->opt.validate ? ", validation" : "");
            return DEMO_EXIT_OK;
        }
    }
    return no_driver("no Vulkan 1.1 device with a graphics queue", DEMO_VK_PACKAGES);
}

static int create_device(vk_state *s) {
    float priority = 1.0f;
    VkDeviceQueueCreateInfo queue = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                     .queueFamilyIndex = s->family,
                                     .queueCount = 1,
                                     .pQueuePriorities = &priority};
    const char *swapchain_ext = VK_KHR_SWAPCHAIN_EXTENSION_NAME;
    VkDeviceCreateInfo info = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
                               .queueCreateInfoCount = 1,
                               .pQueueCreateInfos = &queue,
                               .enabledExtensionCount = s->window ? 1u : 0u,
                               .ppEnabledExtensionNames = &swapchain_ext};
    VK_CHECK(vkCreateDevice(s->physical, &info, NULL, &s->device));
    vkGetDeviceQueue(s->device, s->family, 0, &s->queue);
    return DEMO_EXIT_OK;
}

static int create_render_pass(vk_state *s) {
    VkAttachmentDescription color = {.format = TARGET_FORMAT,
                                     .samples = VK_SAMPLE_COUNT_1_BIT,
                                     .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
                                     .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
                                     .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
                                     .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
                                     .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
                                     .finalLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL};
    VkAttachmentReference ref = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription subpass = {
        .pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS, .colorAttachmentCount = 1, .pColorAttachments = &ref};
    /* The previous frame's blit or readback of the target must finish before this frame draws
     * over it, and this frame's drawing before its own blit or readback. */
    VkSubpassDependency deps[2] = {
        {.srcSubpass = VK_SUBPASS_EXTERNAL,
         .dstSubpass = 0,
         .srcStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT,
         .dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
         .srcAccessMask = VK_ACCESS_TRANSFER_READ_BIT,
         .dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT},
        {.srcSubpass = 0,
         .dstSubpass = VK_SUBPASS_EXTERNAL,
         .srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
         .dstStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT,
         .srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
         .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT},
    };
    VkRenderPassCreateInfo info = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
                                   .attachmentCount = 1,
                                   .pAttachments = &color,
                                   .subpassCount = 1,
                                   .pSubpasses = &subpass,
                                   .dependencyCount = 2,
                                   .pDependencies = deps};
    VK_CHECK(vkCreateRenderPass(s->device, &info, NULL, &s->pass));
    return DEMO_EXIT_OK;
}

static VkShaderModule shader_module(vk_state *s, const unsigned char *spirv, size_t size) {
    VkShaderModuleCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, .codeSize = size, .pCode = (const uint32_t *)spirv};
    VkShaderModule module = VK_NULL_HANDLE;
    if (vkCreateShaderModule(s->device, &info, NULL, &module) != VK_SUCCESS) return VK_NULL_HANDLE;
    return module;
}

static int create_pipeline(vk_state *s) {
    VkDescriptorSetLayoutBinding binding = {.binding = 0,
                                            .descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
                                            .descriptorCount = 1,
                                            .stageFlags = VK_SHADER_STAGE_FRAGMENT_BIT};
    VkDescriptorSetLayoutCreateInfo set_info = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, .bindingCount = 1, .pBindings = &binding};
    VK_CHECK(vkCreateDescriptorSetLayout(s->device, &set_info, NULL, &s->set_layout));
    VkPushConstantRange push = {VK_SHADER_STAGE_VERTEX_BIT, 0, 2 * sizeof(float)};
    VkPipelineLayoutCreateInfo layout_info = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
                                              .setLayoutCount = 1,
                                              .pSetLayouts = &s->set_layout,
                                              .pushConstantRangeCount = 1,
                                              .pPushConstantRanges = &push};
    VK_CHECK(vkCreatePipelineLayout(s->device, &layout_info, NULL, &s->layout));

    VkShaderModule vs = shader_module(s, sprite_vert_spirv, sprite_vert_spirv_size);
    VkShaderModule fs = shader_module(s, sprite_frag_spirv, sprite_frag_spirv_size);
    VkPipelineShaderStageCreateInfo stages[2] = {
        {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
         .stage = VK_SHADER_STAGE_VERTEX_BIT,
         .module = vs,
         .pName = "main"},
        {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
         .stage = VK_SHADER_STAGE_FRAGMENT_BIT,
         .module = fs,
         .pName = "main"},
    };
    VkVertexInputBindingDescription vbind = {0, sizeof(scene_vertex), VK_VERTEX_INPUT_RATE_VERTEX};
    VkVertexInputAttributeDescription attrs[3] = {
        {0, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(scene_vertex, x)},
        {1, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(scene_vertex, u)},
        {2, 0, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(scene_vertex, r)},
    };
    VkPipelineVertexInputStateCreateInfo vertex = {.sType = VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO,
                                                   .vertexBindingDescriptionCount = 1,
                                                   .pVertexBindingDescriptions = &vbind,
                                                   .vertexAttributeDescriptionCount = 3,
                                                   .pVertexAttributeDescriptions = attrs};
    VkPipelineInputAssemblyStateCreateInfo assembly = {.sType =
                                                           VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO,
                                                       .topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST};
    VkPipelineViewportStateCreateInfo viewport = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO, .viewportCount = 1, .scissorCount = 1};
    VkPipelineRasterizationStateCreateInfo raster = {.sType =
                                                         VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO,
                                                     .polygonMode = VK_POLYGON_MODE_FILL,
                                                     .cullMode = VK_CULL_MODE_NONE,
                                                     .frontFace = VK_FRONT_FACE_COUNTER_CLOCKWISE,
                                                     .lineWidth = 1.0f};
    VkPipelineMultisampleStateCreateInfo msaa = {.sType = VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO,
                                                 .rasterizationSamples = VK_SAMPLE_COUNT_1_BIT};
    /* The same blend as the GL path: straight alpha over for colour, opaque stays opaque. */
    VkPipelineColorBlendAttachmentState blend_att = {.blendEnable = VK_TRUE,
                                                     .srcColorBlendFactor = VK_BLEND_FACTOR_SRC_ALPHA,
                                                     .dstColorBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA,
                                                     .colorBlendOp = VK_BLEND_OP_ADD,
                                                     .srcAlphaBlendFactor = VK_BLEND_FACTOR_ONE,
                                                     .dstAlphaBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA,
                                                     .alphaBlendOp = VK_BLEND_OP_ADD,
                                                     .colorWriteMask = 0xF};
    VkPipelineColorBlendStateCreateInfo blend = {.sType = VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO,
                                                 .attachmentCount = 1,
                                                 .pAttachments = &blend_att};
    VkDynamicState dyn_states[2] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
    VkPipelineDynamicStateCreateInfo dynamic = {.sType = VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO,
                                                .dynamicStateCount = 2,
                                                .pDynamicStates = dyn_states};
    VkGraphicsPipelineCreateInfo info = {.sType = VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO,
                                         .stageCount = 2,
                                         .pStages = stages,
                                         .pVertexInputState = &vertex,
                                         .pInputAssemblyState = &assembly,
                                         .pViewportState = &viewport,
                                         .pRasterizationState = &raster,
                                         .pMultisampleState = &msaa,
                                         .pColorBlendState = &blend,
                                         .pDynamicState = &dynamic,
                                         .layout = s->layout,
                                         .renderPass = s->pass};
    VkResult r = (vs && fs) ? vkCreateGraphicsPipelines(s->device, VK_NULL_HANDLE, 1, &info, NULL, &s->pipeline)
                            : VK_ERROR_INITIALIZATION_FAILED;
    vkDestroyShaderModule(s->device, vs, NULL);
    vkDestroyShaderModule(s->device, fs, NULL);
    VK_CHECK(r);

    /* Nearest and repeat, as the GL sampler object. */
    VkSamplerCreateInfo sampler = {.sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO,
                                   .magFilter = VK_FILTER_NEAREST,
                                   .minFilter = VK_FILTER_NEAREST,
                                   .mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST,
                                   .addressModeU = VK_SAMPLER_ADDRESS_MODE_REPEAT,
                                   .addressModeV = VK_SAMPLER_ADDRESS_MODE_REPEAT,
                                   .addressModeW = VK_SAMPLER_ADDRESS_MODE_REPEAT};
    VK_CHECK(vkCreateSampler(s->device, &sampler, NULL, &s->sampler));
    return DEMO_EXIT_OK;
}

static int create_slots(vk_state *s) {
    VkCommandPoolCreateInfo pool_info = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                         .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
                                         .queueFamilyIndex = s->family};
    VK_CHECK(vkCreateCommandPool(s->device, &pool_info, NULL, &s->cmd_pool));
    for (uint32_t i = 0; i < SLOTS; i++) {
        vk_slot *slot = &s->slots[i];
        VkCommandBufferAllocateInfo alloc = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                             .commandPool = s->cmd_pool,
                                             .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                             .commandBufferCount = 1};
        VK_CHECK(vkAllocateCommandBuffers(s->device, &alloc, &slot->cmd));
        VkFenceCreateInfo fence = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, .flags = VK_FENCE_CREATE_SIGNALED_BIT};
        VK_CHECK(vkCreateFence(s->device, &fence, NULL, &slot->fence));
        VkDescriptorPoolSize size = {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, MAX_DRAWS};
        VkDescriptorPoolCreateInfo dp = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
                                         .maxSets = MAX_DRAWS,
                                         .poolSizeCount = 1,
                                         .pPoolSizes = &size};
        VK_CHECK(vkCreateDescriptorPool(s->device, &dp, NULL, &slot->pool));
        VkSemaphoreCreateInfo sem = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
        if (s->window) VK_CHECK(vkCreateSemaphore(s->device, &sem, NULL, &slot->acquired));
    }
    return DEMO_EXIT_OK;
}

static VkSurfaceFormatKHR pick_surface_format(vk_state *s) {
    VkSurfaceFormatKHR formats[32];
    uint32_t n = 32;
    vkGetPhysicalDeviceSurfaceFormatsKHR(s->physical, s->surface, &n, formats);
    for (uint32_t i = 0; i < n; i++) /* UNORM, as the target: the blit then copies values unchanged */
        if (formats[i].format == VK_FORMAT_B8G8R8A8_UNORM || formats[i].format == VK_FORMAT_R8G8B8A8_UNORM)
            return formats[i];
    return formats[0];
}

/* (Re)create the swapchain at the window's size; the caller made sure the GPU is idle. */
static int create_swapchain(vk_state *s) {
    VkSurfaceCapabilitiesKHR caps;
    VK_CHECK(vkGetPhysicalDeviceSurfaceCapabilitiesKHR(s->physical, s->surface, &caps));
    if (!(caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_DST_BIT))
        return vk_failed("swapchain images cannot be blitted to", VK_ERROR_FEATURE_NOT_PRESENT);
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
                                     .surface = s->surface,
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
    VK_CHECK(vkCreateSwapchainKHR(s->device, &info, NULL, &s->swapchain));
    if (old) vkDestroySwapchainKHR(s->device, old, NULL);
    for (uint32_t i = 0; i < s->swap_count; i++)
        vkDestroySemaphore(s->device, s->rendered[i], NULL);
    s->swap_count = MAX_SWAP_IMAGES;
    VK_CHECK(vkGetSwapchainImagesKHR(s->device, s->swapchain, &s->swap_count, s->swap_images));
    VkSemaphoreCreateInfo sem = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    for (uint32_t i = 0; i < s->swap_count; i++)
        VK_CHECK(vkCreateSemaphore(s->device, &sem, NULL, &s->rendered[i]));
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
    if ((rc = create_instance(s)) != DEMO_EXIT_OK) return rc;
    if (s->window) VK_CHECK(glfwCreateWindowSurface(s->instance, s->window, NULL, &s->surface));
    if ((rc = pick_device(s)) != DEMO_EXIT_OK || (rc = create_device(s)) != DEMO_EXIT_OK) return rc;

    gpureg_vk_desc vd = {.instance = s->instance,
                         .physical_device = s->physical,
                         .device = s->device,
                         .queue = s->queue,
                         .queue_family_index = s->family,
                         .get_instance_proc_addr = vkGetInstanceProcAddr};
    gpureg_registry_desc rd = *desc;
    rd.frames_in_flight = SLOTS;
    gpureg_result r = gpureg_vk_create(&vd, &rd, &s->reg);
    if (r != GPUREG_OK) {
        fprintf(stderr, "gpureg-demo: gpureg_vk_create: %s\n", gpureg_result_string(r));
        return DEMO_EXIT_FAILURE;
    }
    *reg = s->reg;
    if ((rc = create_render_pass(s)) != DEMO_EXIT_OK || (rc = create_pipeline(s)) != DEMO_EXIT_OK ||
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
        vkDeviceWaitIdle(s->device);
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
    VK_CHECK(vkWaitForFences(s->device, 1, &slot->fence, VK_TRUE, UINT64_MAX));
    /* Start recording now, so the scene's texture and vertex uploads of this frame go into this
     * command buffer (gpureg records copy + barrier) instead of a submit-and-wait each. */
    VK_CHECK(vkResetCommandBuffer(slot->cmd, 0));
    VkCommandBufferBeginInfo begin = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                      .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    VK_CHECK(vkBeginCommandBuffer(slot->cmd, &begin));
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
        vkDeviceWaitIdle(s->device);
        vkDestroyFramebuffer(s->device, s->framebuffer, NULL);
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
                                    .renderPass = s->pass,
                                    .attachmentCount = 1,
                                    .pAttachments = &view,
                                    .width = w,
                                    .height = h,
                                    .layers = 1};
    VK_CHECK(vkCreateFramebuffer(s->device, &info, NULL, &s->framebuffer));
    s->target_w = w;
    s->target_h = h;
    return DEMO_EXIT_OK;
}

static int record_draws(vk_state *s, vk_slot *slot, const scene_frame *f) {
    VkBuffer vertices = VK_NULL_HANDLE;
    if (gpureg_vk_buffer_buffer(s->reg, f->vertices, &vertices) != GPUREG_OK)
        return vk_failed("vertex buffer handle", VK_ERROR_UNKNOWN);
    VkClearValue clear = {.color = {.float32 = {0.0f, 0.0f, 0.0f, 1.0f}}};
    VkRenderPassBeginInfo begin = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
                                   .renderPass = s->pass,
                                   .framebuffer = s->framebuffer,
                                   .renderArea = {{0, 0}, {f->width, f->height}},
                                   .clearValueCount = 1,
                                   .pClearValues = &clear};
    vkCmdBeginRenderPass(slot->cmd, &begin, VK_SUBPASS_CONTENTS_INLINE);
    VkViewport viewport = {0.0f, 0.0f, (float)f->width, (float)f->height, 0.0f, 1.0f};
    VkRect2D scissor = {{0, 0}, {f->width, f->height}};
    vkCmdSetViewport(slot->cmd, 0, 1, &viewport);
    vkCmdSetScissor(slot->cmd, 0, 1, &scissor);
    vkCmdBindPipeline(slot->cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, s->pipeline);
    float size[2] = {(float)f->width, (float)f->height};
    vkCmdPushConstants(slot->cmd, s->layout, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof size, size);
    VkDeviceSize offset = 0;
    vkCmdBindVertexBuffers(slot->cmd, 0, 1, &vertices, &offset);
    for (uint32_t i = 0; i < f->draw_count && i < MAX_DRAWS; i++) {
        VkImageView view = VK_NULL_HANDLE;
        if (gpureg_vk_texture_view(s->reg, f->draws[i].texture, &view) != GPUREG_OK)
            return vk_failed("texture view of a draw", VK_ERROR_UNKNOWN);
        VkDescriptorSetAllocateInfo alloc = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                                             .descriptorPool = slot->pool,
                                             .descriptorSetCount = 1,
                                             .pSetLayouts = &s->set_layout};
        VkDescriptorSet set = VK_NULL_HANDLE;
        VK_CHECK(vkAllocateDescriptorSets(s->device, &alloc, &set));
        /* gpureg leaves sampled textures in SHADER_READ_ONLY_OPTIMAL after their upload. */
        VkDescriptorImageInfo image = {s->sampler, view, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
        VkWriteDescriptorSet write = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                                      .dstSet = set,
                                      .descriptorCount = 1,
                                      .descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
                                      .pImageInfo = &image};
        vkUpdateDescriptorSets(s->device, 1, &write, 0, NULL);
        vkCmdBindDescriptorSets(slot->cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, s->layout, 0, 1, &set, 0, NULL);
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
        VkResult r = vkAcquireNextImageKHR(s->device, s->swapchain, UINT64_MAX, slot->acquired, VK_NULL_HANDLE, &index);
        if (r == VK_ERROR_OUT_OF_DATE_KHR) { /* resized between poll and now: rebuild and retry once */
            vkDeviceWaitIdle(s->device);
            if ((rc = create_swapchain(s)) != DEMO_EXIT_OK) return rc;
            r = vkAcquireNextImageKHR(s->device, s->swapchain, UINT64_MAX, slot->acquired, VK_NULL_HANDLE, &index);
        }
        if (r == VK_SUBOPTIMAL_KHR)
            s->swap_dirty = 1;
        else if (r != VK_SUCCESS)
            return vk_failed("vkAcquireNextImageKHR", r);
    }
    VK_CHECK(vkResetFences(s->device, 1, &slot->fence));
    VK_CHECK(vkResetDescriptorPool(s->device, slot->pool, 0));
    if ((rc = record_draws(s, slot, f)) != DEMO_EXIT_OK) return rc;
    if (s->window) record_blit(s, slot, index, f);
    VK_CHECK(vkEndCommandBuffer(slot->cmd));

    VkPipelineStageFlags wait_stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
    VkSubmitInfo submit = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
                           .waitSemaphoreCount = s->window ? 1u : 0u,
                           .pWaitSemaphores = &slot->acquired,
                           .pWaitDstStageMask = &wait_stage,
                           .commandBufferCount = 1,
                           .pCommandBuffers = &slot->cmd,
                           .signalSemaphoreCount = s->window ? 1u : 0u,
                           .pSignalSemaphores = &s->rendered[index]};
    VK_CHECK(vkQueueSubmit(s->queue, 1, &submit, slot->fence));
    gpureg_vk_set_command_buffer(s->reg, VK_NULL_HANDLE); /* later writes (none in a frame) submit again */
    if (s->window) {
        VkPresentInfoKHR present = {.sType = VK_STRUCTURE_TYPE_PRESENT_INFO_KHR,
                                    .waitSemaphoreCount = 1,
                                    .pWaitSemaphores = &s->rendered[index],
                                    .swapchainCount = 1,
                                    .pSwapchains = &s->swapchain,
                                    .pImageIndices = &index};
        VkResult r = vkQueuePresentKHR(s->queue, &present);
        if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR)
            s->swap_dirty = 1;
        else if (r != VK_SUCCESS)
            return vk_failed("vkQueuePresentKHR", r);
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
    vkQueueWaitIdle(s->queue);
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
    if (!s->device) return;
    vkDeviceWaitIdle(s->device);
    if (s->framebuffer) vkDestroyFramebuffer(s->device, s->framebuffer, NULL);
    s->framebuffer = VK_NULL_HANDLE;
    if (s->target.id) gpureg_texture_release(s->reg, s->target);
    s->target.id = 0;
}

static void vk_close(void *state) {
    vk_state *s = state;
    if (!s) return;
    if (s->device) {
        vkDeviceWaitIdle(s->device);
        for (uint32_t i = 0; i < SLOTS; i++) {
            vkDestroyFence(s->device, s->slots[i].fence, NULL);
            vkDestroyDescriptorPool(s->device, s->slots[i].pool, NULL);
            vkDestroySemaphore(s->device, s->slots[i].acquired, NULL);
        }
        for (uint32_t i = 0; i < s->swap_count; i++)
            vkDestroySemaphore(s->device, s->rendered[i], NULL);
        if (s->swapchain) vkDestroySwapchainKHR(s->device, s->swapchain, NULL);
        vkDestroyCommandPool(s->device, s->cmd_pool, NULL);
        vkDestroySampler(s->device, s->sampler, NULL);
        vkDestroyPipeline(s->device, s->pipeline, NULL);
        vkDestroyPipelineLayout(s->device, s->layout, NULL);
        vkDestroyDescriptorSetLayout(s->device, s->set_layout, NULL);
        vkDestroyRenderPass(s->device, s->pass, NULL);
        vkDestroyDevice(s->device, NULL);
    }
    if (s->surface) vkDestroySurfaceKHR(s->instance, s->surface, NULL);
    if (s->instance) vkDestroyInstance(s->instance, NULL);
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
