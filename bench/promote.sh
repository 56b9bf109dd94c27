#!/usr/bin/env bash
# Promotion benchmark: gitops-release promote-image vs skopeo copy, 5 random layers / 210 MB, registry A -> empty
# registry B, both docker-registry on free 127.0.0.1 ports (started and stopped here). Whole-process times,
# alternating order; then in-JVM figures (blob throughput, re-promotion) and a raw loopback HTTP copy of the same
# blobs with curl as the throughput reference.
# Usage: bench/promote.sh [ROUNDS]   (needs docker-registry, skopeo, curl, python3; builds the CLI jar if missing)
set -euo pipefail
ROUNDS=${1:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/cli/target/gitops-release.jar
WORK=$(mktemp -d /tmp/promote-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=bench/lib/registries.sh
. "$ROOT/bench/lib/registries.sh"

[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -o -q -B -DskipTests package)
start_registry A
start_registry B
A=127.0.0.1:$PORT_A
B=127.0.0.1:$PORT_B

make_image "$WORK/layout"
skopeo copy -q --dest-tls-verify=false "oci:$WORK/layout:1.0" "docker://$A/bench/app:1.0"
SRC_DIGEST=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$A/bench/app:1.0")
echo "image $A/bench/app:1.0@$SRC_DIGEST (5 x 42 MB)"

now() { date +%s.%N; }
run_ours() {
  java ${BENCH_JAVA_OPTS:-} -jar "$JAR" promote-image --from "$A/bench/app:1.0" --to "$B/bench/app:1.0" --src-insecure --dest-insecure >/dev/null 2>&1
}
run_skopeo() {
  skopeo copy -q --src-tls-verify=false --dest-tls-verify=false "docker://$A/bench/app:1.0" "docker://$B/bench/app:1.0"
}
OURS=(); SKOPEO=()
for i in $(seq "$ROUNDS"); do
  for side in $( [ $((i % 2)) -eq 1 ] && echo "ours skopeo" || echo "skopeo ours"); do
    fresh_b
    t0=$(now); "run_$side"; t1=$(now)
    d=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$B/bench/app:1.0")
    [ "$d" = "$SRC_DIGEST" ] || { echo "digest mismatch after $side: $d"; exit 1; }
    t=$(python3 -c "print(f'{$t1-$t0:.3f}')")
    echo "round $i $side: $t s"
    if [ "$side" = ours ]; then OURS+=("$t"); else SKOPEO+=("$t"); fi
  done
done
# re-promotion, whole process (all blobs present)
t0=$(now); run_ours; t1=$(now); OURS_WARM=$(python3 -c "print(f'{$t1-$t0:.3f}')")
t0=$(now); run_skopeo; t1=$(now); SKOPEO_WARM=$(python3 -c "print(f'{$t1-$t0:.3f}')")

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
MO=$(median "${OURS[@]}"); MS=$(median "${SKOPEO[@]}")

# raw loopback HTTP copy of the same 5 blobs: curl GET from A piped into a monolithic PUT to B, 5 in parallel
fresh_b
LAYERS=$(curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$A/v2/bench/app/manifests/1.0" \
  | python3 -c 'import json,sys; [print(l["digest"], l["size"]) for l in json.load(sys.stdin)["layers"]]')
RAW_PIDS=()
t0=$(now)
while read -r d size; do
  (
    loc=$(curl -fsS -X POST -D - -o /dev/null "http://$B/v2/raw/app/blobs/uploads/" | tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}')
    case "$loc" in http*) ;; *) loc="http://$B$loc";; esac
    curl -fsS "http://$A/v2/bench/app/blobs/$d" | curl -fsS -X PUT -H "Content-Type: application/octet-stream" \
      -H "Content-Length: $size" --data-binary @- "$loc&digest=$d" -o /dev/null
  ) &
  RAW_PIDS+=($!)
done <<< "$LAYERS"
wait "${RAW_PIDS[@]}"
t1=$(now)
RAW_MBPS=$(python3 -c "print(f'{210/($t1-$t0):.0f}')")

# in-JVM figures (engine test classes: PromoteBench)
CP_FILE=$WORK/cp.txt
(cd "$ROOT" && ./mvnw -o -q -B -pl engine test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null)
JVM_OUT=$(java -cp "$ROOT/engine/target/test-classes:$ROOT/engine/target/classes:$(cat "$CP_FILE")" \
  io.jenkins.plugins.gitopsrelease.bench.PromoteBench "$A/bench/app:1.0" "$B/jvm/app" 3)
echo "$JVM_OUT"
JVM_MBPS=$(echo "$JVM_OUT" | awk -F= '/JVM_FULL_MBPS/{print $2}')
JVM_RE=$(echo "$JVM_OUT" | awk -F= '/JVM_REPROMOTE_MS/{print $2}')

echo
echo "== promote 5 layers / 210 MB, registry A -> empty registry B (127.0.0.1), $ROUNDS rounds, medians =="
echo "gitops-release promote-image (whole process): $MO s"
echo "skopeo copy (whole process):                  $MS s"
python3 -c "print(f'ratio ours/skopeo: {$MO/$MS:.2f}x (target <= 1.0x)')"
echo "all blobs present, whole process: ours $OURS_WARM s, skopeo $SKOPEO_WARM s"
echo "all blobs present, inside a running JVM: $JVM_RE ms (target <= 100 ms)"
echo "blob throughput in JVM: $JVM_MBPS MB/s; raw loopback curl|curl copy: $RAW_MBPS MB/s"
python3 -c "print(f'throughput ratio: {$JVM_MBPS/$RAW_MBPS*100:.0f}% of raw (target >= 70%)')"
