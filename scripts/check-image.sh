#!/usr/bin/env bash
# Builds the service image from this checkout and checks its contract: `--version` names the commit, `run --help`
# answers, and it runs with a read-only root filesystem as UID/GID 65532. Prints the image's size and its app
# layer's. Needs a Docker engine (the test command does not run it: CI has none).
#
#   bash scripts/check-image.sh [TAG] [docker build options...]
#
# Build options pass through, e.g. `--network host` where restore must use the host's network, `--no-cache`.
# DOCKER_BUILDKIT=0 checks the legacy builder; SKIP_BUILD=1 checks an image already built from this commit. Where mcr.microsoft.com cannot be reached, make local stand-ins of
# its base images first (scripts/make-standin-dotnet-images.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${1:-platform-autoscaler:check}
shift || true
revision=$(git rev-parse HEAD)
if [[ -n $(git status --porcelain -- autoscaler global.json Directory.Build.props Directory.Packages.props) ]]; then
    echo "check-image: note: uncommitted changes under autoscaler/ are built, but --version names $revision" >&2
fi

if [[ ${SKIP_BUILD:-} != 1 ]]; then
    docker build -f autoscaler/Dockerfile --build-arg SOURCE_REVISION="$revision" -t "$tag" "$@" .
fi

run=(docker run --rm --network none --read-only --user 65532:65532)
fail() { echo "check-image: FAIL: $*" >&2; exit 1; }

version=$("${run[@]}" "$tag" --version)
[[ $version == *"+$revision" ]] || fail "--version printed '$version', not the commit $revision"
help=$("${run[@]}" "$tag" run --help)
grep -q -- '--cluster-name' <<<"$help" || fail "run --help does not list --cluster-name"
ids=$("${run[@]}" --entrypoint id "$tag")
[[ $ids == "uid=65532 gid=65532"* ]] || fail "runs as '$ids'"
user=$(docker image inspect "$tag" --format '{{.Config.User}}')
[[ $user == 65532:65532 ]] || fail "the image's user is '$user'"
# With no configuration, run must say what is missing and exit 2, having written nothing (the root is read-only).
set +e
"${run[@]}" "$tag" run >/dev/null 2>&1
code=$?
set -e
[[ $code == 2 ]] || fail "run without configuration exited $code, not 2"

size=$(docker image inspect "$tag" --format '{{.Size}}')
# Newest first: the first COPY is the runtime stage's copy of the published app.
app=$(docker history --no-trunc --format '{{.Size}}\t{{.CreatedBy}}' "$tag" | awk -F'\t' '/COPY/ {print $1; exit}')
echo "check-image: $tag OK: --version $version; read-only as 65532; image $((size / 1000 / 1000)) MB, app layer $app"
