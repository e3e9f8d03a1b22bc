#!/usr/bin/env bash
# Load test of the real server: builds clinicd and clinic-loadgen, starts
# clinicd on 127.0.0.1 (port 0) with a fresh database in a temp directory,
# runs every clinic-loadgen scenario against it, then stops it with SIGTERM
# and prints a Markdown table. A tool run by hand, never a ctest test.
#
#   bash tests/benchmarks/run_load.sh [BUILD_DIR]     (default: <repo>/build/test)
#
# LOAD_DURATION (default 10s), LOAD_CLIENTS (8) and LOAD_PATIENTS (2000)
# change the run. The client runs on the same machine as the server, so both
# share its cores.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${1:-$repo/build/test}
duration=${LOAD_DURATION:-10s}
clients=${LOAD_CLIENTS:-8}
patients=${LOAD_PATIENTS:-2000}
scenarios=(create_patients search_patients get_patient mixed)

[[ -f $build_dir/CMakeCache.txt ]] ||
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build "$build_dir" -j"$(nproc)" --target clinicd clinic-loadgen >&2
clinicd=$build_dir/services/server/clinicd
loadgen=$build_dir/clients/loadgen/clinic-loadgen

work=$(mktemp -d /tmp/clinicd-load-XXXXXX)
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

db=$work/clinicd.db
"$clinicd" keys create --db="$db" --role=admin --description="run_load.sh" >"$work/key.out"
key=$(tail -n 1 "$work/key.out")

"$clinicd" --listen=127.0.0.1:0 --db="$db" --plugin_dir="$work/plugins" \
  2>"$work/server.log" >/dev/null &
server_pid=$!
port=
for _ in $(seq 200); do
  port=$(sed -n 's/.*clinicd listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.log")
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "run_load.sh: clinicd did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

# The server's peak resident set so far, in MiB.
peak_rss_mib() {
  awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"
}

# CPU time the server has used so far (user + system), in clock ticks.
server_ticks() {
  awk '{ print $14 + $15 }' "/proc/$server_pid/stat"
}

declare -A rss cpu_ms
for scenario in "${scenarios[@]}"; do
  echo "run_load.sh: $scenario, $clients clients, $duration" >&2
  "$loadgen" --target="127.0.0.1:$port" --key="$key" --scenario="$scenario" \
    --clients="$clients" --duration="$duration" --patients="$patients" --json \
    >"$work/$scenario.json" 2>"$work/$scenario.err" &
  loadgen_pid=$!
  # The read scenarios preload patients first; count the server's CPU from
  # the measured run on.
  if [[ $scenario != create_patients ]]; then
    while ! grep -q preloaded "$work/$scenario.err" && kill -0 "$loadgen_pid" 2>/dev/null; do
      sleep 0.05
    done
  fi
  ticks=$(server_ticks)
  wait "$loadgen_pid" || { cat "$work/$scenario.err" >&2; exit 1; }
  ticks=$(($(server_ticks) - ticks))
  cat "$work/$scenario.err" >&2
  rss[$scenario]=$(peak_rss_mib)
  cpu_ms[$scenario]=$(jq -r --argjson ticks "$ticks" --argjson hz "$(getconf CLK_TCK)" \
    '"\(1000 * $ticks / $hz / .calls * 1000 | round / 1000) | \($ticks / $hz / .seconds * 100 | round / 100)"' \
    "$work/$scenario.json")
done

kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
server_pid=

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo
echo "Machine: $(nproc) cores, ${cpu_model:-unknown CPU}; $(uname -sr)"
echo "Server: clinicd, SQLite WAL with synchronous=FULL, database on $(df -T "$work" | awk 'NR == 2 { print $2 }'); client on the same machine."
echo "Each scenario: $clients clients (one connection each), $duration; read scenarios preload $patients patients."
echo
echo "| scenario | clients | calls/s | p50 ms | p99 ms | errors | server peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for scenario in "${scenarios[@]}"; do
  jq -r --arg rss "${rss[$scenario]}" \
    '"| \(.scenario) | \(.clients) | \(.calls_per_s) | \(.p50_ms) | \(.p99_ms) | \(.error_count) | \($rss) |"' \
    "$work/$scenario.json"
done

echo
echo "Server CPU (user + system) during each measured run:"
echo
echo "| scenario | server CPU ms per call | server cores busy |"
echo "|---|---:|---:|"
for scenario in "${scenarios[@]}"; do
  echo "| $scenario | ${cpu_ms[$scenario]} |"
done

echo
echo "Per operation in mixed:"
echo
echo "| operation | calls | p50 ms | p90 ms | p99 ms | max ms |"
echo "|---|---:|---:|---:|---:|---:|"
jq -r '.operations | to_entries[] |
  "| \(.key) | \(.value.calls) | \(.value.p50_ms) | \(.value.p90_ms) | \(.value.p99_ms) | \(.value.max_ms) |"' \
  "$work/mixed.json"

failed=0
for scenario in "${scenarios[@]}"; do
  if [[ $(jq '.error_count' "$work/$scenario.json") != 0 ]]; then
    failed=1
    echo
    echo "Errors in $scenario:"
    jq -r '.errors | to_entries[] | "  \(.key) x\(.value.count): \(.value.first_message)"' \
      "$work/$scenario.json"
  fi
done
busy=$(grep -c -i -E 'SQLITE_BUSY|database is (busy|locked)' "$work/server.log" || true)
logged_errors=$(grep -c '\[error\]' "$work/server.log" || true)
echo
echo "Server log: $logged_errors error lines, $busy mentioning SQLITE_BUSY or a busy/locked database; exit status $server_status after SIGTERM."
if [[ $busy != 0 || $logged_errors != 0 ]]; then
  grep -i -E '\[error\]|SQLITE_BUSY|database is (busy|locked)' "$work/server.log" | head -n 5
  failed=1
fi
[[ $server_status == 0 ]] || failed=1
exit "$failed"
