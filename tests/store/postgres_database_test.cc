// The PostgreSQL backend against a real server: the throwaway cluster ctest
// starts (CLINICD_TEST_POSTGRES holds its address); skipped without one.

#include <libpq-fe.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/store/database.h"
#include "services/store/postgres_connection.h"
#include "tests/store/store_test_util.h"
#include "tests/testing/fresh_database.h"
#include "absl/time/clock.h"

namespace clinicd::store {
namespace {

using ::testing::HasSubstr;

TEST(PostgresPlaceholdersTest, NumbersParametersAndLeavesQuotedTextAlone) {
  EXPECT_EQ(internal::PostgresPlaceholders("SELECT ?1, ?12 WHERE a = ?2"),
            "SELECT $1, $12 WHERE a = $2");
  EXPECT_EQ(internal::PostgresPlaceholders("INSERT INTO t VALUES (?, ?)"),
            "INSERT INTO t VALUES ($1, $2)");
  EXPECT_EQ(internal::PostgresPlaceholders("SELECT '?1', \"a?\" -- why?\n, ?1"),
            "SELECT '?1', \"a?\" -- why?\n, $1");
  EXPECT_EQ(internal::PostgresPlaceholders("SELECT 'it''s ?', ?3"), "SELECT 'it''s ?', $3");
}

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test_util::UsingPostgres()) GTEST_SKIP() << "no PostgreSQL cluster (CLINICD_TEST_POSTGRES)";
    absl::StatusOr<std::unique_ptr<test_util::FreshDatabase>> fresh =
        test_util::FreshDatabase::Create("/tmp");
    ASSERT_OK(fresh);
    fresh_ = *std::move(fresh);
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    ASSERT_OK(ExecWrite(*db_,
                        "CREATE TABLE notes (id text PRIMARY KEY, n bigint NOT NULL, "
                        "body bytea, label text, score double precision);"
                        "CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);"
                        "INSERT INTO counters VALUES ('c', 0);"
                        "CREATE TABLE pins (note_id text NOT NULL REFERENCES notes(id))"));
  }

  std::unique_ptr<Database> Open() {
    DatabaseOptions options;
    options.path = fresh_->db();
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(options);
    EXPECT_OK(db);
    return db.ok() ? *std::move(db) : nullptr;
  }

  std::unique_ptr<test_util::FreshDatabase> fresh_;
  std::unique_ptr<Database> db_;
};

TEST_F(PostgresDatabaseTest, StoresAndReadsBackEveryKindOfValue) {
  ASSERT_EQ(db_->dialect(), Dialect::kPostgres);
  const std::string blob("\0\x01\xff\\x", 5);
  ASSERT_OK(db_->Write([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Statement> insert =
        tx.Prepare("INSERT INTO notes (id, n, body, label, score) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert.ok()) return insert.status();
    insert->BindText(1, "a").Bind(2, int64_t{-9007199254740993}).BindBlob(3, blob)
        .BindText(4, "Zoë \"quoted\", {braced}").Bind(5, 0.1);
    if (absl::Status s = insert->Run(); !s.ok()) return s;
    EXPECT_EQ(tx.Changes(), 1);
    insert->BindText(1, "b").Bind(2, 7).BindNull(3).BindOptionalText(4, "").Bind(5, 2.5);
    return insert->Run();
  }));
  ASSERT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Statement> select = tx.Prepare(
        "SELECT id, n, body, label, score FROM notes WHERE id = ANY(?1::text[]) ORDER BY id");
    if (!select.ok()) return select.status();
    select->BindTextList(1, {"a", "b", "\"odd\\"});
    EXPECT_EQ(select->Step().value_or(false), true);
    EXPECT_EQ(select->ColumnText(0), "a");
    EXPECT_EQ(select->ColumnInt(1), -9007199254740993);
    EXPECT_EQ(select->ColumnBlob(2), blob);
    EXPECT_EQ(select->ColumnText(3), "Zoë \"quoted\", {braced}");
    EXPECT_DOUBLE_EQ(select->ColumnDouble(4), 0.1);
    EXPECT_EQ(select->Step().value_or(false), true);
    EXPECT_TRUE(select->ColumnIsNull(2));
    EXPECT_TRUE(select->ColumnIsNull(3));
    EXPECT_EQ(select->Step().value_or(true), false);
    return absl::OkStatus();
  }));
}

TEST_F(PostgresDatabaseTest, ConstraintErrorsGetTheCodesSqliteErrorsGet) {
  auto insert = [&](const char* sql) {
    return db_->Write([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<Statement> statement = tx.Prepare(sql);
      if (!statement.ok()) return statement.status();
      return statement->Run();
    });
  };
  ASSERT_OK(insert("INSERT INTO notes (id, n) VALUES ('x', 1)"));
  EXPECT_EQ(insert("INSERT INTO notes (id, n) VALUES ('x', 2)").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(insert("INSERT INTO pins VALUES ('nobody')").code(),
            absl::StatusCode::kFailedPrecondition);
  const absl::Status nul = db_->Write([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Statement> statement = tx.Prepare("INSERT INTO notes (id, n) VALUES (?1, 1)");
    if (!statement.ok()) return statement.status();
    return statement->BindText(1, std::string("a\0b", 3)).Run();
  });
  EXPECT_EQ(nul.code(), absl::StatusCode::kInvalidArgument) << nul;
}

TEST_F(PostgresDatabaseTest, AWriteThatGoesOnAfterAFailedStatementIsNotAcknowledged) {
  const absl::Status status = db_->Write([&](Transaction& tx) -> absl::Status {
    tx.Exec("INSERT INTO notes (id, n) VALUES ('y', 1)").IgnoreError();
    tx.Exec("INSERT INTO pins VALUES ('nobody')").IgnoreError();  // Fails; fn ignores it.
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  ASSERT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Statement> count = tx.Prepare("SELECT count(*) FROM notes");
    if (!count.ok()) return count.status();
    EXPECT_TRUE(count->Step().value_or(false));
    EXPECT_EQ(count->ColumnInt(0), 0);
    return absl::OkStatus();
  }));
}

// Read-modify-write from many threads at SERIALIZABLE: losers are run again
// inside Write, so every increment lands and no caller sees the conflict.
TEST_F(PostgresDatabaseTest, ConflictingWritesAreRunAgainUntilEachLands) {
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::atomic<int> attempts{0};
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        const absl::Status status = db_->Write([&](Transaction& tx) -> absl::Status {
          ++attempts;
          absl::StatusOr<Statement> read = tx.Prepare("SELECT value FROM counters WHERE name = 'c'");
          if (!read.ok()) return read.status();
          absl::StatusOr<bool> row = read->Step();
          if (!row.ok()) return row.status();
          const int64_t value = read->ColumnInt(0);
          absl::StatusOr<Statement> write =
              tx.Prepare("UPDATE counters SET value = ?1 WHERE name = 'c'");
          if (!write.ok()) return write.status();
          return write->Bind(1, value + 1).Run();
        });
        if (!status.ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(attempts.load(), kThreads * kEach) << "no conflict happened: the test proves nothing";
  ASSERT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Statement> read = tx.Prepare("SELECT value FROM counters WHERE name = 'c'");
    if (!read.ok()) return read.status();
    EXPECT_TRUE(read->Step().value_or(false));
    EXPECT_EQ(read->ColumnInt(0), kThreads * kEach);
    return absl::OkStatus();
  }));
}

// Two Database objects stand for two clinicd processes on one database.
TEST_F(PostgresDatabaseTest, ACommitThroughAnotherProcessWakesWaitForCommit) {
  std::unique_ptr<Database> other = Open();
  ASSERT_NE(other, nullptr);
  const uint64_t seen = db_->commits();
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(100));
    EXPECT_OK(ExecWrite(*other, "INSERT INTO notes (id, n) VALUES ('z', 1)"));
  });
  const absl::Time start = absl::Now();
  EXPECT_NE(db_->WaitForCommit(seen, absl::Seconds(10)), seen);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  writer.join();
}

TEST_F(PostgresDatabaseTest, ConnectionsLostToAServerRestartAreMadeAgain) {
  ASSERT_OK(ExecWrite(*db_, "INSERT INTO notes (id, n) VALUES ('before', 1)"));
  // Ends every session of this database, as a server restart would.
  absl::StatusOr<std::string> base = test_util::PostgresBaseUri();
  ASSERT_OK(base);
  PGconn* admin = PQconnectdb(base->c_str());
  ASSERT_EQ(PQstatus(admin), CONNECTION_OK) << PQerrorMessage(admin);
  const char* values[] = {fresh_->name().c_str()};
  PGresult* ended = PQexecParams(
      admin, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1",
      1, nullptr, values, nullptr, nullptr, 0);
  ASSERT_EQ(PQresultStatus(ended), PGRES_TUPLES_OK) << PQerrorMessage(admin);
  EXPECT_GE(std::stoi(PQgetvalue(ended, 0, 0)), 2);
  PQclear(ended);
  PQfinish(admin);
  // The first use of a dropped connection may fail; the pool makes new ones.
  for (int i = 0; i < 20; ++i) {
    db_->Write([](Transaction& tx) { return tx.Exec("SELECT 1"); }).IgnoreError();
    db_->Read([](Transaction& tx) { return tx.Exec("SELECT 1"); }).IgnoreError();
  }
  EXPECT_OK(ExecWrite(*db_, "INSERT INTO notes (id, n) VALUES ('after', 1)"));
  EXPECT_OK(db_->Read([](Transaction& tx) { return tx.Exec("SELECT 1"); }));
}

TEST_F(PostgresDatabaseTest, AnUnreachableServerIsNamedWithoutItsPassword) {
  DatabaseOptions options;
  options.path = "postgresql://clinic:s3cret@127.0.0.1:1/clinic?connect_timeout=2";
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(options);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable) << db.status();
  EXPECT_THAT(Message(db.status()), HasSubstr("127.0.0.1:1"));
  EXPECT_THAT(Message(db.status()), ::testing::Not(HasSubstr("s3cret")));
}

}  // namespace
}  // namespace clinicd::store
