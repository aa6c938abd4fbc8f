package main

import (
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSprites(t *testing.T) {
	out := filepath.Join(t.TempDir(), "frame.png")
	s, err := run(out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != screenW || b.Dy() != screenH {
		t.Fatalf("frame.png is %v", b)
	}
	at := func(x, y int) color.NRGBA { return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA) }
	core := color.NRGBA{R: 255, G: 220, B: 40, A: 255}
	for _, p := range s.SpriteAt {
		if c := at(p[0]+7, p[1]+7); c != core {
			t.Errorf("sprite at %v: centre is %v, want %v", p, c, core)
		}
		if c := at(p[0], p[1]); c != background { // transparent corner blends to the background
			t.Errorf("sprite at %v: corner is %v, want the background", p, c)
		}
	}
	if c := at(s.ParticleAt[0]+1, s.ParticleAt[1]+1); c != s.Particle {
		t.Errorf("particle: %v, want %v", c, s.Particle)
	}
	if c := at(screenW-1, screenH-1); c != background {
		t.Errorf("background %v", c)
	}
	if s.ReleasedByGC == 0 || !strings.Contains(s.Report, "[released by GC]") ||
		!strings.Contains(s.Report, "main.go:") || !strings.Contains(s.Report, "particle #") {
		t.Errorf("report does not show the GC safety net (%d by GC):\n%s", s.ReleasedByGC, s.Report)
	}
	if s.Stats.ErrorMessages != 0 {
		t.Errorf("%d GL error messages", s.Stats.ErrorMessages)
	}
	t.Logf("%d dropped particles pending as released_by_gc in the report", s.ReleasedByGC)
}
