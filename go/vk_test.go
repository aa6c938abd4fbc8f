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
	vb, err := r.VkBuffer(buf)
	if err != nil || vb == 0 {
		t.Errorf("VkBuffer = %#x, %v", vb, err)
	}
	// The typed resolves run in Go over the fast-path contract: a million of each, no cgo call,
	// the same answers as before.
	view, _ := r.VkImageView(tex)
	if fastPathArch {
		calls := cgoCalls(func() {
			for i := 0; i < 1_000_000; i++ {
				a, _ := r.VkImage(tex)
				b, _ := r.VkImageView(tex)
				c, _ := r.VkBuffer(buf)
				if a != img || b != view || c != vb {
					t.Fatalf("fast path: VkImage %#x VkImageView %#x VkBuffer %#x", a, b, c)
				}
			}
		})
		if calls != 0 {
			t.Errorf("%d cgo calls in a million VkImage + VkImageView + VkBuffer", calls)
		}
	}
	transfer, err := r.CreateTexture(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm,
		Usage: TextureTransferDst | TextureTransferSrc})
	wantOK(t, "CreateTexture(transfer only)", err)
	_, err = r.VkImageView(transfer) // no view: the C call answers it
	wantIs(t, "VkImageView(transfer only)", err, ErrUnsupported)
	wantOK(t, "Release", r.Release(transfer.Handle()))
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

// vkReg makes a Vulkan registry on lavapipe; at the end it asserts zero validation errors,
// closes the registry and destroys the device (a VkBuffer still alive then is an error too).
func vkReg(t *testing.T) (*Registry, *vkctx.Context) {
	t.Helper()
	runtime.LockOSThread()
	vk, err := vkctx.New()
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	before := vkctx.ValidationErrors()
	r, err := NewVulkan(Options{}, VulkanDesc{Instance: vk.Instance, PhysicalDevice: vk.PhysicalDevice,
		Device: vk.Device, Queue: vk.Queue, QueueFamilyIndex: vk.QueueFamilyIndex,
		GetInstanceProcAddr: vk.GetInstanceProcAddr})
	if err != nil {
		vk.Close()
		runtime.UnlockOSThread()
		t.Fatalf("NewVulkan: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		vk.Close()
		if n := vkctx.ValidationErrors() - before; n != 0 {
			t.Errorf("%d validation errors", n)
		}
		runtime.UnlockOSThread()
	})
	return r, vk
}

const (
	vkBufferUsageTransferDst = 0x2  // VK_BUFFER_USAGE_TRANSFER_DST_BIT
	vkBufferUsageVertex      = 0x80 // VK_BUFFER_USAGE_VERTEX_BUFFER_BIT
)

func vkRetire(t *testing.T, r *Registry, h Handle) {
	t.Helper()
	for i := 0; r.State(h) != StateDestroyed; i++ {
		if i == 1000 {
			t.Fatal("the frame fence never signalled")
		}
		wantOK(t, "BeginFrame", r.BeginFrame())
		wantOK(t, "EndFrame", r.EndFrame())
	}
}

func TestAdoptVkBufferDestroysTheAppsBufferAfterTheFence(t *testing.T) {
	r, vk := vkReg(t)
	vb, mem, err := vk.NewBuffer(256, vkBufferUsageVertex|vkBufferUsageTransferDst)
	wantOK(t, "vkctx.NewBuffer", err)
	buf, err := r.AdoptVkBuffer(BufferDesc{Size: 256, Usage: BufferVertex | BufferTransferDst, Label: "app's"}, vb,
		VkAdopt{Memory: mem})
	wantOK(t, "AdoptVkBuffer", err)
	if got, err := r.VkBuffer(buf); err != nil || got != vb {
		t.Errorf("VkBuffer = %#x, %v; adopted %#x", got, err, vb)
	}
	wantOK(t, "WriteBufferBytes", r.WriteBufferBytes(buf, 0, []byte("adopted")))
	wantOK(t, "BeginFrame", r.BeginFrame())
	wantOK(t, "Release", r.Release(buf.Handle()))
	wantOK(t, "EndFrame", r.EndFrame())
	vkRetire(t, r, buf.Handle()) // gpureg destroyed the buffer and freed its memory: no leak at vkDestroyDevice
}

func TestAdoptVkBufferAtKeepLeavesTheBufferToTheApp(t *testing.T) {
	r, vk := vkReg(t)
	vb, mem, err := vk.NewBuffer(64, vkBufferUsageVertex|vkBufferUsageTransferDst)
	wantOK(t, "vkctx.NewBuffer", err)
	buf, err := r.AdoptVkBufferAt(BufferDesc{Size: 64, Usage: BufferVertex | BufferTransferDst}, vb,
		VkAdopt{Memory: mem, Keep: true}, gameSite)
	wantOK(t, "AdoptVkBufferAt", err)
	if s := siteOf(t, r, buf.Handle()); s != gameSiteText {
		t.Errorf("site %q", s)
	}
	wantOK(t, "Release", r.Release(buf.Handle()))
	vkRetire(t, r, buf.Handle())
	vk.FreeBuffer(vb, mem) // still the app's: destroying it is valid (a double destroy would be an error)
}
