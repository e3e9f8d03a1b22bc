#include "services/store/database.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/store/store_test_util.h"

namespace clinicd::store {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using DatabaseTest = StoreTest;

TEST_F(DatabaseTest, WriterPragmasAreInForce) {
  ASSERT_OK(db_->Write([](Transaction& txn) -> absl::Status {
    EXPECT_EQ(QueryText(txn, "PRAGMA journal_mode").value_or("?"), "wal");
    EXPECT_EQ(QueryInt(txn, "PRAGMA synchronous").value_or(-1), 2);
    EXPECT_EQ(QueryInt(txn, "PRAGMA foreign_keys").value_or(-1), 1);
    EXPECT_EQ(QueryInt(txn, "PRAGMA busy_timeout").value_or(-1), 10000);
    EXPECT_EQ(QueryInt(txn, "PRAGMA query_only").value_or(-1), 0);
    return absl::OkStatus();
  }));
}

TEST_F(DatabaseTest, EveryReaderHasItsPragmasInForce) {
  // Nesting Reads takes every connection of the pool at once, so each one
  // is checked rather than the same one four times.
  int checked = 0;
  std::function<absl::Status(int)> check_nested = [&](int depth) {
    return db_->Read([&](Transaction& txn) -> absl::Status {
      EXPECT_EQ(QueryText(txn, "PRAGMA journal_mode").value_or("?"), "wal");
      EXPECT_EQ(QueryInt(txn, "PRAGMA query_only").value_or(-1), 1);
      EXPECT_EQ(QueryInt(txn, "PRAGMA foreign_keys").value_or(-1), 1);
      EXPECT_EQ(QueryInt(txn, "PRAGMA busy_timeout").value_or(-1), 10000);
      ++checked;
      return depth > 1 ? check_nested(depth - 1) : absl::OkStatus();
    });
  };
  ASSERT_OK(check_nested(4));
  EXPECT_EQ(checked, 4);
}

TEST_F(DatabaseTest, BusyTimeoutOptionIsApplied) {
  DatabaseOptions options = OptionsFor("other.db");
  options.busy_timeout = absl::Milliseconds(250);
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(options);
  ASSERT_OK(db);
  EXPECT_EQ(ReadInt(**db, "PRAGMA busy_timeout"), 250);
  ASSERT_OK((*db)->Write([](Transaction& txn) -> absl::Status {
    EXPECT_EQ(QueryInt(txn, "PRAGMA busy_timeout").value_or(-1), 250);
    return absl::OkStatus();
  }));
}

TEST_F(DatabaseTest, CommittedWriteSurvivesReopening) {
  ASSERT_OK(ExecWrite(*db_,
                      "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"
                      "INSERT INTO notes(body) VALUES ('kept');"));
  db_.reset();
  absl::StatusOr<std::unique_ptr<Database>> reopened =
      Database::Open(OptionsFor("clinic.db"));
  ASSERT_OK(reopened);
  ASSERT_OK((*reopened)->Read([](Transaction& txn) -> absl::Status {
    EXPECT_EQ(QueryText(txn, "SELECT body FROM notes").value_or("?"), "kept");
    return absl::OkStatus();
  }));
}

TEST_F(DatabaseTest, FailingFunctionRollsBackAndItsStatusIsReturned) {
  ASSERT_OK(ExecWrite(*db_, "CREATE TABLE notes(body TEXT)"));
  absl::Status status = db_->Write([](Transaction& txn) -> absl::Status {
    absl::Status inserted = txn.Exec("INSERT INTO notes VALUES ('gone')");
    if (!inserted.ok()) return inserted;
    return absl::AbortedError("changed my mind");
  });
  EXPECT_EQ(status, absl::AbortedError("changed my mind"));
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM notes"), 0);
}

TEST_F(DatabaseTest, FailingCommitRollsBackAndLeavesTheWriterUsable) {
  ASSERT_OK(ExecWrite(*db_,
                      "CREATE TABLE parent(id INTEGER PRIMARY KEY);"
                      "CREATE TABLE child(parent_id INTEGER REFERENCES "
                      "parent(id) DEFERRABLE INITIALLY DEFERRED);"));
  // A deferred foreign key is only checked by COMMIT.
  absl::Status status = db_->Write([](Transaction& txn) {
    return txn.Exec("INSERT INTO child VALUES (42)");
  });
  EXPECT_EQ(status,
            absl::FailedPreconditionError("FOREIGN KEY constraint failed"));
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM child"), 0);
  EXPECT_OK(ExecWrite(*db_,
                      "INSERT INTO parent VALUES (42);"
                      "INSERT INTO child VALUES (42);"));
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM child"), 1);
}

TEST_F(DatabaseTest, UniqueViolationIsAlreadyExists) {
  ASSERT_OK(ExecWrite(*db_,
                      "CREATE TABLE patients(id INTEGER PRIMARY KEY, "
                      "email TEXT UNIQUE);"
                      "INSERT INTO patients(email) VALUES ('a@example.com');"));
  EXPECT_EQ(
      ExecWrite(*db_, "INSERT INTO patients(email) VALUES ('a@example.com')"),
      absl::AlreadyExistsError("UNIQUE constraint failed: patients.email"));
  EXPECT_EQ(ExecWrite(*db_, "INSERT INTO patients(id) VALUES (1)"),
            absl::AlreadyExistsError("UNIQUE constraint failed: patients.id"));
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM patients"), 1);
}

TEST_F(DatabaseTest, ForeignKeyViolationIsFailedPrecondition) {
  ASSERT_OK(ExecWrite(*db_,
                      "CREATE TABLE patients(id INTEGER PRIMARY KEY);"
                      "CREATE TABLE visits(patient_id INTEGER NOT NULL "
                      "REFERENCES patients(id));"));
  EXPECT_EQ(ExecWrite(*db_, "INSERT INTO visits VALUES (7)"),
            absl::FailedPreconditionError("FOREIGN KEY constraint failed"));
  EXPECT_EQ(ExecWrite(*db_, "INSERT INTO visits VALUES (NULL)"),
            absl::FailedPreconditionError(
                "NOT NULL constraint failed: visits.patient_id"));
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM visits"), 0);
}

TEST_F(DatabaseTest, ReadRefusesToWrite) {
  ASSERT_OK(ExecWrite(*db_, "CREATE TABLE notes(body TEXT)"));
  absl::Status status = db_->Read([](Transaction& txn) {
    return txn.Exec("INSERT INTO notes VALUES ('sneaky')");
  });
  EXPECT_EQ(status,
            absl::InternalError(
                "attempt to write a readonly database (sqlite code 8)"));
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM notes"), 0);
}

TEST_F(DatabaseTest, ClosingCheckpointsAndRemovesTheWal) {
  ASSERT_OK(ExecWrite(*db_,
                      "CREATE TABLE notes(body TEXT);"
                      "INSERT INTO notes VALUES ('x');"));
  // Leave a cached statement on every connection, which must be finalized
  // for the close to be clean.
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM notes"), 1);
  const std::string path = PathFor("clinic.db");
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
  db_.reset();
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-shm"));
  EXPECT_GT(std::filesystem::file_size(path), 0u);
}

TEST_F(DatabaseTest, OpenNamesThePathWhenItCannotOpen) {
  const std::string path = PathFor("missing-dir/clinic.db");
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(DatabaseOptions{path});
  EXPECT_EQ(db.status(), absl::InternalError(
                             absl::StrCat("cannot open database file ", path,
                                          ": unable to open database file")));
}

TEST_F(DatabaseTest, OpenNamesThePathOfAFileThatIsNotADatabase) {
  const std::string path = PathFor("notes.txt");
  std::ofstream(path) << std::string(4096, 'x');
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(DatabaseOptions{path});
  // Not the caller's mistake, and not a passing fault: the file is damaged.
  EXPECT_EQ(db.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(Message(db.status()), StartsWith(path + ": "));
  EXPECT_THAT(Message(db.status()), HasSubstr("file is not a database"));
}

TEST_F(DatabaseTest, OpenRefusesUnusableOptions) {
  EXPECT_EQ(Database::Open(DatabaseOptions{}).status(),
            absl::InvalidArgumentError("database path is empty"));
  EXPECT_EQ(Database::Open(DatabaseOptions{":memory:"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  DatabaseOptions no_readers = OptionsFor("other.db");
  no_readers.read_connections = 0;
  EXPECT_EQ(Database::Open(no_readers).status(),
            absl::InvalidArgumentError("read_connections must be at least 1, "
                                       "got 0"));
  EXPECT_FALSE(std::filesystem::exists(no_readers.path));
}

TEST_F(DatabaseTest, UserVersionReadsThePragma) {
  EXPECT_EQ(db_->UserVersion().value_or(-1), 0);
  ASSERT_OK(ExecWrite(*db_, "PRAGMA user_version = 42"));
  EXPECT_EQ(db_->UserVersion().value_or(-1), 42);
  EXPECT_EQ(db_->path(), PathFor("clinic.db"));
}

TEST_F(DatabaseTest, TransactionReportsChanges) {
  ASSERT_OK(ExecWrite(*db_, "CREATE TABLE notes(id INTEGER PRIMARY KEY, n)"));
  ASSERT_OK(db_->Write([](Transaction& txn) -> absl::Status {
    for (int i = 0; i < 3; ++i) {
      absl::Status status = txn.Exec("INSERT INTO notes(n) VALUES (0)");
      if (!status.ok()) return status;
    }
    absl::Status status = txn.Exec("UPDATE notes SET n = n + 1");
    EXPECT_EQ(txn.Changes(), 3);
    status.Update(txn.Exec("UPDATE notes SET n = 5 WHERE id = 99"));
    EXPECT_EQ(txn.Changes(), 0);
    return status;
  }));
}

TEST_F(DatabaseTest, ExecRunsEveryStatementOfAScript) {
  ASSERT_OK(ExecWrite(*db_,
                      "CREATE TABLE a(x);\n"
                      "CREATE TABLE b(y);\n"
                      "INSERT INTO a VALUES (1), (2);\n"
                      "INSERT INTO b SELECT x * 10 FROM a;"));
  EXPECT_EQ(ReadInt(*db_, "SELECT sum(y) FROM b"), 30);
}

TEST_F(DatabaseTest, PrepareRefusesScriptsAndEmptySql) {
  ASSERT_OK(db_->Read([](Transaction& txn) -> absl::Status {
    EXPECT_EQ(txn.Prepare("SELECT 1; SELECT 2").status(),
              absl::InvalidArgumentError("Prepare takes one SQL statement (use "
                                         "Exec for scripts): SELECT 1; "
                                         "SELECT 2"));
    EXPECT_EQ(txn.Prepare("  ").status(),
              absl::InvalidArgumentError("no SQL statement to prepare"));
    // Trailing semicolons and whitespace are not a second statement.
    EXPECT_OK(txn.Prepare("SELECT 1;  \n"));
    return absl::OkStatus();
  }));
}

TEST_F(DatabaseTest, PrepareNamesTheSqlOnError) {
  ASSERT_OK(db_->Read([](Transaction& txn) -> absl::Status {
    EXPECT_EQ(txn.Prepare("SELEC 1").status(),
              absl::InternalError("preparing \"SELEC 1\": near \"SELEC\": "
                                  "syntax error (sqlite code 1)"));
    EXPECT_EQ(txn.Prepare("SELECT * FROM nowhere").status(),
              absl::InternalError("preparing \"SELECT * FROM nowhere\": no "
                                  "such table: nowhere (sqlite code 1)"));
    return absl::OkStatus();
  }));
}

TEST_F(DatabaseTest, AnExceptionInAWriteRollsItBackAndTheNextWriteWorks) {
  ASSERT_OK(ExecWrite(*db_, "CREATE TABLE t (x INTEGER)"));
  const absl::Status thrown = db_->Write([](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.Exec("INSERT INTO t VALUES (1)"); !s.ok()) return s;
    throw std::runtime_error("a plugin misbehaved");
  });
  EXPECT_EQ(thrown.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(thrown.message()), HasSubstr("a plugin misbehaved"));
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM t"), 0) << "rolled back";
  EXPECT_OK(ExecWrite(*db_, "INSERT INTO t VALUES (2)")) << "the writer is free again";
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM t"), 1);
}

TEST_F(DatabaseTest, AnExceptionInAReadReturnsItsConnection) {
  // More throwing reads than there are readers: none may keep one.
  for (int i = 0; i < 10; ++i) {
    const absl::Status thrown =
        db_->Read([](Transaction&) -> absl::Status { throw 42; });
    EXPECT_EQ(thrown.code(), absl::StatusCode::kInternal);
  }
  EXPECT_EQ(ReadInt(*db_, "SELECT 7"), 7);
}

TEST_F(DatabaseTest, AFullDiskIsReportedAndHealthFollowsTheWriter) {
  ASSERT_OK(ExecWrite(*db_, "CREATE TABLE notes (text TEXT)"));
  ASSERT_OK(db_->ProbeWriter());
  ASSERT_OK(db_->WriterHealth(absl::Seconds(10)));
  // The file may not grow past its size now, as on a full disk.
  ASSERT_OK(ExecWrite(*db_, "PRAGMA max_page_count = 1"));
  const std::string big(1 << 16, 'x');
  const absl::Status full = db_->Write([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<Statement> insert = txn.Prepare("INSERT INTO notes (text) VALUES (?)");
    if (!insert.ok()) return insert.status();
    insert->BindText(1, big);
    return insert->Run();
  });
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted) << full;
  EXPECT_EQ(db_->WriterHealth(absl::Seconds(10)).code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(db_->WriterHealth(absl::Seconds(10)).message(), full.message());

  // Room again: the next write (or probe) that commits clears it.
  ASSERT_OK(ExecWrite(*db_, "PRAGMA max_page_count = 1000000"));
  ASSERT_OK(db_->ProbeWriter());
  EXPECT_OK(db_->WriterHealth(absl::Seconds(10)));
}

TEST_F(DatabaseTest, AWriteHeldTooLongMakesTheWriterUnhealthy) {
  absl::Notification started;
  absl::Notification release;
  std::thread writer([&] {
    ASSERT_OK(db_->Write([&](Transaction&) -> absl::Status {
      started.Notify();
      release.WaitForNotification();
      return absl::OkStatus();
    }));
  });
  started.WaitForNotification();
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(db_->WriterHealth(absl::Milliseconds(20)).code(), absl::StatusCode::kUnavailable);
  EXPECT_OK(db_->WriterHealth(absl::Seconds(10)));
  release.Notify();
  writer.join();
  EXPECT_OK(db_->WriterHealth(absl::Milliseconds(20)));
}

TEST_F(DatabaseTest, ANewDatabaseFileIsTheOwnersOnly) {
  struct stat info {};
  ASSERT_EQ(stat(PathFor("clinic.db").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace clinicd::store
