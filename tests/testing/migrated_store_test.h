#pragma once

// A fresh SQLite file per test with clinicd's whole schema applied, for tests
// of code that reads and writes resource tables.

#include <string>

#include "absl/strings/string_view.h"
#include "tests/store/store_test_util.h"

namespace clinicd::test_util {

// store::StoreTest with store::SchemaMigrations() applied to db_.
class MigratedStoreTest : public store::StoreTest {
 protected:
  void SetUp() override;

  // Rows in `table` (a fixed table name, never user input).
  int64_t CountRows(absl::string_view table) const;

  // Inserts a clinics row with id `clinic_id` and empty data (an empty
  // Clinic), for tests that need a clinic to exist but not its contents.
  void InsertBareClinic(absl::string_view clinic_id);
};

}  // namespace clinicd::test_util
