/* vk_device.c — instance (validation layer, debug utils, synchronization validation), physical
 * device, logical device and queue for the Vulkan renderer (see vk_device.h). */
#include "vk_device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int demo_vk_failed(const char *what, VkResult r) {
    fprintf(stderr, "gpureg-demo: %s failed (VkResult %d)\n", what, (int)r);
    return DEMO_EXIT_FAILURE;
}

static int vk_no_driver(const char *what, const char *packages) {
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

static int create_instance(demo_vk_device *d, const demo_options *opt, int windowed) {
    const char *layers[1];
    uint32_t layer_count = 0;
    const char *validation = "VK_LAYER_KHRONOS_validation";
    if (opt->validate) {
        if (!has_layer(validation))
            return vk_no_driver("--validate needs VK_LAYER_KHRONOS_validation", "vulkan-validationlayers");
        layers[layer_count++] = validation;
    }
    const char *extensions[16];
    uint32_t ext_count = 0;
    if (windowed) {
        uint32_t n = 0;
        const char **required = glfwGetRequiredInstanceExtensions(&n);
        if (!required || n > 15) return vk_no_driver("no Vulkan surface extensions for windows", DEMO_VK_PACKAGES);
        for (uint32_t i = 0; i < n; i++)
            extensions[ext_count++] = required[i];
    }
    /* debug_utils lets gpureg receive validation messages and name every object it creates. */
    if (has_instance_extension(NULL, VK_EXT_DEBUG_UTILS_EXTENSION_NAME) ||
        (opt->validate && has_instance_extension(validation, VK_EXT_DEBUG_UTILS_EXTENSION_NAME)))
        extensions[ext_count++] = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
    else if (opt->validate)
        return vk_no_driver("VK_EXT_debug_utils is missing", "vulkan-validationlayers libvulkan1");

    /* --validate also turns on synchronization validation: a missing barrier between the uploads,
     * the render pass and the blit is an error like any other. */
    VkValidationFeatureEnableEXT sync = VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT;
    VkValidationFeaturesEXT features = {.sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT,
                                        .enabledValidationFeatureCount = 1,
                                        .pEnabledValidationFeatures = &sync};
    int sync_validation =
        opt->validate && has_instance_extension(validation, VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);
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
    VkResult r = vkCreateInstance(&info, NULL, &d->instance);
    if (r == VK_ERROR_INCOMPATIBLE_DRIVER || r == VK_ERROR_INITIALIZATION_FAILED)
        return vk_no_driver("no Vulkan driver (ICD) found", DEMO_VK_PACKAGES);
    if (r == VK_ERROR_LAYER_NOT_PRESENT || r == VK_ERROR_EXTENSION_NOT_PRESENT)
        return vk_no_driver("a required layer or instance extension is missing",
                            DEMO_VK_PACKAGES " vulkan-validationlayers");
    DEMO_VK_CHECK(r);
    return DEMO_EXIT_OK;
}

/* The first device with a graphics queue (that can also present to the window, if any). */
static int pick_device(demo_vk_device *d, int validate) {
    uint32_t n = 0;
    vkEnumeratePhysicalDevices(d->instance, &n, NULL);
    VkPhysicalDevice devices[16];
    if (n > 16) n = 16;
    if (n == 0 || vkEnumeratePhysicalDevices(d->instance, &n, devices) < 0)
        return vk_no_driver("no Vulkan device", DEMO_VK_PACKAGES);
    for (uint32_t i = 0; i < n; i++) {
        VkPhysicalDeviceProperties props;
        vkGetPhysicalDeviceProperties(devices[i], &props);
        if (props.apiVersion < VK_API_VERSION_1_1) continue;
        uint32_t qn = 0;
        vkGetPhysicalDeviceQueueFamilyProperties(devices[i], &qn, NULL);
        VkQueueFamilyProperties families[16];
        if (qn > 16) qn = 16;
        vkGetPhysicalDeviceQueueFamilyProperties(devices[i], &qn, families);
        for (uint32_t f = 0; f < qn; f++) {
            if (!(families[f].queueFlags & VK_QUEUE_GRAPHICS_BIT)) continue;
            VkBool32 present = VK_TRUE;
            if (d->surface) vkGetPhysicalDeviceSurfaceSupportKHR(devices[i], f, d->surface, &present);
            if (!present) continue;
            d->physical = devices[i];
            d->family = f;
            printf("gpureg-demo: Vulkan %u.%u on %s (%s%s)\n", VK_API_VERSION_MAJOR(props.apiVersion),
                   VK_API_VERSION_MINOR(props.apiVersion), props.deviceName,
                   d->surface ? "GLFW window, FIFO swapchain" : "offscreen", validate ? ", validation" : "");
            return DEMO_EXIT_OK;
        }
    }
    return vk_no_driver("no Vulkan 1.1 device with a graphics queue", DEMO_VK_PACKAGES);
}

static int create_device(demo_vk_device *d, int windowed) {
    float priority = 1.0f;
    VkDeviceQueueCreateInfo queue = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                     .queueFamilyIndex = d->family,
                                     .queueCount = 1,
                                     .pQueuePriorities = &priority};
    const char *swapchain_ext = VK_KHR_SWAPCHAIN_EXTENSION_NAME;
    VkDeviceCreateInfo info = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
                               .queueCreateInfoCount = 1,
                               .pQueueCreateInfos = &queue,
                               .enabledExtensionCount = d->surface ? 1u : 0u,
                               .ppEnabledExtensionNames = &swapchain_ext};
    DEMO_VK_CHECK(vkCreateDevice(d->physical, &info, NULL, &d->device));
    vkGetDeviceQueue(d->device, d->family, 0, &d->queue);
    return DEMO_EXIT_OK;
}

int demo_vk_device_open(const demo_options *opt, GLFWwindow *window, demo_vk_device *d) {
    int rc = create_instance(d, opt, window != NULL);
    if (rc != DEMO_EXIT_OK) return rc;
    if (window) DEMO_VK_CHECK(glfwCreateWindowSurface(d->instance, window, NULL, &d->surface));
    if ((rc = pick_device(d, opt->validate)) != DEMO_EXIT_OK) return rc;
    return create_device(d, window != NULL);
}

void demo_vk_device_close(demo_vk_device *d) {
    if (d->device) vkDestroyDevice(d->device, NULL);
    if (d->surface) vkDestroySurfaceKHR(d->instance, d->surface, NULL);
    if (d->instance) vkDestroyInstance(d->instance, NULL);
    memset(d, 0, sizeof *d);
}
