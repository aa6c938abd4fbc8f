#!/bin/sh
# bench_to_jsonl.sh OUT.jsonl [COUNT] — run the Go benchmarks COUNT times (default 5) and append
# one JSON line per measured call to OUT.jsonl, each with the baselines measured in the same run:
#   {"bench":"go_resolve","ns_per_op":x,"cgo_floor_ns_per_op":y,"over_floor_ns_per_call":d,...}
# Figures are medians over the COUNT runs of each run's medians over blocks (bench_test.go).
# go_resolve and go_retain_release (one Retain plus one Release: two crossings, so its floor is
# two empty cgo calls) are timed in blocks alternating with empty cgo calls, and
# over_floor_ns_per_call is the median per-block difference per crossing; go_release_many_N is
# one call with N handles, with ns_per_handle. Link against an optimised library:
#   PKG_CONFIG_PATH=<root>/build/release/pkgconfig go/bench_to_jsonl.sh out.jsonl
# (default: <root>/build/release/pkgconfig).
set -eu
out=${1:?usage: bench_to_jsonl.sh OUT.jsonl [COUNT]}
count=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${PKG_CONFIG_PATH:=$root/build/release/pkgconfig}"
export PKG_CONFIG_PATH
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
# Go's build cache does not notice a different PKG_CONFIG_PATH (a cached test binary keeps its
# old rpath), so make the C flags name the tree.
key=$(printf '%s' "$PKG_CONFIG_PATH" | cksum | cut -d' ' -f1)
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -DGPUREG_GO_PC_TREE_$key"
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
# -tags gpureg_pkgconfig: measure the library that PKG_CONFIG_PATH names, not the package's own
# cgo build of the C sources.
(cd "$here" && "$GO" test -tags gpureg_pkgconfig -run '^$' -bench . -benchmem -count "$count" .) >"$raw"
libdir=$(pkg-config --variable=libdir gpureg)
awk -v libdir="$libdir" -v count="$count" '
function median(name,    n, i, j, t, v) {
    n = cnt[name]
    if (n == 0) return "null"
    for (i = 1; i <= n; i++) v[i] = val[name, i]
    for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
    return (n % 2) ? v[(n+1)/2] : (v[n/2] + v[n/2+1]) / 2
}
/^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name)
    cnt[name]++; val[name, cnt[name]] = $3
    # Every "<value> <unit>" pair after the iteration count: ns/op, ns/call, floor-ns/call, ...
    for (i = 3; i < NF; i += 2) { unit = $(i+1); n = ++ucnt[name, unit]; val[name "|" unit, n] = $i; cnt[name "|" unit] = n }
    for (i = 4; i < NF; i++) if ($(i+1) == "allocs/op") allocs[name] = $i
}
function paired(bench, key, calls) {
    printf "{\"bench\":\"%s\",\"ns_per_op\":%s,\"cgo_floor_ns_per_op\":%s,\"over_floor_ns_per_call\":%s,\"calls_per_op\":%d,\"mutex_map_ns_per_op\":%s,\"allocs_per_op\":%s,\"runs\":%d,\"libdir\":\"%s\"}\n", \
        bench, calls * median(key "|ns/call"), calls * median(key "|floor-ns/call"), median(key "|over-floor-ns/call"), calls, \
        median(key == "BenchmarkResolve" ? "BenchmarkMutexMapResolve" : "BenchmarkMutexMapRetainRelease"), allocs[key], count, libdir
}
END {
    floor = median("BenchmarkCgoFloor")
    paired("go_resolve", "BenchmarkResolve", 1)
    paired("go_retain_release", "BenchmarkRetainRelease", 2)
    split("1 64 1024", ns, " ")
    for (k = 1; k <= 3; k++) {
        b = "BenchmarkReleaseMany/" ns[k]; per = median(b "|ns/handle")
        af = "BenchmarkReleaseManyAtomicFloor/" ns[k]; atomic_per = median(af "|ns/handle")
        printf "{\"bench\":\"go_release_many_%s\",\"ns_per_op\":%s,\"ns_per_handle\":%.3f,\"atomic_floor_ns_per_handle\":%s,\"handles_per_call\":%s,\"cgo_floor_ns_per_op\":%s,\"mutex_map_ns_per_op\":%s,\"allocs_per_op\":%s,\"runs\":%d,\"libdir\":\"%s\"}\n", \
            ns[k], per * ns[k], per, atomic_per, ns[k], floor, ns[k] * median("BenchmarkMutexMapRetainRelease") / 2, allocs[b], count, libdir
    }
    # BenchmarkHandleLookup: the fast path, the cgo path, a mutex map, sync.Map and the slice
    # floor, per live count and op, each a median of ns/op over the COUNT runs.
    split("1000 1000000", lv, " "); split("resolve retain+release", opn, " ")
    for (l = 1; l <= 2; l++) for (o = 1; o <= 2; o++) {
        p = "BenchmarkHandleLookup/live=" lv[l] "/"
        if (cnt[p "fast/" opn[o]] == 0) continue
        printf "{\"bench\":\"go_hot_%s\",\"live\":%s,\"fast_ns_per_op\":%s,\"cgo_ns_per_op\":%s,\"mutex_map_ns_per_op\":%s,\"sync_map_ns_per_op\":%s,\"floor_ns_per_op\":%s,\"atomic_floor_ns_per_op\":%s,\"fast_allocs_per_op\":%s,\"runs\":%d}\n", \
            opn[o] == "resolve" ? "resolve" : "retain_release", lv[l], median(p "fast/" opn[o]), median(p "cgo/" opn[o]), \
            median(p "mutexmap/" opn[o]), median(p "syncmap/" opn[o]), median(p "floor/" opn[o]), \
            median(p "floor-atomic/" opn[o]), allocs[p "fast/" opn[o]], count
    }
}' "$raw" >>"$out"
cat "$raw" | grep '^Benchmark' >&2
