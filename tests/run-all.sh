#!/usr/bin/env bash
# Every test: installs what is missing, checks formatting, then builds and runs
#   1. the C suites (unit, GL on llvmpipe/EGL surfaceless, Vulkan on lavapipe + validation),
#      warnings as errors;
#   2. the same suites under address+undefined sanitizers;
#   3. the unit and GL suites under the thread sanitizer (Vulkan's validation layer is not
#      TSan-clean on its own);
#   4. the Go package: go vet, go test -race, and go test under GOEXPERIMENT=cgocheck2;
#   5. a short benchmark run (figures printed, never asserted).
# Exits non-zero on the first failure. No display or GPU needed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash cmake/install-deps.sh
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
jobs=$(nproc)

step() { printf '\n==== %s\n' "$*"; }

step "formatting (clang-format on the C sources, gofmt on the Go package)"
unformatted=$(git ls-files '*.c' '*.h' | xargs -r clang-format --dry-run -Werror 2>&1 | grep -c ': error:' || true)
if [ "$unformatted" != 0 ]; then
  git ls-files '*.c' '*.h' | xargs -r clang-format --dry-run -Werror 2>&1 | head -20
  echo "clang-format: $unformatted places differ (run: git ls-files '*.c' '*.h' | xargs clang-format -i)" >&2
  exit 1
fi
if [ -f go/go.mod ]; then
  gofmt="$(go env GOROOT)/bin/gofmt"
  if [ -n "$(cd go && "$gofmt" -l .)" ]; then
    echo "gofmt: these files need formatting:" >&2; (cd go && "$gofmt" -l .) >&2; exit 1
  fi
fi

step "C suites (Debug, -Werror)"
cmake --preset dev >/dev/null
cmake --build build/dev -j"$jobs"
ctest --test-dir build/dev --output-on-failure -j"$jobs"

step "C suites under address+undefined sanitizers"
cmake --preset asan >/dev/null
cmake --build build/asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j"$jobs"

step "unit and GL suites under the thread sanitizer"
cmake --preset tsan >/dev/null
cmake --build build/tsan -j"$jobs"
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/gl/tsan.supp" ctest --test-dir build/tsan --output-on-failure -L 'unit|gl' -j"$jobs"

if [ -f go/go.mod ]; then
  step "Go package (race detector, then cgocheck2)"
  export PKG_CONFIG_PATH="$root/build/dev/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  (cd go && go vet ./... && go test -race -count=1 ./... && GOEXPERIMENT=cgocheck2 go test -count=1 ./...)
fi

if [ -x build/dev/bench/bench_core ]; then
  step "benchmark smoke run (figures only)"
  ./build/dev/bench/bench_core --quick
fi
step "all tests passed"
