#!/usr/bin/env bash
# Benchmark of bulk promotion (issue 14): 200 components of a project to staging in one run, api-server mode against
# the local OpenChoreo stub (every request validated against openchoreo-api.yaml) with 8 and with 1 request in flight,
# and GitOps mode into a local bare repository (one commit, one branch).
# Usage: bench/bulk-promotion.sh [N]   (from the repository root; builds the engine's test classes offline)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -q -B -pl engine test-compile
./mvnw -o -q -B -pl engine dependency:build-classpath -Dmdep.outputFile="$(pwd)/engine/target/bench-classpath.txt" >/dev/null
for v in true false; do
echo "stub validation: $v"
java -Dopenchoreo.stub.validate=$v -Dgitopsrelease.shared="$(pwd)/../shared" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "engine/target/test-classes:engine/target/classes:$(cat engine/target/bench-classpath.txt)" \
  io.jenkins.plugins.gitopsrelease.release.BulkPromotionBench "${1:-200}"
done
