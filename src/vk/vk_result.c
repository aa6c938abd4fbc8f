/* vk_result.c — what a VkResult means for gpureg: the one place every Vulkan call's result is
 * turned into a gpureg_result (and a lost device is recorded). */
#include "vk_backend.h"

gpureg_result vk_fail(vk_backend *vb, VkResult vr, const char *what) {
    gpureg_result r;
    switch (vr) {
    case VK_ERROR_DEVICE_LOST:
        gpureg__set_device_lost(vb->reg);
        r = GPUREG_ERR_DEVICE_LOST;
        break;
    case VK_ERROR_OUT_OF_HOST_MEMORY:
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
        r = GPUREG_ERR_OUT_OF_MEMORY;
        break;
    case VK_ERROR_FORMAT_NOT_SUPPORTED:
    case VK_ERROR_FEATURE_NOT_PRESENT:
    case VK_ERROR_EXTENSION_NOT_PRESENT:
        r = GPUREG_ERR_UNSUPPORTED;
        break;
    default:
        r = GPUREG_ERR_BACKEND;
        break;
    }
    return gpureg__fail(vb->reg, r, "%s failed: VkResult %d", what, (int)vr);
}
