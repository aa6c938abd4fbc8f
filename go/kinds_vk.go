//go:build gpureg_vulkan

package gpureg

/*
#include "cgo_helpers.h"
#include "gpureg/gpureg_vk.h"

// Weak, as in vk.go: a C library built without the Vulkan backend still links.
#pragma weak gpureg_vk_object_adopt_at
#pragma weak gpureg_vk_object_handle

static gr_u64_result gr_vk_object_adopt(gpureg_registry *reg, gpureg_object_desc od, uint64_t handle,
                                        uint32_t ownership, gpureg_site site) {
    gr_u64_result r = {0, GPUREG_ERR_UNSUPPORTED};
    if (!gpureg_vk_object_adopt_at) return r;
    gpureg_object out = {0};
    r.result = (int32_t)gpureg_vk_object_adopt_at(reg, &od, handle, (gpureg_vk_ownership)ownership, &site, &out);
    r.value = out.id;
    return r;
}

typedef struct gr_vk_kinded_result {
    uint64_t value;
    uint32_t kind;
    int32_t result;
} gr_vk_kinded_result;

static gr_vk_kinded_result gr_vk_object_handle(const gpureg_registry *reg, uint64_t handle) {
    gr_vk_kinded_result r = {0, GPUREG_KIND_UNDEFINED, GPUREG_ERR_UNSUPPORTED};
    if (!gpureg_vk_object_handle) return r;
    gpureg_object o = {handle};
    gpureg_object_kind kind = GPUREG_KIND_UNDEFINED;
    r.result = (int32_t)gpureg_vk_object_handle(reg, o, &r.value, &kind);
    r.kind = (uint32_t)kind;
    return r;
}
#cgo nocallback gr_vk_object_adopt
#cgo noescape gr_vk_object_adopt
#cgo nocallback gr_vk_object_handle
#cgo noescape gr_vk_object_handle
*/
import "C"

// VkAdoptDestroy and VkAdoptKeep are declared without the Vulkan header (vkdesc.go, every
// build); this fails to compile when they drift from it.
const _, _, _, _ = VkAdoptDestroy - C.GPUREG_VK_ADOPT_DESTROY, C.GPUREG_VK_ADOPT_DESTROY - VkAdoptDestroy,
	VkAdoptKeep - C.GPUREG_VK_ADOPT_KEEP, C.GPUREG_VK_ADOPT_KEEP - VkAdoptKeep

// AdoptVkObject puts a Vulkan object the app made on the registry's device under a handle:
// a VkImageView, VkSampler, VkFramebuffer, VkRenderPass, VkPipeline, VkPipelineLayout,
// VkDescriptorSetLayout, VkDescriptorPool or VkShaderModule (d.Kind: KindImageView,
// KindSampler, KindFramebuffer, KindRenderPass, KindPipeline, KindPipelineLayout,
// KindDescriptorSetLayout, KindDescriptorPool, KindShader), as an integer. The same refcount,
// deferred destruction (VkAdoptDestroy: vkDestroy<Type> after the fence), label
// (vkSetDebugUtilsObjectNameEXT), creation site (the caller) and report as gpureg's own. On
// error the app still owns it. Owner thread; ErrUnsupported on other backends.
func (r *Registry) AdoptVkObject(d ObjectDesc, handle uint64, own VkOwnership) (Object, error) {
	return r.adoptVkObject("AdoptVkObject", &d, handle, own, callerSite(d.CallerSkip))
}

// AdoptVkObjectAt is AdoptVkObject with an explicit creation site.
func (r *Registry) AdoptVkObjectAt(d ObjectDesc, handle uint64, own VkOwnership, site Site) (Object, error) {
	return r.adoptVkObject("AdoptVkObjectAt", &d, handle, own, site)
}

func (r *Registry) adoptVkObject(op string, d *ObjectDesc, handle uint64, own VkOwnership, site Site) (Object, error) {
	h, err := r.made(op, site, d.Label, func(cs *createStrings) C.gr_u64_result {
		return C.gr_vk_object_adopt(r.reg, cObjectDesc(d, cs.label), C.uint64_t(handle), C.uint32_t(own), cSite(cs))
	})
	return Object(h), err
}

// VkObject resolves an object handle to its Vulkan handle (cast it to the kind's type) and kind.
// Any goroutine (wait-free: the fast path, no crossing). A texture or buffer handle answers
// ErrWrongType; other backends ErrUnsupported.
func (r *Registry) VkObject(o Object) (uint64, Kind, error) {
	if native, kind, ok := r.fp.object(backendVulkan, uint64(o)); ok {
		return native, kind, nil // a Vulkan registry's native is the object's handle
	}
	return r.vkObjectC(o)
}

// vkObjectC is VkObject through the C call (see retainC).
func (r *Registry) vkObjectC(o Object) (uint64, Kind, error) {
	if r.reg == nil {
		return 0, 0, closedErr("VkObject")
	}
	res := C.gr_vk_object_handle(r.reg, C.uint64_t(o))
	if err := r.checkAny("VkObject", res.result); err != nil {
		return 0, 0, err
	}
	return uint64(res.value), Kind(res.kind), nil
}
