/* vk_fixture.h — a Vulkan instance + device + queue on lavapipe with VK_LAYER_KHRONOS_validation,
 * a registry on it, and a vkGetInstanceProcAddr wrapper that injects failures. */
#ifndef GPUREG_VK_FIXTURE_H
#define GPUREG_VK_FIXTURE_H

#include <stdatomic.h>
#include <stdint.h>

#include "gpureg/gpureg_vk.h"

typedef struct vk_fixture {
    VkInstance instance;
    VkPhysicalDevice physical_device;
    VkDevice device;
    VkQueue queue;
    uint32_t queue_family_index;
    int timeline; /* the timelineSemaphore feature is enabled */
    VkPhysicalDeviceProperties props;
    VkDebugUtilsMessengerEXT messenger;
    gpureg_registry *reg;
} vk_fixture;

/* Validation errors the fixture's own messenger saw (also outside any registry's lifetime, e.g. a
 * leaked object reported at vkDestroyDevice), and the ids of the last ones. */
extern _Atomic uint64_t vkf_validation_errors;
/* 1 once a message whose text contains `needle` was seen by the fixture's messenger. */
int vkf_saw(const char *needle);

/* Failures the wrapper injects: a VkResult other than VK_SUCCESS replaces the driver's answer
 * (the real function is not called). `allocate_memory_after` lets that many calls through first. */
typedef struct vkf_inject {
    VkResult allocate_memory;
    int allocate_memory_after;
    VkResult queue_submit;
    VkResult wait_for_fences;
    VkResult get_fence_status;
    uint64_t allocate_memory_calls;                          /* real vkAllocateMemory calls made through the wrapper */
    PFN_vkDebugUtilsMessengerCallbackEXT messenger_callback; /* the last one registered */
    void *messenger_user_data;
} vkf_inject;
extern vkf_inject vkf_injected;
PFN_vkVoidFunction VKAPI_PTR vkf_get_instance_proc_addr(VkInstance instance, const char *name);

/* Create instance, device and queue; fails the test (naming the packages) without a device. */
void vkf_init(vk_fixture *f);
/* Registry on the fixture's device (loaded through the injecting wrapper); asserts success. */
gpureg_vk_desc vkf_desc(const vk_fixture *f);
gpureg_registry *vkf_registry(vk_fixture *f, const gpureg_registry_desc *rd);
/* Destroy the registry expecting `leaks` leaked objects and zero validation errors. */
void vkf_destroy_registry(vk_fixture *f, int leaks);
/* Destroy device and instance; asserts the validation layer reported nothing (no leaked objects). */
void vkf_fini(vk_fixture *f);

/* cmocka group setup/teardown using one vk_fixture in *state. */
int vkf_setup(void **state);
int vkf_teardown(void **state);

/* A one-shot command buffer on the fixture's queue: begin, then submit and wait. */
VkCommandBuffer vkf_begin(vk_fixture *f, VkCommandPool *pool);
void vkf_submit_wait(vk_fixture *f, VkCommandPool pool, VkCommandBuffer cmd);

#endif
