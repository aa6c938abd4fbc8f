package main

import (
	"image/color"
	"sync"
)

// The scripted game. It knows nothing of gpureg or GL: it asks the engine for images, draws
// with them and disposes them, from its own goroutines, as a game on Ebiten would. It has one
// bug on purpose: the UI cache outlives the level, so the two images it holds leak when the
// level is unloaded, each with its framebuffer and stencil renderbuffer. gpureg's checkpoint
// report has to point at exactly the two lines below marked "leaked on purpose" (the test
// finds them by that marker).

var (
	sky       = color.NRGBA{R: 40, G: 60, B: 120, A: 255}
	ground    = color.NRGBA{R: 90, G: 60, B: 30, A: 255}
	grass     = color.NRGBA{R: 40, G: 160, B: 60, A: 255}
	hero      = color.NRGBA{R: 250, G: 220, B: 40, A: 255}
	foe       = color.NRGBA{R: 220, G: 40, B: 40, A: 255}
	spark     = color.NRGBA{R: 255, G: 255, B: 255, A: 255}
	health    = color.NRGBA{R: 60, G: 220, B: 90, A: 255}
	ink       = color.NRGBA{R: 240, G: 240, B: 240, A: 255}
	none      = color.NRGBA{}
	mapColour = color.NRGBA{R: 10, G: 10, B: 10, A: 200}
)

// Where level 1 puts things on the 256x128 screen (the test reads them back).
const (
	playerX, playerY            = 40, 80
	hudBarWidth                 = 100
	minimapX                    = 192
	minimapWidth, minimapHeight = 64, 32
)

// ellipse is an opaque ellipse filling w x h, transparent outside (RGBA).
func ellipse(w, h int) []byte {
	pix := make([]byte, 4*w*h)
	for y := range h {
		for x := range w {
			dx, dy := (float64(x)+0.5)/float64(w)*2-1, (float64(y)+0.5)/float64(h)*2-1
			if dx*dx+dy*dy <= 1 {
				copy(pix[4*(y*w+x):], []byte{255, 255, 255, 255})
			}
		}
	}
	return pix
}

// Game is the game's state.
type Game struct {
	e *Engine
	// glyphs is the game's glyph cache, and lens the minimap's rounded outline (a mask), both
	// made at startup and kept for the whole game.
	glyphs, lens *Image
	level        *level
	// ui caches UI images by name across levels: the bug. UnloadLevel1 disposes the level's
	// images but not the cache's, which also keeps them reachable, so no GC cleanup comes to
	// the rescue either.
	ui map[string]*Image
	// Dropped counts the images the game let go without Dispose (the engine's GC cleanup
	// disposes them); the scenario waits for that many cleanups.
	Dropped int
	frame   int
}

type level struct {
	background   *Image
	tiles        []*Image
	player       *Image
	enemies      []*Image
	hud, minimap *Image
}

// NewGame makes the game on an engine and prepares its glyph cache, which the game keeps until
// Close.
func NewGame(e *Engine) *Game {
	g := &Game{e: e, ui: map[string]*Image{}}
	// Rasterised on the CPU, as a font library does: eight glyphs, squares of ink.
	pix := make([]byte, 4*64*8)
	for y := 1; y < 7; y++ {
		for x := range 64 {
			if x%8 != 0 && x%8 != 7 {
				copy(pix[4*(y*64+x):], []byte{ink.R, ink.G, ink.B, ink.A})
			}
		}
	}
	g.glyphs = e.NewImage(64, 8)
	g.glyphs.WritePixels(pix)
	g.lens = e.NewImage(minimapWidth, minimapHeight)
	g.lens.WritePixels(ellipse(minimapWidth, minimapHeight))
	return g
}

// LoadLevel1 asks for the level's images. The tiles are prepared by loader goroutines in
// parallel: the engine takes NewImage and draws from any goroutine.
func (g *Game) LoadLevel1() {
	lv := &level{}
	lv.background = g.e.NewImage(256, 128)
	lv.background.Fill(sky)
	lv.background.FillRect(0, 96, 256, 32, ground)

	lv.tiles = make([]*Image, 4)
	var wg sync.WaitGroup
	for i := range lv.tiles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tile := g.e.NewImage(16, 16)
			tile.Fill(ground)
			tile.FillRect(0, 0, 16, 3+i, grass)
			lv.tiles[i] = tile
		}()
	}
	wg.Wait()

	lv.player = g.e.NewImage(16, 16)
	lv.player.Fill(hero)
	for range 3 {
		enemy := g.e.NewImage(12, 12)
		enemy.Fill(foe)
		lv.enemies = append(lv.enemies, enemy)
	}

	lv.hud = g.e.NewImage(128, 16) // leaked on purpose: also cached in g.ui, never disposed
	g.ui["hud"] = lv.hud
	lv.minimap = g.e.NewImage(minimapWidth, minimapHeight) // leaked on purpose: cached in g.ui too
	g.ui["minimap"] = lv.minimap
	g.level = lv
}

// Draw draws one frame of level 1 into the screen.
func (g *Game) Draw(screen *Image) {
	lv := g.level
	screen.DrawImage(lv.background, 0, 0)
	for x := 0; x < 256; x += 16 {
		screen.DrawImage(lv.tiles[(x/16)%len(lv.tiles)], x, 112)
	}
	for i, enemy := range lv.enemies {
		screen.DrawImage(enemy, 120+40*i-2*g.frame, 84)
	}
	screen.DrawImage(lv.player, playerX, playerY)

	// A particle: made, drawn and dropped every frame, as game code drops Go values; the
	// engine's GC cleanup disposes it.
	p := g.e.NewImage(4, 4)
	p.Fill(spark)
	screen.DrawImage(p, playerX+20+3*g.frame, playerY-8)
	g.Dropped++

	lv.hud.Fill(none)
	lv.hud.FillRect(4, 4, hudBarWidth-10*g.frame, 8, health)
	lv.hud.DrawImage(g.glyphs, 108, 4) // the score
	screen.DrawImage(lv.hud, 0, 0)
	lv.minimap.Fill(mapColour)
	lv.minimap.FillRect(playerX/4, playerY/4, 4, 4, hero)
	screen.DrawImageMasked(lv.minimap, g.lens, minimapX, 0) // rounded: its corners show the sky
	g.frame++
}

// UnloadLevel1 disposes the level's images, except what the UI cache holds (the bug).
func (g *Game) UnloadLevel1() {
	lv := g.level
	lv.background.Dispose()
	for _, t := range lv.tiles {
		t.Dispose()
	}
	lv.player.Dispose()
	// The enemies are not disposed but dropped with the level: their cleanups dispose them.
	g.Dropped += len(lv.enemies)
	// lv.hud and lv.minimap: forgotten, and still reachable through g.ui.
	g.level = nil
}

// CloseUI disposes the cached UI images: the fix of the bug, run at the very end.
func (g *Game) CloseUI() {
	for name, img := range g.ui {
		img.Dispose()
		delete(g.ui, name)
	}
}

// Close disposes the glyph cache and the minimap's mask, as the game does at exit.
func (g *Game) Close() {
	g.glyphs.Dispose()
	g.lens.Dispose()
}
