#!/usr/bin/env bash
# Records the packages' public API in their PublicAPI.Unshipped.txt: adds the members the build reports as
# undeclared (RS0016) and removes the lines of members that are gone (RS0017), with the analyzer's own fixes.
# Review the diff: every line is a promise to app developers.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/OfflineMedia/OfflineMedia.csproj src/OfflineMedia.Testing/OfflineMedia.Testing.csproj; do
  dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity warn
done
git --no-pager diff --stat -- 'src/*/PublicAPI.*.txt'
