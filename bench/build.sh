#!/usr/bin/env bash
# Benchmark of build-image's jib builder against buildah, in one run on this machine.
#  1. 200 MB of random data in 5 layers (4 x 50 MB data dirs + 1 small app dir) onto scratch:
#     jib cold (fresh layer cache, new JVM via the CLI jar) vs `buildah bud` + `buildah push` of the equivalent
#     Dockerfile (FROM scratch + 5 COPY), with buildah's vfs driver (what build-image uses) and overlay.
#  2. Rebuild after changing one small file in the app dir: only that layer is pushed (counted in the registry's
#     blob store); wall time of the whole CLI run. Extra figure: the small change inside a 50 MB layer.
# Usage: ./mvnw -o -q -B -DskipTests package && bench/build.sh   (needs docker-registry, buildah, skopeo)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=cli/target/gitops-release.jar
[ -f "$JAR" ] || { echo "build the jar first: ./mvnw -o -q -B -DskipTests package" >&2; exit 2; }
for t in docker-registry buildah skopeo python3; do command -v $t >/dev/null || { echo "$t missing" >&2; exit 2; }; done

W=$(mktemp -d /tmp/bench-build.XXXXXX)
REG_PID=
cleanup() { [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HOST=127.0.0.1:$PORT
cat > "$W/registry.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $W/registry}, delete: {enabled: true}}
health: {storagedriver: {enabled: false}}
http: {addr: $HOST, secret: bench}
YML
docker-registry serve "$W/registry.yml" >"$W/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 100); do curl -fs "http://$HOST/v2/" >/dev/null 2>&1 && break; sleep 0.05; done

CTX=$W/ctx
mkdir -p "$CTX/app"
for i in 1 2 3 4; do
  mkdir -p "$CTX/d$i"
  for j in 1 2 3 4 5; do head -c 10M /dev/urandom > "$CTX/d$i/f$j.bin"; done
done
echo 'console.log("v1")' > "$CTX/app/main.js"
echo 'small' > "$CTX/d4/small.txt"
{ echo "FROM scratch"; for d in d1 d2 d3 d4 app; do echo "COPY $d /$d"; done; } > "$W/Dockerfile"
du -sh "$CTX" | awk '{print "context: " $1 " in 5 directories"}'

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2-$1:.2f}')"; }
blobs() { find "$W/registry/docker/registry/v2/blobs" -name data 2>/dev/null | wc -l; }

jib() { # $1 tag, $2 cache dir
  java -jar "$JAR" build-image --context "$CTX" --image "$HOST/bench/jib:$1" --builder jib \
    --layer d1:/d1 --layer d2:/d2 --layer d3:/d3 --layer d4:/d4 --layer app:/app \
    --insecure-registry "$HOST" --cache-dir "$2" --build-result "$W/build_result.json" --json >"$W/jib.json" 2>"$W/jib.err" \
    || { cat "$W/jib.err" >&2; exit 1; }
}
# The build's own duration (BuildImageResult.duration: what a warm JVM such as a Jenkins agent pays).
inproc() { python3 -c "import json,sys; print(f\"{json.load(open('$W/jib.json'))['durationMillis']/1000:.2f}\")"; }

buildah_run() { # $1 driver
  local root=$W/buildah-$1
  local t0 t1 t2
  t0=$(now)
  buildah --root "$root/root" --runroot "$root/run" --storage-driver "$1" bud --isolation chroot -q \
    -f "$W/Dockerfile" -t "bench-$1" "$CTX" >/dev/null
  t1=$(now)
  buildah --root "$root/root" --runroot "$root/run" --storage-driver "$1" push -q --tls-verify=false \
    "bench-$1" "docker://$HOST/bench/buildah-$1:1" >/dev/null
  t2=$(now)
  echo "$(secs $t0 $t1) $(secs $t1 $t2) $(secs $t0 $t2)"
  rm -rf "$root" 2>/dev/null || buildah unshare rm -rf "$root"
}

sync
t0=$(now); jib cold "$W/cache"; t1=$(now)
JIB_COLD=$(secs $t0 $t1); JIB_COLD_IN=$(inproc)
read -r BV_BUD BV_PUSH BV_TOTAL < <(buildah_run vfs)
read -r BO_BUD BO_PUSH BO_TOTAL < <(buildah_run overlay 2>/dev/null || echo "n/a n/a n/a")

echo "app v2" > "$CTX/app/main.js"
B0=$(blobs); t0=$(now); jib warm-app "$W/cache"; t1=$(now); B1=$(blobs)
JIB_APP=$(secs $t0 $t1); JIB_APP_IN=$(inproc)
echo "changed" > "$CTX/d4/small.txt"
B2=$(blobs); t0=$(now); jib warm-d4 "$W/cache"; t1=$(now); B3=$(blobs)
JIB_D4=$(secs $t0 $t1); JIB_D4_IN=$(inproc)
t0=$(now); jib same "$W/cache"; t1=$(now)
JIB_SAME=$(secs $t0 $t1); JIB_SAME_IN=$(inproc)

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-58s %8s %10s\n' "measurement" "seconds" "in-process"
printf '%-58s %8s %10s\n' "jib cold (CLI, fresh cache, 5 layers / 200 MB)" "$JIB_COLD" "$JIB_COLD_IN"
printf '%-58s %8s\n' "buildah vfs: bud + push ($BV_BUD + $BV_PUSH)" "$BV_TOTAL"
printf '%-58s %8s\n' "buildah overlay: bud + push ($BO_BUD + $BO_PUSH)" "$BO_TOTAL"
python3 - "$JIB_COLD" "$BV_TOTAL" "$BO_TOTAL" <<'PY'
import sys
j, v, o = sys.argv[1], sys.argv[2], sys.argv[3]
print(f"ratio jib cold / buildah vfs     = {float(j)/float(v):.2f}x (target <= 1.0x)")
if o != "n/a":
    print(f"ratio jib cold / buildah overlay = {float(j)/float(o):.2f}x")
PY
printf '%-58s %8s %10s\n' "jib rebuild, one small file changed in app layer" "$JIB_APP" "$JIB_APP_IN"
echo "  new blobs in the registry: $((B1 - B0)) (the app layer + config + manifest = 3 means only that layer was pushed)"
printf '%-58s %8s %10s\n' "jib rebuild, one small file changed inside a 50 MB layer" "$JIB_D4" "$JIB_D4_IN"
echo "  new blobs in the registry: $((B3 - B2))"
printf '%-58s %8s %10s\n' "jib rebuild, nothing changed" "$JIB_SAME" "$JIB_SAME_IN"
