#!/bin/sh
# bench_to_jsonl.sh OUT.jsonl [COUNT] — run the Go benchmarks COUNT times (default 5) and append
# one JSON line per measured call to OUT.jsonl, each with the baselines measured in the same run:
#   {"bench":"go_resolve","ns_per_op":x,"cgo_floor_ns_per_op":y,"mutex_map_ns_per_op":z,...}
# Figures are medians over the COUNT runs. go_retain_release is one Retain plus one Release
# (two crossings; its floor is two empty cgo calls); go_release_many_N is one call with N
# handles, with ns_per_handle. Link against an optimised library:
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
(cd "$here" && "$GO" test -run '^$' -bench . -benchmem -count "$count" .) >"$raw"
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
    for (i = 4; i < NF; i++) if ($(i+1) == "allocs/op") allocs[name] = $i
}
END {
    floor = median("BenchmarkCgoFloor")
    printf "{\"bench\":\"go_resolve\",\"ns_per_op\":%s,\"cgo_floor_ns_per_op\":%s,\"mutex_map_ns_per_op\":%s,\"allocs_per_op\":%s,\"runs\":%d,\"libdir\":\"%s\"}\n", \
        median("BenchmarkResolve"), floor, median("BenchmarkMutexMapResolve"), allocs["BenchmarkResolve"], count, libdir
    printf "{\"bench\":\"go_retain_release\",\"ns_per_op\":%s,\"cgo_floor_ns_per_op\":%s,\"mutex_map_ns_per_op\":%s,\"allocs_per_op\":%s,\"runs\":%d,\"libdir\":\"%s\"}\n", \
        median("BenchmarkRetainRelease"), 2 * floor, median("BenchmarkMutexMapRetainRelease"), allocs["BenchmarkRetainRelease"], count, libdir
    split("1 64 1024", ns, " ")
    for (k = 1; k <= 3; k++) {
        b = "BenchmarkReleaseMany/" ns[k]; m = median(b)
        printf "{\"bench\":\"go_release_many_%s\",\"ns_per_op\":%s,\"ns_per_handle\":%.3f,\"handles_per_call\":%s,\"cgo_floor_ns_per_op\":%s,\"mutex_map_ns_per_op\":%s,\"allocs_per_op\":%s,\"runs\":%d,\"libdir\":\"%s\"}\n", \
            ns[k], m, m / ns[k], ns[k], floor, ns[k] * median("BenchmarkMutexMapRetainRelease") / 2, allocs[b], count, libdir
    }
}' "$raw" >>"$out"
cat "$raw" | grep '^Benchmark' >&2
