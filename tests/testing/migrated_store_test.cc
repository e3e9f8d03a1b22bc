#include "tests/testing/migrated_store_test.h"

#include "absl/strings/str_cat.h"
#include "services/store/migrations.h"
#include "services/store/schema.h"

namespace clinicd::test_util {

void MigratedStoreTest::SetUp() {
  StoreTest::SetUp();
  if (HasFatalFailure()) return;
  ASSERT_OK(store::Migrate(*db_, store::SchemaMigrations()));
}

int64_t MigratedStoreTest::CountRows(absl::string_view table) const {
  return store::ReadInt(*db_, absl::StrCat("SELECT count(*) FROM ", table));
}

void MigratedStoreTest::InsertBareClinic(absl::string_view clinic_id) {
  ASSERT_OK(store::ExecWrite(
      *db_, absl::StrCat("INSERT INTO clinics(id, revision, data) VALUES ('",
                         clinic_id, "', 1, x'')")));
}

}  // namespace clinicd::test_util
