#!/usr/bin/env bash
# ctest_cold.sh — the reported situation over and over: the GL suite under `ctest -j2`, as
# tests/run-all.sh runs it, with Mesa's shader cache in a fresh, empty XDG_CACHE_HOME each time
# (a fresh machine: ~/.cache/mesa_shader_cache does not exist yet and every GL test fills it at
# once), optionally under glibc's heap checking.
#
#   tests/soak-mesa/ctest_cold.sh BUILD_DIR [--minutes M] [--iterations N] [--heap check|plain]
#                                 [--tests REGEX] [--log DIR]
#
# Runs under nice -n 19. DIR/ctest-cold.tsv: iteration, ctest status, seconds; a failing
# iteration's ctest output is kept as DIR/ctest-cold-fail-N.log.
set -uo pipefail
build=${1:?build directory}
shift
minutes=10 iterations=100000 heap=check regex='^test_gl_' log=${TMPDIR:-/tmp}/soak-mesa
while [ $# -gt 0 ]; do
  case $1 in
  --minutes) minutes=$2; shift 2 ;;
  --iterations) iterations=$2; shift 2 ;;
  --heap) heap=$2; shift 2 ;;
  --tests) regex=$2; shift 2 ;;
  --log) log=$2; shift 2 ;;
  *) echo "ctest_cold.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$log"
tsv=$log/ctest-cold.tsv
: >"$tsv"
if [ "$heap" = check ]; then
  export LD_PRELOAD=/lib/x86_64-linux-gnu/libc_malloc_debug.so.0 MALLOC_CHECK_=3 MALLOC_PERTURB_=165
fi
unset MESA_SHADER_CACHE_DIR MESA_SHADER_CACHE_DISABLE MESA_GLSL_CACHE_DISABLE
start=$(date +%s)
fails=0 n=0
for ((i = 1; i <= iterations; i++)); do
  [ $(($(date +%s) - start)) -ge $((minutes * 60)) ] && break
  home=$(mktemp -d "${TMPDIR:-/tmp}/soak-mesa-xdg.XXXXXX")
  t0=$SECONDS
  XDG_CACHE_HOME=$home nice -n 19 ctest --test-dir "$build" -R "$regex" -E 'loader|api_header' -j2 \
    --output-on-failure >"$log/ctest-cold-run.log" 2>&1
  rc=$?
  n=$i
  printf '%s\t%s\t%s\n' "$i" "$rc" "$((SECONDS - t0))" >>"$tsv"
  if [ $rc -ne 0 ]; then
    fails=$((fails + 1))
    cp "$log/ctest-cold-run.log" "$log/ctest-cold-fail-$i.log"
  fi
  rm -rf "$home"
done
echo "ctest_cold: $n iterations, $fails failed, $(($(date +%s) - start)) s" | tee "$log/ctest-cold.summary"
[ $fails = 0 ]
