package main

import (
	"fmt"
	"image/color"
	"runtime"
	"sync/atomic"

	gpureg "github.com/gpureg/gpureg/go"
)

// Image is the game's handle on an image: any goroutine may draw with it. It is cheap to make:
// NewImage only records the size and the game's call site; the render thread creates the GPU
// objects at the image's first use, as Ebiten does: a texture, and the framebuffer and stencil
// renderbuffer that draw into it, one render-target unit in gpureg (see makeTarget) whose parts
// are destroyed together after the fence of the frame that last used them.
//
// An image the game drops without Dispose is disposed by the engine's GC cleanup. That cleanup
// is the engine's own runtime.AddCleanup, not gpureg.Tie: when the game drops an image there
// may be no texture yet to tie (creation is lazy), and a batched draw may still name it. So
// the cleanup only puts the render-side state into the engine's inbox, and the render thread
// releases the unit after the frame's draws are flushed.
type Image struct {
	e        *Engine
	t        *texture // never points back to the Image, so a dropped Image can be collected
	disposed atomic.Bool
	cleanup  runtime.Cleanup
}

// texture is an image's render-side state.
type texture struct {
	w, h         int
	site         gpureg.Site // who asked for the image: what gpureg's report names
	label        string
	renderTarget bool // has a framebuffer and a stencil renderbuffer
	expected     bool // the engine's own, alive until Shutdown: expected at shutdown
	// Render thread only. 0 until the first use, and again after Dispose.
	tex         gpureg.Texture
	fb, stencil gpureg.Object // render targets only; both depend on tex (Info.Parent)
	disposed    bool
}

// NewImage returns a w x h image, transparent. Any goroutine.
func (e *Engine) NewImage(w, h int) *Image {
	// The game's line, captured here where the game asks: the texture is created later on the
	// render thread, whose own stack would name only the engine.
	site := gpureg.CallerCached(1)
	return e.newImage(w, h, site, fmt.Sprintf("image %dx%d", w, h), true, false)
}

func (e *Engine) newImage(w, h int, site gpureg.Site, label string, renderTarget, expected bool) *Image {
	if w <= 0 || h <= 0 {
		panic(fmt.Sprintf("engine: NewImage(%d, %d): size must be positive", w, h))
	}
	img := &Image{e: e, t: &texture{w: w, h: h, site: site, label: label, renderTarget: renderTarget,
		expected: expected}}
	img.cleanup = runtime.AddCleanup(img, e.collected, img.t)
	return img
}

// Size is the image's size in pixels.
func (img *Image) Size() (w, h int) { return img.t.w, img.t.h }

func (img *Image) mustLive() {
	if img.disposed.Load() {
		panic("engine: image used after Dispose")
	}
}

// Every command below captures the *Image, not only its texture: an image stays reachable, and
// its cleanup cannot run, while a command that draws with it waits in the queue.

// Fill replaces every pixel with c.
func (img *Image) Fill(c color.NRGBA) {
	img.mustLive()
	img.e.enqueue(func(r *renderer) { r.fill(img.t, c) })
}

// FillRect fills the rectangle x, y, w, h with c, blended (through the engine's white atlas).
func (img *Image) FillRect(x, y, w, h int, c color.NRGBA) {
	img.mustLive()
	img.e.enqueue(func(r *renderer) { r.fillRect(img.t, x, y, w, h, c) })
}

// DrawImage draws src with its top-left corner at x, y, blended.
func (img *Image) DrawImage(src *Image, x, y int) {
	img.mustLive()
	src.mustLive()
	img.e.enqueue(func(r *renderer) { r.drawImage(img.t, src.t, x, y) })
}

// DrawImageMasked draws src with its top-left corner at x, y, blended, only where mask (placed
// at x, y too) is not transparent: a clip mask of any shape, through the stencil.
func (img *Image) DrawImageMasked(src, mask *Image, x, y int) {
	img.mustLive()
	src.mustLive()
	mask.mustLive()
	img.e.enqueue(func(r *renderer) { r.drawMasked(img.t, src.t, mask.t, x, y) })
}

// WritePixels replaces the image's pixels (RGBA, rows of its width; copied).
func (img *Image) WritePixels(pix []byte) {
	img.mustLive()
	if len(pix) != 4*img.t.w*img.t.h {
		panic(fmt.Sprintf("engine: WritePixels: %d bytes for a %dx%d image", len(pix), img.t.w, img.t.h))
	}
	pix = append([]byte(nil), pix...) // the game may reuse its slice before the command runs
	img.e.enqueue(func(r *renderer) {
		if r.batch.uses(img.t) {
			r.flush()
		}
		if r.ensure(img.t) {
			r.check(r.reg.WriteTexturePixels(img.t.tex, gpureg.Region{}, pix, 0))
		}
	})
}

// Dispose releases the image's GPU objects (on the render thread, after the draws issued before
// it). Disposing twice is a no-op.
func (img *Image) Dispose() {
	if img.disposed.Swap(true) {
		return
	}
	img.cleanup.Stop()
	img.e.enqueue(func(r *renderer) {
		r.dispose(img.t)
		r.stats.ImagesDisposed++
	})
}

// ensure creates t's GPU objects at its first use; false after a failure.
func (r *renderer) ensure(t *texture) bool {
	if t.tex != 0 {
		return true
	}
	if t.disposed {
		return r.check(fmt.Errorf("engine: %s used after Dispose", t.label))
	}
	// The texture's own sampling state, applied by gpureg at create (no bind-and-set): with it
	// a one-level texture is complete whatever samples it (GL's default min filter wants
	// mipmaps). The engine's draws also bind its sampler object, which has the same state.
	desc := gpureg.TextureDesc{Width: uint32(t.w), Height: uint32(t.h), Format: gpureg.FormatRGBA8Unorm,
		Usage: gpureg.TextureSampled | gpureg.TextureTransferDst | gpureg.TextureTransferSrc, Label: t.label,
		ExpectedAtShutdown: t.expected, Sampler: engineSampling}
	var err error
	if t.renderTarget {
		err = r.makeTarget(t, desc)
	} else {
		// At the site recorded by NewImage: the report names the game's line, not the engine's.
		t.tex, err = r.reg.CreateTextureAt(desc, t.site)
	}
	if !r.check(err) {
		return false
	}
	r.stats.ImagesCreated++
	if t.renderTarget {
		r.clear(t, [4]float32{}) // a new texture's texels are undefined, and its stencil's
	}
	return true
}

// dispose releases t's GPU objects; t may never have been used. They die later, together,
// once the GPU has finished this frame (gpureg defers them).
func (r *renderer) dispose(t *texture) {
	if r.batch.uses(t) {
		r.flush() // a batched draw still names its texture
	}
	t.disposed = true
	if t.tex == 0 {
		return // never drawn: nothing was created
	}
	r.check(r.reg.ReleaseMany(t.handles()))
	t.tex, t.fb, t.stencil = 0, 0, 0
}

// handles are t's objects: the texture, then the framebuffer and stencil of a render target.
func (t *texture) handles() []gpureg.Handle {
	if t.fb == 0 {
		return []gpureg.Handle{t.tex.Handle()}
	}
	return []gpureg.Handle{t.tex.Handle(), t.fb.Handle(), t.stencil.Handle()}
}

func (r *renderer) fill(t *texture, c color.NRGBA) {
	if r.batch.uses(t) {
		r.flush() // draws issued before the fill land first
	}
	if r.ensure(t) {
		r.clear(t, rgba(c))
	}
}

func (r *renderer) clear(t *texture, c [4]float32) {
	if fbo, _, err := r.reg.GLObject(t.fb); r.check(err) {
		glClear(fbo, t.w, t.h, c)
	}
}

func rgba(c color.NRGBA) [4]float32 {
	return [4]float32{float32(c.R) / 255, float32(c.G) / 255, float32(c.B) / 255, float32(c.A) / 255}
}
