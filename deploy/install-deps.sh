#!/usr/bin/env bash
# Installs the Debian bookworm packages clinicd needs, only those missing.
#   install-deps.sh build     compilers and -dev packages to build clinicd
#   install-deps.sh run       build + Debian's gRPC for Python (README "Talk to it")
#   install-deps.sh test      build + test tools (GoogleTest, Python gRPC, npm for buf,
#                             clang-14 for the sanitizer and fuzzing build, PostgreSQL 15
#                             for the suites run against the PostgreSQL backend)
#   install-deps.sh runtime   shared libraries only (container runtime stage)
# Safe to run again: with nothing missing it changes nothing.
set -euo pipefail

mode=${1:-build}
# ca-certificates: the reminder worker's SMTP STARTTLS and HTTPS webhooks
# verify their servers against the system CA store (libcurl finds no CAs without it).
# libpq5: the PostgreSQL backend (--db=postgresql://...).
runtime=(libgrpc++1.51 libprotobuf32 libabsl20220623 libsqlite3-0 libphonenumber8
         libicu72 libssl3 libspdlog1.10 libfmt9 libhpdf-2.3.0 libpng16-16 libcurl4 fonts-dejavu-core
         tzdata ca-certificates libjemalloc2 libpq5)
build=(g++ cmake make pkg-config
       libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
       libabsl-dev libsqlite3-dev libphonenumber-dev libicu-dev libssl-dev
       libspdlog-dev libhpdf-dev libpng-dev libcurl4-openssl-dev golang-github-gogo-googleapis-dev
       libjemalloc-dev libpq-dev fonts-dejavu-core tzdata)
test=(libgtest-dev libgmock-dev libbenchmark-dev python3 python3-grpcio python3-grpc-tools
      poppler-utils qpdf python3-aiosmtpd
      # The sanitizer and fuzzing build: clang, its ASan/UBSan/libFuzzer
      # runtimes, and llvm-symbolizer for readable reports.
      clang-14 libclang-rt-14-dev llvm-14
      # The throwaway cluster of tests/postgres/pg_cluster.sh (initdb, pg_ctl
      # in /usr/lib/postgresql/15/bin). Debian's postgresql-15 ships the
      # contrib extensions itself (btree_gist for the EXCLUDE constraints);
      # postgresql-contrib is only a metapackage pointing back to it.
      postgresql-15)

case "$mode" in
  runtime) wanted=("${runtime[@]}") ;;
  build) wanted=("${build[@]}") ;;
  run) wanted=("${build[@]}" python3 python3-grpcio python3-grpc-tools) ;;
  test) wanted=("${build[@]}" "${test[@]}")
        # buf (proto lint) comes from npm; Debian's npm if none is installed.
        command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm) ;;
  *) echo "usage: $0 build|run|test|runtime" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all $mode packages present"
  exit 0
fi

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}"
