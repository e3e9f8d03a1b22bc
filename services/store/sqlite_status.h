#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/store/store_errors.h"

// Internal to clinic_store: the one place SQLite result codes become Status.
namespace clinicd::store::internal {

// Maps an extended SQLite result code and its message to the Status callers
// see; `path` names the file when the code is SQLITE_CANTOPEN.
absl::Status SqliteStatus(int code, absl::string_view message,
                          absl::string_view path);

}  // namespace clinicd::store::internal
