# Build options for CI's stricter builds. Each applies to code built in this
# project only: Debian's libraries (gRPC, protobuf, abseil, SQLite, ...) are
# prebuilt and stay as they are.
#
#   -DCLINICD_WERROR=ON     warnings in our code are errors (CI builds with it)
#   -DCLINICD_SANITIZE=ON   AddressSanitizer + UndefinedBehaviorSanitizer
#   -DCLINICD_FUZZ=ON       libFuzzer targets in tests/fuzz (clang, needs SANITIZE)
#
# CI's sanitizer build:
#   cmake -S . -B build/sanitize -DCMAKE_CXX_COMPILER=clang++-14 \
#     -DCLINICD_SANITIZE=ON -DCLINICD_FUZZ=ON -DCLINICD_WERROR=ON

option(CLINICD_WERROR "Treat warnings in clinicd's own code as errors" OFF)
option(CLINICD_SANITIZE "Build clinicd's code with AddressSanitizer and UBSan" OFF)
option(CLINICD_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only)" OFF)

if(CLINICD_WERROR)
  list(APPEND CLINICD_WARNINGS -Werror)
endif()

if(CLINICD_SANITIZE)
  # Directory-wide, so every target of ours gets it: the libraries, the
  # executables, the bundled plugins and the test fixture plugins. A plugin
  # built without ASan would still load, but its memory errors would go
  # unseen. The compiler links the sanitizer runtime into executables only
  # (never into a shared library or plugin) and exports its symbols from the
  # executable, so a dlopen'ed plugin resolves them there. The plugin host's
  # RTLD_NOW | RTLD_LOCAL works with that; RTLD_DEEPBIND would not.
  # UB stops the program (no-recover), so a test or fuzzer cannot pass over it.
  set(CLINICD_SANITIZER_FLAGS
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_compile_options(${CLINICD_SANITIZER_FLAGS})
  add_link_options(-fsanitize=address,undefined)
endif()

if(CLINICD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CLINICD_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  if(NOT CLINICD_SANITIZE)
    # Coverage instrumentation needs a sanitizer runtime in every executable,
    # and a fuzzer without ASan/UBSan finds only outright crashes.
    message(FATAL_ERROR "CLINICD_FUZZ needs CLINICD_SANITIZE=ON")
  endif()
  # Our code reports coverage and comparisons to libFuzzer; only the fuzz
  # targets themselves link libFuzzer (-fsanitize=fuzzer, tests/fuzz).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
