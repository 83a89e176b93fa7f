# A private Docker engine for the container scripts (sourced, not run): Debian's docker.io dockerd with its own data
# root, exec root and socket under .data/containers/, no bridge and no iptables rules (every container runs with
# --network host, so all traffic stays on loopback). The host's own Docker, if any, is never touched.
#   engine_start      starts it (or finds the one a killed run left, and stops it first) and exports DOCKER_HOST
#   engine_stop       stops it and every container it runs, and unmounts what it left mounted
# The images it builds stay in its data root, so the base image is made once per machine.

engine_dir="$root/.data/containers"
# docker.io's client: it speaks BuildKit itself (a newer client would need the buildx plugin).
docker=/usr/bin/docker

engine_start() {
  mkdir -p "$engine_dir"
  engine_stop # a run that was killed may have left its daemon
  export DOCKER_HOST="unix://$engine_dir/docker.sock" DOCKER_BUILDKIT=1
  setsid dockerd --data-root "$engine_dir/docker" --exec-root "$engine_dir/exec" --host "$DOCKER_HOST" \
    --pidfile "$engine_dir/dockerd.pid" --bridge=none --iptables=false --ip6tables=false \
    > "$engine_dir/dockerd.log" 2>&1 &
  for _ in $(seq 1 150); do "$docker" info >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "dockerd did not start; its log: $engine_dir/dockerd.log" >&2
  tail -20 "$engine_dir/dockerd.log" >&2
  return 1
}

engine_stop() {
  local pid
  [ -s "$engine_dir/dockerd.pid" ] || { engine_unmount; return 0; }
  pid=$(cat "$engine_dir/dockerd.pid")
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$engine_dir"; then
    local ids
    ids=$(DOCKER_HOST="unix://$engine_dir/docker.sock" "$docker" ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -z "$ids" ] || DOCKER_HOST="unix://$engine_dir/docker.sock" "$docker" rm -f $ids >/dev/null 2>&1 || true
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$engine_dir/dockerd.pid"
  engine_unmount
}

# dockerd leaves its network namespace mounted under the exec root when it stops (and overlay mounts after a hard
# kill): unmounted here, deepest first, so nothing of the engine outlives the scripts and the folder can be deleted.
engine_unmount() {
  local mount
  awk -v dir="$engine_dir/" 'index($2, dir) == 1 { print $2 }' /proc/mounts | sort -r | while read -r mount; do
    umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || true
  done
}
