//go:build cgo

package gpureg

import (
	"errors"
	"maps"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// cgoCalls counts cgo crossings made while fn runs (the runtime's process-wide counter: nothing
// else in the test process crosses meanwhile).
func cgoCalls(fn func()) int64 {
	before := runtime.NumCgoCall()
	fn()
	return runtime.NumCgoCall() - before
}

func TestFastPathHotCallsMakeNoCgoCall(t *testing.T) {
	if !fastPathArch {
		t.Skip("the fast path is enabled on amd64 and arm64 only; elsewhere every call is a cgo call")
	}
	r := newReg(t)
	tex := mustTexture(t, r, "hot")
	buf := mustBuffer(t, r, 256)
	const n = 1_000_000
	batch := []Handle{tex.Handle(), buf.Handle(), tex.Handle(), buf.Handle()}
	calls := map[string]func(){
		"TextureNative": func() { _, _ = r.TextureNative(tex) },
		"BufferNative":  func() { _, _ = r.BufferNative(buf) },
		"Native":        func() { _, _ = r.Native(tex.Handle()) },
		"State":         func() { _ = r.State(buf.Handle()) },
		"Retain+Release": func() {
			_ = r.Retain(tex.Handle())
			_ = r.Release(tex.Handle())
		},
		"RetainMany+ReleaseMany": func() {
			_ = r.RetainMany(batch)
			_ = r.ReleaseMany(batch)
		},
	}
	for name, call := range calls {
		if got := cgoCalls(func() {
			for i := 0; i < n; i++ {
				call()
			}
		}); got != 0 {
			t.Errorf("%s: %d cgo calls in %d calls, want 0", name, got, n)
		}
	}
	if info, err := r.Info(tex.Handle()); err != nil || info.Refcount != 1 {
		t.Fatalf("after the pairs: refcount %d (%v), want 1", info.Refcount, err)
	}
	wantOK(t, "Release", r.Release(tex.Handle()))
	wantOK(t, "Release", r.Release(buf.Handle()))
}

// The release a Tie's cleanup makes crosses no more than any other release.
func TestFastPathGCCleanupReleaseMakesNoCgoCall(t *testing.T) {
	if !fastPathArch {
		t.Skip("amd64 and arm64 only")
	}
	r := newReg(t)
	const n = 64
	handles := make([]Handle, n)
	for i := range handles {
		handles[i] = mustTexture(t, r, "tied").Handle()
		type image struct{ pixels [64]byte }
		Tie(r, &image{}, handles[i]) // unreachable at once
	}
	got := cgoCalls(func() {
		deadline := time.Now().Add(10 * time.Second)
		for released := 0; released < n && time.Now().Before(deadline); {
			runtime.GC()
			released = 0
			for _, h := range handles {
				if r.State(h) == StateReleased {
					released++
				}
			}
		}
	})
	for _, h := range handles {
		if r.State(h) != StateReleased {
			t.Fatalf("handle %v: cleanup did not run within 10 s", h)
		}
	}
	if got != 0 {
		t.Errorf("%d cgo calls while %d cleanups released their handles, want 0", got, n)
	}
	data, err := r.ReportJSON()
	wantOK(t, "ReportJSON", err)
	gcReleased := 0
	for _, o := range data.Objects {
		if o.ReleasedByGC {
			gcReleased++
		}
	}
	if gcReleased != n {
		t.Errorf("report: %d objects released by GC, want %d", gcReleased, n)
	}
}

// op is one step of a differential program: the same steps run on two registries, one through
// the fast path and one through the C calls, must give the same results.
type op struct {
	kind   int // 0 resolve, 1 retain, 2 release, 3 state, 4 retain many, 5 release many
	target int // index into the program's handles
	forge  int // 0 as is; 1 generation+1; 2 type flipped; 3 tag flipped; 4 index beyond; 5 zero
}

func forge(h Handle, how int) Handle {
	switch how {
	case 1:
		return h + 1<<32
	case 2:
		return h ^ 3<<52
	case 3:
		return h ^ 1<<54
	case 4:
		return h | 0xFFFF0
	case 5:
		return 0
	}
	return h
}

// step runs o on r, through the fast path (fast) or the C calls, and says what it answered.
func step(r *Registry, hs []Handle, o op, fast bool) string {
	h := forge(hs[o.target%len(hs)], o.forge)
	code := func(err error) string {
		var e *Error
		if errors.As(err, &e) {
			return e.Code.Error()
		}
		var be *BatchError
		if errors.As(err, &be) {
			s := ""
			for _, c := range be.Results {
				s += strconv.Itoa(int(c)) + ","
			}
			return s
		}
		if err != nil {
			return err.Error()
		}
		return "ok"
	}
	switch o.kind {
	case 0:
		var n uint64
		var err error
		if fast {
			n, err = r.resolve("Native", h, TypeUndefined)
		} else {
			n, err = r.resolveC("Native", h, TypeUndefined)
		}
		return code(err) + " " + string(rune('0'+n%10))
	case 1:
		if fast {
			return code(r.Retain(h))
		}
		return code(r.retainC(h))
	case 2:
		if fast {
			return code(r.Release(h))
		}
		return code(r.releaseC(h))
	case 3:
		if fast {
			return r.State(h).String()
		}
		return r.stateC(h).String()
	default:
		many := []Handle{h, forge(hs[(o.target+1)%len(hs)], 0), h}
		if fast {
			return code(r.many("Many", many, o.kind == 4))
		}
		return code(r.manyC("Many", many, o.kind == 4))
	}
}

// twin makes the same objects in two registries: their handles differ only in the tag. Textures,
// buffers and renderbuffers (type OBJECT, whose releases count under their kind, with bytes).
func twin(t testing.TB, a, b *Registry, n int) (ha, hb []Handle) {
	for i := 0; i < n; i++ {
		switch i % 3 {
		case 0:
			ha = append(ha, mustTexture(t, a, "").Handle())
			hb = append(hb, mustTexture(t, b, "").Handle())
		case 1:
			ha = append(ha, mustBuffer(t, a, 64).Handle())
			hb = append(hb, mustBuffer(t, b, 64).Handle())
		default:
			ha = append(ha, mustRenderbuffer(t, a).Handle())
			hb = append(hb, mustRenderbuffer(t, b).Handle())
		}
	}
	return ha, hb
}

func mustRenderbuffer(t testing.TB, r *Registry) Object {
	t.Helper()
	o, err := r.CreateRenderbuffer(RenderbufferDesc{Width: 8, Height: 4, Format: FormatD24UnormS8Uint, Samples: 2})
	wantOK(t, "CreateRenderbuffer", err)
	return o
}

// dropAll releases every reference the programs left and lets every fence signal, so the
// registries close clean (the test is about answers, not leaks).
func dropAll(t testing.TB, r *Registry, hs []Handle) {
	t.Helper()
	for _, h := range hs {
		for r.releaseC(h) == nil {
		}
	}
	wantOK(t, "SignalNull", r.SignalNull(r.FrameSerial()))
	_, err := r.Collect()
	wantOK(t, "Collect", err)
}

func sameOutcome(t testing.TB, a, b *Registry, ha, hb []Handle) {
	t.Helper()
	for i := range ha {
		ia, ea := a.Info(ha[i])
		ib, eb := b.Info(hb[i])
		if (ea == nil) != (eb == nil) || ia.State != ib.State || ia.Refcount != ib.Refcount {
			t.Fatalf("object %d: fast path %+v (%v), C path %+v (%v)", i, ia, ea, ib, eb)
		}
	}
	// Stats and report of the programs' objects (the owner's churn objects, all pending and
	// labelled "churn", differ in number between the runs by design).
	sa, err := a.Stats()
	wantOK(t, "Stats", err)
	sb, err := b.Stats()
	wantOK(t, "Stats", err)
	if sa.Texture.LiveCount != sb.Texture.LiveCount || sa.Texture.LiveBytes != sb.Texture.LiveBytes ||
		sa.Buffer != sb.Buffer || sa.ByKind[KindRenderbuffer] != sb.ByKind[KindRenderbuffer] {
		t.Fatalf("stats differ: fast path %+v / %+v / %+v, C path %+v / %+v / %+v", sa.Texture, sa.Buffer,
			sa.ByKind[KindRenderbuffer], sb.Texture, sb.Buffer, sb.ByKind[KindRenderbuffer])
	}
	rows := func(r *Registry) map[string]int {
		data, err := r.ReportJSON()
		wantOK(t, "ReportJSON", err)
		m := map[string]int{}
		for _, o := range data.Objects {
			if o.Label == nil || *o.Label != "churn" {
				m[o.State+"/"+strconv.Itoa(int(o.Refcount))]++
			}
		}
		return m
	}
	if ra, rb := rows(a), rows(b); !maps.Equal(ra, rb) {
		t.Fatalf("reports differ: fast path %v, C path %v", ra, rb)
	}
}

// Four goroutines run random programs over their own objects (plus forged, stale and foreign
// handles) on both registries while the owner churns other objects in both: every answer and the
// end state must be the same through the fast path and through C.
func TestFastPathAnswersExactlyAsTheCCallsUnderChurn(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	a, b := newReg(t), newReg(t)
	const workers, perWorker, steps = 4, 16, 20000
	var ha, hb [workers][]Handle
	for w := 0; w < workers; w++ {
		ha[w], hb[w] = twin(t, a, b, perWorker)
	}
	// Each worker's stale handles: made and destroyed before the programs run. Their slots get
	// new objects at once (a forged generation + 1 names those), in both registries alike and
	// one set per worker, so neither the churn nor another worker changes what they answer.
	var staleA, staleB, fillA, fillB [workers][]Handle
	for w := 0; w < workers; w++ {
		staleA[w], staleB[w] = twin(t, a, b, 4)
		for i := range staleA[w] {
			wantOK(t, "Release", a.releaseC(staleA[w][i]))
			wantOK(t, "Release", b.releaseC(staleB[w][i]))
		}
		_, _ = a.Collect()
		_, _ = b.Collect()
		fillA[w], fillB[w] = twin(t, a, b, 4)
	}
	defer func() {
		for w := 0; w < workers; w++ {
			dropAll(t, a, fillA[w])
			dropAll(t, b, fillB[w])
		}
	}()
	programs := make([][]op, workers)
	for w := range programs {
		rng := rand.New(rand.NewPCG(uint64(w), 7))
		for i := 0; i < steps; i++ {
			o := op{kind: rng.IntN(6), target: rng.IntN(perWorker + 4)}
			if rng.IntN(4) == 0 {
				o.forge = rng.IntN(6)
			}
			if o.kind == 2 && rng.IntN(3) != 0 {
				o.kind = 1 // more retains than releases, so objects stay alive a while
			}
			programs[w] = append(programs[w], o)
		}
	}
	run := func(r *Registry, hs, stale *[workers][]Handle, fast bool) [workers][]string {
		var out [workers][]string
		// A frame is open before any program runs, so every release is tied to a fence that
		// never signals during the run (a release between frames would be destroyed at the
		// next collection, at a moment that differs between the runs).
		wantOK(t, "BeginFrame", r.BeginFrame())
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				mine := append(append([]Handle{}, hs[w]...), stale[w]...)
				for _, o := range programs[w] {
					out[w] = append(out[w], step(r, mine, o, fast))
				}
			}(w)
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		// The owner churns: creates, releases and frames, writing the pool, the inboxes and the
		// counters the readers read. Its null fences never signal, so nothing is destroyed while
		// the programs run: what each program sees depends on its own steps alone, and the two
		// runs must agree exactly (the fuzz target covers destruction and reuse, in order).
		for frame := 0; ; frame++ {
			select {
			case <-done:
				_ = r.EndFrame()
				close(stop)
				return out
			default:
			}
			tex := mustTexture(t, r, "churn")
			_ = r.releaseC(tex.Handle())
			if frame%16 == 15 {
				_ = r.EndFrame()
				_, _ = r.Collect()
				_ = r.BeginFrame()
			}
		}
	}
	outA := run(a, &ha, &staleA, true)
	outB := run(b, &hb, &staleB, false)
	for w := 0; w < workers; w++ {
		for i := range outA[w] {
			if outA[w][i] != outB[w][i] {
				t.Fatalf("worker %d step %d %+v: fast path %q, C path %q", w, i, programs[w][i], outA[w][i], outB[w][i])
			}
		}
	}
	for w := 0; w < workers; w++ {
		sameOutcome(t, a, b, ha[w], hb[w])
		dropAll(t, a, ha[w])
		dropAll(t, b, hb[w])
	}
}

// The fuzz target: any program, the same answers through both paths, and the same end state.
func FuzzFastPathMatchesC(f *testing.F) {
	f.Add([]byte{0, 0, 1, 2, 2, 2, 3, 1, 4, 5, 5, 0})
	f.Add([]byte{2, 0, 2, 0, 0, 0, 1, 9, 33, 17, 250, 3})
	f.Fuzz(func(t *testing.T, program []byte) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		a, b := newReg(t), newReg(t)
		ha, hb := twin(t, a, b, 6)
		for i := 0; i+1 < len(program); i += 2 {
			o := op{kind: int(program[i] % 8), target: int(program[i+1] % 8), forge: int(program[i+1]/8) % 6}
			if o.kind >= 6 { // the owner's steps: destroy what was released, reuse slots
				_, _ = a.Collect()
				_, _ = b.Collect()
				if o.kind == 7 {
					ha, hb = append(ha, mustTexture(t, a, "").Handle()), append(hb, mustTexture(t, b, "").Handle())
				}
				continue
			}
			if x, y := step(a, ha, o, true), step(b, hb, o, false); x != y {
				t.Fatalf("step %d %+v: fast path %q, C path %q", i/2, o, x, y)
			}
		}
		sameOutcome(t, a, b, ha, hb)
		dropAll(t, a, ha)
		dropAll(t, b, hb)
	})
}
