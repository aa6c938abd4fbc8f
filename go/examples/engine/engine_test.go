package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	gpureg "github.com/gpureg/gpureg/go"
)

// settleTimeout bounds the wait for GC cleanups and fences (settle): generous, since the loop
// ends as soon as the counters say so.
const settleTimeout = 5 * time.Second

func startEngine(t *testing.T) *Engine {
	t.Helper()
	var log bytes.Buffer // the driver's warnings and errors, shown if the test fails
	e, err := Start(Config{ScreenWidth: 256, ScreenHeight: 128, Context: headless, Log: &log})
	if err != nil {
		t.Fatalf("%v (set XDG_RUNTIME_DIR; the GL tests need Mesa llvmpipe through EGL)", err)
	}
	t.Cleanup(func() {
		e.Shutdown() // a no-op (errStopped) when the test already shut it down
		if log.Len() > 0 {
			t.Logf("GL debug messages:\n%s", log.String())
		}
	})
	return e
}

// leakLines are the lines of game.go marked "leaked on purpose": the game's NewImage calls the
// report must name, found in the source so the test does not hard-code line numbers.
func leakLines(t *testing.T) map[int]bool {
	t.Helper()
	f, err := os.Open("game.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := map[int]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if l := sc.Text(); strings.Contains(l, "NewImage(") && strings.Contains(l, "// leaked on purpose") {
			lines[n] = true
		}
	}
	if len(lines) != 2 {
		t.Fatalf("game.go has %d NewImage lines marked leaked on purpose, want 2", len(lines))
	}
	return lines
}

// checkLeaks fails unless objs are exactly one texture per marked line, each named by the
// game's file:line and function, never by the engine's files.
func checkLeaks(t *testing.T, what string, objs []gpureg.ReportObject, lines map[int]bool) {
	t.Helper()
	if len(objs) != len(lines) {
		t.Fatalf("%s: %d objects, want exactly the %d leaked on purpose: %s", what, len(objs), len(lines),
			gpureg.SummarizeSites(objs))
	}
	seen := map[int]bool{}
	for _, o := range objs {
		found := false
		for line := range lines {
			if strings.Contains(o.Site, fmt.Sprintf("/examples/engine/game.go:%d (", line)) {
				found, seen[line] = !seen[line], true
			}
		}
		if !found || !strings.HasSuffix(o.Site, ".(*Game).LoadLevel1)") || o.Type != "texture" ||
			o.State != "alive" {
			t.Errorf("%s: %+v: want an alive texture created at a marked line of game.go %v by LoadLevel1",
				what, o, lines)
		}
	}
}

func TestLevelUnloadReportsExactlyTheTwoLeaks(t *testing.T) {
	e := startEngine(t)
	g := NewGame(e)
	run, err := playLevel1(e, g, settleTimeout)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.ReportSinceJSON(run.Checkpoint)
	if err != nil {
		t.Fatal(err)
	}
	lines := leakLines(t)
	checkLeaks(t, "ReportSinceJSON", d.Objects, lines)
	if d.Live != 2 || d.Pending != 0 {
		t.Errorf("report since the checkpoint: live %d, pending %d; want 2, 0", d.Live, d.Pending)
	}
	// The glyph cache, on the GPU since before the checkpoint and alive for the whole game, is
	// left out of the report since the checkpoint; the whole report has it.
	all, err := e.ReportJSON()
	if err != nil {
		t.Fatal(err)
	}
	glyphs := 0
	for _, o := range all.Objects {
		if strings.HasSuffix(o.Site, ".NewGame)") {
			glyphs++
		}
	}
	if len(all.Objects) != 3 || glyphs != 1 {
		t.Errorf("whole report: %s; want the two leaks and the glyph cache", gpureg.SummarizeSites(all.Objects))
	}

	// The engine's own long-lived objects, made lazily after the checkpoint, are listed apart.
	want := map[string]string{"engine screen": "texture", "engine atlas": "texture",
		"engine vertices": "buffer", "engine indices": "buffer"}
	if d.ExpectedCount != uint64(len(want)) || len(d.Expected) != len(want) {
		t.Errorf("expected at shutdown: %d (%d listed), want %d", d.ExpectedCount, len(d.Expected), len(want))
	}
	for _, o := range d.Expected {
		if o.Label == nil || want[*o.Label] != o.Type || strings.Contains(o.Site, "game.go") {
			t.Errorf("expected at shutdown: unexpected %+v", o)
			continue
		}
		delete(want, *o.Label)
	}
	if len(want) > 0 {
		t.Errorf("not listed as expected at shutdown: %v", want)
	}

	var text bytes.Buffer
	if err := e.ReportSince(&text, run.Checkpoint, gpureg.ReportText); err != nil {
		t.Fatal(err)
	}
	for line := range lines {
		if !strings.Contains(text.String(), fmt.Sprintf("game.go:%d (", line)) ||
			!strings.Contains(text.String(), ".(*Game).LoadLevel1): 1 object") {
			t.Errorf("text report does not group a leak under game.go:%d:\n%s", line, text.String())
		}
	}
	if !strings.Contains(text.String(), "expected at shutdown (not leaks): 4 objects") {
		t.Errorf("text report does not list the engine's objects apart:\n%s", text.String())
	}

	// The frames were really drawn, through gpureg's buffers and textures.
	at := func(x, y int) color.NRGBA {
		p := run.Screen[4*(y*256+x):]
		return color.NRGBA{R: p[0], G: p[1], B: p[2], A: p[3]}
	}
	if c := at(playerX+8, playerY+8); c != hero {
		t.Errorf("player pixel %v, want %v", c, hero)
	}
	if c := at(10, 8); c != health {
		t.Errorf("HUD health bar pixel %v, want %v", c, health)
	}
	if c := at(110, 6); c != ink { // the glyph cache, drawn into the HUD
		t.Errorf("HUD glyph pixel %v, want %v", c, ink)
	}

	s, err := e.Stats()
	if err != nil {
		t.Fatal(err)
	}
	checkNoGLErrors(t, s)
	// Glyphs, background, 4 tiles, player, 3 enemies, 2 UI images, one particle a frame.
	if n := 12 + levelFrames; s.ImagesCreated != n+2 { // + screen and atlas
		t.Errorf("%d textures created, want %d", s.ImagesCreated, n+2)
	}
	if s.ImagesDisposed != 6 || s.ImagesCollected != g.Dropped {
		t.Errorf("disposed %d (want 6), collected by GC %d (want %d)", s.ImagesDisposed, s.ImagesCollected,
			g.Dropped)
	}
	t.Logf("%d frames, %d draw calls; report since checkpoint %d:\n%s", s.Frames, s.Flushes, run.Checkpoint,
		text.String())

	g.CloseUI() // the game disposes the two at the very end...
	g.Close()   // ...and its glyph cache: nothing unexpected is left
	if err := e.Shutdown(); err != nil {
		t.Fatalf("Shutdown after the game disposed the leaked images: %v", err)
	}
}

func TestShutdownNamesTheTwoLeaksWhenTheyStay(t *testing.T) {
	e := startEngine(t)
	g := NewGame(e)
	if _, err := playLevel1(e, g, settleTimeout); err != nil {
		t.Fatal(err)
	}
	s, err := e.Stats()
	if err != nil {
		t.Fatal(err)
	}
	checkNoGLErrors(t, s)
	g.Close()          // the glyph cache goes, as at every exit
	err = e.Shutdown() // but g.ui still holds the two images...
	// ...as long as the game is alive: a game the GC collected would take its cache along, and
	// the engine's cleanups would dispose the two images before Close.
	runtime.KeepAlive(g)
	var le *gpureg.LeakError
	if !errors.As(err, &le) || !errors.Is(err, gpureg.ErrLeaked) {
		t.Fatalf("Shutdown = %v, want a *gpureg.LeakError", err)
	}
	if le.Count != 2 {
		t.Errorf("LeakError.Count = %d, want 2 (the engine's expected objects are no leaks)", le.Count)
	}
	checkLeaks(t, "LeakError", le.Objects, leakLines(t))
	t.Log(err)
}

func checkNoGLErrors(t *testing.T, s Stats) {
	t.Helper()
	if s.GL.Features&gpureg.GLFeatureDebug == 0 {
		t.Fatalf("GL debug output is off (GLInfo %+v): zero GL errors would prove nothing", s.GL)
	}
	if s.Registry.ErrorMessages != 0 || s.GLErrors != 0 {
		t.Errorf("GL errors: %d error messages seen by gpureg, %d polled by the engine",
			s.Registry.ErrorMessages, s.GLErrors)
	}
}
