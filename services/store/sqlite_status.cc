#include "services/store/sqlite_status.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"

namespace clinicd::store::internal {

absl::Status SqliteStatus(int code, absl::string_view message,
                          absl::string_view path) {
  switch (code) {
    case SQLITE_OK:
      return absl::OkStatus();
    // The row the caller meant to create is already there.
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return absl::AlreadyExistsError(message);
    // The row refers to something that does not exist (or is still referred
    // to); the caller has to fix that state first.
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return absl::FailedPreconditionError(message);
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(message);
    // The busy handler has already waited busy_timeout by the time SQLite
    // gives up, so the only honest advice left is to retry later.
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(kBusyMessage);
    case SQLITE_CANTOPEN:
      return absl::InternalError(absl::StrCat("cannot open database file ",
                                              path, ": ",
                                              message));
    default:
      return absl::InternalError(
          absl::StrCat(message, " (sqlite code ", code, ")"));
  }
}

absl::Status Annotate(const absl::Status& status, absl::string_view context) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(context, status.message()));
}

}  // namespace clinicd::store::internal
