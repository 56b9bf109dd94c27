#!/usr/bin/env bash
# Benchmark of webhook matching (issue 13): 10,000 auto-build components x a push of 1,000 paths (target <= 20 ms),
# indexed vs the direct all-x-all rule, plus the full delivery and the index build. Run with -Xmx256m.
# Usage: bench/webhook-match.sh   (from the repository root; builds the engine's test classes offline)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -q -B -pl engine test-compile
./mvnw -o -q -B -pl engine dependency:build-classpath -Dmdep.outputFile="$(pwd)/engine/target/bench-classpath.txt" >/dev/null
java -Xmx256m -Dgitopsrelease.shared="$(pwd)/../shared" \
  -cp "engine/target/test-classes:engine/target/classes:$(cat engine/target/bench-classpath.txt)" \
  io.jenkins.plugins.gitopsrelease.webhook.WebhookBench
