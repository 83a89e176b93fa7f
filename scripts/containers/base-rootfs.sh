#!/usr/bin/env bash
# Makes the container images' Debian root file system (base-image.sh's base_rootfs) ahead of the container tests, so
# scripts/test.sh can make it beside the builds. Does nothing when this clone has it already. Needs root (mmdebstrap).
set -euo pipefail
# shellcheck source=prelude.sh
. "$(dirname "$0")/prelude.sh"
mkdir -p "$engine_dir"
base_rootfs > /dev/null
