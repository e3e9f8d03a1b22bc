#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/store/database.h"
#include "tests/store/store_test_util.h"

namespace clinicd::store {
namespace {

// What one write does inside its group.
enum class Act { kInsert, kRefuse, kThrow, kPoison, kOrphan };

// Writes that queue behind a held writer, so that they run as one group in
// the order they were queued: Hold() starts a write that keeps the writer
// until Release(); Queue() adds a write and returns once it is queued.
class GroupCommitTest : public StoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreTest::SetUp());
    ASSERT_OK(ExecWrite(*db_,
                        "CREATE TABLE rows(label TEXT PRIMARY KEY);"
                        "CREATE TABLE poison(x INTEGER);"
                        // Makes SQLite abandon the whole transaction, as a full
                        // disk or an I/O error may.
                        "CREATE TRIGGER poison_rolls_back BEFORE INSERT ON poison "
                        "BEGIN SELECT RAISE(ROLLBACK, 'poisoned'); END;"
                        "CREATE TABLE parent(id INTEGER PRIMARY KEY);"
                        "CREATE TABLE child(parent_id INTEGER REFERENCES parent(id) "
                        "DEFERRABLE INITIALLY DEFERRED);"));
  }

  void TearDown() override {
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    StoreTest::TearDown();
  }

  // Starts a write that holds the writer until Release().
  void Hold() {
    threads_.emplace_back([this] {
      absl::Status status = db_->Write([this](Transaction&) {
        holding_.Notify();
        release_.WaitForNotification();
        return absl::OkStatus();
      });
      absl::MutexLock lock(&mu_);
      statuses_["holder"] = status;
    });
    holding_.WaitForNotification();
  }

  void Release() { release_.Notify(); }

  // Queues a write labelled `label` doing `act`; returns once it waits in
  // the queue, so writes queue in the order Queue is called.
  void Queue(const std::string& label, Act act) {
    {
      absl::MutexLock lock(&mu_);
      statuses_[label];  // Created here so threads only assign.
    }
    const size_t before = db_->QueuedWrites();
    threads_.emplace_back([this, label, act] {
      absl::Status status = db_->Write([&](Transaction& tx) -> absl::Status {
        {
          absl::MutexLock record(&mu_);
          ran_on_[label] = std::this_thread::get_id();
        }
        absl::StatusOr<Statement> insert = tx.Prepare("INSERT INTO rows(label) VALUES (?1)");
        if (!insert.ok()) return insert.status();
        if (absl::Status s = insert->BindText(1, label).Run(); !s.ok()) return s;
        switch (act) {
          case Act::kInsert:
            return absl::OkStatus();
          case Act::kRefuse:
            return absl::FailedPreconditionError("refused by the rules");
          case Act::kThrow:
            throw std::runtime_error("a plugin threw");
          case Act::kPoison:
            return tx.Exec("INSERT INTO poison(x) VALUES (1)");
          case Act::kOrphan:
            return tx.Exec("INSERT INTO child(parent_id) VALUES (42)");
        }
        return absl::OkStatus();
      });
      absl::MutexLock record(&mu_);
      statuses_[label] = status;
    });
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (db_->QueuedWrites() == before && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
    ASSERT_GT(db_->QueuedWrites(), before) << label << " never queued";
  }

  // Waits for every write, then reports whether `label`'s row is stored.
  bool Stored(const std::string& label) {
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    return ReadInt(*db_, "SELECT count(*) FROM rows WHERE label = '" + label + "'") == 1;
  }

  absl::Status StatusOf(const std::string& label) {
    absl::MutexLock lock(&mu_);
    return statuses_[label];
  }

  std::thread::id RanOn(const std::string& label) {
    absl::MutexLock lock(&mu_);
    return ran_on_[label];
  }

  absl::Notification holding_;
  absl::Notification release_;
  absl::Mutex mu_;
  std::map<std::string, absl::Status> statuses_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::thread::id> ran_on_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

TEST_F(GroupCommitTest, WritesThatQueueTogetherCommitAsOneGroup) {
  Hold();
  const uint64_t commits = db_->commits();
  for (const char* label : {"a", "b", "c", "d"}) ASSERT_NO_FATAL_FAILURE(Queue(label, Act::kInsert));
  Release();
  for (const char* label : {"a", "b", "c", "d"}) {
    EXPECT_TRUE(Stored(label)) << label;
    EXPECT_OK(StatusOf(label));
  }
  // One leader ran the whole group on its thread: one transaction.
  EXPECT_EQ(RanOn("b"), RanOn("a"));
  EXPECT_EQ(RanOn("d"), RanOn("a"));
  EXPECT_EQ(db_->commits(), commits + 5);  // The holder and the four.
}

TEST_F(GroupCommitTest, ARefusedWriteIsRolledBackAloneAndTheOthersCommit) {
  Hold();
  ASSERT_NO_FATAL_FAILURE(Queue("before", Act::kInsert));
  ASSERT_NO_FATAL_FAILURE(Queue("refused", Act::kRefuse));
  ASSERT_NO_FATAL_FAILURE(Queue("thrower", Act::kThrow));
  ASSERT_NO_FATAL_FAILURE(Queue("after", Act::kInsert));
  Release();
  EXPECT_TRUE(Stored("before"));
  EXPECT_TRUE(Stored("after"));
  EXPECT_FALSE(Stored("refused"));
  EXPECT_FALSE(Stored("thrower"));
  EXPECT_EQ(StatusOf("refused"), absl::FailedPreconditionError("refused by the rules"));
  EXPECT_EQ(StatusOf("thrower").code(), absl::StatusCode::kInternal);
  EXPECT_OK(StatusOf("after"));
  EXPECT_EQ(RanOn("after"), RanOn("before"));
}

TEST_F(GroupCommitTest, ABrokenDeferredForeignKeyFailsOnlyTheWriteThatBrokeIt) {
  Hold();
  ASSERT_NO_FATAL_FAILURE(Queue("before", Act::kInsert));
  ASSERT_NO_FATAL_FAILURE(Queue("orphan", Act::kOrphan));
  ASSERT_NO_FATAL_FAILURE(Queue("after", Act::kInsert));
  Release();
  EXPECT_TRUE(Stored("before"));
  EXPECT_TRUE(Stored("after"));
  EXPECT_FALSE(Stored("orphan"));
  EXPECT_FALSE(StatusOf("orphan").ok());
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM child"), 0);
  EXPECT_EQ(RanOn("after"), RanOn("before"));
}

TEST_F(GroupCommitTest, WhenSqliteAbandonsTheTransactionNothingRunIsAcknowledgedAndTheRestGoOn) {
  Hold();
  const uint64_t commits = db_->commits();
  ASSERT_NO_FATAL_FAILURE(Queue("before", Act::kInsert));
  ASSERT_NO_FATAL_FAILURE(Queue("poison", Act::kPoison));
  ASSERT_NO_FATAL_FAILURE(Queue("after", Act::kInsert));
  Release();
  // "before" ran in the abandoned transaction: not stored, and told so.
  EXPECT_FALSE(Stored("before"));
  EXPECT_FALSE(StatusOf("before").ok());
  EXPECT_FALSE(Stored("poison"));
  EXPECT_FALSE(StatusOf("poison").ok());
  // "after" had not run: it commits in the next group.
  EXPECT_TRUE(Stored("after"));
  EXPECT_OK(StatusOf("after"));
  EXPECT_EQ(db_->commits(), commits + 2);  // The holder and "after".
  // The writer is clean for the next write.
  EXPECT_OK(ExecWrite(*db_, "INSERT INTO rows(label) VALUES ('later')"));
}

// A group whose BEGIN cannot take the lock (another process holds it past
// the busy timeout) ran nothing: every write in it must fail, none may be
// answered OK.
TEST_F(GroupCommitTest, AGroupThatCannotBeginFailsEveryWriteInIt) {
  DatabaseOptions impatient = OptionsFor("clinic.db");
  impatient.busy_timeout = absl::Milliseconds(300);
  absl::StatusOr<std::unique_ptr<Database>> mine = Database::Open(impatient);
  ASSERT_OK(mine);
  // Another process takes the write lock and keeps it.
  absl::Notification locked;
  absl::Notification unlock;
  std::thread other([&] {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(OptionsFor("clinic.db"));
    ASSERT_OK(db);
    EXPECT_OK((*db)->Write([&](Transaction&) {
      locked.Notify();
      unlock.WaitForNotification();
      return absl::OkStatus();
    }));
  });
  locked.WaitForNotification();
  std::vector<absl::Status> statuses(3);
  std::vector<std::thread> writers;
  for (size_t i = 0; i < statuses.size(); ++i) {
    writers.emplace_back([&, i] {
      statuses[i] = (*mine)->Write([&](Transaction& tx) {
        return tx.Exec(absl::StrCat("INSERT INTO rows(label) VALUES ('w", i, "')"));
      });
    });
    // Queued one after another, so the second and third wait as a group
    // behind the first, which waits for the lock alone.
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while ((*mine)->QueuedWrites() <= i && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  }
  for (std::thread& w : writers) w.join();
  unlock.Notify();
  other.join();
  for (const absl::Status& status : statuses) EXPECT_FALSE(status.ok()) << "answered OK without running";
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM rows"), 0);
}

TEST_F(GroupCommitTest, ManyThreadsLoseNothingAndKeepNoRefusedWrite) {
  constexpr int kThreads = 8;
  constexpr int kWrites = 150;
  const uint64_t commits = db_->commits();
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([this, t] {
      for (int i = 0; i < kWrites; ++i) {
        const bool refuse = i % 7 == 3;
        absl::Status status = db_->Write([&](Transaction& tx) -> absl::Status {
          absl::StatusOr<Statement> insert = tx.Prepare("INSERT INTO rows(label) VALUES (?1)");
          if (!insert.ok()) return insert.status();
          if (absl::Status s = insert->BindText(1, absl::StrCat(t, "/", i)).Run(); !s.ok()) return s;
          return refuse ? absl::AbortedError("no") : absl::OkStatus();
        });
        EXPECT_EQ(status.ok(), !refuse) << status;
      }
    });
  }
  for (std::thread& w : writers) w.join();
  const int64_t refused_per_thread = (kWrites + 3) / 7;
  const int64_t expected = kThreads * (kWrites - refused_per_thread);
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM rows"), expected);
  EXPECT_EQ(db_->commits(), commits + static_cast<uint64_t>(expected));
  EXPECT_EQ(db_->QueuedWrites(), 0u);
}

}  // namespace
}  // namespace clinicd::store
