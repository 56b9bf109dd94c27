#!/usr/bin/env bash
# Makes the class-data archives bin/gitops-release starts with, by a training run of the shaded jar (class
# io.jenkins.plugins.gitopsrelease.cli.Training: generate, open-pr over file://, promote-image against an in-memory
# registry, all in one JVM): a dynamic AppCDS archive (-XX:ArchiveClassesAtExit) on Java 17-23, an AOT cache
# (-XX:AOTCacheOutput) on Java 24 and later. One archive per JVM, named after the JAVA_RUNTIME_VERSION in the JVM's
# `release` file (the launcher derives the same name), for the build's JVM and every JDK home listed in
# GITOPS_RELEASE_CDS_JDKS (default: /usr/lib/jvm/temurin-25-jdk-amd64 where it exists).
# Run by the cli module's package phase (skip with -Dcds.skip). Never fails the build: a JVM without its archive
# starts the ordinary way.
# Usage: make-archives.sh JAR OUTDIR BUILD_JAVA_HOME
set -u
JAR=$1 OUT=$2 BUILD_HOME=$3
mkdir -p "$OUT"
rm -f "$OUT"/*.jsa "$OUT"/*.aot
key() { sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$1/release" 2>/dev/null | tr -c 'A-Za-z0-9._+\n-' '_'; }
feature() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }
homes="$BUILD_HOME ${GITOPS_RELEASE_CDS_JDKS-/usr/lib/jvm/temurin-25-jdk-amd64}"
for home in $homes; do
  [ -x "$home/bin/java" ] || continue
  k=$(key "$home"); f=$(feature "$home")
  [ -n "$k" ] && [ -n "$f" ] || { echo "cds: no release file in $home; no archive for it"; continue; }
  if [ "$f" -ge 24 ]; then
    out="$OUT/gitops-release-$k.aot"
    flags=(-XX:AOTCacheOutput="$out" -Xlog:aot=error -Xlog:cds=error)
  else
    out="$OUT/gitops-release-$k.jsa"
    flags=(-XX:ArchiveClassesAtExit="$out" -Xlog:cds=error -Xlog:cds+dynamic=error)
  fi
  # The launcher's collector (archived heap objects need the same GC); full tiered compilation, so the AOT cache
  # keeps profiles for C2 (the launcher runs the copying verbs with C2).
  if "$home/bin/java" -XX:+UseSerialGC "${flags[@]}" \
      -cp "$JAR" io.jenkins.plugins.gitopsrelease.cli.Training >"$OUT/training-$k.log" 2>&1 && [ -s "$out" ]; then
    echo "cds: $(basename "$out") ($(( $(stat -c %s "$out") / 1048576 )) MB, Java $f)"
  else
    echo "cds: training on $home failed (see $OUT/training-$k.log); no archive for it"
    rm -f "$out"
  fi
done
exit 0
