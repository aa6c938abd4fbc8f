package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gpureg_format_texel_bytes
#cgo noescape gpureg_format_texel_bytes
#cgo nocallback gpureg_format_name
#cgo noescape gpureg_format_name
*/
import "C"

import "strconv"

// Handle is any gpureg handle (texture or buffer): what Retain, Release and the batch calls take.
// 0 is never valid.
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

// String formats the handle as the report does ("0x...").
func (h Handle) String() string { return "0x" + strconv.FormatUint(uint64(h), 16) }

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
}

// BufferDesc describes a buffer. Size is required; usage 0 means Vertex|TransferDst.
type BufferDesc struct {
	Size  uint64
	Usage uint32
	Label string
	// CallerSkip: as TextureDesc.CallerSkip.
	CallerSkip int
	// ExpectedAtShutdown: as TextureDesc.ExpectedAtShutdown.
	ExpectedAtShutdown bool
}
