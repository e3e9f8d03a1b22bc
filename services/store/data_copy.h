#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/store/database.h"

namespace clinicd::store {

// How many rows of one table a copy moved.
struct CopiedTable {
  std::string table;
  int64_t rows = 0;
};

// Copies every row of a clinic database — practice, patients, appointments,
// consents, series, recalls, messages, the event feed with its sequence
// numbers, API keys and the server's secrets (so page tokens and keys keep
// working) — from `from` (SQLite) into `to` (PostgreSQL), which must be
// migrated to the same schema version and hold no clinic yet. One snapshot
// of `from`, one transaction on `to`: `to` ends with all of it or none.
// Values are copied as stored (serialized messages, times, enum numbers), so
// the copy is the same clinic, ids and etags included.
absl::StatusOr<std::vector<CopiedTable>> CopyClinicData(const Database& from, Database& to);

}  // namespace clinicd::store
