//go:build cgo && !gpureg_vulkan

package gpureg

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

// Without -tags gpureg_vulkan the Vulkan API still compiles and answers ErrUnsupported, naming the tag.
func TestVulkanWithoutTag(t *testing.T) {
	_, err := NewVulkan(Options{}, VulkanDesc{})
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "-tags gpureg_vulkan") {
		t.Fatalf("NewVulkan without the tag: %v", err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r, err := NewNull(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.VkImage(0); !errors.Is(err, ErrUnsupported) {
		t.Errorf("VkImage: %v", err)
	}
	if err := r.EndFrameVkFence(0); !errors.Is(err, ErrUnsupported) {
		t.Errorf("EndFrameVkFence: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.VkBuffer(0); !errors.Is(err, ErrClosed) {
		t.Errorf("VkBuffer after Close: %v", err)
	}
}

func TestVulkanAdoptWithoutTag(t *testing.T) {
	r := newReg(t)
	_, err := r.AdoptVkBuffer(BufferDesc{Size: 1}, 1, VkAdopt{})
	wantIs(t, "AdoptVkBuffer", err, ErrUnsupported)
	_, err = r.AdoptVkTextureAt(TextureDesc{Width: 1, Height: 1, Format: FormatR8Unorm}, 1, VkAdopt{}, Site{})
	wantIs(t, "AdoptVkTextureAt", err, ErrUnsupported)
}

func TestVulkanObjectsWithoutTag(t *testing.T) {
	r := newReg(t)
	_, err := r.AdoptVkObject(ObjectDesc{Kind: KindSampler}, 1, VkAdoptKeep)
	wantIs(t, "AdoptVkObject", err, ErrUnsupported)
	_, err = r.AdoptVkObjectAt(ObjectDesc{Kind: KindSampler}, 1, VkAdoptDestroy, Site{})
	wantIs(t, "AdoptVkObjectAt", err, ErrUnsupported)
	_, _, err = r.VkObject(1)
	wantIs(t, "VkObject", err, ErrUnsupported)
}
