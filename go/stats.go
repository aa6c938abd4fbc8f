package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gr_stats
#cgo noescape gr_stats
*/
import "C"

// TypeStats are the counters of one object type or kind.
type TypeStats struct {
	LiveCount, LiveBytes                   uint64 // refcount > 0
	PendingCount, PendingBytes             uint64 // released, waiting for a fence
	CreatedTotal, DestroyedTotal           uint64
	LiveCountHighWater, LiveBytesHighWater uint64
}

// Stats is a snapshot of the registry's counters (they may be a moment apart from each other).
type Stats struct {
	Texture, Buffer TypeStats // the same as ByKind[KindTexture] and ByKind[KindBuffer]
	// ByKind are the counters of every kind, indexed by Kind (ByKind[KindFramebuffer]);
	// ByKind[KindUndefined] stays zero.
	ByKind              [KindCount]TypeStats
	PendingOldestFrames uint64
	PendingOldestNS     uint64
	FrameSerial         uint64
	CompletedSerial     uint64
	SlotCapacity        uint64
	SlotsRetired        uint64
	HostBytes           uint64
	HostBytesOS         uint64 // of HostBytes, slot tables committed from the OS (not the allocator)
	MessagesQueued      uint64
	MessagesDropped     uint64
	LateCallbacks       uint64
	DeviceAllocations   uint64
	DeviceBytes         uint64
	ErrorMessages       uint64 // validation-type error messages seen since creation
}

func typeStats(s *C.gpureg_type_stats) TypeStats {
	return TypeStats{
		LiveCount: uint64(s.live_count), LiveBytes: uint64(s.live_bytes),
		PendingCount: uint64(s.pending_count), PendingBytes: uint64(s.pending_bytes),
		CreatedTotal: uint64(s.created_total), DestroyedTotal: uint64(s.destroyed_total),
		LiveCountHighWater: uint64(s.live_count_high_water), LiveBytesHighWater: uint64(s.live_bytes_high_water),
	}
}

// Stats reads the counters. Any goroutine.
func (r *Registry) Stats() (Stats, error) {
	if r.reg == nil {
		return Stats{}, closedErr("Stats")
	}
	res := C.gr_stats(r.reg)
	if err := r.checkAny("Stats", res.result); err != nil {
		return Stats{}, err
	}
	s := &res.stats
	st := Stats{
		Texture: typeStats(&s.texture), Buffer: typeStats(&s.buffer),
		PendingOldestFrames: uint64(s.pending_oldest_frames), PendingOldestNS: uint64(s.pending_oldest_ns),
		FrameSerial: uint64(s.frame_serial), CompletedSerial: uint64(s.completed_serial),
		SlotCapacity: uint64(s.slot_capacity), SlotsRetired: uint64(s.slots_retired),
		HostBytes: uint64(s.host_bytes), HostBytesOS: uint64(s.host_bytes_os), MessagesQueued: uint64(s.messages_queued),
		MessagesDropped: uint64(s.messages_dropped), LateCallbacks: uint64(s.late_callbacks),
		DeviceAllocations: uint64(s.device_allocations), DeviceBytes: uint64(s.device_bytes),
		ErrorMessages: uint64(res.error_messages),
	}
	for k := range st.ByKind {
		st.ByKind[k] = typeStats(&s.by_kind[k])
	}
	return st, nil
}
