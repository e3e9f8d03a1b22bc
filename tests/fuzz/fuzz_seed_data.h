#pragma once

// The resources every RPC fuzz input finds in place: one clinic (Berlin) with
// a practitioner qualified for microneedling every day and hour, a room
// equipped for it, and a patient.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "tests/fuzz/fuzz_clinic.h"

namespace clinicd::fuzz {

// Creates them with `admin_key`; aborts when any is refused.
SeededIds SeedClinic(const std::shared_ptr<grpc::Channel>& channel, const std::string& admin_key);

// The metadata of a call made with `key` (none when empty).
std::unique_ptr<grpc::ClientContext> ContextWithKey(const std::string& key);

}  // namespace clinicd::fuzz
