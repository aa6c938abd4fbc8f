//go:build cgo

package gpureg

import (
	"errors"
	"runtime"
	"testing"
)

// FuzzOps drives the package with a sequence of operations read two bytes at a time (opcode,
// argument) and checks every answer against a model of the refcounts and the frame state. Forged
// handles, double releases and bad descs are part of the alphabet; nothing may panic, every error
// must be the sentinel the model predicts, and the registry must end with nothing leaked.
func FuzzOps(f *testing.F) {
	f.Add([]byte{0, 1, 1, 2, 6, 0, 2, 0, 3, 0, 3, 0, 3, 0, 7, 0, 8, 1, 9, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		r, err := NewNull(Options{})
		if err != nil {
			t.Fatal(err)
		}
		m := &opsModel{t: t, r: r, rc: map[Handle]int{}}
		for i := 0; i+1 < len(data) && i < 2*512; i += 2 {
			m.step(data[i], data[i+1])
		}
		m.finish()
	})
}

type opsModel struct {
	t         *testing.T
	r         *Registry
	handles   []Handle
	rc        map[Handle]int // model refcount; 0 = released (pending or destroyed)
	frameOpen bool
	created   uint64
}

func (m *opsModel) pick(arg byte) Handle {
	if len(m.handles) == 0 {
		return 0
	}
	return m.handles[int(arg)%len(m.handles)]
}

// expect checks a call's answer against the model: ok, or one of the allowed sentinels.
func (m *opsModel) expect(what string, err error, ok bool, allowed ...error) {
	m.t.Helper()
	if ok {
		if err != nil {
			m.t.Fatalf("%s: %v", what, err)
		}
		return
	}
	for _, a := range allowed {
		if errors.Is(err, a) {
			return
		}
	}
	m.t.Fatalf("%s: got %v, want one of %v", what, err, allowed)
}

func (m *opsModel) step(op, arg byte) {
	r := m.r
	h := m.pick(arg)
	alive := m.rc[h] > 0
	switch op % 14 {
	case 0:
		w := uint32(arg % 70) // 0 and large values are invalid sizes only at 0
		tex, err := r.CreateTexture(TextureDesc{Width: w, Height: 4, Format: Format(arg % 12)})
		valid := w > 0 && arg%12 >= 1 && Format(arg%12) <= FormatS8Uint // the last format
		m.expect("CreateTexture", err, valid, ErrInvalidSize, ErrInvalidFormat)
		if err == nil {
			m.add(Handle(tex))
		}
	case 1:
		b, err := r.CreateBuffer(BufferDesc{Size: uint64(arg)})
		m.expect("CreateBuffer", err, arg > 0, ErrInvalidSize)
		if err == nil {
			m.add(Handle(b))
		}
	case 2:
		m.expect("Retain", r.Retain(h), alive, ErrInvalidHandle, ErrReleased, ErrStaleHandle)
		if alive {
			m.rc[h]++
		}
	case 3:
		m.expect("Release", r.Release(h), alive, ErrInvalidHandle, ErrReleased, ErrStaleHandle)
		if alive {
			m.rc[h]--
		}
	case 4, 5:
		var hs []Handle
		for k := 0; k < int(arg%5); k++ {
			hs = append(hs, m.pick(arg+byte(k)*7))
		}
		want := true
		seen := map[Handle]int{}
		for _, x := range hs {
			seen[x]++
			if m.rc[x] < seen[x] && op%14 == 4 || m.rc[x] == 0 {
				want = false
			}
		}
		var err error
		if op%14 == 4 {
			err = r.ReleaseMany(hs)
		} else {
			err = r.RetainMany(hs)
		}
		var be *BatchError
		if err != nil && !errors.As(err, &be) {
			m.t.Fatalf("batch: %v", err)
		}
		if want != (err == nil) {
			m.t.Fatalf("batch %v: got %v, model says ok=%v", hs, err, want)
		}
		for i, x := range hs { // apply what succeeded
			if be == nil || be.Results[i] == 0 {
				if op%14 == 4 {
					m.rc[x]--
				} else {
					m.rc[x]++
				}
			}
		}
	case 6:
		m.expect("BeginFrame", r.BeginFrame(), !m.frameOpen, ErrFrameState)
		m.frameOpen = true
	case 7:
		m.expect("EndFrame", r.EndFrame(), m.frameOpen, ErrFrameState)
		m.frameOpen = false
	case 8:
		s := r.FrameSerial()
		if m.frameOpen && s > 0 {
			s--
		}
		target := uint64(arg % 8)
		m.expect("SignalNull", r.SignalNull(target), target <= s, ErrInvalidArgument)
	case 9:
		_, err := r.Collect()
		m.expect("Collect", err, true)
	case 10: // forged: a live handle with another slot index, generation or tag
		forged := []Handle{h ^ Handle(arg)<<40, h ^ 1<<(54+uint(arg%10)), h ^ 0x3<<52}[arg%3]
		if _, ok := m.rc[forged]; ok || forged == h {
			return
		}
		m.expect("Retain forged", r.Retain(forged), false, ErrInvalidHandle, ErrForeignHandle, ErrWrongType,
			ErrStaleHandle, ErrReleased)
		_, err := r.Native(forged)
		m.expect("Native forged", err, false, ErrInvalidHandle, ErrForeignHandle, ErrWrongType, ErrStaleHandle,
			ErrReleased)
	case 11:
		_, err := r.Native(h)
		m.expect("Native", err, alive, ErrInvalidHandle, ErrReleased, ErrStaleHandle)
		in, err := r.Info(h)
		if alive && (err != nil || int(in.Refcount) != m.rc[h]) {
			m.t.Fatalf("Info %v = %+v, %v; model refcount %d", h, in, err, m.rc[h])
		}
	case 12:
		err := r.SetLabel(h, string([]byte{'a' + arg%26}))
		m.expect("SetLabel", err, alive, ErrInvalidHandle, ErrReleased, ErrStaleHandle)
		if l, err := r.Label(h); alive && (err != nil || l != string([]byte{'a' + arg%26})) {
			m.t.Fatalf("Label = %q, %v", l, err)
		}
	case 13:
		n := int(arg) * 8
		var err error
		if uint64(h)>>52&3 == 1 {
			err = r.WriteTexturePixels(Texture(h), Region{Width: 2, Height: 2}, make([]byte, n), 0)
			// 2x2 texels need at most 2*2*16 bytes; fewer than a format's need is OUT_OF_BOUNDS.
			if err != nil && alive && !errors.Is(err, ErrOutOfBounds) && !errors.Is(err, ErrInvalidSize) &&
				!errors.Is(err, ErrUnsupported) {
				m.t.Fatalf("WriteTexturePixels: %v", err)
			}
		} else {
			err = r.WriteBufferBytes(Buffer(h), uint64(arg%16), make([]byte, n))
			if err != nil && alive && !errors.Is(err, ErrOutOfBounds) && !errors.Is(err, ErrInvalidSize) {
				m.t.Fatalf("WriteBufferBytes: %v", err)
			}
		}
		if !alive && err == nil && h != 0 {
			m.t.Fatalf("write to a released handle succeeded")
		}
	}
}

func (m *opsModel) add(h Handle) {
	m.handles = append(m.handles, h)
	m.rc[h] = 1
	m.created++
}

func (m *opsModel) finish() {
	var rest []Handle
	for h, n := range m.rc {
		for ; n > 0; n-- {
			rest = append(rest, h)
		}
	}
	if err := m.r.ReleaseMany(rest); err != nil {
		m.t.Fatalf("final ReleaseMany: %v", err)
	}
	if m.frameOpen {
		m.expect("EndFrame", m.r.EndFrame(), true)
	}
	if s := m.r.FrameSerial(); s > 0 {
		m.expect("SignalNull", m.r.SignalNull(s), true)
	}
	if _, err := m.r.Collect(); err != nil {
		m.t.Fatalf("Collect: %v", err)
	}
	st, err := m.r.Stats()
	if err != nil || st.Texture.CreatedTotal+st.Buffer.CreatedTotal != m.created ||
		st.Texture.DestroyedTotal+st.Buffer.DestroyedTotal != m.created {
		m.t.Fatalf("stats %+v, %v; created %d", st, err, m.created)
	}
	if err := m.r.Close(); err != nil {
		m.t.Fatalf("Close: %v", err)
	}
}
