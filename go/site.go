package gpureg

// #include "cgo_helpers.h"
import "C"

import (
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

// Site is where an object was created, as the report names it: "file:line (function)".
//
// Every create and adopt call has a form that takes one ([Registry.CreateTextureAt], ...), for
// engines that create lazily on a render thread from a queue of commands: capture the game's
// site when the game asks for the object ([CallerCached] is cheap enough for every call) and
// hand it over with the command. The forms without a site record their own caller. The zero
// Site is recorded as "?:0 (?)".
type Site struct {
	File     string // full path, as the Go runtime knows it
	Line     int
	Function string // package-qualified, e.g. "github.com/you/game.(*Level).Load"
}

// String formats the site as the report does.
func (s Site) String() string {
	file, function := s.File, s.Function
	if file == "" {
		file = "?"
	}
	if function == "" {
		function = "?"
	}
	return file + ":" + strconv.Itoa(s.Line) + " (" + function + ")"
}

// Caller returns the site of a function on the calling goroutine's stack: skip 0 is the
// function that calls Caller, 1 its caller, and so on. It resolves the frame every time
// (runtime.Callers and runtime.CallersFrames); [CallerCached] gives the same answer for a
// fraction of the cost. The zero Site when the stack is not that deep.
func Caller(skip int) Site {
	var pcs [1]uintptr
	if runtime.Callers(skip+2, pcs[:]) != 1 {
		return Site{}
	}
	return resolvePC(pcs[0])
}

func resolvePC(pc uintptr) Site {
	f, _ := runtime.CallersFrames([]uintptr{pc}).Next()
	return Site{File: f.File, Line: f.Line, Function: f.Function}
}

// CallerCached is [Caller] for hot paths, such as an engine's NewImage that the game calls many
// times per frame: it takes one program counter (runtime.Callers, one frame) and looks the
// resolved Site up in a process-wide cache keyed by that counter, resolving it only the first
// time a call site is seen. A program counter names one call site (of one inlined copy) for
// the life of the process, so the cache is bounded by the number of call sites in the program
// and is never invalidated. Safe for concurrent use; no allocation once the site is cached.
func CallerCached(skip int) Site {
	var pcs [1]uintptr
	if runtime.Callers(skip+2, pcs[:]) != 1 {
		return Site{}
	}
	return cachedSite(pcs[0])
}

// siteCache maps program counters to resolved sites. Readers load the current map and never
// lock; a miss resolves the site and publishes a copy of the map with it added (copy on write:
// misses are as rare as new call sites).
var siteCache struct {
	sites atomic.Pointer[map[uintptr]*Site]
	mu    sync.Mutex // serialises the writers
}

func cachedSite(pc uintptr) Site {
	if m := siteCache.sites.Load(); m != nil {
		if s, ok := (*m)[pc]; ok {
			return *s
		}
	}
	s := resolvePC(pc)
	siteCache.mu.Lock()
	defer siteCache.mu.Unlock()
	old := siteCache.sites.Load()
	next := make(map[uintptr]*Site, 1+lenOf(old))
	if old != nil {
		for k, v := range *old {
			next[k] = v
		}
	}
	next[pc] = &s
	siteCache.sites.Store(&next)
	return s
}

func lenOf(m *map[uintptr]*Site) int {
	if m == nil {
		return 0
	}
	return len(*m)
}

// createStrings are a create call's strings in C memory, in the registry's scratch (cscratch.go)
// for the call (the core copies them); extra is what else the call puts there.
type createStrings struct {
	file, function, label *C.char
	line                  C.uint32_t
	scratch               *cScratch
}

// takeCreateStrings puts site and label in s, with room for extra more bytes; false (nothing
// taken) when C is out of memory. The caller gives s back after the call.
func takeCreateStrings(s *cScratch, site Site, label string, extra int) (createStrings, bool) {
	room := scratchRoom(len(site.File)) + scratchRoom(len(site.Function)) + scratchRoom(len(label))
	if extra > 0 {
		room += scratchRoom(extra)
	}
	if !s.take(room) {
		return createStrings{}, false
	}
	return createStrings{file: s.cstring(site.File), function: s.cstring(site.Function), label: s.cstring(label),
		line: C.uint32_t(max(site.Line, 0)), scratch: s}, true
}

// cSite is the C site of cs (the C library treats NULL strings as "?").
func cSite(cs *createStrings) C.gpureg_site {
	var s C.gpureg_site
	s.file = cs.file
	s.line = cs.line
	s.function = cs.function
	return s
}
