package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	gpureg "github.com/gpureg/gpureg/go"
)

// Config is what the engine needs from its host program.
type Config struct {
	ScreenWidth, ScreenHeight int
	// Context makes a GL 3.3+ core context current on the calling OS thread and returns the
	// function that destroys it. The engine calls both on its render thread, which is locked to
	// its OS thread first: a GL context is current on one thread only.
	Context func() (release func(), err error)
	// Registry is passed to gpureg.NewGL (leak report format and writer, frames in flight...).
	Registry gpureg.Options
	// Log receives the driver's debug messages of warning severity and above; nil drops them.
	Log io.Writer
	// AdoptGL: the engine makes its framebuffers, stencil renderbuffers, shaders, program,
	// vertex array and sampler itself with raw GL calls and hands each to gpureg
	// (AdoptGLObjectAt, GLAdoptDelete: gpureg deletes it after its fence). Otherwise gpureg
	// creates them (CreateRenderTargetAt, CreateShaderAt, ...). The pictures and the reports
	// are the same either way; textures and buffers are gpureg's in both.
	AdoptGL bool
}

// Engine is the game-facing side: any goroutine may call its methods. Everything that touches
// GL or gpureg's owner-only calls happens on the render thread, reached through queue.
type Engine struct {
	queue  chan command  // FIFO: commands run in the order the game issued them
	done   chan struct{} // closed when the render thread has exited
	screen *Image

	// Images whose GC cleanup ran, waiting for the render thread. A slice under a mutex rather
	// than the queue: a cleanup must never block, and the queue is bounded.
	gcMu    sync.Mutex
	gcInbox []*texture

	r renderer // render thread only
}

// command is one unit of work for the render thread.
type command func(r *renderer)

var errStopped = errors.New("engine: stopped")

// Start starts the render thread, makes the GL context and the gpureg registry there, and
// returns once both exist.
func Start(cfg Config) (*Engine, error) {
	if cfg.ScreenWidth <= 0 || cfg.ScreenHeight <= 0 || cfg.Context == nil {
		return nil, fmt.Errorf("engine: Config needs a screen size and a Context")
	}
	e := &Engine{queue: make(chan command, 256), done: make(chan struct{})}
	ready := make(chan error, 1)
	go e.renderThread(cfg, ready)
	if err := <-ready; err != nil {
		return nil, err
	}
	// The screen is the engine's own render target (headless, there is no default framebuffer
	// to present to). Like every image it is made at its first use; it lives until Shutdown.
	e.screen = e.newImage(cfg.ScreenWidth, cfg.ScreenHeight, gpureg.Caller(0), "engine screen", true, true)
	return e, nil
}

// renderThread owns the GL context and the registry for the engine's whole life.
func (e *Engine) renderThread(cfg Config, ready chan<- error) {
	// The goroutine stays on this OS thread: the GL context is current only here, and gpureg
	// makes the thread that calls NewGL the registry's owner (creates, frames, reports, Close).
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer close(e.done)
	release, err := cfg.Context()
	if err != nil {
		ready <- err
		return
	}
	defer release()
	reg, err := gpureg.NewGL(cfg.Registry)
	if err != nil {
		ready <- fmt.Errorf("engine: gpureg.NewGL: %w", err)
		return
	}
	if err := glInit(); err != nil {
		reg.Close()
		ready <- err
		return
	}
	r := &e.r
	*r = renderer{e: e, reg: reg, log: cfg.Log, adoptGL: cfg.AdoptGL}
	if err := reg.BeginFrame(); err != nil {
		reg.Close()
		ready <- err
		return
	}
	ready <- nil
	for !r.stopped {
		cmd := <-e.queue
		cmd(r)
	}
}

// enqueue hands a command to the render thread; false once the engine has stopped (commands
// for a stopped engine, such as a late Dispose, are dropped: Close has destroyed everything).
func (e *Engine) enqueue(c command) bool {
	select {
	case e.queue <- c:
		return true
	case <-e.done:
		return false
	}
}

// call runs fn on the render thread and waits for its answer.
func (e *Engine) call(fn func(r *renderer) error) error {
	reply := make(chan error, 1)
	if !e.enqueue(func(r *renderer) { reply <- fn(r) }) {
		return errStopped
	}
	select {
	case err := <-reply:
		return err
	case <-e.done: // the render thread may have answered just before stopping
		select {
		case err := <-reply:
			return err
		default:
			return errStopped
		}
	}
}

// Screen is the image presented at the end of every frame.
func (e *Engine) Screen() *Image { return e.screen }

// EndFrame ends the frame the game drew and waits until the render thread has submitted it,
// as a swap with vsync would: the game cannot run ahead of the GPU by more than one frame.
func (e *Engine) EndFrame() error { return e.call((*renderer).endFrame) }

// Checkpoint marks now in the registry's history, on the render thread so that it falls exactly
// between the images created by commands issued before it and those issued after.
func (e *Engine) Checkpoint() (gpureg.Checkpoint, error) {
	var cp gpureg.Checkpoint
	err := e.call(func(r *renderer) error {
		cp = r.reg.CheckpointNow()
		return r.err
	})
	return cp, err
}

// ReportSince writes what was created after cp and is still on the GPU (gpureg's report).
func (e *Engine) ReportSince(w io.Writer, cp gpureg.Checkpoint, format gpureg.ReportFormat) error {
	return e.call(func(r *renderer) error { return r.reg.ReportSince(w, cp, format) })
}

// ReportSinceJSON is ReportSince parsed.
func (e *Engine) ReportSinceJSON(cp gpureg.Checkpoint) (gpureg.ReportData, error) {
	var d gpureg.ReportData
	err := e.call(func(r *renderer) (err error) {
		d, err = r.reg.ReportSinceJSON(cp)
		return err
	})
	return d, err
}

// ReportJSON is gpureg's whole report, parsed: everything alive or pending, whenever created.
func (e *Engine) ReportJSON() (gpureg.ReportData, error) {
	var d gpureg.ReportData
	err := e.call(func(r *renderer) (err error) {
		d, err = r.reg.ReportJSON()
		return err
	})
	return d, err
}

// Stats are the engine's counters and gpureg's.
type Stats struct {
	Frames          int
	ImagesCreated   int // images made on the GPU (lazily, at first use), the atlas included
	ImagesDisposed  int // by Image.Dispose
	ImagesCollected int // by the GC cleanup of an image the game dropped
	Flushes         int // draw calls
	GLErrors        int // driver debug messages of error severity the engine polled
	Registry        gpureg.Stats
	GL              gpureg.GLInfo
}

// Stats reads the counters on the render thread.
func (e *Engine) Stats() (Stats, error) {
	var s Stats
	err := e.call(func(r *renderer) (err error) {
		s = r.stats
		if s.Registry, err = r.reg.Stats(); err != nil {
			return err
		}
		if s.GL, err = r.reg.GLInfo(); err != nil {
			return err
		}
		return r.err
	})
	return s, err
}

// ReadPixels reads an image back (RGBA, rows of its width), after the draws issued before it.
func (e *Engine) ReadPixels(img *Image) ([]byte, error) {
	img.mustLive()
	pix := make([]byte, 4*img.t.w*img.t.h)
	err := e.call(func(r *renderer) error {
		if r.batch.uses(img.t) {
			r.flush()
		}
		if !r.ensure(img.t) {
			return r.err
		}
		return r.reg.ReadTexturePixels(img.t.tex, gpureg.Region{}, pix)
	})
	return pix, err
}

// Shutdown disposes what the GC already collected and closes the registry, which destroys every
// GPU object left: nil when nothing unexpected is left, else the *gpureg.LeakError naming the
// game's lines that created what leaked. The engine's own long-lived objects (screen, atlas,
// vertex and index buffers, shaders, program, vertex array, sampler) are marked expected at
// shutdown and are no leaks.
func (e *Engine) Shutdown() error {
	err := e.call((*renderer).shutdown)
	<-e.done
	return err
}

// collected is the images' GC cleanup (see Image): any goroutine; it only queues.
func (e *Engine) collected(t *texture) {
	e.gcMu.Lock()
	e.gcInbox = append(e.gcInbox, t)
	e.gcMu.Unlock()
}

// renderer is the render thread's state. Only the render thread touches it.
type renderer struct {
	e        *Engine
	reg      *gpureg.Registry
	log      io.Writer
	adoptGL  bool
	err      error // the first failure: every later synchronous call answers it
	stopped  bool
	pipeline pipeline
	batch    batch
	atlas    *texture
	stats    Stats
}

// check records the first failure.
func (r *renderer) check(err error) bool {
	if err != nil && r.err == nil {
		r.err = err
	}
	return err == nil
}

func (r *renderer) endFrame() error {
	r.flush()
	r.disposeCollected() // after the flush: no batched draw names them any more
	r.pollMessages()
	r.check(r.reg.EndFrame())   // records the frame's fence
	r.check(r.reg.BeginFrame()) // destroys what frames the GPU has finished released
	r.stats.Frames++
	return r.err
}

// disposeCollected disposes the images whose GC cleanup ran since the last frame.
func (r *renderer) disposeCollected() {
	r.e.gcMu.Lock()
	inbox := r.e.gcInbox
	r.e.gcInbox = nil
	r.e.gcMu.Unlock()
	for _, t := range inbox {
		r.dispose(t)
		r.stats.ImagesCollected++
	}
}

// pollMessages drains the driver's debug messages (gpureg polls them; nothing calls back).
func (r *renderer) pollMessages() {
	msgs, err := r.reg.Messages()
	r.check(err)
	for _, m := range msgs {
		if m.Severity >= 3 {
			r.stats.GLErrors++
		}
		if m.Severity >= 2 && r.log != nil {
			fmt.Fprintf(r.log, "engine: GL debug message (severity %d, id %d, handle %v): %s\n",
				m.Severity, m.ID, m.Handle, m.Text)
		}
	}
}

func (r *renderer) shutdown() error {
	r.stopped = true
	r.flush()
	r.disposeCollected()
	r.pollMessages()
	r.batch.free()
	// Every GPU object is gpureg's, made or adopted: Close destroys them while the context is
	// current, and reports what the game leaked.
	err := r.reg.Close()
	if r.stats.GLErrors > 0 {
		err = errors.Join(fmt.Errorf("engine: %d GL error messages", r.stats.GLErrors), err)
	}
	return errors.Join(r.err, err)
}
