package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gpureg_frame_begin
#cgo noescape gpureg_frame_begin
#cgo nocallback gpureg_frame_end
#cgo noescape gpureg_frame_end
#cgo nocallback gpureg_frame_serial
#cgo noescape gpureg_frame_serial
#cgo nocallback gr_collect
#cgo noescape gr_collect
*/
import "C"

// BeginFrame opens the next frame and destroys what the GPU has finished with. Owner thread.
func (r *Registry) BeginFrame() error {
	if r.reg == nil {
		return closedErr("BeginFrame")
	}
	err := r.check("BeginFrame", C.int32_t(C.gpureg_frame_begin(r.reg)))
	r.drainOwner()
	return err
}

// EndFrame closes the open frame and records its fence. Owner thread.
func (r *Registry) EndFrame() error {
	if r.reg == nil {
		return closedErr("EndFrame")
	}
	err := r.check("EndFrame", C.int32_t(C.gpureg_frame_end(r.reg)))
	r.drainOwner()
	return err
}

// FrameSerial is the serial of the open frame, or of the last ended one (0 before the first).
// Any goroutine.
func (r *Registry) FrameSerial() uint64 {
	if r.reg == nil {
		return 0
	}
	return uint64(C.gpureg_frame_serial(r.reg))
}

// Collect destroys every released object whose fence has signalled and answers how many.
// Owner thread. After a device loss it still destroys (host side) and answers ErrDeviceLost.
func (r *Registry) Collect() (int, error) {
	if r.reg == nil {
		return 0, closedErr("Collect")
	}
	res := C.gr_collect(r.reg)
	err := r.check("Collect", res.result)
	r.drainOwner()
	return int(res.value), err
}
