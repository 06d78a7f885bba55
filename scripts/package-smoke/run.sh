#!/usr/bin/env bash
# The package as a user gets it: pack the tarball, install it into an empty directory, run the
# CLI on the bundled quick-start scenario and a small plan, import the API from a script and
# type-check against its declarations. Then the same CLI and script under Node 22 and 24, taken
# from the npm registry's node-linux-<arch> packages (the only registry reachable here); if one
# cannot be had, the step says so and goes on. Prints one line per check; exits non-zero if any failed.
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0
ok() { echo "package: ok   $*"; }
bad() { echo "package: FAIL $*"; failed=$((failed + 1)); }
step() { local name="$1"; shift; if "$@" >"$work/log" 2>&1; then ok "$name"; else bad "$name"; tail -20 "$work/log"; fi; }

(cd "$repo" && npm pack --silent --pack-destination "$work" >"$work/pack.log" 2>&1) || { bad "npm pack"; tail -20 "$work/pack.log"; exit 1; }
tarball="$(ls "$work"/locksim-*.tgz)"
ok "npm pack: $(basename "$tarball") ($(du -k "$tarball" | cut -f1) kB)"

app="$work/app"
mkdir -p "$app"
cp "$repo/scripts/package-smoke/api-check.mjs" "$repo/scripts/package-smoke/api-types.ts" "$app/"
# A host project with a version of its own: `locksim --version` must not print it.
printf '{"name":"host-app","version":"9.9.9","private":true,"type":"module"}\n' >"$app/package.json"
cd "$app" || exit 1
step "npm i ./locksim-*.tgz into an empty directory" npm i "$tarball" --no-audit --no-fund
want="$(node -p 'require("./node_modules/locksim/package.json").version')"
[ "$(npx --no-install locksim --version)" = "$want" ] && ok "npx locksim --version prints the package's version ($want)" || bad "npx locksim --version (want $want)"
step "npx locksim run node_modules/locksim/scenarios/quick-start.yaml" npx --no-install locksim run node_modules/locksim/scenarios/quick-start.yaml --out quick-start --quiet --jobs 2
[ -s quick-start/index.html ] && [ -s quick-start/summary.json ] && [ -s quick-start/runs.csv ] && ok "the report has index.html, summary.json, runs.csv" || bad "report files"
step "npx locksim plan (two families, tiny)" npx --no-install locksim plan --containers 10 --layers 2 --machines m7a.24xlarge,m7g.metal --seeds 1 --max-concurrency 20 --out plan --quiet
step "npx locksim diff of the report with itself" npx --no-install locksim diff quick-start quick-start
step "import the API from a script (node $(node --version))" node api-check.mjs
printf '{"compilerOptions":{"module":"NodeNext","moduleResolution":"NodeNext","target":"ES2022","strict":true,"noEmit":true,"skipLibCheck":false,"types":[]},"files":["api-types.ts"]}\n' >tsconfig.json
step "type-check against the declarations (exports.types)" node "$repo/node_modules/typescript/bin/tsc" -p tsconfig.json

case "$(uname -m)" in x86_64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch="" ;; esac
for major in 22 24; do
  dir="$work/node$major"
  if [ -n "$arch" ] && npm i --prefix "$dir" "node-linux-$arch@$major" --no-audit --no-fund --no-save >"$work/node.log" 2>&1 && [ -x "$dir/node_modules/node-linux-$arch/bin/node" ]; then
    node_bin="$dir/node_modules/node-linux-$arch/bin/node"
    version="$("$node_bin" --version)"
    step "node $version: locksim run quick-start" "$node_bin" node_modules/locksim/bin/locksim.js run node_modules/locksim/scenarios/quick-start.yaml --out "quick-start-$major" --quiet --jobs 2
    step "node $version: import the API" "$node_bin" api-check.mjs
  else
    echo "package: skip node $major: could not install node-linux-${arch:-?}@$major from the npm registry ($(tail -1 "$work/node.log" 2>/dev/null))"
  fi
done
echo "package: $failed failed"
exit $((failed > 0))
