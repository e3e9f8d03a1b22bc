#include "services/store/sqlite_status.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

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
    // The disk (or the file size limit) is full: nothing the caller can fix,
    // and nothing was written. Monitoring keys on the reason.
    case SQLITE_FULL:
      return ErrorWithReason(absl::StatusCode::kResourceExhausted, kStorageFull,
                             absl::StrCat("the server's storage is full; nothing was written (",
                                          message, ")"));
    // The disk failed a read or write: the operator's problem, and a retry
    // may succeed once it is fixed. (SQLITE_READONLY stays INTERNAL: here it
    // means a write slipped into a read-only transaction, a bug of ours.)
    case SQLITE_IOERR:
      return ErrorWithReason(absl::StatusCode::kUnavailable, kStorageUnavailable,
                             absl::StrCat("the server's storage failed; nothing was written (",
                                          message, ", sqlite code ", code, ")"));
    case SQLITE_NOMEM:
      return absl::ResourceExhaustedError("the server is out of memory; retry later");
    // The file is damaged: data may be lost, never the caller's fault.
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(absl::StrCat("the database file is damaged: ", message));
    case SQLITE_CANTOPEN:
      return absl::InternalError(absl::StrCat("cannot open database file ",
                                              path, ": ",
                                              message));
    default:
      return absl::InternalError(
          absl::StrCat(message, " (sqlite code ", code, ")"));
  }
}

}  // namespace clinicd::store::internal
