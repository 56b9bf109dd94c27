#!/usr/bin/env bash
# Latency of WatchDeployment from the status update that completes a rollout to the step's return, and API requests
# per watch, against the fabric8 mock server on 127.0.0.1. Usage: bench/watch-latency.sh [RUNS] (default 50).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -q -B -pl engine test-compile
./mvnw -o -q -B -pl engine dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-cp.txt
java -cp "engine/target/test-classes:engine/target/classes:$(cat engine/target/bench-cp.txt)" \
    io.jenkins.plugins.gitopsrelease.deploy.WatchLatencyBench "${1:-50}"
