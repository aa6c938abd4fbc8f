#!/usr/bin/env bash
# soak.sh — runs the GL, Vulkan and thread suites over and over under CPU contention, with warm,
# empty and disabled Mesa shader caches, in the dev, ASan and TSan builds, to catch what one run in
# a thousand does (a crash, a sanitizer report, a hang).
#
#   tests/soak.sh [options]
#     --builds "dev asan tsan"   builds to soak: build/soak-<name> (configured and built if missing)
#     --tests "REGEX"            ctest names to run (default: the GL, Vulkan and thread suites)
#     --caches "warm empty"      Mesa shader cache modes: warm (one shared cache, filled before the
#                                loops), empty (a fresh empty MESA_SHADER_CACHE_DIR for every run),
#                                shared-empty (a fresh empty one for every --loops runs that start
#                                one after the other, so runs at once fill one cold cache together,
#                                as ctest -j2 does with ~/.cache on a fresh machine), disabled
#                                (MESA_SHADER_CACHE_DISABLE / MESA_GLSL_CACHE_DISABLE)
#     --runs N                   runs of each test per build and cache mode (default 2000)
#     --minutes M                stop starting runs after M minutes (default: no limit)
#     --loops N                  runs at once (default 2), plus --hogs N busy loops (default 1)
#     --timeout S                a run still going after S seconds is a hang (default: half the
#                                test's ctest TIMEOUT, at least 60): its threads' stacks are
#                                taken with gdb, then it is killed
#     --no-build                 use the builds as they are (default: configure if missing, build)
#     --log DIR                  where results go (default: ${TMPDIR:-/tmp}/gpureg-soak-<date>)
#
# Each run is one test program, as ctest registers it (its command and ENVIRONMENT), with the
# sanitizer options of tests/run-all.sh. Every run that does not pass is kept in DIR/failures/ with
# its program, run number, cache mode, exit status and output (frames named with addr2line);
# DIR/results.tsv has one line per run; a table of runs, passes, failures, crashes and hangs per
# build, test and cache mode is printed at the end. Exits 1 if any run did not pass.
#
# A crash is a death by a signal (tests/crash_handler.c prints "CRASH: signal N" and a stack) or a
# sanitizer report; a failure is any other non-zero exit; a hang is a run past --timeout. The unit
# suites do not use Mesa: they run once per round, not once per cache mode. TSan skips the Vulkan
# suites, as run-all does (the validation layer is not TSan-clean on its own).
#
# Be kind to a shared machine: nice -n 10 tests/soak.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

builds="dev asan tsan"
tests_regex='^(test_gl_(churn|lifetime|formats|bad_input)(_gl33|_gles3)?|test_vk_(objects|frames|debug|failures)|test_(threads|guard|registries))$'
caches="warm empty"
runs=2000
minutes=0
loops=2
hogs=1
run_timeout=0
log=""
build=1

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
  --builds) builds=$2; shift 2 ;;
  --tests) tests_regex=$2; shift 2 ;;
  --caches) caches=$2; shift 2 ;;
  --runs) runs=$2; shift 2 ;;
  --minutes) minutes=$2; shift 2 ;;
  --loops) loops=$2; shift 2 ;;
  --hogs) hogs=$2; shift 2 ;;
  --timeout) run_timeout=$2; shift 2 ;;
  --log) log=$2; shift 2 ;;
  --no-build) build=0; shift ;;
  -h | --help) usage; exit 0 ;;
  *) echo "soak.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for c in $caches; do
  case $c in warm | empty | shared-empty | disabled) ;; *) echo "soak.sh: unknown cache mode $c" >&2; exit 2 ;; esac
done
log=${log:-${TMPDIR:-/tmp}/gpureg-soak-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$log/failures" "$log/cache/warm"
log=$(cd "$log" && pwd)
results=$log/results.tsv
: >"$results"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

# ---- Builds ------------------------------------------------------------------------------------
configure_flags() {
  case $1 in
  dev) echo "" ;;
  asan) echo "-DGPUREG_SANITIZE=address,undefined -DGPUREG_BUILD_BENCH=OFF -DGPUREG_BUILD_EXAMPLES=OFF" ;;
  tsan) echo "-DGPUREG_SANITIZE=thread -DGPUREG_BUILD_BENCH=OFF -DGPUREG_BUILD_EXAMPLES=OFF" ;;
  *) echo "soak.sh: unknown build $1 (dev, asan, tsan)" >&2; exit 2 ;;
  esac
}

# The sanitizer options of tests/run-all.sh.
sanitizer_env() {
  case $1 in
  asan) echo "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1" ;;
  tsan) echo "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/gl/tsan.supp" ;;
  esac
}

# One line per test of build $1 matching the regex: name, then the command, then ENVIRONMENT,
# each field separated by a tab (list items by \x1f).
list_tests() {
  local dir=$root/build/soak-$1
  ctest --test-dir "$dir" --show-only=json-v1 -R "$tests_regex" |
    jq -r '.tests[] | [.name, (.command | join("\u001f")),
             ((.properties // [] | map(select(.name == "ENVIRONMENT")) | .[0].value // []) | join("\u001f")),
             ((.properties // [] | map(select(.name == "LABELS")) | .[0].value // []) | join(",")),
             ((.properties // [] | map(select(.name == "TIMEOUT")) | .[0].value // 120) | floor)] | @tsv'
}

declare -a jobs=() # "build<TAB>test<TAB>cache<TAB>run"
declare -A command_of env_of limit_of
for b in $builds; do
  dir=$root/build/soak-$b
  if [ "$build" = 1 ] && [ ! -f "$dir/build.ninja" ]; then
    # shellcheck disable=SC2046 # the flags are words
    cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGPUREG_WARNINGS_AS_ERRORS=ON $(configure_flags "$b") >/dev/null
  fi
  if [ "$build" = 1 ]; then
    echo "soak: building $b ..."
    cmake --build "$dir" -j2 >"$log/build-$b.log" 2>&1 || { echo "soak: the $b build failed: $log/build-$b.log" >&2; exit 1; }
  fi
  while IFS=$'\t' read -r name command environment labels ctest_timeout; do
    [ "$b" = tsan ] && [[ $labels == *vk* ]] && continue
    command_of[$b/$name]=$command
    env_of[$b/$name]=$environment
    limit_of[$b/$name]=$run_timeout
    if [ "$run_timeout" = 0 ]; then
      limit_of[$b/$name]=$((ctest_timeout / 2 > 60 ? ctest_timeout / 2 : 60))
    fi
    if [[ $labels == *unit* ]]; then
      for ((r = 1; r <= runs; r++)); do jobs+=("$b"$'\t'"$name"$'\t'-$'\t'"$r"); done
    else
      for c in $caches; do
        for ((r = 1; r <= runs; r++)); do jobs+=("$b"$'\t'"$name"$'\t'"$c"$'\t'"$r"); done
      done
    fi
  done < <(list_tests "$b")
done
[ ${#jobs[@]} -gt 0 ] || { echo "soak: no test matches $tests_regex" >&2; exit 1; }

# Interleave: run r of every build/test/cache before run r+1, so the loops mix programs as
# ctest -j does, and a time limit cuts every kind of run alike. (A stable sort on the run number.)
mapfile -t jobs < <(printf '%s\n' "${jobs[@]}" | sort -t$'\t' -k4,4n -s)

# ---- One run -------------------------------------------------------------------------------------
# Symbolise "program(+0xOFFSET)" frames of our own programs (under build/) for a kept output.
symbolise() {
  local file=$1 line path offset
  grep -oE "$root/build/[^ (]+\(\+0x[0-9a-f]+\)" "$file" | sort -u | while read -r line; do
    path=${line%%(*}
    offset=${line##*(+}
    offset=${offset%)}
    printf '  %s +%s  %s\n' "${path##*/}" "$offset" "$(addr2line -f -p -e "$path" "$offset" 2>/dev/null)"
  done
}

# The cache directory of a shared-empty run: a new one for every $loops runs started.
shared_cache() {
  local fd n
  exec {fd}>"$log/cache/shared.lock"
  flock "$fd"
  n=$(cat "$log/cache/shared.count" 2>/dev/null || echo 0)
  ((n % loops != 0)) || mktemp -d "$log/cache/shared.XXXXXX" >"$log/cache/shared.current"
  echo $((n + 1)) >"$log/cache/shared.count"
  cat "$log/cache/shared.current"
  exec {fd}>&-
}

# Run $1 (build) $2 (test) $3 (cache mode) $4 (run number); append a line to results.tsv.
run_one() {
  local b=$1 name=$2 cache=$3 r=$4
  local out cache_dir="" rc=0 status start seconds pid waited=0 limit=${limit_of[$b/$name]}
  out=$(mktemp "$log/run.XXXXXX")
  local -a cmd env
  IFS=$'\x1f' read -r -a cmd <<<"${command_of[$b/$name]}"
  IFS=$'\x1f' read -r -a env <<<"${env_of[$b/$name]}"
  # shellcheck disable=SC2207 # the options are words
  env+=($(sanitizer_env "$b"))
  case $cache in
  warm) env+=("MESA_SHADER_CACHE_DIR=$log/cache/warm") ;;
  empty)
    cache_dir=$(mktemp -d "$log/cache/empty.XXXXXX")
    env+=("MESA_SHADER_CACHE_DIR=$cache_dir")
    ;;
  shared-empty) env+=("MESA_SHADER_CACHE_DIR=$(shared_cache)") ;;
  disabled) env+=(MESA_SHADER_CACHE_DISABLE=true MESA_GLSL_CACHE_DISABLE=true) ;;
  esac
  start=${EPOCHREALTIME/./}
  env "${env[@]}" "${cmd[@]}" >"$out" 2>&1 </dev/null &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= limit * 10)); then
      {
        echo "==== soak: still running after $limit s: the stacks of its threads (gdb)"
        timeout 60 gdb -p "$pid" -batch -nx -ex 'set pagination off' -ex 'thread apply all bt' 2>&1 || true
      } >>"$out"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  wait "$pid" || rc=$?
  seconds=$(((${EPOCHREALTIME/./} - start) / 10000))
  seconds=$((seconds / 100)).$(printf '%02d' $((seconds % 100)))
  if ((waited >= limit * 10)); then
    status=hang
  elif [ "$rc" = 0 ]; then
    status=pass
  elif ((rc > 128)) || grep -qE '^CRASH: signal|(ERROR|WARNING): (Address|Thread|Leak|UndefinedBehavior)Sanitizer|runtime error:' "$out"; then
    status=crash
  else
    status=fail
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$name" "$cache" "$r" "$status" "$rc" "$seconds" >>"$results"
  if [ "$status" != pass ]; then
    local kept=$log/failures/$b-$name-$cache-$r.log
    {
      echo "program: ${cmd[*]}"
      echo "build: $b   test: $name   run: $r   cache: $cache${cache_dir:+ ($cache_dir)}"
      echo "status: $status   exit status: $rc$( ((rc > 128)) && echo " (signal $((rc - 128)))")   seconds: $seconds"
      echo "environment: ${env[*]}"
      echo "---- output"
      cat "$out"
      echo "---- frames of our programs"
      symbolise "$out"
    } >"$kept"
    echo "soak: $status: $b $name cache=$cache run=$r rc=$rc -> $kept"
  fi
  rm -f "$out"
  [ -z "$cache_dir" ] || rm -rf "$cache_dir"
}

# ---- Contention, warm-up, the loops ---------------------------------------------------------------
declare -a helpers=()
stop_helpers() {
  for p in "${helpers[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap stop_helpers EXIT
trap 'stop_helpers; exit 130' INT TERM
for ((h = 0; h < hogs; h++)); do
  (while :; do :; done) &
  helpers+=($!)
done

# Fill the warm cache: each GL and Vulkan test once per build (recorded as cache mode "warmup").
if [[ " $caches " == *" warm "* ]]; then
  for key in "${!command_of[@]}"; do
    b=${key%%/*} name=${key#*/}
    [[ $name == test_gl_* || $name == test_vk_* ]] && run_one "$b" "$name" warmup 0
  done
fi

deadline=0
((minutes > 0)) && deadline=$(($(date +%s) + minutes * 60))
total=${#jobs[@]}
echo "soak: $total runs ($builds; caches: $caches; $loops at once, $hogs hog(s)); log: $log"
# The next job for a loop to run (each loop takes the next one free, so no loop keeps to one
# kind of run), or nothing when all are taken.
next_job() {
  local fd n
  exec {fd}>"$log/next.lock"
  flock "$fd"
  n=$(cat "$log/next" 2>/dev/null || echo 0)
  echo $((n + 1)) >"$log/next"
  exec {fd}>&-
  echo "$n"
}

loop() {
  local i
  while :; do
    ((deadline == 0 || $(date +%s) < deadline)) || break
    i=$(next_job)
    ((i < total)) || break
    IFS=$'\t' read -r b name cache r <<<"${jobs[$i]}"
    run_one "$b" "$name" "$cache" "$r"
    if ((i % 200 == 0)); then
      echo "soak: $(wc -l <"$results") runs done, $(awk -F'\t' '$5 != "pass"' "$results" | wc -l) not passed ($(date +%H:%M:%S))"
    fi
  done
}
declare -a loop_pids=()
for ((k = 0; k < loops; k++)); do
  loop &
  loop_pids+=($!)
done
for p in "${loop_pids[@]}"; do wait "$p" || true; done
stop_helpers
rm -rf "$log"/cache/shared.*

# ---- Summary ---------------------------------------------------------------------------------------
{
  printf '%-6s %-26s %-12s %7s %7s %6s %6s %6s %7s %7s\n' build test cache runs pass fail crash hang 'mean s' 'max s'
  sort -t$'\t' -k1,1 -k2,2 -k3,3 "$results" | awk -F'\t' '
    function flush() {
      if (key == "") return
      printf "%-6s %-26s %-12s %7d %7d %6d %6d %6d %7.2f %7.2f\n", b, name, cache, runs, c["pass"], c["fail"], c["crash"], c["hang"], sum / runs, max
    }
    { k = $1 FS $2 FS $3
      if (k != key) { flush(); key = k; b = $1; name = $2; cache = $3; runs = 0; sum = 0; max = 0; split("", c) }
      runs++; c[$5]++; sum += $7; if ($7 > max) max = $7 }
    END { flush() }'
  awk -F'\t' '{ n++; c[$5]++ } END { printf "all: %d runs, %d passed, %d failed, %d crashed, %d hung\n", n, c["pass"], c["fail"], c["crash"], c["hang"] }' "$results"
} | tee "$log/summary.txt"
echo "soak: details in $log (results.tsv, failures/)"
! awk -F'\t' '$5 != "pass" { bad = 1 } END { exit !bad }' "$results"
