#!/usr/bin/env bash
# Runs every test project of Platform.sln and prints one closing line: "tests: N passed, N failed, N skipped".
# Projects that need the Pulumi packages run only where those packages restore (nuget.org, or the local feed
# described in README); elsewhere they are skipped and this script says so plainly.
set -euo pipefail
cd "$(dirname "$0")/.."

configuration="${CONFIGURATION:-Debug}"
log="$(mktemp)"
filter=".tests-without-pulumi.slnf"
trap 'rm -f "$log" "$filter"' EXIT

mapfile -t pulumi_projects < <(grep -rl --include='*.csproj' 'Include="Pulumi' infra tests 2>/dev/null | sort || true)
targets=(Platform.sln)
if ((${#pulumi_projects[@]} > 0)); then
  if dotnet restore "${pulumi_projects[0]}" >/dev/null 2>&1; then
    echo "Pulumi packages restore: including ${#pulumi_projects[@]} Pulumi project(s)."
  else
    echo "SKIPPED: ${#pulumi_projects[@]} Pulumi project(s) (${pulumi_projects[*]}): the Pulumi NuGet packages do not restore here." \
         "Restore them from nuget.org or build the local feed (README, 'Pulumi packages')."
    # A solution filter of every project but the Pulumi ones, written for this run only.
    dotnet sln Platform.sln list | tail -n +3 | grep -vxF -f <(printf '%s\n' "${pulumi_projects[@]}") \
      | python3 -c 'import json,sys; print(json.dumps({"solution": {"path": "Platform.sln", "projects": [l.strip() for l in sys.stdin if l.strip()]}}))' > "$filter"
    targets=("$filter")
  fi
fi

# The real-kube-apiserver tier (CRD verdicts, the controllers, the service binary end to end with kills) runs only
# where its binaries are; the tests skip themselves otherwise, and this says so in one line (README, "The real API
# server tier").
apiserver="${KUBE_APISERVER_BIN:-${KUBE_BINDIR:+$KUBE_BINDIR/kube-apiserver}}"
if [[ -n "$apiserver" && -x "$apiserver" ]]; then
  echo "Real kube-apiserver tier: running against $apiserver."
else
  echo "SKIPPED: real kube-apiserver tier: no kube-apiserver (build it with shared/tools/kube-apiserver/build.sh and set KUBE_BINDIR)."
fi

status=0
for target in "${targets[@]}"; do
  dotnet test "$target" -c "$configuration" --nologo 2>&1 | tee -a "$log" || status=$?
done

# Sum the per-assembly summaries ("Passed!  - Failed:     0, Passed:   155, Skipped:     0, Total: ...").
read -r failed passed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' \
  | awk '{f+=$1; p+=$2; s+=$3} END {print f+0, p+0, s+0}')
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if ((status != 0 || failed > 0 || passed == 0)); then
  exit 1
fi
