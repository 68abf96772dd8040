#!/usr/bin/env bash
# Runs the Outpost image from its tar without a container engine: unpacks its layers in order into a
# root, then, chrooted there with the image's PATH and entrypoint, asks for help, the terraform version
# and a site key, and starts the outpost gateway until its broker (TLS) and /metrics answer.
# Needs root (chroot, mount); without them it says so and runs nothing. Usage: smoke.sh IMAGE_TAR
set -euo pipefail
tar=$1
work=$(mktemp -d)
root="$work/root"
cleanup() {
  [ -n "${gateway:-}" ] && kill "$gateway" 2>/dev/null && wait "$gateway" 2>/dev/null || true
  mountpoint -q "$root/proc" && umount "$root/proc"
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$root" "$work/image"
tar -xf "$tar" -C "$work/image" --warning=no-unknown-keyword
read -r path entrypoint < <(python3 - "$work/image" <<'PY'
import json, sys, os
image = sys.argv[1]
manifest = json.load(open(os.path.join(image, "manifest.json")))[0]
config = json.load(open(os.path.join(image, manifest["Config"])))["config"]
for layer in manifest["Layers"]:
    print(os.path.join(image, layer), file=open(os.path.join(image, "layers.txt"), "a"))
env = dict(e.split("=", 1) for e in config.get("Env", []))
print(env["PATH"], " ".join(config["Entrypoint"]))
PY
)
while read -r layer; do tar -xzf "$layer" -C "$root" --warning=no-unknown-keyword; done < "$work/image/layers.txt"
mkdir -p "$root/proc"
# the Java launcher finds its libraries relative to /proc/self/exe
if [ "$(id -u)" != 0 ] || ! mount -t proc proc "$root/proc" 2>/dev/null; then
  echo "smoke: cannot chroot here (needs root and a /proc mount): the image $tar was built, not run" >&2
  exit 0
fi
chroot=$(command -v chroot)
run() { PATH="$path" "$chroot" "$root" "$@"; }
# shellcheck disable=SC2086 # the entrypoint is words
outpost() { run $entrypoint "$@"; }

outpost --help | head -1
run terraform version 2>/dev/null | head -1
outpost keys show --data /data --name smoke
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
broker=$(free_port) http=$(free_port) mirror=$(free_port)
# exec'd, so that $! is the gateway's JVM itself (chroot execs it too) and the cleanup stops it, not a subshell
# shellcheck disable=SC2086 # the entrypoint is words
(PATH="$path" exec "$chroot" "$root" $entrypoint outpost-gateway --data /data --name smoke --broker-port "$broker" --http-port "$http" \
    --provider-mirror-port "$mirror" --git-listen 127.0.0.1:0 > "$work/gateway.log" 2>&1) &
gateway=$!
for _ in $(seq 1 60); do
  # the provider mirror is the last thing the gateway starts
  if grep -q "^provider mirror: " "$work/gateway.log" \
      && python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$http/metrics', timeout=2)" 2>/dev/null; then
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $broker), timeout=2)"
    echo "smoke: the image's outpost gateway serves /metrics on $http, its TLS broker on $broker and its provider mirror on $mirror"
    cat "$work/gateway.log"
    exit 0
  fi
  kill -0 "$gateway" 2>/dev/null || break
  sleep 1
done
echo "smoke: the image's outpost gateway did not come up:" >&2
cat "$work/gateway.log" >&2
exit 1
