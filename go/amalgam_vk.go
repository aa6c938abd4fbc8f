//go:build gpureg_vulkan && !gpureg_pkgconfig

package gpureg

// With -tags gpureg_vulkan the package also compiles zgpureg_vk.c, the Vulkan backend. It needs
// the Vulkan headers (apt-get install libvulkan-dev) and links no Vulkan library: every Vulkan
// function comes through the vkGetInstanceProcAddr the app passes to NewVulkan.

/*
#cgo CFLAGS: -DGPUREG_HAVE_VULKAN=1
*/
import "C"
