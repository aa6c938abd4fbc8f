package gpureg

/*
#include "cgo_helpers.h"

typedef struct gr_render_target_result {
    gpureg_render_target target;
    int32_t result;
} gr_render_target_result;

static gr_render_target_result gr_render_target_create(gpureg_registry *reg, gpureg_render_target_desc d,
                                                       gpureg_site site) {
    gr_render_target_result r;
    memset(&r, 0, sizeof r);
    r.result = (int32_t)gpureg_render_target_create_at(reg, &d, &site, &r.target);
    return r;
}
#cgo nocallback gr_render_target_create
#cgo noescape gr_render_target_create
*/
import "C"

// RenderTargetDesc describes a render target as one unit: a colour texture (its usage gets
// TextureColorAttachment), an optional depth/stencil renderbuffer of the same size, and a
// framebuffer with both attached. Color.Label labels the texture; the framebuffer and the
// renderbuffer get it with " framebuffer" and " depth-stencil" appended. All share the site
// and Color.ExpectedAtShutdown; Color.CallerSkip moves the site up the stack.
type RenderTargetDesc struct {
	Color        TextureDesc
	DepthStencil Format // 0: none; FormatD24UnormS8Uint, FormatD32Float or FormatS8Uint
}

// RenderTarget is the unit CreateRenderTarget made: the framebuffer and the depth-stencil
// renderbuffer depend on the colour texture (see [Registry.Depend]), so once all are released
// they are destroyed together, after the same fence, in one collection.
type RenderTarget struct {
	Color        Texture
	Framebuffer  Object
	DepthStencil Object // 0 without one
	r            *Registry
}

// CreateRenderTarget creates the three (or two) objects, each with one reference, recording the
// caller as their site. On error nothing is left alive (the parts already made are released and
// go at the next collection). GL and the null backend; Vulkan answers ErrUnsupported. Owner
// thread.
func (r *Registry) CreateRenderTarget(d RenderTargetDesc) (RenderTarget, error) {
	return r.createRenderTarget("CreateRenderTarget", &d, callerSite(d.Color.CallerSkip))
}

// CreateRenderTargetAt is CreateRenderTarget with an explicit creation site.
func (r *Registry) CreateRenderTargetAt(d RenderTargetDesc, site Site) (RenderTarget, error) {
	return r.createRenderTarget("CreateRenderTargetAt", &d, site)
}

func (r *Registry) createRenderTarget(op string, d *RenderTargetDesc, site Site) (RenderTarget, error) {
	rt := RenderTarget{r: r}
	h, err := r.made(op, site, d.Color.Label, func(cs *createStrings) C.gr_u64_result {
		var rd C.gpureg_render_target_desc
		rd.color = cTextureDesc(&d.Color, cs.label)
		rd.depth_stencil = C.gpureg_format(d.DepthStencil)
		res := C.gr_render_target_create(r.reg, rd, cSite(cs))
		rt.Framebuffer, rt.DepthStencil = Object(res.target.framebuffer.id), Object(res.target.depth_stencil.id)
		var out C.gr_u64_result
		out.value, out.result = res.target.color.id, res.result
		return out
	})
	if err != nil {
		return RenderTarget{}, err
	}
	rt.Color = Texture(h)
	return rt, nil
}

// Release drops the reference of every part (a Dispose): the texture, the framebuffer and the
// depth-stencil renderbuffer, each through [Registry.Release] (the fast path: any goroutine, no
// crossing on success). It tries all of them and answers the first error.
func (t RenderTarget) Release() error {
	if t.r == nil {
		return &Error{Op: "RenderTarget.Release", Code: ErrInvalidHandle.(Result)}
	}
	err := t.r.Release(t.Color.Handle())
	if e := t.r.Release(t.Framebuffer.Handle()); err == nil {
		err = e
	}
	if t.DepthStencil != 0 {
		if e := t.r.Release(t.DepthStencil.Handle()); err == nil {
			err = e
		}
	}
	return err
}
