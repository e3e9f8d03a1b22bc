#pragma once

// Random keys the server keeps in its database, so that every clinicd
// process on it, before and after a restart, uses the same one (e.g. to seal
// page tokens).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/database.h"

namespace clinicd::store {

// The 32 random bytes stored as `name`, created on first use.
absl::StatusOr<std::string> LoadOrCreateSecret(Database& db, absl::string_view name);

}  // namespace clinicd::store
