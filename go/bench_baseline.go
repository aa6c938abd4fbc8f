package gpureg

/*
// The floor of a Go -> C call: a C function that does nothing, marked like the real entry points.
static inline void gr_noop(void) {}
#cgo nocallback gr_noop
#cgo noescape gr_noop
*/
import "C"

// cgoNoop is the empty cgo call the benchmarks use as their baseline. It lives in a non-test
// file because cgo is not allowed in _test.go files.
func cgoNoop() { C.gr_noop() }
