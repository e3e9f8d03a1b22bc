#pragma once

// Running the clinicd binary's operator commands from integration tests.

#include <cstdlib>
#include <string>
#include <vector>

#include "tests/testing/run_program.h"

namespace clinicd::testing {

// Runs `clinicd <args>` (the binary built with this tree) to completion.
inline test_util::ProgramResult RunClinicd(const std::vector<std::string>& args) {
  const char* dir = std::getenv("CLINICD_BINARY_DIR");
  std::vector<std::string> argv = {std::string(dir != nullptr ? dir : ".") +
                                   "/services/server/clinicd"};
  argv.insert(argv.end(), args.begin(), args.end());
  return test_util::RunProgram(argv);
}

}  // namespace clinicd::testing
