#!/usr/bin/env bash
# Installs the Debian 12 packages gpureg's build, tests and demo need, if any is missing.
# Quiet on success; run as root (or with sudo available).
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format
          libvulkan-dev mesa-vulkan-drivers vulkan-validationlayers vulkan-tools
          libegl-dev libegl1 libgl-dev libgles-dev libgl1-mesa-dri libglfw3-dev libstb-dev libcmocka-dev
          glslc glslang-tools spirv-tools xvfb xauth spin valgrind)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  echo "note: go is not on PATH; using /usr/local/go/bin" >&2
fi
