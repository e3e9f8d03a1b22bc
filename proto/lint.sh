#!/usr/bin/env bash
# Lints proto/ with the buf CLI pinned in package.json (installed by npm ci).
set -euo pipefail
cd "$(dirname "$0")"
googleapis=${GOOGLEAPIS_PROTO_DIR:-/usr/share/gocode/src/github.com/gogo/googleapis}
[ -x node_modules/.bin/buf ] || npm ci --no-audit --no-fund --silent
mkdir -p third_party
ln -sfn "$googleapis" third_party/googleapis
exec node_modules/.bin/buf lint
