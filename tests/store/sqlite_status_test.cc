#include "services/store/sqlite_status.h"

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
  EXPECT_EQ(SqliteStatus(SQLITE_IOERR_FSYNC, "disk I/O error", "/x.db"),
            absl::InternalError("disk I/O error (sqlite code 1034)"));
}

TEST(SqliteStatusTest, AnnotateKeepsTheCode) {
  EXPECT_EQ(Annotate(absl::AlreadyExistsError("dup"), "inserting: "),
            absl::AlreadyExistsError("inserting: dup"));
  EXPECT_EQ(Annotate(absl::OkStatus(), "inserting: "), absl::OkStatus());
}

}  // namespace
}  // namespace clinicd::store::internal
