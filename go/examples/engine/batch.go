package main

import (
	"encoding/binary"
	"image/color"
	"math"

	gpureg "github.com/gpureg/gpureg/go"
)

// The draw batch: quads with the same destination and source are gathered into C staging
// memory and drawn with one call at the next flush (a change of destination or source, a full
// batch, a Fill or Dispose of an image in it, a masked draw, the end of the frame). Every flush
// rewrites the vertex and the index buffer from the start, as engines that draw arbitrary
// triangles do: they are stream buffers (BufferDesc.Update).
const (
	maxQuads     = 256
	room         = maxQuads + 1 // the buffers' quads: a masked draw's mask comes after the others
	vertexFloats = 8            // pos.xy, uv.xy, color.rgba
	vertexBytes  = 4 * vertexFloats
	quadVertices = 4 * vertexBytes
	quadIndices  = 6 * 2 // uint16
	atlasSize    = 16
)

type batch struct {
	dst, src *texture
	quads    int
	mask     *texture // a masked draw's mask, its quad after the others; flushed at once
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

// ready makes the pipeline, the batch's buffers and staging memory and the white atlas at the
// first draw.
func (r *renderer) ready() bool {
	b := &r.batch
	if b.vertices != nil {
		return true
	}
	if r.err != nil {
		return false // made once only: after a failure the engine draws nothing
	}
	if !r.makePipeline() {
		return false
	}
	var err error
	if b.vertices, err = r.reg.AllocStaging(room * quadVertices); !r.check(err) {
		return false
	}
	if b.indices, err = r.reg.AllocStaging(room * quadIndices); !r.check(err) {
		b.vertices.Free()
		b.vertices = nil
		return false
	}
	b.vbo, err = r.reg.CreateBuffer(gpureg.BufferDesc{Size: room * quadVertices,
		Usage: gpureg.BufferVertex | gpureg.BufferTransferDst, Update: gpureg.UpdateStream,
		Label: "engine vertices", ExpectedAtShutdown: true})
	if !r.check(err) {
		return false
	}
	b.ibo, err = r.reg.CreateBuffer(gpureg.BufferDesc{Size: room * quadIndices,
		Usage: gpureg.BufferIndex | gpureg.BufferTransferDst, Update: gpureg.UpdateStream,
		Label: "engine indices", ExpectedAtShutdown: true})
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

// drawMasked draws src at x, y into dst where mask, placed at x, y, is not transparent: one
// flush of its own, the mask's quad after src's.
func (r *renderer) drawMasked(dst, src, mask *texture, x, y int) {
	b := &r.batch
	if !r.ready() || !r.ensure(mask) {
		return
	}
	r.flush()
	r.drawImage(dst, src, x, y)
	if b.quads == 0 {
		return // a failure, recorded
	}
	b.putQuad(b.quads, float32(x), float32(y), float32(mask.w), float32(mask.h), 0, 0, 1, 1, [4]float32{1, 1, 1, 1})
	b.mask = mask
	r.flush()
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
	b.putQuad(b.quads, x, y, w, h, u0, v0, u1, v1, c)
	b.quads++
}

// putQuad writes quad i's four vertices and six indices into the staging memory.
func (b *batch) putQuad(i int, x, y, w, h, u0, v0, u1, v1 float32, c [4]float32) {
	vs := b.vertices.Bytes()[i*quadVertices:]
	corners := [4][4]float32{{x, y, u0, v0}, {x + w, y, u1, v0}, {x, y + h, u0, v1}, {x + w, y + h, u1, v1}}
	for k, v := range corners {
		vertex := [vertexFloats]float32{v[0], v[1], v[2], v[3], c[0], c[1], c[2], c[3]}
		for j, f := range vertex {
			binary.NativeEndian.PutUint32(vs[k*vertexBytes+4*j:], math.Float32bits(f))
		}
	}
	is := b.indices.Bytes()[i*quadIndices:]
	base := uint16(4 * i)
	for k, v := range [6]uint16{0, 1, 2, 1, 3, 2} {
		binary.NativeEndian.PutUint16(is[2*k:], base+v)
	}
}

// flush uploads the batch and draws it.
func (r *renderer) flush() {
	b := &r.batch
	n, mask := b.quads, b.mask
	if n == 0 {
		return
	}
	b.quads, b.mask = 0, nil
	stored := n
	if mask != nil {
		stored++
	}
	if !r.check(r.reg.WriteBuffer(b.vbo, 0, b.vertices, stored*quadVertices)) ||
		!r.check(r.reg.WriteBuffer(b.ibo, 0, b.indices, stored*quadIndices)) {
		return
	}
	// GL names are resolved through gpureg at every draw: a released object answers
	// ErrReleased here instead of drawing with a name GL may already have handed out again.
	var err error
	name := func(h gpureg.Handle) uint32 {
		native, e := r.reg.Native(h) // on GL, the object's name
		if err == nil {
			err = e
		}
		return uint32(native)
	}
	p := &r.pipeline
	d := glDrawCall{fbo: name(b.dst.fb.Handle()), src: name(b.src.tex.Handle()), program: name(p.program.Handle()),
		vao: name(p.vao.Handle()), sampler: name(p.sampler.Handle()), vbo: name(b.vbo.Handle()),
		ibo: name(b.ibo.Handle()), w: b.dst.w, h: b.dst.h, uSize: p.uSize, quads: n}
	if mask != nil {
		d.mask = name(mask.tex.Handle())
	}
	if !r.check(err) {
		return
	}
	glDraw(d)
	r.stats.Flushes++
}
