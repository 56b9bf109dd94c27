#!/usr/bin/env bash
# The hostile-input suite's cost (issue 16: 10,000 cases per CI run within 2 minutes), both sides in one go:
#   now    - as the build runs it: case roots on a RAM-backed file system (/dev/shm), test JVM on C1 only (cli/pom.xml)
#   before - the temporary root on the JVM's temp directory (disk) and C2 compilation as before
# Both runs use the same seed and case count; the suite prints wall time, JVM CPU and per-family figures.
# Usage: bench/hostile-suite.sh [cases]   (from the repository root; offline; MAVEN_ARGS passes e.g. -Dmaven.repo.local)
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-10000}
./mvnw -o -q -B -pl engine install -DskipTests $MAVEN_ARGS
run() { # label, extra Maven arguments...
  local label=$1; shift
  local log; log=$(mktemp)
  ./mvnw -o -B -pl cli test -Dtest=HostileInputTest -Dhostile.cases="$cases" $MAVEN_ARGS "$@" >"$log" 2>&1 || {
    tail -40 "$log"; echo "$label: the suite failed (log $log)"; exit 1; }
  local line; line=$(grep -a '^hostile inputs:' "$log")
  local wall cpu
  wall=$(sed -E 's/.* in ([0-9]+) ms \(JVM CPU ([0-9]+) ms\).*/\1/' <<<"$line")
  cpu=$(sed -E 's/.* in ([0-9]+) ms \(JVM CPU ([0-9]+) ms\).*/\2/' <<<"$line")
  echo "$label: wall ${wall} ms, JVM CPU ${cpu} ms (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  echo "  $(grep -a '^harness:' "$log" | cut -c1-160)" >&2
  echo "$wall $cpu"
  rm -f "$log"
}
read -r now_wall now_cpu < <(run now)
read -r before_wall before_cpu < <(run before -Dhostile.tmp="${TMPDIR:-/tmp}" -DargLine=-XX:+TieredCompilation)
awk -v nw="$now_wall" -v nc="$now_cpu" -v bw="$before_wall" -v bc="$before_cpu" -v n="$cases" 'BEGIN {
  printf "%d cases: now %.1f s wall / %.1f s CPU; before %.1f s / %.1f s; now/before: wall %.2fx, CPU %.2fx\n",
    n, nw/1000, nc/1000, bw/1000, bc/1000, nw/bw, nc/bc }'
