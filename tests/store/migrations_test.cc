#include "services/store/migrations.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/store/store_test_util.h"

namespace clinicd::store {
namespace {

// Each step depends on the one before, so applying them out of order fails,
// and none is idempotent, so applying one twice fails too.
constexpr Migration kMigrations[] = {
    {1, "patients",
     "CREATE TABLE patients(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"},
    {2, "patient email", "ALTER TABLE patients ADD COLUMN email TEXT;"},
    {3, "appointments",
     "CREATE TABLE appointments(id INTEGER PRIMARY KEY,"
     "  patient_id INTEGER NOT NULL REFERENCES patients(id),"
     "  starts_at INTEGER NOT NULL);"
     "CREATE INDEX appointments_by_start ON appointments(starts_at);"},
};

using MigrationsTest = StoreTest;

// How many schema objects (tables, indexes) have this name.
int64_t SchemaObjects(const Database& db, absl::string_view name) {
  return ReadInt(db, absl::StrCat("SELECT count(*) FROM sqlite_schema WHERE "
                                  "name = '",
                                  std::string(name), "'"));
}

TEST_F(MigrationsTest, AppliesEveryMigrationInOrder) {
  ASSERT_OK(Migrate(*db_, kMigrations));
  EXPECT_EQ(db_->UserVersion().value_or(-1), 3);
  EXPECT_EQ(ReadInt(*db_,
                    "SELECT count(*) FROM pragma_table_info('patients') "
                    "WHERE name = 'email'"),
            1);
  EXPECT_EQ(SchemaObjects(*db_, "appointments_by_start"), 1);
}

TEST_F(MigrationsTest, RerunningChangesNothing) {
  ASSERT_OK(Migrate(*db_, kMigrations));
  ASSERT_OK(ExecWrite(*db_, "INSERT INTO patients(name) VALUES ('Ana')"));
  EXPECT_OK(Migrate(*db_, kMigrations));
  EXPECT_EQ(db_->UserVersion().value_or(-1), 3);
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM patients"), 1);
}

TEST_F(MigrationsTest, AppliesOnlyWhatIsNew) {
  ASSERT_OK(Migrate(*db_, absl::MakeSpan(kMigrations).first(2)));
  EXPECT_EQ(db_->UserVersion().value_or(-1), 2);
  EXPECT_EQ(SchemaObjects(*db_, "appointments"), 0);
  ASSERT_OK(ExecWrite(*db_, "INSERT INTO patients(name) VALUES ('Ana')"));
  ASSERT_OK(Migrate(*db_, kMigrations));
  EXPECT_EQ(db_->UserVersion().value_or(-1), 3);
  EXPECT_EQ(SchemaObjects(*db_, "appointments"), 1);
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM patients"), 1);
}

TEST_F(MigrationsTest, FailureLeavesTheDatabaseAsItWas) {
  ASSERT_OK(Migrate(*db_, absl::MakeSpan(kMigrations).first(1)));
  const Migration broken[] = {
      kMigrations[0],
      kMigrations[1],
      {3, "broken",
       "CREATE TABLE half_done(x); INSERT INTO no_such_table VALUES (1);"},
  };
  EXPECT_EQ(Migrate(*db_, broken),
            absl::InternalError("migration 3 (broken): no such table: "
                                "no_such_table (sqlite code 1)"));
  EXPECT_EQ(db_->UserVersion().value_or(-1), 1);
  EXPECT_EQ(SchemaObjects(*db_, "half_done"), 0);
  // Migration 2 ran in the same transaction, so it is rolled back too.
  EXPECT_EQ(ReadInt(*db_,
                    "SELECT count(*) FROM pragma_table_info('patients') "
                    "WHERE name = 'email'"),
            0);
  // The fixed list still applies cleanly afterwards.
  EXPECT_OK(Migrate(*db_, kMigrations));
  EXPECT_EQ(db_->UserVersion().value_or(-1), 3);
}

TEST_F(MigrationsTest, RefusesADatabaseNewerThanItKnows) {
  ASSERT_OK(ExecWrite(*db_, "PRAGMA user_version = 5"));
  const absl::Status expected = absl::FailedPreconditionError(
      absl::StrCat(PathFor("clinic.db"),
                   ": database schema version 5 is newer than this clinicd "
                   "(knows up to 3)"));
  EXPECT_EQ(Migrate(*db_, kMigrations), expected);
  EXPECT_EQ(PendingMigrations(*db_, kMigrations).status(), expected);
  EXPECT_EQ(db_->UserVersion().value_or(-1), 5);
  EXPECT_EQ(SchemaObjects(*db_, "patients"), 0);
}

TEST_F(MigrationsTest, RefusesVersionsThatAreNotOneToN) {
  const Migration gap[] = {kMigrations[0], kMigrations[2]};
  EXPECT_EQ(Migrate(*db_, gap),
            absl::InternalError("migration \"appointments\" has version 3 at "
                                "position 2; versions must run 1..N without "
                                "gaps"));
  const Migration starts_at_two[] = {kMigrations[1]};
  EXPECT_EQ(Migrate(*db_, starts_at_two).code(), absl::StatusCode::kInternal);
  const Migration repeated[] = {kMigrations[0], kMigrations[0]};
  EXPECT_EQ(Migrate(*db_, repeated).code(), absl::StatusCode::kInternal);
  EXPECT_EQ(PendingMigrations(*db_, gap).status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(db_->UserVersion().value_or(-1), 0);
  EXPECT_EQ(SchemaObjects(*db_, "patients"), 0);
}

TEST_F(MigrationsTest, PendingMigrationsListsWhatIsMissing) {
  absl::StatusOr<absl::Span<const Migration>> pending =
      PendingMigrations(*db_, kMigrations);
  ASSERT_OK(pending);
  ASSERT_EQ(pending->size(), 3u);
  EXPECT_EQ((*pending)[0].version, 1);

  ASSERT_OK(Migrate(*db_, absl::MakeSpan(kMigrations).first(1)));
  pending = PendingMigrations(*db_, kMigrations);
  ASSERT_OK(pending);
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].version, 2);
  EXPECT_EQ((*pending)[1].version, 3);

  ASSERT_OK(Migrate(*db_, kMigrations));
  pending = PendingMigrations(*db_, kMigrations);
  ASSERT_OK(pending);
  EXPECT_TRUE(pending->empty());
}

TEST_F(MigrationsTest, NoMigrationsLeavesAFreshDatabaseAtZero) {
  EXPECT_OK(Migrate(*db_, {}));
  EXPECT_EQ(db_->UserVersion().value_or(-1), 0);
}

}  // namespace
}  // namespace clinicd::store
