# Sourced by the scripts that run a -DCLINICD_SANITIZE=ON build: how ASan,
# UBSan and LeakSanitizer behave there.
#  - halt_on_error: the first report ends the process, so no test passes over
#    one (UBSan is also built with -fno-sanitize-recover).
#  - detect_leaks: on, at every process exit (tests, the clinicd servers the
#    integration tests start, the CLI binaries). lsan.supp lists only leaks
#    inside Debian's libraries, each with its reason; never our code.
#  - check_initialization_order: static initialisers reading other files'
#    globals before they are set (the plugin SDK and generated code have many).
#  - detect_stack_use_after_return stays off: it doubles the suite's time.
here_sanitizers=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$here_sanitizers/lsan.supp:print_suppressions=0"
# Symbolised stacks in reports.
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/bin/llvm-symbolizer-14}
