package main

import gpureg "github.com/gpureg/gpureg/go"

// makeTarget makes t's render-target unit at the site NewImage recorded: the texture, a
// stencil renderbuffer and a framebuffer with both attached, the last two depending on the
// texture so that all three are destroyed after the same fence. gpureg makes the three
// (CreateRenderTargetAt), or (Config.AdoptGL) the engine makes the framebuffer and
// renderbuffer with raw GL, gpureg adopts them and Depend ties them: the same objects, labels,
// sites and report either way.
func (r *renderer) makeTarget(t *texture, color gpureg.TextureDesc) (err error) {
	if !r.adoptGL {
		var rt gpureg.RenderTarget
		rt, err = r.reg.CreateRenderTargetAt(gpureg.RenderTargetDesc{Color: color,
			DepthStencil: gpureg.FormatS8Uint}, t.site)
		t.tex, t.fb, t.stencil = rt.Color, rt.Framebuffer, rt.DepthStencil
		return err
	}
	color.Usage |= gpureg.TextureColorAttachment
	tex, err := r.reg.CreateTextureAt(color, t.site)
	if err != nil {
		return err
	}
	made := []gpureg.Handle{tex.Handle()}
	defer func() {
		if err != nil {
			r.reg.ReleaseMany(made) // never drawn with: gone at the next collection
		}
	}()
	texName, err := r.reg.GLTexture(tex)
	if err != nil {
		return err
	}
	stencilName := glMakeStencil(t.w, t.h)
	fbName, err := glMakeFramebuffer(texName, stencilName)
	if err != nil {
		glDelete(gpureg.KindRenderbuffer, stencilName)
		return err
	}
	// The labels CreateRenderTarget gives; the renderbuffer's storage for the report's bytes.
	stencil, err := r.adopt(gpureg.ObjectDesc{Kind: gpureg.KindRenderbuffer, Width: uint32(t.w),
		Height: uint32(t.h), Format: gpureg.FormatS8Uint, Label: t.label + " depth-stencil",
		ExpectedAtShutdown: t.expected}, stencilName, t.site)
	if err != nil {
		glDelete(gpureg.KindFramebuffer, fbName)
		return err
	}
	made = append(made, stencil.Handle())
	fb, err := r.adopt(gpureg.ObjectDesc{Kind: gpureg.KindFramebuffer, Label: t.label + " framebuffer",
		ExpectedAtShutdown: t.expected}, fbName, t.site)
	if err != nil {
		return err
	}
	made = append(made, fb.Handle())
	if err = r.reg.Depend(fb.Handle(), tex.Handle()); err != nil {
		return err
	}
	if err = r.reg.Depend(stencil.Handle(), tex.Handle()); err != nil {
		return err
	}
	t.tex, t.fb, t.stencil = tex, fb, stencil
	return nil
}
