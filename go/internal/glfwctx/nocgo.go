//go:build !cgo

package glfwctx

// Without cgo this package is empty: only cgo tests use it, and keeping it loadable lets
// `CGO_ENABLED=0 go build ./...` stop at the one line of package gpureg that says cgo is needed.
