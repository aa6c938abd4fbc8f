// Package gpureg is the Go binding of gpureg, a registry of GPU textures and buffers behind
// 64-bit integer handles with reference counts, deferred destruction and a leak report that
// names the Go code that created each leaked object.
//
// Every other object an engine deletes (framebuffers, renderbuffers, vertex arrays, samplers,
// shaders, programs; Vulkan views, render passes, pipelines, layouts, descriptor pools) is an
// [Object] of a [Kind], with the same refcount, deferred destruction, label, site and report
// line: create it ([Registry.CreateFramebuffer], ...) or adopt it ([Registry.AdoptGLObject],
// [Registry.AdoptVkObject]). [Registry.CreateRenderTarget] and [Registry.Depend] make objects
// die as one unit.
//
// # No Go pointer crosses into C
//
// Every call into C takes integers and C pointers only; results come back by value. Pixel data
// goes through [Staging] memory that C owns and Go fills through a slice over it. Strings
// (labels, creation sites), shader code and handle lists are copied into C memory for the
// duration of one call. The test
// suite proves it twice: it runs under GOEXPERIMENT=cgocheck2, and TestNoGoPointersCrossToC
// reads this package's source and rejects any C call whose arguments could carry Go memory.
//
// # Threads
//
// The owner of a registry is the OS thread that created it. Owner-only calls (create, frames,
// collect, transfers, report, Close) answer [ErrWrongThread] from any other thread and change
// nothing. A goroutine moves between OS threads unless it is locked, so the goroutine that owns
// a registry must call runtime.LockOSThread before [NewNull] and stay locked while it uses the
// registry (a render loop usually already is: GL requires it). Retain, Release, the batch
// calls, resolve, queries, labels, stats and messages work from any goroutine.
//
// # GC safety net
//
// Explicit Release is the primary path. [Tie] adds a safety net: when the Go object a handle is
// tied to becomes unreachable without an explicit release, a runtime cleanup releases the
// handle (an integer into the registry's release inbox, never a GPU call) and the report marks
// the object released_by_gc, so the forgotten Dispose shows up with its creation site.
//
// # Creation sites
//
// The report names the Go function and file:line that created each object. The create and
// adopt calls record their caller; each has an ...At form that takes a [Site], for engines that
// create later on a render thread what the game asked for: capture the game's site with
// [CallerCached] (one runtime.Callers frame and a cache lookup, no allocation) when the game
// calls, and pass it along.
//
// # Diagnostics and shutdown
//
// Options.Log receives the C library's diagnostic lines ([LogFunc]); C never calls Go: the lines
// go into a C ring that the Go side drains on the calling goroutine, after a call that failed,
// after creation and at Close. A failed owner-thread call's *Error also carries its line
// (Error.Detail). Close with nothing unexpected left answers nil and prints nothing; with leaks
// it answers a *LeakError naming each leaked object's site, and never aborts, even with
// GPUREG_LEAK_FATAL=1 in the environment (LeakError.Fatal reports it).
//
// # Linking
//
// The package compiles gpureg's C library itself, through cgo: `go get
// github.com/gpureg/gpureg/go` and `go build` need Go 1.24 or newer and a C compiler, nothing
// else (no CMake, no pkg-config, no shared library to find at run time). The C code is an
// amalgamation generated from the repository's src/ and include/ into this directory
// (zgpureg_core.c: core and null backend; zgpureg_gl.c: GL backend; zgpureg_vk.c; and the public
// headers in include/gpureg/) by go generate; a test fails when it is stale. Build tags:
//
//   - gpureg_vulkan adds the Vulkan backend ([NewVulkan]). It needs the Vulkan headers
//     (apt-get install libvulkan-dev) and links no Vulkan library: every Vulkan function comes
//     through the app's vkGetInstanceProcAddr. Without the tag nothing includes a Vulkan header
//     and NewVulkan answers [ErrUnsupported].
//   - gpureg_pkgconfig links a libgpureg installed on the system through pkg-config (gpureg.pc)
//     instead of compiling the amalgamation: set PKG_CONFIG_PATH to an install's lib/pkgconfig
//     or a CMake build tree's pkgconfig directory.
//
// With CGO_ENABLED=0 the package does not build, and says so in one line.
package gpureg

//go:generate go run ./internal/amalgam/cmd/amalgamate

/*
#include "cgo_helpers.h"
*/
import "C"
