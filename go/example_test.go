//go:build cgo

package gpureg_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	gpureg "github.com/gpureg/gpureg/go"
)

func ExampleNewNull() {
	runtime.LockOSThread() // this OS thread becomes the registry's owner
	defer runtime.UnlockOSThread()
	reg, err := gpureg.NewNull(gpureg.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(reg.Backend())
	fmt.Println(reg.Close())
	// Output:
	// null
	// <nil>
}

func ExampleRegistry_CreateTexture() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reg, _ := gpureg.NewNull(gpureg.Options{})
	defer reg.Close()

	tex, err := reg.CreateTexture(gpureg.TextureDesc{Width: 64, Height: 32, Format: gpureg.FormatRGBA8Unorm,
		Label: "player sprite"})
	if err != nil {
		panic(err)
	}
	info, _ := reg.Info(tex.Handle())
	label, _ := reg.Label(tex.Handle())
	fmt.Println(label, info.Texture.Width, info.Texture.Height, info.Texture.Format, info.Bytes, info.Refcount)
	_ = reg.Release(tex.Handle())
	// Output: player sprite 64 32 rgba8_unorm 8192 1
}

func ExampleRegistry_Release() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reg, _ := gpureg.NewNull(gpureg.Options{})
	defer reg.Close()

	buf, _ := reg.CreateBuffer(gpureg.BufferDesc{Size: 1024})
	_ = reg.BeginFrame()
	_ = reg.Release(buf.Handle()) // dead for the app at once...
	_, err := reg.BufferNative(buf)
	fmt.Println(errors.Is(err, gpureg.ErrReleased), reg.State(buf.Handle()))
	_ = reg.EndFrame()
	_ = reg.SignalNull(reg.FrameSerial()) // ...destroyed once the GPU finished the frame
	n, _ := reg.Collect()
	fmt.Println(n, reg.State(buf.Handle()))
	// Output:
	// true released
	// 1 destroyed
}

func ExampleRegistry_ReleaseMany() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reg, _ := gpureg.NewNull(gpureg.Options{})
	defer reg.Close()

	var hs []gpureg.Handle
	for i := 0; i < 3; i++ {
		b, _ := reg.CreateBuffer(gpureg.BufferDesc{Size: 16})
		hs = append(hs, b.Handle())
	}
	fmt.Println(reg.ReleaseMany(hs))
	err := reg.ReleaseMany(hs[:1]) // already released
	fmt.Println(errors.Is(err, gpureg.ErrReleased))
	// Output:
	// <nil>
	// true
}

func ExampleTie() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reg, _ := gpureg.NewNull(gpureg.Options{})
	defer reg.Close()

	type Image struct{ tie *gpureg.Tied }
	newImage := func() *Image {
		tex, _ := reg.CreateTexture(gpureg.TextureDesc{Width: 8, Height: 8, Format: gpureg.FormatRGBA8Unorm})
		img := &Image{}
		img.tie = gpureg.Tie(reg, img, tex.Handle())
		return img
	}
	disposed := newImage()
	fmt.Println(disposed.tie.Release()) // Dispose: explicit release stops the cleanup

	forgotten := newImage().tie.Handle() // the image itself is dropped without Dispose
	for reg.State(forgotten) == gpureg.StateAlive {
		runtime.GC() // the cleanup queues the release; the report says released_by_gc
	}
	info, _ := reg.Info(forgotten)
	fmt.Println(info.State, info.ReleasedByGC)
	// Output:
	// <nil>
	// released true
}

func ExampleRegistry_WriteTexturePixels() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reg, _ := gpureg.NewNull(gpureg.Options{})
	defer reg.Close()

	tex, _ := reg.CreateTexture(gpureg.TextureDesc{Width: 2, Height: 2, Format: gpureg.FormatRGBA8Unorm})
	defer reg.Release(tex.Handle())
	pix := make([]byte, 2*2*4)
	fmt.Println(reg.WriteTexturePixels(tex, gpureg.Region{}, pix, 0)) // copied into C staging memory

	// Or fill staging memory directly, without the copy.
	s, _ := reg.AllocStaging(len(pix))
	defer s.Free()
	copy(s.Bytes(), pix)
	fmt.Println(reg.WriteTexture(tex, gpureg.Region{}, s, len(pix), 0))
	err := reg.WriteTexture(tex, gpureg.Region{X: 1, Width: 2, Height: 2}, s, len(pix), 0)
	fmt.Println(errors.Is(err, gpureg.ErrOutOfBounds))
	// Output:
	// <nil>
	// <nil>
	// true
}

func ExampleRegistry_Report() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reg, _ := gpureg.NewNull(gpureg.Options{})
	defer reg.Close()
	tex, _ := reg.CreateTexture(gpureg.TextureDesc{Width: 4, Height: 4, Format: gpureg.FormatR8Unorm, Label: "hud"})
	defer reg.Release(tex.Handle())

	var text strings.Builder
	_ = reg.Report(&text, gpureg.ReportText) // or ReportJSON; ReportJSON() parses it
	d, _ := reg.ReportJSON()
	o := d.Objects[0]
	fmt.Println(d.Live, o.Type, *o.Label, o.Bytes, strings.HasSuffix(o.Site, "(github.com/gpureg/gpureg/go_test.ExampleRegistry_Report)"))
	fmt.Println(strings.Contains(text.String(), "example_test.go:"))
	// Output:
	// 1 texture hud 16 true
	// true
}

func ExampleRegistry_Close() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reg, _ := gpureg.NewNull(gpureg.Options{})
	_, _ = reg.CreateBuffer(gpureg.BufferDesc{Size: 100, Label: "never released"})
	err := reg.Close()
	var leak *gpureg.LeakError
	fmt.Println(errors.Is(err, gpureg.ErrLeaked), errors.As(err, &leak) && leak.Count == 1)
	fmt.Println(*leak.Objects[0].Label, leak.Objects[0].Bytes)
	// Output:
	// true true
	// never released 100
}

func ExampleRegistry_CreateTextureAt() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reg, _ := gpureg.NewNull(gpureg.Options{})
	defer reg.Close()

	// The engine's NewImage, called by the game: it records the game's line cheaply and queues
	// the work; the render thread creates the texture later, naming that line.
	type command struct {
		desc gpureg.TextureDesc
		site gpureg.Site
	}
	queue := make(chan command, 1)
	newImage := func(w, h uint32) {
		queue <- command{gpureg.TextureDesc{Width: w, Height: h, Format: gpureg.FormatRGBA8Unorm},
			gpureg.CallerCached(1)}
	}
	newImage(16, 16) // the game's line

	cmd := <-queue // on the render thread
	tex, _ := reg.CreateTextureAt(cmd.desc, cmd.site)
	defer reg.Release(tex.Handle())
	d, _ := reg.ReportJSON()
	fmt.Println(strings.HasSuffix(d.Objects[0].Site, "(github.com/gpureg/gpureg/go_test.ExampleRegistry_CreateTextureAt)"))
	// Output:
	// true
}

func ExampleLogFunc() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reg, _ := gpureg.NewNull(gpureg.Options{Log: func(level gpureg.LogLevel, err error, message string) {
		fmt.Println(level, errors.Is(err, gpureg.ErrInvalidSize), message)
	}})
	defer reg.Close()
	_, err := reg.CreateBuffer(gpureg.BufferDesc{Size: 0}) // the hook hears why before err returns
	fmt.Println(errors.Is(err, gpureg.ErrInvalidSize))
	// Output:
	// error true gpureg_buffer_create: buffer size 0 outside 1..1099511627776
	// true
}

func ExampleRegistry_CreateRenderTarget() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reg, _ := gpureg.NewNull(gpureg.Options{}) // NewGL: a GL texture, renderbuffer and framebuffer
	defer reg.Close()

	// An offscreen image: its framebuffer and stencil renderbuffer depend on its texture.
	rt, err := reg.CreateRenderTarget(gpureg.RenderTargetDesc{
		Color:        gpureg.TextureDesc{Width: 256, Height: 256, Format: gpureg.FormatRGBA8Unorm, Label: "minimap"},
		DepthStencil: gpureg.FormatS8Uint})
	if err != nil {
		panic(err)
	}
	for _, h := range []gpureg.Handle{rt.Color.Handle(), rt.Framebuffer.Handle(), rt.DepthStencil.Handle()} {
		info, _ := reg.Info(h)
		label, _ := reg.Label(h)
		fmt.Printf("%s %q depends on the texture: %v\n", info.Kind, label, info.Parent == rt.Color.Handle())
	}

	_ = reg.BeginFrame()
	_ = rt.Release() // Dispose: all three, any goroutine
	_ = reg.EndFrame()
	_ = reg.SignalNull(reg.FrameSerial()) // the GPU finished the frame
	n, _ := reg.Collect()
	st, _ := reg.Stats()
	fmt.Println(n, "destroyed in one collection;", st.ByKind[gpureg.KindFramebuffer].DestroyedTotal, "framebuffer")
	// Output:
	// texture "minimap" depends on the texture: false
	// framebuffer "minimap framebuffer" depends on the texture: true
	// renderbuffer "minimap depth-stencil" depends on the texture: true
	// 3 destroyed in one collection; 1 framebuffer
}

func ExampleRegistry_AdoptObject() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reg, _ := gpureg.NewNull(gpureg.Options{})
	defer reg.Close()

	// An engine's own pipeline (any 64-bit id here): gpureg counts, reports and retires it; the
	// engine destroys it once State says StateDestroyed. On GL and Vulkan, AdoptGLObject and
	// AdoptVkObject hand the deletion to gpureg instead.
	pipe, _ := reg.AdoptObject(gpureg.ObjectDesc{Kind: gpureg.KindPipeline, Label: "sprite pipeline"}, 0x5eed)
	d, _ := reg.ReportJSON()
	fmt.Println(d.Objects[0].Type, *d.Objects[0].Label, d.Objects[0].Adopted)
	_ = reg.Release(pipe.Handle())
	// Output: pipeline sprite pipeline true
}
