//go:build gpureg_vulkan

package gpureg

/*
#include "cgo_helpers.h"
#include "gpureg/gpureg_vk.h"

// Weak: a C library built without the Vulkan backend still links; NewVulkan then answers UNSUPPORTED.
#pragma weak gpureg_vk_create
#pragma weak gpureg_vk_texture_image
#pragma weak gpureg_vk_texture_view
#pragma weak gpureg_vk_buffer_buffer
#pragma weak gpureg_vk_frame_end_fence

// Handles arrive as integers: dispatchable ones are the loader's pointers, non-dispatchable ones
// 64-bit values; neither is Go memory.
static gr_ptr_result gr_vk_create(uintptr_t instance, uintptr_t physical_device, uintptr_t device, uintptr_t queue,
                                  uint32_t queue_family_index, uintptr_t get_instance_proc_addr, uint32_t api_version,
                                  uint32_t disable_debug_utils, uint32_t frames_in_flight, uint32_t message_capacity,
                                  uint32_t shutdown_timeout_ms, uint32_t report_format) {
    gr_ptr_result r = gr_registry_result(GPUREG_ERR_UNSUPPORTED, NULL);
    if (!gpureg_vk_create) return r;
    gpureg_vk_desc vk;
    memset(&vk, 0, sizeof vk);
    vk.instance = (VkInstance)instance;
    vk.physical_device = (VkPhysicalDevice)physical_device;
    vk.device = (VkDevice)device;
    vk.queue = (VkQueue)queue;
    vk.queue_family_index = queue_family_index;
    memcpy(&vk.get_instance_proc_addr, &get_instance_proc_addr, sizeof vk.get_instance_proc_addr);
    vk.api_version = api_version;
    vk.disable_debug_utils = disable_debug_utils;
    gpureg_registry_desc rd = gr_registry_desc(frames_in_flight, message_capacity, shutdown_timeout_ms, report_format);
    gpureg_registry *reg = NULL;
    gpureg_result result = gpureg_vk_create(&vk, &rd, &reg);
    return gr_registry_result(result, reg);
}

enum { GR_VK_IMAGE = 0, GR_VK_VIEW = 1, GR_VK_BUFFER = 2 };

static gr_u64_result gr_vk_resolve(const gpureg_registry *reg, uint64_t handle, int what) {
    gr_u64_result r = {0, GPUREG_ERR_UNSUPPORTED};
    gpureg_texture t = {handle};
    gpureg_buffer b = {handle};
    if (what == GR_VK_IMAGE && gpureg_vk_texture_image) {
        VkImage v = VK_NULL_HANDLE;
        r.result = (int32_t)gpureg_vk_texture_image(reg, t, &v);
        r.value = (uint64_t)v;
    } else if (what == GR_VK_VIEW && gpureg_vk_texture_view) {
        VkImageView v = VK_NULL_HANDLE;
        r.result = (int32_t)gpureg_vk_texture_view(reg, t, &v);
        r.value = (uint64_t)v;
    } else if (what == GR_VK_BUFFER && gpureg_vk_buffer_buffer) {
        VkBuffer v = VK_NULL_HANDLE;
        r.result = (int32_t)gpureg_vk_buffer_buffer(reg, b, &v);
        r.value = (uint64_t)v;
    }
    return r;
}

static int32_t gr_vk_frame_end_fence(gpureg_registry *reg, uint64_t fence) {
    if (!gpureg_vk_frame_end_fence) return GPUREG_ERR_UNSUPPORTED;
    return (int32_t)gpureg_vk_frame_end_fence(reg, (VkFence)fence);
}
#cgo nocallback gr_vk_create
#cgo noescape gr_vk_create
#cgo nocallback gr_vk_resolve
#cgo noescape gr_vk_resolve
#cgo nocallback gr_vk_frame_end_fence
#cgo noescape gr_vk_frame_end_fence
*/
import "C"

// NewVulkan creates a registry on the app's device; the calling OS thread (locked, as for GL)
// becomes the owner, the thread that records and submits on the queue. ErrUnsupported when the
// C library was built without the Vulkan backend (with -tags gpureg_pkgconfig: a libgpureg
// configured without it).
func NewVulkan(opts Options, vk VulkanDesc) (*Registry, error) {
	if opts.LeakReport == ReportDefault {
		opts.LeakReport = ReportOff
	}
	res := C.gr_vk_create(C.uintptr_t(vk.Instance), C.uintptr_t(vk.PhysicalDevice), C.uintptr_t(vk.Device),
		C.uintptr_t(vk.Queue), C.uint32_t(vk.QueueFamilyIndex), C.uintptr_t(vk.GetInstanceProcAddr),
		C.uint32_t(vk.APIVersion), C.uint32_t(boolUint(vk.DisableDebugUtils)), C.uint32_t(opts.FramesInFlight), C.uint32_t(opts.MessageCapacity),
		C.uint32_t(opts.ShutdownTimeoutMS), C.uint32_t(opts.LeakReport))
	if err := check("NewVulkan", res.result); err != nil {
		return nil, err
	}
	return newRegistry((*C.gpureg_registry)(res.ptr), res.addr), nil
}

func (r *Registry) vkResolve(op string, h uint64, what C.int) (uint64, error) {
	if r.reg == nil {
		return 0, closedErr(op)
	}
	res := C.gr_vk_resolve(r.reg, C.uint64_t(h), what)
	if res.result != 0 {
		return 0, &Error{Op: op, Code: Result(res.result)}
	}
	return uint64(res.value), nil
}

// VkImage resolves a texture handle to its VkImage. Any goroutine (wait-free).
func (r *Registry) VkImage(t Texture) (uint64, error) {
	return r.vkResolve("VkImage", uint64(t), C.GR_VK_IMAGE)
}

// VkImageView resolves a texture handle to the VkImageView gpureg made for it.
func (r *Registry) VkImageView(t Texture) (uint64, error) {
	return r.vkResolve("VkImageView", uint64(t), C.GR_VK_VIEW)
}

// VkBuffer resolves a buffer handle to its VkBuffer.
func (r *Registry) VkBuffer(b Buffer) (uint64, error) {
	return r.vkResolve("VkBuffer", uint64(b), C.GR_VK_BUFFER)
}

// EndFrameVkFence ends the frame with the app's VkFence of the frame's last submit instead of
// gpureg's own empty submit. Owner thread.
func (r *Registry) EndFrameVkFence(fence uint64) error {
	if r.reg == nil {
		return closedErr("EndFrameVkFence")
	}
	return check("EndFrameVkFence", C.gr_vk_frame_end_fence(r.reg, C.uint64_t(fence)))
}

func boolUint(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
