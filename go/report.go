package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gr_report
#cgo noescape gr_report
#cgo nocallback gr_report_since
#cgo noescape gr_report_since
#cgo nocallback gpureg_checkpoint_now
#cgo noescape gpureg_checkpoint_now
#cgo nocallback gpureg_set_expected_at_shutdown
#cgo noescape gpureg_set_expected_at_shutdown
#cgo nocallback free
#cgo noescape free
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"unsafe"
)

// reportBytes runs the C report into a C buffer (the writer is C, so nothing calls back into Go)
// and copies it out: the whole report, or (whole false) the report since the checkpoint.
func (r *Registry) reportBytes(op string, format ReportFormat, since Checkpoint, whole bool) ([]byte, error) {
	if r.reg == nil {
		return nil, closedErr(op)
	}
	var res C.gr_bytes_result
	if whole {
		res = C.gr_report(r.reg, C.uint32_t(format))
	} else {
		res = C.gr_report_since(r.reg, C.uint64_t(since), C.uint32_t(format))
	}
	defer C.free(unsafe.Pointer(res.data))
	if err := r.check(op, res.result); err != nil {
		return nil, err
	}
	return C.GoBytes(unsafe.Pointer(res.data), C.int(res.length)), nil
}

// Report writes the live/leak report (ReportText or ReportJSON; see gpureg.h for the stable JSON
// schema): every live or pending object with its creation site, released_by_gc, and totals by
// site and type; objects expected at shutdown are listed apart. Owner thread.
func (r *Registry) Report(w io.Writer, format ReportFormat) error {
	if format == ReportDefault {
		format = ReportText
	}
	b, err := r.reportBytes("Report", format, 0, true)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Checkpoint is a point in the registry's history (gpureg_checkpoint): objects created after it
// are "since" it. Checkpoints are numbers, not state: keep as many as you like, they cost
// nothing. Checkpoint 0 is the registry's creation.
type Checkpoint uint64

// CheckpointNow answers the checkpoint of now: every object created after this call is since
// it. Any goroutine (call it on the owner thread for an exact boundary with its creates); 0 once
// closed.
func (r *Registry) CheckpointNow() Checkpoint {
	if r.reg == nil {
		return 0
	}
	return Checkpoint(C.gpureg_checkpoint_now(r.reg))
}

// ReportSince writes the report of what was created after cp and is still here (alive, or
// released and waiting for its fence), grouped by creation site, largest first: "after level 1
// was unloaded, what is still here?". Objects expected at shutdown are listed apart. Owner thread.
func (r *Registry) ReportSince(w io.Writer, cp Checkpoint, format ReportFormat) error {
	if format == ReportDefault {
		format = ReportText
	}
	b, err := r.reportBytes("ReportSince", format, cp, false)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// ReportSinceJSON is ReportSince parsed: Checkpoint is cp, Objects are ordered by site.
// Owner thread.
func (r *Registry) ReportSinceJSON(cp Checkpoint) (ReportData, error) {
	return r.reportData("ReportSinceJSON", cp, false)
}

// SetExpectedAtShutdown marks (or unmarks) an object as expected to live until Close, as
// TextureDesc.ExpectedAtShutdown does at creation: the report lists it apart and Close does not
// count it as a leak. A released object waiting for its fence may be marked too. Owner thread.
func (r *Registry) SetExpectedAtShutdown(h Handle, expected bool) error {
	if r.reg == nil {
		return closedErr("SetExpectedAtShutdown")
	}
	return r.check("SetExpectedAtShutdown",
		C.int32_t(C.gpureg_set_expected_at_shutdown(r.reg, C.gpureg_handle(h), C.int(boolInt(expected)))))
}

// ReportObject is one object of the JSON report.
type ReportObject struct {
	Handle       string  `json:"handle"`
	Type         string  `json:"type"` // the kind's name (Kind.String): "texture", "framebuffer", ...
	Label        *string `json:"label"`
	Site         string  `json:"site"`
	Bytes        uint64  `json:"bytes"`
	Refcount     uint32  `json:"refcount"`
	State        string  `json:"state"`
	FrameCreated uint64  `json:"frame_created"`
	ReleasedByGC bool    `json:"released_by_gc"`
	Adopted      bool    `json:"adopted"`
	Parent       string  `json:"parent,omitempty"` // "0x...": the object it depends on, if any
}

// ReportData is the parsed JSON report.
type ReportData struct {
	Checkpoint uint64         `json:"checkpoint"` // ReportSinceJSON: the checkpoint; 0 otherwise
	Live       uint64         `json:"live"`       // unexpected objects alive
	Pending    uint64         `json:"pending"`    // unexpected objects released, waiting for a fence
	Objects    []ReportObject `json:"objects"`    // the unexpected objects
	// Expected are the objects marked expected at shutdown, listed apart and counted in none of
	// the above.
	ExpectedCount uint64         `json:"expected"`
	Expected      []ReportObject `json:"expected_at_shutdown"`
}

// ReportJSON returns the parsed report. Owner thread.
func (r *Registry) ReportJSON() (ReportData, error) { return r.reportData("ReportJSON", 0, true) }

func (r *Registry) reportData(op string, cp Checkpoint, whole bool) (ReportData, error) {
	var d ReportData
	b, err := r.reportBytes(op, ReportJSON, cp, whole)
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return d, &opError{op: op, err: err}
	}
	return d, nil
}

// Leaks lists the objects still alive (refcount > 0) and not expected at shutdown: what Close
// would report as leaked. Released objects waiting for their fence are not leaks. Owner thread.
func (r *Registry) Leaks() ([]ReportObject, error) {
	d, err := r.ReportJSON()
	if err != nil {
		return nil, err
	}
	var leaks []ReportObject
	for _, o := range d.Objects {
		if o.State == "alive" {
			leaks = append(leaks, o)
		}
	}
	return leaks, nil
}

// LeakError is Close's answer when objects leaked. errors.Is(err, ErrLeaked) holds.
type LeakError struct {
	Count   int            // leaked objects (objects expected at shutdown are not counted)
	Objects []ReportObject // each with its creation site
	// Fatal: GPUREG_LEAK_FATAL=1 (any value but "" and "0") was in the environment at Close,
	// asking that leaks fail the program. The C library would abort(); the Go package does not
	// die inside cgo but leaves the verdict to its caller: gpuregtest fails the test, a program
	// may log.Fatal(err).
	Fatal bool
}

func (e *LeakError) Error() string {
	return fmt.Sprintf("gpureg: Close: %d object(s) leaked: %s", e.Count, SummarizeSites(e.Objects))
}

func (e *LeakError) Unwrap() error { return ErrLeaked }

// SummarizeSites groups objects by creation site: "file:line (func) x2 (512 bytes); ...",
// largest first.
func SummarizeSites(objs []ReportObject) string {
	type group struct {
		site         string
		count, bytes uint64
	}
	idx := map[string]*group{}
	var groups []*group
	for _, o := range objs {
		g := idx[o.Site]
		if g == nil {
			g = &group{site: o.Site}
			idx[o.Site] = g
			groups = append(groups, g)
		}
		g.count++
		g.bytes += o.Bytes
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].bytes > groups[j].bytes })
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = fmt.Sprintf("%s x%d (%d bytes)", g.site, g.count, g.bytes)
	}
	return strings.Join(parts, "; ")
}
