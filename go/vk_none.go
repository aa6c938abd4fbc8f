//go:build cgo && !gpureg_vulkan

package gpureg

// Without -tags gpureg_vulkan the package has no Vulkan backend (and needs no Vulkan headers):
// the Vulkan API is here so that code using it still compiles, and answers ErrUnsupported.

const noVulkanHint = " (gpureg was built without the Vulkan backend: build with -tags gpureg_vulkan)"

// NewVulkan creates a registry on the app's device. This build has no Vulkan backend: it
// answers ErrUnsupported; build with -tags gpureg_vulkan (and the Vulkan headers,
// libvulkan-dev) for the real one.
func NewVulkan(opts Options, vk VulkanDesc) (*Registry, error) {
	return nil, &Error{Op: "NewVulkan" + noVulkanHint, Code: ErrUnsupported.(Result)}
}

func (r *Registry) noVulkan(op string) error {
	if r.reg == nil {
		return closedErr(op)
	}
	return &Error{Op: op + noVulkanHint, Code: ErrUnsupported.(Result)}
}

// VkImage resolves a texture handle to its VkImage: ErrUnsupported in this build.
func (r *Registry) VkImage(t Texture) (uint64, error) { return 0, r.noVulkan("VkImage") }

// VkImageView resolves a texture handle to its VkImageView: ErrUnsupported in this build.
func (r *Registry) VkImageView(t Texture) (uint64, error) { return 0, r.noVulkan("VkImageView") }

// VkBuffer resolves a buffer handle to its VkBuffer: ErrUnsupported in this build.
func (r *Registry) VkBuffer(b Buffer) (uint64, error) { return 0, r.noVulkan("VkBuffer") }

// EndFrameVkFence ends the frame with the app's VkFence: ErrUnsupported in this build.
func (r *Registry) EndFrameVkFence(fence uint64) error { return r.noVulkan("EndFrameVkFence") }

// AdoptVkTexture hands a VkImage to gpureg: ErrUnsupported in this build.
func (r *Registry) AdoptVkTexture(d TextureDesc, image uint64, a VkAdopt) (Texture, error) {
	return 0, r.noVulkan("AdoptVkTexture")
}

// AdoptVkTextureAt hands a VkImage to gpureg: ErrUnsupported in this build.
func (r *Registry) AdoptVkTextureAt(d TextureDesc, image uint64, a VkAdopt, site Site) (Texture, error) {
	return 0, r.noVulkan("AdoptVkTextureAt")
}

// AdoptVkBuffer hands a VkBuffer to gpureg: ErrUnsupported in this build.
func (r *Registry) AdoptVkBuffer(d BufferDesc, buffer uint64, a VkAdopt) (Buffer, error) {
	return 0, r.noVulkan("AdoptVkBuffer")
}

// AdoptVkBufferAt hands a VkBuffer to gpureg: ErrUnsupported in this build.
func (r *Registry) AdoptVkBufferAt(d BufferDesc, buffer uint64, a VkAdopt, site Site) (Buffer, error) {
	return 0, r.noVulkan("AdoptVkBufferAt")
}

// AdoptVkObject hands a Vulkan object to gpureg: ErrUnsupported in this build.
func (r *Registry) AdoptVkObject(d ObjectDesc, handle uint64, own VkOwnership) (Object, error) {
	return 0, r.noVulkan("AdoptVkObject")
}

// AdoptVkObjectAt hands a Vulkan object to gpureg: ErrUnsupported in this build.
func (r *Registry) AdoptVkObjectAt(d ObjectDesc, handle uint64, own VkOwnership, site Site) (Object, error) {
	return 0, r.noVulkan("AdoptVkObjectAt")
}

// VkObject resolves an object handle to its Vulkan handle: ErrUnsupported in this build.
func (r *Registry) VkObject(o Object) (uint64, Kind, error) { return 0, 0, r.noVulkan("VkObject") }
