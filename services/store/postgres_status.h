#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/store/store_errors.h"

// Internal to clinic_store: the one place PostgreSQL errors become Status.
namespace clinicd::store::internal {

// Maps a SQLSTATE (five characters; empty when the connection itself failed)
// and its message to the Status callers see, with the same codes and
// reasons SQLite's errors get: a duplicate key is ALREADY_EXISTS, a broken
// foreign key or CHECK is FAILED_PRECONDITION, a lock wait past the timeout
// is UNAVAILABLE "database is busy; retry", a full disk is STORAGE_FULL, a
// lost server STORAGE_UNAVAILABLE.
absl::Status PostgresStatus(absl::string_view sqlstate, absl::string_view message);

// Whether the transaction that met `sqlstate` should simply run again: a
// serialization failure or deadlock (the loser of two conflicting
// transactions), or an exclusion-constraint conflict with a transaction that
// committed meanwhile (run again, the rules see that booking and refuse
// with their usual reason and details).
bool IsRetryableSqlstate(absl::string_view sqlstate);

}  // namespace clinicd::store::internal
