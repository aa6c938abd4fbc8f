#!/usr/bin/env bash
# Installs the build tree into a scratch prefix, then builds and runs a consumer two ways:
# find_package(gpureg) from CMake, and `pkg-config gpureg` with a plain compiler call.
# Usage: check_install.sh <build dir> <source dir>
set -euo pipefail
build=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/tests/install/consumer" -B "$work/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
LD_LIBRARY_PATH="$work/prefix/lib" "$work/cmake/consumer"
"$work/cmake/consumer_static"
pc=$(ls -d "$work"/prefix/lib*/pkgconfig | head -n1)
export PKG_CONFIG_PATH="$pc"
cc -std=c11 "$source/tests/install/consumer/main.c" $(pkg-config --cflags --libs gpureg) -o "$work/pc_consumer"
LD_LIBRARY_PATH="$work/prefix/lib" "$work/pc_consumer"
echo "install check: find_package (shared, static) and pkg-config consumers passed"
