/* vk_fixture.c — see vk_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dlfcn.h>
#include <pthread.h>

#include "vk_fixture.h"

_Atomic uint64_t vkf_validation_errors;
vkf_inject vkf_injected;

#define SEEN_CAP 64
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static char seen[SEEN_CAP][512];
static unsigned seen_count;

int vkf_saw(const char *needle) {
    int found = 0;
    pthread_mutex_lock(&seen_lock);
    for (unsigned i = 0; i < seen_count && i < SEEN_CAP; i++)
        if (strstr(seen[i], needle)) found = 1;
    pthread_mutex_unlock(&seen_lock);
    return found;
}

static VkBool32 VKAPI_PTR on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                     VkDebugUtilsMessageTypeFlagsEXT types,
                                     const VkDebugUtilsMessengerCallbackDataEXT *data, void *user) {
    if (!(severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT)) return VK_FALSE;
    atomic_fetch_add(&vkf_validation_errors, 1);
    fprintf(stderr, "[validation] %s\n", data->pMessage);
    pthread_mutex_lock(&seen_lock);
    snprintf(seen[seen_count++ % SEEN_CAP], sizeof seen[0], "%s", data->pMessage);
    pthread_mutex_unlock(&seen_lock);
    return VK_FALSE;
}

/* ---- Failure injection ------------------------------------------------------------------------ */
static VkResult VKAPI_PTR wrap_allocate_memory(VkDevice d, const VkMemoryAllocateInfo *ai,
                                               const VkAllocationCallbacks *cb, VkDeviceMemory *out) {
    if (vkf_injected.allocate_memory != VK_SUCCESS) {
        if (vkf_injected.allocate_memory_after > 0)
            vkf_injected.allocate_memory_after--;
        else
            return vkf_injected.allocate_memory;
    }
    vkf_injected.allocate_memory_calls++;
    return vkAllocateMemory(d, ai, cb, out);
}

static VkResult VKAPI_PTR wrap_queue_submit(VkQueue q, uint32_t n, const VkSubmitInfo *si, VkFence fence) {
    vkf_injected.queue_submit_calls++;
    if (vkf_injected.queue_submit != VK_SUCCESS) return vkf_injected.queue_submit;
    return vkQueueSubmit(q, n, si, fence);
}

static VkResult VKAPI_PTR wrap_wait_for_fences(VkDevice d, uint32_t n, const VkFence *f, VkBool32 all, uint64_t t) {
    if (vkf_injected.wait_for_fences != VK_SUCCESS) return vkf_injected.wait_for_fences;
    return vkWaitForFences(d, n, f, all, t);
}

static VkResult VKAPI_PTR wrap_get_fence_status(VkDevice d, VkFence f) {
    if (vkf_injected.get_fence_status != VK_SUCCESS) return vkf_injected.get_fence_status;
    return vkGetFenceStatus(d, f);
}

static VkResult VKAPI_PTR wrap_create_messenger(VkInstance i, const VkDebugUtilsMessengerCreateInfoEXT *ci,
                                                const VkAllocationCallbacks *cb, VkDebugUtilsMessengerEXT *out) {
    vkf_injected.messenger_callback = ci->pfnUserCallback;
    vkf_injected.messenger_user_data = ci->pUserData;
    PFN_vkCreateDebugUtilsMessengerEXT real =
        (PFN_vkCreateDebugUtilsMessengerEXT)vkGetInstanceProcAddr(i, "vkCreateDebugUtilsMessengerEXT");
    return real(i, ci, cb, out);
}

/* ---- Observation: destroy calls by type, sampler and shader creation, debug names ----------- */
static void destroyed(VkObjectType type, uint64_t handle) {
    vkf_injected.destroy_calls[type]++;
    vkf_injected.last_destroyed[type] = handle;
}

/* X(type without Vk, VkObjectType without VK_OBJECT_TYPE_) */
#define VKF_DESTROYS(X)                                                                                                \
    X(Buffer, BUFFER)                                                                                                  \
    X(ImageView, IMAGE_VIEW)                                                                                           \
    X(Sampler, SAMPLER)                                                                                                \
    X(Framebuffer, FRAMEBUFFER)                                                                                        \
    X(RenderPass, RENDER_PASS)                                                                                         \
    X(Pipeline, PIPELINE)                                                                                              \
    X(PipelineLayout, PIPELINE_LAYOUT)                                                                                 \
    X(DescriptorSetLayout, DESCRIPTOR_SET_LAYOUT)                                                                      \
    X(DescriptorPool, DESCRIPTOR_POOL)                                                                                 \
    X(ShaderModule, SHADER_MODULE)
#define VKF_WRAP_DESTROY(type, object_type)                                                                            \
    static void VKAPI_PTR wrap_destroy_##type(VkDevice d, Vk##type object, const VkAllocationCallbacks *cb) {          \
        if (object) destroyed(VK_OBJECT_TYPE_##object_type, (uint64_t)(uintptr_t)object);                              \
        vkDestroy##type(d, object, cb);                                                                                \
    }
VKF_DESTROYS(VKF_WRAP_DESTROY)
#undef VKF_WRAP_DESTROY

static VkResult VKAPI_PTR wrap_create_sampler(VkDevice d, const VkSamplerCreateInfo *ci,
                                              const VkAllocationCallbacks *cb, VkSampler *out) {
    vkf_injected.last_sampler = *ci;
    return vkCreateSampler(d, ci, cb, out);
}

static VkResult VKAPI_PTR wrap_create_shader_module(VkDevice d, const VkShaderModuleCreateInfo *ci,
                                                    const VkAllocationCallbacks *cb, VkShaderModule *out) {
    vkf_injected.shader_calls++;
    vkf_injected.last_shader_code = (uintptr_t)ci->pCode;
    vkf_injected.last_shader_size = ci->codeSize;
    vkf_injected.last_shader_word = ci->pCode[0];
    return vkCreateShaderModule(d, ci, cb, out);
}

static VkResult VKAPI_PTR wrap_create_buffer(VkDevice d, const VkBufferCreateInfo *ci, const VkAllocationCallbacks *cb,
                                             VkBuffer *out) {
    vkf_injected.create_buffer_calls++;
    return vkCreateBuffer(d, ci, cb, out);
}

static VkDeviceSize atom_size = 1; /* the fixture device's nonCoherentAtomSize */

static VkResult VKAPI_PTR wrap_flush_ranges(VkDevice d, uint32_t n, const VkMappedMemoryRange *ranges) {
    for (uint32_t i = 0; i < n; i++) {
        vkf_injected.flush_ranges++;
        if (ranges[i].offset % atom_size || (ranges[i].size != VK_WHOLE_SIZE && ranges[i].size % atom_size))
            vkf_injected.flush_misaligned++;
    }
    return vkFlushMappedMemoryRanges(d, n, ranges);
}

static void VKAPI_PTR wrap_memory_properties(VkPhysicalDevice pd, VkPhysicalDeviceMemoryProperties *out) {
    vkGetPhysicalDeviceMemoryProperties(pd, out);
    if (!vkf_injected.hide_coherent) return;
    for (uint32_t i = 0; i < out->memoryTypeCount; i++)
        out->memoryTypes[i].propertyFlags &= ~(VkMemoryPropertyFlags)VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
}

static void VKAPI_PTR wrap_format_properties(VkPhysicalDevice pd, VkFormat format, VkFormatProperties *out) {
    vkGetPhysicalDeviceFormatProperties(pd, format, out);
    if (vkf_injected.hide_format && format == vkf_injected.hide_format) *out = (VkFormatProperties){0};
}

#define NAMES_CAP 256
typedef struct vkf_name {
    VkObjectType type;
    uint64_t handle;
    char name[320];
} vkf_name;
static vkf_name names[NAMES_CAP];
static unsigned names_count;

static VkResult VKAPI_PTR wrap_set_object_name(VkDevice d, const VkDebugUtilsObjectNameInfoEXT *ni) {
    vkf_name *n = &names[names_count++ % NAMES_CAP];
    *n = (vkf_name){.type = ni->objectType, .handle = ni->objectHandle};
    snprintf(n->name, sizeof n->name, "%s", ni->pObjectName ? ni->pObjectName : "");
    PFN_vkSetDebugUtilsObjectNameEXT real =
        (PFN_vkSetDebugUtilsObjectNameEXT)vkGetDeviceProcAddr(d, "vkSetDebugUtilsObjectNameEXT");
    return real(d, ni);
}

const char *vkf_name_of(VkObjectType type, uint64_t handle) {
    unsigned first = names_count > NAMES_CAP ? names_count - NAMES_CAP : 0;
    for (unsigned i = names_count; i-- > first;) {
        const vkf_name *n = &names[i % NAMES_CAP];
        if (n->type == type && n->handle == handle) return n->name;
    }
    return NULL;
}

static PFN_vkVoidFunction VKAPI_PTR wrap_get_device_proc_addr(VkDevice d, const char *name) {
#define VKF_DESTROY_ENTRY(type, object_type)                                                                           \
    if (!strcmp(name, "vkDestroy" #type)) return (PFN_vkVoidFunction)wrap_destroy_##type;
    VKF_DESTROYS(VKF_DESTROY_ENTRY)
#undef VKF_DESTROY_ENTRY
    if (!strcmp(name, "vkCreateSampler")) return (PFN_vkVoidFunction)wrap_create_sampler;
    if (!strcmp(name, "vkCreateShaderModule")) return (PFN_vkVoidFunction)wrap_create_shader_module;
    if (!strcmp(name, "vkSetDebugUtilsObjectNameEXT")) return (PFN_vkVoidFunction)wrap_set_object_name;
    if (!strcmp(name, "vkAllocateMemory")) return (PFN_vkVoidFunction)wrap_allocate_memory;
    if (!strcmp(name, "vkCreateBuffer")) return (PFN_vkVoidFunction)wrap_create_buffer;
    if (!strcmp(name, "vkFlushMappedMemoryRanges")) return (PFN_vkVoidFunction)wrap_flush_ranges;
    if (!strcmp(name, "vkQueueSubmit")) return (PFN_vkVoidFunction)wrap_queue_submit;
    if (!strcmp(name, "vkWaitForFences")) return (PFN_vkVoidFunction)wrap_wait_for_fences;
    if (!strcmp(name, "vkGetFenceStatus")) return (PFN_vkVoidFunction)wrap_get_fence_status;
    return vkGetDeviceProcAddr(d, name);
}

PFN_vkVoidFunction VKAPI_PTR vkf_get_instance_proc_addr(VkInstance instance, const char *name) {
    if (!strcmp(name, "vkGetDeviceProcAddr")) return (PFN_vkVoidFunction)wrap_get_device_proc_addr;
    if (!strcmp(name, "vkCreateDebugUtilsMessengerEXT")) return (PFN_vkVoidFunction)wrap_create_messenger;
    if (!strcmp(name, "vkGetPhysicalDeviceFormatProperties")) return (PFN_vkVoidFunction)wrap_format_properties;
    if (!strcmp(name, "vkGetPhysicalDeviceMemoryProperties")) return (PFN_vkVoidFunction)wrap_memory_properties;
    if (!strcmp(name, "vkSetDebugUtilsObjectNameEXT")) return (PFN_vkVoidFunction)wrap_set_object_name;
    return vkGetInstanceProcAddr(instance, name);
}

/* ---- Instance and device ---------------------------------------------------------------------- */
static void no_device(const char *why, VkResult vr) {
    fail_msg("no usable Vulkan device with validation (%s, VkResult %d): install mesa-vulkan-drivers "
             "vulkan-validationlayers (lavapipe and VK_LAYER_KHRONOS_validation)",
             why, (int)vr);
}

static int has_layer(const char *name) {
    uint32_t n = 0;
    vkEnumerateInstanceLayerProperties(&n, NULL);
    VkLayerProperties *p = calloc(n ? n : 1, sizeof *p);
    vkEnumerateInstanceLayerProperties(&n, p);
    int found = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!strcmp(p[i].layerName, name)) found = 1;
    free(p);
    return found;
}

/* The loader unloads the driver and the layer at vkDestroyInstance; pinned, LeakSanitizer can name
 * their frames at exit (tests/vk/lsan.supp suppresses leaks by those modules only, never ours). */
static void pin_driver_modules(void) {
    static const char *libs[] = {"libvulkan_lvp.so", "libVkLayer_khronos_validation.so"};
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++)
        dlopen(libs[i], RTLD_NOW | RTLD_NODELETE);
}

void vkf_init(vk_fixture *f) {
    memset(f, 0, sizeof *f);
    pin_driver_modules();
    memset(&vkf_injected, 0, sizeof vkf_injected);
    names_count = 0;
    atomic_store(&vkf_validation_errors, 0);
    if (!has_layer("VK_LAYER_KHRONOS_validation")) no_device("VK_LAYER_KHRONOS_validation not found", 0);
    const char *layers[] = {"VK_LAYER_KHRONOS_validation"};
    const char *exts[] = {VK_EXT_DEBUG_UTILS_EXTENSION_NAME};
    VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
                             .pApplicationName = "gpureg tests",
                             .apiVersion = VK_API_VERSION_1_2};
    VkDebugUtilsMessengerCreateInfoEXT mi = {.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
                                             .messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
                                             .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                                                            VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT,
                                             .pfnUserCallback = on_message};
    /* Synchronization validation too: a missing barrier in gpureg's transfers is an error. */
    VkValidationFeatureEnableEXT enables[] = {VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
    VkValidationFeaturesEXT features = {.sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT,
                                        .enabledValidationFeatureCount = 1,
                                        .pEnabledValidationFeatures = enables};
    mi.pNext = &features;
    VkInstanceCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
                                .pNext = &mi, /* also catches errors of instance creation and teardown */
                                .pApplicationInfo = &app,
                                .enabledLayerCount = 1,
                                .ppEnabledLayerNames = layers,
                                .enabledExtensionCount = 1,
                                .ppEnabledExtensionNames = exts};
    VkResult vr = vkCreateInstance(&ici, NULL, &f->instance);
    if (vr != VK_SUCCESS) no_device("vkCreateInstance", vr);
    mi.pNext = NULL; /* the features belong to the instance, not to the messenger */
    PFN_vkCreateDebugUtilsMessengerEXT cm =
        (PFN_vkCreateDebugUtilsMessengerEXT)vkGetInstanceProcAddr(f->instance, "vkCreateDebugUtilsMessengerEXT");
    assert_non_null(cm);
    assert_int_equal(cm(f->instance, &mi, NULL, &f->messenger), VK_SUCCESS);
    uint32_t n = 1;
    vr = vkEnumeratePhysicalDevices(f->instance, &n, &f->physical_device);
    if ((vr != VK_SUCCESS && vr != VK_INCOMPLETE) || n == 0) no_device("no physical device", vr);
    vkGetPhysicalDeviceProperties(f->physical_device, &f->props);
    atom_size = f->props.limits.nonCoherentAtomSize ? f->props.limits.nonCoherentAtomSize : 1;
    uint32_t qn = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(f->physical_device, &qn, NULL);
    VkQueueFamilyProperties qp[16];
    qn = qn > 16 ? 16 : qn;
    vkGetPhysicalDeviceQueueFamilyProperties(f->physical_device, &qn, qp);
    f->queue_family_index = UINT32_MAX;
    for (uint32_t i = 0; i < qn && f->queue_family_index == UINT32_MAX; i++)
        if (qp[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) f->queue_family_index = i;
    if (f->queue_family_index == UINT32_MAX) no_device("no graphics queue", 0);
    VkPhysicalDeviceVulkan12Features v12 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceFeatures2 feats = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &v12};
    vkGetPhysicalDeviceFeatures2(f->physical_device, &feats);
    f->timeline = v12.timelineSemaphore == VK_TRUE;
    VkPhysicalDeviceVulkan12Features want12 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
                                               .timelineSemaphore = v12.timelineSemaphore};
    float prio = 1.0f;
    VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                   .queueFamilyIndex = f->queue_family_index,
                                   .queueCount = 1,
                                   .pQueuePriorities = &prio};
    VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
                              .pNext = &want12,
                              .queueCreateInfoCount = 1,
                              .pQueueCreateInfos = &qci};
    vr = vkCreateDevice(f->physical_device, &dci, NULL, &f->device);
    if (vr != VK_SUCCESS) no_device("vkCreateDevice", vr);
    vkGetDeviceQueue(f->device, f->queue_family_index, 0, &f->queue);
}

gpureg_vk_desc vkf_desc(const vk_fixture *f) {
    return (gpureg_vk_desc){.instance = f->instance,
                            .physical_device = f->physical_device,
                            .device = f->device,
                            .queue = f->queue,
                            .queue_family_index = f->queue_family_index,
                            .get_instance_proc_addr = vkf_get_instance_proc_addr};
}

gpureg_registry *vkf_registry(vk_fixture *f, const gpureg_registry_desc *rd) {
    gpureg_vk_desc vd = vkf_desc(f);
    gpureg_registry_desc def = {.report_format = GPUREG_REPORT_OFF};
    assert_int_equal(gpureg_vk_create(&vd, rd ? rd : &def, &f->reg), GPUREG_OK);
    assert_string_equal(gpureg_backend_name(f->reg), "vulkan");
    return f->reg;
}

void vkf_destroy_registry(vk_fixture *f, int leaks) {
    if (!f->reg) return;
    gpureg_registry *reg = f->reg;
    f->reg = NULL; /* a failed assertion below must not make teardown destroy it twice */
    uint64_t errors = gpureg_error_message_count(reg);
    assert_int_equal(gpureg_destroy(reg), leaks);
    assert_int_equal(errors, 0);
    assert_int_equal(atomic_load(&vkf_validation_errors), 0);
}

void vkf_fini(vk_fixture *f) {
    if (f->reg) vkf_destroy_registry(f, 0);
    if (f->device) {
        vkDeviceWaitIdle(f->device);
        vkDestroyDevice(f->device, NULL); /* the layer reports any object we leaked here */
    }
    PFN_vkDestroyDebugUtilsMessengerEXT dm =
        (PFN_vkDestroyDebugUtilsMessengerEXT)vkGetInstanceProcAddr(f->instance, "vkDestroyDebugUtilsMessengerEXT");
    if (f->messenger && dm) dm(f->instance, f->messenger, NULL);
    if (f->instance) vkDestroyInstance(f->instance, NULL);
    memset(f, 0, sizeof *f);
    assert_int_equal(atomic_load(&vkf_validation_errors), 0);
}

int vkf_setup(void **state) {
    vk_fixture *f = calloc(1, sizeof *f);
    vkf_init(f);
    *state = f;
    return 0;
}

int vkf_teardown(void **state) {
    vk_fixture *f = *state;
    vkf_fini(f);
    free(f);
    return 0;
}

VkCommandBuffer vkf_begin(vk_fixture *f, VkCommandPool *pool) {
    VkCommandPoolCreateInfo pi = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                  .queueFamilyIndex = f->queue_family_index};
    assert_int_equal(vkCreateCommandPool(f->device, &pi, NULL, pool), VK_SUCCESS);
    VkCommandBufferAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                      .commandPool = *pool,
                                      .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                      .commandBufferCount = 1};
    VkCommandBuffer cmd;
    assert_int_equal(vkAllocateCommandBuffers(f->device, &ai, &cmd), VK_SUCCESS);
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    assert_int_equal(vkBeginCommandBuffer(cmd, &bi), VK_SUCCESS);
    return cmd;
}

void vkf_submit_wait(vk_fixture *f, VkCommandPool pool, VkCommandBuffer cmd) {
    assert_int_equal(vkEndCommandBuffer(cmd), VK_SUCCESS);
    VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
    assert_int_equal(vkQueueSubmit(f->queue, 1, &si, VK_NULL_HANDLE), VK_SUCCESS);
    assert_int_equal(vkQueueWaitIdle(f->queue), VK_SUCCESS);
    vkDestroyCommandPool(f->device, pool, NULL);
}
