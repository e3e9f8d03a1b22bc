#!/usr/bin/env bash
# The one command to try clinicd: installs missing Debian packages (the build
# set, and Debian's gRPC for Python that README "Talk to it" uses), builds
# into build/run, creates a fresh admin key, and serves on an embedded SQLite
# file with the bundled plugins. Ctrl-C stops it cleanly.
#   CLINICD_LISTEN (default 127.0.0.1:50051)  CLINICD_DATA (default ./var)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
listen=${CLINICD_LISTEN:-127.0.0.1:50051}
data=${CLINICD_DATA:-$root/var}
build=$root/build/run

# The build set, and Debian's gRPC for Python: README "Talk to it" and the
# integration example talk to the server from /usr/bin/python3.
bash "$root/deploy/install-deps.sh" run
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLINICD_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"

mkdir -p "$data" "$build/plugins"
clinicd=$build/services/server/clinicd
key=$("$clinicd" keys create --db="$data/clinicd.db" --role=admin \
        --description="created by deploy/run.sh" | tail -n 1)
cat <<INFO

clinicd is starting
  address:    $listen
  database:   $data/clinicd.db
  plugins:    $build/plugins
  admin key:  $key
  try:        see README.md, "Talk to it"

INFO
exec "$clinicd" --listen="$listen" --db="$data/clinicd.db" --plugin_dir="$build/plugins"
