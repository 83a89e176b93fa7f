#!/usr/bin/env bash
# The one command that runs RAOrchestrator locally:
#   Azurite            storage, data in .data/azurite (kept across runs)
#   Graph emulator     Entra ID + Microsoft Graph with the demo tenants, https://127.0.0.1:5443 (certificate kept in .data/emulator)
#   RAOrchestrator     Orleans silo + gRPC API on 127.0.0.1:5080, health on http://127.0.0.1:5081,
#                      pages for people (tenant approval, lobby console) on http://127.0.0.1:5082
# Partner tokens come from the emulator's OpenID issuer: scripts/partner-token.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
emulator_url=https://127.0.0.1:5443

if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
dotnet build src/RAOrchestrator.Server --configuration Release --nologo -v quiet
dotnet build src/RAOrchestrator.GraphEmulator --configuration Release --nologo -v quiet
dotnet build src/RAOrchestrator.Cli --configuration Release --nologo -v quiet

mkdir -p .data/azurite .data/emulator .data/run
# What this script starts is recorded in .data/run/<name>.pid, so a run that was killed (and could not clean up) is
# found and stopped by the next one instead of leaving it to fail on ports still taken.
running() { # name marker: the pid recorded for name, when that process still runs with marker on its command line
  local file=".data/run/$1.pid" pid
  [ -s "$file" ] || return 1
  pid=$(cat "$file")
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$2" && echo "$pid"
}
stop_leftover() { # name marker
  local pid
  if pid=$(running "$1" "$2"); then
    echo "stopping $1 (pid $pid), left running by an earlier run"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f ".data/run/$1.pid"
}
stop_leftover server RAOrchestrator.Server.dll
stop_leftover emulator RAOrchestrator.GraphEmulator.dll
stop_leftover azurite azurite
for port in 10000 10001 10002 5443 5080 5081 5082; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "127.0.0.1:$port is taken by a program this script did not start (see: ss -ltnp 'sport = :$port'); stop it and run again." >&2
    exit 1
  fi
done

pids=()
started() { # name: records the last background process under name
  pids+=($!)
  echo "$!" > ".data/run/$1.pid"
}
stop() {
  # The server first, so its silo leaves the cluster cleanly while storage is still there.
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; done
  rm -f .data/run/*.pid
}
trap stop EXIT
trap 'exit 130' INT TERM HUP

wait_for_port() {
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# Each helper gets its own session so Ctrl+C reaches the server first.
setsid node_modules/.bin/azurite --silent --disableTelemetry --loose --skipApiVersionCheck \
  --location "$root/.data/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
started azurite
setsid dotnet src/RAOrchestrator.GraphEmulator/bin/Release/net10.0/RAOrchestrator.GraphEmulator.dll \
  --data src/RAOrchestrator.GraphEmulator/Data/demo-tenants.json --urls "$emulator_url" \
  --pfx "$root/.data/emulator/emulator.pfx" --cert-pem-out "$root/.data/emulator/emulator.pem" &
started emulator
wait_for_port 10002
wait_for_port 5443
thumbprint=$(cat .data/emulator/emulator.pem.sha256)

export Storage__ConnectionString="UseDevelopmentStorage=true"
export Auth__Authority="$emulator_url/raorchestrator-partners/v2.0"
export Auth__AuthorityCertificateThumbprint="$thumbprint"
export Graph__AuthorityHost="$emulator_url/"
export Graph__BaseUrl="$emulator_url/v1.0"
export Graph__PinnedCertificateSha256="$thumbprint"
# The emulator's self-signed certificate is pinned above: this local stack is a demonstration.
export Demo__Enabled=true
# The demo MSP app of the emulator's data file (emulator-only values, not real credentials).
export Graph__ClientId="${Graph__ClientId:-6c1f3e2a-8d4b-4f0e-9a7c-2b5d8e1f4a90}"
export Graph__ClientSecret="${Graph__ClientSecret:-emulator-msp-app-secret}"
# The lobby console's client at the emulator's partner issuer, where partners' staff sign in (emulator-only values).
export Web__StaffClientId="${Web__StaffClientId:-9d2f6a41-7c3e-4b58-a1d0-5e8f2b7c3a10}"
export Web__StaffClientSecret="${Web__StaffClientSecret:-emulator-console-staff-secret}"

# Invitation proofs in mailed links are keyed by a secret made once and kept with the data.
[ -s .data/invitation.key ] || (umask 077 && head -c 32 /dev/urandom | base64 > .data/invitation.key)
export Sessions__InvitationKey="${Sessions__InvitationKey:-$(cat .data/invitation.key)}"

dotnet src/RAOrchestrator.Server/bin/Release/net10.0/RAOrchestrator.Server.dll "$@" &
started server
(
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null http://127.0.0.1:5081/health/ready && break
    sleep 0.5
  done
  cat <<'READY'

RAOrchestrator is ready (Ctrl+C stops everything).
  gRPC API        127.0.0.1:5080 (plaintext HTTP/2; partner tokens: scripts/partner-token.sh contoso)
  approval pages  http://127.0.0.1:5082
  lobby console   http://127.0.0.1:5082/console?tenant=3f6c4b8e-1a2b-4c5d-8e9f-0a1b2c3d4e5f (Company ABC's organizers and admitters)
                  partner staff: "Sign in as partner staff" as sam.support@contoso-msp.example (acts) or wes.watch@contoso-msp.example (watches)
A tenant you create waits for its administrator: open its approval_uri in a browser and sign in as
admin@companyabc.com (password demo-password) for the demo tenant Company ABC, or approve from a script:
  scripts/approve-tenant.sh <approval_uri>
READY
  # Once Company ABC is onboarded (kept across runs), a demo session is ready to try in two browser windows.
  if scripts/demo-session.sh > .data/demo-session.txt 2>/dev/null; then
    printf '\nA demo session to try the lobby with:\n'; cat .data/demo-session.txt
  else
    printf '\nOnce Company ABC is onboarded, scripts/demo-session.sh prints an invitation link to try the lobby with.\n'
  fi
) &
wait "${pids[-1]}"
