#!/usr/bin/env bash
# Lints proto/ with the buf CLI pinned in package.json. The registry mirror
# lacks some of buf's per-platform optional packages at the pinned version,
# so a lock file cannot be kept in sync; package.json pins the exact version.
set -euo pipefail
cd "$(dirname "$0")"
googleapis=${GOOGLEAPIS_PROTO_DIR:-/usr/share/gocode/src/github.com/gogo/googleapis}
[ -x node_modules/.bin/buf ] ||
  npm install --no-package-lock --no-audit --no-fund --silent >/dev/null
mkdir -p third_party
ln -sfn "$googleapis" third_party/googleapis
exec node_modules/.bin/buf lint
