// Linked into the test binaries whose plugin fixtures crash on purpose
// (segfault_in_init, abort_in_describe, exit_in_init). Under the sanitizer
// build, AddressSanitizer would catch those crashes in the probe's child
// process, report them (failing the sanitized run, which counts every
// report) and exit 1 instead of dying by the signal the probe must name.
// So before any test runs, the processes these tests start (clinicd, its
// probe children) are told to let SIGSEGV and SIGABRT kill them plainly and
// not to check leaks of a process a plugin ends with exit(). Without a
// sanitizer the variable is ignored.

#include <cstdlib>
#include <string>

namespace {

const bool kCrashesArePlain = [] {
  const char* options = std::getenv("ASAN_OPTIONS");
  std::string plain = options != nullptr ? options : "";
  plain += plain.empty() ? "" : ":";
  plain += "handle_segv=0:handle_abort=0:detect_leaks=0";
  return setenv("ASAN_OPTIONS", plain.c_str(), /*overwrite=*/1) == 0;
}();

}  // namespace
