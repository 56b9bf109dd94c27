#!/usr/bin/env bash
# Benchmark of GitOps generation (issue 3): 1,000 components in 20 projects, 3 environments, run with -Xmx256m.
# Usage: bench/gitops-generate.sh   (from the repository root; builds the engine's test classes offline)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -q -B -pl engine test-compile
./mvnw -o -q -B -pl engine dependency:build-classpath -Dmdep.outputFile="$(pwd)/engine/target/bench-classpath.txt" >/dev/null
java -Xmx256m -Dgitopsrelease.shared="$(pwd)/../shared" \
  -cp "engine/target/test-classes:engine/target/classes:$(cat engine/target/bench-classpath.txt)" \
  io.jenkins.plugins.gitopsrelease.gitops.GitopsBench
