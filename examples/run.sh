#!/usr/bin/env bash
# The main job: install what is missing, build, and run the example headless; it prints the
# leak report at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash cmake/install-deps.sh
cmake --preset release >/dev/null
cmake --build build/release --target gpureg-hello -j"$(nproc)" >/dev/null
./build/release/examples/gpureg-hello
