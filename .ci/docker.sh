#!/usr/bin/env bash
# Make a Docker engine available on this machine (idempotent).
#  - engine already answering  -> nothing to do
#  - dockerd missing           -> apt-get install docker.io (Debian's engine)
#  - dockerd not running       -> start it in the background, host networking only
# Exit code: 0 when `docker info` answers at the end, 1 otherwise.
set -euo pipefail

LOG=/tmp/asyncrpc-dockerd.log
WAIT_SECS=${DOCKER_WAIT_SECS:-60}

report() {
  # The client in /usr/local/bin (28.x, API 1.50) shadows Debian's 20.10 client;
  # it negotiates the API version down to the daemon's, so both work.
  echo "docker.sh: client $(docker version --format '{{.Client.Version}}' 2>/dev/null || echo '?')" \
       "($(command -v docker)), server $(docker version --format '{{.Server.Version}} API {{.Server.APIVersion}}' 2>/dev/null || echo '?')"
}

if docker info >/dev/null 2>&1; then
  echo "docker.sh: engine already running"; report; exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "docker.sh: installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/tmp/asyncrpc-apt-docker.log 2>&1 \
    || { tail -20 /tmp/asyncrpc-apt-docker.log; exit 1; }
fi

# Start dockerd unless a live (non-zombie) one is already starting up.
# No docker0 bridge and no iptables rules: containers use --network host only.
alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $st != Z* ]]; }
if ! ps -C dockerd -o stat= 2>/dev/null | grep -qv '^Z'; then
  # pid files left by a killed daemon (possibly a not-yet-reaped zombie) would
  # make dockerd refuse to start or wait for a dead containerd.
  for f in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
    if [[ -f $f ]] && ! alive "$(cat "$f")"; then rm -f "$f"; fi
  done
  echo "docker.sh: starting dockerd (log: $LOG)"
  setsid nohup dockerd --bridge=none --iptables=false </dev/null >>"$LOG" 2>&1 &
fi

for ((i = 0; i < WAIT_SECS; i++)); do
  if docker info >/dev/null 2>&1; then
    echo "docker.sh: engine up after ${i}s"; report; exit 0
  fi
  sleep 1
done
echo "docker.sh: engine did not answer within ${WAIT_SECS}s; last log lines:" >&2
tail -20 "$LOG" >&2 || true
exit 1
