#!/usr/bin/env bash
# Interleaved A/B of whole CLI processes: the variants take turns, ROUNDS times, and the medians are printed. A
# variant is a directory holding a gitops-release.jar and its archives, made by `bench/cli-ab.sh make DIR` from the
# current build (the archives record the jar's path, so each copy gets its own), plus a JVM and extra JVM options.
# Used for the stop-21 attributions in docs/benchmarks.md (e.g. stop 20's build against this one: check out the old
# commit, ./mvnw -q -B -DskipTests package, bench/cli-ab.sh make /tmp/ab/old; the same for /tmp/ab/new).
# Usage:
#   bench/cli-ab.sh make DIR
#   bench/cli-ab.sh ROUNDS 'DIR|JAVA_HOME|OPTS' ... -- VERB ARGS...      (@N in ARGS becomes a fresh number per run,
#                                                                          for verbs that must not repeat a name)
# Example (a no-op promotion against registries you started):
#   bench/cli-ab.sh 11 "/tmp/ab/new|$J17|" "/tmp/ab/new|$J17|-Dgitopsrelease.warmup=false" -- \
#     promote-image --from 127.0.0.1:5001/app:1 --to 127.0.0.1:5002/app:1 --src-insecure --dest-insecure
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = make ]; then
  dir=${2:?usage: bench/cli-ab.sh make DIR}
  [ -f "$ROOT/cli/target/gitops-release.jar" ] || { echo "no cli/target/gitops-release.jar: build first" >&2; exit 2; }
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$ROOT/cli/target/gitops-release.jar" "$dir/"
  bash "$ROOT/cli/src/main/cds/make-archives.sh" "$dir/gitops-release.jar" "$dir/cds" \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  exit 0
fi
ROUNDS=${1:?usage: bench/cli-ab.sh ROUNDS VARIANT... -- VERB ARGS...}; shift
VARIANTS=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do VARIANTS+=("$1"); shift; done
[ "${1:-}" = -- ] && shift || { echo "no -- before the command" >&2; exit 2; }
[ ${#VARIANTS[@]} -gt 0 ] && [ $# -gt 0 ] || { echo "give at least one variant and a command" >&2; exit 2; }
declare -A T
n=0
for _ in $(seq "$ROUNDS"); do
  for v in "${VARIANTS[@]}"; do
    IFS='|' read -r dir jh opts <<<"$v"
    [ -f "$dir/gitops-release.jar" ] || { echo "no $dir/gitops-release.jar (bench/cli-ab.sh make $dir)" >&2; exit 2; }
    n=$((n + 1))
    args=("${@//@N/$n}")
    t0=$(date +%s%N)
    JAVA_HOME=$jh GITOPS_RELEASE_JAR=$dir/gitops-release.jar GITOPS_RELEASE_JAVA_OPTS="$opts" \
      "$ROOT/bin/gitops-release" "${args[@]}" >/dev/null 2>&1 || echo "failed: $v ${args[*]}" >&2
    T[$v]="${T[$v]:-} $(( ($(date +%s%N) - t0) / 1000000 ))"
  done
done
for v in "${VARIANTS[@]}"; do
  # shellcheck disable=SC2086 # a list of numbers
  sorted=$(printf '%s\n' ${T[$v]} | sort -n | tr '\n' ' ')
  median=$(printf '%s\n' ${T[$v]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-70s median %s ms  (%s)\n' "$v" "$median" "$sorted"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
