#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/store/database.h"
#include "tests/store/store_test_util.h"

namespace clinicd::store {
namespace {

// Gives each test a table of (writer, n) rows to write into.
class ConcurrencyTest : public StoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreTest::SetUp());
    ASSERT_OK(ExecWrite(*db_, "CREATE TABLE events(writer TEXT, n INTEGER)"));
  }

  // Opens a second Database on the same file, as another process would.
  std::unique_ptr<Database> OpenSecond(absl::Duration busy_timeout) {
    DatabaseOptions options = OptionsFor("clinic.db");
    options.busy_timeout = busy_timeout;
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(options);
    EXPECT_OK(db);
    return db.ok() ? *std::move(db) : nullptr;
  }
};

// Inserts one event in its own write transaction.
absl::Status InsertEvent(Database& db, absl::string_view writer, int n) {
  return db.Write([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<Statement> insert =
        txn.Prepare("INSERT INTO events(writer, n) VALUES (?1, ?2)");
    if (!insert.ok()) return insert.status();
    return insert->BindText(1, writer).Bind(2, n).Run();
  });
}

// Collects statuses from many threads, keeping the failures for the report.
class Failures final {
 public:
  // Keeps `status` if it is an error.
  void Add(const absl::Status& status) {
    if (status.ok()) return;
    absl::MutexLock lock(&mu_);
    failures_.push_back(status);
  }

  // Every failure seen, in arrival order.
  std::vector<absl::Status> Get() {
    absl::MutexLock lock(&mu_);
    return failures_;
  }

 private:
  absl::Mutex mu_;
  std::vector<absl::Status> failures_ ABSL_GUARDED_BY(mu_);
};

TEST_F(ConcurrencyTest, ReadersNeverSeeUncommittedData) {
  absl::Notification inserted;
  absl::Notification checked;
  absl::Status write_status;
  std::thread writer([&] {
    write_status = db_->Write([&](Transaction& txn) {
      absl::Status status = txn.Exec("INSERT INTO events VALUES ('w', 1)");
      inserted.Notify();
      checked.WaitForNotification();
      return status;
    });
  });
  inserted.WaitForNotification();
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM events"), 0);
  checked.Notify();
  writer.join();
  ASSERT_OK(write_status);
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM events"), 1);
}

TEST_F(ConcurrencyTest, ReadSeesOneSnapshotWhileOthersCommit) {
  ASSERT_OK(InsertEvent(*db_, "before", 1));
  ASSERT_OK(db_->Read([&](Transaction& txn) -> absl::Status {
    EXPECT_EQ(QueryInt(txn, "SELECT count(*) FROM events").value_or(-1), 1);
    absl::Status write_status;
    std::thread writer([&] { write_status = InsertEvent(*db_, "during", 2); });
    writer.join();
    EXPECT_OK(write_status);
    // Committed, but after this Read's snapshot began.
    EXPECT_EQ(QueryInt(txn, "SELECT count(*) FROM events").value_or(-1), 1);
    return absl::OkStatus();
  }));
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM events"), 2);
}

TEST_F(ConcurrencyTest, ManyThreadsWritingAndReadingAllSucceed) {
  constexpr int kWriters = 8;
  constexpr int kWritesEach = 25;
  Failures failures;
  std::atomic<bool> writing{true};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (writing.load()) {
        failures.Add(db_->Read([](Transaction& txn) {
          return QueryInt(txn, "SELECT count(*) FROM events").status();
        }));
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const std::string name = "writer" + std::to_string(w);
      for (int n = 0; n < kWritesEach; ++n) {
        failures.Add(InsertEvent(*db_, name, n));
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  writing.store(false);
  for (std::thread& reader : readers) reader.join();
  EXPECT_TRUE(failures.Get().empty()) << failures.Get().front();
  EXPECT_EQ(ReadInt(*db_,
                    "SELECT count(DISTINCT writer || '/' || n) FROM "
                    "events"),
            kWriters * kWritesEach);
}

TEST_F(ConcurrencyTest, ReadsNeverUseMoreConnectionsThanThePoolHas) {
  DatabaseOptions options = OptionsFor("pool.db");
  options.read_connections = 2;
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(options);
  ASSERT_OK(db);
  std::atomic<int> in_flight{0};
  std::atomic<int> most{0};
  Failures failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        failures.Add((*db)->Read([&](Transaction&) {
          const int now = ++in_flight;
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
          absl::SleepFor(absl::Milliseconds(5));
          --in_flight;
          return absl::OkStatus();
        }));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(failures.Get().empty()) << failures.Get().front();
  EXPECT_EQ(most.load(), 2);
}

TEST_F(ConcurrencyTest, SecondInstanceWaitsForALongWriteInsteadOfFailing) {
  std::unique_ptr<Database> second = OpenSecond(absl::Seconds(10));
  ASSERT_NE(second, nullptr);
  absl::Notification holding;
  absl::Status first_status;
  std::thread first([&] {
    first_status = db_->Write([&](Transaction& txn) {
      absl::Status status = txn.Exec("INSERT INTO events VALUES ('first', 1)");
      holding.Notify();
      absl::SleepFor(absl::Milliseconds(300));
      return status;
    });
  });
  holding.WaitForNotification();
  const absl::Time start = absl::Now();
  int64_t seen_by_second = -1;
  absl::Status second_status = second->Write([&](Transaction& txn) {
    seen_by_second = QueryInt(txn, "SELECT count(*) FROM events").value_or(-1);
    return txn.Exec("INSERT INTO events VALUES ('second', 1)");
  });
  const absl::Duration waited = absl::Now() - start;
  first.join();
  ASSERT_OK(first_status);
  ASSERT_OK(second_status);
  // BEGIN IMMEDIATE waited for the first commit, so it saw the first row.
  EXPECT_EQ(seen_by_second, 1);
  EXPECT_GE(waited, absl::Milliseconds(200));
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM events"), 2);
  EXPECT_EQ(ReadInt(*second, "SELECT count(*) FROM events"), 2);
}

TEST_F(ConcurrencyTest, SecondInstanceGetsThroughBackToBackLongWrites) {
  std::unique_ptr<Database> second = OpenSecond(absl::Seconds(10));
  ASSERT_NE(second, nullptr);
  Failures failures;
  absl::Notification started;
  std::thread first([&] {
    for (int n = 0; n < 5; ++n) {
      failures.Add(db_->Write([&](Transaction& txn) {
        absl::Status status =
            txn.Exec("INSERT INTO events VALUES ('first', 0)");
        if (n == 0) started.Notify();
        absl::SleepFor(absl::Milliseconds(100));
        return status;
      }));
    }
  });
  started.WaitForNotification();
  std::vector<std::thread> others;
  for (int t = 0; t < 3; ++t) {
    others.emplace_back([&, t] {
      for (int n = 0; n < 3; ++n) {
        failures.Add(InsertEvent(*second, "second" + std::to_string(t), n));
      }
    });
  }
  for (std::thread& other : others) other.join();
  first.join();
  EXPECT_TRUE(failures.Get().empty()) << failures.Get().front();
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM events"), 5 + 3 * 3);
}

TEST_F(ConcurrencyTest, ExpiredBusyTimeoutIsUnavailableAndReadersStillRead) {
  ASSERT_OK(InsertEvent(*db_, "before", 1));
  std::unique_ptr<Database> second = OpenSecond(absl::Milliseconds(100));
  ASSERT_NE(second, nullptr);
  absl::Notification holding;
  absl::Notification release;
  absl::Status first_status;
  std::thread first([&] {
    first_status = db_->Write([&](Transaction& txn) {
      absl::Status status = txn.Exec("INSERT INTO events VALUES ('first', 1)");
      holding.Notify();
      release.WaitForNotification();
      return status;
    });
  });
  holding.WaitForNotification();
  bool ran = false;
  EXPECT_EQ(second->Write([&](Transaction&) {
    ran = true;
    return absl::OkStatus();
  }),
            absl::UnavailableError("database is busy; retry"));
  EXPECT_FALSE(ran);
  // WAL readers do not wait for the writer; they see the last commit.
  EXPECT_EQ(ReadInt(*second, "SELECT count(*) FROM events"), 1);
  release.Notify();
  first.join();
  ASSERT_OK(first_status);
  EXPECT_OK(InsertEvent(*second, "second", 1));
  EXPECT_EQ(ReadInt(*second, "SELECT count(*) FROM events"), 3);
}

}  // namespace
}  // namespace clinicd::store
