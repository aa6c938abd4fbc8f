#!/usr/bin/env bash
# What a Go user does, and nothing more: a module outside the repository that requires
# github.com/gpureg/gpureg/go (replaced by this checkout's go/, as a `go get` would fetch it),
# built with an empty build cache and without PKG_CONFIG_PATH or LD_LIBRARY_PATH, so the package
# must compile the C library itself. The program leaks one texture; the leak error must name the
# program's own file:line; CGO_ENABLED=0 must fail in one line. Prints how long the cold builds
# took.
set -euo pipefail
checkout=$(cd "$(dirname "$0")/../.." && pwd)
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
unset PKG_CONFIG_PATH LD_LIBRARY_PATH CGO_CFLAGS CGO_LDFLAGS
export GOFLAGS=-mod=mod GOPROXY=off GOWORK=off GOTOOLCHAIN=local
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
mkdir "$work/app"
cd "$work/app"

cat >main.go <<'GO'
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	gpureg "github.com/gpureg/gpureg/go"
)

func main() {
	runtime.LockOSThread() // this OS thread owns the registry
	reg, err := gpureg.NewNull(gpureg.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_, err = reg.CreateTexture(gpureg.TextureDesc{Width: 4, Height: 4, Format: gpureg.FormatRGBA8Unorm, Label: "forgotten"}) // LEAK
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	err = reg.Close() // the texture was never released
	var leak *gpureg.LeakError
	if !errors.As(err, &leak) || !errors.Is(err, gpureg.ErrLeaked) {
		fmt.Fprintln(os.Stderr, "want a *gpureg.LeakError from Close, got:", err)
		os.Exit(1)
	}
	fmt.Println(err)
}
GO
line=$(grep -n '// LEAK$' main.go | cut -d: -f1)

go mod init example.com/newcomer >/dev/null 2>&1
go mod edit -replace=github.com/gpureg/gpureg/go="$checkout/go"
go mod tidy

export GOCACHE="$work/gocache-run"
start=$EPOCHREALTIME
out=$(go run . 2>&1) || { echo "$out" >&2; echo "newcomer: go run failed" >&2; exit 1; }
run_s=$(awk "BEGIN { print $EPOCHREALTIME - $start }")
echo "$out"
if ! grep -q "main\.go:$line\b" <<<"$out"; then
  echo "newcomer: the leak error does not name main.go:$line" >&2
  exit 1
fi

export GOCACHE="$work/gocache-build"
start=$EPOCHREALTIME
go build -o /dev/null github.com/gpureg/gpureg/go
build_s=$(awk "BEGIN { print $EPOCHREALTIME - $start }")
# Without cgo the user gets one line that says so.
if nocgo=$(CGO_ENABLED=0 go build -o /dev/null . 2>&1); then
  echo "newcomer: CGO_ENABLED=0 go build succeeded" >&2
  exit 1
fi
if [ "$(grep -vc '^# ' <<<"$nocgo")" != 1 ] || ! grep -q 'gpureg_requires_cgo' <<<"$nocgo"; then
  echo "$nocgo" >&2
  echo "newcomer: CGO_ENABLED=0 should fail with the one line of nocgo.go" >&2
  exit 1
fi
echo "newcomer: CGO_ENABLED=0: $(grep -v '^# ' <<<"$nocgo")"

printf 'newcomer: leak reported at main.go:%s; cold `go run .` %.1f s, cold `go build` of the package %.1f s (empty GOCACHE, %s cores)\n' \
  "$line" "$run_s" "$build_s" "$(nproc)"
