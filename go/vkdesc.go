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
