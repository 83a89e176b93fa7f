#!/usr/bin/env bash
# The one command that runs every check: installs the pinned tools (Azurite, buf), lints the contract,
# checks the docs' links and paths, then builds and runs every test project. Tests start their own Azurite on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/azurite ] || [ ! -x node_modules/.bin/buf ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "== buf lint (protos/, STANDARD)"
(cd protos && ../node_modules/.bin/buf lint)

echo "== docs check (links and named paths)"
node scripts/check-docs.mjs

echo "== dotnet test"
dotnet test RAOrchestrator.sln --configuration Release --nologo "$@"
