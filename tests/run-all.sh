#!/usr/bin/env bash
# Every test: installs what is missing, checks formatting, then builds and runs
#   1. the C suites (unit, GL on llvmpipe/EGL surfaceless, Vulkan on lavapipe + validation),
#      warnings as errors;
#   2. the same suites under address+undefined sanitizers;
#   3. the unit and GL suites under the thread sanitizer (Vulkan's validation layer is not
#      TSan-clean on its own);
#   4. the Go package, compiled from the generated C amalgamation in go/ (checked fresh): go vet,
#      go test -race, go test under GOEXPERIMENT=cgocheck2 and the fuzz seeds, with the Vulkan
#      backend (-tags gpureg_vulkan); the GL-only build's freedom from Vulkan headers; the
#      CGO_ENABLED=0 message; -tags gpureg_pkgconfig against build/dev; a newcomer's `go run`;
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
# The C amalgamation in go/ is generated (checked fresh below) and says "clang-format off".
c_sources() { git ls-files -- '*.c' '*.h'; }
unformatted=$(c_sources | xargs -r clang-format --dry-run -Werror 2>&1 | grep -c ': error:' || true)
if [ "$unformatted" != 0 ]; then
  c_sources | xargs -r clang-format --dry-run -Werror 2>&1 | head -20
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
  step "Go: the generated C amalgamation (go/zgpureg_*.c, go/include) is fresh"
  (cd go && go run ./internal/amalgam/cmd/amalgamate -check)

  step "Go package compiled from the amalgamation: GL-only, then -tags gpureg_vulkan (vet, race detector, cgocheck2, fuzz seeds)"
  (cd go && go build ./... && go vet ./... && go test -count=1 . &&
    go build -tags gpureg_vulkan ./... && go vet -tags gpureg_vulkan ./... &&
    go test -race -count=1 -tags gpureg_vulkan ./... &&
    GOEXPERIMENT=cgocheck2 go test -count=1 -tags gpureg_vulkan ./... &&
    go test -count=1 -tags gpureg_vulkan -run '^Fuzz' .)

  step "Go: the GL-only build includes no Vulkan header"
  bash tests/go/no_vulkan_header.sh

  step "Go: CGO_ENABLED=0 fails with one line naming cgo"
  if nocgo=$(cd go && CGO_ENABLED=0 go build ./... 2>&1); then
    echo "CGO_ENABLED=0 go build ./... succeeded: go/nocgo.go is not doing its job" >&2; exit 1
  fi
  echo "$nocgo"
  if [ "$(grep -vc '^# ' <<<"$nocgo")" != 1 ] || ! grep -q 'gpureg_requires_cgo' <<<"$nocgo"; then
    echo "CGO_ENABLED=0: want exactly the one error line of go/nocgo.go" >&2; exit 1
  fi

  step "Go: -tags gpureg_pkgconfig, linking build/dev's libgpureg through pkg-config"
  (cd go && export PKG_CONFIG_PATH="$root/build/dev/pkgconfig" &&
    go build -tags gpureg_pkgconfig ./... && go vet -tags gpureg_pkgconfig ./... &&
    go test -count=1 -tags gpureg_pkgconfig .)

  step "Go: a newcomer's module (go mod tidy, go run; empty build cache, no pkg-config)"
  bash tests/go/newcomer.sh
fi

step "model check of the hot-path protocol (spin, tests/model)"
bash tests/model/check.sh

if [ -x build/dev/bench/bench_core ]; then
  step "benchmark smoke run (figures only)"
  ./build/dev/bench/bench_core --quick
fi
step "all tests passed"
