#pragma once

// The .proto files of every service clinicd serves, for tests that walk the
// schema (the role table, the field limits).

#include <google/protobuf/descriptor.h>

#include <vector>

namespace clinicd::testing {

// Each service's file, reached through one of its messages so the generated
// code (and with it the generated pool's descriptors) is linked in.
std::vector<const google::protobuf::FileDescriptor*> ServedServiceFiles();

}  // namespace clinicd::testing
