package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gpureg_format_texel_bytes
#cgo noescape gpureg_format_texel_bytes
#cgo nocallback gpureg_format_name
#cgo noescape gpureg_format_name
*/
import "C"

import (
	"strconv"
	"strings"
)

// Handle is any gpureg handle (a Texture, a Buffer or an Object of another kind): what Retain,
// Release, State, Info and the batch calls take. 0 is never valid.
type Handle uint64

// Texture is a texture handle. Mixing it up with a Buffer is a compile error; Handle() gives the
// untyped handle for the calls that accept either.
type Texture uint64

// Buffer is a buffer handle.
type Buffer uint64

// Handle returns t as an untyped handle.
func (t Texture) Handle() Handle { return Handle(t) }

// Handle returns b as an untyped handle.
func (b Buffer) Handle() Handle { return Handle(b) }

// String formats the handle as the report does: "0x" and 16 hex digits ("0x0090000100000000").
func (h Handle) String() string {
	digits := strconv.FormatUint(uint64(h), 16)
	return "0x" + strings.Repeat("0", 16-len(digits)) + digits
}

// Format is a texture format (gpureg_format).
type Format uint32

const (
	FormatUndefined      Format = C.GPUREG_FORMAT_UNDEFINED
	FormatRGBA8Unorm     Format = C.GPUREG_FORMAT_RGBA8_UNORM
	FormatRGBA8SRGB      Format = C.GPUREG_FORMAT_RGBA8_SRGB
	FormatBGRA8Unorm     Format = C.GPUREG_FORMAT_BGRA8_UNORM
	FormatR8Unorm        Format = C.GPUREG_FORMAT_R8_UNORM
	FormatRG8Unorm       Format = C.GPUREG_FORMAT_RG8_UNORM
	FormatRGBA16Float    Format = C.GPUREG_FORMAT_RGBA16_FLOAT
	FormatRGBA32Float    Format = C.GPUREG_FORMAT_RGBA32_FLOAT
	FormatD24UnormS8Uint Format = C.GPUREG_FORMAT_D24_UNORM_S8_UINT
	FormatD32Float       Format = C.GPUREG_FORMAT_D32_FLOAT
	// FormatS8Uint is stencil only: renderbuffers on every backend that has them (GL, null),
	// textures where the device has the format.
	FormatS8Uint Format = C.GPUREG_FORMAT_S8_UINT
)

// TexelBytes is the size of one texel (0 for unknown formats).
func (f Format) TexelBytes() uint32 { return uint32(C.gpureg_format_texel_bytes(C.gpureg_format(f))) }

// String is the C library's name ("rgba8_unorm").
func (f Format) String() string { return C.GoString(C.gpureg_format_name(C.gpureg_format(f))) }

// Texture usage bits (gpureg_texture_usage). 0 means Sampled|TransferDst.
const (
	TextureSampled         uint32 = C.GPUREG_TEXTURE_USAGE_SAMPLED
	TextureColorAttachment uint32 = C.GPUREG_TEXTURE_USAGE_COLOR_ATTACHMENT
	TextureDepthStencil    uint32 = C.GPUREG_TEXTURE_USAGE_DEPTH_STENCIL_ATTACHMENT
	TextureStorage         uint32 = C.GPUREG_TEXTURE_USAGE_STORAGE
	TextureTransferSrc     uint32 = C.GPUREG_TEXTURE_USAGE_TRANSFER_SRC
	TextureTransferDst     uint32 = C.GPUREG_TEXTURE_USAGE_TRANSFER_DST
)

// Buffer usage bits (gpureg_buffer_usage). 0 means Vertex|TransferDst.
const (
	BufferVertex      uint32 = C.GPUREG_BUFFER_USAGE_VERTEX
	BufferIndex       uint32 = C.GPUREG_BUFFER_USAGE_INDEX
	BufferUniform     uint32 = C.GPUREG_BUFFER_USAGE_UNIFORM
	BufferStorage     uint32 = C.GPUREG_BUFFER_USAGE_STORAGE
	BufferTransferSrc uint32 = C.GPUREG_BUFFER_USAGE_TRANSFER_SRC
	BufferTransferDst uint32 = C.GPUREG_BUFFER_USAGE_TRANSFER_DST
	BufferHostVisible uint32 = C.GPUREG_BUFFER_USAGE_HOST_VISIBLE
)

// TextureDesc describes a texture. Zero members take the C library's defaults (mip levels 1,
// one array layer, usage Sampled|TransferDst); Width, Height and Format are required.
type TextureDesc struct {
	Width, Height uint32
	MipLevels     uint32
	ArrayLayers   uint32
	Format        Format
	Usage         uint32
	Label         string // copied; truncated at 255 bytes
	// CallerSkip: extra stack frames to skip when recording the creation site, so an engine
	// that wraps CreateTexture can name its caller's line instead of its own (1 = the caller
	// of the function that calls CreateTexture). The ...At forms take the site instead.
	CallerSkip int
	// ExpectedAtShutdown marks an object meant to live until Close (an atlas, a font): the
	// report lists it apart and Close does not count it as a leak
	// (GPUREG_OBJECT_EXPECTED_AT_SHUTDOWN; also Registry.SetExpectedAtShutdown).
	ExpectedAtShutdown bool
	// Sampler: the members that are set are applied to the texture at create on GL
	// (glTexParameteri: a new texture needs no bind to set its filtering and wrap); zero
	// members leave the API's defaults. Vulkan keeps it for Info only (sampling state lives in
	// sampler objects there: CreateSampler).
	Sampler SamplerState
}

// BufferDesc describes a buffer. Size is required; usage 0 means Vertex|TransferDst; Update 0
// means UpdateStatic.
type BufferDesc struct {
	Size   uint64
	Usage  uint32
	Update BufferUpdate // how often the contents change: the backend's memory choice
	Label  string
	// CallerSkip: as TextureDesc.CallerSkip.
	CallerSkip int
	// ExpectedAtShutdown: as TextureDesc.ExpectedAtShutdown.
	ExpectedAtShutdown bool
}

// BufferUpdate is how often a buffer's contents change (gpureg_buffer_update): a hint each
// backend maps to its memory choice.
type BufferUpdate uint32

const (
	UpdateDefault BufferUpdate = C.GPUREG_UPDATE_DEFAULT // UpdateStatic
	// UpdateStatic: written once or rarely (GL_STATIC_DRAW; Vulkan: device-local).
	UpdateStatic BufferUpdate = C.GPUREG_UPDATE_STATIC
	// UpdateDynamic: rewritten now and then (GL_DYNAMIC_DRAW; Vulkan: device-local
	// host-visible memory where the device has it, written through the mapping).
	UpdateDynamic BufferUpdate = C.GPUREG_UPDATE_DYNAMIC
	// UpdateStream: rewritten every frame (GL_STREAM_DRAW; Vulkan: host-visible, written
	// through the mapping with no ordering against GPU work in flight).
	UpdateStream BufferUpdate = C.GPUREG_UPDATE_STREAM
)
