#!/usr/bin/env bash
# Schedules a demo session in Company ABC (once it is onboarded, see the README) and prints what the two people of
# the lobby open: the guest's invitation link and the lobby console for the organizer.
# Usage: scripts/demo-session.sh            (the service must be running: scripts/run.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
tenant=3f6c4b8e-1a2b-4c5d-8e9f-0a1b2c3d4e5f
organizer=a1000000-0000-4000-8000-000000000002 # Tom Technician, licensed for Remote Assist
cli=src/RAOrchestrator.Cli/bin/Release/net10.0/raorch.dll
[ -f "$cli" ] || dotnet build src/RAOrchestrator.Cli --configuration Release --nologo -v quiet >&2

RAORCH_TOKEN="$(scripts/partner-token.sh contoso)" RAORCH_ADDRESS=http://127.0.0.1:5080 \
  dotnet "$cli" sessions schedule "$tenant" --organizer "$organizer" --subject "Pump P-17 alignment (demo)" \
  --guest "erin.expert@litware.example=Erin Expert"
cat <<TRY
Open the link above in one browser window (the guest: ask to join, then wait), and in another the lobby console,
http://127.0.0.1:5082/console?tenant=$tenant, signed in as tom.tech@companyabc.com (password demo-password), to let
the guest in. Admitted, the guest's browser is sent once to the meeting's Teams URL; with no Teams here, open the
same path on https://127.0.0.1:5443 to see the emulator's meeting page.
TRY
