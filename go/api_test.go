//go:build cgo

package gpureg

import (
	"bytes"
	"errors"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Every entry of GPUREG_RESULT_TABLE in gpureg.h has a sentinel with the same value and name.
func TestSentinelsMatchResultTable(t *testing.T) {
	sentinels := map[string]error{
		"ERR_NULL_POINTER": ErrNullPointer, "ERR_INVALID_ARGUMENT": ErrInvalidArgument,
		"ERR_INVALID_SIZE": ErrInvalidSize, "ERR_INVALID_FORMAT": ErrInvalidFormat,
		"ERR_INVALID_USAGE": ErrInvalidUsage, "ERR_INVALID_HANDLE": ErrInvalidHandle,
		"ERR_STALE_HANDLE": ErrStaleHandle, "ERR_RELEASED": ErrReleased, "ERR_WRONG_TYPE": ErrWrongType,
		"ERR_FOREIGN_HANDLE": ErrForeignHandle, "ERR_WRONG_THREAD": ErrWrongThread,
		"ERR_OUT_OF_MEMORY": ErrOutOfMemory, "ERR_REFCOUNT_OVERFLOW": ErrRefcountOverflow,
		"ERR_HANDLES_EXHAUSTED": ErrHandlesExhausted, "ERR_FRAME_STATE": ErrFrameState,
		"ERR_OUT_OF_BOUNDS": ErrOutOfBounds, "ERR_UNSUPPORTED": ErrUnsupported, "ERR_DEVICE_LOST": ErrDeviceLost,
		"ERR_TIMEOUT": ErrTimeout, "ERR_BUFFER_TOO_SMALL": ErrBufferTooSmall, "ERR_BACKEND": ErrBackend,
		"ERR_TOO_MANY_REGISTRIES": ErrTooManyRegistries,
	}
	src, err := os.ReadFile("include/gpureg/gpureg.h") // the package's copy (amalgam_test.go: fresh)
	wantOK(t, "read gpureg.h", err)
	rows := regexp.MustCompile(`X\((ERR_\w+), (\d+),`).FindAllStringSubmatch(string(src), -1)
	if len(rows) != len(sentinels) {
		t.Fatalf("gpureg.h has %d error codes, the package %d sentinels", len(rows), len(sentinels))
	}
	for _, row := range rows {
		v, _ := strconv.Atoi(row[2])
		s, ok := sentinels[row[1]]
		if !ok || s != Result(v) || Result(v).Name() != row[1] {
			t.Errorf("%s = %d: sentinel %v", row[1], v, s)
		}
		wrapped := &Error{Op: "Test", Code: Result(v)}
		if !errors.Is(wrapped, s) || !strings.Contains(wrapped.Error(), "Test: GPUREG_"+row[1]) {
			t.Errorf("%s: wrapping gives %q", row[1], wrapped)
		}
	}
}

func TestCreateQueryResolveLabel(t *testing.T) {
	r := newReg(t)
	if r.Backend() != "null" {
		t.Fatalf("backend %q", r.Backend())
	}
	tex := mustTexture(t, r, "player")
	buf := mustBuffer(t, r, 256)
	defer r.Release(buf.Handle())
	defer r.Release(tex.Handle())

	n, err := r.TextureNative(tex)
	wantOK(t, "TextureNative", err)
	if n2, err := r.Native(tex.Handle()); err != nil || n2 != n || n == 0 {
		t.Errorf("Native = %d, %v; TextureNative = %d", n2, err, n)
	}
	if _, err := r.BufferNative(buf); err != nil {
		t.Errorf("BufferNative: %v", err)
	}
	if s := r.State(tex.Handle()); s != StateAlive || s.String() != "alive" {
		t.Errorf("State = %v", s)
	}
	in, err := r.Info(tex.Handle())
	wantOK(t, "Info", err)
	if in.Type != TypeTexture || in.Refcount != 1 || in.Texture.Width != 16 || in.Texture.MipLevels != 1 ||
		in.Texture.Format != FormatRGBA8Unorm || in.Bytes != 16*8*4 || in.ReleasedByGC || in.Native != n {
		t.Errorf("Info = %+v", in)
	}
	bi, err := r.Info(buf.Handle())
	wantOK(t, "Info buffer", err)
	if bi.Type != TypeBuffer || bi.Buffer.Size != 256 {
		t.Errorf("buffer Info = %+v", bi)
	}
	if l, err := r.Label(tex.Handle()); err != nil || l != "player" {
		t.Errorf("Label = %q, %v", l, err)
	}
	wantOK(t, "SetLabel", r.SetLabel(tex.Handle(), "enemy"))
	if l, _ := r.Label(tex.Handle()); l != "enemy" {
		t.Errorf("Label after SetLabel = %q", l)
	}
	long := strings.Repeat("x", 400)
	wantOK(t, "SetLabel long", r.SetLabel(tex.Handle(), long))
	if l, _ := r.Label(tex.Handle()); l != long[:255] {
		t.Errorf("long label kept %d bytes", len(l))
	}
	wantOK(t, "SetLabel clear", r.SetLabel(tex.Handle(), ""))
	if l, err := r.Label(tex.Handle()); l != "" || err != nil {
		t.Errorf("cleared label = %q, %v", l, err)
	}
	st, err := r.Stats()
	wantOK(t, "Stats", err)
	if st.Texture.LiveCount != 1 || st.Buffer.LiveCount != 1 || st.Texture.LiveBytes != 512 {
		t.Errorf("Stats = %+v", st)
	}
	if FormatRGBA8Unorm.String() != "rgba8_unorm" || FormatRGBA8Unorm.TexelBytes() != 4 {
		t.Errorf("format helpers: %v %d", FormatRGBA8Unorm, FormatRGBA8Unorm.TexelBytes())
	}
	msgs, err := r.Messages()
	if err != nil || len(msgs) != 0 {
		t.Errorf("Messages = %v, %v", msgs, err)
	}
}

func TestLifecycleAndFrames(t *testing.T) {
	r := newReg(t)
	tex := mustTexture(t, r, "")
	h := tex.Handle()
	wantOK(t, "Retain", r.Retain(h))
	wantOK(t, "Release", r.Release(h))
	wantOK(t, "BeginFrame", r.BeginFrame())
	if r.FrameSerial() != 1 {
		t.Errorf("FrameSerial = %d", r.FrameSerial())
	}
	wantOK(t, "Release", r.Release(h))
	if r.State(h) != StateReleased {
		t.Errorf("state after last release: %v", r.State(h))
	}
	wantIs(t, "Native released", func() error { _, err := r.Native(h); return err }(), ErrReleased)
	in, err := r.Info(h) // released objects are still described
	if err != nil || in.State != StateReleased || in.Refcount != 0 {
		t.Errorf("Info released = %+v, %v", in, err)
	}
	wantOK(t, "EndFrame", r.EndFrame())
	if n, err := r.Collect(); n != 0 || err != nil {
		t.Errorf("Collect before the fence = %d, %v", n, err)
	}
	wantOK(t, "SignalNull", r.SignalNull(1))
	if n, err := r.Collect(); n != 1 || err != nil {
		t.Errorf("Collect after the fence = %d, %v", n, err)
	}
	if r.State(h) != StateDestroyed {
		t.Errorf("state after collect: %v", r.State(h))
	}
	st, _ := r.Stats()
	if st.Texture.CreatedTotal != 1 || st.Texture.DestroyedTotal != 1 || st.CompletedSerial != 1 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestBadInput(t *testing.T) {
	r := newReg(t)
	other := func() *Registry { // a second registry, owned by this thread too
		o, err := NewNull(Options{})
		wantOK(t, "NewNull", err)
		return o
	}()
	foreign, err := other.CreateTexture(TextureDesc{Width: 1, Height: 1, Format: FormatR8Unorm})
	wantOK(t, "foreign create", err)

	tex := mustTexture(t, r, "t")
	buf := mustBuffer(t, r, 64)

	// Zero and forged handles.
	for _, h := range []Handle{0, Handle(tex)&^0xFFFFFFFF | 0xFFFFF, Handle(tex) + 1<<32*7} {
		wantIs(t, "Retain "+h.String(), r.Retain(h), ErrInvalidHandle)
		wantIs(t, "Release "+h.String(), r.Release(h), ErrInvalidHandle)
		_, err := r.Native(h)
		wantIs(t, "Native "+h.String(), err, ErrInvalidHandle)
		_, err = r.Info(h)
		wantIs(t, "Info "+h.String(), err, ErrInvalidHandle)
		_, err = r.Label(h)
		wantIs(t, "Label "+h.String(), err, ErrInvalidHandle)
		wantIs(t, "SetLabel "+h.String(), r.SetLabel(h, "x"), ErrInvalidHandle)
		if r.State(h) != StateInvalid {
			t.Errorf("State %v = %v", h, r.State(h))
		}
	}
	// Foreign.
	wantIs(t, "Retain foreign", r.Retain(Handle(foreign)), ErrForeignHandle)
	_, err = r.TextureNative(foreign)
	wantIs(t, "TextureNative foreign", err, ErrForeignHandle)
	// Wrong type.
	_, err = r.TextureNative(Texture(buf))
	wantIs(t, "TextureNative(buffer)", err, ErrWrongType)
	_, err = r.BufferNative(Buffer(tex))
	wantIs(t, "BufferNative(texture)", err, ErrWrongType)
	wantIs(t, "WriteTexturePixels(buffer)", r.WriteTexturePixels(Texture(buf), Region{}, make([]byte, 16*8*4), 0),
		ErrWrongType)
	// Bad descs.
	_, err = r.CreateTexture(TextureDesc{Width: 0, Height: 4, Format: FormatRGBA8Unorm})
	wantIs(t, "zero width", err, ErrInvalidSize)
	_, err = r.CreateTexture(TextureDesc{Width: 4, Height: 4, Format: 99})
	wantIs(t, "bad format", err, ErrInvalidFormat)
	_, err = r.CreateTexture(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm, Usage: 1 << 20})
	wantIs(t, "bad usage", err, ErrInvalidUsage)
	_, err = r.CreateTexture(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm, MipLevels: 9})
	wantIs(t, "too many mips", err, ErrInvalidArgument)
	_, err = r.CreateBuffer(BufferDesc{Size: 0})
	wantIs(t, "zero buffer", err, ErrInvalidSize)
	// Oversized writes: region outside the texture, data beyond the staging block, buffer range.
	wantIs(t, "region outside", r.WriteTexturePixels(tex, Region{X: 10, Width: 16, Height: 8}, make([]byte, 512), 0),
		ErrOutOfBounds)
	wantIs(t, "too little data", r.WriteTexturePixels(tex, Region{}, make([]byte, 100), 0), ErrOutOfBounds)
	s, err := r.AllocStaging(64)
	wantOK(t, "AllocStaging", err)
	wantIs(t, "size beyond staging", r.WriteBuffer(buf, 0, s, 65), ErrOutOfBounds)
	wantIs(t, "negative size", r.WriteBuffer(buf, 0, s, -1), ErrOutOfBounds)
	wantIs(t, "buffer range", r.WriteBuffer(buf, 1, s, 64), ErrOutOfBounds)
	wantIs(t, "buffer bytes range", r.WriteBufferBytes(buf, 60, make([]byte, 8)), ErrOutOfBounds)
	wantIs(t, "nil staging", r.WriteBuffer(buf, 0, nil, 0), ErrNullPointer)
	wantIs(t, "empty pixels", r.WriteTexturePixels(tex, Region{}, nil, 0), ErrInvalidSize)
	_, err = r.AllocStaging(0)
	wantIs(t, "AllocStaging(0)", err, ErrInvalidSize)
	wantIs(t, "short rows", r.WriteTexturePixels(tex, Region{}, make([]byte, 512), 4), ErrInvalidArgument)
	wantOK(t, "WriteBuffer", r.WriteBuffer(buf, 0, s, 64))
	wantOK(t, "WriteTexturePixels", r.WriteTexturePixels(tex, Region{}, make([]byte, 512), 0))
	s.Free()
	s.Free() // idempotent
	wantIs(t, "freed staging", r.WriteBuffer(buf, 0, s, 1), ErrNullPointer)
	// The null GPU keeps no texels.
	wantIs(t, "ReadTexturePixels", r.ReadTexturePixels(tex, Region{}, make([]byte, 512)), ErrUnsupported)
	wantIs(t, "ReadBufferBytes", r.ReadBufferBytes(buf, 0, make([]byte, 8)), ErrUnsupported)
	// Frame state.
	wantIs(t, "EndFrame with none open", r.EndFrame(), ErrFrameState)
	wantOK(t, "BeginFrame", r.BeginFrame())
	wantIs(t, "BeginFrame twice", r.BeginFrame(), ErrFrameState)
	wantOK(t, "EndFrame", r.EndFrame())
	wantIs(t, "SignalNull future", r.SignalNull(5), ErrInvalidArgument)
	// Double release, then stale.
	wantOK(t, "Release", r.Release(tex.Handle()))
	wantIs(t, "double Release", r.Release(tex.Handle()), ErrReleased)
	wantIs(t, "Retain released", r.Retain(tex.Handle()), ErrReleased)
	wantIs(t, "SetLabel released", r.SetLabel(tex.Handle(), "x"), ErrReleased)
	wantIs(t, "WriteTexturePixels released", r.WriteTexturePixels(tex, Region{}, make([]byte, 512), 0), ErrReleased)
	retireAll(t, r)
	wantIs(t, "Release destroyed", r.Release(tex.Handle()), ErrStaleHandle)
	_, err = r.Info(tex.Handle())
	wantIs(t, "Info destroyed", err, ErrStaleHandle)
	var e *Error
	if err := r.Retain(tex.Handle()); !errors.As(err, &e) || e.Op != "Retain" || e.Code != ErrStaleHandle {
		t.Errorf("Retain stale: %#v", err)
	}
	// Device loss: GPU calls answer DEVICE_LOST, bookkeeping still works.
	wantOK(t, "LoseDeviceNull", r.LoseDeviceNull())
	_, err = r.CreateBuffer(BufferDesc{Size: 4})
	wantIs(t, "create after loss", err, ErrDeviceLost)
	_, err = r.BufferNative(buf)
	wantIs(t, "resolve after loss", err, ErrDeviceLost)
	wantOK(t, "Release after loss", r.Release(buf.Handle()))

	wantOK(t, "other Release", other.Release(Handle(foreign)))
	wantOK(t, "other Close", other.Close())
	// Everything on a closed registry answers ErrClosed, without touching C.
	wantIs(t, "Close twice", other.Close(), ErrClosed)
	wantIs(t, "Retain closed", other.Retain(Handle(foreign)), ErrClosed)
	wantIs(t, "Release closed", other.Release(Handle(foreign)), ErrClosed)
	wantIs(t, "ReleaseMany closed", other.ReleaseMany([]Handle{1}), ErrClosed)
	_, err = other.CreateTexture(TextureDesc{Width: 1, Height: 1, Format: FormatR8Unorm})
	wantIs(t, "CreateTexture closed", err, ErrClosed)
	_, err = other.Native(Handle(foreign))
	wantIs(t, "Native closed", err, ErrClosed)
	wantIs(t, "BeginFrame closed", other.BeginFrame(), ErrClosed)
	wantIs(t, "Report closed", other.Report(&bytes.Buffer{}, ReportText), ErrClosed)
	_, err = other.Stats()
	wantIs(t, "Stats closed", err, ErrClosed)
	if other.State(Handle(foreign)) != StateInvalid || other.FrameSerial() != 0 || other.Backend() != "" {
		t.Errorf("closed registry answers state/serial/backend")
	}
}

func TestBatches(t *testing.T) {
	r := newReg(t)
	hs := make([]Handle, 0, 300)
	for i := 0; i < 300; i++ {
		hs = append(hs, mustTexture(t, r, "").Handle())
	}
	wantOK(t, "RetainMany", r.RetainMany(hs))
	if in, _ := r.Info(hs[299]); in.Refcount != 2 {
		t.Fatalf("refcount after RetainMany = %d", in.Refcount)
	}
	wantOK(t, "ReleaseMany", r.ReleaseMany(hs))
	wantOK(t, "ReleaseMany empty", r.ReleaseMany(nil))
	mixed := []Handle{hs[0], 0, hs[1], hs[0]}
	err := r.ReleaseMany(mixed)
	var be *BatchError
	if !errors.As(err, &be) || be.Failed != 2 || be.Results[0] != 0 || be.Results[1] != ErrInvalidHandle ||
		be.Results[3] != ErrReleased {
		t.Fatalf("ReleaseMany mixed: %#v", err)
	}
	wantIs(t, "batch Is invalid", err, ErrInvalidHandle)
	wantIs(t, "batch Is released", err, ErrReleased)
	if !strings.Contains(err.Error(), "2 of 4 handles failed; first at index 1") {
		t.Errorf("batch message %q", err)
	}
	wantOK(t, "ReleaseMany rest", r.ReleaseMany(hs[2:]))
	retireAll(t, r)
	st, _ := r.Stats()
	if st.Texture.DestroyedTotal != 300 || st.Texture.LiveCount != 0 {
		t.Errorf("stats after batches: %+v", st.Texture)
	}
}

func TestWrongThread(t *testing.T) {
	r := newReg(t)
	tex := mustTexture(t, r, "")
	errs := make(chan error, 8)
	go func() {
		runtime.LockOSThread() // a different OS thread from the owner's for sure
		defer runtime.UnlockOSThread()
		_, err := r.CreateTexture(TextureDesc{Width: 1, Height: 1, Format: FormatR8Unorm})
		errs <- err
		errs <- r.BeginFrame()
		_, err = r.Collect()
		errs <- err
		errs <- r.Report(&bytes.Buffer{}, ReportText)
		errs <- r.WriteTexturePixels(tex, Region{}, make([]byte, 512), 0)
		errs <- r.Close()
		errs <- r.Retain(tex.Handle()) // any-thread calls work
		errs <- r.Release(tex.Handle())
	}()
	for i := 0; i < 6; i++ {
		wantIs(t, "owner-only call from another thread #"+strconv.Itoa(i), <-errs, ErrWrongThread)
	}
	wantOK(t, "Retain elsewhere", <-errs)
	wantOK(t, "Release elsewhere", <-errs)
	if r.reg == nil {
		t.Fatal("Close from another thread closed the registry")
	}
	wantOK(t, "Release", r.Release(tex.Handle()))
}

func TestReportNamesGoCreationSite(t *testing.T) {
	r := newReg(t)
	tex := mustTexture(t, r, "hero")
	_, file, line, _ := runtime.Caller(0)
	buf, err := r.CreateBuffer(BufferDesc{Size: 100}) // line + 1
	wantOK(t, "CreateBuffer", err)
	var text bytes.Buffer
	wantOK(t, "Report text", r.Report(&text, ReportDefault))
	site := file + ":" + strconv.Itoa(line+1) + " (github.com/gpureg/gpureg/go.TestReportNamesGoCreationSite)"
	if !strings.Contains(text.String(), site) || !strings.Contains(text.String(), "hero") {
		t.Errorf("text report lacks %q:\n%s", site, text.String())
	}
	d, err := r.ReportJSON()
	wantOK(t, "ReportJSON", err)
	if d.Live != 2 || len(d.Objects) != 2 {
		t.Fatalf("report = %+v", d)
	}
	for _, o := range d.Objects {
		if o.Type == "buffer" && o.Site != site {
			t.Errorf("buffer site %q, want %q", o.Site, site)
		}
		if o.Type == "texture" && !strings.Contains(o.Site, "helpers_test.go") {
			t.Errorf("texture site %q", o.Site)
		}
	}
	wantOK(t, "Release", r.Release(tex.Handle()))
	leaks, err := r.Leaks()
	if err != nil || len(leaks) != 1 || leaks[0].Type != "buffer" {
		t.Errorf("Leaks = %+v, %v", leaks, err)
	}
	wantOK(t, "Release", r.Release(buf.Handle()))
}

func TestCloseNamesLeaks(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r, err := NewNull(Options{})
	wantOK(t, "NewNull", err)
	_ = mustTexture(t, r, "forgotten")
	released := mustTexture(t, r, "released")
	wantOK(t, "Release", r.Release(released.Handle())) // pending, not leaked
	_, err = r.CreateBuffer(BufferDesc{Size: 10})
	wantOK(t, "CreateBuffer", err)
	err = r.Close()
	var le *LeakError
	if !errors.As(err, &le) || !errors.Is(err, ErrLeaked) || le.Count != 2 || len(le.Objects) != 2 {
		t.Fatalf("Close = %#v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "2 object(s) leaked") || !strings.Contains(msg, "helpers_test.go:") ||
		!strings.Contains(msg, "api_test.go:") || !strings.Contains(msg, "x1 (512 bytes)") {
		t.Errorf("Close error %q", msg)
	}
}

func TestStaging(t *testing.T) {
	r := newReg(t)
	s, err := r.AllocStaging(1000)
	wantOK(t, "AllocStaging", err)
	b := s.Bytes()
	if len(b) != 1000 || s.Len() != 1000 {
		t.Fatalf("staging len %d", len(b))
	}
	for i := range b {
		b[i] = byte(i)
	}
	buf := mustBuffer(t, r, 1000)
	wantOK(t, "WriteBuffer", r.WriteBuffer(buf, 0, s, 1000))
	wantOK(t, "WriteBuffer part", r.WriteBuffer(buf, 500, s, 500))
	s.Free()
	if s.Bytes() != nil || s.Len() != 0 {
		t.Error("freed staging still has bytes")
	}
	forgotten, err := r.AllocStaging(64) // left for the GC cleanup / Close
	wantOK(t, "AllocStaging", err)
	_ = forgotten
	wantOK(t, "Release", r.Release(buf.Handle()))
}
