//go:build cgo

package gpureg

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// objectCase creates one object of a generic kind on r, with its desc's CallerSkip 1: the site
// is the line that calls create (at: the given site instead).
type objectCase struct {
	kind   Kind
	create func(r *Registry, label string) (Object, error)
	at     func(r *Registry, site Site) (Object, error)
}

// shaderPair makes a vertex and a fragment shader (GLSL: compiled on GL, kept by the null backend).
func shaderPair(t testing.TB, r *Registry) []Object {
	t.Helper()
	vs, err := r.CreateShader(ShaderDesc{Stage: StageVertex, Code: []byte(glslVertex)})
	wantOK(t, "CreateShader(vertex)", err)
	fs, err := r.CreateShader(ShaderDesc{Stage: StageFragment, Code: []byte(glslFragment)})
	wantOK(t, "CreateShader(fragment)", err)
	return []Object{vs, fs}
}

const (
	glslVertex   = "#version 330 core\nvoid main() { gl_Position = vec4(0.0, 0.0, 0.0, 1.0); }\n"
	glslFragment = "#version 330 core\nout vec4 color;\nvoid main() { color = vec4(1.0); }\n"
)

// objectCases are the create calls of every generic kind gpureg makes on GL and the null backend.
// The framebuffer and program cases make (and leave to the caller's retire) their attachment
// and shaders: a texture and two shaders, released right after the create.
func objectCases(t testing.TB) []objectCase {
	attach := func(r *Registry) Texture {
		tex, err := r.CreateTexture(TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm,
			Usage: TextureColorAttachment | TextureSampled})
		wantOK(t, "CreateTexture(attachment)", err)
		return tex
	}
	releaseAll := func(r *Registry, hs ...Handle) {
		for _, h := range hs {
			wantOK(t, "Release", r.Release(h))
		}
	}
	return []objectCase{
		{KindRenderbuffer,
			func(r *Registry, l string) (Object, error) {
				return r.CreateRenderbuffer(RenderbufferDesc{Width: 8, Height: 8, Format: FormatD24UnormS8Uint, Label: l,
					CallerSkip: 1})
			},
			func(r *Registry, s Site) (Object, error) {
				return r.CreateRenderbufferAt(RenderbufferDesc{Width: 8, Height: 8, Format: FormatS8Uint}, s)
			}},
		{KindFramebuffer,
			func(r *Registry, l string) (Object, error) {
				tex := attach(r)
				defer releaseAll(r, tex.Handle())
				return r.CreateFramebuffer(FramebufferDesc{Color: []Texture{tex}, Label: l, CallerSkip: 1})
			},
			func(r *Registry, s Site) (Object, error) {
				tex := attach(r)
				defer releaseAll(r, tex.Handle())
				return r.CreateFramebufferAt(FramebufferDesc{Color: []Texture{tex}}, s)
			}},
		{KindSampler,
			func(r *Registry, l string) (Object, error) {
				return r.CreateSampler(SamplerDesc{Label: l, CallerSkip: 1})
			},
			func(r *Registry, s Site) (Object, error) { return r.CreateSamplerAt(SamplerDesc{}, s) }},
		{KindShader,
			func(r *Registry, l string) (Object, error) {
				return r.CreateShader(ShaderDesc{Stage: StageVertex, Code: []byte(glslVertex), Label: l, CallerSkip: 1})
			},
			func(r *Registry, s Site) (Object, error) {
				return r.CreateShaderAt(ShaderDesc{Stage: StageFragment, Code: []byte(glslFragment)}, s)
			}},
		{KindProgram,
			func(r *Registry, l string) (Object, error) {
				sh := shaderPair(t, r)
				defer releaseAll(r, sh[0].Handle(), sh[1].Handle())
				return r.CreateProgram(ProgramDesc{Shaders: sh, Label: l, CallerSkip: 1})
			},
			func(r *Registry, s Site) (Object, error) {
				sh := shaderPair(t, r)
				defer releaseAll(r, sh[0].Handle(), sh[1].Handle())
				return r.CreateProgramAt(ProgramDesc{Shaders: sh}, s)
			}},
		{KindVertexArray,
			func(r *Registry, l string) (Object, error) {
				return r.CreateVertexArray(VertexArrayDesc{Label: l, CallerSkip: 1})
			},
			func(r *Registry, s Site) (Object, error) { return r.CreateVertexArrayAt(VertexArrayDesc{}, s) }},
	}
}

// Every create call of a generic kind: an Object of that kind with one reference, its label,
// the caller's line as its site (moved up by CallerSkip; the At form: the given site), a report
// line under its kind, and destroyed after release and fence.
func TestCreateEveryKindOnNull(t *testing.T) {
	r := newReg(t)
	for _, c := range objectCases(t) {
		_, _, line, _ := runtime.Caller(0)
		o, err := c.create(r, "my "+c.kind.String()) // line + 1
		wantOK(t, "create "+c.kind.String(), err)
		checkObject(t, r, o, c.kind, "my "+c.kind.String())
		if s := siteOf(t, r, o.Handle()); !strings.Contains(s, "kinds_test.go:"+strconv.Itoa(line+1)+" (") {
			t.Errorf("%v: site %q, want line %d", c.kind, s, line+1)
		}
		at, err := c.at(r, gameSite)
		wantOK(t, "create at "+c.kind.String(), err)
		if s := siteOf(t, r, at.Handle()); s != gameSiteText {
			t.Errorf("%v At: site %q", c.kind, s)
		}
		wantOK(t, "Release", r.Release(o.Handle()))
		wantOK(t, "Release", r.Release(at.Handle()))
		retireAll(t, r)
		for _, h := range []Handle{o.Handle(), at.Handle()} {
			if st := r.State(h); st != StateDestroyed {
				t.Errorf("%v: state %v after release and fence", c.kind, st)
			}
		}
	}
}

// checkObject: o is an alive TypeObject of kind k with one reference, the label, and a JSON
// report line whose type is the kind's name.
func checkObject(t *testing.T, r *Registry, o Object, k Kind, label string) {
	t.Helper()
	in, err := r.Info(o.Handle())
	wantOK(t, "Info", err)
	if in.Type != TypeObject || in.Kind != k || in.Object.Kind != k || in.State != StateAlive || in.Refcount != 1 ||
		in.Parent != 0 {
		t.Errorf("%v: Info = %+v", k, in)
	}
	if got, err := r.Label(o.Handle()); err != nil || got != label {
		t.Errorf("%v: Label = %q, %v", k, got, err)
	}
	if n, err := r.ObjectNative(o); err != nil || n != in.Native {
		t.Errorf("%v: ObjectNative = %#x, %v; Info.Native %#x", k, n, err, in.Native)
	}
	d, err := r.ReportJSON()
	wantOK(t, "ReportJSON", err)
	for _, obj := range d.Objects {
		if obj.Handle == o.Handle().String() {
			if obj.Type != k.String() {
				t.Errorf("%v: report type %q", k, obj.Type)
			}
			return
		}
	}
	t.Errorf("%v: %v not in the report", k, o.Handle())
}

func TestKindNamesAreTheReportsNames(t *testing.T) {
	want := map[Kind]string{KindUndefined: "undefined", KindTexture: "texture", KindBuffer: "buffer",
		KindFramebuffer: "framebuffer", KindRenderbuffer: "renderbuffer", KindVertexArray: "vertex_array",
		KindSampler: "sampler", KindShader: "shader", KindProgram: "program", KindImageView: "image_view",
		KindRenderPass: "render_pass", KindPipeline: "pipeline", KindPipelineLayout: "pipeline_layout",
		KindDescriptorSetLayout: "descriptor_set_layout", KindDescriptorPool: "descriptor_pool",
		KindCount: "undefined", 99: "undefined"}
	for k, name := range want {
		if got := k.String(); got != name {
			t.Errorf("Kind(%d).String() = %q, want %q", uint32(k), got, name)
		}
	}
	if KindCount != KindDescriptorPool+1 {
		t.Errorf("KindCount = %d", KindCount)
	}
}

func TestObjectInfoDescribesTheRenderbufferAndTheShader(t *testing.T) {
	r := newReg(t)
	rb, err := r.CreateRenderbuffer(RenderbufferDesc{Width: 16, Height: 8, Format: FormatD24UnormS8Uint, Samples: 4})
	wantOK(t, "CreateRenderbuffer", err)
	in, err := r.Info(rb.Handle())
	wantOK(t, "Info", err)
	want := ObjectDesc{Kind: KindRenderbuffer, Width: 16, Height: 8, Format: FormatD24UnormS8Uint, Samples: 4}
	if in.Object != want || in.Bytes != 16*8*4*4 {
		t.Errorf("renderbuffer Info.Object = %+v, Bytes %d; want %+v, %d", in.Object, in.Bytes, want, 16*8*4*4)
	}
	sh, err := r.CreateShader(ShaderDesc{Stage: StageCompute, Code: []byte("compute")})
	wantOK(t, "CreateShader", err)
	in, err = r.Info(sh.Handle())
	wantOK(t, "Info", err)
	if in.Object != (ObjectDesc{Kind: KindShader, Stage: StageCompute}) || in.Bytes != 0 {
		t.Errorf("shader Info.Object = %+v, Bytes %d", in.Object, in.Bytes)
	}
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{rb.Handle(), sh.Handle()}))
}

func TestCreateKindsRejectBadDescs(t *testing.T) {
	r := newReg(t)
	sampler, err := r.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler", err)
	defer r.Release(sampler.Handle())
	tex := mustTexture(t, r, "")
	defer r.Release(tex.Handle())
	buf := mustBuffer(t, r, 64)
	defer r.Release(buf.Handle())
	released := mustTexture(t, r, "")
	wantOK(t, "Release", r.Release(released.Handle()))

	_, err = r.CreateRenderbuffer(RenderbufferDesc{Width: 0, Height: 8, Format: FormatRGBA8Unorm})
	wantIs(t, "renderbuffer 0x8", err, ErrInvalidSize)
	_, err = r.CreateRenderbuffer(RenderbufferDesc{Width: 8, Height: 8})
	wantIs(t, "renderbuffer without a format", err, ErrInvalidFormat)
	_, err = r.CreateRenderbuffer(RenderbufferDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm, Samples: 3})
	wantIs(t, "renderbuffer with 3 samples", err, ErrInvalidArgument)

	_, err = r.CreateFramebuffer(FramebufferDesc{Color: []Texture{tex, tex, tex, tex, tex}})
	wantIs(t, "5 colour attachments", err, ErrInvalidArgument)
	_, err = r.CreateFramebuffer(FramebufferDesc{Color: []Texture{tex, 0}})
	wantIs(t, "a 0 colour attachment", err, ErrInvalidArgument)
	_, err = r.CreateFramebuffer(FramebufferDesc{Color: []Texture{released}})
	wantIs(t, "a released colour attachment", err, ErrReleased)
	_, err = r.CreateFramebuffer(FramebufferDesc{Color: []Texture{Texture(buf)}})
	wantIs(t, "a buffer as a colour attachment", err, ErrWrongType)
	_, err = r.CreateFramebuffer(FramebufferDesc{DepthStencil: sampler.Handle()})
	wantIs(t, "a sampler as depth-stencil", err, ErrInvalidArgument)

	_, err = r.CreateShader(ShaderDesc{Stage: StageVertex})
	wantIs(t, "a shader without code", err, ErrNullPointer, ErrInvalidSize)
	_, err = r.CreateShader(ShaderDesc{Code: []byte("x")})
	wantIs(t, "a shader without a stage", err, ErrInvalidArgument)
	_, err = r.CreateShader(ShaderDesc{Stage: ShaderStage(9), Code: []byte("x")})
	wantIs(t, "a shader of stage 9", err, ErrInvalidArgument)

	_, err = r.CreateProgram(ProgramDesc{})
	wantIs(t, "a program without shaders", err, ErrNullPointer, ErrInvalidArgument)
	_, err = r.CreateProgram(ProgramDesc{Shaders: []Object{sampler}})
	wantIs(t, "a program of a sampler", err, ErrInvalidArgument)
	_, err = r.CreateProgram(ProgramDesc{Shaders: make([]Object, 9)})
	wantIs(t, "a program of 9 shaders", err, ErrInvalidArgument, ErrInvalidHandle)
	_, err = r.CreateProgram(ProgramDesc{Shaders: []Object{Object(tex)}})
	wantIs(t, "a program of a texture", err, ErrWrongType, ErrInvalidArgument)

	_, err = r.CreateSampler(SamplerDesc{State: SamplerState{WrapU: Wrap(7)}})
	wantIs(t, "a sampler with wrap 7", err, ErrInvalidArgument)
	if st, err := r.Stats(); err != nil || st.ByKind[KindFramebuffer].CreatedTotal != 0 ||
		st.ByKind[KindShader].CreatedTotal != 0 || st.ByKind[KindProgram].CreatedTotal != 0 ||
		st.ByKind[KindRenderbuffer].CreatedTotal != 0 || st.ByKind[KindSampler].CreatedTotal != 1 {
		t.Errorf("failed creates made objects: %+v, %v", st.ByKind, err)
	}
}

func TestCreateKindsOnAClosedRegistryAnswerErrClosed(t *testing.T) {
	r := newReg(t)
	wantOK(t, "Close", r.Close())
	_, err := r.CreateSampler(SamplerDesc{})
	wantIs(t, "CreateSampler", err, ErrClosed)
	_, err = r.CreateFramebuffer(FramebufferDesc{Color: make([]Texture, 9)})
	wantIs(t, "CreateFramebuffer", err, ErrClosed)
	_, err = r.CreateRenderTarget(RenderTargetDesc{})
	wantIs(t, "CreateRenderTarget", err, ErrClosed)
	_, err = r.AdoptObject(ObjectDesc{Kind: KindSampler}, 1)
	wantIs(t, "AdoptObject", err, ErrClosed)
	wantIs(t, "Depend", r.Depend(1, 2), ErrClosed)
	_, err = r.ObjectNative(1)
	wantIs(t, "ObjectNative", err, ErrClosed)
}

func TestCreateKindsFromAnotherThreadAnswerErrWrongThread(t *testing.T) {
	r := newReg(t)
	tex := mustTexture(t, r, "")
	other := mustTexture(t, r, "")
	done := make(chan []error)
	go func() {
		_, e1 := r.CreateSampler(SamplerDesc{})
		_, e2 := r.CreateRenderTarget(RenderTargetDesc{Color: TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm}})
		_, e3 := r.AdoptObject(ObjectDesc{Kind: KindSampler}, 1)
		done <- []error{e1, e2, e3, r.Depend(other.Handle(), tex.Handle())}
	}()
	for i, err := range <-done {
		wantIs(t, "call "+strconv.Itoa(i)+" off the owner thread", err, ErrWrongThread)
	}
	if in, _ := r.Info(other.Handle()); in.Parent != 0 {
		t.Errorf("Depend off the owner thread set the parent: %v", in.Parent)
	}
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{tex.Handle(), other.Handle()}))
}

func TestAdoptObjectTracksTheNativeObject(t *testing.T) {
	r := newReg(t)
	_, _, line, _ := runtime.Caller(0)
	o, err := r.AdoptObject(ObjectDesc{Kind: KindPipeline, Label: "engine's pipeline"}, 0xabc) // line + 1
	wantOK(t, "AdoptObject", err)
	in, err := r.Info(o.Handle())
	wantOK(t, "Info", err)
	if !in.Adopted || in.Native != 0xabc || in.Type != TypeObject || in.Kind != KindPipeline {
		t.Errorf("Info = %+v", in)
	}
	if s := siteOf(t, r, o.Handle()); !strings.Contains(s, "kinds_test.go:"+strconv.Itoa(line+1)+" (") {
		t.Errorf("site %q, want line %d", s, line+1)
	}
	at, err := r.AdoptObjectAt(ObjectDesc{Kind: KindRenderbuffer, Width: 4, Height: 4, Format: FormatRGBA8Unorm}, 7,
		gameSite)
	wantOK(t, "AdoptObjectAt", err)
	if s := siteOf(t, r, at.Handle()); s != gameSiteText {
		t.Errorf("site %q", s)
	}
	if in, _ := r.Info(at.Handle()); in.Bytes != 4*4*4 || in.Object.Width != 4 {
		t.Errorf("adopted renderbuffer Info = %+v", in)
	}
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{o.Handle(), at.Handle()}))
	retireAll(t, r)
	if r.State(o.Handle()) != StateDestroyed || r.State(at.Handle()) != StateDestroyed {
		t.Errorf("adopted objects not destroyed after release and fence")
	}
}

func TestAdoptObjectRejectsBadDescs(t *testing.T) {
	r := newReg(t)
	_, err := r.AdoptObject(ObjectDesc{Kind: KindSampler}, 0)
	wantIs(t, "native 0", err, ErrInvalidArgument)
	_, err = r.AdoptObject(ObjectDesc{Kind: KindTexture}, 1)
	wantIs(t, "kind texture", err, ErrInvalidArgument)
	_, err = r.AdoptObject(ObjectDesc{}, 1)
	wantIs(t, "kind undefined", err, ErrInvalidArgument)
	_, err = r.AdoptObject(ObjectDesc{Kind: KindCount}, 1)
	wantIs(t, "kind beyond the last", err, ErrInvalidArgument)
	_, err = r.AdoptObject(ObjectDesc{Kind: KindSampler, Width: 4}, 1)
	wantIs(t, "renderbuffer fields on a sampler", err, ErrInvalidArgument)
	_, err = r.AdoptObject(ObjectDesc{Kind: KindRenderbuffer, Width: 4, Height: 4, Format: FormatR8Unorm, Samples: 6}, 1)
	wantIs(t, "6 samples", err, ErrInvalidArgument)
}

// Retain, Release, State and ObjectNative of an Object run on the fast path: no crossing.
func TestFastPathObjectCallsMakeNoCgoCall(t *testing.T) {
	if !fastPathArch {
		t.Skip("the fast path is enabled on amd64 and arm64 only")
	}
	r := newReg(t)
	o, err := r.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler", err)
	native, err := r.ObjectNative(o)
	wantOK(t, "ObjectNative", err)
	calls := cgoCalls(func() {
		for i := 0; i < 1_000_000; i++ {
			if r.Retain(o.Handle()) != nil || r.State(o.Handle()) != StateAlive || r.Release(o.Handle()) != nil {
				t.Fatal("Retain/State/Release of an object failed")
			}
			if n, err := r.ObjectNative(o); err != nil || n != native {
				t.Fatalf("ObjectNative = %#x, %v", n, err)
			}
		}
	})
	if calls != 0 {
		t.Errorf("%d cgo calls in a million Retain+State+Release+ObjectNative of an object", calls)
	}
	// The release to zero too, and the answers after it come from the word.
	if calls := cgoCalls(func() {
		if r.Release(o.Handle()) != nil || r.State(o.Handle()) != StateReleased {
			t.Error("the last release")
		}
	}); calls != 0 {
		t.Errorf("%d cgo calls in the last release of an object", calls)
	}
	_, err = r.ObjectNative(o)
	wantIs(t, "ObjectNative after release", err, ErrReleased)
}

// The fast path gives every object call the C call's answer, for live, released, destroyed and
// forged object handles.
func TestFastPathObjectAnswersAreTheCCallsAnswers(t *testing.T) {
	r := newReg(t)
	live, err := r.CreateVertexArray(VertexArrayDesc{})
	wantOK(t, "CreateVertexArray", err)
	defer r.Release(live.Handle())
	released, err := r.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler", err)
	wantOK(t, "Release", r.Release(released.Handle()))
	destroyed, err := r.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler", err)
	wantOK(t, "Release", r.Release(destroyed.Handle()))
	retireAll(t, r)
	tex := mustTexture(t, r, "")
	defer r.Release(tex.Handle())
	for _, o := range []Object{live, released, destroyed} {
		for how := 0; how <= 5; how++ {
			h := forge(o.Handle(), how)
			n1, e1 := r.resolve("ObjectNative", h, TypeObject)
			n2, e2 := r.resolveC("ObjectNative", h, TypeObject)
			if n1 != n2 || codeOf(e1) != codeOf(e2) {
				t.Errorf("%v forged %d: fast %#x %v, C %#x %v", h, how, n1, e1, n2, e2)
			}
			if s1, s2 := r.State(h), r.stateC(h); s1 != s2 {
				t.Errorf("%v forged %d: State fast %v, C %v", h, how, s1, s2)
			}
		}
	}
	_, err = r.ObjectNative(Object(tex))
	wantIs(t, "ObjectNative(texture)", err, ErrWrongType)
	_, err = r.TextureNative(Texture(live))
	wantIs(t, "TextureNative(object)", err, ErrWrongType)
}

func codeOf(err error) Result {
	if e, ok := err.(*Error); ok {
		return e.Code
	}
	return 0
}

func TestHandleStringIsTheReportsForm(t *testing.T) {
	if s := Handle(0x90000100000000).String(); s != "0x0090000100000000" {
		t.Errorf("String() = %q", s)
	}
	r := newReg(t)
	o, err := r.CreateSampler(SamplerDesc{})
	wantOK(t, "CreateSampler", err)
	d, err := r.ReportJSON()
	wantOK(t, "ReportJSON", err)
	if len(d.Objects) != 1 || d.Objects[0].Handle != o.Handle().String() {
		t.Errorf("report handle %+v, String() %q", d.Objects, o.Handle().String())
	}
	wantOK(t, "Release", r.Release(o.Handle()))
}
