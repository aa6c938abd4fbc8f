package gpureg

import (
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// Baselines run in the same `go test -bench` as the measured calls: the empty cgo call (the
// floor any binding pays) and a mutex-guarded Go map (how Go engines track GPU objects today).

func BenchmarkCgoFloor(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		cgoNoop()
	}
}

// mapRegistry is the baseline: handles in a Go map behind a mutex.
type mapRegistry struct {
	mu      sync.Mutex
	objects map[uint64]*mapEntry
}

type mapEntry struct {
	native   uint64
	refcount int32
}

func (m *mapRegistry) resolve(h uint64) (uint64, bool) {
	m.mu.Lock()
	e, ok := m.objects[h]
	m.mu.Unlock()
	if !ok || e.refcount == 0 {
		return 0, false
	}
	return e.native, true
}

func (m *mapRegistry) retain(h uint64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.objects[h]
	if ok {
		e.refcount++
	}
	return ok
}

func (m *mapRegistry) release(h uint64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.objects[h]
	if ok {
		e.refcount--
	}
	return ok
}

func newMapRegistry(n int) *mapRegistry {
	m := &mapRegistry{objects: map[uint64]*mapEntry{}}
	for i := 1; i <= n; i++ {
		m.objects[uint64(i)<<20|uint64(i)] = &mapEntry{native: uint64(i), refcount: 1}
	}
	return m
}

func BenchmarkMutexMapResolve(b *testing.B) {
	m := newMapRegistry(1024)
	h := uint64(7)<<20 | 7
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok := m.resolve(h); !ok {
			b.Fatal("resolve")
		}
	}
}

func BenchmarkMutexMapRetainRelease(b *testing.B) {
	m := newMapRegistry(1024)
	h := uint64(7)<<20 | 7
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.retain(h)
		m.release(h)
	}
}

// benchReg makes a registry with n textures on this (locked) goroutine.
func benchReg(b *testing.B, n int) (*Registry, []Handle) {
	b.Helper()
	runtime.LockOSThread()
	r, err := NewNull(Options{})
	if err != nil {
		b.Fatal(err)
	}
	hs := make([]Handle, n)
	for i := range hs {
		t, err := r.CreateTexture(TextureDesc{Width: 4, Height: 4, Format: FormatRGBA8Unorm})
		if err != nil {
			b.Fatal(err)
		}
		hs[i] = t.Handle()
	}
	b.Cleanup(func() {
		if err := r.ReleaseMany(hs); err != nil {
			b.Error(err)
		}
		if err := r.Close(); err != nil {
			b.Error(err)
		}
		runtime.UnlockOSThread()
	})
	return r, hs
}

func BenchmarkResolve(b *testing.B) {
	r, hs := benchReg(b, 1024)
	t := Texture(hs[7])
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.TextureNative(t); err != nil {
			b.Fatal(err)
		}
	}
}

// One op is a Retain plus a Release (two crossings); ns/call is the cost of each.
func BenchmarkRetainRelease(b *testing.B) {
	r, hs := benchReg(b, 1024)
	h := hs[7]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.Retain(h); err != nil {
			b.Fatal(err)
		}
		if err := r.Release(h); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2, "ns/call")
}

// One op is a ReleaseMany of n handles; every handle was retained b.N times beforehand (outside
// the timer), so each release is a real decrement.
func BenchmarkReleaseMany(b *testing.B) {
	for _, n := range []int{1, 64, 1024} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			r, hs := benchReg(b, n)
			for i := 0; i < b.N; i++ {
				if err := r.RetainMany(hs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := r.ReleaseMany(hs); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/handle")
		})
	}
}
