#!/usr/bin/env bash
# The one command that runs RAOrchestrator locally: Azurite with its data in .data/azurite (kept across runs),
# then the host (Orleans silo + gRPC API on 127.0.0.1:5080, health on 127.0.0.1:5081).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

mkdir -p .data/azurite
# Development partner tokens are signed with a key made once for this checkout (never committed).
if [ ! -s .data/dev-signing-key ]; then
  head -c 32 /dev/urandom | base64 > .data/dev-signing-key
fi

# Azurite gets its own session so Ctrl+C reaches the server first and storage outlives the silo's clean shutdown.
setsid node_modules/.bin/azurite --silent --disableTelemetry --loose --skipApiVersionCheck \
  --location "$root/.data/azurite" \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
azurite=$!
server=""
stop() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; kill "$azurite" 2>/dev/null || true; }
trap stop EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null && break
  sleep 0.1
done

export Storage__ConnectionString="UseDevelopmentStorage=true"
export Auth__Issuer="${Auth__Issuer:-https://raorchestrator.local/dev}"
export Auth__SigningKey="${Auth__SigningKey:-$(cat .data/dev-signing-key)}"

dotnet build src/RAOrchestrator.Server --configuration Release --nologo -v quiet
dotnet src/RAOrchestrator.Server/bin/Release/net10.0/RAOrchestrator.Server.dll "$@" &
server=$!
wait "$server"
