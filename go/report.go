package gpureg

/*
#include "cgo_helpers.h"
#cgo nocallback gr_report
#cgo noescape gr_report
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
// and copies it out.
func (r *Registry) reportBytes(op string, format ReportFormat) ([]byte, error) {
	if r.reg == nil {
		return nil, closedErr(op)
	}
	res := C.gr_report(r.reg, C.uint32_t(format))
	defer C.free(unsafe.Pointer(res.data))
	if err := check(op, res.result); err != nil {
		return nil, err
	}
	return C.GoBytes(unsafe.Pointer(res.data), C.int(res.length)), nil
}

// Report writes the live/leak report (ReportText or ReportJSON; see gpureg.h for the stable JSON
// schema): every live or pending object with its creation site, released_by_gc, and totals by
// site and type. Owner thread.
func (r *Registry) Report(w io.Writer, format ReportFormat) error {
	if format == ReportDefault {
		format = ReportText
	}
	b, err := r.reportBytes("Report", format)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// ReportObject is one object of the JSON report.
type ReportObject struct {
	Handle       string  `json:"handle"`
	Type         string  `json:"type"`
	Label        *string `json:"label"`
	Site         string  `json:"site"`
	Bytes        uint64  `json:"bytes"`
	Refcount     uint32  `json:"refcount"`
	State        string  `json:"state"`
	FrameCreated uint64  `json:"frame_created"`
	ReleasedByGC bool    `json:"released_by_gc"`
	Adopted      bool    `json:"adopted"`
}

// ReportData is the parsed JSON report.
type ReportData struct {
	Live    uint64         `json:"live"`
	Pending uint64         `json:"pending"`
	Objects []ReportObject `json:"objects"`
}

// ReportJSON returns the parsed report. Owner thread.
func (r *Registry) ReportJSON() (ReportData, error) {
	var d ReportData
	b, err := r.reportBytes("ReportJSON", ReportJSON)
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return d, &opError{op: "ReportJSON", err: err}
	}
	return d, nil
}

// Leaks lists the objects still alive (refcount > 0): what Close would report as leaked.
// Released objects waiting for their fence are not leaks. Owner thread.
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
	Count   int
	Objects []ReportObject
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
