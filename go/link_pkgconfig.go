//go:build gpureg_pkgconfig

package gpureg

// With -tags gpureg_pkgconfig the package links a libgpureg installed on the system (or a
// CMake build tree's) through pkg-config instead of compiling the generated zgpureg_*.c: set
// PKG_CONFIG_PATH to the directory of its gpureg.pc (an install's lib/pkgconfig, or a build
// tree's pkgconfig/). Its headers come from that install too. Add gpureg_vulkan for NewVulkan
// (a library configured without Vulkan then answers ErrUnsupported). Go's build cache does not
// notice a changed PKG_CONFIG_PATH: when switching between two libraries, change CGO_CFLAGS too
// or use another GOCACHE.

/*
#cgo pkg-config: gpureg
*/
import "C"
