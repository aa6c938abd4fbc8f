//go:build !cgo

package gpureg

// The package compiles gpureg's C sources through cgo. Without cgo (CGO_ENABLED=0, or no C
// compiler found, or cross-compiling without CC set) the build stops here, at this one line.
var _ = gpureg_requires_cgo_set_CGO_ENABLED_1_and_install_a_C_compiler
