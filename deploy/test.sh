#!/usr/bin/env bash
# The one command that installs missing Debian packages, builds everything
# with tests, and runs every test (unit, integration on a real server,
# Python interop, buf lint). CI runs exactly this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/test

bash "$root/deploy/install-deps.sh" test
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)" --timeout 300
