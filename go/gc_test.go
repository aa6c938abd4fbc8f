//go:build cgo

package gpureg

import (
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// image stands for an engine's image type holding a tied handle.
type image struct {
	tie *Tied
	_   [32]byte
}

// waitFor runs the GC until cond holds (cleanups run asynchronously after a collection).
// Bounded so a broken safety net fails instead of hanging; no timing is asserted.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

func TestTieReleasesUnreachableObject(t *testing.T) {
	r := newReg(t)
	tex := mustTexture(t, r, "dropped")
	func() {
		img := &image{}
		img.tie = Tie(r, img, tex.Handle())
	}()
	waitFor(t, "the cleanup to release the dropped image", func() bool { return r.State(tex.Handle()) == StateReleased })
	in, err := r.Info(tex.Handle())
	if err != nil || !in.ReleasedByGC {
		t.Errorf("Info = %+v, %v", in, err)
	}
	d, err := r.ReportJSON()
	wantOK(t, "ReportJSON", err)
	if len(d.Objects) != 1 || !d.Objects[0].ReleasedByGC || d.Objects[0].State != "released" {
		t.Errorf("report = %+v", d)
	}
	var text strings.Builder
	wantOK(t, "Report", r.Report(&text, ReportText))
	if !strings.Contains(text.String(), "[released by GC]") {
		t.Errorf("text report does not mark the GC release:\n%s", text.String())
	}

	// Explicit release through the tie stops the cleanup: the extra reference survives GC.
	kept := mustTexture(t, r, "kept")
	wantOK(t, "Retain", r.Retain(kept.Handle()))
	func() {
		img := &image{}
		img.tie = Tie(r, img, kept.Handle())
		wantOK(t, "Tied.Release", img.tie.Release())
		wantIs(t, "Tied.Release twice", img.tie.Release(), ErrReleased)
	}()
	untied := mustTexture(t, r, "untied")
	func() {
		img := &image{}
		img.tie = Tie(r, img, untied.Handle())
		if img.tie.Handle() != untied.Handle() {
			t.Error("Tied.Handle")
		}
		wantOK(t, "Untie", img.tie.Untie())
		wantIs(t, "Untie twice", img.tie.Untie(), ErrReleased)
	}()
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if in, _ := r.Info(kept.Handle()); in.Refcount != 1 || in.State != StateAlive {
		t.Errorf("kept after GC = %+v", in)
	}
	if r.State(untied.Handle()) != StateAlive {
		t.Error("untied object released by GC")
	}
	wantOK(t, "Release kept", r.Release(kept.Handle()))
	wantOK(t, "Release untied", r.Release(untied.Handle()))
}

// A cleanup that runs after Close must not touch the freed registry.
func TestTieCleanupAfterClose(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r, err := NewNull(Options{})
	wantOK(t, "NewNull", err)
	tex := mustTexture(t, r, "")
	img := &image{}
	img.tie = Tie(r, img, tex.Handle())
	if err := r.Close(); err == nil {
		t.Fatal("Close did not report the tied, still reachable texture")
	}
	runtime.KeepAlive(img)
	img = nil
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// Many goroutines retain, release and drop tied objects (forcing GC) while the owner goroutine
// creates objects and runs frames. Every object must be destroyed exactly once, nothing may
// leak, and the report must mark exactly the dropped objects released_by_gc.
func TestConcurrentRetainReleaseAndGC(t *testing.T) {
	r := newReg(t)
	const workers, perWorker = 8, 300
	work := make(chan Texture, 64)
	var wg sync.WaitGroup
	var mu sync.Mutex
	dropped := map[Handle]bool{}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var live []*image
			batch := make([]Handle, 0, 8)
			for i := 0; ; i++ {
				tex, ok := <-work
				if !ok {
					return
				}
				h := tex.Handle()
				for k := 0; k < 20; k++ {
					if err := r.Retain(h); err != nil {
						t.Errorf("Retain: %v", err)
					}
				}
				batch = append(batch[:0], h, h, h)
				if err := r.RetainMany(batch); err != nil {
					t.Errorf("RetainMany: %v", err)
				}
				if err := r.ReleaseMany(batch); err != nil {
					t.Errorf("ReleaseMany: %v", err)
				}
				for k := 0; k < 20; k++ {
					if err := r.Release(h); err != nil {
						t.Errorf("Release: %v", err)
					}
				}
				img := &image{}
				img.tie = Tie(r, img, h)
				switch uint64(h) % 3 {
				case 0:
					if err := img.tie.Release(); err != nil {
						t.Errorf("Tied.Release: %v", err)
					}
					runtime.KeepAlive(img) // so the report's released_by_gc is exact (see Tied.Release)
				case 1:
					live = append(live, img) // dropped in a moment
					mu.Lock()
					dropped[h] = true
					mu.Unlock()
				case 2:
					if err := img.tie.Untie(); err != nil {
						t.Errorf("Untie: %v", err)
					}
					runtime.KeepAlive(img)
					if err := r.Release(h); err != nil {
						t.Errorf("Release: %v", err)
					}
				}
				if i%16 == 15 {
					live = live[:0]
					runtime.GC()
				}
			}
		}(w)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	created := 0
	frame := func(signalLag uint64) {
		wantOK(t, "BeginFrame", r.BeginFrame())
		wantOK(t, "EndFrame", r.EndFrame())
		if s := r.FrameSerial(); s > signalLag {
			wantOK(t, "SignalNull", r.SignalNull(s-signalLag))
		}
		if _, err := r.Collect(); err != nil {
			t.Fatalf("Collect: %v", err)
		}
	}
	for created < workers*perWorker {
		wantOK(t, "BeginFrame", r.BeginFrame())
		for k := 0; k < 16 && created < workers*perWorker; k++ {
			tex, err := r.CreateTexture(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm})
			wantOK(t, "CreateTexture", err)
			work <- tex
			created++
		}
		wantOK(t, "EndFrame", r.EndFrame())
		if s := r.FrameSerial(); s > 2 {
			wantOK(t, "SignalNull", r.SignalNull(s-2))
		}
	}
	close(work)
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			frame(2)
		}
	}
	if t.Failed() {
		return
	}
	// Hold the GPU back, let the GC release every dropped image, then read the report.
	waitFor(t, "every dropped image's cleanup", func() bool {
		st, err := r.Stats()
		return err == nil && st.Texture.LiveCount == 0
	})
	d, err := r.ReportJSON()
	wantOK(t, "ReportJSON", err)
	byGC := 0
	for _, o := range d.Objects {
		var h uint64
		for _, c := range o.Handle[2:] {
			h = h*16 + uint64(hexVal(c))
		}
		if o.ReleasedByGC != dropped[Handle(h)] || o.State != "released" {
			t.Errorf("report object %+v: dropped=%v", o, dropped[Handle(h)])
		}
		if o.ReleasedByGC {
			byGC++
		}
	}
	t.Logf("%d objects, %d dropped for the GC, %d still pending in the report (%d by GC)",
		created, len(dropped), len(d.Objects), byGC)
	frame(0)
	frame(0)
	st, err := r.Stats()
	wantOK(t, "Stats", err)
	if st.Texture.CreatedTotal != uint64(created) || st.Texture.DestroyedTotal != uint64(created) ||
		st.Texture.LiveCount != 0 || st.Texture.PendingCount != 0 {
		t.Errorf("stats after the run: %+v", st.Texture)
	}
	if d, _ := r.ReportJSON(); len(d.Objects) != 0 {
		t.Errorf("report after the run lists %d objects", len(d.Objects))
	}
}

func hexVal(c rune) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

// Go may collect an object while `obj.tie.Release()` runs (obj is dead once the field is read),
// so the cleanup races the explicit release. Exactly one may release: every object here also
// holds a second reference, which must survive whatever the race's outcome.
func TestTieReleaseRacesCleanup(t *testing.T) {
	r := newReg(t)
	const n = 2000
	hs := make([]Handle, n)
	for i := range hs {
		hs[i] = mustTexture(t, r, "").Handle()
	}
	wantOK(t, "RetainMany", r.RetainMany(hs)) // the second reference
	stop := make(chan struct{})
	gcDone := make(chan struct{})
	go func() { // keep the collector busy so cleanups run while Release is in flight
		defer close(gcDone)
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	}()
	dispose := func(img *image) error { return img.tie.Release() } // img dies inside
	var wg sync.WaitGroup
	const workers = 8 // more goroutines than CPUs, so some are descheduled mid-Release
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				img := &image{}
				img.tie = Tie(r, img, hs[i])
				if err := dispose(img); err != nil {
					t.Errorf("Release %d: %v", i, err)
				}
			}
		}(w)
	}
	wg.Wait()
	close(stop)
	<-gcDone
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	for _, h := range hs {
		in, err := r.Info(h)
		if err != nil || in.Refcount != 1 || in.State != StateAlive {
			t.Fatalf("%v after the race: %+v, %v (over- or under-released)", h, in, err)
		}
	}
	wantOK(t, "ReleaseMany", r.ReleaseMany(hs))
	t.Logf("the cleanup won %d races against an explicit Release so far", cleanupWonRaces.Load())
}
