#!/usr/bin/env bash
# Records the packages' public API in their PublicAPI.Unshipped.txt: adds the members the build reports as
# undeclared (RS0016) and removes the lines of members that are gone (RS0017), read from the build's own errors.
# Review the diff: every line is a promise to app developers.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/OfflineMedia/OfflineMedia.csproj src/OfflineMedia.Testing/OfflineMedia.Testing.csproj; do
  dir="$(dirname "$project")"
  log="$(mktemp)"
  dotnet build "$project" -c Release --no-incremental -p:TreatWarningsAsErrors=false -v:n >"$log" 2>&1 || true
  python3 - "$log" "$dir/PublicAPI.Unshipped.txt" <<'PY'
import re, sys
log, unshipped = sys.argv[1], sys.argv[2]
text = open(log, encoding="utf-8").read()
added = set(re.findall(r"RS0016: Symbol '(.+?)' is not part of the declared public API", text))
removed = set(re.findall(r"RS0017: Symbol '(.+?)' is part of the declared API", text))
lines = [l for l in open(unshipped, encoding="utf-8").read().splitlines() if l.strip()]
header = [l for l in lines if l.startswith("#")]
body = sorted((set(l for l in lines if not l.startswith("#")) | added) - removed, key=str.lower)
open(unshipped, "w", encoding="utf-8").write("\n".join(header + body) + "\n")
print(f"{unshipped}: +{len(added)} -{len(removed)}")
PY
  rm -f "$log"
done
git --no-pager diff --stat -- 'src/*/PublicAPI.*.txt'
