#!/usr/bin/env bash
# loop.sh — run one program over and over, each run (or each pair of runs started together) with
# a fresh, empty MESA_SHADER_CACHE_DIR, and count passes, crashes and hangs.
#
#   tests/soak-mesa/loop.sh --name NAME --runs N [--minutes M] [--heap check|plain] \
#       [--cache empty|shared-empty|disabled] [--timeout S] [--log DIR] -- PROGRAM [ARGS...]
#
#   --heap check    glibc's heap checking: LD_PRELOAD=libc_malloc_debug.so.0 MALLOC_CHECK_=3
#                   MALLOC_PERTURB_=165 (the default); plain: none of it
#   --cache empty   a fresh empty cache directory for every run (the default)
#           shared-empty  two runs at once (the program and --partner PROGRAM, if given, else
#                   the program twice) share one fresh empty directory, as ctest -j2 does with
#                   ~/.cache on a fresh machine
#           disabled MESA_SHADER_CACHE_DISABLE=true
#   --timeout S     a run past S seconds is a hang (gdb takes all threads' stacks, then kill)
#
# Everything runs under nice -n 19. Results: DIR/NAME.tsv (run, rc, seconds); failing runs' output
# in DIR/NAME-fail-RUN.log; a summary line at the end. Exit status 1 if anything failed.
set -uo pipefail
name=loop runs=100 minutes=0 heap=check cache=empty timeout_s=60 log=${TMPDIR:-/tmp}/soak-mesa partner=""
while [ $# -gt 0 ]; do
  case $1 in
  --name) name=$2; shift 2 ;;
  --runs) runs=$2; shift 2 ;;
  --minutes) minutes=$2; shift 2 ;;
  --heap) heap=$2; shift 2 ;;
  --cache) cache=$2; shift 2 ;;
  --timeout) timeout_s=$2; shift 2 ;;
  --log) log=$2; shift 2 ;;
  --partner) partner=$2; shift 2 ;;
  --) shift; break ;;
  *) echo "loop.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "loop.sh: no program" >&2; exit 2; }
mkdir -p "$log"
tsv=$log/$name.tsv
: >"$tsv"
env_heap=()
[ "$heap" = check ] && env_heap=(LD_PRELOAD=/lib/x86_64-linux-gnu/libc_malloc_debug.so.0 MALLOC_CHECK_=3 MALLOC_PERTURB_=165)
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
start=$(date +%s)
pass=0 fail=0 crash=0 hang=0 done_runs=0

# one run: $1 = run id, $2 = cache dir ("" = disabled), rest = command; prints rc
one() {
  local id=$1 dir=$2
  local out=$log/$name-run.$id.log
  shift 2
  local env_cache=(MESA_SHADER_CACHE_DIR="$dir")
  [ -z "$dir" ] && env_cache=(MESA_SHADER_CACHE_DISABLE=true MESA_GLSL_CACHE_DISABLE=true)
  local t0=$SECONDS
  env "${env_heap[@]}" "${env_cache[@]}" nice -n 19 "$@" >"$out" 2>&1 &
  local pid=$!
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.2
    waited=$((waited + 1))
    if [ $waited -gt $((timeout_s * 5)) ]; then
      { echo "HANG after ${timeout_s}s"; gdb -p "$pid" -batch -ex 'thread apply all bt' 2>&1; } >>"$out"
      kill -9 "$pid"
      break
    fi
  done
  wait "$pid"
  local rc=$?
  [ $waited -gt $((timeout_s * 5)) ] && rc=124
  printf '%s\t%s\t%s\t%s\n' "$id" "$rc" "$((SECONDS - t0))" "$*" >>"$tsv"
  if [ $rc -ne 0 ]; then cp "$out" "$log/$name-fail-$id.log"; fi
  rm -f "$out"
  return $rc
}

count() {
  local rc=$1
  done_runs=$((done_runs + 1))
  if [ "$rc" = 0 ]; then pass=$((pass + 1))
  elif [ "$rc" = 124 ]; then hang=$((hang + 1)); fail=$((fail + 1))
  elif [ "$rc" -gt 128 ]; then crash=$((crash + 1)); fail=$((fail + 1))
  else fail=$((fail + 1)); fi
}

for ((r = 1; r <= runs; r++)); do
  if [ "$minutes" != 0 ] && [ $(($(date +%s) - start)) -ge $((minutes * 60)) ]; then break; fi
  dir=""
  [ "$cache" != disabled ] && dir=$(mktemp -d "${TMPDIR:-/tmp}/soak-mesa-cache.XXXXXX")
  if [ "$cache" = shared-empty ]; then
    if [ -n "$partner" ]; then
      # shellcheck disable=SC2086 # the partner is a command line
      one "$r.b" "$dir" $partner &
    else
      one "$r.b" "$dir" "$@" &
    fi
    p=$!
    one "$r.a" "$dir" "$@"; count $?
    wait $p; count $?
  else
    one "$r" "$dir" "$@"; count $?
  fi
  [ -n "$dir" ] && rm -rf "$dir"
done
echo "$name: $done_runs runs, $pass passed, $fail failed ($crash crashes, $hang hangs), $(($(date +%s) - start)) s" | tee "$log/$name.summary"
[ $fail = 0 ]
