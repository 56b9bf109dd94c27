# Shared by the promotion benchmarks (bench/promote.sh, bench/cli-speed.sh): docker-registry instances on free
# 127.0.0.1 ports under $WORK, and the 5-layer / 210 MB test image. Source it after setting WORK and PIDS=(); the
# caller's EXIT trap kills "${PIDS[@]}".

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_registry() { # PORT
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$1/v2/" >/dev/null && break; sleep 0.05; done
}

# start_registry NAME -> sets PORT_<NAME>, PID_<NAME>
start_registry() {
  local name=$1 port dir
  port=$(free_port); dir=$WORK/$name
  mkdir -p "$dir/data"
  cat > "$dir/config.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $dir/data}, delete: {enabled: true}}
health: {storagedriver: {enabled: false}}
http: {addr: 127.0.0.1:$port, secret: bench}
YML
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_registry "$port"
  eval "PORT_$name=$port; PID_$name=$pid"
}

stop_registry() { # NAME
  local pid; eval "pid=\$PID_$1"
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
}

# an empty registry B for every measured copy: same port, wiped storage
fresh_b() {
  stop_registry B
  rm -rf "$WORK/B/data"; mkdir -p "$WORK/B/data"
  docker-registry serve "$WORK/B/config.yml" >"$WORK/B/log" 2>&1 &
  PID_B=$!; PIDS+=("$PID_B")
  wait_registry "$PORT_B"
}

# make_image LAYOUT_DIR: an OCI layout of 5 random 42 MB layers, tagged 1.0
make_image() {
  python3 - "$1" <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]
os.makedirs(f"{root}/blobs/sha256", exist_ok=True)
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    open(f"{root}/blobs/sha256/{d}", "wb").write(data)
    return "sha256:" + d
layers = []
for i in range(5):
    data = os.urandom(42 * 1000 * 1000)
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": blob(data), "size": len(data)})
cfg = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers",
      "diff_ids": [l["digest"] for l in layers]}}).encode()
man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": blob(cfg), "size": len(cfg)},
      "layers": layers}).encode()
md = blob(man)
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": md, "size": len(man), "annotations": {"org.opencontainers.image.ref.name": "1.0"}}]},
      open(f"{root}/index.json", "w"))
open(f"{root}/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
PY
}
