#!/usr/bin/env bash
# Build the library and bench/ optimised (Release, in build/bench, so that the release preset's
# tree keeps its examples and tests), run every benchmark program with --json, collect the lines in
# build/bench/bench/results.jsonl, add the Go benchmarks (go/bench_to_jsonl.sh), and regenerate
# docs/BENCHMARKS.md from them.
#   bench/run_benchmarks.sh             full run
#   bench/run_benchmarks.sh --no-build  reuse the build as it is
# GPUREG_BENCH_BUILD_DIR=dir builds and runs there instead (same Release configuration).
# Lines already appended by other tools (the Go benchmarks' converter) are kept when
# GPUREG_BENCH_APPEND=1; by default the file starts empty.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GPUREG_BENCH_BUILD_DIR:-build/bench}
out=$build/bench/results.jsonl

if [ "${1:-}" != "--no-build" ]; then
  # Benchmarks need only the library and bench/: tests and examples stay out of this build.
  only_bench=(-DGPUREG_BUILD_BENCH=ON -DGPUREG_BUILD_TESTS=OFF -DGPUREG_BUILD_EXAMPLES=OFF)
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${only_bench[@]}" >/dev/null
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

# The Go package's benchmarks, linked against this build's library, append their lines too.
if [ -x go/bench_to_jsonl.sh ] && { command -v go >/dev/null || [ -x /usr/local/go/bin/go ]; }; then
  echo "== go test -bench (go/bench_to_jsonl.sh)" >&2
  PKG_CONFIG_PATH="$PWD/$build/pkgconfig" go/bench_to_jsonl.sh "$out" 5
fi

python3 bench/write_benchmarks.py "$out" docs/BENCHMARKS.md --build-dir "$build"
echo "wrote docs/BENCHMARKS.md from $out" >&2
