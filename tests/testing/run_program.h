#pragma once

// Runs a program to completion for end-to-end tests of the client programs:
// its exit code and everything it wrote to stdout and stderr.

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace clinicd::test_util {

struct ProgramResult {
  // The exit code; 128 + the signal when a signal ended it; -1 when it had
  // to be killed at the timeout or could not start.
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with argv, the test's environment plus `env`
// (NAME=VALUE, overriding), and stdin from /dev/null; kills it after `timeout`.
ProgramResult RunProgram(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {},
                         absl::Duration timeout = absl::Seconds(60));

}  // namespace clinicd::test_util
