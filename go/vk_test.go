//go:build cgo && gpureg_vulkan

package gpureg

import (
	"runtime"
	"testing"

	"github.com/gpureg/gpureg/go/internal/vkctx"
)

// TestVulkanRoundTrip runs on lavapipe with the validation layer; zero validation errors is an
// assertion. A missing driver or layer fails the test, naming the packages.
func TestVulkanRoundTrip(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	vk, err := vkctx.New()
	if err != nil {
		t.Fatal(err)
	}
	defer vk.Close()
	before := vkctx.ValidationErrors()
	r, err := NewVulkan(Options{}, VulkanDesc{Instance: vk.Instance, PhysicalDevice: vk.PhysicalDevice,
		Device: vk.Device, Queue: vk.Queue, QueueFamilyIndex: vk.QueueFamilyIndex,
		GetInstanceProcAddr: vk.GetInstanceProcAddr})
	if err != nil {
		t.Fatalf("NewVulkan: %v (a C library built with the Vulkan backend is needed)", err)
	}
	if r.Backend() != "vulkan" {
		t.Fatalf("backend %q", r.Backend())
	}
	tex, err := r.CreateTexture(TextureDesc{Width: 8, Height: 4, Format: FormatRGBA8Unorm, Label: "vk tex"})
	wantOK(t, "CreateTexture", err)
	img, err := r.VkImage(tex)
	if err != nil || img == 0 {
		t.Fatalf("VkImage = %#x, %v", img, err)
	}
	if view, err := r.VkImageView(tex); err != nil || view == 0 {
		t.Errorf("VkImageView = %#x, %v", view, err)
	}
	if n, _ := r.TextureNative(tex); n != img {
		t.Errorf("TextureNative %#x, VkImage %#x", n, img)
	}
	_, err = r.VkBuffer(Buffer(tex))
	wantIs(t, "VkBuffer(texture)", err, ErrWrongType)
	buf, err := r.CreateBuffer(BufferDesc{Size: 256})
	wantOK(t, "CreateBuffer", err)
	if vb, err := r.VkBuffer(buf); err != nil || vb == 0 {
		t.Errorf("VkBuffer = %#x, %v", vb, err)
	}
	roundTrip(t, r, tex, buf)
	st, err := r.Stats()
	if err != nil || st.ErrorMessages != 0 {
		msgs, _ := r.Messages()
		t.Errorf("validation errors seen by gpureg: %d (%v): %+v", st.ErrorMessages, err, msgs)
	}
	wantOK(t, "Close", r.Close())
	if n := vkctx.ValidationErrors() - before; n != 0 {
		t.Errorf("%d validation errors", n)
	}
}

func TestVulkanOnNull(t *testing.T) {
	r := newReg(t)
	tex := mustTexture(t, r, "")
	_, err := r.VkImage(tex)
	wantIs(t, "VkImage on null", err, ErrUnsupported)
	wantIs(t, "EndFrameVkFence on null", r.EndFrameVkFence(1), ErrFrameState, ErrUnsupported)
	wantOK(t, "Release", r.Release(tex.Handle()))
}
