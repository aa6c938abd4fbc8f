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

// A VkBuffer with bound device memory, made by the "app", for the adopt tests.
typedef struct vkctx_buffer {
    uint64_t buffer, memory;
    int32_t vk_result;
} vkctx_buffer;

static vkctx_buffer vkctx_buffer_make(VkPhysicalDevice pd, VkDevice device, uint64_t size, uint32_t usage) {
    vkctx_buffer r = {0, 0, 0};
    VkBufferCreateInfo bci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, .size = size, .usage = usage,
                              .sharingMode = VK_SHARING_MODE_EXCLUSIVE};
    VkBuffer b = VK_NULL_HANDLE;
    r.vk_result = vkCreateBuffer(device, &bci, NULL, &b);
    if (r.vk_result != VK_SUCCESS) return r;
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(device, b, &req);
    VkPhysicalDeviceMemoryProperties mp;
    vkGetPhysicalDeviceMemoryProperties(pd, &mp);
    uint32_t type = UINT32_MAX;
    for (uint32_t i = 0; i < mp.memoryTypeCount && type == UINT32_MAX; i++)
        if ((req.memoryTypeBits & (1u << i)) && (mp.memoryTypes[i].propertyFlags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT))
            type = i;
    for (uint32_t i = 0; i < mp.memoryTypeCount && type == UINT32_MAX; i++)
        if (req.memoryTypeBits & (1u << i)) type = i;
    VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = req.size,
                               .memoryTypeIndex = type};
    VkDeviceMemory m = VK_NULL_HANDLE;
    r.vk_result = vkAllocateMemory(device, &ai, NULL, &m);
    if (r.vk_result != VK_SUCCESS) {
        vkDestroyBuffer(device, b, NULL);
        return r;
    }
    r.vk_result = vkBindBufferMemory(device, b, m, 0);
    if (r.vk_result != VK_SUCCESS) {
        vkFreeMemory(device, m, NULL);
        vkDestroyBuffer(device, b, NULL);
        return r;
    }
    r.buffer = (uint64_t)b;
    r.memory = (uint64_t)m;
    return r;
}

static void vkctx_buffer_free(VkDevice device, uint64_t buffer, uint64_t memory) {
    vkDestroyBuffer(device, (VkBuffer)buffer, NULL);
    vkFreeMemory(device, (VkDeviceMemory)memory, NULL);
}

// Vulkan objects of gpureg's generic kinds made by the "app", for the adopt tests. what: 0
// sampler, 1 descriptor set layout (empty), 2 pipeline layout (empty), 3 render pass (one RGBA8
// colour attachment), 4 descriptor pool (one uniform buffer).
typedef struct vkctx_object {
    uint64_t handle;
    int32_t vk_result;
} vkctx_object;

static vkctx_object vkctx_object_make(VkDevice device, int what) {
    vkctx_object r = {0, VK_SUCCESS};
    if (what == 0) {
        VkSamplerCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO, .magFilter = VK_FILTER_LINEAR,
                                  .minFilter = VK_FILTER_LINEAR, .maxLod = 0.25f};
        VkSampler h = VK_NULL_HANDLE;
        r.vk_result = vkCreateSampler(device, &ci, NULL, &h);
        r.handle = (uint64_t)h;
    } else if (what == 1) {
        VkDescriptorSetLayoutCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
        VkDescriptorSetLayout h = VK_NULL_HANDLE;
        r.vk_result = vkCreateDescriptorSetLayout(device, &ci, NULL, &h);
        r.handle = (uint64_t)h;
    } else if (what == 2) {
        VkPipelineLayoutCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
        VkPipelineLayout h = VK_NULL_HANDLE;
        r.vk_result = vkCreatePipelineLayout(device, &ci, NULL, &h);
        r.handle = (uint64_t)h;
    } else if (what == 3) {
        VkAttachmentDescription a = {.format = VK_FORMAT_R8G8B8A8_UNORM, .samples = VK_SAMPLE_COUNT_1_BIT,
                                     .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR, .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
                                     .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
                                     .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
                                     .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
                                     .finalLayout = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
        VkAttachmentReference ref = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
        VkSubpassDescription sub = {.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS, .colorAttachmentCount = 1,
                                    .pColorAttachments = &ref};
        VkRenderPassCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO, .attachmentCount = 1,
                                     .pAttachments = &a, .subpassCount = 1, .pSubpasses = &sub};
        VkRenderPass h = VK_NULL_HANDLE;
        r.vk_result = vkCreateRenderPass(device, &ci, NULL, &h);
        r.handle = (uint64_t)h;
    } else {
        VkDescriptorPoolSize size = {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1};
        VkDescriptorPoolCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO, .maxSets = 1,
                                         .poolSizeCount = 1, .pPoolSizes = &size};
        VkDescriptorPool h = VK_NULL_HANDLE;
        r.vk_result = vkCreateDescriptorPool(device, &ci, NULL, &h);
        r.handle = (uint64_t)h;
    }
    return r;
}

static void vkctx_object_destroy(VkDevice device, int what, uint64_t h) {
    switch (what) {
    case 0: vkDestroySampler(device, (VkSampler)h, NULL); break;
    case 1: vkDestroyDescriptorSetLayout(device, (VkDescriptorSetLayout)h, NULL); break;
    case 2: vkDestroyPipelineLayout(device, (VkPipelineLayout)h, NULL); break;
    case 3: vkDestroyRenderPass(device, (VkRenderPass)h, NULL); break;
    default: vkDestroyDescriptorPool(device, (VkDescriptorPool)h, NULL); break;
    }
}

static uintptr_t vkctx_gipa(void) { return (uintptr_t)vkGetInstanceProcAddr; }
static uint64_t vkctx_error_count(void) { return atomic_load(&vkctx_errors); }
#cgo nocallback vkctx_make
#cgo nocallback vkctx_free
#cgo nocallback vkctx_gipa
#cgo nocallback vkctx_error_count
#cgo nocallback vkctx_buffer_make
#cgo nocallback vkctx_buffer_free
#cgo nocallback vkctx_object_make
#cgo nocallback vkctx_object_destroy
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

// NewBuffer makes a VkBuffer of size bytes with the given VkBufferUsageFlags and binds device
// memory to it, as an app would before handing it to gpureg. Buffer and memory as integers.
func (c *Context) NewBuffer(size uint64, usage uint32) (buffer, memory uint64, err error) {
	b := C.vkctx_buffer_make(c.made.physical_device, c.made.device, C.uint64_t(size), C.uint32_t(usage))
	if b.buffer == 0 {
		return 0, 0, fmt.Errorf("vkctx: making a buffer failed (VkResult %d)", int(b.vk_result))
	}
	return uint64(b.buffer), uint64(b.memory), nil
}

// FreeBuffer destroys a buffer of NewBuffer and frees its memory.
func (c *Context) FreeBuffer(buffer, memory uint64) {
	C.vkctx_buffer_free(c.made.device, C.uint64_t(buffer), C.uint64_t(memory))
}

// objectKinds are gpureg's names of the kinds NewObject makes, in vkctx_object_make's order.
var objectKinds = map[string]C.int{"sampler": 0, "descriptor_set_layout": 1, "pipeline_layout": 2,
	"render_pass": 3, "descriptor_pool": 4}

// NewObject makes a Vulkan object of a gpureg kind ("sampler", "descriptor_set_layout",
// "pipeline_layout", "render_pass", "descriptor_pool") on the device, as an app would before
// handing it to gpureg; its handle as an integer.
func (c *Context) NewObject(kind string) (uint64, error) {
	what, ok := objectKinds[kind]
	if !ok {
		return 0, fmt.Errorf("vkctx: no %q objects", kind)
	}
	o := C.vkctx_object_make(c.made.device, what)
	if o.handle == 0 {
		return 0, fmt.Errorf("vkctx: making a %s failed (VkResult %d)", kind, int(o.vk_result))
	}
	return uint64(o.handle), nil
}

// DestroyObject destroys an object of NewObject.
func (c *Context) DestroyObject(kind string, handle uint64) {
	if what, ok := objectKinds[kind]; ok {
		C.vkctx_object_destroy(c.made.device, what, C.uint64_t(handle))
	}
}
