//go:build cgo

package gpureg

/*
#include <stdlib.h>
#cgo nocallback free
#cgo noescape free
*/
import "C"

import (
	"sync"
	"unsafe"
)

// cScratch is C memory that a call copies its strings and arrays into (a create's site and
// label, a shader's code, a program's handles, SetLabel's label), so that the call crosses into
// C once: C.CString and C.free were a crossing each. It is reused from call to call and grown (a
// C.free and a C.malloc) only when a call needs more than any before; Close frees it. mu keeps a
// call on another goroutine (which C refuses if it is owner-only) from writing it meanwhile.
type cScratch struct {
	mu         sync.Mutex
	base       *C.char
	size, used uintptr
}

// scratchRoom is what a string or byte run takes in the scratch: its bytes, a NUL, and padding
// to 8 bytes so the next run is aligned for any C type.
func scratchRoom(n int) uintptr { return (uintptr(n) + 1 + 7) &^ 7 }

// take locks s with room for n bytes (the sum of scratchRoom of what the call puts); false,
// unlocked, when C is out of memory.
func (s *cScratch) take(n uintptr) bool {
	s.mu.Lock()
	if n > s.size {
		size := max(n, 2*s.size, 256)
		p := (*C.char)(C.malloc(C.size_t(size)))
		if p == nil {
			s.mu.Unlock()
			return false
		}
		C.free(unsafe.Pointer(s.base))
		s.base, s.size = p, size
	}
	s.used = 0
	return true
}

// give ends the call: what was put is no longer read.
func (s *cScratch) give() { s.mu.Unlock() }

// put copies b and a NUL into the scratch (within what take reserved); an empty b gives nil.
func (s *cScratch) put(b []byte) *C.char {
	if len(b) == 0 {
		return nil
	}
	p := (*C.char)(unsafe.Add(unsafe.Pointer(s.base), s.used))
	dst := unsafe.Slice((*byte)(unsafe.Pointer(p)), len(b)+1)
	copy(dst, b)
	dst[len(b)] = 0
	s.used += scratchRoom(len(b))
	return p
}

// cstring is put for a string: a NUL-terminated copy in C memory, nil for "".
func (s *cScratch) cstring(str string) *C.char {
	return s.put(unsafe.Slice(unsafe.StringData(str), len(str)))
}

func (s *cScratch) free() {
	s.mu.Lock()
	C.free(unsafe.Pointer(s.base))
	s.base, s.size, s.used = nil, 0, 0
	s.mu.Unlock()
}
