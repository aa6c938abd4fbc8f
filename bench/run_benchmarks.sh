#!/usr/bin/env bash
# Build the release preset, run every benchmark program it produced with --json, collect the lines
# in build/release/bench/results.jsonl and regenerate docs/BENCHMARKS.md from them.
#   bench/run_benchmarks.sh             full run
#   bench/run_benchmarks.sh --no-build  reuse the build as it is
# GPUREG_BENCH_BUILD_DIR=dir builds and runs there instead (same Release configuration), for
# when build/release belongs to someone else's work in progress.
# Lines already appended by other tools (the Go benchmarks' converter) are kept when
# GPUREG_BENCH_APPEND=1; by default the file starts empty.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GPUREG_BENCH_BUILD_DIR:-build/release}
out=$build/bench/results.jsonl

if [ "${1:-}" != "--no-build" ]; then
  # Benchmarks need only the library and bench/: tests and examples stay out of this build.
  only_bench=(-DGPUREG_BUILD_BENCH=ON -DGPUREG_BUILD_TESTS=OFF -DGPUREG_BUILD_EXAMPLES=OFF)
  if [ "$build" = build/release ]; then
    cmake --preset release "${only_bench[@]}" >/dev/null
  else
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${only_bench[@]}" >/dev/null
  fi
  cmake --build "$build"
fi

mkdir -p "$build/bench"
[ "${GPUREG_BENCH_APPEND:-0}" = 1 ] || : >"$out"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

# Other load decides how much the figures wander; the report says what it was.
GPUREG_BENCH_LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
export GPUREG_BENCH_LOADAVG

ran=0
for program in "$build"/bench/bench_*; do
  [ -f "$program" ] && [ -x "$program" ] || continue
  echo "== $(basename "$program")" >&2
  "$program" --json | tee -a "$out"
  ran=$((ran + 1))
done
if [ "$ran" = 0 ]; then
  echo "run_benchmarks.sh: no bench_* programs in $build/bench (GPUREG_BUILD_BENCH off?)" >&2
  exit 1
fi

python3 bench/write_benchmarks.py "$out" docs/BENCHMARKS.md --build-dir "$build"
echo "wrote docs/BENCHMARKS.md from $out" >&2
