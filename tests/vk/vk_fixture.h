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

/* VkObjectType values the wrapper counts destroy calls of (every core type up to COMMAND_POOL). */
#define VKF_OBJECT_TYPES 26

/* Failures the wrapper injects: a VkResult other than VK_SUCCESS replaces the driver's answer
 * (the real function is not called). `allocate_memory_after` lets that many calls through first.
 * The wrapper also observes what gpureg asks of the driver (the test's own calls bypass it). */
typedef struct vkf_inject {
    VkResult allocate_memory;
    int allocate_memory_after;
    VkResult queue_submit;
    VkResult wait_for_fences;
    VkResult get_fence_status;
    VkFormat hide_format;           /* vkGetPhysicalDeviceFormatProperties reports no features for it (0: none) */
    int hide_coherent;              /* vkGetPhysicalDeviceMemoryProperties drops HOST_COHERENT from every type */
    uint64_t allocate_memory_calls; /* real vkAllocateMemory calls made through the wrapper */
    uint64_t create_buffer_calls;   /* vkCreateBuffer calls gpureg made */
    uint64_t flush_ranges;          /* ranges gpureg passed to vkFlushMappedMemoryRanges */
    uint64_t flush_misaligned;      /* of them, offset or size not a multiple of nonCoherentAtomSize */
    uint64_t queue_submit_calls;    /* vkQueueSubmit calls gpureg made */
    uint64_t destroy_calls[VKF_OBJECT_TYPES];  /* vkDestroy<Type> calls gpureg made, by VkObjectType */
    uint64_t last_destroyed[VKF_OBJECT_TYPES]; /* the handle of the last of them */
    VkSamplerCreateInfo last_sampler;          /* of gpureg's last vkCreateSampler */
    uint64_t shader_calls;                     /* gpureg's vkCreateShaderModule calls */
    uintptr_t last_shader_code;                /* the last one's pCode address, codeSize, first word */
    size_t last_shader_size;
    uint32_t last_shader_word;
    PFN_vkDebugUtilsMessengerCallbackEXT messenger_callback; /* the last one registered */
    void *messenger_user_data;
} vkf_inject;
extern vkf_inject vkf_injected;
PFN_vkVoidFunction VKAPI_PTR vkf_get_instance_proc_addr(VkInstance instance, const char *name);
/* The last debug name gpureg gave the object (vkSetDebugUtilsObjectNameEXT), or NULL if none. */
const char *vkf_name_of(VkObjectType type, uint64_t handle);

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
