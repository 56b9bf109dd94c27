#!/usr/bin/env bash
# Makes the class-data archives bin/gitops-release starts with, by training runs of the shaded jar (class
# io.jenkins.plugins.gitopsrelease.cli.Training on examples/: its GitOps repository as a directory and as a file:// bare
# repository, and an in-memory registry on 127.0.0.1). One archive per verb family and JVM, because a start-up pays for
# what its archive holds (the Java 25 AOT cache loads every class in it at start):
#   fs        generate, workload, componentrelease, releasebinding, set-image
#   git       open-pr
#   registry  promote-image, annotate, record, policy
#   all       every other verb (the three trainings in one run)
# Java 17-23: a static AppCDS archive (-XX:DumpLoadedClassList, then -Xshare:dump). Unlike a dynamic archive
# (-XX:ArchiveClassesAtExit) it also holds picocli, whose classes are version 49 ("old") and which a dynamic archive
# skips. Java 24+: an AOT cache (-XX:AOTCacheOutput). Archives are named gitops-release-<JAVA_RUNTIME_VERSION>-<family>
# (the launcher derives the same name), for the build's JVM and every JDK home in GITOPS_RELEASE_CDS_JDKS (default:
# /usr/lib/jvm/temurin-25-jdk-amd64 where it exists).
# Run by the cli module's package phase (skip with -Dcds.skip). Never fails the build: a JVM without its archive
# starts the ordinary way.
# Usage: make-archives.sh JAR OUTDIR BUILD_JAVA_HOME
set -u
JAR=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") OUT=$2 BUILD_HOME=$3 # the archive records the jar's path
TRAINING=io.jenkins.plugins.gitopsrelease.cli.Training
EXAMPLES=$(cd "$(dirname "$0")/../../../../examples" && pwd) # the training runs on the project's own example
mkdir -p "$OUT"
rm -f "$OUT"/*.jsa "$OUT"/*.aot "$OUT"/*.classlist
key() { sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$1/release" 2>/dev/null | tr -c 'A-Za-z0-9._+\n-' '_'; }
feature() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }
homes="$BUILD_HOME ${GITOPS_RELEASE_CDS_JDKS-/usr/lib/jvm/temurin-25-jdk-amd64}"
start=$(date +%s)
# One JVM's four archives (the JVMs are trained side by side).
archives() {
  local home=$1 k f java family base log out made=()
  k=$(key "$home"); f=$(feature "$home")
  [ -n "$k" ] && [ -n "$f" ] || { echo "cds: no release file in $home; no archive for it"; return; }
  java=$home/bin/java
  for family in fs git registry all; do
    base="$OUT/gitops-release-$k-$family"
    log="$OUT/training-$k-$family.log"
    if [ "$f" -ge 24 ]; then
      out=$base.aot
      # The launcher's collector (archived heap objects need it); full tiered compilation, so the cache keeps
      # profiles for C2 (the launcher runs the copying verbs with C2).
      "$java" -XX:+UseSerialGC -XX:AOTCacheOutput="$out" -Xlog:aot=error -Xlog:cds=error \
        -cp "$JAR" "$TRAINING" "$family" "$EXAMPLES" >"$log" 2>&1
    else
      out=$base.jsa
      # The dump runs with the default collector (G1) so the archive also holds the JDK's heap objects; the launcher's
      # serial collector maps them.
      "$java" -XX:DumpLoadedClassList="$base.classlist" -cp "$JAR" "$TRAINING" "$family" "$EXAMPLES" >"$log" 2>&1 \
        && "$java" -Xshare:dump -XX:SharedClassListFile="$base.classlist" -XX:SharedArchiveFile="$out" \
          -Xlog:cds=error -cp "$JAR" >>"$log" 2>&1
      rm -f "$base.classlist"
    fi
    # shellcheck disable=SC2181 # the status of the training (and dump) above
    if [ $? -eq 0 ] && [ -s "$out" ]; then
      made+=("$family $(( $(stat -c %s "$out") / 1048576 )) MB")
    else
      echo "cds: training '$family' on $home failed (see $log); no archive for it"
      rm -f "$out"
    fi
  done
  [ ${#made[@]} -gt 0 ] && echo "cds: Java $f ($k): $(IFS=,; echo "${made[*]}" | sed 's/,/, /g')"
}
for home in $homes; do
  [ -x "$home/bin/java" ] && archives "$home" &
done
wait
echo "cds: archives made in $(( $(date +%s) - start )) s"
exit 0
