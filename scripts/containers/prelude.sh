# What each container test starts with (sourced): the repository root as working folder and $root, the engine
# (engine.sh), base image (base-image.sh) and image (images.sh) functions, and fail.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
# shellcheck source=engine.sh
. scripts/containers/engine.sh
# shellcheck source=base-image.sh
. scripts/containers/base-image.sh
# shellcheck source=images.sh
. scripts/containers/images.sh

fail() { echo "FAILED: $*" >&2; exit 1; }
