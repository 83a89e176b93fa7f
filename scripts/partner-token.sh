#!/usr/bin/env bash
# Prints a partner token from the local emulator's OpenID issuer (client-credentials, as a partner's software would).
# Usage: scripts/partner-token.sh [contoso|fabrikam]   contoso-msp can read and write; fabrikam-msp can only read.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-contoso}" in
  contoso)  id=c0a7e1d2-5b3f-4e8a-9c61-7d2e4f8a1b01; secret=emulator-contoso-partner-secret ;;
  fabrikam) id=f4b9d3c1-2a6e-4b7d-8e05-3c1a9f6d2e02; secret=emulator-fabrikam-partner-secret ;;
  *) echo "usage: scripts/partner-token.sh [contoso|fabrikam]" >&2; exit 2 ;;
esac
# scripts/run.sh's emulator; EMULATOR_URL and EMULATOR_CERT_PEM for another one (the container test's).
pem="${EMULATOR_CERT_PEM:-.data/emulator/emulator.pem}"
[ -s "$pem" ] || { echo "Start the service first: scripts/run.sh" >&2; exit 2; }
curl -sS --fail --cacert "$pem" "${EMULATOR_URL:-https://127.0.0.1:5443}/raorchestrator-partners/oauth2/v2.0/token" \
  -d grant_type=client_credentials -d "client_id=$id" -d "client_secret=$secret" \
  -d scope=api://raorchestrator/.default \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
