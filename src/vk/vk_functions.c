/* vk_functions.c — the Vulkan function table, loaded through the app's vkGetInstanceProcAddr.
 *
 * gpureg links no Vulkan library: every call goes through this table, so an app using volk or its
 * own loader works, and tests inject failures by passing a vkGetInstanceProcAddr that hands out
 * wrappers (device functions come from the vkGetDeviceProcAddr it returns). */
#include <string.h>

#include "vk_backend.h"

/* Vulkan 1.2 promoted these from extensions; a 1.1 device may only have the KHR names. */
static PFN_vkVoidFunction device_fn(const vk_functions *fn, VkDevice device, const char *name) {
    PFN_vkVoidFunction f = fn->vkGetDeviceProcAddr(device, name);
    if (f) return f;
    char khr[64];
    size_t n = strlen(name);
    if (n + 4 >= sizeof khr) return NULL;
    memcpy(khr, name, n);
    memcpy(khr + n, "KHR", 4);
    return fn->vkGetDeviceProcAddr(device, khr);
}

gpureg_result vk_functions_load(gpureg_registry *reg, const gpureg_vk_desc *desc, vk_functions *fn) {
    memset(fn, 0, sizeof *fn);
    PFN_vkGetInstanceProcAddr gipa = desc->get_instance_proc_addr;
#define VK_LOAD_INSTANCE(name, required)                                                                               \
    fn->name = (PFN_##name)gipa(desc->instance, #name);                                                                \
    if (!fn->name && (required))                                                                                       \
        return gpureg__fail(reg, GPUREG_ERR_UNSUPPORTED, "gpureg_vk_create: the instance has no %s", #name);
    VK_INSTANCE_FUNCTIONS(VK_LOAD_INSTANCE)
#undef VK_LOAD_INSTANCE
#define VK_LOAD_DEVICE(name, required)                                                                                 \
    fn->name = (PFN_##name)device_fn(fn, desc->device, #name);                                                         \
    if (!fn->name && (required))                                                                                       \
        return gpureg__fail(reg, GPUREG_ERR_UNSUPPORTED, "gpureg_vk_create: the device has no %s", #name);
    VK_DEVICE_FUNCTIONS(VK_LOAD_DEVICE)
#undef VK_LOAD_DEVICE
    /* An instance extension function: some loaders only hand it out at instance level. */
    if (!fn->vkSetDebugUtilsObjectNameEXT)
        fn->vkSetDebugUtilsObjectNameEXT =
            (PFN_vkSetDebugUtilsObjectNameEXT)gipa(desc->instance, "vkSetDebugUtilsObjectNameEXT");
    return GPUREG_OK;
}
