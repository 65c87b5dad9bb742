#!/usr/bin/env bash
# Times `make demo` on a fresh clone: the first run (venv, installs, llama.cpp wheel build
# when the wheel cache is empty, data generation, every stage) and a repeat run.
#
#   bench/demo_time.sh            # fresh clone, fresh wheel cache, no pip cache
#   KEEP_WHEELS=1 bench/demo_time.sh   # reuse ~/.cache/assay/wheels (a second clone)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/assay-demo-bench.XXXXXX)
git clone -q "$repo" "$work/clone"
wheels="$work/wheels"
[ "${KEEP_WHEELS:-0}" = 1 ] && wheels="$HOME/.cache/assay/wheels"
cd "$work/clone"
t0=$(date +%s.%N)
PIP_NO_CACHE_DIR=1 make demo WHEELS="$wheels" > "$work/first.log" 2>&1
t1=$(date +%s.%N)
make demo WHEELS="$wheels" > "$work/repeat.log" 2>&1
t2=$(date +%s.%N)
printf 'machine: %s, %s cores, %s\n' "$(uname -m)" "$(nproc)" "$(date -u +%F)"
printf 'first make demo:  %6.1f s\n' "$(python3 -c "print($t1 - $t0)")"
printf 'repeat make demo: %6.1f s\n' "$(python3 -c "print($t2 - $t1)")"
echo "logs: $work/first.log $work/repeat.log"
