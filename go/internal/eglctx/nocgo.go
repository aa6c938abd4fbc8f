//go:build !cgo

package eglctx

// Without cgo this package is empty: only cgo code imports it (the GL tests and
// examples/sprites), and keeping it loadable lets `CGO_ENABLED=0 go build ./...` stop at the one
// line of package gpureg that says cgo is needed.
