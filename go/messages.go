package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gr_poll_messages
#cgo noescape gr_poll_messages
#cgo nocallback free
#cgo noescape free
*/
import "C"

import "unsafe"

// Message is a debug message from the driver or from gpureg itself.
type Message struct {
	Severity uint32 // 1 info, 2 warning, 3 error
	Type     uint32 // 1 general, 2 validation, 3 performance
	ID       int32  // GL message id / Vulkan messageIdNumber
	Handle   Handle // object the message names, 0 if none
	Frame    uint64 // frame serial when it was copied
	Text     string
}

const messageBatch = 64

// Messages moves every queued debug message out of the registry, oldest first. Messages are
// polled, never delivered by callback. Any goroutine.
func (r *Registry) Messages() ([]Message, error) {
	if r.reg == nil {
		return nil, closedErr("Messages")
	}
	buf := (*C.gpureg_message)(C.malloc(C.size_t(messageBatch) * C.sizeof_gpureg_message))
	defer C.free(unsafe.Pointer(buf))
	var out []Message
	for {
		res := C.gr_poll_messages(r.reg, buf, C.size_t(messageBatch))
		if err := r.checkAny("Messages", res.result); err != nil {
			return out, err
		}
		msgs := unsafe.Slice(buf, int(res.value)) // C memory
		for i := range msgs {
			m := &msgs[i]
			out = append(out, Message{
				Severity: uint32(m.severity), Type: uint32(m._type), ID: int32(m.id),
				Handle: Handle(m.handle), Frame: uint64(m.frame), Text: C.GoString(&m.text[0]),
			})
		}
		if res.value < messageBatch {
			return out, nil
		}
	}
}
