#!/usr/bin/env bash
# The images as ops teams run them: three server containers form one Orleans cluster and survive a killed container.
# Runs here without any image registry (see docs/operations/containers.md) and by hand:
#   scripts/containers/cluster-test.sh
#
# 1. A private Docker engine (engine.sh), the runtime base (base-image.sh, made once per machine) and the two images
#    from the shipped Dockerfiles (images.sh).
# 2. Azurite on the host (fresh data), the Graph emulator in its container, three silo containers, each on its own
#    loopback ports (--network host), with the Helm chart's security settings: read-only root file system (a tmpfs
#    on /tmp, as the chart's emptyDir), no capabilities, no privilege escalation, the image's non-root user.
# 3. Checks, over gRPC and the silos' own endpoints:
#    - one cluster: every silo's ring holds the three (orleans_consistent_ring_size on /metrics), and the container
#      health check answers healthy only once the silo is ready (never before /health/ready does);
#    - the published end-to-end path (examples/node/scenario.js through a round-robin channel over the three silos:
#      onboard a tenant, which its administrator approves, create a service account, schedule a session, join, admit);
#    - under load (load.js), `docker kill` of a silo: the others declare it dead and serve every call again within
#      the membership timeout, the restarted container rejoins, and nothing acknowledged is lost or repeated;
#    - `docker stop` (SIGTERM) of a silo ends it within the chart's grace period (60 s), exit code 0, its log showing
#      the silo leaving the cluster, and the others drop it from their ring at once.
# Prints the image sizes, build times and the cluster's start time. Exit code 0 when every check passed.
# Stops the engine, its containers and Azurite when it ends, whatever happens.
set -euo pipefail
# shellcheck source=prelude.sh
. "$(dirname "$0")/prelude.sh"

grace=60                      # the chart's terminationGracePeriodSeconds
served_within=20              # the membership timeout the survivors must serve within after a SIGKILL (as deploy/chaos)
run_dir="$engine_dir/run"
azurite_pid=
load_pid=

cleanup() {
  local status=$?
  [ -z "$load_pid" ] || kill -9 "$load_pid" 2>/dev/null || true
  if [ "$status" -ne 0 ] && [ -n "${DOCKER_HOST:-}" ]; then
    for name in silo1 silo2 silo3 emulator; do
      echo "--- last log lines of $name" >&2
      "$docker" logs --tail 30 "$name" 2>&1 | sed 's/^/    /' >&2 || true
    done
  fi
  engine_stop
  [ -z "$azurite_pid" ] || { kill "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true; }
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

step() { echo "== $*"; }

free_ports() { # n: n distinct free loopback ports
  node -e '
    const net = require("node:net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", () => ok(s.address().port)))))
      .then((ports) => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); });' "$1"
}

wait_until() { # seconds description command...: runs command every 0.5 s until it succeeds
  local limit=$1 what=$2 started=$SECONDS
  shift 2
  until "$@"; do
    [ $((SECONDS - started)) -lt "$limit" ] || fail "$what: not within $limit s"
    sleep 0.5
  done
}

ring_size() { # silo: the cluster size that silo sees (its Orleans ring), empty when it does not answer
  curl -sf --max-time 2 "http://127.0.0.1:${mgmt[$1]}/metrics" 2>/dev/null \
    | sed -nE 's/^orleans_consistent_ring_size(\{[^}]*\})? ([0-9]+).*/\2/p' | head -1
}
rings_are() { # size silo...: every named silo sees a ring of that size
  local size=$1 silo
  shift
  for silo in "$@"; do [ "$(ring_size "$silo")" = "$size" ] || return 1; done
}
health() { "$docker" inspect -f '{{.State.Health.Status}}' "silo$1" 2>/dev/null; }
healthy() { [ "$(health "$1")" = healthy ]; }
ready() { curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:${mgmt[$1]}/health/ready"; }

# --- 1. engine, base, images
total_started=$SECONDS
for tool in dockerd mmdebstrap node curl dotnet; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install docker.io mmdebstrap; npm ci; the .NET SDK)"
done
[ -x node_modules/.bin/azurite ] || fail "Azurite is missing: npm ci"
step "engine (private dockerd, data in $engine_dir)"
started=$SECONDS
engine_start
echo "   started in $((SECONDS - started)) s"
step "images"
images_build

# --- 2. Azurite, emulator, three silos
rm -rf "$run_dir"
mkdir -p "$run_dir/azurite" "$run_dir/emulator"
chown 1654:1654 "$run_dir/emulator" # the emulator image's user writes its certificate there
read -r blob queue table emulator_port api1 api2 api3 mgmt1 mgmt2 mgmt3 web1 web2 web3 silo_port1 silo_port2 silo_port3 \
  gateway1 gateway2 gateway3 <<< "$(free_ports 19)"
api=([1]=$api1 [2]=$api2 [3]=$api3)
mgmt=([1]=$mgmt1 [2]=$mgmt2 [3]=$mgmt3)
web=([1]=$web1 [2]=$web2 [3]=$web3)
silo_port=([1]=$silo_port1 [2]=$silo_port2 [3]=$silo_port3)
gateway=([1]=$gateway1 [2]=$gateway2 [3]=$gateway3)

step "Azurite on the host (127.0.0.1:$blob-$table), the emulator container (https://127.0.0.1:$emulator_port)"
node_modules/.bin/azurite --silent --disableTelemetry --loose --skipApiVersionCheck --location "$run_dir/azurite" \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --blobPort "$blob" --queuePort "$queue" \
  --tablePort "$table" > "$run_dir/azurite.log" 2>&1 &
azurite_pid=$!
emulator_url="https://127.0.0.1:$emulator_port"
"$docker" run -d --name emulator --network host --read-only --cap-drop ALL --security-opt no-new-privileges \
  -v "$run_dir/emulator:/var/lib/emulator" \
  --health-cmd "wget -q --no-check-certificate -O /dev/null $emulator_url/raorchestrator-partners/v2.0/.well-known/openid-configuration" \
  raorchestrator-emulator:local --urls "$emulator_url" --pfx /var/lib/emulator/emulator.pfx \
  --cert-pem-out /var/lib/emulator/emulator.pem > /dev/null
export EMULATOR_URL="$emulator_url" EMULATOR_CERT_PEM="$run_dir/emulator/emulator.pem"
wait_until 60 "the emulator's certificate" test -s "$run_dir/emulator/emulator.pem.sha256"
wait_until 60 "the emulator" curl -sf -o /dev/null --cacert "$EMULATOR_CERT_PEM" "$emulator_url/raorchestrator-partners/v2.0/.well-known/openid-configuration"
thumbprint=$(cat "$run_dir/emulator/emulator.pem.sha256")

storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
invitation_key=$(head -c 32 /dev/urandom | base64)
start_silo() { # n: creates and starts silo container n
  local n=$1
  # The chart's securityContext: read-only root, no capabilities, no escalation, the image's non-root user (1654);
  # /tmp a tmpfs as the chart's emptyDir. The health check is the image's, run every 2 s instead of 10 s.
  "$docker" run -d --name "silo$n" --hostname "silo$n" --network host \
    --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges --user 1654:1654 \
    --health-interval 2s --stop-timeout "$grace" \
    -e Storage__ConnectionString="$storage" \
    -e Cluster__ClusterId=containers -e Cluster__ServiceId=raorchestrator-containers -e Cluster__SiloName="silo$n" \
    -e Cluster__AdvertisedAddress=127.0.0.1 -e Cluster__ListenOnAnyHostAddress=false \
    -e Cluster__SiloPort="${silo_port[$n]}" -e Cluster__GatewayPort="${gateway[$n]}" -e Cluster__ShutdownTimeout=00:00:30 \
    -e Api__Url="http://127.0.0.1:${api[$n]}" -e Api__ManagementUrl="http://127.0.0.1:${mgmt[$n]}" \
    -e Web__Url="http://127.0.0.1:${web[$n]}" -e Web__PublicUrl="http://127.0.0.1:${web[1]}" \
    -e Auth__Authority="$emulator_url/raorchestrator-partners/v2.0" -e Auth__AuthorityCertificateThumbprint="$thumbprint" \
    -e Graph__AuthorityHost="$emulator_url/" -e Graph__BaseUrl="$emulator_url/v1.0" -e Graph__PinnedCertificateSha256="$thumbprint" \
    -e Graph__ClientId=6c1f3e2a-8d4b-4f0e-9a7c-2b5d8e1f4a90 -e Graph__ClientSecret=emulator-msp-app-secret \
    -e Demo__Enabled=true -e Sessions__InvitationKey="$invitation_key" -e Telemetry__PrometheusEndpoint=true \
    -e Logging__LogLevel__Polly=Warning -e Logging__LogLevel__Orleans.Runtime.MembershipService=Information \
    raorchestrator-server:local > /dev/null
}

step "three silo containers"
started=$(date +%s.%N)
for n in 1 2 3; do start_silo "$n"; done
# The health check may say healthy only while /health/ready answers: both sampled (health first) until every silo
# is healthy.
declare -A ready_at=() healthy_at=()
until [ "${#healthy_at[@]}" -eq 3 ]; do
  for n in 1 2 3; do
    status=$(health "$n")
    if ready "$n"; then
      [ -n "${ready_at[$n]:-}" ] || ready_at[$n]=$(date +%s.%N)
    elif [ "$status" = healthy ]; then
      fail "silo$n's container health check said healthy while its /health/ready did not answer"
    fi
    [ "$status" != healthy ] || [ -n "${healthy_at[$n]:-}" ] || healthy_at[$n]=$(date +%s.%N)
    [ "$status" != unhealthy ] || fail "silo$n's container is unhealthy"
  done
  awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - s > 120) }' && fail "the silos not healthy within 120 s"
  sleep 0.5
done
wait_until 30 "one cluster of three" rings_are 3 1 2 3
cluster_start=$(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }')
last_ready=$(printf '%s\n' "${ready_at[@]}" | sort -n | tail -1)
echo "   cluster started in $cluster_start s (every silo ready after $(awk -v s="$started" -v r="$last_ready" 'BEGIN { printf "%.1f", r - s }') s); each silo's ring holds 3"
for n in 1 2 3; do
  user=$("$docker" inspect -f '{{.Config.User}} read-only={{.HostConfig.ReadonlyRootfs}} caps-dropped={{.HostConfig.CapDrop}}' "silo$n")
  echo "   silo$n: user $user, api 127.0.0.1:${api[$n]}, health http://127.0.0.1:${mgmt[$n]}"
done

# --- 3. the end-to-end path, through a round-robin channel over the three silos
address="ipv4:127.0.0.1:${api[1]},127.0.0.1:${api[2]},127.0.0.1:${api[3]}"
token=$(scripts/partner-token.sh contoso)
tenant=3f6c4b8e-1a2b-4c5d-8e9f-0a1b2c3d4e5f # the demo tenant Company ABC; its administrator approves
step "end to end over gRPC: onboard, approve, service account, session, join, admit ($address)"
node examples/node/scenario.js --address "$address" --plaintext --token "$token" --tenant "$tenant" > "$run_dir/scenario.log" 2>&1 &
scenario_pid=$!
wait_until 60 "the approval link" grep -q 'approval needed: send http' "$run_dir/scenario.log"
approval=$(sed -nE 's/.*approval needed: send (http[^ ]+) to.*/\1/p' "$run_dir/scenario.log" | head -1)
scripts/approve-tenant.sh "$approval" admin@companyabc.com approve | sed 's/^/   approval: /'
wait "$scenario_pid" || { cat "$run_dir/scenario.log"; fail "the end-to-end scenario"; }
grep -q '"scenario":"complete"' "$run_dir/scenario.log" || { cat "$run_dir/scenario.log"; fail "the end-to-end scenario"; }
sed 's/^/   /' "$run_dir/scenario.log" | grep -E '^   [0-9]\.|is STATE|waits in the lobby|scenario' || true
organizer=$(sed -nE 's/.*\(directory user ([0-9a-f-]+)\).*/\1/p' "$run_dir/scenario.log" | head -1)

# --- 4. docker kill of a silo under load, then its container started again
step "docker kill silo2 under load"
node scripts/containers/load.js --address "$address" --token "$token" --tenant "$tenant" --organizer "$organizer" \
  > "$run_dir/load.log" 2>&1 &
load_pid=$!
sleep 5
acknowledged() { sed -nE 's/^acknowledged ([0-9]+)$/\1/p' "$run_dir/load.log" | tail -1; }
before=$(acknowledged)
[ "${before:-0}" -gt 0 ] || { cat "$run_dir/load.log"; fail "the load acknowledged nothing"; }
"$docker" kill silo2 > /dev/null
kill -USR1 "$load_pid"
killed=$SECONDS
wait_until "$served_within" "silo2 declared dead by the others" rings_are 2 1 3
echo "   silo2 dropped from the survivors' rings after $((SECONDS - killed)) s (load had $before writes acknowledged)"
sleep 4
during=$(acknowledged)
[ "${during:-0}" -gt "$before" ] || fail "the two survivors acknowledged nothing while silo2 was down"
echo "   the two survivors acknowledged $((during - before)) writes since the kill"
step "docker start silo2 (the same container) rejoins"
started=$SECONDS
"$docker" start silo2 > /dev/null
wait_until 90 "silo2 rejoined" rings_are 3 1 2 3
wait_until 60 "silo2 healthy again" healthy 2
echo "   rejoined in $((SECONDS - started)) s; every ring holds 3, silo2's container healthy"
sleep 3
kill -TERM "$load_pid"
load_status=0
wait "$load_pid" || load_status=$?
load_pid=
report=$(tail -1 "$run_dir/load.log")
echo "   load: $report"
[ "$load_status" -eq 0 ] || fail "acknowledged work lost, repeated or refused (above)"
longest=$(printf '%s' "$report" | sed -nE 's/.*"longestWaitAfterFaultSeconds":([0-9.]+).*/\1/p')
awk -v l="${longest:-999}" -v m="$served_within" 'BEGIN { exit !(l <= m) }' \
  || fail "a call waited ${longest:-?} s after the kill (more than $served_within s)"

# --- 5. docker stop: a graceful leave within the chart's grace period
step "docker stop silo3 (SIGTERM, grace $grace s)"
started=$(date +%s.%N)
"$docker" stop -t "$grace" silo3 > /dev/null
stopped_in=$(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }')
exit_code=$("$docker" inspect -f '{{.State.ExitCode}}' silo3)
echo "   stopped in $stopped_in s, exit code $exit_code"
[ "$exit_code" -eq 0 ] || fail "silo3 exited $exit_code (137: killed at the end of the grace period)"
awk -v s="$stopped_in" -v g="$grace" 'BEGIN { exit !(s < g) }' || fail "silo3 took the whole grace period"
"$docker" logs silo3 > "$run_dir/silo3.log" 2>&1
grep -A1 -E 'Application is shutting down|Stopping Orleans Silo|Orleans Silo stopped' "$run_dir/silo3.log" \
  | grep -v -E '^(info|--)' | sed 's/^ */   silo3: /' || true
grep -q 'Orleans Silo stopped' "$run_dir/silo3.log" || fail "silo3's log does not show the silo stopping"
wait_until 5 "silo3 gone from the others' rings at once" rings_are 2 1 2
# It announced its leaving itself (ShuttingDown, then Dead); the killed silo2 could not (its death was voted).
"$docker" logs silo1 > "$run_dir/silo1.log" 2>&1
grep -q 'SiloName=silo3 Status=ShuttingDown' "$run_dir/silo1.log" || fail "silo1 never saw silo3 shutting down"
! grep -q 'SiloName=silo2 Status=ShuttingDown' "$run_dir/silo1.log" || fail "silo1 saw the killed silo2 shutting down"
echo "   silo1 saw silo3 ShuttingDown, then Dead (the killed silo2 went from Active to Dead)"

echo "== container cluster test passed in $((SECONDS - total_started)) s (cluster start $cluster_start s)"
