package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gpureg_result_string
#cgo noescape gpureg_result_string
*/
import "C"

import (
	"errors"
	"strings"
	"sync/atomic"
)

// Result is a C result code (gpureg_result). Every non-zero value is also an error, so the
// exported sentinels below are plain Result values and compare with errors.Is.
type Result int32

// Sentinels, one per GPUREG_RESULT_TABLE entry of gpureg.h (a test keeps them in step).
var (
	ErrNullPointer       error = Result(C.GPUREG_ERR_NULL_POINTER)
	ErrInvalidArgument   error = Result(C.GPUREG_ERR_INVALID_ARGUMENT)
	ErrInvalidSize       error = Result(C.GPUREG_ERR_INVALID_SIZE)
	ErrInvalidFormat     error = Result(C.GPUREG_ERR_INVALID_FORMAT)
	ErrInvalidUsage      error = Result(C.GPUREG_ERR_INVALID_USAGE)
	ErrInvalidHandle     error = Result(C.GPUREG_ERR_INVALID_HANDLE)
	ErrStaleHandle       error = Result(C.GPUREG_ERR_STALE_HANDLE)
	ErrReleased          error = Result(C.GPUREG_ERR_RELEASED)
	ErrWrongType         error = Result(C.GPUREG_ERR_WRONG_TYPE)
	ErrForeignHandle     error = Result(C.GPUREG_ERR_FOREIGN_HANDLE)
	ErrWrongThread       error = Result(C.GPUREG_ERR_WRONG_THREAD)
	ErrOutOfMemory       error = Result(C.GPUREG_ERR_OUT_OF_MEMORY)
	ErrRefcountOverflow  error = Result(C.GPUREG_ERR_REFCOUNT_OVERFLOW)
	ErrHandlesExhausted  error = Result(C.GPUREG_ERR_HANDLES_EXHAUSTED)
	ErrFrameState        error = Result(C.GPUREG_ERR_FRAME_STATE)
	ErrOutOfBounds       error = Result(C.GPUREG_ERR_OUT_OF_BOUNDS)
	ErrUnsupported       error = Result(C.GPUREG_ERR_UNSUPPORTED)
	ErrDeviceLost        error = Result(C.GPUREG_ERR_DEVICE_LOST)
	ErrTimeout           error = Result(C.GPUREG_ERR_TIMEOUT)
	ErrBufferTooSmall    error = Result(C.GPUREG_ERR_BUFFER_TOO_SMALL)
	ErrBackend           error = Result(C.GPUREG_ERR_BACKEND)
	ErrTooManyRegistries error = Result(C.GPUREG_ERR_TOO_MANY_REGISTRIES)
)

// Errors of the Go layer itself (no C counterpart).
var (
	// ErrClosed: the registry was closed.
	ErrClosed = errors.New("gpureg: registry is closed")
	// ErrLeaked: Close found objects still alive; the error is a *LeakError naming them.
	ErrLeaked = errors.New("gpureg: objects leaked")
)

// Error implements error with the C library's name and meaning of the code
// ("GPUREG_ERR_STALE_HANDLE: handle refers to an object that has been destroyed").
// The C text of a code is read once per process (codes below 64; the table has fewer) and kept,
// so Error and Name make no cgo call after the first for that code.
func (r Result) Error() string {
	if uint32(r) >= uint32(len(resultTexts)) {
		return C.GoString(C.gpureg_result_string(C.gpureg_result(r)))
	}
	if text := resultTexts[r].Load(); text != nil {
		return *text
	}
	text := C.GoString(C.gpureg_result_string(C.gpureg_result(r)))
	resultTexts[r].Store(&text)
	return text
}

var resultTexts [64]atomic.Pointer[string]

// Name is the code's C name without the GPUREG_ prefix ("ERR_STALE_HANDLE").
func (r Result) Name() string {
	s := r.Error()
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimPrefix(s, "GPUREG_")
}

// Error is a failed call: the operation and the C result code. errors.Is(err, ErrStaleHandle)
// matches through Unwrap.
type Error struct {
	Op   string // Go method, e.g. "Retain"
	Code Result
	// Detail is what gpureg said about this failure, when it said something: the line the C
	// library logged for it ("gpureg_texture_create: texture size 0x4 outside 1..65536"), or,
	// for NewGL without a current context, what the loader tried. Filled for owner-thread calls
	// and the registry constructors; "" for the calls any goroutine makes (their lines still
	// reach Options.Log).
	Detail string
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return "gpureg: " + e.Op + ": " + e.Code.Error() + ": " + e.Detail
	}
	return "gpureg: " + e.Op + ": " + e.Code.Error()
}

// Unwrap gives the sentinel, so errors.Is works against the exported Err* values.
func (e *Error) Unwrap() error { return e.Code }

func closedErr(op string) error { return &opError{op: op, err: ErrClosed} }

// opError wraps a Go-side error with the operation, like *Error does for C codes.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string {
	return "gpureg: " + e.op + ": " + strings.TrimPrefix(e.err.Error(), "gpureg: ")
}
func (e *opError) Unwrap() error { return e.err }
