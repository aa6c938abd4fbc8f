/* vk_device.h — the Vulkan instance and device the demo renders with, and its error helpers. */
#ifndef DEMO_VK_DEVICE_H
#define DEMO_VK_DEVICE_H

#include <vulkan/vulkan.h>

/* After vulkan.h: GLFW then declares its Vulkan calls (glfwCreateWindowSurface, ...). */
#include "window.h"

typedef struct demo_vk_device {
    VkInstance instance;
    VkSurfaceKHR surface; /* only with a window */
    VkPhysicalDevice physical;
    VkDevice device;
    VkQueue queue; /* graphics (and present, with a window) */
    uint32_t family;
} demo_vk_device;

/* Create the instance (with VK_LAYER_KHRONOS_validation and synchronization validation when
 * opt->validate), the window's surface if `window`, and a device with one graphics queue (and
 * VK_KHR_swapchain with a window). Returns a DEMO_EXIT_* code: DEMO_EXIT_NO_DRIVER with a message
 * naming the packages when the loader, a driver or the layer is missing. */
int demo_vk_device_open(const demo_options *opt, GLFWwindow *window, demo_vk_device *out);
/* Destroy what open made (safe on a partly opened device). */
void demo_vk_device_close(demo_vk_device *d);

/* Print "<what> failed (VkResult n)" and return DEMO_EXIT_FAILURE. */
int demo_vk_failed(const char *what, VkResult r);

/* Return from the calling function (with a DEMO_EXIT_* code) when a Vulkan call fails. */
#define DEMO_VK_CHECK(call)                                                                                            \
    do {                                                                                                               \
        VkResult demo_vk_check_result = (call);                                                                        \
        if (demo_vk_check_result != VK_SUCCESS) return demo_vk_failed(#call, demo_vk_check_result);                    \
    } while (0)

#endif
