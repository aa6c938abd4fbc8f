//go:build cgo

package gpureg

import (
	"strings"
	"testing"

	"github.com/gpureg/gpureg/go/internal/eglctx"
)

// GL enums the tests compare with.
const (
	glNearest               = 0x2600
	glLinear                = 0x2601
	glNearestMipmapLinear   = 0x2702
	glLinearMipmapLinear    = 0x2703
	glRepeat                = 0x2901
	glClampToEdge           = 0x812F
	glMirroredRepeat        = 0x8370
	glTextureMagFilter      = 0x2800
	glTextureMinFilter      = 0x2801
	glTextureWrapS          = 0x2802
	glTextureWrapT          = 0x2803
	glColorAttachment0      = 0x8CE0
	glDepthAttachment       = 0x8D00
	glStencilAttachment     = 0x8D20
	glBufferUsage           = 0x8765
	glStreamDraw            = 0x88E0
	glStaticDraw            = 0x88E4
	glDynamicDraw           = 0x88E8
	glLinkStatus            = 0x8B82
	glFeaturesWithoutTheDSA = GLFeatureDirectStateAccess | GLFeatureTextureStorage
)

// glPaths runs fn on a GL registry with direct state access, and on one that binds instead.
func glPaths(t *testing.T, fn func(t *testing.T, r *Registry)) {
	t.Run("dsa", func(t *testing.T) { fn(t, glReg(t)) })
	t.Run("bind", func(t *testing.T) { fn(t, glRegWith(t, GLOptions{DisableFeatures: glFeaturesWithoutTheDSA})) })
}

// glName is GLObject's name of o, checked against its kind, Info.Native and the C call's answer.
func glName(t *testing.T, r *Registry, o Object, k Kind) uint32 {
	t.Helper()
	name, kind, err := r.GLObject(o)
	if err != nil || name == 0 || kind != k {
		t.Fatalf("GLObject = %d, %v, %v; want a %v", name, kind, err, k)
	}
	if cname, ckind, err := r.glObjectC(o); err != nil || cname != name || ckind != kind {
		t.Errorf("GLObject: fast path %d %v, C call %d %v %v", name, kind, cname, ckind, err)
	}
	if in, _ := r.Info(o.Handle()); in.Native != uint64(name) {
		t.Errorf("Info.Native %d, GLObject %d", in.Native, name)
	}
	return name
}

// Every generic kind gpureg makes on GL is a GL object of that kind until its fence, then deleted.
func TestGLCreateEveryKind(t *testing.T) {
	glPaths(t, func(t *testing.T, r *Registry) {
		for _, c := range objectCases(t) {
			o, err := c.create(r, "gl "+c.kind.String())
			wantOK(t, "create "+c.kind.String(), err)
			name := glName(t, r, o, c.kind)
			if !eglctx.IsObject(c.kind.String(), name) {
				t.Errorf("%v %d is no GL %v", o.Handle(), name, c.kind)
			}
			wantOK(t, "BeginFrame", r.BeginFrame())
			wantOK(t, "Release", r.Release(o.Handle()))
			if !eglctx.IsObject(c.kind.String(), name) {
				t.Errorf("%v %d deleted at release, before its frame's fence", c.kind, name)
			}
			wantOK(t, "EndFrame", r.EndFrame())
			glRetire(t, r, o.Handle())
			if eglctx.IsObject(c.kind.String(), name) {
				t.Errorf("%v %d still exists after its handle was destroyed", c.kind, name)
			}
		}
	})
}

// glAdoptable are the generic kinds an app makes on GL and hands over.
var glAdoptable = []Kind{KindFramebuffer, KindRenderbuffer, KindVertexArray, KindSampler, KindShader, KindProgram}

func newGLObject(t *testing.T, k Kind) uint32 {
	t.Helper()
	name := eglctx.NewObject(k.String())
	if name == 0 {
		t.Fatalf("no GL %v: %s", k, eglctx.Hint)
	}
	return name
}

func TestAdoptGLObjectDeletesEveryKindAfterTheFence(t *testing.T) {
	r := glReg(t)
	for _, k := range glAdoptable {
		name := newGLObject(t, k)
		o, err := r.AdoptGLObject(ObjectDesc{Kind: k, Label: "app's " + k.String()}, name, GLAdoptDelete)
		wantOK(t, "AdoptGLObject "+k.String(), err)
		if got := glName(t, r, o, k); got != name {
			t.Errorf("GLObject = %d; adopted %d", got, name)
		}
		if in, _ := r.Info(o.Handle()); !in.Adopted || in.Kind != k {
			t.Errorf("Info = %+v", in)
		}
		wantOK(t, "BeginFrame", r.BeginFrame())
		wantOK(t, "Release", r.Release(o.Handle()))
		wantOK(t, "EndFrame", r.EndFrame())
		if r.State(o.Handle()) == StateReleased && !eglctx.IsObject(k.String(), name) {
			t.Errorf("%v %d deleted while its handle waits for the fence", k, name)
		}
		glRetire(t, r, o.Handle())
		if eglctx.IsObject(k.String(), name) {
			t.Errorf("adopted %v %d still exists after its handle was destroyed", k, name)
		}
	}
}

func TestAdoptGLObjectAtKeepsTheAppsName(t *testing.T) {
	r := glReg(t)
	for _, k := range glAdoptable {
		name := newGLObject(t, k)
		o, err := r.AdoptGLObjectAt(ObjectDesc{Kind: k}, name, GLAdoptKeep, gameSite)
		wantOK(t, "AdoptGLObjectAt "+k.String(), err)
		if s := siteOf(t, r, o.Handle()); s != gameSiteText {
			t.Errorf("%v: site %q", k, s)
		}
		wantOK(t, "Release", r.Release(o.Handle()))
		glRetire(t, r, o.Handle())
		if !eglctx.IsObject(k.String(), name) {
			t.Errorf("kept %v %d was deleted", k, name)
		}
		eglctx.DeleteObject(k.String(), name)
	}
}

func TestAdoptGLObjectRejectsWhatIsNotThatObject(t *testing.T) {
	r := glReg(t)
	tex := eglctx.NewTexture(4, 4)
	defer eglctx.DeleteTexture(tex)
	sampler := newGLObject(t, KindSampler)
	defer eglctx.DeleteObject("sampler", sampler)
	_, err := r.AdoptGLObject(ObjectDesc{Kind: KindFramebuffer}, tex, GLAdoptDelete)
	wantIs(t, "a texture name as a framebuffer", err, ErrInvalidArgument)
	_, err = r.AdoptGLObject(ObjectDesc{Kind: KindSampler}, 0, GLAdoptDelete)
	wantIs(t, "name 0", err, ErrInvalidArgument)
	_, err = r.AdoptGLObject(ObjectDesc{Kind: KindPipeline}, sampler, GLAdoptDelete)
	wantIs(t, "a kind GL has not", err, ErrInvalidArgument)
	_, err = r.AdoptGLObject(ObjectDesc{Kind: KindSampler}, sampler, GLOwnership(0))
	wantIs(t, "ownership 0", err, ErrInvalidArgument)
	if !eglctx.IsTexture(tex) || !eglctx.IsObject("sampler", sampler) {
		t.Error("a failed adopt deleted the app's name")
	}
	n := newReg(t)
	_, err = n.AdoptGLObject(ObjectDesc{Kind: KindSampler}, sampler, GLAdoptKeep)
	wantIs(t, "AdoptGLObject on null", err, ErrUnsupported)
}

func TestGLObjectResolvesOnTheFastPath(t *testing.T) {
	r := glReg(t)
	o, err := r.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler", err)
	name := glName(t, r, o, KindSampler)
	if fastPathArch {
		calls := cgoCalls(func() {
			for i := 0; i < 1_000_000; i++ {
				if n, k, err := r.GLObject(o); n != name || k != KindSampler || err != nil {
					t.Fatalf("fast path: GLObject = %d, %v, %v", n, k, err)
				}
			}
		})
		if calls != 0 {
			t.Errorf("%d cgo calls in a million GLObject", calls)
		}
	}
	tex := mustTexture(t, r, "")
	_, _, err = r.GLObject(Object(tex))
	wantIs(t, "GLObject(texture)", err, ErrWrongType)
	wantOK(t, "Release", r.Release(o.Handle()))
	_, _, err = r.GLObject(o)
	wantIs(t, "GLObject after release", err, ErrReleased)
	wantOK(t, "Release", r.Release(tex.Handle()))
	n := newReg(t)
	s, err := n.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler on null", err)
	_, _, err = n.GLObject(s)
	wantIs(t, "GLObject on null", err, ErrUnsupported)
	wantOK(t, "Release", n.Release(s.Handle()))
}

func TestGLTextureSamplerStateIsApplied(t *testing.T) {
	glPaths(t, func(t *testing.T, r *Registry) {
		tex, err := r.CreateTexture(TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm,
			Sampler: SamplerState{MinFilter: FilterNearest, MipFilter: MipFilterNone, MagFilter: FilterNearest,
				WrapU: WrapClampToEdge}})
		wantOK(t, "CreateTexture", err)
		name, _ := r.GLTexture(tex)
		mipped, err := r.CreateTexture(TextureDesc{Width: 8, Height: 8, MipLevels: 4, Format: FormatRGBA8Unorm,
			Sampler: SamplerState{MinFilter: FilterLinear, MipFilter: MipFilterLinear, WrapV: WrapMirroredRepeat}})
		wantOK(t, "CreateTexture(mipped)", err)
		mippedName, _ := r.GLTexture(mipped)
		plain := mustTexture(t, r, "")
		plainName, _ := r.GLTexture(plain)
		for _, c := range []struct {
			what        string
			name, pname uint32
			want        int32
		}{
			{"min filter", name, glTextureMinFilter, glNearest},
			{"mag filter", name, glTextureMagFilter, glNearest},
			{"wrap s", name, glTextureWrapS, glClampToEdge},
			{"wrap t (unset)", name, glTextureWrapT, glRepeat},
			{"mipped min filter", mippedName, glTextureMinFilter, glLinearMipmapLinear},
			{"mipped mag filter (unset)", mippedName, glTextureMagFilter, glLinear},
			{"mipped wrap t", mippedName, glTextureWrapT, glMirroredRepeat},
			{"plain min filter", plainName, glTextureMinFilter, glNearestMipmapLinear},
			{"plain wrap s", plainName, glTextureWrapS, glRepeat},
		} {
			if got := eglctx.TextureParameter(c.name, c.pname); got != c.want {
				t.Errorf("%s: %#x, want %#x", c.what, got, c.want)
			}
		}
		wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{tex.Handle(), mipped.Handle(), plain.Handle()}))
	})
}

func TestGLSamplerObjectHasItsState(t *testing.T) {
	r := glReg(t)
	s, err := r.CreateSampler(SamplerDesc{State: SamplerState{MagFilter: FilterNearest, WrapV: WrapMirroredRepeat}})
	wantOK(t, "CreateSampler", err)
	name := glName(t, r, s, KindSampler)
	mipped, err := r.CreateSampler(SamplerDesc{State: SamplerState{MinFilter: FilterNearest, MipFilter: MipFilterLinear}})
	wantOK(t, "CreateSampler(mipped)", err)
	mippedName := glName(t, r, mipped, KindSampler)
	for _, c := range []struct {
		what        string
		name, pname uint32
		want        int32
	}{
		{"mag filter", name, glTextureMagFilter, glNearest},
		{"min filter (default: linear, mip none)", name, glTextureMinFilter, glLinear},
		{"wrap s (default)", name, glTextureWrapS, glRepeat},
		{"wrap t", name, glTextureWrapT, glMirroredRepeat},
		{"mipped min filter", mippedName, glTextureMinFilter, glNearestMipmapLinear},
	} {
		if got := eglctx.SamplerParameter(c.name, c.pname); got != c.want {
			t.Errorf("%s: %#x, want %#x", c.what, got, c.want)
		}
	}
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{s.Handle(), mipped.Handle()}))
}

func TestGLFramebufferAttachesItsParts(t *testing.T) {
	glPaths(t, func(t *testing.T, r *Registry) {
		color, err := r.CreateTexture(TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm,
			Usage: TextureColorAttachment | TextureSampled})
		wantOK(t, "CreateTexture", err)
		depth, err := r.CreateTexture(TextureDesc{Width: 8, Height: 8, Format: FormatD32Float, Usage: TextureDepthStencil})
		wantOK(t, "CreateTexture(depth)", err)
		stencil, err := r.CreateRenderbuffer(RenderbufferDesc{Width: 8, Height: 8, Format: FormatS8Uint})
		wantOK(t, "CreateRenderbuffer", err)
		colorName, _ := r.GLTexture(color)
		depthName, _ := r.GLTexture(depth)
		stencilName := glName(t, r, stencil, KindRenderbuffer)

		withStencil, err := r.CreateFramebuffer(FramebufferDesc{Color: []Texture{color}, DepthStencil: stencil.Handle()})
		wantOK(t, "CreateFramebuffer(colour, stencil)", err)
		fb := glName(t, r, withStencil, KindFramebuffer)
		if got := eglctx.FramebufferAttachment(fb, glColorAttachment0); got != colorName {
			t.Errorf("colour attachment %d, want %d", got, colorName)
		}
		if got := eglctx.FramebufferAttachment(fb, glStencilAttachment); got != stencilName {
			t.Errorf("stencil attachment %d, want %d", got, stencilName)
		}
		if !eglctx.FramebufferComplete(fb) {
			t.Error("colour + stencil framebuffer is not complete")
		}
		withDepth, err := r.CreateFramebuffer(FramebufferDesc{Color: []Texture{color}, DepthStencil: depth.Handle()})
		wantOK(t, "CreateFramebuffer(colour, depth)", err)
		fb = glName(t, r, withDepth, KindFramebuffer)
		if got := eglctx.FramebufferAttachment(fb, glDepthAttachment); got != depthName {
			t.Errorf("depth attachment %d, want %d", got, depthName)
		}
		if !eglctx.FramebufferComplete(fb) {
			t.Error("colour + depth framebuffer is not complete")
		}
		wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{withStencil.Handle(), withDepth.Handle(), color.Handle(),
			depth.Handle(), stencil.Handle()}))
	})
}

func TestGLRenderTargetIsOneUnit(t *testing.T) {
	glPaths(t, func(t *testing.T, r *Registry) {
		rt, err := r.CreateRenderTarget(RenderTargetDesc{Color: TextureDesc{Width: 16, Height: 16,
			Format: FormatRGBA8Unorm, Label: "offscreen"}, DepthStencil: FormatD24UnormS8Uint})
		wantOK(t, "CreateRenderTarget", err)
		colorName, _ := r.GLTexture(rt.Color)
		fb := glName(t, r, rt.Framebuffer, KindFramebuffer)
		rb := glName(t, r, rt.DepthStencil, KindRenderbuffer)
		if eglctx.FramebufferAttachment(fb, glColorAttachment0) != colorName ||
			eglctx.FramebufferAttachment(fb, glStencilAttachment) != rb ||
			eglctx.FramebufferAttachment(fb, glDepthAttachment) != rb || !eglctx.FramebufferComplete(fb) {
			t.Errorf("render target framebuffer %d: colour %d, depth %d, stencil %d, complete %v", fb,
				eglctx.FramebufferAttachment(fb, glColorAttachment0), eglctx.FramebufferAttachment(fb, glDepthAttachment),
				eglctx.FramebufferAttachment(fb, glStencilAttachment), eglctx.FramebufferComplete(fb))
		}
		wantOK(t, "BeginFrame", r.BeginFrame())
		wantOK(t, "RenderTarget.Release", rt.Release())
		wantOK(t, "EndFrame", r.EndFrame())
		glRetire(t, r, rt.Color.Handle())
		for _, h := range []Handle{rt.Framebuffer.Handle(), rt.DepthStencil.Handle()} {
			if st := r.State(h); st != StateDestroyed {
				t.Errorf("%v: %v after the colour texture was destroyed", h, st)
			}
		}
		if eglctx.IsTexture(colorName) || eglctx.IsObject("framebuffer", fb) || eglctx.IsObject("renderbuffer", rb) {
			t.Errorf("GL objects left: texture %v, framebuffer %v, renderbuffer %v", eglctx.IsTexture(colorName),
				eglctx.IsObject("framebuffer", fb), eglctx.IsObject("renderbuffer", rb))
		}
	})
}

func TestGLProgramLinksItsShaders(t *testing.T) {
	r := glReg(t)
	sh := shaderPair(t, r)
	p, err := r.CreateProgram(ProgramDesc{Shaders: sh, Label: "sprite"})
	wantOK(t, "CreateProgram", err)
	if name := glName(t, r, p, KindProgram); eglctx.ProgramParameter(name, glLinkStatus) != 1 {
		t.Errorf("program %d is not linked", name)
	}
	if in, _ := r.Info(sh[1].Handle()); in.Object.Stage != StageFragment {
		t.Errorf("fragment shader Info.Object = %+v", in.Object)
	}
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{p.Handle(), sh[0].Handle(), sh[1].Handle()}))
}

// A compile or link error is the app's input: ErrInvalidArgument whose Detail is the driver's
// info log, and the compiler's own debug messages (which the test allows) are the only errors.
func TestGLShaderAndProgramErrorsCarryTheInfoLog(t *testing.T) {
	var allowed uint64
	r := glRegAllowing(t, GLOptions{}, &allowed)
	allow := func(what string) {
		msgs, err := r.Messages()
		wantOK(t, "Messages", err)
		for _, m := range msgs {
			if m.Severity == 3 {
				if !strings.Contains(m.Text, "error") {
					t.Errorf("%s: an error message that is not the compiler's: %+v", what, m)
				}
				allowed++
			}
		}
	}
	_, err := r.CreateShader(ShaderDesc{Stage: StageVertex, Code: []byte("#version 330 core\nvoid main() { nonsense; }\n")})
	wantIs(t, "a compile error", err, ErrInvalidArgument)
	if e, ok := err.(*Error); !ok || !strings.Contains(e.Detail, "does not compile") || !strings.Contains(e.Detail, "nonsense") {
		t.Errorf("compile error without the info log: %v", err)
	}
	allow("compile")
	sh := shaderPair(t, r)
	vs2, err := r.CreateShader(ShaderDesc{Stage: StageVertex, Code: []byte(glslVertex)})
	wantOK(t, "CreateShader", err)
	_, err = r.CreateProgram(ProgramDesc{Shaders: []Object{sh[0], vs2}})
	wantIs(t, "a link error (main twice)", err, ErrInvalidArgument)
	if e, ok := err.(*Error); !ok || !strings.Contains(e.Detail, "does not link") {
		t.Errorf("link error without the info log: %v", err)
	}
	allow("link")
	if st, _ := r.Stats(); st.ByKind[KindProgram].CreatedTotal != 0 || st.ByKind[KindShader].LiveCount != 3 {
		t.Errorf("failed creates left objects: shaders %+v, programs %+v", st.ByKind[KindShader], st.ByKind[KindProgram])
	}
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{sh[0].Handle(), sh[1].Handle(), vs2.Handle()}))
}

// The update hint reaches glBufferData (without immutable storage, GL_BUFFER_USAGE says which).
func TestGLBufferUpdateHint(t *testing.T) {
	r := glRegWith(t, GLOptions{DisableFeatures: GLFeatureBufferStorage})
	for u, want := range map[BufferUpdate]int32{UpdateDefault: glStaticDraw, UpdateStatic: glStaticDraw,
		UpdateDynamic: glDynamicDraw, UpdateStream: glStreamDraw} {
		b, err := r.CreateBuffer(BufferDesc{Size: 64, Update: u,
			Usage: BufferVertex | BufferTransferDst | BufferTransferSrc})
		wantOK(t, "CreateBuffer", err)
		name, _ := r.GLBuffer(b)
		if got := eglctx.BufferParameter(name, glBufferUsage); got != want {
			t.Errorf("update %d: GL_BUFFER_USAGE %#x, want %#x", u, got, want)
		}
		wantOK(t, "WriteBufferBytes", r.WriteBufferBytes(b, 0, []byte("stream")))
		got := make([]byte, 6)
		wantOK(t, "ReadBufferBytes", r.ReadBufferBytes(b, 0, got))
		if string(got) != "stream" {
			t.Errorf("update %d: read back %q", u, got)
		}
		wantOK(t, "Release", r.Release(b.Handle()))
	}
}

func TestGLContextLostStopsCallingGL(t *testing.T) {
	r := glReg(t)
	name := eglctx.NewTexture(4, 4)
	tex, err := r.AdoptGLTexture(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm}, name, GLAdoptDelete)
	wantOK(t, "AdoptGLTexture", err)
	s, err := r.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler", err)
	sampler := glName(t, r, s, KindSampler)
	done := make(chan error)
	go func() { done <- r.GLContextLost() }()
	wantIs(t, "GLContextLost off the owner thread", <-done, ErrWrongThread)
	if _, _, err := r.GLObject(s); err != nil {
		t.Fatalf("GLContextLost off the owner thread lost the context: %v", err)
	}
	wantOK(t, "GLContextLost", r.GLContextLost())
	wantOK(t, "GLContextLost again", r.GLContextLost())
	_, err = r.CreateTexture(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm})
	wantIs(t, "CreateTexture after the loss", err, ErrDeviceLost)
	_, err = r.ObjectNative(s)
	wantIs(t, "ObjectNative after the loss", err, ErrDeviceLost)
	wantOK(t, "Release(texture)", r.Release(tex.Handle()))
	wantOK(t, "Release(sampler)", r.Release(s.Handle()))
	_, err = r.Collect()
	wantIs(t, "Collect after the loss", err, ErrDeviceLost)
	if r.State(tex.Handle()) != StateDestroyed || r.State(s.Handle()) != StateDestroyed {
		t.Errorf("states after collection %v %v", r.State(tex.Handle()), r.State(s.Handle()))
	}
	if !eglctx.IsTexture(name) || !eglctx.IsObject("sampler", sampler) {
		t.Error("gpureg called glDelete* after the context was lost")
	}
	eglctx.DeleteTexture(name)
	eglctx.DeleteObject("sampler", sampler)
	n := newReg(t)
	wantIs(t, "GLContextLost on null", n.GLContextLost(), ErrUnsupported)
}
