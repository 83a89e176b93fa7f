#!/usr/bin/env bash
# Makes the runtime base's Debian root file system (base-image.sh's base_rootfs, about two minutes on a new machine)
# ahead of the container tests: scripts/test.sh starts it beside the test projects and waits for it before them.
# Does nothing when it is already made; if it fails, the container tests try again and report why.
set -euo pipefail
# shellcheck source=prelude.sh
. "$(dirname "${BASH_SOURCE[0]}")/prelude.sh"
mkdir -p "$engine_dir"
base_rootfs > /dev/null
