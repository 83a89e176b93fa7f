#!/usr/bin/env bash
# Approves (or declines) a partner's claim on a demo tenant from a script, as its administrator would in a browser:
# opens the approval link, chooses, signs in at the local emulator, and comes back. For the local demo only.
# Usage: scripts/approve-tenant.sh APPROVAL_URI [ADMIN_UPN] [approve|decline]
#   APPROVAL_URI  the tenant's approval_uri from CreateTenant (or its operation)
#   ADMIN_UPN     a Global Administrator of that tenant; default admin@companyabc.com (Company ABC's)
set -euo pipefail
cd "$(dirname "$0")/.."
uri="${1:?usage: scripts/approve-tenant.sh APPROVAL_URI [ADMIN_UPN] [approve|decline]}"
admin="${2:-admin@companyabc.com}"
decision="${3:-approve}"
password="${EMULATOR_SIGN_IN_PASSWORD:-demo-password}"
# The emulator's certificate (scripts/run.sh's; EMULATOR_CERT_PEM for another emulator's, as the container test's).
pem="${EMULATOR_CERT_PEM:-.data/emulator/emulator.pem}"
[ -s "$pem" ] || { echo "Start the service first: scripts/run.sh" >&2; exit 2; }

jar=$(mktemp); trap 'rm -f "$jar"' EXIT
curl_() { curl -sS --fail-with-body --cacert "$pem" -b "$jar" -c "$jar" "$@"; }
hidden() { sed -nE "s/.*name=\"$1\" value=\"([^\"]*)\".*/\1/p" | head -1; }

csrf=$(curl_ "$uri" | hidden csrf)
[ -n "$csrf" ] || { echo "The approval page offers no choice (already decided or expired?): $uri" >&2; exit 1; }
authorize=$(curl_ -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf=$csrf" -d "decision=$decision" "$uri")
page=$(curl_ "$authorize")
request=$(printf '%s' "$page" | hidden request)
login="${authorize%%/oauth2/*}/login"
callback=$(curl_ -o /dev/null -w '%{redirect_url}' --data-urlencode "request=$request" --data-urlencode "username=$admin" \
  --data-urlencode "password=$password" -d consent=true -d action=accept "$login")
[ -n "$callback" ] || { echo "Signing in as $admin failed." >&2; exit 1; }
curl_ "$callback" | sed -nE 's/.*<p class="outcome"[^>]*>(.*)<\/p>.*/\1/p' | sed -E 's/<[^>]+>//g'
