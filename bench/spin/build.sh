#!/bin/bash
# Build the pan verifiers for three-thread-race.pml in $1 (default /tmp/vs-mmutt-pan), all of
# them or those named after it (build.sh DIR hc4_64 nr):
#   pan_nr      exhaustive, full state vectors, -DNOREDUCE (no partial-order reduction, like mmutt)
#   pan_por     exhaustive, full state vectors, SPIN's default partial-order reduction
#   pan_hc4     -DHC4 -DNOREDUCE hash-compact (stock pan.c: see README, 32-bit hash when -w <= 32)
#   pan_hc4_64  -DHC4 -DNOREDUCE with pan.c patched to use its 64-bit Jenkins hash at any -w
#   pan_collapse -DCOLLAPSE -DNOREDUCE (lossless compression), for reference
# All with -DSAFETY (safety properties only: assertions and end states; no cycle detection).
# spin -o2 keeps write-only variables (registers, counters) in the state vector: mmutt reads
# them for its outcomes, and without -o2 spin would hide them and merge distinct states.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/vs-mmutt-pan}
mkdir -p "$out" && cd "$out"
cp "$here/three-thread-race.pml" .
spin -o2 -a three-thread-race.pml
sed 's|if (ssize <= 32)\t/\* 6.2.0 \*/|if (0)\t/* patched: always the 64-bit hash */|' pan.c > pan64.c
grep -q 'patched: always the 64-bit hash' pan64.c || { echo "patch of pan.c did not apply" >&2; exit 1; }
variants=${*:2}
variants=${variants:-nr por hc4 hc4_64 collapse}
for v in $variants; do
  case $v in
    nr) gcc -O2 -DSAFETY -DNOREDUCE -o pan_nr pan.c ;;
    por) gcc -O2 -DSAFETY -o pan_por pan.c ;;
    hc4) gcc -O2 -DSAFETY -DNOREDUCE -DHC4 -o pan_hc4 pan.c ;;
    hc4_64) gcc -O2 -DSAFETY -DNOREDUCE -DHC4 -o pan_hc4_64 pan64.c ;;
    collapse) gcc -O2 -DSAFETY -DNOREDUCE -DCOLLAPSE -o pan_collapse pan.c ;;
    *) echo "unknown variant $v" >&2; exit 2 ;;
  esac
done
echo "built in $out: $(for v in $variants; do printf 'pan_%s ' "$v"; done)"
