#!/usr/bin/env bash
# Proves that the GL-only build of the Go module includes no Vulkan header, so it needs no
# libvulkan-dev: with a vulkan/vulkan.h that is an #error first on the include path, building
# without -tags gpureg_vulkan must succeed and building with it must fail on that #error.
set -euo pipefail
cd "$(dirname "$0")/../../go"
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
poison=$(mktemp -d)
trap 'rm -rf "$poison"' EXIT
mkdir "$poison/vulkan"
echo '#error "GL-only build included vulkan.h"' >"$poison/vulkan/vulkan.h"
# A fresh -I path changes the cache key of every cgo package: everything cgo is compiled again.
export CGO_CFLAGS="-I$poison ${CGO_CFLAGS:--O2 -g}"

if ! out=$(go build ./... 2>&1 && go vet ./... 2>&1); then
  echo "$out" >&2
  echo "no-vulkan-header: the build without -tags gpureg_vulkan includes a Vulkan header" >&2
  exit 1
fi
echo "no-vulkan-header: go build ./... and go vet ./... without the tag: ok (no Vulkan header included)"

if out=$(go build -tags gpureg_vulkan . 2>&1); then
  echo "no-vulkan-header: the build with -tags gpureg_vulkan did not include the poisoned vulkan.h: the check proves nothing" >&2
  exit 1
fi
if ! grep -q 'GL-only build included vulkan.h' <<<"$out"; then
  echo "$out" >&2
  echo "no-vulkan-header: the build with -tags gpureg_vulkan failed, but not on the poisoned vulkan.h" >&2
  exit 1
fi
echo "no-vulkan-header: go build -tags gpureg_vulkan . fails as it must: $(grep -m1 'GL-only build included vulkan.h' <<<"$out")"
