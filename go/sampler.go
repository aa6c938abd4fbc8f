package gpureg

/*
#include "cgo_helpers.h"
*/
import "C"

// Filter is a texture filter (gpureg_filter).
type Filter uint32

const (
	FilterDefault Filter = C.GPUREG_FILTER_DEFAULT
	FilterNearest Filter = C.GPUREG_FILTER_NEAREST
	FilterLinear  Filter = C.GPUREG_FILTER_LINEAR
)

// MipFilter says how mip levels are sampled (gpureg_mip_filter).
type MipFilter uint32

const (
	MipFilterDefault MipFilter = C.GPUREG_MIP_FILTER_DEFAULT
	MipFilterNone    MipFilter = C.GPUREG_MIP_FILTER_NONE // level 0 only
	MipFilterNearest MipFilter = C.GPUREG_MIP_FILTER_NEAREST
	MipFilterLinear  MipFilter = C.GPUREG_MIP_FILTER_LINEAR
)

// Wrap is a texture coordinate's addressing mode (gpureg_wrap).
type Wrap uint32

const (
	WrapDefault        Wrap = C.GPUREG_WRAP_DEFAULT
	WrapRepeat         Wrap = C.GPUREG_WRAP_REPEAT
	WrapClampToEdge    Wrap = C.GPUREG_WRAP_CLAMP_TO_EDGE
	WrapMirroredRepeat Wrap = C.GPUREG_WRAP_MIRRORED_REPEAT
)

// SamplerState is sampling state (gpureg_sampler_state). Zero members take the default of
// where it is used: in TextureDesc.Sampler the graphics API's own (GL: min
// NEAREST_MIPMAP_LINEAR, mag LINEAR, wrap REPEAT; the texture is then left as GL made it), in
// SamplerDesc.State LINEAR, LINEAR, mip None and Repeat.
type SamplerState struct {
	MinFilter, MagFilter Filter
	MipFilter            MipFilter
	WrapU, WrapV         Wrap
}

func cSamplerState(s *SamplerState) C.gpureg_sampler_state {
	var c C.gpureg_sampler_state
	c.min_filter = C.gpureg_filter(s.MinFilter)
	c.mag_filter = C.gpureg_filter(s.MagFilter)
	c.mip_filter = C.gpureg_mip_filter(s.MipFilter)
	c.wrap_u = C.gpureg_wrap(s.WrapU)
	c.wrap_v = C.gpureg_wrap(s.WrapV)
	return c
}

func samplerState(c *C.gpureg_sampler_state) SamplerState {
	return SamplerState{MinFilter: Filter(c.min_filter), MagFilter: Filter(c.mag_filter),
		MipFilter: MipFilter(c.mip_filter), WrapU: Wrap(c.wrap_u), WrapV: Wrap(c.wrap_v)}
}
