#!/usr/bin/env bash
# Benchmark: reading a build record with 1,000 annotations from a local registry (docker-registry 2.8.2, no referrers
# API: the tag-schema path). In one JVM after warm-up, ReadRecord (one listing + the tag list; entries accepted by
# their canonical digest) against fetching every annotation manifest (1,000 GETs, 8 in parallel), with the ratio;
# then `gitops-release record show` end to end (new JVM) for the same image.
# Usage: ./mvnw -o -q -B -DskipTests package && bench/record.sh [N] [ROUNDS]   (needs docker-registry)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-1000}
ROUNDS=${2:-20}
JAR=cli/target/gitops-release.jar
for t in docker-registry python3 curl; do command -v $t >/dev/null || { echo "$t missing" >&2; exit 2; }; done

W=$(mktemp -d /tmp/bench-record.XXXXXX)
REG_PID=
cleanup() { [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HOST=127.0.0.1:$PORT
cat > "$W/registry.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $W/registry}}
health: {storagedriver: {enabled: false}}
http: {addr: $HOST, secret: bench}
YML
docker-registry serve "$W/registry.yml" >"$W/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 100); do curl -fs "http://$HOST/v2/" >/dev/null 2>&1 && break; sleep 0.05; done

CP_FILE=$W/cp.txt
./mvnw -o -q -B -pl engine test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
OUT=$(java -cp "$ROOT/engine/target/test-classes:$ROOT/engine/target/classes:$(cat "$CP_FILE")" \
  io.jenkins.plugins.gitopsrelease.buildrecord.RecordBench "$HOST" "$N" "$ROUNDS")
echo "$OUT"
if [ -f "$JAR" ]; then
  REPO=$(curl -fs "http://$HOST/v2/_catalog" | python3 -c 'import json,sys; print([r for r in json.load(sys.stdin)["repositories"] if r.startswith("bench/record")][0])')
  S=$(date +%s%N)
  COUNT=$(java -jar "$JAR" record show "$HOST/$REPO:1.0" --insecure-registry "$HOST" --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["annotations"]))')
  E=$(date +%s%N)
  echo "CLI_RECORD_SHOW_MS=$(( (E - S) / 1000000 )) (new JVM, $COUNT annotations)"
fi
