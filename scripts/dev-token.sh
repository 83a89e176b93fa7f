#!/usr/bin/env bash
# Prints a development partner token for the service started by scripts/run.sh.
# Usage: scripts/dev-token.sh PARTNER_ID [read|write]   (default: write)
set -euo pipefail
cd "$(dirname "$0")/.."
partner=${1:?usage: scripts/dev-token.sh PARTNER_ID [read|write]}
role=${2:-write}
[ -s .data/dev-signing-key ] || { echo "No .data/dev-signing-key yet: start the service once with scripts/run.sh" >&2; exit 2; }
export Auth__Issuer="${Auth__Issuer:-https://raorchestrator.local/dev}"
export Auth__SigningKey="${Auth__SigningKey:-$(cat .data/dev-signing-key)}"
dotnet run --project src/RAOrchestrator.Server --configuration Release --no-launch-profile -- dev-token "$partner" "$role"
