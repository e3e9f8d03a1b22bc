#pragma once

// The one table saying which role may call which RPC.

#include "absl/strings/string_view.h"

#include "services/auth/role.h"

namespace clinicd::auth {

// True when `role` may call `method`, a full method name such as
// `/clinic.v1.PatientService/CreatePatient`. Admin may call every listed
// RPC; a method missing from the table is refused to everyone.
bool RoleMayCall(Role role, absl::string_view method);

// True when the table has a row for `method` (tests check every RPC has one).
bool PolicyCovers(absl::string_view method);

}  // namespace clinicd::auth
