#!/usr/bin/env bash
# The one command that installs missing Debian packages, builds everything
# with tests, and runs every test (unit, integration on a real server,
# Python interop, buf lint); then builds again with clang-14 under
# AddressSanitizer + UndefinedBehaviorSanitizer, runs the unit and
# integration suites there, and runs each fuzzer for a bounded time.
# Warnings are errors in both builds. CI runs exactly this.
#   CLINICD_FUZZ_SECONDS   seconds per fuzzer (default 60; the RPC fuzzer gets twice that)
#   CLINICD_TEST_POSTGRES_SUITES=ON   the gcc build also runs the integration and
#                          end-to-end suites against a throwaway PostgreSQL 15
#                          (tests pg.*, cmake/postgres_tests.cmake). Default ON:
#                          both backends are tested (passed explicitly, so a
#                          cached value from an earlier run never sticks); the
#                          sanitizer build runs them on SQLite only
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/test
sanitize=$root/build/sanitize
jobs=$(nproc)
postgres_suites=${CLINICD_TEST_POSTGRES_SUITES:-ON}
timings=()
# The time of each phase, printed also when one fails.
report_timings() {
  echo "== time per phase"
  printf '%s\n' "${timings[@]}"
  echo "total ${SECONDS}s"
}
trap report_timings EXIT

# phase NAME COMMAND...: runs a step and records how long it took.
phase() {
  local name=$1 start=$SECONDS status=0; shift
  echo "== $name"
  "$@" || status=$?
  timings+=("$(printf '%-36s %5ds%s' "$name" $((SECONDS - start)) \
    "$([[ $status -eq 0 ]] || echo "  FAILED ($status)")")")
  return "$status"
}

phase "install dependencies" bash "$root/deploy/install-deps.sh" test

# 1. The normal build (gcc) and every test.
phase "gcc: configure and build" bash -c "
  cmake -S '$root' -B '$build' -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLINICD_WERROR=ON \
    -DCLINICD_TEST_POSTGRES='$postgres_suites' >/dev/null &&
  cmake --build '$build' -j$jobs"
phase "gcc: all tests" bash -c "cd '$build' && ctest --output-on-failure -j$jobs --timeout 300"

# 2. The same code under ASan + UBSan (clang-14), fuzzers included.
phase "clang sanitize: configure and build" bash -c "
  cmake -S '$root' -B '$sanitize' -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++-14 -DCLINICD_SANITIZE=ON -DCLINICD_FUZZ=ON \
    -DCLINICD_WERROR=ON -DCLINICD_TEST_POSTGRES=OFF >/dev/null &&
  cmake --build '$sanitize' -j$jobs"
phase "clang sanitize: unit + integration" bash "$root/tests/sanitizers/run_sanitized_tests.sh" "$sanitize"

# 3. Fuzzing, a bounded time per fuzzer (ASan + UBSan on).
phase "fuzzing" bash "$root/tests/fuzz/run_fuzzers.sh" "$sanitize" "${CLINICD_FUZZ_SECONDS:-60}"
