#!/usr/bin/env bash
# Whole-process CLI speed (issue 17): each run is a fresh JVM, as in any CI that is not Jenkins. Both sides of every
# ratio run in this script, alternating order, on this machine at the same time; the load average is printed with
# each section (the machine is shared).
#   git       open-pr (fetch, generate, commit, push) on a 5,027-file / 2,000-commit GitOps repository vs a git CLI
#             script (clone --depth 1, the same 3 file edits, commit, push), over file:// and over git:// served by
#             Debian's `git daemon` on 127.0.0.1 (started and stopped here): with uploadpack.allowFilter, as GitHub
#             and GitLab serve (open-pr then fetches trees only and the files it reads on demand), and without it
#             (a copy of the same repository)
#   generate  `generate` of one component in that repository's 1,000-component checkout (writes its 3 files)
#   promote   promote-image 5 layers / 210 MB between two docker-registry on 127.0.0.1 vs skopeo copy, and the
#             no-op promotion (everything already there)
# Runners: java -jar on Java 17, bin/gitops-release on Java 17 (AppCDS) and on Temurin 25 (AOT cache) where present.
# Usage: [CLI_SPEED_TMPDIR=DIR] bench/cli-speed.sh [all|git|generate|promote, comma-separated] [ROUNDS=5]   (needs the jar: ./mvnw -q -B -DskipTests package)
set -euo pipefail
WHAT=${1:-all}
ROUNDS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/cli/target/gitops-release.jar
LAUNCHER=$ROOT/bin/gitops-release
J17=${J17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64}
# Work directories on tmpfs where there is one: this VM's disk made the git CLI's checkout of 5,000 files take 1.3-9 s
# (growing from run to run, mostly system time), which flattered every ratio against it (docs/benchmarks.md).
# CLI_SPEED_TMPDIR=/tmp measures on the disk instead.
TMPBASE=${CLI_SPEED_TMPDIR:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo /tmp )}
WORK=$(mktemp -d "$TMPBASE/cli-speed.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -f "$JAR" ] || { echo "no $JAR: run ./mvnw -q -B -DskipTests package first"; exit 2; }

RUNNERS=("jar17" "launcher17")
[ -x "$J25/bin/java" ] && RUNNERS+=("launcher25")
run_tool() { # RUNNER ARGS...
  local r=$1; shift
  case $r in
    jar17) "$J17/bin/java" -jar "$JAR" "$@" ;;
    launcher17) JAVA_HOME=$J17 "$LAUNCHER" "$@" ;;
    launcher25) JAVA_HOME=$J25 "$LAUNCHER" "$@" ;;
  esac
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s%N; }
secs() { python3 -c "print(f'{($2-$1)/1e9:.3f}')"; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
# shellcheck source=bench/lib/registries.sh
. "$ROOT/bench/lib/registries.sh"
declare -A T

# ---- the GitOps repository ----------------------------------------------------------------------------------------
make_repo() {
  local sample=$ROOT/../shared/fixtures/openchoreo-sample-gitops/namespaces/default/platform
  [ -d "$sample" ] || sample=$ROOT/examples/gitops-repo/namespaces/default/platform
  python3 "$ROOT/bench/gitops-repo.py" "$WORK/content" "$sample"
  "$J17/bin/java" -jar "$JAR" componentrelease generate --all --root-dir "$WORK/content" >/dev/null
  for env in development staging; do
    "$J17/bin/java" -jar "$JAR" releasebinding generate --all --use-pipeline standard --target-env "$env" \
      --root-dir "$WORK/content" >/dev/null
  done
  git init -q --bare -b main "$WORK/remote.git"
  python3 "$ROOT/bench/gitops-repo.py" --fast-import "$WORK/content" 2000 | git -C "$WORK/remote.git" fast-import --quiet
  git -C "$WORK/remote.git" gc -q
  git -C "$WORK/remote.git" config receive.denyDeletes false
  echo "repository: $(git -C "$WORK/remote.git" ls-tree -r main | wc -l) files, $(git -C "$WORK/remote.git" rev-list --count main) commits"
}

git_cli() { # URL N
  local d=$WORK/cli-$2 c=namespaces/default/projects/proj-3/components/svc-3-7
  git clone -q --depth 1 --branch main "$1" "$d"
  (cd "$d"
   sed -i "s|image: .*|image: reg.example/svc-3-7:cli$2|" $c/workload.yaml
   sed "s|svc-3-7-[0-9]*-1|svc-3-7-cli$2|" $c/releases/svc-3-7-*-1.yaml > $c/releases/svc-3-7-cli$2.yaml
   sed -i "s|releaseName: .*|releaseName: svc-3-7-cli$2|" $c/release-bindings/svc-3-7-development.yaml
   git add -A && git -c user.name=bench -c user.email=bench@localhost commit -qm "release svc-3-7-cli$2"
   git push -q origin "HEAD:refs/heads/release/svc-3-7-cli$2")
  rm -rf "$d"
}

bench_git() {
  make_repo
  local port; port=$(free_port)
  git daemon --base-path="$WORK" --export-all --enable=receive-pack --reuseaddr --listen=127.0.0.1 --port="$port" \
    "$WORK" >"$WORK/daemon.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do git ls-remote "git://127.0.0.1:$port/remote.git" >/dev/null 2>&1 && break; sleep 0.05; done
  local n=0
  cp -a "$WORK/remote.git" "$WORK/nofilter.git"
  git -C "$WORK/remote.git" config uploadpack.allowFilter true
  for url in "file://$WORK/remote.git" "git://127.0.0.1:$port/remote.git" "git://127.0.0.1:$port/nofilter.git"; do
    local proto=${url%%:*}
    case $url in *nofilter*) proto=git-nofilter ;; esac
    echo "== open-pr over $proto, load $(load)"
    for i in $(seq "$ROUNDS"); do
      local order=("cli" "${RUNNERS[@]}")
      [ $((i % 2)) -eq 0 ] && order=("${RUNNERS[@]}" "cli")
      for side in "${order[@]}"; do
        n=$((n + 1)); local t0 t1
        if [ "$side" = cli ]; then
          t0=$(now); git_cli "$url" "$n"; t1=$(now)
        else
          t0=$(now)
          run_tool "$side" open-pr --repo "$url" --project proj-3 --component svc-3-7 \
            --image "reg.example/svc-3-7:r$n" --release-name "svc-3-7-r$n" >/dev/null 2>"$WORK/err" \
            || { cat "$WORK/err"; exit 1; }
          t1=$(now)
        fi
        T[$proto-$side]="${T[$proto-$side]:-} $(secs "$t0" "$t1")"
      done
    done
    local cli; cli=$(median ${T[$proto-cli]})
    echo "git CLI script: median $cli s (${T[$proto-cli]} )"
    for r in "${RUNNERS[@]}"; do
      local m; m=$(median ${T[$proto-$r]})
      echo "open-pr $r: median $m s (${T[$proto-$r]} ) -> ratio $(ratio "$m" "$cli")x (target <= 0.5x)"
    done
    echo "load after: $(load)"
  done
}

bench_generate() {
  [ -d "$WORK/remote.git" ] || make_repo
  git clone -q "$WORK/remote.git" "$WORK/checkout"
  echo "== generate one component in 1,000 (5,027-file checkout), load $(load)"
  local n=0
  for i in $(seq "$ROUNDS"); do
    for r in "${RUNNERS[@]}"; do
      n=$((n + 1))
      local t0 t1
      t0=$(now)
      run_tool "$r" generate --root-dir "$WORK/checkout" -p proj-3 -c svc-3-7 --image "reg.example/svc-3-7:g$n" >/dev/null
      t1=$(now)
      T[gen-$r]="${T[gen-$r]:-} $(secs "$t0" "$t1")"
    done
  done
  for r in "${RUNNERS[@]}"; do
    echo "generate $r: median $(median ${T[gen-$r]}) s (${T[gen-$r]} ) (target <= 0.6 s)"
  done
  echo "load after: $(load)"
}

# ---- promote ------------------------------------------------------------------------------------------------------
bench_promote() {
  start_registry A; start_registry B
  local A=127.0.0.1:$PORT_A B=127.0.0.1:$PORT_B
  make_image "$WORK/layout"
  skopeo copy -q --dest-tls-verify=false "oci:$WORK/layout:1.0" "docker://$A/bench/app:1.0"
  local src; src=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$A/bench/app:1.0")
  echo "== promote 5 layers / 210 MB A -> empty B, load $(load)"
  for i in $(seq "$ROUNDS"); do
    local order=("skopeo" "${RUNNERS[@]}")
    [ $((i % 2)) -eq 0 ] && order=("${RUNNERS[@]}" "skopeo")
    for side in "${order[@]}"; do
      fresh_b
      local t0 t1
      t0=$(now)
      if [ "$side" = skopeo ]; then
        skopeo copy -q --src-tls-verify=false --dest-tls-verify=false "docker://$A/bench/app:1.0" "docker://$B/bench/app:1.0"
      else
        run_tool "$side" promote-image --from "$A/bench/app:1.0" --to "$B/bench/app:1.0" --src-insecure --dest-insecure >/dev/null 2>&1
      fi
      t1=$(now)
      local d; d=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$B/bench/app:1.0")
      [ "$d" = "$src" ] || { echo "digest mismatch after $side: $d"; exit 1; }
      T[copy-$side]="${T[copy-$side]:-} $(secs "$t0" "$t1")"
      if [ "$side" != skopeo ]; then # the same promotion again: everything is there (no-op)
        t0=$(now)
        run_tool "$side" promote-image --from "$A/bench/app:1.0" --to "$B/bench/app:1.0" --src-insecure --dest-insecure >/dev/null 2>&1
        t1=$(now)
        T[noop-$side]="${T[noop-$side]:-} $(secs "$t0" "$t1")"
      fi
    done
  done
  local sk; sk=$(median ${T[copy-skopeo]})
  echo "skopeo copy: median $sk s (${T[copy-skopeo]} )"
  for r in "${RUNNERS[@]}"; do
    local m; m=$(median ${T[copy-$r]})
    echo "promote-image $r: median $m s (${T[copy-$r]} ) -> ratio $(ratio "$m" "$sk")x (target <= 1.3x)"
    echo "no-op promotion $r: median $(median ${T[noop-$r]}) s (${T[noop-$r]} ) (target <= 0.35 s)"
  done
  echo "load after: $(load)"
}

echo "machine: $(nproc) cores, load $(load); work directories: $TMPBASE ($(stat -f -c %T "$TMPBASE")); Java 17: $J17; Java 25: $([ -x "$J25/bin/java" ] && echo "$J25" || echo absent)"
echo "archives: $(ls "$ROOT/cli/target/cds" 2>/dev/null | grep -E '\.(jsa|aot)$' | tr '\n' ' ')"
[ "$WHAT" = all ] && WHAT=git,generate,promote
for w in ${WHAT//,/ }; do
  case $w in
    git) bench_git ;;
    generate) bench_generate ;;
    promote) bench_promote ;;
    *) echo "usage: $0 [all|git|generate|promote, comma-separated] [ROUNDS]"; exit 2 ;;
  esac
done
