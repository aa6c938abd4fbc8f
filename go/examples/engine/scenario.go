package main

import (
	"fmt"
	"runtime"
	"time"

	gpureg "github.com/gpureg/gpureg/go"
)

// levelFrames is how many frames level 1 runs.
const levelFrames = 3

// levelRun is what the scripted scenario leaves for the report and the test.
type levelRun struct {
	Checkpoint gpureg.Checkpoint // taken before level 1 loaded
	Screen     []byte            // the screen after level 1's last frame (RGBA, 256x128)
}

// playLevel1 is the scripted scenario: a checkpoint, level 1 loads and runs a few frames, the
// level is unloaded, and frames and GCs run until what the game dropped has been disposed.
// What is still on the GPU since the checkpoint is then exactly what level 1 leaked.
func playLevel1(e *Engine, g *Game, timeout time.Duration) (levelRun, error) {
	var run levelRun
	// The game started: its glyph cache is on the GPU before the checkpoint (and stays for the
	// whole game), so the report since the checkpoint must leave it out.
	if err := e.EndFrame(); err != nil {
		return run, err
	}
	// Before the level, and before the engine's first draw: the engine's own lazily made
	// objects (screen, atlas, buffers, shaders and the rest of the pipeline) come after it, and
	// the report must list them apart as expected at shutdown rather than as the level's leaks.
	cp, err := e.Checkpoint()
	if err != nil {
		return run, err
	}
	run.Checkpoint = cp
	g.LoadLevel1()
	for range levelFrames {
		g.Draw(e.Screen())
		if err := e.EndFrame(); err != nil {
			return run, err
		}
	}
	if run.Screen, err = e.ReadPixels(e.Screen()); err != nil {
		return run, err
	}
	g.UnloadLevel1()
	return run, settle(e, g.Dropped, timeout)
}

// settle runs GCs and frames until the engine has disposed every image the game dropped and no
// released object (texture, framebuffer, renderbuffer, ...) waits for its fence any more. The GC runs cleanups when it
// decides, and gpureg destroys a released texture only once the frame that last used it has
// finished on the GPU: looping on the counters, bounded by timeout, makes the scenario
// independent of both timings.
func settle(e *Engine, dropped int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		runtime.GC()
		if err := e.EndFrame(); err != nil {
			return err
		}
		s, err := e.Stats()
		if err != nil {
			return err
		}
		var pending uint64
		for _, k := range s.Registry.ByKind {
			pending += k.PendingCount
		}
		if s.ImagesCollected >= dropped && pending == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("engine: after %v, the GC cleanups of %d of the %d dropped images ran and "+
				"%d released objects still wait for their fence", timeout, s.ImagesCollected, dropped, pending)
		}
		time.Sleep(time.Millisecond)
	}
}
