#pragma once

// A check of a client program's command line before absl parses it, so that
// an unknown flag or a value of the wrong type is reported naming the flag
// and the program can exit with status 2 (absl's own parser would exit 1).

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace clinicd::client {

// OK when every --flag in `argv` is registered and its value parses as the
// flag's type, else INVALID_ARGUMENT naming the flag. Arguments that are not
// flags are skipped, and so is everything after `--`. Leaves every flag as it
// was. When `seen` is given, it receives the name of each flag used (a
// negated boolean `--noNAME` as NAME), in order.
absl::Status CheckCommandLine(int argc, char** argv, std::vector<std::string>* seen = nullptr);

}  // namespace clinicd::client
