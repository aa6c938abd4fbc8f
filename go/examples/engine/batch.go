package main

import (
	"encoding/binary"
	"image/color"
	"math"

	gpureg "github.com/gpureg/gpureg/go"
)

// The draw batch: quads with the same destination and source are gathered into C staging
// memory and drawn with one call at the next flush (a change of destination or source, a full
// batch, a Fill or Dispose of an image in it, the end of the frame). Every flush rewrites the
// vertex and the index buffer from the start, as engines that draw arbitrary triangles do.
const (
	maxQuads     = 256
	vertexFloats = 8 // pos.xy, uv.xy, color.rgba
	vertexBytes  = 4 * vertexFloats
	quadVertices = 4 * vertexBytes
	quadIndices  = 6 * 2 // uint16
	atlasSize    = 16
)

type batch struct {
	dst, src *texture
	quads    int
	// The engine's long-lived objects, made at the first draw and kept until Shutdown, so
	// marked expected at shutdown: the report lists them apart, never as leaks.
	vbo, ibo          gpureg.Buffer
	vertices, indices *gpureg.Staging // C memory: flushes hand it to gpureg without a copy
}

func (b *batch) uses(t *texture) bool { return b.quads > 0 && (b.dst == t || b.src == t) }

func (b *batch) free() {
	if b.vertices != nil {
		b.vertices.Free()
		b.indices.Free()
	}
}

// ready makes the batch's buffers and staging memory and the white atlas at the first draw.
func (r *renderer) ready() bool {
	b := &r.batch
	if b.vertices != nil {
		return true
	}
	var err error
	if b.vertices, err = r.reg.AllocStaging(maxQuads * quadVertices); !r.check(err) {
		return false
	}
	if b.indices, err = r.reg.AllocStaging(maxQuads * quadIndices); !r.check(err) {
		b.vertices.Free()
		b.vertices = nil
		return false
	}
	b.vbo, err = r.reg.CreateBuffer(gpureg.BufferDesc{Size: maxQuads * quadVertices,
		Usage: gpureg.BufferVertex | gpureg.BufferTransferDst, Label: "engine vertices", ExpectedAtShutdown: true})
	if !r.check(err) {
		return false
	}
	b.ibo, err = r.reg.CreateBuffer(gpureg.BufferDesc{Size: maxQuads * quadIndices,
		Usage: gpureg.BufferIndex | gpureg.BufferTransferDst, Label: "engine indices", ExpectedAtShutdown: true})
	if !r.check(err) {
		return false
	}
	// The atlas: white texels that solid fills sample (Ebiten keeps such a white image too).
	r.atlas = &texture{w: atlasSize, h: atlasSize, site: gpureg.Caller(0), label: "engine atlas", expected: true}
	if !r.ensure(r.atlas) {
		return false
	}
	white := make([]byte, 4*atlasSize*atlasSize)
	for i := range white {
		white[i] = 0xff
	}
	return r.check(r.reg.WriteTexturePixels(r.atlas.tex, gpureg.Region{}, white, 0))
}

func (r *renderer) drawImage(dst, src *texture, x, y int) {
	r.quad(dst, src, float32(x), float32(y), float32(src.w), float32(src.h), 0, 0, 1, 1,
		[4]float32{1, 1, 1, 1})
}

func (r *renderer) fillRect(dst *texture, x, y, w, h int, c color.NRGBA) {
	if !r.ready() {
		return
	}
	const mid = 0.5 // the middle of the white atlas: no edge texel is ever sampled
	r.quad(dst, r.atlas, float32(x), float32(y), float32(w), float32(h), mid, mid, mid, mid, rgba(c))
}

// quad adds the rectangle x, y, w, h of dst, textured with src's u0, v0 .. u1, v1.
func (r *renderer) quad(dst, src *texture, x, y, w, h, u0, v0, u1, v1 float32, c [4]float32) {
	b := &r.batch
	if !r.ready() || !r.ensure(dst) || !r.ensure(src) {
		return
	}
	if b.quads > 0 && (b.dst != dst || b.src != src || b.quads == maxQuads) {
		r.flush()
	}
	b.dst, b.src = dst, src
	vs := b.vertices.Bytes()[b.quads*quadVertices:]
	corners := [4][4]float32{{x, y, u0, v0}, {x + w, y, u1, v0}, {x, y + h, u0, v1}, {x + w, y + h, u1, v1}}
	for i, v := range corners {
		vertex := [vertexFloats]float32{v[0], v[1], v[2], v[3], c[0], c[1], c[2], c[3]}
		for j, f := range vertex {
			binary.NativeEndian.PutUint32(vs[i*vertexBytes+4*j:], math.Float32bits(f))
		}
	}
	is := b.indices.Bytes()[b.quads*quadIndices:]
	base := uint16(4 * b.quads)
	for i, k := range [6]uint16{0, 1, 2, 1, 3, 2} {
		binary.NativeEndian.PutUint16(is[2*i:], base+k)
	}
	b.quads++
}

// flush uploads the batch and draws it.
func (r *renderer) flush() {
	b := &r.batch
	n := b.quads
	if n == 0 {
		return
	}
	b.quads = 0
	if !r.check(r.reg.WriteBuffer(b.vbo, 0, b.vertices, n*quadVertices)) ||
		!r.check(r.reg.WriteBuffer(b.ibo, 0, b.indices, n*quadIndices)) {
		return
	}
	// GL names are resolved through gpureg at every draw: a released texture answers
	// ErrReleased here instead of drawing with a name GL may already have handed out again.
	vbo, err := r.reg.GLBuffer(b.vbo)
	if !r.check(err) {
		return
	}
	ibo, err := r.reg.GLBuffer(b.ibo)
	if !r.check(err) {
		return
	}
	src, err := r.reg.GLTexture(b.src.tex)
	if !r.check(err) {
		return
	}
	glDraw(b.dst.fbo, b.dst.w, b.dst.h, vbo, ibo, src, 6*n)
	r.stats.Flushes++
}
