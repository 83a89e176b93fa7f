#!/usr/bin/env bash
# The local ops stack (deploy/compose.yaml) as users start it, here without image registry access: with
# deploy/compose.offline.yaml (Azurite and Debian's Prometheus in the local Debian image, no collector or Grafana), on
# this repository's private Docker engine, with docker-compose 1.29 (Debian's) or Compose v2.
#   scripts/containers/compose-test.sh
# Checks that the three silos and the emulator turn healthy and that a Prometheus query returns each silo, in one
# cluster of three (orleans_consistent_ring_size). The stack publishes its ports (5080-5082, 5180-5182, 5280-5282,
# 5443, 9090, 10000-10002) on 127.0.0.2 here (RAORCH_PUBLISH_ADDRESS), so that scripts/run.sh may run beside it.
# Prints the stack's start times. Takes the stack down and stops the engine when it ends, whatever happens.
set -euo pipefail
# shellcheck source=prelude.sh
. "$(dirname "$0")/prelude.sh"

if command -v docker-compose >/dev/null 2>&1; then compose=(docker-compose); else compose=("$docker" compose); fi
compose+=(-p raorchestrator-test -f deploy/compose.yaml -f deploy/compose.offline.yaml)
stack_up=

cleanup() {
  local status=$?
  if [ -n "$stack_up" ]; then
    [ "$status" -eq 0 ] || "${compose[@]}" logs --tail 20 >&2 2>&1 || true
    "${compose[@]}" down -v > /dev/null 2>&1 || true
  fi
  engine_stop
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

since() { awk -v s="$1" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }'; }

export RAORCH_PUBLISH_ADDRESS="${RAORCH_PUBLISH_ADDRESS:-127.0.0.2}"
RAORCH_NODE=$(readlink -f "$(command -v node)") || fail "Node.js is missing"
export RAORCH_NODE
address=$RAORCH_PUBLISH_ADDRESS
for port in 5080 5081 5082 5180 5181 5182 5280 5281 5282 5443 9090 10000 10001 10002; do
  if (exec 3<>"/dev/tcp/$address/$port") 2>/dev/null; then
    fail "$address:$port is taken (the stack publishes it; see: ss -ltnp 'sport = :$port')"
  fi
done
[ -x /usr/bin/prometheus ] || fail "Debian's prometheus is missing: apt-get install prometheus"
[ -x node_modules/.bin/azurite ] || fail "Azurite is missing: npm ci"

echo "== engine and images"
engine_start
images_build
echo "== $("${compose[@]}" version 2>/dev/null | head -1): up (three silos, emulator, Azurite, Prometheus)"
started=$(date +%s.%N)
stack_up=1
"${compose[@]}" up -d --no-build > /dev/null 2>&1 || { "${compose[@]}" up -d --no-build; fail "compose up"; }

healthy_services() {
  local service id count=0
  for service in silo1 silo2 silo3 emulator; do
    id=$("${compose[@]}" ps -q "$service")
    [ "$("$docker" inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null)" != healthy ] || count=$((count + 1))
  done
  echo "$count"
}
until [ "$(healthy_services)" -eq 4 ]; do
  awk -v t="$(since "$started")" 'BEGIN { exit !(t > 180) }' && fail "the stack not healthy within 180 s"
  sleep 1
done
healthy_after=$(since "$started")
echo "   silo1-3 and the emulator healthy after $healthy_after s"

query='orleans_consistent_ring_size{job="raorchestrator"}'
until answer=$(curl -sf --max-time 2 "http://$address:9090/api/v1/query" --data-urlencode "query=$query") \
  && [ "$(printf '%s' "$answer" | grep -oE '"instance":"silo[123]:5081"[^]]*"3"\]' | wc -l)" -eq 3 ]; do
  awk -v t="$(since "$started")" 'BEGIN { exit !(t > 240) }' && fail "Prometheus does not return each silo in a ring of 3: ${answer:-no answer}"
  sleep 1
done
echo "   Prometheus returns each silo after $(since "$started") s: $query ="
printf '%s' "$answer" | grep -oE '"instance":"silo[123]:5081"[^]]*\]' | sed -E 's/"instance":"([^"]+)".*"([0-9]+)"\]/     \1 \2/'

started=$(date +%s.%N)
"${compose[@]}" down -v > /dev/null 2>&1
stack_up=
echo "== compose stack test passed (healthy after $healthy_after s; down in $(since "$started") s)"
