//go:build !gpureg_pkgconfig

package gpureg

// The package compiles the C library itself: zgpureg_core.c (core + null backend) and
// zgpureg_gl.c (GL backend) in this directory, plus zgpureg_vk.c with -tags gpureg_vulkan, with
// the public headers of include/gpureg/. They are generated from the repository's src/ and
// include/ (go generate; amalgam_test.go fails when they are stale). The defines are the CMake
// build's for the static library. No -O2 here: Go's default CGO_CFLAGS is already "-O2 -g", and a
// flag here would override a CGO_CFLAGS=-O0 set to debug the C code. The library links pthreads
// (runtime/cgo links them too) and, for the GL backend's loader lookup (dlopen RTLD_NOLOAD,
// dlsym), libdl where glibc still has one apart; no GL or Vulkan library.

/*
#cgo CFLAGS: -I${SRCDIR}/include -DGPUREG_STATIC -DGPUREG_BUILDING -D_POSIX_C_SOURCE=200809L -DGPUREG_HAVE_GL=1
#cgo LDFLAGS: -lpthread
#cgo linux LDFLAGS: -ldl
*/
import "C"
