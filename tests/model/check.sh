#!/usr/bin/env bash
# Model-checks the hot-path protocol (tests/model/handles.pml) with spin, exhaustively within the
# bounds of each configuration below (tests/model/README.md: bounds, properties, mapping to the C
# and Go code). Then makes sure the model can fail: resolve without its re-read (NO_REREAD) must
# fail property (a), two broken protocols (MUTANT=1, 2) must fail, and every probe (a race the
# bounds must contain) must be reached. Prints the states explored and the time of each run;
# exits non-zero on any violation, and on any check that should fail but passes.
# Needs spin (Debian package spin) and a C compiler. Works in a temporary directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v spin >/dev/null 2>&1 || { echo "check.sh: spin not found (apt-get install spin)" >&2; exit 1; }
cc=${CC:-cc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/handles.pml" "$work/"
cd "$work"
SECONDS=0
failed=0

# build NAME CFLAGS SPIN-FLAGS...: pan_NAME, the verifier of handles.pml under SPIN-FLAGS.
build() {
  local name=$1 cflags=$2
  shift 2
  if ! spin "$@" -a handles.pml >spin.log 2>&1; then cat spin.log >&2; exit 1; fi
  # -w: gcc's array-bounds warnings about pan's generated undo code are noise (pan checks indices).
  # shellcheck disable=SC2086
  $cc -w $cflags -DSAFETY -o "pan_$name" pan.c
}

field() { sed -n "s/$1/\\1/p" <<<"$2" | head -1; }

# verify LABEL NAME: the full search must complete with no error.
verify() {
  local label=$1 out
  out=$(./"pan_$2" -m100000 2>&1) || true
  local errors states trans secs
  errors=$(field '.*errors: \([0-9]*\).*' "$out")
  states=$(field '^ *\([0-9]*\) states, stored.*' "$out")
  trans=$(field '^ *\([0-9]*\) transitions.*' "$out")
  secs=$(field '^pan: elapsed time \([0-9.e+]*\) seconds.*' "$out")
  if [ "$errors" = 0 ] && ! grep -qE 'Search not completed|max search depth too small|out of memory' <<<"$out"; then
    printf 'PASS  %s\n      %s states, %s transitions, %s s\n' "$label" "$states" "$trans" "$secs"
  else
    printf 'FAIL  %s\n' "$label"
    grep -E 'violated|error|depth too small|out of memory|Search not' <<<"$out" | head -5
    failed=1
  fi
}

bounds_a="-DNS=2 -DMAXGEN=3 -DK=2 -DMAXCREATE=3"
bounds_b="-DNS=1 -DMAXGEN=3 -DK=3 -DMAXCREATE=3"

echo "== exhaustive runs (spin $(spin -V | sed -n 's/Spin Version \([^ ]*\).*/\1/p'))"
# shellcheck disable=SC2086
build a "-O2 -DCOLLAPSE" $bounds_a -DLANG0=0 -DLANG1=1
verify "2 slots, generations 1..3, 3 creates, client 0 C + client 1 Go, 2 ops each" a
# shellcheck disable=SC2086
build b "-O2 -DCOLLAPSE" $bounds_b -DLANG0=0 -DLANG1=0
verify "1 slot, generations 1..3 (retires), 3 creates, two C clients, 3 ops each" b
# shellcheck disable=SC2086
build c "-O2 -DCOLLAPSE" $bounds_b -DLANG0=1 -DLANG1=1
verify "1 slot, generations 1..3 (retires), 3 creates, two Go clients, 3 ops each" c

echo
echo "== the probes: every race the bounds must contain is reached (first configuration)"
probes=(
  "1 a slot retires at its last generation"
  "2 a C push's compare_exchange_weak fails spuriously"
  "3 a C push's CAS loses to the owner's exchange"
  "4 a Go push's CAS loses"
  "5 a C retain's CAS loses to the last release (no revival)"
  "6 resolve_slow answers after the hit path's re-read saw the refcount change"
  "7 a resolve's re-read finds the slot destroyed and reused"
  "8 one drain takes two releases and reverses them"
  "9 the Go resolve misses and the C call answers"
  "10 a retain through a stale handle finds the slot reused"
  "11 a C push's CAS loses to another push"
)
for p in "${probes[@]}"; do
  n=${p%% *}
  out=$(GPUREG_MODEL_PROBE=$n ./pan_a -m100000 2>&1) || true
  if grep -q 'assertion violated 0 ' <<<"$out"; then
    printf 'PASS  probe %-2s reached: %s\n' "$n" "${p#* }"
  else
    printf 'FAIL  probe %-2s never reached: %s\n' "$n" "${p#* }"
    failed=1
  fi
done

echo
echo "== the model can fail"
# shellcheck disable=SC2086
build noreread "-O2 -DBFS" $bounds_a -DLANG0=0 -DLANG1=1 -DNO_REREAD
out=$(./pan_noreread 2>&1) || true
if grep -q 'assertion violated (n==gnative' <<<"$out"; then
  printf 'PASS  NO_REREAD (resolve without the re-read) fails property (a), shortest trail %s steps:\n' \
    "$(field '.*assertion violated.*(at depth \([0-9]*\)).*' "$out")"
  # The trail, cut to the steps on the slot's word, its native and the inbox, in words.
  # shellcheck disable=SC2086
  spin $bounds_a -DLANG0=0 -DLANG1=1 -DNO_REREAD -t -p handles.pml 2>/dev/null |
    grep -E '^ *[0-9]+:.*\[(native\[idx\] = nextid|word\[idx\] = |word\[s\] = |w = word\[s\]|n = native\[s\]|inbox = |destroyed\[.*\] = 1)|text of failed' |
    sed -E 's/^ *([0-9]+):\s+proc +([0-9]+) \(([A-Za-z]+):1\) handles.pml:[0-9]+ \(state [0-9]+\)\s+\[(.*)\]$/\1\t\2\t\4/' |
    awk -F'\t' '
      /text of failed/ { sub(/^spin: text of failed assertion: /, ""); print "      -> property (a) fails: " $0; next }
      { who = $2 == 1 ? "owner" : $2 == 2 ? "client 0 (C)" : "client 1 (Go)"; s = $3
        if (s ~ /^native\[idx\]/) d = "stores the native of the slot'"'"'s next object (make_object)"
        else if (s ~ /^word\[idx\]/ && index(s, "(1<<3)")) d = "publishes the word ALIVE rc 1 (make_object)"
        else if (s ~ /^word\[idx\]/ && index(s, "(0<<3)")) d = "stores the word FREE: the slot may be reused (pool_recycle)"
        else if (s ~ /^word\[idx\]/) d = "stores the word RETIRED (pool_recycle)"
        else if (s ~ /^w = word/) d = "loads the word"
        else if (s ~ /^word\[s\] = next/) d = "release CAS: rc to 0, RELEASED"
        else if (s ~ /^word\[s\]/) d = "retain CAS"
        else if (s ~ /^n = native/) d = "loads the native (and answers it: no re-read)"
        else if (s ~ /^inbox = 0/) d = "takes the inbox (exchange)"
        else if (s ~ /^inbox/) d = "pushes the slot on the inbox"
        else if (s ~ /^destroyed/) d = "destroys the object (retire_pop_due, object_destroy)"
        else d = s
        printf "      step %3d  %-14s %s\n", $1, who, d }'
else
  echo "FAIL  NO_REREAD passes: the model no longer catches a resolve that returns another object's native"
  grep -E 'violated|errors:' <<<"$out" | head -3
  failed=1
fi
for m in "1 the drain loads the inbox and stores 0 instead of exchanging it" \
         "2 the C retain increments with a load and a plain store, no CAS"; do
  n=${m%% *}
  # shellcheck disable=SC2086
  build "mutant$n" "-O1 -DCOLLAPSE" $bounds_a -DLANG0=0 -DLANG1=1 -DMUTANT=$n
  out=$(./"pan_mutant$n" -m100000 2>&1) || true
  if v=$(grep -m1 'assertion violated' <<<"$out"); then
    printf 'PASS  MUTANT=%s (%s) fails:\n      %s\n' "$n" "${m#* }" "$(sed 's/^pan:1: //; s/ (at depth.*//' <<<"$v")"
  else
    printf 'FAIL  MUTANT=%s (%s) passes: the model no longer catches it\n' "$n" "${m#* }"
    failed=1
  fi
done

echo
if [ "$failed" != 0 ]; then
  echo "model check FAILED (${SECONDS} s)"
  exit 1
fi
echo "model check passed (${SECONDS} s)"
