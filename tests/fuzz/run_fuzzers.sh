#!/usr/bin/env bash
# Runs each fuzzer of a -DCLINICD_FUZZ=ON build for a bounded time, on a
# temp copy of its checked-in seed corpus (so CI never rewrites the corpus).
# Fails on the first finding, naming the input it saved.
#   tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS]    (SECONDS per fuzzer, default 60;
#                                                    the RPC fuzzer gets twice that)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
seconds=${2:-60}
# ASan/UBSan behave as in the sanitized test run (halt on the first report).
source "$here/../sanitizers/sanitizer_env.sh"
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {
  local fuzzer=$1 time=$2; shift 2
  local corpus=$work/$fuzzer
  cp -r "$here/corpus/$fuzzer" "$corpus"
  local start=$SECONDS
  echo "fuzz: $fuzzer for ${time}s"
  # -timeout: one input taking 30 s is a hang; -error_exitcode: any finding fails CI.
  if ! "$build/tests/fuzz/$fuzzer" -max_total_time="$time" -timeout=30 -rss_limit_mb=4096 \
       -error_exitcode=77 -print_final_stats=1 -artifact_prefix="$artifacts/$fuzzer-" "$@" \
       "$corpus" > "$work/$fuzzer.log" 2>&1; then
    tail -n 80 "$work/$fuzzer.log"
    echo "fuzz: $fuzzer FOUND A PROBLEM; the input is in $artifacts:" >&2
    ls -1 "$artifacts" | grep "^$fuzzer-" >&2 || true
    echo "reproduce: $build/tests/fuzz/$fuzzer $artifacts/<file>" >&2
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done' "$work/$fuzzer.log" || true
  echo "fuzz: $fuzzer clean in $((SECONDS - start))s, corpus $(ls "$corpus" | wc -l) inputs"
}

run rpc_request_fuzzer $((seconds * 2)) -dict="$here/rpc_request.dict"
run plugin_request_fuzzer "$seconds"
run plugin_response_fuzzer "$seconds"
run page_token_fuzzer "$((seconds / 2))"
run event_cursor_fuzzer "$((seconds / 2))"
