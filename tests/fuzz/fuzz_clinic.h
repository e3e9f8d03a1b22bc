#pragma once

// One real clinicd per fuzzer process, in process: a ClinicServer over a
// SQLite file in a temp dir, the bundled plugins from the build tree and a
// test clock, with an admin key, a front-desk key and one clinic with a
// practitioner, a room and a patient, so a fuzzed request can get past
// "not found" into the deeper checks.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace clinicd::fuzz {

// The seeded resources' ids (26 characters each, see common/ids.h).
struct SeededIds {
  std::string clinic;
  std::string practitioner;
  std::string room;
  std::string patient;
};

// What a fuzz input may call the server with.
struct FuzzClinic {
  std::shared_ptr<grpc::Channel> channel;
  std::string admin_key;
  std::string front_desk_key;
  SeededIds ids;
};

// The process's server, started on first use; aborts (naming why) when it
// cannot start, since no input could then be tried.
const FuzzClinic& TheFuzzClinic();

}  // namespace clinicd::fuzz
