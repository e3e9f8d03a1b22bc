#include "services/store/postgres_status.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace clinicd::store::internal {

absl::Status PostgresStatus(absl::string_view sqlstate, absl::string_view message) {
  // The row the caller meant to create is already there.
  if (sqlstate == "23505") return absl::AlreadyExistsError(message);
  // A foreign key, CHECK, NOT NULL or exclusion constraint: the caller has
  // to fix that state first.
  if (absl::StartsWith(sqlstate, "23")) return absl::FailedPreconditionError(message);
  // A lock wait past lock_timeout, a statement cancelled, a serialization
  // failure that kept failing: retry later.
  if (sqlstate == "55P03" || sqlstate == "57014" || sqlstate == "40001" ||
      sqlstate == "40P01") {
    return absl::UnavailableError(kBusyMessage);
  }
  // Text PostgreSQL cannot store (a NUL character, bad UTF-8): the caller's.
  if (sqlstate == "22021" || sqlstate == "22P05") {
    return absl::InvalidArgumentError(
        absl::StrCat("text the database cannot store (", message, ")"));
  }
  // The disk is full: nothing the caller can fix, and nothing was written.
  if (sqlstate == "53100") {
    return ErrorWithReason(absl::StatusCode::kResourceExhausted, kStorageFull,
                           absl::StrCat("the server's storage is full; nothing was written (",
                                        message, ")"));
  }
  if (sqlstate == "53200" || sqlstate == "53300") {
    return absl::ResourceExhaustedError(
        absl::StrCat("the database is out of resources; retry later (", message, ")"));
  }
  // Damaged data: may be lost, never the caller's fault.
  if (sqlstate == "XX001" || sqlstate == "XX002") {
    return absl::DataLossError(absl::StrCat("the database is damaged: ", message));
  }
  // The server went away, is shutting down, or failed its storage (58xxx):
  // the operator's problem, and a retry may succeed once it is back.
  if (sqlstate.empty() || absl::StartsWith(sqlstate, "08") || absl::StartsWith(sqlstate, "57P") ||
      absl::StartsWith(sqlstate, "58")) {
    return ErrorWithReason(absl::StatusCode::kUnavailable, kStorageUnavailable,
                           absl::StrCat("the database is unavailable; nothing was written (",
                                        message, ")"));
  }
  return absl::InternalError(absl::StrCat(message, " (SQLSTATE ", sqlstate, ")"));
}

bool IsRetryableSqlstate(absl::string_view sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "23P01";
}

}  // namespace clinicd::store::internal
