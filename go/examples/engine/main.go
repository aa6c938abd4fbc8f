// Command engine is a small 2D engine shaped like a Go engine's OpenGL driver (Ebiten's, say),
// on gpureg's GL backend: a render thread owning the GL context and the registry runs a queue
// of commands; game code on other goroutines asks for images, which the render thread creates
// lazily at their first use, each a render-target unit (texture, framebuffer, stencil
// renderbuffer) at the game's line that asked; disposal comes from Dispose or from the engine's
// GC cleanups. Every GPU object is gpureg's: created by it, or made by the engine with raw GL
// and adopted (-adopt-gl); the shaders, program, vertex array, sampler, buffers, atlas and
// screen live for the whole game and are marked expected at shutdown.
//
// The scripted game loads level 1 and unloads it with two images leaked on purpose; the
// program prints gpureg's report since a checkpoint taken before the level, answering "after
// level 1 was unloaded, what is still here?": the two leaks (three objects each), named by the
// game's lines, and the engine's own objects listed apart as expected. Then the game disposes
// the two and shuts down: a clean Close prints nothing.
//
//	go run ./examples/engine              # in go/; needs libegl-dev, libgl-dev and Mesa llvmpipe
//	go run ./examples/engine -adopt-gl    # the same, the engine's GL objects adopted
//	go run ./examples/engine -keep-leaks  # the leaks stay: Shutdown's Close reports them
//
// The GL context is headless (EGL surfaceless, internal/eglctx); XDG_RUNTIME_DIR must be set.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	gpureg "github.com/gpureg/gpureg/go"
	"github.com/gpureg/gpureg/go/internal/eglctx"
)

func main() {
	keep := flag.Bool("keep-leaks", false, "leave the two leaked images alive at shutdown")
	adopt := flag.Bool("adopt-gl", false, "make framebuffers, renderbuffers, shaders... with raw GL; gpureg adopts them")
	flag.Parse()
	if err := run(os.Stdout, *keep, *adopt); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// headless makes a GL 3.3 core context current on the calling (render) thread.
func headless() (func(), error) {
	ctx, err := eglctx.New(3, 3)
	if err != nil {
		return nil, err
	}
	return ctx.Close, nil
}

func run(out io.Writer, keepLeaks, adoptGL bool) error {
	e, err := Start(Config{ScreenWidth: 256, ScreenHeight: 128, Context: headless, Log: os.Stderr, AdoptGL: adoptGL,
		// Close writes its leak report here when something leaked; a clean Close writes nothing.
		Registry: gpureg.Options{LeakReport: gpureg.ReportText, LeakReportWriter: out}})
	if err != nil {
		return err
	}
	g := NewGame(e)
	lr, err := playLevel1(e, g, 5*time.Second)
	if err == nil {
		fmt.Fprintln(out, "level 1 unloaded; what it created is still here (gpureg.ReportSince):")
		err = e.ReportSince(out, lr.Checkpoint, gpureg.ReportText)
	}
	if !keepLeaks {
		g.CloseUI() // the game's fix: dispose the cached UI images at the end
	}
	g.Close()
	err = errors.Join(err, e.Shutdown())
	// The game lives until the engine is down: a collected Game would take its UI cache along,
	// and the GC cleanups would dispose the two "leaked" images before Close could see them.
	runtime.KeepAlive(g)
	if err == nil {
		fmt.Fprintln(out, "shutdown: Close printed nothing: nothing unexpected was left")
	}
	return err
}
