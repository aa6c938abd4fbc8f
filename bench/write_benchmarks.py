#!/usr/bin/env python3
"""Write docs/BENCHMARKS.md from the JSON lines the bench programs print (python3 stdlib only).

    python3 bench/write_benchmarks.py RESULTS.jsonl OUTPUT.md [--build-dir DIR]

Each input line is one object {"bench": name, "live": N, "ns_per_op": x, ...}. bench_core's
benches get their own tables and the issue's targets are checked against them; any other bench
(bench_gl, bench_vk, Go benchmarks converted to the same shape) lands in a generic table of
ns_per_op and every *_ns_per_op baseline key, so new programs need no change here.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

CORE_BENCHES = {"resolve", "resolve_mt", "retain_release", "create_release_collect", "release_to_zero",
                "release_scaling", "memory"}

# The targets. Each check returns (measured text, passed) for one result line.
FLOOR_RATIO_MAX = 1.5
MUTEX_SPEEDUP_MIN = 5.0
CREATE_NS_MAX = 60.0
BYTES_PER_HANDLE_MAX = 48.0
RELEASE_SPEEDUP_MIN = 1.5
GL_RAW_RATIO_MAX = 1.05  # issue 4: the GL texture cycle within 5% of raw GL
VK_RAW_RATIO_MAX = 1.10  # issue 3: the Vulkan texture cycle within 10% of raw Vulkan
VK_RECORDED_MEMORY_MAX = 1.10  # recorded uploads: memory per texture within 10% of the submit path
# The create-paths issue: the GL cycle (labels on) and Vulkan create + release against raw, and
# gpureg's own instructions per cycle (callgrind, which a shared machine's load does not move).
CREATE_PATH_RAW_RATIO_MAX = {"gl_texture_cycle": 1.10, "vk_texture_create_cycle": 1.5}
CREATE_PATH_OWN_MAX = 1000
GO_OVER_FLOOR_NS = 10.0  # issue 5: single-handle Go calls within 10 ns of an empty cgo call
GO_RELEASE_MANY_NS = 2.0  # ReleaseMany of 1024 at most 2 ns per handle (the Go fast-path issue)


def read_results(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{path}:{number}: skipped, not JSON: {e}", file=sys.stderr)
                continue
            if not isinstance(row, dict) or "bench" not in row:
                print(f"{path}:{number}: skipped, no \"bench\" key", file=sys.stderr)
                continue
            rows.append(row)
    return rows


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cmake_cache(build_dir):
    values = {}
    if not build_dir:
        return values
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8") as f:
            for line in f:
                if "=" in line and ":" in line.split("=", 1)[0] and not line.startswith(("//", "#")):
                    key, value = line.rstrip("\n").split("=", 1)
                    values[key.split(":", 1)[0]] = value
    except OSError:
        pass
    return values


def compiler_version(cache):
    cc = cache.get("CMAKE_C_COMPILER") or os.environ.get("CC") or "cc"
    try:
        out = subprocess.run([cc, "--version"], capture_output=True, text=True, timeout=10).stdout
        first = out.splitlines()[0] if out else cc
    except (OSError, subprocess.SubprocessError):
        first = cc
    build_type = cache.get("CMAKE_BUILD_TYPE")
    return f"{first}" + (f", CMAKE_BUILD_TYPE={build_type}" if build_type else "")


def fmt(value, digits=2):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def find(rows, bench, live=None, threads=None):
    for row in rows:
        if row.get("bench") != bench:
            continue
        if live is not None and row.get("live") != live:
            continue
        if threads is not None and row.get("threads") != threads:
            continue
        return row
    return None


def lives(rows, bench):
    return sorted({row.get("live") for row in rows if row.get("bench") == bench and row.get("live") is not None})


def targets(rows):
    out = []

    def add(name, live, measured, passed):
        if passed == "reported":
            verdict = "reported (no target)"
        else:
            verdict = "not measured" if passed is None else ("PASS" if passed else "MISS")
        out.append([name, fmt(live), measured, verdict])

    for bench in ("resolve", "retain_release"):
        for live in lives(rows, bench):
            r = find(rows, bench, live)
            floor_ratio = ratio(r.get("ns_per_op"), r.get("floor_ns_per_op"))
            add(f"{bench}: within {FLOOR_RATIO_MAX}x of the floor", live,
                f"{fmt(floor_ratio)}x ({fmt(r.get('ns_per_op'))} vs {fmt(r.get('floor_ns_per_op'))} ns)",
                None if floor_ratio is None else floor_ratio <= FLOOR_RATIO_MAX)
            speedup = ratio(r.get("mutex_map_ns_per_op"), r.get("ns_per_op"))
            # What the bare array itself achieves against the map: no registry can beat that.
            floor_speedup = ratio(r.get("mutex_map_ns_per_op"), r.get("floor_ns_per_op"))
            add(f"{bench}: >= {MUTEX_SPEEDUP_MIN:g}x faster than the mutex map", live,
                f"{fmt(speedup)}x ({fmt(r.get('mutex_map_ns_per_op'))} vs {fmt(r.get('ns_per_op'))} ns); "
                f"the floor itself is {fmt(floor_speedup)}x",
                None if speedup is None else speedup >= MUTEX_SPEEDUP_MIN)
    for live in lives(rows, "create_release_collect"):
        ns = find(rows, "create_release_collect", live).get("ns_per_op")
        add(f"create+release+collect <= {CREATE_NS_MAX:g} ns amortized", live, f"{fmt(ns)} ns",
            None if ns is None else ns <= CREATE_NS_MAX)
    memory = [find(rows, "memory", live) for live in lives(rows, "memory")]
    if memory:
        m = memory[-1]  # the largest live count: fixed overheads matter least there
        per = m.get("bytes_per_handle")
        add(f"registry memory <= {BYTES_PER_HANDLE_MAX:g} B per live handle", m.get("live"), f"{fmt(per, 1)} B",
            None if per is None else per <= BYTES_PER_HANDLE_MAX)
    for live in lives(rows, "release_to_zero"):
        two = find(rows, "release_to_zero", live, threads=2)
        speedup = two.get("speedup_vs_1t") if two else None
        measured = f"{fmt(speedup)}x (median of all pairs)"
        scaling = find(rows, "release_scaling", live)
        if scaling and scaling.get("parallel_reps") is not None:
            given = scaling.get("speedup_2t_vs_1t_parallel_reps")
            measured += (f"; {fmt(given)}x over the {scaling['parallel_reps']} of {scaling.get('reps', '?')} pairs "
                         "whose 2 threads had 2 cores" if given is not None else
                         f"; no pair of {scaling.get('reps', '?')} had 2 free cores")
        add(f"release-to-zero: 2 threads >= {RELEASE_SPEEDUP_MIN}x the 1-thread throughput", live, measured,
            None if speedup is None else speedup >= RELEASE_SPEEDUP_MIN)
    backend_targets(rows, add)
    return table(["target", "live", "measured", "verdict"], out)


def backend_targets(rows, add):
    """The GL, Vulkan and Go issues' targets, when their benchmarks ran."""
    for bench, limit in (("gl_texture_cycle", GL_RAW_RATIO_MAX), ("vk_texture_cycle", VK_RAW_RATIO_MAX)):
        r = find(rows, bench)
        if r:
            rel = ratio(r.get("ns_per_op"), r.get("raw_ns_per_op"))
            measured = f"{fmt(rel, 3)}x ({fmt(r.get('ns_per_op'))} vs {fmt(r.get('raw_ns_per_op'))} ns)"
            if r.get("raw_label_ns_per_op") is not None:
                # The GL issue requires a glObjectLabel per object: raw_label is raw GL plus that one
                # call with gpureg's text, so it says how much of the gap the label alone is.
                label_ns = r.get("raw_label_ns_per_op")
                measured += (f"; gpureg / raw_label {fmt(ratio(r.get('ns_per_op'), label_ns), 3)}x, "
                             f"raw_label / raw {fmt(ratio(label_ns, r.get('raw_ns_per_op')), 3)}x "
                             f"(raw_label {fmt(label_ns)} ns)")
            add(f"{bench}: within {round((limit - 1) * 100)}% of raw", None, measured,
                None if rel is None else rel <= limit)
    for bench, limit in CREATE_PATH_RAW_RATIO_MAX.items():
        r = find(rows, bench)
        if r:
            rel = ratio(r.get("ns_per_op"), r.get("raw_ns_per_op"))
            add(f"{bench}: at most {limit:.2f}x raw (create paths)", None,
                f"{fmt(rel, 3)}x ({fmt(r.get('ns_per_op'))} vs {fmt(r.get('raw_ns_per_op'))} ns)",
                None if rel is None else rel <= limit)
            own = r.get("instructions_own")
            add(f"{bench}: gpureg's own code <= {CREATE_PATH_OWN_MAX:,} instructions per cycle (callgrind)", None,
                f"{fmt(own, 0)} (whole {fmt(r.get('instructions_whole'), 0)}; raw whole "
                f"{fmt(r.get('raw_instructions_whole'), 0)})", None if own is None else own <= CREATE_PATH_OWN_MAX)
    r = find(rows, "vk_recorded_upload")
    if r:
        calls = [r.get("create_buffer_per_write"), r.get("allocate_memory_per_write")]
        add("vk_recorded_upload: 0 vkCreateBuffer and 0 vkAllocateMemory per write (steady state)", None,
            f"{fmt(calls[0], 4)} vkCreateBuffer, {fmt(calls[1], 4)} vkAllocateMemory per write",
            None if None in calls else calls == [0, 0])
        rel = ratio(r.get("rss_bytes_per_texture"), r.get("submit_rss_bytes_per_texture"))
        add(f"vk_recorded_upload: memory per texture within {round((VK_RECORDED_MEMORY_MAX - 1) * 100)}% of the "
            "submit path", r.get("rss_textures"),
            f"{fmt(rel, 3)}x ({fmt(r.get('rss_bytes_per_texture'), 0)} vs {fmt(r.get('submit_rss_bytes_per_texture'), 0)}"
            " resident bytes per live written texture)",
            None if rel is None else rel <= VK_RECORDED_MEMORY_MAX)
    for bench in ("go_resolve", "go_retain_release"):
        r = find(rows, bench)
        if r:
            calls = 2 if bench == "go_retain_release" else 1
            # The median of per-block differences (blocks alternating with empty cgo calls) when
            # the benchmark gives it, else the difference of the two medians.
            over = r.get("over_floor_ns_per_call")
            if over is None and r.get("ns_per_op") is not None and r.get("cgo_floor_ns_per_op") is not None:
                over = (r["ns_per_op"] - r["cgo_floor_ns_per_op"]) / calls
            add(f"{bench}: within {GO_OVER_FLOOR_NS:g} ns of an empty cgo call, per call", None,
                f"+{fmt(over)} ns per call ({fmt(r.get('ns_per_op'))} vs floor {fmt(r.get('cgo_floor_ns_per_op'))} ns"
                f" per op of {calls} call{'s' if calls > 1 else ''})",
                None if over is None else over <= GO_OVER_FLOOR_NS)
            allocs = r.get("allocs_per_op")
            add(f"{bench}: 0 allocations per op", None, f"{allocs}", None if allocs is None else allocs == 0)
    # Instructions per hit of the C hot paths, from callgrind (bench_instructions): the same
    # figure however loaded the machine is.
    r = find(rows, "instructions_resolve")
    if r:
        n = r.get("instructions_per_call")
        add("gpureg_resolve hit path: <= 25 instructions (callgrind)", None, f"{fmt(n, 1)}",
            None if n is None else n <= 25.0)
    for bench in ("instructions_retain", "instructions_release"):
        r = find(rows, bench)
        if r:
            add(f"gpureg_{bench.split('_')[1]} hit path, instructions (callgrind; reported)", None,
                f"{fmt(r.get('instructions_per_call'), 1)}", "reported")
    # The Go fast path (issue: Go hot paths with no cgo crossing), all from one go test -bench run.
    for bench, limit, over_map in (("go_hot_resolve", 5.0, 3.0), ("go_hot_retain_release", 15.0, 2.0)):
        r = find(rows, bench, live=1000)
        if r:
            fast, mutex = r.get("fast_ns_per_op"), r.get("mutex_map_ns_per_op")
            add(f"{bench}, 1,000 live: <= {limit:g} ns", None, f"{fmt(fast)} ns{atomic_floor_note(r)}",
                None if fast is None else fast <= limit)
            rel = ratio(mutex, fast)
            add(f"{bench}, 1,000 live: >= {over_map:g}x faster than a mutex-guarded map", None,
                f"{fmt(rel)}x ({fmt(fast)} vs {fmt(mutex)} ns)", None if rel is None else rel >= over_map)
            allocs = r.get("fast_allocs_per_op")
            add(f"{bench}: 0 allocations", None, f"{allocs}", None if allocs is None else allocs == 0)
        r = find(rows, bench, live=1000000)
        if r:
            rel = ratio(r.get("fast_ns_per_op"), r.get("floor_ns_per_op"))
            atomic_rel = ratio(r.get("atomic_floor_ns_per_op"), r.get("floor_ns_per_op"))
            add(f"{bench}, 1,000,000 live: within 1.5x of the Go slice-with-generation floor", None,
                f"{fmt(rel)}x ({fmt(r.get('fast_ns_per_op'))} vs {fmt(r.get('floor_ns_per_op'))} ns)" +
                ("" if atomic_rel is None else f"; the atomic floor itself is {fmt(atomic_rel)}x"),
                None if rel is None else rel <= 1.5)
    r = find(rows, "go_release_many_1024")
    if r:
        per, atomic = r.get("ns_per_handle"), r.get("atomic_floor_ns_per_handle")
        add(f"go ReleaseMany of 1024: <= {GO_RELEASE_MANY_NS:g} ns per handle", None,
            f"{fmt(per)} ns" + ("" if atomic is None else f"; the atomic floor (one CAS per handle) is {fmt(atomic)} ns"),
            None if per is None else per <= GO_RELEASE_MANY_NS)


def atomic_floor_note(r):
    """What the atomic floor (the slice floor made safe for many goroutines) costs in the same run."""
    atomic = r.get("atomic_floor_ns_per_op")
    return "" if atomic is None else f"; the atomic floor itself is {fmt(atomic)} ns"


def go_hot_table(rows):
    body = []
    for row in rows:
        if str(row.get("bench", "")).startswith("go_hot_"):
            body.append([row["bench"], fmt(row.get("live")), fmt(row.get("fast_ns_per_op")), fmt(row.get("cgo_ns_per_op")),
                         fmt(row.get("mutex_map_ns_per_op")), fmt(row.get("sync_map_ns_per_op")),
                         fmt(row.get("floor_ns_per_op")), fmt(row.get("atomic_floor_ns_per_op")),
                         f"{fmt(ratio(row.get('mutex_map_ns_per_op'), row.get('fast_ns_per_op')))}x",
                         f"{fmt(ratio(row.get('fast_ns_per_op'), row.get('floor_ns_per_op')))}x",
                         f"{fmt(ratio(row.get('fast_ns_per_op'), row.get('atomic_floor_ns_per_op')))}x"])
    if not body:
        return ""
    return table(["bench", "live", "fast path ns/op", "cgo path ns/op", "mutex map ns/op", "sync.Map ns/op",
                  "slice floor ns/op", "atomic floor ns/op", "mutex map / fast", "fast / floor",
                  "fast / atomic floor"], body)


def core_tables(rows):
    parts = []
    timed = []
    for bench in ("resolve", "resolve_mt", "retain_release", "create_release_collect", "release_to_zero"):
        for row in (r for r in rows if r.get("bench") == bench):
            ns, floor, mutex = row.get("ns_per_op"), row.get("floor_ns_per_op"), row.get("mutex_map_ns_per_op")
            timed.append([bench, fmt(row.get("live")), fmt(row.get("threads", "–")), fmt(ns), fmt(floor),
                          fmt(mutex), f"{fmt(ratio(ns, floor))}x", f"{fmt(ratio(mutex, ns))}x"])
    if timed:
        parts.append(table(["bench", "live", "threads", "gpureg ns/op", "floor ns/op", "mutex map ns/op",
                            "gpureg / floor", "mutex map / gpureg"], timed))
    def given(r, prefix):
        value, count = r.get(prefix + "speedup_2t_vs_1t_parallel_reps"), r.get(prefix + "parallel_reps")
        return "–" if value is None else f"{fmt(value)}x ({count} of {r.get('reps', '?')})"

    scaling = [[fmt(r.get("live")), f"{fmt(r.get('speedup_2t_vs_1t'))}x", f"{fmt(r.get('floor_speedup_2t_vs_1t'))}x",
                f"{fmt(r.get('mutex_map_speedup_2t_vs_1t'))}x", given(r, ""), given(r, "floor_")]
               for r in rows if r.get("bench") == "release_scaling"]
    if scaling:
        parts.append("Release-to-zero throughput, 2 threads over 1 thread (median of per-repetition pairs), and the "
                     "same over only the pairs whose two threads really had two cores (summed thread CPU time >= "
                     "1.8x the wall time; the mutex map's threads sleep on the lock, so it never qualifies):\n\n" +
                     table(["live", "gpureg", "floor", "mutex map", "gpureg, given 2 cores", "floor, given 2 cores"],
                           scaling))
    memory = [[fmt(r.get("live")), fmt(r.get("bytes_per_handle"), 1), fmt(r.get("bytes_per_handle_over_empty"), 1),
               fmt(r.get("host_bytes")), fmt(r.get("host_bytes_empty")), fmt(r.get("floor_bytes_per_handle"), 1),
               fmt(r.get("mutex_map_bytes_per_handle"), 1)] for r in rows if r.get("bench") == "memory"]
    if memory:
        parts.append("Host memory per live handle (no labels; `gpureg_get_stats().host_bytes` / live):\n\n" +
                     table(["live", "gpureg B/handle", "gpureg B/handle over an empty registry", "host_bytes",
                            "host_bytes (empty)", "floor B/handle", "mutex map B/handle"], memory))
    return "\n\n".join(parts)


def generic_table(rows):
    others = [r for r in rows if r.get("bench") not in CORE_BENCHES and not str(r.get("bench", "")).startswith("go_hot_")]
    if not others:
        return None
    baselines = sorted({k for r in others for k in r if k.endswith("_ns_per_op") and k != "ns_per_op"})
    known = {"bench", "live", "ns_per_op", "reps"} | set(baselines)
    body = []
    for r in others:
        extras = ", ".join(f"{k}={r[k]}" for k in sorted(r) if k not in known and not isinstance(r[k], (dict, list)))
        line = [r.get("bench"), fmt(r.get("live")), fmt(r.get("ns_per_op"))]
        for b in baselines:
            value = r.get(b)
            rel = ratio(r.get("ns_per_op"), value)
            line.append("–" if value is None else f"{fmt(value)} ({fmt(rel)}x)")
        line.append(extras or "")
        body.append(line)
    header = ["bench", "live", "ns/op"] + [f"{b[:-len('_ns_per_op')]} ns/op (ours / it)" for b in baselines]
    return table(header + ["other figures"], body)


METHOD = """\
- **gpureg**: the library built as in the release preset, null backend (`gpureg_null_create`), 64x64
  RGBA8 textures, no labels. Collection is driven by `gpureg_frame_end` / `gpureg_null_signal` /
  `gpureg_frame_begin`.
- **floor**: a bare array of 16-byte slots `{{native, generation, refcount}}` addressed by a handle
  packing `index | generation << 32`; resolve is one generation compare, retain/release one atomic
  add/sub, create/release a FIFO free list. No registry around it: the least a generational handle
  table can cost.
- **mutex map**: a `pthread_mutex_t`-guarded open-addressing hash map (linear probing, backward-shift
  erase, doubling at load 1/2) from a 64-bit id to `{{refcount, native}}` — the usual hand-rolled
  registry. resolve = lock+find+unlock; retain+release = lock+find+inc+unlock, lock+find+dec+unlock;
  create+release = insert and erase under the lock.
- Baseline operations are out-of-line (`noinline`) functions, as the library's are, so every variant
  pays one call per operation; results are accumulated into a volatile sink.
- resolve and retain+release use one precomputed random sequence of live objects ({random_ops}
  operations per repetition), named by each variant's own handles, so the RNG is not timed and the
  access pattern is identical. create+release+collect creates and releases {cycle_ops} objects per
  repetition in batches of {batch}, with one frame cycle per batch; the figure is per object.
  Release-to-zero creates {release_ops} objects up front (untimed), then 1 or 2 fresh threads release
  them (each thread its own contiguous half); the owner collects afterwards (untimed). The time is
  from the first thread's start to the last one's end.
- `resolve_mt` (not one of the issue's targets) runs the same resolve sequence split between two
  threads, to show what the mutex costs once it is shared; its ns/op is wall time over all operations.
- Every figure is the median of `reps` repetitions after one warm-up, with the three variants
  interleaved inside each repetition so that load from other tenants of a shared machine hits them
  alike, and the variant that goes first rotating from one repetition to the next (the mutex map's
  tables outgrow the last-level cache and leave it cold for whichever variant follows); nothing is
  pinned. The 2-thread/1-thread ratio is the median of per-repetition pairs.
- Memory is `host_bytes` from `gpureg_get_stats` right after the live objects were created, divided by
  the live count (fixed registry overhead included); the floor and mutex-map columns are their table
  bytes over the same count.
- The machine may be shared: the load average when the run started is given
  above. Two-thread figures are the most exposed to other load, since they need both cores.
- **gl_texture_cycle** (bench_gl, Mesa llvmpipe, EGL surfaceless, GL 4.5 core): one 64x64 RGBA8
  texture created, written, released and collected, per cycle. `raw`: glGenTextures, glBindTexture,
  glTexStorage2D, glTexSubImage2D, glBindTexture(0), glDeleteTextures. `raw_label`: the same plus one
  glObjectLabel with the very text gpureg gives the texture (the label the issue requires), so
  raw_label / raw is what the label alone costs. `nolabel`: gpureg with KHR_debug turned off.
  Variants interleaved inside each repetition.
- **vk_texture_cycle** (bench_vk, lavapipe, no validation layer): the same life for a Vulkan image,
  upload included, against hand-written Vulkan doing the same work (image, bind into one
  preallocated block, view, staging copy with barriers, submit, fence wait, destroy);
  vk_texture_create_cycle is the same without the upload. **vk_recorded_upload**: the same life in
  frames of 64 uploads recorded into the app's command buffer (`gpureg_vk_set_command_buffer`, three
  command buffers and fences in flight, one submit per frame) against hand-written Vulkan recording
  the same copies from a persistent staging buffer; `*_per_write` are the vkCreateBuffer /
  vkAllocateMemory calls per write over the measured repetitions (counted by a
  vkGetInstanceProcAddr wrapper), `rss_bytes_per_texture` the resident bytes that 10,000 live
  written textures add, recorded and (`submit_`) through gpureg's own submit, each in a fresh
  process. `instructions_own` / `instructions_whole` (callgrind, `--toggle-collect` on the measured
  function, per cycle): gpureg's own functions' self cost, and every instruction of the calling
  thread (lavapipe's queue thread, which runs the copies, is not counted; valgrind counts each
  iteration of the `rep movsb` that glibc uses for one 16 KiB memcpy, which is why raw Vulkan's
  whole count, one memcpy per upload, exceeds gpureg's, a memcpy per row).
- **Go** (`go test -bench`, go/bench_test.go, 5 runs, medians of the runs): Resolve and
  Retain+Release run in blocks of about 50 us that alternate with blocks of empty cgo calls
  (`gr_noop`, marked nocallback and noescape like every gpureg entry point), so the same load
  lands on both; "+N ns per call" is the median of the per-block differences per cgo crossing.
  ReleaseMany figures are medians over blocks of calls. The mutex-map columns are Go maps behind a
  sync.Mutex, single goroutine.
"""


def method(rows):
    def size(bench, key):
        row = find(rows, bench)
        value = row.get(key) if row else None
        return fmt(int(value)) if isinstance(value, (int, float)) else "?"

    return METHOD.format(random_ops=size("resolve", "ops"), cycle_ops=size("create_release_collect", "ops"),
                         batch=size("create_release_collect", "batch"), release_ops=size("release_to_zero", "ops"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results")
    parser.add_argument("output")
    parser.add_argument("--build-dir", help="build directory whose CMakeCache.txt names the compiler")
    args = parser.parse_args()

    rows = read_results(args.results)
    if not rows:
        print(f"write_benchmarks.py: no results in {args.results}", file=sys.stderr)
        return 1
    build_dir = args.build_dir or os.path.dirname(os.path.dirname(os.path.abspath(args.results)))
    cache = cmake_cache(build_dir)
    reps = sorted({r["reps"] for r in rows if isinstance(r.get("reps"), int)})
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    doc = [
        "# Benchmarks",
        "",
        "<!-- Generated by bench/write_benchmarks.py from bench/run_benchmarks.sh output. Do not edit. -->",
        "",
        f"Measured {now}. Every figure is a median of {', '.join(map(str, reps)) or 'several'} repetitions; "
        "ratios compare figures measured in the same run.",
        "",
        "## Machine",
        "",
        f"- CPU: {cpu_model()}, {os.cpu_count()} logical cores (shared, unpinned)",
        f"- Kernel: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Compiler: {compiler_version(cache)}",
        f"- Load average (1, 5, 15 min) when the run started: {os.environ.get('GPUREG_BENCH_LOADAVG', 'not recorded')}",
        f"- Results: `{os.path.relpath(os.path.abspath(args.results))}` (build directory `{os.path.relpath(build_dir)}`)",
        "",
        "## How to regenerate",
        "",
        "```sh",
        "bash bench/run_benchmarks.sh   # Release build in build/bench, every bench_* --json and the Go",
        "                               # benchmarks into build/bench/bench/results.jsonl, then this file",
        "```",
        "",
        "## Targets",
        "",
        targets(rows),
        "",
        "## Core registry (bench_core)",
        "",
        core_tables(rows) or "No bench_core results in this run.",
        "",
    ]
    hot = go_hot_table(rows)
    if hot:
        doc += ["## Go hot paths (go test -bench HandleLookup: one random live handle per op)", "",
                "The slice floor is a Go slice of {generation, refcount, native} indexed by the handle, with "
                "no thread safety; the atomic floor is the same slice made safe for many goroutines the "
                "cheapest way (generation and refcount in one word, an atomic load to read and one CAS per "
                "retain and per release): what thread safety alone costs on this machine.", "", hot, ""]
    others = generic_table(rows)
    if others:
        doc += ["## Other benchmarks", "", others, ""]
    doc += ["## Method", "", method(rows)]
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
