package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"maps"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	gpureg "github.com/gpureg/gpureg/go"
)

// settleTimeout bounds the wait for GC cleanups and fences (settle): generous, since the loop
// ends as soon as the counters say so.
const settleTimeout = 5 * time.Second

// paths are the engine's two ways to its GL objects: gpureg creates them, or the engine makes
// them with raw GL and gpureg adopts them. Every scenario test runs both.
var paths = []struct {
	name  string
	adopt bool
}{{"created", false}, {"adopted", true}}

func bothPaths(t *testing.T, test func(t *testing.T, adopt bool)) {
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) { test(t, p.adopt) })
	}
}

// startEngine starts an engine whose Close writes its leak report (text) to leakReport (nil:
// a buffer the test does not read).
func startEngine(t *testing.T, adopt bool, leakReport *bytes.Buffer) *Engine {
	t.Helper()
	if leakReport == nil {
		leakReport = new(bytes.Buffer)
	}
	var log bytes.Buffer // the driver's warnings and errors, shown if the test fails
	e, err := Start(Config{ScreenWidth: 256, ScreenHeight: 128, Context: headless, Log: &log, AdoptGL: adopt,
		Registry: gpureg.Options{LeakReport: gpureg.ReportText, LeakReportWriter: leakReport}})
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

// play starts an engine and a game and plays level 1 up to the settled unload.
func play(t *testing.T, adopt bool, leakReport *bytes.Buffer) (*Engine, *Game, levelRun) {
	t.Helper()
	e := startEngine(t, adopt, leakReport)
	g := NewGame(e)
	run, err := playLevel1(e, g, settleTimeout)
	if err != nil {
		t.Fatal(err)
	}
	checkNoGLErrors(t, e)
	return e, g, run
}

func checkNoGLErrors(t *testing.T, e *Engine) {
	t.Helper()
	s, err := e.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if s.GL.Features&gpureg.GLFeatureDebug == 0 {
		t.Fatalf("GL debug output is off (GLInfo %+v): zero GL errors would prove nothing", s.GL)
	}
	if s.Registry.ErrorMessages != 0 || s.GLErrors != 0 {
		t.Errorf("GL errors: %d error messages seen by gpureg, %d polled by the engine",
			s.Registry.ErrorMessages, s.GLErrors)
	}
}

// leakLines are the lines of game.go marked "leaked on purpose": the game's NewImage calls the
// reports must name, found in the source so the test does not hard-code line numbers.
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

// group is the text report's heading of the objects created at line of game.go, up to its
// byte count: "at .../game.go:125 (....(*Game).LoadLevel1): 3 objects"; "" if none.
func group(report string, line int) string {
	for _, l := range strings.Split(report, "\n") {
		if strings.HasPrefix(l, "at ") && strings.Contains(l, fmt.Sprintf("/game.go:%d (", line)) {
			heading, _, _ := strings.Cut(l, ", ")
			return heading
		}
	}
	return ""
}

// bySite is the line of Close's report ("by creation site:") counting the objects created at
// line of game.go by LoadLevel1; "" if none.
func bySite(report string, line int) string {
	_, sites, _ := strings.Cut(report, "by creation site:\n")
	for _, l := range strings.Split(sites, "\n") {
		if strings.Contains(l, fmt.Sprintf("/game.go:%d (", line)) && strings.HasSuffix(l, ".(*Game).LoadLevel1)") {
			return l
		}
	}
	return ""
}

// unitKinds are the kinds of one image's render-target unit.
var unitKinds = []string{"framebuffer", "renderbuffer", "texture"}

// checkLeaks fails unless objs are exactly one render-target unit (texture, framebuffer,
// stencil renderbuffer depending on it) per marked line, alive, each named by the game's
// file:line and function, never by the engine's files; the framebuffers and renderbuffers are
// adopted on the adopt path only.
func checkLeaks(t *testing.T, what string, objs []gpureg.ReportObject, adopt bool) {
	t.Helper()
	lines := leakLines(t)
	if len(objs) != 3*len(lines) {
		t.Fatalf("%s: %d objects, want the %d leaked on purpose: %s", what, len(objs), 3*len(lines),
			gpureg.SummarizeSites(objs))
	}
	for line := range lines {
		site := fmt.Sprintf("/examples/engine/game.go:%d (", line)
		var kinds []string
		texture := ""
		for _, o := range objs {
			if strings.Contains(o.Site, site) {
				kinds = append(kinds, o.Type)
				if o.Type == "texture" {
					texture = o.Handle
				}
			}
		}
		slices.Sort(kinds)
		if !slices.Equal(kinds, unitKinds) {
			t.Errorf("%s: game.go:%d created %v, want one of each of %v", what, line, kinds, unitKinds)
		}
		for _, o := range objs {
			if !strings.Contains(o.Site, site) {
				continue
			}
			if !strings.HasSuffix(o.Site, ".(*Game).LoadLevel1)") || o.State != "alive" {
				t.Errorf("%s: %+v: want alive, created by LoadLevel1", what, o)
			}
			if o.Type != "texture" && (o.Parent != texture || o.Adopted != adopt) {
				t.Errorf("%s: %s %s: parent %q adopted %v, want parent %s (its texture) adopted %v", what, o.Type,
					o.Handle, o.Parent, o.Adopted, texture, adopt)
			}
			if o.Type == "texture" && (o.Parent != "" || o.Adopted) {
				t.Errorf("%s: texture %+v: want gpureg's own, with no parent", what, o)
			}
		}
	}
	for _, o := range objs {
		if !strings.Contains(o.Site, "/examples/engine/game.go:") {
			t.Errorf("%s: %+v is not at a line of the game", what, o)
		}
	}
}

// expectedObjects are the engine's own objects, made lazily after the checkpoint and kept for
// the whole game: label to kind.
var expectedObjects = map[string]string{
	"engine screen": "texture", "engine screen framebuffer": "framebuffer",
	"engine screen depth-stencil": "renderbuffer", "engine atlas": "texture",
	"engine vertices": "buffer", "engine indices": "buffer",
	"engine vertex shader": "shader", "engine fragment shader": "shader", "engine program": "program",
	"engine vertex array": "vertex_array", "engine sampler": "sampler",
}

func TestCheckpointReportListsOnlyTheLevelsLeaksAtTheGamesLines(t *testing.T) {
	bothPaths(t, func(t *testing.T, adopt bool) {
		e, g, run := play(t, adopt, nil)
		d, err := e.ReportSinceJSON(run.Checkpoint)
		if err != nil {
			t.Fatal(err)
		}
		checkLeaks(t, "ReportSinceJSON", d.Objects, adopt)
		if d.Live != 6 || d.Pending != 0 {
			t.Errorf("report since the checkpoint: live %d, pending %d; want 6, 0", d.Live, d.Pending)
		}
		// The glyph cache and the minimap's mask, on the GPU since before the checkpoint and
		// alive for the whole game, are left out of the report since; the whole report has them.
		all, err := e.ReportJSON()
		if err != nil {
			t.Fatal(err)
		}
		before := 0
		for _, o := range all.Objects {
			if strings.HasSuffix(o.Site, ".NewGame)") {
				before++
			}
		}
		if len(all.Objects) != 12 || before != 6 {
			t.Errorf("whole report: %s; want the two leaks and the game's two images, three objects each",
				gpureg.SummarizeSites(all.Objects))
		}

		var text bytes.Buffer
		if err := e.ReportSince(&text, run.Checkpoint, gpureg.ReportText); err != nil {
			t.Fatal(err)
		}
		for line := range leakLines(t) {
			if !strings.HasSuffix(group(text.String(), line), ".(*Game).LoadLevel1): 3 objects") {
				t.Errorf("text report does not group a leak's three objects under game.go:%d:\n%s", line, text.String())
			}
		}
		for _, kind := range unitKinds {
			if !regexp.MustCompile(`\n  ` + kind + ` +2 objects`).MatchString(text.String()) {
				t.Errorf("text report's by-kind section lacks 2 %ss:\n%s", kind, text.String())
			}
		}
		t.Logf("report since checkpoint %d:\n%s", run.Checkpoint, text.String())
		g.CloseUI()
		g.Close()
	})
}

func TestEnginesObjectsAreExpectedAtShutdownAndListedApart(t *testing.T) {
	bothPaths(t, func(t *testing.T, adopt bool) {
		e, _, run := play(t, adopt, nil)
		d, err := e.ReportSinceJSON(run.Checkpoint)
		if err != nil {
			t.Fatal(err)
		}
		want := maps.Clone(expectedObjects)
		if d.ExpectedCount != uint64(len(want)) || len(d.Expected) != len(want) {
			t.Errorf("expected at shutdown: %d (%d listed), want %d", d.ExpectedCount, len(d.Expected), len(want))
		}
		for _, o := range d.Expected {
			// Textures and buffers are gpureg's on both paths; every other kind is adopted on one.
			made := o.Type == "texture" || o.Type == "buffer"
			if o.Label == nil || want[*o.Label] != o.Type || strings.Contains(o.Site, "game.go") ||
				o.State != "alive" || o.Adopted != (adopt && !made) {
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
		if !strings.Contains(text.String(), "expected at shutdown (not leaks): 11 objects") {
			t.Errorf("text report does not list the engine's 11 objects apart:\n%s", text.String())
		}
	})
}

func TestShutdownReportNamesTheGamesLinesAndCountsNoExpectedObject(t *testing.T) {
	bothPaths(t, func(t *testing.T, adopt bool) {
		var report bytes.Buffer
		e, g, _ := play(t, adopt, &report)
		g.Close()           // the glyph cache and the mask go, as at every exit
		err := e.Shutdown() // but g.ui still holds the two images...
		// ...as long as the game is alive: a game the GC collected would take its cache along,
		// and the engine's cleanups would dispose the two images before Close.
		runtime.KeepAlive(g)
		var le *gpureg.LeakError
		if !errors.As(err, &le) || !errors.Is(err, gpureg.ErrLeaked) {
			t.Fatalf("Shutdown = %v, want a *gpureg.LeakError", err)
		}
		if le.Count != 6 {
			t.Errorf("LeakError.Count = %d, want 6 (the engine's expected objects are no leaks)", le.Count)
		}
		checkLeaks(t, "LeakError", le.Objects, adopt)
		text := report.String()
		leaks, expected, _ := strings.Cut(text, "expected at shutdown (not leaks): 11 objects")
		if !strings.Contains(leaks, "6 leaked objects at shutdown") || expected == "" {
			t.Errorf("Close's report: want 6 leaks, then the engine's 11 objects apart:\n%s", text)
		}
		for line := range leakLines(t) {
			if !strings.Contains(bySite(leaks, line), " 3 objects ") {
				t.Errorf("Close's report does not name game.go:%d:\n%s", line, text)
			}
		}
		for _, file := range []string{"engine.go", "batch.go", "pipeline.go", "image.go", "target.go"} {
			if strings.Contains(leaks, file) {
				t.Errorf("Close's report names the engine's %s among the leaks:\n%s", file, leaks)
			}
		}
		t.Log(err)
	})
}

func TestCleanShutdownPrintsNothing(t *testing.T) {
	bothPaths(t, func(t *testing.T, adopt bool) {
		var report bytes.Buffer
		e, g, _ := play(t, adopt, &report)
		g.CloseUI() // the game disposes the two at the very end...
		g.Close()   // ...and its glyph cache and mask: nothing unexpected is left
		if err := e.Shutdown(); err != nil {
			t.Fatalf("Shutdown after the game disposed everything: %v", err)
		}
		if report.Len() != 0 {
			t.Errorf("a clean Close wrote:\n%s", report.String())
		}
	})
}

func TestLevelIsDrawn(t *testing.T) {
	bothPaths(t, func(t *testing.T, adopt bool) {
		_, _, run := play(t, adopt, nil)
		at := func(x, y int) color.NRGBA {
			p := run.Screen[4*(y*256+x):]
			return color.NRGBA{R: p[0], G: p[1], B: p[2], A: p[3]}
		}
		for _, c := range []struct {
			what string
			x, y int
			want color.NRGBA
		}{
			{"player", playerX + 8, playerY + 8, hero},
			{"HUD health bar", 10, 8, health},
			{"HUD glyph (the glyph cache, drawn into the HUD)", 110, 6, ink},
			// The minimap is drawn through its elliptic mask (the stencil): its corner shows the
			// sky behind, its middle the player's dot.
			{"minimap corner, outside the mask", minimapX, 0, sky},
			{"minimap player dot, inside the mask", minimapX + playerX/4 + 2, playerY/4 + 2, hero},
		} {
			if got := at(c.x, c.y); got != c.want {
				t.Errorf("%s at %d,%d: %v, want %v", c.what, c.x, c.y, got, c.want)
			}
		}
		if got := at(minimapX+minimapWidth/2, 4); got == sky {
			t.Errorf("minimap inside the mask at %d,4 shows the sky: the minimap was not drawn", minimapX+minimapWidth/2)
		}
	})
}

// shapes are the report objects without their handles (a parent by its label), sorted.
func shapes(objs []gpureg.ReportObject) []string {
	labels := map[string]string{}
	for _, o := range objs {
		labels[o.Handle] = *o.Label
	}
	var s []string
	for _, o := range objs {
		s = append(s, fmt.Sprintf("%s %q at %s, %d B, %s, parent %q", o.Type, *o.Label, o.Site, o.Bytes, o.State,
			labels[o.Parent]))
	}
	slices.Sort(s)
	return s
}

func TestBothPathsDrawTheSamePictureAndReportTheSame(t *testing.T) {
	var screens [][]byte
	var reports []gpureg.ReportData
	for _, p := range paths {
		e, _, run := play(t, p.adopt, nil)
		d, err := e.ReportSinceJSON(run.Checkpoint)
		if err != nil {
			t.Fatal(err)
		}
		screens, reports = append(screens, run.Screen), append(reports, d)
	}
	if !bytes.Equal(screens[0], screens[1]) {
		t.Errorf("the screens differ between the created and the adopted objects")
	}
	if a, b := shapes(reports[0].Objects), shapes(reports[1].Objects); !slices.Equal(a, b) {
		t.Errorf("the leaks differ:\ncreated: %q\nadopted: %q", a, b)
	}
	if a, b := shapes(reports[0].Expected), shapes(reports[1].Expected); !slices.Equal(a, b) {
		t.Errorf("the expected objects differ:\ncreated: %q\nadopted: %q", a, b)
	}
}

func TestRenderTargetsComeAndGoInStepWithTheirTextures(t *testing.T) {
	bothPaths(t, func(t *testing.T, adopt bool) {
		e, g, _ := play(t, adopt, nil)
		s, err := e.Stats()
		if err != nil {
			t.Fatal(err)
		}
		tex, fb, rb := s.Registry.ByKind[gpureg.KindTexture], s.Registry.ByKind[gpureg.KindFramebuffer],
			s.Registry.ByKind[gpureg.KindRenderbuffer]
		// Screen, glyphs, mask, background, 4 tiles, player, 3 enemies, 2 UI images, one
		// particle a frame: each a unit; the atlas is the one texture without a framebuffer.
		units := uint64(14 + levelFrames)
		if s.ImagesCreated != int(units)+1 || tex.CreatedTotal != units+1 || fb.CreatedTotal != units ||
			rb.CreatedTotal != units {
			t.Errorf("created: %d images, %d textures, %d framebuffers, %d renderbuffers; want %d, %d, %d, %d",
				s.ImagesCreated, tex.CreatedTotal, fb.CreatedTotal, rb.CreatedTotal, units+1, units+1, units, units)
		}
		gone := uint64(s.ImagesDisposed + s.ImagesCollected)
		if s.ImagesDisposed != 6 || s.ImagesCollected != g.Dropped || tex.DestroyedTotal != gone ||
			fb.DestroyedTotal != gone || rb.DestroyedTotal != gone {
			t.Errorf("disposed %d (want 6), collected %d (want %d); destroyed %d textures, %d framebuffers, "+
				"%d renderbuffers, want %d each", s.ImagesDisposed, s.ImagesCollected, g.Dropped, tex.DestroyedTotal,
				fb.DestroyedTotal, rb.DestroyedTotal, gone)
		}
		if fb.LiveCount != tex.LiveCount-1 || rb.LiveCount != fb.LiveCount || fb.PendingCount+rb.PendingCount != 0 {
			t.Errorf("live: %d textures, %d framebuffers, %d renderbuffers (pending %d, %d); want one framebuffer "+
				"and one renderbuffer per texture but the atlas", tex.LiveCount, fb.LiveCount, rb.LiveCount,
				fb.PendingCount, rb.PendingCount)
		}
	})
}

// unit answers img's three handles, after the commands issued before.
func unit(t *testing.T, e *Engine, img *Image) []gpureg.Handle {
	t.Helper()
	var hs []gpureg.Handle
	if err := e.call(func(r *renderer) error {
		if img.t.tex != 0 {
			hs = img.t.handles()
		}
		return r.err
	}); err != nil || len(hs) != 3 {
		t.Fatalf("the image's objects: %v, %v", hs, err)
	}
	return hs
}

func states(t *testing.T, e *Engine, hs []gpureg.Handle) []gpureg.State {
	t.Helper()
	var st []gpureg.State
	if err := e.call(func(r *renderer) error {
		for _, h := range hs {
			st = append(st, r.reg.State(h))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestDisposeDefersTheWholeUnitToTheFrameFence(t *testing.T) {
	bothPaths(t, func(t *testing.T, adopt bool) {
		e := startEngine(t, adopt, nil)
		img := e.NewImage(8, 8)
		img.Fill(hero)
		e.Screen().DrawImage(img, 0, 0) // used by this frame's draws
		hs := unit(t, e, img)           // texture, framebuffer, renderbuffer
		var infos []gpureg.Info
		if err := e.call(func(r *renderer) error {
			for _, h := range hs {
				in, err := r.reg.Info(h)
				if err != nil {
					return err
				}
				infos = append(infos, in)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if in := infos[0]; in.Kind != gpureg.KindTexture || in.Texture.Sampler != engineSampling || in.Adopted {
			t.Errorf("texture: %+v, want gpureg's with the engine's sampling", in)
		}
		if in := infos[1]; in.Kind != gpureg.KindFramebuffer || in.Parent != hs[0] || in.Adopted != adopt {
			t.Errorf("framebuffer: %+v, want one depending on %v, adopted %v", in, hs[0], adopt)
		}
		if in := infos[2]; in.Kind != gpureg.KindRenderbuffer || in.Parent != hs[0] || in.Adopted != adopt ||
			in.Object.Format != gpureg.FormatS8Uint || in.Object.Width != 8 || in.Object.Height != 8 {
			t.Errorf("renderbuffer: %+v, want an 8x8 stencil depending on %v, adopted %v", in, hs[0], adopt)
		}

		img.Dispose()
		want := []gpureg.State{gpureg.StateReleased, gpureg.StateReleased, gpureg.StateReleased}
		if st := states(t, e, hs); !slices.Equal(st, want) {
			t.Errorf("after Dispose, in the frame that drew it: %v, want %v until its fence", st, want)
		}
		if err := settle(e, 0, settleTimeout); err != nil {
			t.Fatal(err)
		}
		want = []gpureg.State{gpureg.StateDestroyed, gpureg.StateDestroyed, gpureg.StateDestroyed}
		if st := states(t, e, hs); !slices.Equal(st, want) {
			t.Errorf("after the frame's fence: %v, want %v", st, want)
		}
		checkNoGLErrors(t, e)
	})
}

func TestVertexAndIndexBuffersAreStreamBuffers(t *testing.T) {
	e, _, _ := play(t, false, nil)
	var ups []gpureg.BufferUpdate
	if err := e.call(func(r *renderer) error {
		for _, b := range []gpureg.Buffer{r.batch.vbo, r.batch.ibo} {
			in, err := r.reg.Info(b.Handle())
			if err != nil {
				return err
			}
			ups = append(ups, in.Buffer.Update)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []gpureg.BufferUpdate{gpureg.UpdateStream, gpureg.UpdateStream}; !slices.Equal(ups, want) {
		t.Errorf("vertex and index buffer updates %v, want %v (rewritten at every flush)", ups, want)
	}
}
