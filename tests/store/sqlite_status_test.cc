#include "services/store/sqlite_status.h"

#include "services/common/errors.h"

#include <sqlite3.h>

#include "gtest/gtest.h"

namespace clinicd::store::internal {
namespace {

TEST(SqliteStatusTest, OkStaysOk) {
  EXPECT_EQ(SqliteStatus(SQLITE_OK, "not an error", "/x.db"), absl::OkStatus());
}

TEST(SqliteStatusTest, UniqueAndPrimaryKeyAreAlreadyExists) {
  for (int code : {SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY}) {
    EXPECT_EQ(SqliteStatus(code, "UNIQUE constraint failed: t.a", "/x.db"),
              absl::AlreadyExistsError("UNIQUE constraint failed: t.a"))
        << "code " << code;
  }
}

TEST(SqliteStatusTest, OtherConstraintsAreFailedPrecondition) {
  for (int code : {SQLITE_CONSTRAINT_FOREIGNKEY, SQLITE_CONSTRAINT_CHECK,
                   SQLITE_CONSTRAINT_NOTNULL, SQLITE_CONSTRAINT_TRIGGER,
                   SQLITE_CONSTRAINT}) {
    EXPECT_EQ(SqliteStatus(code, "constraint failed", "/x.db"),
              absl::FailedPreconditionError("constraint failed"))
        << "code " << code;
  }
}

TEST(SqliteStatusTest, EveryBusyOrLockedCodeIsUnavailable) {
  for (int code : {SQLITE_BUSY, SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT,
                   SQLITE_BUSY_TIMEOUT, SQLITE_LOCKED,
                   SQLITE_LOCKED_SHAREDCACHE, SQLITE_LOCKED_VTAB}) {
    EXPECT_EQ(SqliteStatus(code, "database is locked", "/x.db"),
              absl::UnavailableError("database is busy; retry"))
        << "code " << code;
  }
}

TEST(SqliteStatusTest, CantOpenNamesThePath) {
  EXPECT_EQ(SqliteStatus(SQLITE_CANTOPEN, "unable to open database file",
                         "/srv/clinic/clinic.db"),
            absl::InternalError("cannot open database file "
                                "/srv/clinic/clinic.db: unable to open "
                                "database file"));
}

TEST(SqliteStatusTest, AnythingElseIsInternalWithMessageAndCode) {
  EXPECT_EQ(SqliteStatus(SQLITE_ERROR, "no such table: x", "/x.db"),
            absl::InternalError("no such table: x (sqlite code 1)"));
}

TEST(SqliteStatusTest, StorageFailuresSayWhatTheyMean) {
  const absl::Status full = SqliteStatus(SQLITE_FULL, "database or disk is full", "/x.db");
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorReason(full), "STORAGE_FULL");
  EXPECT_TRUE(IsStorageFailure(full));
  for (int code : {SQLITE_IOERR, SQLITE_IOERR_FSYNC, SQLITE_IOERR_WRITE}) {
    const absl::Status io = SqliteStatus(code, "disk I/O error", "/x.db");
    EXPECT_EQ(io.code(), absl::StatusCode::kUnavailable) << code;
    EXPECT_EQ(ErrorReason(io), "STORAGE_UNAVAILABLE") << code;
    EXPECT_TRUE(IsStorageFailure(io));
  }
  EXPECT_EQ(SqliteStatus(SQLITE_CORRUPT, "malformed", "/x.db").code(),
            absl::StatusCode::kDataLoss);
  EXPECT_FALSE(IsStorageFailure(absl::UnavailableError(kBusyMessage)));
}

TEST(SqliteStatusTest, AnnotateKeepsTheCodeAndDetails) {
  EXPECT_EQ(Annotate(absl::AlreadyExistsError("dup"), "inserting: "),
            absl::AlreadyExistsError("inserting: dup"));
  const absl::Status full =
      Annotate(SqliteStatus(SQLITE_FULL, "database or disk is full", "/x.db"), "inserting: ");
  EXPECT_EQ(ErrorReason(full), "STORAGE_FULL");
  EXPECT_EQ(Annotate(absl::OkStatus(), "inserting: "), absl::OkStatus());
}

}  // namespace
}  // namespace clinicd::store::internal
