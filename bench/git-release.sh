#!/usr/bin/env bash
# Release commit benchmark: engine (CommitRelease: shallow fetch, in-memory edit, push) vs a git CLI script
# (clone --depth 1, same edits, commit, push) against a 5,000-file / 2,000-commit repository served over HTTP
# on 127.0.0.1 by the JGit HTTP fixture. Usage: bench/git-release.sh [files] [commits] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -q -B -pl engine test-compile
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
./mvnw -o -q -B -pl engine dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
java -cp "engine/target/test-classes:engine/target/classes:$(cat "$CP_FILE")" \
  io.jenkins.plugins.gitopsrelease.git.GitReleaseBench "${1:-5000}" "${2:-2000}" "${3:-5}"
