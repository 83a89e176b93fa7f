#!/usr/bin/env bash
# The chaos run of issue 7 on this machine, loopback only: Azurite (on disk), the Graph emulator and a three-silo
# cluster; bulk onboarding of 300 tenants with reads, writes and service accounts; four SIGKILL rounds 30 s apart
# (each silo restarted) and a 30 s storage outage; then every acknowledged operation is checked.
# Bounded: about 4-6 minutes; killed after 15. Options pass through: tenants=300 rounds=4 interval=30 outage=30
# latency=150 parallelism=6. Exit code 0 when nothing acknowledged was lost and every check passed.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

build_log=$(mktemp)
for project in src/RAOrchestrator.Server deploy/chaos/RAOrchestrator.Chaos; do
  dotnet build "$project" -c Release --nologo -v quiet >"$build_log" 2>&1 || { cat "$build_log"; exit 1; }
done
rm -f "$build_log"
exec timeout --kill-after=30s 15m dotnet deploy/chaos/RAOrchestrator.Chaos/bin/Release/net10.0/RAOrchestrator.Chaos.dll "$@"
