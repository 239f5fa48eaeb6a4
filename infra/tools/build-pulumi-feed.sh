#!/usr/bin/env bash
# Builds a local NuGet folder feed with the Pulumi packages this repository pins (Directory.Packages.props), for
# machines whose NuGet source lacks them. Real users restore them from nuget.org and never need this.
#
# Inputs (read-only, never copied into this repository):
#   PULUMI_DOTNET_GIT   git dir of pulumi/pulumi-dotnet      (sdk/Pulumi, tag v$PULUMI_VERSION)
#   PULUMI_GIT          git dir of pulumi/pulumi             (proto/, at the submodule commit pulumi-dotnet pins)
#   PULUMI_K8S_GIT      git dir of pulumi/pulumi-kubernetes  (sdk/dotnet, tag v$K8S_VERSION)
#   PULUMI_EKS_GIT      git dir of pulumi/pulumi-eks         (sdk/dotnet, tag v$EKS_VERSION)
#   GEN_AWS_DIR         folder with gen_aws.py, subset.txt, doubles.txt (Pulumi.Aws is generated as a SUBSET
#                       from the @pulumi/aws npm package; infra/tools/pulumi-aws-subset.txt adds what we use)
#   FEED                output root (default /work/pulumi-feed): $FEED/src (sources), $FEED/packages (the feed)
# The git dirs can be bare clones (git clone --bare https://github.com/pulumi/<repo>; pulumi/pulumi only for its
# proto/ folder). Then add $FEED/packages as a source in ~/.nuget/NuGet/NuGet.Config. A package already in the feed is
# kept; to rebuild one, delete its .nupkg and its folder under ~/.nuget/packages.
#
# Patches, all for restoring from a partial mirror, none changing the SDK's behaviour that our tests use:
#   every project targets net10.0; Ben.Demystifier -> ToString(); Pulumi.Protobuf (Pulumi's fork, only a
#   higher recursion limit) -> Google.Protobuf; Glob -> a shim on FileSystemGlobbing (ConfigFile v1); analyzers, SourceLink
#   and warnings-as-errors off; dependency versions float to what the mirror has.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-3.112.1}"
K8S_VERSION="${K8S_VERSION:-4.32.0}"
EKS_VERSION="${EKS_VERSION:-4.3.0}"
AWS_VERSION="${AWS_VERSION:-7.48.0}"
FEED="${FEED:-/work/pulumi-feed}"
here="$(cd "$(dirname "$0")" && pwd)"
: "${PULUMI_DOTNET_GIT:?set to the pulumi/pulumi-dotnet git dir}" "${PULUMI_GIT:?set to the pulumi/pulumi git dir}"
: "${PULUMI_K8S_GIT:?set to the pulumi/pulumi-kubernetes git dir}" "${PULUMI_EKS_GIT:?set to the pulumi/pulumi-eks git dir}"
: "${GEN_AWS_DIR:?set to the folder holding gen_aws.py}"

src="$FEED/src"
packages="$FEED/packages"
mkdir -p "$src" "$packages"

# Keep the feed's own restores off the user-level Pulumi feed entry (it may not exist yet) and out of ~/.nuget.
cat > "$src/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local-pulumi" value="$packages" />
  </packageSources>
</configuration>
XML
cat > "$src/Directory.Build.props" <<'XML'
<Project>
  <PropertyGroup>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <EnableNETAnalyzers>false</EnableNETAnalyzers>
    <RunAnalyzers>false</RunAnalyzers>
    <NoWarn>$(NoWarn);CS1591;CS0108;CS0618;NU1603;NU1605;NU1902;NU1903;NU1701</NoWarn>
    <GenerateDocumentationFile>false</GenerateDocumentationFile>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
</Project>
XML
echo '<Project />' > "$src/Directory.Build.targets"
echo '<Project />' > "$src/Directory.Packages.props"

# Writes the files under PATH... of REV into DEST. Unlike `git archive`, it reads only the blobs under those paths,
# so a partial (blob-filtered) clone whose other blobs are missing still works.
export_paths() { # git dir, rev, dest, path...
  local git="$1" rev="$2" dest="$3"; shift 3
  local index; index="$(mktemp)"
  GIT_INDEX_FILE="$index" git -C "$git" read-tree "$rev"
  git -C "$git" ls-tree -r -z --name-only "$rev" -- "$@" \
    | GIT_INDEX_FILE="$index" git -C "$git" --work-tree="$dest" checkout-index -z --stdin -f --prefix="$dest/"
  rm -f "$index"
}

built() { [[ -f "$packages/$1.$2.nupkg" ]] && echo "$1 $2: already in $packages, kept"; }
pack() { # project dir, version
  dotnet pack "$1" -c Release -o "$packages" -p:Version="$2" -p:GeneratePackageOnBuild=false -p:ContinuousIntegrationBuild=false --nologo -v q
}

# --- Pulumi (the core SDK, with Pulumi.Testing) ---
if ! built Pulumi "$PULUMI_VERSION"; then
rm -rf "$src/sdk" "$src/pulumi"
export_paths "$PULUMI_DOTNET_GIT" "v$PULUMI_VERSION" "$src" sdk/Pulumi sdk/pulumi_logo_64x64.png
proto_commit="$(git -C "$PULUMI_DOTNET_GIT" ls-tree "v$PULUMI_VERSION" pulumi | awk '{print $3}')"
mkdir -p "$src/pulumi/proto"
git -C "$PULUMI_GIT" archive "$proto_commit:proto" | tar -x -C "$src/pulumi/proto"
p="$src/sdk/Pulumi/Pulumi.csproj"
sed -i -E \
  -e 's#<TargetFrameworks>[^<]*</TargetFrameworks>#<TargetFrameworks>net10.0</TargetFrameworks>#' \
  -e 's#<TreatWarningsAsErrors>true</TreatWarningsAsErrors>#<TreatWarningsAsErrors>false</TreatWarningsAsErrors>#' \
  -e '/Ben.Demystifier|Microsoft.SourceLink.GitHub|PublicApiAnalyzers/d' \
  -e 's#Include="Pulumi.Protobuf" Version="[^"]*"#Include="Google.Protobuf" Version="3.*"#' \
  -e 's#(Include="(Grpc[^"]*|OneOf|Serilog[^"]*|OpenTelemetry[^"]*|Microsoft.Extensions.Logging.Abstractions)") Version="[^"]*"#\1 Version="*"#' \
  "$p"
# Drop the analyzer-only leftovers (PublicApiAnalyzers' item group has its own closing tags).
python3 - "$p" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r'\s*<PrivateAssets>all</PrivateAssets>\s*<IncludeAssets>[^<]*</IncludeAssets>\s*</PackageReference>(?=\s*<PackageReference Include="Microsoft.Extensions)', '', s)
open(p, 'w').write(s)
PY
grep -rl 'ToStringDemystified' "$src/sdk/Pulumi" | xargs sed -i 's/\.ToStringDemystified()/.ToString()/g'
pack "$src/sdk/Pulumi" "$PULUMI_VERSION"
fi

# --- Pulumi.Aws (generated SUBSET) ---
if ! built Pulumi.Aws "$AWS_VERSION"; then
aws_npm="$src/npm-aws"
rm -rf "$aws_npm" "$src/Pulumi.Aws"
mkdir -p "$aws_npm"
(cd "$aws_npm" && npm pack "@pulumi/aws@$AWS_VERSION" --silent >/dev/null && tar -xzf pulumi-aws-*.tgz)
cat "$GEN_AWS_DIR/subset.txt" "$here/pulumi-aws-subset.txt" > "$src/aws-subset.txt"
python3 "$GEN_AWS_DIR/gen_aws.py" --npm-package "$aws_npm/package" --out "$src/Pulumi.Aws" \
  --pulumi-version "$PULUMI_VERSION" --subset "$src/aws-subset.txt" --doubles "$GEN_AWS_DIR/doubles.txt"
sed -i 's#<TargetFramework>net8.0</TargetFramework>#<TargetFramework>net10.0</TargetFramework>#' "$src/Pulumi.Aws/Pulumi.Aws.csproj"
pack "$src/Pulumi.Aws" "$AWS_VERSION"
fi

# --- Pulumi.Kubernetes and Pulumi.Eks (their generated sdk/dotnet) ---
for spec in "kubernetes:Pulumi.Kubernetes:$PULUMI_K8S_GIT:$K8S_VERSION" "eks:Pulumi.Eks:$PULUMI_EKS_GIT:$EKS_VERSION"; do
  IFS=: read -r name id git version <<<"$spec"
  built "$id" "$version" && continue
  rm -rf "$src/$name"
  mkdir -p "$src/$name"
  export_paths "$git" "v$version" "$src/$name" sdk/dotnet
  dir="$src/$name/sdk/dotnet"
  echo "$version" > "$dir/version.txt"
  csproj="$(ls "$dir"/*.csproj)"
  sed -i -E \
    -e 's#<TargetFramework>[^<]*</TargetFramework>#<TargetFramework>net10.0</TargetFramework>#' \
    -e '/Microsoft.SourceLink.GitHub|Include="Glob"/d' \
    -e 's#Include="Pulumi" Version="[^"]*"#Include="Pulumi" Version="'"$PULUMI_VERSION"'"#' \
    -e 's#Include="Pulumi.Aws" Version="[^"]*"#Include="Pulumi.Aws" Version="'"$AWS_VERSION"'"#' \
    -e 's#Include="Pulumi.Kubernetes" Version="[^"]*"#Include="Pulumi.Kubernetes" Version="'"$K8S_VERSION"'"#' \
    "$csproj"
  if [[ "$name" == kubernetes ]]; then
    # Yaml.cs (ConfigFile v1) globs file names with the Glob package, which the mirror lacks: the same call on
    # Microsoft.Extensions.FileSystemGlobbing.
    sed -i 's#<PackageReference Include="Pulumi" #<PackageReference Include="Microsoft.Extensions.FileSystemGlobbing" Version="*" />\n    &#' "$csproj"
    cat > "$dir/GlobShim.cs" <<'CS'
namespace GlobExpressions
{
    internal static class Glob
    {
        public static System.Collections.Generic.IEnumerable<string> Files(string directory, string pattern)
        {
            var matcher = new Microsoft.Extensions.FileSystemGlobbing.Matcher();
            matcher.AddInclude(pattern);
            return System.Linq.Enumerable.Select(
                matcher.Execute(new Microsoft.Extensions.FileSystemGlobbing.Abstractions.DirectoryInfoWrapper(new System.IO.DirectoryInfo(directory))).Files,
                f => f.Path);
        }
    }
}
CS
  fi
  pack "$dir" "$version"
done

ls -1 "$packages"
