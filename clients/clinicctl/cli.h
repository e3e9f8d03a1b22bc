#pragma once

// clinicctl's main(): finds the command in argv, answers `help` and --help,
// checks flags (unknown ones, wrong types, ones the command does not take,
// missing required ones: exit 2 naming the flag), connects, runs the command
// and prints a failure with its advice on stderr.

#include <ostream>

#include "clients/common/connection_flags.h"

namespace clinicd::clinicctl {

// Runs clinicctl with `argv`; its output on `out`, messages on `err`; the
// exit code (refusal.h).
int RunClinicctl(int argc, char** argv, std::ostream& out, std::ostream& err,
                 const client::EnvironmentLookup& getenv);

}  // namespace clinicd::clinicctl
