//go:build gpureg_vulkan

// Package vkctx makes a Vulkan instance (with VK_LAYER_KHRONOS_validation and a messenger that
// counts validation errors), a device and a graphics queue on the first physical device (Mesa
// lavapipe in the test environment), for the Vulkan tests. It is not part of the gpureg package.
package vkctx

/*
#cgo pkg-config: vulkan
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <vulkan/vulkan.h>

static atomic_uint_fast64_t vkctx_errors;

static VKAPI_ATTR VkBool32 VKAPI_CALL vkctx_on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                       VkDebugUtilsMessageTypeFlagsEXT types,
                                                       const VkDebugUtilsMessengerCallbackDataEXT *data,
                                                       void *user) {
    (void)types;
    (void)user;
    if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) atomic_fetch_add(&vkctx_errors, 1);
    return VK_FALSE;
}

typedef struct vkctx_made {
    VkInstance instance;
    VkDebugUtilsMessengerEXT messenger;
    VkPhysicalDevice physical_device;
    VkDevice device;
    VkQueue queue;
    uint32_t queue_family_index;
    int32_t step; // 0 ok, else which step failed
    int32_t vk_result;
    uintptr_t handles[4]; // instance, physical device, device, queue as integers for Go
} vkctx_made;

static int vkctx_has_layer(const char *name) {
    uint32_t n = 0;
    vkEnumerateInstanceLayerProperties(&n, NULL);
    VkLayerProperties *p = calloc(n ? n : 1, sizeof *p);
    if (!p) return 0;
    vkEnumerateInstanceLayerProperties(&n, p);
    int found = 0;
    for (uint32_t i = 0; i < n; i++) found |= !strcmp(p[i].layerName, name);
    free(p);
    return found;
}

static vkctx_made vkctx_make(void) {
    vkctx_made m;
    memset(&m, 0, sizeof m);
    if (!vkctx_has_layer("VK_LAYER_KHRONOS_validation")) { m.step = 1; return m; }
    const char *layers[] = {"VK_LAYER_KHRONOS_validation"};
    const char *exts[] = {VK_EXT_DEBUG_UTILS_EXTENSION_NAME};
    VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO, .pApplicationName = "gpureg go tests",
                             .apiVersion = VK_API_VERSION_1_2};
    VkDebugUtilsMessengerCreateInfoEXT mi = {
        .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
        .messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
        .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT,
        .pfnUserCallback = vkctx_on_message};
    VkInstanceCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, .pNext = &mi,
                                .pApplicationInfo = &app, .enabledLayerCount = 1, .ppEnabledLayerNames = layers,
                                .enabledExtensionCount = 1, .ppEnabledExtensionNames = exts};
    VkResult vr = vkCreateInstance(&ici, NULL, &m.instance);
    if (vr != VK_SUCCESS) { m.step = 2; m.vk_result = vr; return m; }
    PFN_vkCreateDebugUtilsMessengerEXT cm =
        (PFN_vkCreateDebugUtilsMessengerEXT)vkGetInstanceProcAddr(m.instance, "vkCreateDebugUtilsMessengerEXT");
    if (!cm || cm(m.instance, &mi, NULL, &m.messenger) != VK_SUCCESS) { m.step = 3; return m; }
    uint32_t n = 1;
    vr = vkEnumeratePhysicalDevices(m.instance, &n, &m.physical_device);
    if ((vr != VK_SUCCESS && vr != VK_INCOMPLETE) || n == 0) { m.step = 4; m.vk_result = vr; return m; }
    uint32_t qn = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(m.physical_device, &qn, NULL);
    VkQueueFamilyProperties qp[16];
    qn = qn > 16 ? 16 : qn;
    vkGetPhysicalDeviceQueueFamilyProperties(m.physical_device, &qn, qp);
    m.queue_family_index = UINT32_MAX;
    for (uint32_t i = 0; i < qn && m.queue_family_index == UINT32_MAX; i++)
        if (qp[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) m.queue_family_index = i;
    if (m.queue_family_index == UINT32_MAX) { m.step = 5; return m; }
    float prio = 1.0f;
    VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                   .queueFamilyIndex = m.queue_family_index, .queueCount = 1,
                                   .pQueuePriorities = &prio};
    VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, .queueCreateInfoCount = 1,
                              .pQueueCreateInfos = &qci};
    vr = vkCreateDevice(m.physical_device, &dci, NULL, &m.device);
    if (vr != VK_SUCCESS) { m.step = 6; m.vk_result = vr; return m; }
    vkGetDeviceQueue(m.device, m.queue_family_index, 0, &m.queue);
    m.handles[0] = (uintptr_t)m.instance;
    m.handles[1] = (uintptr_t)m.physical_device;
    m.handles[2] = (uintptr_t)m.device;
    m.handles[3] = (uintptr_t)m.queue;
    return m;
}

static void vkctx_free(VkInstance instance, VkDebugUtilsMessengerEXT messenger, VkDevice device) {
    if (device) vkDestroyDevice(device, NULL);
    if (messenger) {
        PFN_vkDestroyDebugUtilsMessengerEXT dm =
            (PFN_vkDestroyDebugUtilsMessengerEXT)vkGetInstanceProcAddr(instance, "vkDestroyDebugUtilsMessengerEXT");
        if (dm) dm(instance, messenger, NULL);
    }
    if (instance) vkDestroyInstance(instance, NULL);
}

static uintptr_t vkctx_gipa(void) { return (uintptr_t)vkGetInstanceProcAddr; }
static uint64_t vkctx_error_count(void) { return atomic_load(&vkctx_errors); }
#cgo nocallback vkctx_make
#cgo nocallback vkctx_free
#cgo nocallback vkctx_gipa
#cgo nocallback vkctx_error_count
*/
import "C"

import "fmt"

// Hint names the packages a missing driver or layer needs.
const Hint = "install mesa-vulkan-drivers vulkan-validationlayers (lavapipe and VK_LAYER_KHRONOS_validation)"

// Context holds the handles; they are C (loader) objects, passed around as integers.
type Context struct {
	Instance, PhysicalDevice, Device, Queue uintptr
	QueueFamilyIndex                        uint32
	GetInstanceProcAddr                     uintptr // vkGetInstanceProcAddr of the loader
	made                                    C.vkctx_made
}

var steps = []string{"", "VK_LAYER_KHRONOS_validation not found", "vkCreateInstance failed",
	"vkCreateDebugUtilsMessengerEXT failed", "no physical device", "no graphics queue", "vkCreateDevice failed"}

// New creates the instance, device and queue.
func New() (*Context, error) {
	m := C.vkctx_make()
	if m.step != 0 {
		C.vkctx_free(m.instance, m.messenger, m.device)
		return nil, fmt.Errorf("vkctx: %s (VkResult %d); %s", steps[m.step], int(m.vk_result), Hint)
	}
	return &Context{
		Instance: uintptr(m.handles[0]), PhysicalDevice: uintptr(m.handles[1]),
		Device: uintptr(m.handles[2]), Queue: uintptr(m.handles[3]),
		QueueFamilyIndex: uint32(m.queue_family_index), GetInstanceProcAddr: uintptr(C.vkctx_gipa()), made: m,
	}, nil
}

// ValidationErrors counts validation error messages seen by this package's messenger (all contexts).
func ValidationErrors() uint64 { return uint64(C.vkctx_error_count()) }

// Close destroys the device and the instance.
func (c *Context) Close() { C.vkctx_free(c.made.instance, c.made.messenger, c.made.device) }
