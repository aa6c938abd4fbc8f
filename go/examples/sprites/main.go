// Command sprites is a small engine on gpureg's GL backend (headless EGL, llvmpipe): it draws
// sprites from a PNG into an offscreen target, writes frame.png, and drops some images without
// Dispose so the report shows the GC safety net at work (objects marked released_by_gc).
//
//	go run ./examples/sprites    # in go/; needs libegl-dev, libgl-dev and Mesa llvmpipe
package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"os"
	"runtime"
	"time"

	gpureg "github.com/gpureg/gpureg/go"
	"github.com/gpureg/gpureg/go/internal/eglctx"
)

//go:embed sprite.png
var spritePNG []byte

const (
	screenW, screenH = 256, 128
	frames           = 4
	spritesPerFrame  = 8
)

var background = color.NRGBA{R: 20, G: 24, B: 36, A: 255}

// summary is what a run did, for the test.
type summary struct {
	SpriteAt     [][2]int // top-left corners drawn in the last frame
	ParticleAt   [2]int   // a particle drawn in the last frame
	Particle     color.NRGBA
	ReleasedByGC int    // objects the report marked released_by_gc
	Report       string // the text report taken while they were pending
	Stats        gpureg.Stats
}

func main() {
	s, err := run("frame.png", os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("wrote frame.png; %d images released by the GC safety net\n", s.ReleasedByGC)
}

func spritePosition(frame, i int) (int, int) { return 8 + i*30 + 2*frame, 16 + (i%2)*56 + frame }

// run owns the GL context and the registry on one locked OS thread, as a render loop does.
func run(out string, log io.Writer) (s summary, err error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ctx, err := eglctx.New(3, 3)
	if err != nil {
		return s, err
	}
	defer ctx.Close()
	reg, err := gpureg.NewGL(gpureg.Options{})
	if err != nil {
		return s, fmt.Errorf("sprites: NewGL: %w", err)
	}
	defer func() {
		if cerr := reg.Close(); err == nil {
			err = cerr
		}
	}()
	if err := glInit(); err != nil {
		return s, err
	}
	defer glShutdown()
	g := &Graphics{reg: reg}

	decoded, err := png.Decode(bytes.NewReader(spritePNG))
	if err != nil {
		return s, err
	}
	b := decoded.Bounds()
	pix := image.NewNRGBA(b)
	draw.Draw(pix, b, decoded, b.Min, draw.Src)
	sprite, err := g.NewImage(b.Dx(), b.Dy(), false, "sprite")
	if err != nil {
		return s, err
	}
	defer sprite.Dispose()
	if err := sprite.WritePixels(pix.Pix, 0, 0, b.Dx(), b.Dy()); err != nil {
		return s, err
	}
	screen, err := g.NewImage(screenW, screenH, true, "screen")
	if err != nil {
		return s, err
	}
	defer screen.Dispose()

	for f := 0; f < frames; f++ {
		if err := g.Begin(); err != nil {
			return s, err
		}
		if err := g.Clear(screen, background); err != nil {
			return s, err
		}
		s.SpriteAt = s.SpriteAt[:0]
		for i := 0; i < spritesPerFrame; i++ {
			x, y := spritePosition(f, i)
			if err := g.DrawImage(screen, sprite, x, y); err != nil {
				return s, err
			}
			s.SpriteAt = append(s.SpriteAt, [2]int{x, y})
		}
		// Particles: made every frame; half are disposed, half are simply forgotten.
		for p := 0; p < 4; p++ {
			c := color.NRGBA{R: uint8(60 * p), G: 200, B: uint8(255 - 40*f), A: 255}
			particle, err := g.NewImage(4, 4, false, "particle")
			if err != nil {
				return s, err
			}
			if err := particle.WritePixels(bytes.Repeat([]byte{c.R, c.G, c.B, c.A}, 16), 0, 0, 4, 4); err != nil {
				return s, err
			}
			at := [2]int{20 + 50*p, 60}
			if err := g.DrawImage(screen, particle, at[0], at[1]); err != nil {
				return s, err
			}
			s.ParticleAt, s.Particle = at, c
			if p%2 == 0 {
				particle.Dispose()
			} // odd particles are dropped here without Dispose
		}
		if err := g.End(); err != nil {
			return s, err
		}
	}

	// The dropped particles are unreachable now: the GC's cleanups release them.
	dropped := frames * 2
	for deadline := time.Now().Add(20 * time.Second); ; {
		runtime.GC()
		st, err := reg.Stats()
		if err != nil {
			return s, err
		}
		if st.Texture.LiveCount == 2 { // sprite and screen
			break
		}
		if time.Now().After(deadline) {
			return s, fmt.Errorf("sprites: %d textures still alive after GC", st.Texture.LiveCount)
		}
		time.Sleep(time.Millisecond)
	}
	var text bytes.Buffer
	if err := reg.Report(&text, gpureg.ReportText); err != nil {
		return s, err
	}
	s.Report = text.String()
	d, err := reg.ReportJSON()
	if err != nil {
		return s, err
	}
	for _, o := range d.Objects {
		if o.ReleasedByGC {
			s.ReleasedByGC++
		}
	}
	fmt.Fprintf(log, "%s\n%d of %d dropped particles still pending, marked released_by_gc\n", s.Report,
		s.ReleasedByGC, dropped)

	frame := image.NewNRGBA(image.Rect(0, 0, screenW, screenH))
	if err := screen.ReadPixels(frame.Pix, 0, 0, screenW, screenH); err != nil {
		return s, err
	}
	f, err := os.Create(out)
	if err != nil {
		return s, err
	}
	if err := png.Encode(f, frame); err != nil {
		f.Close()
		return s, err
	}
	if err := f.Close(); err != nil {
		return s, err
	}
	s.Stats, err = reg.Stats()
	return s, err
}
