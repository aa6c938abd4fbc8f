//go:build cgo

package gpureg

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// siteOf is the creation site the JSON report gives for h.
func siteOf(t *testing.T, r *Registry, h Handle) string {
	t.Helper()
	d, err := r.ReportJSON()
	wantOK(t, "ReportJSON", err)
	for _, o := range append(d.Objects, d.Expected...) {
		if v, err := strconv.ParseUint(strings.TrimPrefix(o.Handle, "0x"), 16, 64); err == nil && Handle(v) == h {
			return o.Site
		}
	}
	t.Fatalf("%v not in the report %+v", h, d)
	return ""
}

var gameSite = Site{File: "/src/game/level.go", Line: 42, Function: "example.com/game.(*Level).Load"}

const gameSiteText = "/src/game/level.go:42 (example.com/game.(*Level).Load)"

func TestSiteStringIsTheReportsForm(t *testing.T) {
	if s := gameSite.String(); s != gameSiteText {
		t.Errorf("String() = %q", s)
	}
	if s := (Site{}).String(); s != "?:0 (?)" {
		t.Errorf("zero Site String() = %q", s)
	}
}

func TestCreateTextureAtRecordsTheGivenSite(t *testing.T) {
	r := newReg(t)
	tex, err := r.CreateTextureAt(TextureDesc{Width: 4, Height: 4, Format: FormatR8Unorm}, gameSite)
	wantOK(t, "CreateTextureAt", err)
	if s := siteOf(t, r, tex.Handle()); s != gameSiteText {
		t.Errorf("site %q, want %q", s, gameSiteText)
	}
	wantOK(t, "Release", r.Release(tex.Handle()))
}

func TestCreateBufferAtRecordsTheGivenSite(t *testing.T) {
	r := newReg(t)
	buf, err := r.CreateBufferAt(BufferDesc{Size: 16}, gameSite)
	wantOK(t, "CreateBufferAt", err)
	if s := siteOf(t, r, buf.Handle()); s != gameSiteText {
		t.Errorf("site %q, want %q", s, gameSiteText)
	}
	wantOK(t, "Release", r.Release(buf.Handle()))
}

func TestZeroSiteIsRecordedAsUnknown(t *testing.T) {
	r := newReg(t)
	buf, err := r.CreateBufferAt(BufferDesc{Size: 16}, Site{})
	wantOK(t, "CreateBufferAt", err)
	if s := siteOf(t, r, buf.Handle()); s != "?:0 (?)" {
		t.Errorf("site %q", s)
	}
	wantOK(t, "Release", r.Release(buf.Handle()))
}

func TestCallerNamesTheCallingLine(t *testing.T) {
	_, file, line, _ := runtime.Caller(0)
	s := Caller(0) // line + 1
	want := Site{File: file, Line: line + 1, Function: "github.com/gpureg/gpureg/go.TestCallerNamesTheCallingLine"}
	if s != want {
		t.Errorf("Caller(0) = %+v, want %+v", s, want)
	}
}

func callerOfHelper() Site       { return Caller(1) }
func cachedCallerOfHelper() Site { return CallerCached(1) }

func TestCallerSkipsFrames(t *testing.T) {
	_, _, line, _ := runtime.Caller(0)
	s := callerOfHelper() // line + 1
	if s.Line != line+1 || !strings.HasSuffix(s.Function, ".TestCallerSkipsFrames") {
		t.Errorf("Caller(1) from a helper = %+v, want line %d of this test", s, line+1)
	}
}

func TestCallerCachedGivesWhatCallerGives(t *testing.T) {
	var sites [2][3]Site
	for i := 0; i < 3; i++ { // the second and third rounds come from the cache
		sites[0][i] = cachedCallerOfHelper()
		sites[1][i] = cachedCallerOfHelper()
	}
	_, _, line, _ := runtime.Caller(0)
	for i := 0; i < 3; i++ {
		if sites[0][i].Line != line-3 || sites[1][i].Line != line-2 ||
			!strings.HasSuffix(sites[0][i].Function, ".TestCallerCachedGivesWhatCallerGives") ||
			sites[0][i].File != sites[1][i].File {
			t.Errorf("round %d: %+v, %+v (want lines %d and %d)", i, sites[0][i], sites[1][i], line-3, line-2)
		}
	}
}

func TestCallerCachedAllocatesNothingOnceCached(t *testing.T) {
	_ = cachedCallerOfHelper()
	if n := testing.AllocsPerRun(1000, func() { _ = cachedCallerOfHelper() }); n != 0 {
		t.Errorf("%v allocations per call", n)
	}
}

func TestCallerBeyondTheStackIsTheZeroSite(t *testing.T) {
	if s := Caller(1 << 20); s != (Site{}) {
		t.Errorf("Caller(huge) = %+v", s)
	}
	if s := CallerCached(1 << 20); s != (Site{}) {
		t.Errorf("CallerCached(huge) = %+v", s)
	}
}

// An engine's lazy path: the game's call captures its site, the render thread creates later.
func TestEngineQueueCreatesAtTheGamesSite(t *testing.T) {
	r := newReg(t)
	type command struct {
		desc TextureDesc
		site Site
	}
	queue := make(chan command, 1)
	newImage := func(w, h uint32) { // the engine's API, called by the game
		queue <- command{TextureDesc{Width: w, Height: h, Format: FormatRGBA8Unorm}, CallerCached(1)}
	}
	_, _, line, _ := runtime.Caller(0)
	newImage(8, 8) // line + 1: the game's line
	cmd := <-queue // the render thread, later
	tex, err := r.CreateTextureAt(cmd.desc, cmd.site)
	wantOK(t, "CreateTextureAt", err)
	if s := siteOf(t, r, tex.Handle()); !strings.Contains(s, "site_test.go:"+strconv.Itoa(line+1)+" (") {
		t.Errorf("site %q, want line %d", s, line+1)
	}
	wantOK(t, "Release", r.Release(tex.Handle()))
}

func TestCreateTextureCallerSkipNamesTheWrappersCaller(t *testing.T) {
	r := newReg(t)
	wrapper := func() Texture {
		tex, err := r.CreateTexture(TextureDesc{Width: 1, Height: 1, Format: FormatR8Unorm, CallerSkip: 1})
		wantOK(t, "CreateTexture", err)
		return tex
	}
	_, _, line, _ := runtime.Caller(0)
	tex := wrapper() // line + 1
	if s := siteOf(t, r, tex.Handle()); !strings.Contains(s, "site_test.go:"+strconv.Itoa(line+1)+" (") {
		t.Errorf("site %q, want line %d", s, line+1)
	}
	wantOK(t, "Release", r.Release(tex.Handle()))
}
