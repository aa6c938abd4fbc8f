//go:build cgo

package gpureg

// VulkanDesc names the app's Vulkan objects, as integers (the values of the C handles). They
// must stay valid until Close returns.
type VulkanDesc struct {
	Instance, PhysicalDevice, Device, Queue uintptr // VkInstance, VkPhysicalDevice, VkDevice, VkQueue
	QueueFamilyIndex                        uint32
	// GetInstanceProcAddr is the address of the loader's (or volk's) vkGetInstanceProcAddr.
	GetInstanceProcAddr uintptr
	APIVersion          uint32 // optional: the device's API version above 1.1; 0 = ask the device
	DisableDebugUtils   bool   // do not register a debug messenger or name objects
}

// VkAdopt names the app's Vulkan objects that go with an image or buffer it hands to gpureg
// (AdoptVkTexture, AdoptVkBuffer), as integers.
type VkAdopt struct {
	View   uint64 // textures: the app's VkImageView of it (optional)
	Memory uint64 // the VkDeviceMemory bound to it (optional)
	Offset uint64 // its offset in Memory
	Layout uint32 // textures: the VkImageLayout of every subresource now (0 = UNDEFINED)
	// Keep: gpureg only tracks the objects and the app destroys them (after the handle is
	// released and its frame is done: State answers StateDestroyed). Default: gpureg destroys
	// the view and the image or buffer, and frees Memory, on the owner thread after the fence.
	Keep bool
}

// VkOwnership says who destroys an adopted Vulkan object of a generic kind
// (gpureg_vk_ownership; AdoptVkObject).
type VkOwnership uint32

const (
	// VkAdoptDestroy: gpureg calls vkDestroy<Kind> with the registry's device, on the owner
	// thread once the handle is released and its frame fence signalled.
	VkAdoptDestroy VkOwnership = 1 // GPUREG_VK_ADOPT_DESTROY (kinds_vk.go keeps them in step)
	// VkAdoptKeep: gpureg only tracks it; the app destroys it (once State answers
	// StateDestroyed).
	VkAdoptKeep VkOwnership = 2 // GPUREG_VK_ADOPT_KEEP
)
