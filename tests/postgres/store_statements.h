#pragma once

// The store's statements whose PostgreSQL text differs from SQLite's (and
// the recall clock's scan, which PostgreSQL-only indexes serve), called once
// each with sample values that match the rows check_schema.sh inserts.

#include "absl/status/status.h"
#include "tests/postgres/recording_connection.h"

namespace clinicd::testing {

// Calls each store function on `connection`, labelling its statements with
// the function's name.
absl::Status RecordStoreStatements(RecordingConnection& connection);

}  // namespace clinicd::testing
