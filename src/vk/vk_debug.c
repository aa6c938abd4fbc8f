/* vk_debug.c — the debug messenger behind the guard, and driver names for our objects.
 *
 * The messenger's user data is the registry's guard token, never a pointer: the validation layer
 * may call it on its own threads and, with some loaders, after we unregistered it. The callback
 * copies the message into the registry's ring and maps it to the gpureg handle the object names
 * (`gpureg 0x<handle> "<label>" @ site`, set with vkSetDebugUtilsObjectNameEXT) carry. */
#include <stdio.h>

#include "vk_backend.h"

static gpureg_message_severity severity_of(VkDebugUtilsMessageSeverityFlagBitsEXT s) {
    if (s & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) return GPUREG_SEVERITY_ERROR;
    if (s & VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) return GPUREG_SEVERITY_WARNING;
    return GPUREG_SEVERITY_INFO;
}

static gpureg_message_type type_of(VkDebugUtilsMessageTypeFlagsEXT t) {
    if (t & VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT) return GPUREG_MESSAGE_VALIDATION;
    if (t & VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT) return GPUREG_MESSAGE_PERFORMANCE;
    return GPUREG_MESSAGE_GENERAL;
}

/* Runs on driver threads. Never calls Vulkan or allocates; touches only the guarded ring. */
static VkBool32 VKAPI_PTR on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                     VkDebugUtilsMessageTypeFlagsEXT types,
                                     const VkDebugUtilsMessengerCallbackDataEXT *data, void *user) {
    uint64_t token = (uint64_t)(uintptr_t)user;
    gpureg__ring *ring = gpureg__guard_enter(token);
    if (!ring) return VK_FALSE; /* the registry is gone or closing: counted as late, dropped */
    gpureg_message m = {.severity = severity_of(severity), .type = type_of(types)};
    if (data) {
        m.id = data->messageIdNumber;
        for (uint32_t i = 0; i < data->objectCount && !m.handle; i++)
            m.handle = gpureg__handle_from_text(data->pObjects[i].pObjectName);
        if (!m.handle) m.handle = gpureg__handle_from_text(data->pMessage);
        snprintf(m.text, sizeof m.text, "%s: %s", data->pMessageIdName ? data->pMessageIdName : "?",
                 data->pMessage ? data->pMessage : "");
    }
    gpureg__ring_push(ring, &m);
    gpureg__guard_leave(token);
    return VK_FALSE;
}

gpureg_result vk_debug_init(vk_backend *vb) {
    if (vb->debug_utils_off || !vb->fn.vkCreateDebugUtilsMessengerEXT || !vb->fn.vkDestroyDebugUtilsMessengerEXT)
        return GPUREG_OK; /* no VK_EXT_debug_utils on the instance: nothing to listen to */
    _Static_assert(sizeof(void *) >= sizeof(uint64_t), "the guard token travels as the callback's user data");
    VkDebugUtilsMessengerCreateInfoEXT ci = {
        .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
        .messageSeverity =
            VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
        .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                       VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
        .pfnUserCallback = on_message,
        .pUserData = (void *)(uintptr_t)gpureg__guard_token(vb->reg),
    };
    return vk_check(vb, vb->fn.vkCreateDebugUtilsMessengerEXT(vb->instance, &ci, NULL, &vb->messenger),
                    "vkCreateDebugUtilsMessengerEXT");
}

void vk_debug_shutdown(vk_backend *vb) {
    if (vb->messenger) vb->fn.vkDestroyDebugUtilsMessengerEXT(vb->instance, vb->messenger, NULL);
    vb->messenger = VK_NULL_HANDLE;
}

void vk_debug_name(vk_backend *vb, VkObjectType type, uint64_t object, const char *name) {
    if (vb->debug_utils_off || !vb->fn.vkSetDebugUtilsObjectNameEXT || !object || !name || !*name) return;
    VkDebugUtilsObjectNameInfoEXT ni = {VK_STRUCTURE_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT, NULL, type, object, name};
    vb->fn.vkSetDebugUtilsObjectNameEXT(vb->device, &ni);
}
