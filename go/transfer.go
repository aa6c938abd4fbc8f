package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gr_staging_alloc
#cgo noescape gr_staging_alloc
#cgo nocallback gr_texture_write
#cgo noescape gr_texture_write
#cgo nocallback gr_texture_read
#cgo noescape gr_texture_read
#cgo nocallback gr_buffer_write
#cgo noescape gr_buffer_write
#cgo nocallback gr_buffer_read
#cgo noescape gr_buffer_read
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Staging is registry-owned host memory: Go fills or reads it through Bytes (a slice over C
// memory) and the transfer calls hand its C pointer to C, so pixel data never crosses as a Go
// pointer. Free it when done; Close frees what is left, and a forgotten Staging is freed by
// the GC.
type Staging struct {
	r       *Registry
	ptr     *C.uchar // C memory from gpureg_staging_alloc
	size    int
	cleanup runtime.Cleanup
}

// AllocStaging allocates size bytes of staging memory. Any goroutine.
func (r *Registry) AllocStaging(size int) (*Staging, error) {
	if r.reg == nil {
		return nil, closedErr("AllocStaging")
	}
	if size <= 0 {
		return nil, &Error{Op: "AllocStaging", Code: Result(C.GPUREG_ERR_INVALID_SIZE)}
	}
	res := C.gr_staging_alloc(r.reg, C.size_t(size))
	if err := r.checkAny("AllocStaging", res.result); err != nil {
		return nil, err
	}
	s := &Staging{r: r, ptr: (*C.uchar)(res.ptr), size: size}
	s.cleanup = runtime.AddCleanup(s, func(p *C.uchar) { r.gcFreeStaging(p) }, s.ptr)
	return s, nil
}

// Bytes is the staging memory as a slice over C memory. Valid until Free or Close; do not keep
// it beyond.
func (s *Staging) Bytes() []byte {
	if s.ptr == nil {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(s.ptr)), s.size)
}

// Len is the size in bytes.
func (s *Staging) Len() int { return s.size }

// Free returns the memory to the registry. Idempotent.
func (s *Staging) Free() {
	if s.ptr == nil {
		return
	}
	s.cleanup.Stop()
	s.r.gcFreeStaging(s.ptr)
	s.ptr = nil
	s.size = 0
}

// Region is a texel rectangle of one mip level and array layer. Width or Height 0 means the
// whole extent of the level from (X, Y).
type Region struct {
	X, Y, Width, Height  uint32
	MipLevel, ArrayLayer uint32
}

func (r *Registry) stagingOK(op string, s *Staging, size int) error {
	if r.reg == nil {
		return closedErr(op)
	}
	if s == nil || s.ptr == nil {
		return &Error{Op: op, Code: Result(C.GPUREG_ERR_NULL_POINTER)}
	}
	if size < 0 || size > s.size {
		return &Error{Op: op, Code: Result(C.GPUREG_ERR_OUT_OF_BOUNDS)}
	}
	return nil
}

// WriteTexture writes texels from the first size bytes of s: rows of rowBytes bytes (0 means
// tightly packed). Owner thread.
func (r *Registry) WriteTexture(t Texture, rg Region, s *Staging, size int, rowBytes uint32) error {
	if err := r.stagingOK("WriteTexture", s, size); err != nil {
		return err
	}
	return r.check("WriteTexture", C.gr_texture_write(r.reg, C.uint64_t(t), C.uint32_t(rg.X), C.uint32_t(rg.Y),
		C.uint32_t(rg.Width), C.uint32_t(rg.Height), C.uint32_t(rg.MipLevel), C.uint32_t(rg.ArrayLayer),
		unsafe.Pointer(s.ptr), C.size_t(size), C.uint32_t(rowBytes)))
}

// ReadTexture reads texels of rg into the first size bytes of s, tightly packed. Blocks until
// the GPU finished prior work. Owner thread. The null backend answers ErrUnsupported.
func (r *Registry) ReadTexture(t Texture, rg Region, s *Staging, size int) error {
	if err := r.stagingOK("ReadTexture", s, size); err != nil {
		return err
	}
	return r.check("ReadTexture", C.gr_texture_read(r.reg, C.uint64_t(t), C.uint32_t(rg.X), C.uint32_t(rg.Y),
		C.uint32_t(rg.Width), C.uint32_t(rg.Height), C.uint32_t(rg.MipLevel), C.uint32_t(rg.ArrayLayer),
		unsafe.Pointer(s.ptr), C.size_t(size)))
}

// WriteBuffer writes the first size bytes of s at offset. Owner thread.
func (r *Registry) WriteBuffer(b Buffer, offset uint64, s *Staging, size int) error {
	if err := r.stagingOK("WriteBuffer", s, size); err != nil {
		return err
	}
	return r.check("WriteBuffer", C.gr_buffer_write(r.reg, C.uint64_t(b), C.uint64_t(offset), unsafe.Pointer(s.ptr),
		C.uint64_t(size)))
}

// ReadBuffer reads size bytes at offset into s. Owner thread.
func (r *Registry) ReadBuffer(b Buffer, offset uint64, s *Staging, size int) error {
	if err := r.stagingOK("ReadBuffer", s, size); err != nil {
		return err
	}
	return r.check("ReadBuffer", C.gr_buffer_read(r.reg, C.uint64_t(b), C.uint64_t(offset), unsafe.Pointer(s.ptr),
		C.uint64_t(size)))
}

// withStaging runs fn with a staging block of n bytes, freed afterwards.
func (r *Registry) withStaging(op string, n int, fn func(s *Staging) error) error {
	if n == 0 {
		return &Error{Op: op, Code: Result(C.GPUREG_ERR_INVALID_SIZE)}
	}
	s, err := r.AllocStaging(n)
	if err != nil {
		return &opError{op: op, err: err}
	}
	defer s.Free()
	return fn(s)
}

// WriteTexturePixels copies pix into staging memory on the Go side and writes it (rows of
// rowBytes, 0 = tightly packed). Owner thread.
func (r *Registry) WriteTexturePixels(t Texture, rg Region, pix []byte, rowBytes uint32) error {
	return r.withStaging("WriteTexturePixels", len(pix), func(s *Staging) error {
		copy(s.Bytes(), pix)
		return r.WriteTexture(t, rg, s, len(pix), rowBytes)
	})
}

// ReadTexturePixels reads rg into pix (tightly packed) through staging memory. Owner thread.
func (r *Registry) ReadTexturePixels(t Texture, rg Region, pix []byte) error {
	return r.withStaging("ReadTexturePixels", len(pix), func(s *Staging) error {
		if err := r.ReadTexture(t, rg, s, len(pix)); err != nil {
			return err
		}
		copy(pix, s.Bytes())
		return nil
	})
}

// WriteBufferBytes copies data into staging memory and writes it at offset. Owner thread.
func (r *Registry) WriteBufferBytes(b Buffer, offset uint64, data []byte) error {
	return r.withStaging("WriteBufferBytes", len(data), func(s *Staging) error {
		copy(s.Bytes(), data)
		return r.WriteBuffer(b, offset, s, len(data))
	})
}

// ReadBufferBytes reads len(data) bytes at offset into data. Owner thread.
func (r *Registry) ReadBufferBytes(b Buffer, offset uint64, data []byte) error {
	return r.withStaging("ReadBufferBytes", len(data), func(s *Staging) error {
		if err := r.ReadBuffer(b, offset, s, len(data)); err != nil {
			return err
		}
		copy(data, s.Bytes())
		return nil
	})
}
