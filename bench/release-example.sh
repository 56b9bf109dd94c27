#!/usr/bin/env bash
# README's first command on a fresh clone, timed: build the tool, then `release --example` (first run on an empty
# .gitops-release/, then N more runs each on a fresh .gitops-release/), with the per-stage times from the report.
# Usage: bench/release-example.sh [RUNS]   (default 5). Clones the committed HEAD of this checkout into a temp dir.
# Maven's ~/.m2 is reused (a machine that never built the project also downloads the dependencies once).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
W=$(mktemp -d /tmp/bench-release.XXXXXX)
trap 'rm -rf "$W"' EXIT
git clone -q . "$W/repo"
cd "$W/repo"

t0=$(date +%s.%N)
./mvnw -q -B -DskipTests package
t1=$(date +%s.%N)
bin/gitops-release release --example >"$W/first.out" 2>"$W/first.err"
t2=$(date +%s.%N)
printf 'fresh clone: package %.1f s, first release --example %.1f s, README command total %.1f s\n' \
  "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$(echo "$t2 - $t0" | bc)"
grep -E '^(image|release|branch|report) ' "$W/first.out" | sed 's/^/  /'

stages() { python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(" ".join(f"{s['stage'].replace(' ', '_')}={s['durationMs']}" for s in r["stages"]))
PY
}
echo "first run stages (ms): $(stages .gitops-release/report.json)"

all=()
for i in $(seq "$RUNS"); do
  rm -rf .gitops-release
  s=$(date +%s.%N)
  bin/gitops-release release --example >/dev/null 2>&1
  e=$(date +%s.%N)
  line="wall=$(echo "($e - $s) * 1000 / 1" | bc) $(stages .gitops-release/report.json)"
  echo "run $i (ms): $line"
  all+=("$line")
done
printf '%s\n' "${all[@]}" | python3 -c '
import sys, statistics
rows = [dict(kv.split("=") for kv in l.split()) for l in sys.stdin if l.strip()]
keys = list(rows[0].keys())
print("median (ms): " + " ".join(f"{k}={int(statistics.median(int(r[k]) for r in rows if k in r))}" for k in keys))
'
