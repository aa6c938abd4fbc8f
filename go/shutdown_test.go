//go:build cgo

package gpureg

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// nullWith is NewNull with opts on the locked test goroutine; the caller closes it.
func nullWith(t *testing.T, opts Options) *Registry {
	t.Helper()
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
	r, err := NewNull(opts)
	wantOK(t, "NewNull", err)
	return r
}

func TestCloseWithOnlyExpectedObjectsReturnsNilAndWritesNothing(t *testing.T) {
	var report bytes.Buffer
	r := nullWith(t, Options{LeakReport: ReportText, LeakReportWriter: &report})
	_, err := r.CreateTexture(TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm, Label: "atlas",
		ExpectedAtShutdown: true})
	wantOK(t, "CreateTexture", err)
	_, err = r.CreateBuffer(BufferDesc{Size: 64, ExpectedAtShutdown: true})
	wantOK(t, "CreateBuffer", err)
	wantOK(t, "Close", r.Close())
	if report.Len() != 0 {
		t.Errorf("a clean Close wrote %q", report.String())
	}
}

func TestCloseWritesTheLeakReportToTheWriter(t *testing.T) {
	var report bytes.Buffer
	r := nullWith(t, Options{LeakReportWriter: &report}) // LeakReport default: text, with a writer
	_, err := r.CreateBuffer(BufferDesc{Size: 100, Label: "forgotten"})
	wantOK(t, "CreateBuffer", err)
	var le *LeakError
	if err := r.Close(); !errors.As(err, &le) || le.Count != 1 {
		t.Fatalf("Close = %v", err)
	}
	text := report.String()
	if !strings.HasPrefix(text, "gpureg: 1 leaked object at shutdown\n") || !strings.Contains(text, "forgotten") ||
		!strings.Contains(text, "shutdown_test.go:") {
		t.Errorf("leak report %q", text)
	}
}

func TestCloseWritesTheLeakReportAsJSON(t *testing.T) {
	var report bytes.Buffer
	r := nullWith(t, Options{LeakReport: ReportJSON, LeakReportWriter: &report})
	_, err := r.CreateBuffer(BufferDesc{Size: 100})
	wantOK(t, "CreateBuffer", err)
	wantIs(t, "Close", r.Close(), ErrLeaked)
	if !strings.HasPrefix(report.String(), `{"live": 1`) && !strings.HasPrefix(report.String(), `{"live":1`) {
		t.Errorf("JSON leak report %q", report.String())
	}
}

func TestSetExpectedAtShutdownTakesAnObjectOutOfTheLeaks(t *testing.T) {
	r := newReg(t)
	tex := mustTexture(t, r, "font")
	wantOK(t, "SetExpectedAtShutdown", r.SetExpectedAtShutdown(tex.Handle(), true))
	leaks, err := r.Leaks()
	wantOK(t, "Leaks", err)
	d, err := r.ReportJSON()
	wantOK(t, "ReportJSON", err)
	if len(leaks) != 0 || d.Live != 0 || d.ExpectedCount != 1 || len(d.Expected) != 1 || *d.Expected[0].Label != "font" {
		t.Errorf("expected object: leaks %+v, report %+v", leaks, d)
	}
	wantOK(t, "SetExpectedAtShutdown false", r.SetExpectedAtShutdown(tex.Handle(), false))
	if leaks, _ := r.Leaks(); len(leaks) != 1 {
		t.Errorf("unmarked object: leaks %+v", leaks)
	}
	wantIs(t, "SetExpectedAtShutdown(0)", r.SetExpectedAtShutdown(0, true), ErrInvalidHandle)
	wantOK(t, "Release", r.Release(tex.Handle()))
}

func TestReportSinceListsOnlyWhatWasCreatedAfterTheCheckpoint(t *testing.T) {
	r := newReg(t)
	before := mustTexture(t, r, "menu")
	cp := r.CheckpointNow()
	level := mustTexture(t, r, "level 1")
	levelBuf := mustBuffer(t, r, 32)
	d, err := r.ReportSinceJSON(cp)
	wantOK(t, "ReportSinceJSON", err)
	if d.Checkpoint != uint64(cp) || len(d.Objects) != 2 || d.Live != 2 {
		t.Fatalf("report since %d = %+v", cp, d)
	}
	for _, o := range d.Objects {
		if o.Label != nil && *o.Label == "menu" {
			t.Errorf("object created before the checkpoint listed: %+v", o)
		}
	}
	var text bytes.Buffer
	wantOK(t, "ReportSince", r.ReportSince(&text, cp, ReportDefault))
	if !strings.Contains(text.String(), "level 1") || strings.Contains(text.String(), "menu") {
		t.Errorf("text report since: %s", text.String())
	}
	all, err := r.ReportSinceJSON(0) // checkpoint 0: the registry's creation
	if err != nil || len(all.Objects) != 3 {
		t.Errorf("report since 0 = %+v, %v", all, err)
	}
	wantOK(t, "ReleaseMany", r.ReleaseMany([]Handle{before.Handle(), level.Handle(), levelBuf.Handle()}))
}

func TestCheckpointNowAdvancesWithCreates(t *testing.T) {
	r := newReg(t)
	a := r.CheckpointNow()
	tex := mustTexture(t, r, "")
	if b := r.CheckpointNow(); b <= a {
		t.Errorf("checkpoints %d then %d", a, b)
	}
	wantOK(t, "Release", r.Release(tex.Handle()))
}

// GPUREG_LEAK_FATAL=1 makes the C library abort() after the leak report. The Go package turns
// that off for its registries: Close returns the leaks, marked Fatal, and the process lives.
func TestCloseWithLeakFatalSetReturnsALeakErrorAndTheProcessLives(t *testing.T) {
	t.Setenv("GPUREG_LEAK_FATAL", "1")
	r := nullWith(t, Options{})
	_, err := r.CreateBuffer(BufferDesc{Size: 8, Label: "leaked under GPUREG_LEAK_FATAL"})
	wantOK(t, "CreateBuffer", err)
	err = r.Close()
	var le *LeakError
	if !errors.As(err, &le) || le.Count != 1 || !le.Fatal || !strings.Contains(le.Objects[0].Site, "shutdown_test.go:") {
		t.Fatalf("Close = %#v", err)
	}
}

func TestLeakErrorIsNotFatalWithoutTheVariable(t *testing.T) {
	t.Setenv("GPUREG_LEAK_FATAL", "0")
	r := nullWith(t, Options{})
	_, err := r.CreateBuffer(BufferDesc{Size: 8})
	wantOK(t, "CreateBuffer", err)
	var le *LeakError
	if err := r.Close(); !errors.As(err, &le) || le.Fatal {
		t.Fatalf("Close = %#v", err)
	}
}

func TestOutOfRangeOptionsAreRejected(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, o := range []Options{{FramesInFlight: 17}, {MessageCapacity: 65537}, {LeakReport: 4}} {
		r, err := NewNull(o)
		if r != nil {
			r.Close()
		}
		wantIs(t, "NewNull", err, ErrInvalidArgument)
	}
}

func TestCloseOfACleanRegistryWithoutAWriterIsNil(t *testing.T) {
	r := nullWith(t, Options{LeakReport: ReportText}) // would print to stderr, but nothing is left
	tex := mustTexture(t, r, "")
	wantOK(t, "Release", r.Release(tex.Handle()))
	wantOK(t, "Close", r.Close())
}
