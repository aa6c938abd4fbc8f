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

#pragma weak gpureg_vk_texture_adopt_at
#pragma weak gpureg_vk_buffer_adopt_at

// Handles arrive as integers: dispatchable ones are the loader's pointers, non-dispatchable ones
// 64-bit values; neither is Go memory.
static gr_ptr_result gr_vk_create(uintptr_t instance, uintptr_t physical_device, uintptr_t device, uintptr_t queue,
                                  uint32_t queue_family_index, uintptr_t get_instance_proc_addr, uint32_t api_version,
                                  uint32_t disable_debug_utils, gr_options o) {
    gr_ptr_result r = gr_registry_result(GPUREG_ERR_UNSUPPORTED, NULL);
    if (!gpureg_vk_create) {
        gr_log_add(o.diag, GPUREG_LOG_ERROR, GPUREG_ERR_UNSUPPORTED,
                   "gpureg_vk_create: the gpureg C library was built without the Vulkan backend");
        return r;
    }
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
    gpureg_registry_desc rd = gr_registry_desc(o);
    gpureg_registry *reg = NULL;
    gpureg_result result = gpureg_vk_create(&vk, &rd, &reg);
    return gr_registry_result(result, reg);
}

// The destroy callback of an adoption the app keeps: C, does nothing (C never calls Go).
static void gr_vk_adopt_keep(uint64_t native, void *user) {
    (void)native;
    (void)user;
}

typedef struct gr_vk_adopt {
    uint64_t view, memory, offset;
    uint32_t layout, keep;
} gr_vk_adopt;

static gpureg_vk_adopt_desc gr_vk_adopt_desc(gr_vk_adopt a) {
    gpureg_vk_adopt_desc d;
    memset(&d, 0, sizeof d);
    d.view = (VkImageView)a.view;
    d.memory = (VkDeviceMemory)a.memory;
    d.offset = a.offset;
    d.layout = (VkImageLayout)a.layout;
    d.destroy = a.keep ? gr_vk_adopt_keep : NULL;
    return d;
}

static gr_u64_result gr_vk_texture_adopt(gpureg_registry *reg, gpureg_texture_desc td, uint64_t image, gr_vk_adopt a,
                                         gpureg_site site) {
    gr_u64_result r = {0, GPUREG_ERR_UNSUPPORTED};
    if (!gpureg_vk_texture_adopt_at) return r;
    gpureg_vk_adopt_desc ad = gr_vk_adopt_desc(a);
    gpureg_texture out = {0};
    r.result = (int32_t)gpureg_vk_texture_adopt_at(reg, &td, (VkImage)image, &ad, &site, &out);
    r.value = out.id;
    return r;
}

static gr_u64_result gr_vk_buffer_adopt(gpureg_registry *reg, gpureg_buffer_desc bd, uint64_t buffer, gr_vk_adopt a,
                                        gpureg_site site) {
    gr_u64_result r = {0, GPUREG_ERR_UNSUPPORTED};
    if (!gpureg_vk_buffer_adopt_at) return r;
    gpureg_vk_adopt_desc ad = gr_vk_adopt_desc(a);
    gpureg_buffer out = {0};
    r.result = (int32_t)gpureg_vk_buffer_adopt_at(reg, &bd, (VkBuffer)buffer, &ad, &site, &out);
    r.value = out.id;
    return r;
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
#cgo nocallback gr_vk_texture_adopt
#cgo noescape gr_vk_texture_adopt
#cgo nocallback gr_vk_buffer_adopt
#cgo noescape gr_vk_buffer_adopt
*/
import "C"

// NewVulkan creates a registry on the app's device; the calling OS thread (locked, as for GL)
// becomes the owner, the thread that records and submits on the queue. ErrUnsupported when the
// C library was built without the Vulkan backend (with -tags gpureg_pkgconfig: a libgpureg
// configured without it).
func NewVulkan(opts Options, vk VulkanDesc) (*Registry, error) {
	diag := newDiag()
	if diag == nil {
		return nil, outOfMemory("NewVulkan")
	}
	r := newPending(opts, diag)
	return r.finish("NewVulkan", C.gr_vk_create(C.uintptr_t(vk.Instance), C.uintptr_t(vk.PhysicalDevice),
		C.uintptr_t(vk.Device), C.uintptr_t(vk.Queue), C.uint32_t(vk.QueueFamilyIndex),
		C.uintptr_t(vk.GetInstanceProcAddr), C.uint32_t(vk.APIVersion), C.uint32_t(boolInt(vk.DisableDebugUtils)),
		cOptions(&opts, diag)))
}

func (r *Registry) vkResolve(op string, h uint64, what C.int) (uint64, error) {
	// A Vulkan registry's native is the VkImage or VkBuffer; the view is in the slot's record.
	switch what {
	case C.GR_VK_IMAGE:
		if r.fp.on(backendVulkan, h, uint32(TypeTexture)) {
			if native, ok := r.fp.resolve(h); ok {
				return native, nil
			}
		}
	case C.GR_VK_BUFFER:
		if r.fp.on(backendVulkan, h, uint32(TypeBuffer)) {
			if native, ok := r.fp.resolve(h); ok {
				return native, nil
			}
		}
	case C.GR_VK_VIEW:
		if view, ok := r.fp.vkView(h); ok {
			return view, nil
		}
	}
	if r.reg == nil {
		return 0, closedErr(op)
	}
	res := C.gr_vk_resolve(r.reg, C.uint64_t(h), what)
	if err := r.checkAny(op, res.result); err != nil {
		return 0, err
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
	err := r.check("EndFrameVkFence", C.gr_vk_frame_end_fence(r.reg, C.uint64_t(fence)))
	r.drainOwner()
	return err
}

// cVkAdopt is a in C form.
func cVkAdopt(a *VkAdopt) C.gr_vk_adopt {
	var c C.gr_vk_adopt
	c.view = C.uint64_t(a.View)
	c.memory = C.uint64_t(a.Memory)
	c.offset = C.uint64_t(a.Offset)
	c.layout = C.uint32_t(a.Layout)
	c.keep = C.uint32_t(boolInt(a.Keep))
	return c
}

// AdoptVkTexture puts a VkImage the app made (on this registry's device) under a handle: the
// same refcount, deferred destruction (after the frame fence), label, creation site (the caller)
// and report as gpureg's own. The desc describes the image as created. On error the app still
// owns everything. Owner thread; ErrUnsupported on other backends.
func (r *Registry) AdoptVkTexture(d TextureDesc, image uint64, a VkAdopt) (Texture, error) {
	return r.adoptVkTexture("AdoptVkTexture", &d, image, &a, callerSite(d.CallerSkip))
}

// AdoptVkTextureAt is AdoptVkTexture with an explicit creation site.
func (r *Registry) AdoptVkTextureAt(d TextureDesc, image uint64, a VkAdopt, site Site) (Texture, error) {
	return r.adoptVkTexture("AdoptVkTextureAt", &d, image, &a, site)
}

func (r *Registry) adoptVkTexture(op string, d *TextureDesc, image uint64, a *VkAdopt, site Site) (Texture, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		return C.gr_vk_texture_adopt(r.reg, cTextureDesc(d, cs.label), C.uint64_t(image), cVkAdopt(a), cSite(cs))
	})
	return Texture(h), err
}

// AdoptVkBuffer is AdoptVkTexture for a VkBuffer (VkAdopt.View and Layout are ignored).
func (r *Registry) AdoptVkBuffer(d BufferDesc, buffer uint64, a VkAdopt) (Buffer, error) {
	return r.adoptVkBuffer("AdoptVkBuffer", &d, buffer, &a, callerSite(d.CallerSkip))
}

// AdoptVkBufferAt is AdoptVkBuffer with an explicit creation site.
func (r *Registry) AdoptVkBufferAt(d BufferDesc, buffer uint64, a VkAdopt, site Site) (Buffer, error) {
	return r.adoptVkBuffer("AdoptVkBufferAt", &d, buffer, &a, site)
}

func (r *Registry) adoptVkBuffer(op string, d *BufferDesc, buffer uint64, a *VkAdopt, site Site) (Buffer, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		return C.gr_vk_buffer_adopt(r.reg, cBufferDesc(d, cs.label), C.uint64_t(buffer), cVkAdopt(a), cSite(cs))
	})
	return Buffer(h), err
}
