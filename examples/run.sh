#!/usr/bin/env bash
# The main job: install what is missing, build the demo renderer, and run it headless, first on
# Vulkan (lavapipe, validation layer on), then on OpenGL (llvmpipe through EGL surfaceless) with
# one texture leaked on purpose. Each run streams textures through 240 frames, prints live /
# pending / in-flight counts as it goes, writes its last frame as a PNG and ends with gpureg's leak
# report: clean for Vulkan, naming the leaked texture's label, size and creation site for GL.
# No display or GPU needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash cmake/install-deps.sh
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
cmake --preset release >/dev/null
cmake --build build/release --target gpureg-demo -j"$(nproc)" >/dev/null
demo=./build/release/examples/demo/gpureg-demo
printf '\n==== gpureg-demo --api vk --headless --validate\n'
"$demo" --api vk --headless --validate --frames 240 --size 640x360 --screenshot build/gpureg-demo-vk.png
printf '\n==== gpureg-demo --api gl --headless --leak\n'
"$demo" --api gl --headless --leak --frames 240 --size 640x360 --screenshot build/gpureg-demo-gl.png
