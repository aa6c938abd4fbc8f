//go:build cgo

package gpureg

import (
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// logged is an Options.Log hook that keeps every line.
type logged struct {
	mu    sync.Mutex
	lines []logEntry
}

type logEntry struct {
	level LogLevel
	err   error
	text  string
}

func (l *logged) hook(level LogLevel, err error, message string) {
	l.mu.Lock()
	l.lines = append(l.lines, logEntry{level, err, message})
	l.mu.Unlock()
}

func (l *logged) take() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.lines
	l.lines = nil
	return out
}

// loggedReg is newReg with a log hook.
func loggedReg(t *testing.T, opts Options) (*Registry, *logged) {
	t.Helper()
	l := &logged{}
	opts.Log = l.hook
	runtime.LockOSThread()
	r, err := NewNull(opts)
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatalf("NewNull: %v", err)
	}
	t.Cleanup(func() {
		if r.reg != nil {
			if err := r.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
		runtime.UnlockOSThread()
	})
	if got := l.take(); len(got) != 0 {
		t.Fatalf("NewNull logged %+v", got)
	}
	return r, l
}

func TestLogDeliversExactlyTheLineOfAFailedCall(t *testing.T) {
	r, l := loggedReg(t, Options{})
	_, err := r.CreateTexture(TextureDesc{Width: 0, Height: 4, Format: FormatRGBA8Unorm})
	wantIs(t, "CreateTexture width 0", err, ErrInvalidSize)
	lines := l.take()
	if len(lines) != 1 {
		t.Fatalf("hook got %d lines, want 1: %+v", len(lines), lines)
	}
	got := lines[0]
	if got.level != LogError || !errors.Is(got.err, ErrInvalidSize) ||
		!strings.HasPrefix(got.text, "gpureg_texture_create") {
		t.Errorf("hook got %v %v %q", got.level, got.err, got.text)
	}
	var e *Error
	if !errors.As(err, &e) || e.Detail != got.text || !strings.HasSuffix(err.Error(), ": "+got.text) {
		t.Errorf("error %q carries Detail %q, want the logged line %q", err, e.Detail, got.text)
	}
}

func TestLogDeliversTheLineOfAFailedRegistryCreate(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var l logged
	r, err := NewNull(Options{FramesInFlight: 17, Log: l.hook})
	if r != nil {
		t.Fatal("NewNull with 17 frames in flight made a registry")
	}
	wantIs(t, "NewNull FramesInFlight 17", err, ErrInvalidArgument)
	lines := l.take()
	if len(lines) != 1 || lines[0].level != LogError || !errors.Is(lines[0].err, ErrInvalidArgument) ||
		!strings.Contains(lines[0].text, "frames_in_flight is above 16") {
		t.Fatalf("hook got %+v", lines)
	}
	var e *Error
	if !errors.As(err, &e) || e.Detail != lines[0].text {
		t.Errorf("error %q: Detail is not the logged line %q", err, lines[0].text)
	}
}

func TestErrorOfAFailedCreateCarriesItsLogLineWithoutAHook(t *testing.T) {
	r := newReg(t)
	_, err := r.CreateBuffer(BufferDesc{Size: 0})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrInvalidSize) || !strings.HasPrefix(e.Detail, "gpureg_buffer_create") {
		t.Errorf("CreateBuffer size 0 = %v (Detail %q)", err, e.Detail)
	}
}

func TestLogDeliversLinesOfAnyGoroutineCallOnThatGoroutine(t *testing.T) {
	r, l := loggedReg(t, Options{})
	tex := mustTexture(t, r, "")
	wantOK(t, "Release", r.Release(tex.Handle()))
	done := make(chan []logEntry)
	go func() {
		err := r.Release(tex.Handle()) // already released: fails, and its line is delivered here
		wantIs(t, "second Release", err, ErrReleased)
		done <- l.take()
	}()
	lines := <-done
	if len(lines) != 1 || !errors.Is(lines[0].err, ErrReleased) || !strings.Contains(lines[0].text, "gpureg_release") {
		t.Errorf("hook got %+v", lines)
	}
}

func TestLogKeepsEveryLineOfConcurrentFailures(t *testing.T) {
	r, l := loggedReg(t, Options{})
	const goroutines, calls = 8, 50
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				_ = r.Retain(Handle(0)) // INVALID_HANDLE, logged
			}
		}()
	}
	wg.Wait()
	lines := l.take()
	if len(lines) != goroutines*calls {
		t.Fatalf("hook got %d lines, want %d", len(lines), goroutines*calls)
	}
	for _, line := range lines {
		if !errors.Is(line.err, ErrInvalidHandle) {
			t.Fatalf("line %+v", line)
		}
	}
}

func TestLogDropsTheOldestLinesAndSaysHowMany(t *testing.T) {
	r, l := loggedReg(t, Options{})
	bad := make([]Handle, 40) // one call, 40 failures, 40 lines into a ring of 32
	for i := range bad {
		bad[i] = Handle(i + 1)
	}
	err := r.ReleaseMany(bad)
	var be *BatchError
	if !errors.As(err, &be) || be.Failed != 40 {
		t.Fatalf("ReleaseMany = %v", err)
	}
	lines := l.take()
	if len(lines) != 33 || lines[0].level != LogWarning || lines[0].err != nil ||
		!strings.Contains(lines[0].text, "8 log line(s) dropped") {
		t.Fatalf("hook got %d lines, first %+v", len(lines), lines[0])
	}
	if !strings.Contains(lines[1].text, "0x0000000000000009") || !strings.Contains(lines[32].text, "0x0000000000000028") {
		t.Errorf("kept lines are not the newest 32: first %q, last %q", lines[1].text, lines[32].text)
	}
}

func TestCloseDeliversShutdownWarningsToTheHook(t *testing.T) {
	r, l := loggedReg(t, Options{ShutdownTimeoutMS: 1})
	wantOK(t, "BeginFrame", r.BeginFrame())
	wantOK(t, "EndFrame", r.EndFrame()) // the null fence never signals: Close waits 1 ms for it
	wantOK(t, "Close", r.Close())
	lines := l.take()
	if len(lines) != 1 || lines[0].level != LogWarning || lines[0].err != nil ||
		!strings.Contains(lines[0].text, "did not finish within 1 ms") {
		t.Errorf("hook got %+v", lines)
	}
}

func TestLogLevelNames(t *testing.T) {
	for l, want := range map[LogLevel]string{LogError: "error", LogWarning: "warning", LogInfo: "info", 9: "LogLevel(9)"} {
		if l.String() != want {
			t.Errorf("%d.String() = %q, want %q", int32(l), l.String(), want)
		}
	}
}
