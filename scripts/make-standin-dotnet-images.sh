#!/usr/bin/env bash
# Makes local stand-ins for the two base images autoscaler/Dockerfile names, mcr.microsoft.com/dotnet/sdk:10.0 and
# mcr.microsoft.com/dotnet/aspnet:10.0, on a machine that cannot pull them (the project's sandbox reaches Debian's
# package mirror and NuGet, not mcr.microsoft.com). Normal users do not need it: docker pulls the real images.
#
#   sudo bash scripts/make-standin-dotnet-images.sh      # needs root (debootstrap), docker and a .NET 10 SDK
#
# Each stand-in is a Debian minbase root filesystem (debootstrap, from the mirror apt uses unless DEBIAN_MIRROR says
# otherwise) with the libraries the real images carry (ICU, OpenSSL, zlib, tzdata, CA certificates), plus this
# machine's .NET: the whole of it for sdk, the host and the two shared runtimes for aspnet. It trusts the CAs this
# machine trusts, so a restore inside the build gets through the same TLS-inspecting proxy, if any, as one outside.
# They differ from the real images in what a build here cannot see: the Debian release (the real .NET 10 images
# are built on a newer distribution), the exact patch versions, and the `app` user (the Dockerfile uses 65532).
#
# Environment: DOCKER_HOST as for docker; DEBIAN_SUITE (bookworm), DEBIAN_MIRROR (apt's), DOTNET_DIR (the folder of
# the `dotnet` on PATH); SDK_TAG and ASPNET_TAG to tag other names.
set -euo pipefail

suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-}
dotnet_dir=${DOTNET_DIR:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
sdk_tag=${SDK_TAG:-mcr.microsoft.com/dotnet/sdk:10.0}
aspnet_tag=${ASPNET_TAG:-mcr.microsoft.com/dotnet/aspnet:10.0}

if [[ $(id -u) -ne 0 ]]; then
    echo "make-standin-dotnet-images: run as root (debootstrap needs it)" >&2
    exit 2
fi

for tool in debootstrap docker; do
    command -v "$tool" >/dev/null || { echo "make-standin-dotnet-images: $tool is not installed (apt-get install $tool)" >&2; exit 2; }
done

runtime_version=$(ls "$dotnet_dir/shared/Microsoft.NETCore.App" | grep '^10\.' | sort -V | tail -1 || true)
aspnet_version=$(ls "$dotnet_dir/shared/Microsoft.AspNetCore.App" | grep '^10\.' | sort -V | tail -1 || true)
sdk_version=$(ls "$dotnet_dir/sdk" | grep '^10\.' | sort -V | tail -1 || true)
if [[ -z $runtime_version || -z $aspnet_version || -z $sdk_version ]]; then
    echo "make-standin-dotnet-images: $dotnet_dir has no .NET 10 SDK, runtime and ASP.NET Core runtime" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# With no mirror argument, debootstrap uses Debian's default name, which resolves to whatever mirror apt reaches.
echo "debootstrap $suite (minbase) ..." >&2
# shellcheck disable=SC2086 # an empty mirror must vanish
debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata,zlib1g,libstdc++6,libgcc-s1 \
    "$suite" "$work/base" $mirror >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
cp /etc/ssl/certs/ca-certificates.crt "$work/base/etc/ssl/certs/ca-certificates.crt"
rm -rf "$work/base/var/cache/apt/archives/"*.deb "$work/base/var/lib/apt/lists/"*

common=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true'
    --change "ENV DOTNET_VERSION=$runtime_version"
    --change "ENV ASPNET_VERSION=$aspnet_version"
    --change 'LABEL org.opencontainers.image.description="local stand-in made by scripts/make-standin-dotnet-images.sh, not the Microsoft image"')

# aspnet: the host and the two shared runtimes, as the real image has them.
echo "aspnet $aspnet_version -> $aspnet_tag" >&2
cp -a "$work/base" "$work/aspnet"
mkdir -p "$work/aspnet/usr/share/dotnet/shared"
cp -a "$dotnet_dir/dotnet" "$dotnet_dir/host" "$dotnet_dir/LICENSE.txt" "$dotnet_dir/ThirdPartyNotices.txt" "$work/aspnet/usr/share/dotnet/"
for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    version=$([[ $framework == Microsoft.NETCore.App ]] && echo "$runtime_version" || echo "$aspnet_version")
    mkdir -p "$work/aspnet/usr/share/dotnet/shared/$framework"
    cp -a "$dotnet_dir/shared/$framework/$version" "$work/aspnet/usr/share/dotnet/shared/$framework/"
done
ln -s /usr/share/dotnet/dotnet "$work/aspnet/usr/bin/dotnet"
tar -C "$work/aspnet" -c . | docker import "${common[@]}" \
    --change 'ENV APP_UID=1654' --change 'ENV ASPNETCORE_HTTP_PORTS=8080' - "$aspnet_tag"
rm -rf "$work/aspnet"

# sdk: the whole .NET folder.
echo "sdk $sdk_version -> $sdk_tag" >&2
cp -a "$work/base" "$work/sdk"
mkdir -p "$work/sdk/usr/share/dotnet"
cp -a "$dotnet_dir/." "$work/sdk/usr/share/dotnet/"
ln -s /usr/share/dotnet/dotnet "$work/sdk/usr/bin/dotnet"
tar -C "$work/sdk" -c . | docker import "${common[@]}" \
    --change "ENV DOTNET_SDK_VERSION=$sdk_version" --change 'ENV DOTNET_NOLOGO=true' \
    --change 'ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false' --change 'ENV NUGET_XMLDOC_MODE=skip' - "$sdk_tag"

docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -F -e "$sdk_tag" -e "$aspnet_tag"
