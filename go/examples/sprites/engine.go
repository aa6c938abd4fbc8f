package main

import (
	"errors"
	"fmt"
	"image/color"

	gpureg "github.com/gpureg/gpureg/go"
)

// ImageID is an image's integer ID, as in Ebiten's graphics driver.
type ImageID int

// Graphics is a tiny graphics driver in the shape of Ebiten's: images with integer IDs,
// WritePixels / ReadPixels, Dispose, and frame begin/end. gpureg owns every texture; the
// driver keeps no table of images, so an image the game drops is garbage like any Go value,
// and the GC safety net releases its texture.
type Graphics struct {
	reg    *gpureg.Registry
	nextID ImageID
}

// Image is a texture, optionally a render target.
type Image struct {
	g             *Graphics
	id            ImageID
	width, height int
	tex           gpureg.Texture
	tie           *gpureg.Tied // the GC safety net: releases tex if the image is dropped
	fbo           uint32       // render targets only (owned by the driver, not gpureg)
}

// NewImage creates a width x height RGBA image; renderTarget images can be drawn into.
func (g *Graphics) NewImage(width, height int, renderTarget bool, label string) (*Image, error) {
	usage := gpureg.TextureSampled | gpureg.TextureTransferDst | gpureg.TextureTransferSrc
	if renderTarget {
		usage |= gpureg.TextureColorAttachment
	}
	g.nextID++
	tex, err := g.reg.CreateTexture(gpureg.TextureDesc{Width: uint32(width), Height: uint32(height),
		Format: gpureg.FormatRGBA8Unorm, Usage: usage, Label: fmt.Sprintf("%s #%d", label, g.nextID),
		CallerSkip: 1}) // the report names the game's line that asked for the image
	if err != nil {
		return nil, err
	}
	img := &Image{g: g, id: g.nextID, width: width, height: height, tex: tex}
	img.tie = gpureg.Tie(g.reg, img, tex.Handle())
	if renderTarget {
		name, err := g.reg.GLTexture(tex)
		if err == nil {
			img.fbo, err = glFramebuffer(name)
		}
		if err != nil {
			img.Dispose()
			return nil, err
		}
	}
	return img, nil
}

// ID is the image's integer ID.
func (i *Image) ID() ImageID { return i.id }

// WritePixels writes RGBA pixels (4 bytes each, rows of w) into the region x, y, w, h.
func (i *Image) WritePixels(pix []byte, x, y, w, h int) error {
	return i.g.reg.WriteTexturePixels(i.tex, gpureg.Region{X: uint32(x), Y: uint32(y), Width: uint32(w),
		Height: uint32(h)}, pix, 0)
}

// ReadPixels reads the region x, y, w, h into pix (RGBA, rows of w).
func (i *Image) ReadPixels(pix []byte, x, y, w, h int) error {
	return i.g.reg.ReadTexturePixels(i.tex, gpureg.Region{X: uint32(x), Y: uint32(y), Width: uint32(w),
		Height: uint32(h)}, pix)
}

// Dispose releases the image's texture now (its GL texture is deleted once the GPU is done
// with it). Disposing twice is a no-op.
func (i *Image) Dispose() {
	if i.fbo != 0 {
		glDeleteFramebuffer(i.fbo)
		i.fbo = 0
	}
	if err := i.tie.Release(); err != nil && !errors.Is(err, gpureg.ErrReleased) {
		panic(err)
	}
}

// Begin starts a frame (and destroys what earlier frames no longer use).
func (g *Graphics) Begin() error { return g.reg.BeginFrame() }

// End ends the frame, recording its fence.
func (g *Graphics) End() error { return g.reg.EndFrame() }

// Clear fills a render target.
func (g *Graphics) Clear(dst *Image, c color.NRGBA) error {
	if dst.fbo == 0 {
		return fmt.Errorf("sprites: image %d is not a render target", dst.id)
	}
	glClear(dst.fbo, dst.width, dst.height, float32(c.R)/255, float32(c.G)/255, float32(c.B)/255,
		float32(c.A)/255)
	return nil
}

// DrawImage draws src into dst with its top-left corner at x, y (alpha blended). Both are
// resolved through gpureg at draw time, so a disposed image is an error, not a GL error.
func (g *Graphics) DrawImage(dst, src *Image, x, y int) error {
	if dst.fbo == 0 {
		return fmt.Errorf("sprites: image %d is not a render target", dst.id)
	}
	if _, err := g.reg.GLTexture(dst.tex); err != nil {
		return err
	}
	name, err := g.reg.GLTexture(src.tex)
	if err != nil {
		return err
	}
	// Row 0 of every image is its top row and lands at clip y = -1 (texel row 0), so pixels
	// written, drawn and read back all keep one top-left origin.
	clip := func(v, size int) float32 { return -1 + 2*float32(v)/float32(size) }
	glDraw(dst.fbo, dst.width, dst.height, name, clip(x, dst.width), clip(y, dst.height),
		clip(x+src.width, dst.width), clip(y+src.height, dst.height))
	return nil
}
