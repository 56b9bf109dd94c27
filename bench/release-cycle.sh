#!/usr/bin/env bash
# Per-stage times of the whole release cycle (build, push, generate, push branch, PR, merge, watch, promote,
# promotion PR) through `gitops-release release`, against the acceptance test's local parts: docker-registry (dev:
# basic auth; staging: TLS + auth), the JGit HTTP server, WireMock GitHub, the fabric8 mock cluster.
# Usage: bench/release-cycle.sh [RUNS] (default 5). Needs docker-registry, skopeo, buildah, htpasswd, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -q -B -pl engine,cli -am test-compile
./mvnw -o -q -B -pl engine,cli -am dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-cp.txt
cd cli
java -cp "target/test-classes:target/classes:../engine/target/test-classes:../engine/target/classes:$(cat target/bench-cp.txt)" \
    io.jenkins.plugins.gitopsrelease.cli.ReleaseCycleBench "${1:-5}"
