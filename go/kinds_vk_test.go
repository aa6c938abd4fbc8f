//go:build cgo && gpureg_vulkan

package gpureg

import (
	"encoding/binary"
	"testing"
)

// computeSPIRV is a minimal valid compute shader module (spirv-val --target-env vulkan1.1):
// OpEntryPoint GLCompute "main", LocalSize 1 1 1, an empty function.
var computeSPIRV = func() []byte {
	words := []uint32{0x07230203, 0x00010000, 0, 5, 0,
		2<<16 | 17, 1, // OpCapability Shader
		3<<16 | 14, 0, 1, // OpMemoryModel Logical GLSL450
		5<<16 | 15, 5, 1, 0x6e69616d, 0, // OpEntryPoint GLCompute %1 "main"
		6<<16 | 16, 1, 17, 1, 1, 1, // OpExecutionMode %1 LocalSize 1 1 1
		2<<16 | 19, 2, // %2 = OpTypeVoid
		3<<16 | 33, 3, 2, // %3 = OpTypeFunction %2
		5<<16 | 54, 2, 1, 0, 3, // %1 = OpFunction %2 None %3
		2<<16 | 248, 4, // OpLabel
		1<<16 | 253, // OpReturn
		1<<16 | 56,  // OpFunctionEnd
	}
	b := make([]byte, 4*len(words))
	for i, w := range words {
		binary.LittleEndian.PutUint32(b[4*i:], w)
	}
	return b
}()

// vkHandle is VkObject's handle of o, checked against its kind, Info.Native and the C call.
func vkHandle(t *testing.T, r *Registry, o Object, k Kind) uint64 {
	t.Helper()
	h, kind, err := r.VkObject(o)
	if err != nil || h == 0 || kind != k {
		t.Fatalf("VkObject = %#x, %v, %v; want a %v", h, kind, err, k)
	}
	if ch, ckind, err := r.vkObjectC(o); err != nil || ch != h || ckind != kind {
		t.Errorf("VkObject: fast path %#x %v, C call %#x %v %v", h, kind, ch, ckind, err)
	}
	if in, _ := r.Info(o.Handle()); in.Native != h || in.Kind != k {
		t.Errorf("Info = %+v; VkObject %#x", in, h)
	}
	return h
}

func TestVulkanCreatesSamplersAndShaderModules(t *testing.T) {
	r, _ := vkReg(t)
	s, err := r.CreateSampler(SamplerDesc{State: SamplerState{MinFilter: FilterNearest, WrapU: WrapClampToEdge},
		Label: "vk sampler"})
	wantOK(t, "CreateSampler", err)
	sampler := vkHandle(t, r, s, KindSampler)
	sh, err := r.CreateShader(ShaderDesc{Stage: StageCompute, Code: computeSPIRV, Label: "vk shader"})
	wantOK(t, "CreateShader", err)
	vkHandle(t, r, sh, KindShader)
	if fastPathArch {
		calls := cgoCalls(func() {
			for i := 0; i < 1_000_000; i++ {
				if h, k, err := r.VkObject(s); h != sampler || k != KindSampler || err != nil {
					t.Fatalf("fast path: VkObject = %#x, %v, %v", h, k, err)
				}
			}
		})
		if calls != 0 {
			t.Errorf("%d cgo calls in a million VkObject", calls)
		}
	}
	_, err = r.CreateShader(ShaderDesc{Stage: StageCompute, Code: computeSPIRV[:len(computeSPIRV)-2]})
	wantIs(t, "SPIR-V of a size not a multiple of 4", err, ErrInvalidArgument)
	bad := append([]byte(nil), computeSPIRV...)
	bad[0] ^= 0xFF
	_, err = r.CreateShader(ShaderDesc{Stage: StageCompute, Code: bad})
	wantIs(t, "SPIR-V without the magic number", err, ErrInvalidArgument)
	tex := mustTexture(t, r, "")
	_, _, err = r.VkObject(Object(tex))
	wantIs(t, "VkObject(texture)", err, ErrWrongType)
	wantOK(t, "BeginFrame", r.BeginFrame())
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{s.Handle(), sh.Handle(), tex.Handle()}))
	wantOK(t, "EndFrame", r.EndFrame())
	vkRetire(t, r, s.Handle())
	vkRetire(t, r, sh.Handle()) // destroyed by gpureg: no leak at vkDestroyDevice
}

func TestVulkanAnswersUnsupportedForTheGLKinds(t *testing.T) {
	r, _ := vkReg(t)
	tex, err := r.CreateTexture(TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm,
		Usage: TextureColorAttachment | TextureSampled})
	wantOK(t, "CreateTexture", err)
	_, err = r.CreateRenderbuffer(RenderbufferDesc{Width: 8, Height: 8, Format: FormatD24UnormS8Uint})
	wantIs(t, "CreateRenderbuffer", err, ErrUnsupported)
	_, err = r.CreateFramebuffer(FramebufferDesc{Color: []Texture{tex}})
	wantIs(t, "CreateFramebuffer", err, ErrUnsupported)
	_, err = r.CreateVertexArray(VertexArrayDesc{})
	wantIs(t, "CreateVertexArray", err, ErrUnsupported)
	sh, err := r.CreateShader(ShaderDesc{Stage: StageCompute, Code: computeSPIRV})
	wantOK(t, "CreateShader", err)
	_, err = r.CreateProgram(ProgramDesc{Shaders: []Object{sh}})
	wantIs(t, "CreateProgram", err, ErrUnsupported)
	_, err = r.CreateRenderTarget(RenderTargetDesc{Color: TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm}})
	wantIs(t, "CreateRenderTarget", err, ErrUnsupported)
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{tex.Handle(), sh.Handle()}))
	if leaks, err := r.Leaks(); err != nil || len(leaks) != 0 {
		t.Errorf("Leaks = %+v, %v", leaks, err)
	}
}

// vkAdoptable are the kinds vkctx makes, as an app would.
var vkAdoptable = []Kind{KindSampler, KindDescriptorSetLayout, KindPipelineLayout, KindRenderPass, KindDescriptorPool}

// gpureg destroys each adopted object after its fence: the validation layer would name any left
// at vkDestroyDevice (vkReg's cleanup counts its errors).
func TestAdoptVkObjectDestroysEveryKindAfterTheFence(t *testing.T) {
	r, vk := vkReg(t)
	for _, k := range vkAdoptable {
		h, err := vk.NewObject(k.String())
		wantOK(t, "vkctx.NewObject", err)
		o, err := r.AdoptVkObject(ObjectDesc{Kind: k, Label: "app's " + k.String()}, h, VkAdoptDestroy)
		wantOK(t, "AdoptVkObject "+k.String(), err)
		if got := vkHandle(t, r, o, k); got != h {
			t.Errorf("VkObject = %#x; adopted %#x", got, h)
		}
		wantOK(t, "BeginFrame", r.BeginFrame())
		wantOK(t, "Release", r.Release(o.Handle()))
		wantOK(t, "EndFrame", r.EndFrame())
		vkRetire(t, r, o.Handle())
	}
}

func TestAdoptVkObjectAtKeepLeavesItToTheApp(t *testing.T) {
	r, vk := vkReg(t)
	for _, k := range vkAdoptable {
		h, err := vk.NewObject(k.String())
		wantOK(t, "vkctx.NewObject", err)
		o, err := r.AdoptVkObjectAt(ObjectDesc{Kind: k}, h, VkAdoptKeep, gameSite)
		wantOK(t, "AdoptVkObjectAt "+k.String(), err)
		if s := siteOf(t, r, o.Handle()); s != gameSiteText {
			t.Errorf("%v: site %q", k, s)
		}
		wantOK(t, "Release", r.Release(o.Handle()))
		vkRetire(t, r, o.Handle())
		vk.DestroyObject(k.String(), h) // still the app's: a double destroy would be a validation error
	}
}

func TestAdoptVkObjectRejectsBadInput(t *testing.T) {
	r, vk := vkReg(t)
	h, err := vk.NewObject("sampler")
	wantOK(t, "vkctx.NewObject", err)
	_, err = r.AdoptVkObject(ObjectDesc{Kind: KindVertexArray}, h, VkAdoptDestroy)
	wantIs(t, "a kind Vulkan has not", err, ErrInvalidArgument)
	_, err = r.AdoptVkObject(ObjectDesc{Kind: KindSampler}, 0, VkAdoptDestroy)
	wantIs(t, "handle 0", err, ErrInvalidArgument)
	_, err = r.AdoptVkObject(ObjectDesc{Kind: KindSampler}, h, VkOwnership(0))
	wantIs(t, "ownership 0", err, ErrInvalidArgument)
	vk.DestroyObject("sampler", h) // a failed adopt left it to the app
	n := newReg(t)
	_, err = n.AdoptVkObject(ObjectDesc{Kind: KindSampler}, 1, VkAdoptKeep)
	wantIs(t, "AdoptVkObject on null", err, ErrUnsupported)
	s, err := n.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler on null", err)
	_, _, err = n.VkObject(s)
	wantIs(t, "VkObject on null", err, ErrUnsupported)
	wantOK(t, "Release", n.Release(s.Handle()))
}

func TestVulkanBufferUpdateRoundTrip(t *testing.T) {
	r, _ := vkReg(t)
	for _, u := range []BufferUpdate{UpdateStatic, UpdateDynamic, UpdateStream} {
		b, err := r.CreateBuffer(BufferDesc{Size: 256, Update: u, Usage: BufferVertex | BufferTransferDst | BufferTransferSrc})
		wantOK(t, "CreateBuffer", err)
		if in, _ := r.Info(b.Handle()); in.Buffer.Update != u {
			t.Errorf("Info.Buffer.Update = %d, want %d", in.Buffer.Update, u)
		}
		data := []byte("written with update hint")
		wantOK(t, "WriteBufferBytes", r.WriteBufferBytes(b, 16, data))
		got := make([]byte, len(data))
		wantOK(t, "ReadBufferBytes", r.ReadBufferBytes(b, 16, got))
		if string(got) != string(data) {
			t.Errorf("update %d: read back %q", u, got)
		}
		wantOK(t, "Release", r.Release(b.Handle()))
	}
}
