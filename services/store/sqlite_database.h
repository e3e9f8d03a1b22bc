#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/store/commit_counter.h"
#include "services/store/database.h"

namespace clinicd::store {

namespace internal {
class SqliteConnection;
}  // namespace internal

// A clinic's SQLite database in WAL mode: one writer connection, whose
// transactions are serialised in-process so they never meet SQLITE_BUSY from
// each other, and a pool of read-only connections that read snapshots
// concurrently with the writer.
class SqliteDatabase final : public Database {
 public:
  // Opens (creating if missing) the file: the writer with journal_mode=WAL,
  // synchronous=FULL and foreign_keys=ON, the readers with query_only=ON and
  // foreign_keys=ON, all with the busy timeout. Errors name the path.
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> Open(
      const DatabaseOptions& options);

  // Closes every connection, writer last, so the final close checkpoints the
  // WAL into the file with synchronous=FULL. No Read or Write may be running.
  ~SqliteDatabase() override;

  // Runs `fn` inside a write transaction on the writer and returns its
  // status once that transaction has committed (or COMMIT's error). Writes
  // are serialised in-process, so they never meet SQLITE_BUSY from each
  // other, and committed in groups: while one group commits, the Writes that
  // arrive queue up, and the next group runs them one after another in one
  // BEGIN IMMEDIATE ... COMMIT, each inside its own SAVEPOINT, so a group
  // pays one fsync however many writes it carries. A fn that returns an error
  // (or throws: caught, returned as INTERNAL) is rolled back to its savepoint
  // alone; the others in its group commit. No Write is acknowledged before
  // its group's COMMIT; when that COMMIT fails, or an error makes SQLite
  // abandon the whole transaction (a full disk, an I/O error), every write
  // the group had run fails with that error and nothing of it is stored, and
  // the writes not yet run go on in the next group. fn runs exactly once.
  // It sees the writes committed before it and those earlier in its group.
  // Calling Write from inside a Write's fn deadlocks.
  Dialect dialect() const override { return Dialect::kSqlite; }

  absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> fn) override;

  // Runs `fn` on a free read connection (waiting for one when all are busy)
  // inside BEGIN ... COMMIT, so every query in fn sees the same snapshot.
  // Each nested Read takes another connection, so nesting deeper than
  // read_connections deadlocks.
  absl::Status Read(absl::FunctionRef<absl::Status(Transaction&)> fn) const override;

  // How many Writes are waiting for their group or running in it now.
  size_t QueuedWrites() const override;

  // How many Writes have committed since the database was opened.
  uint64_t commits() const override;

  // Blocks until commits() differs from `seen` or `timeout` passes; returns
  // commits(). Lets a reader (the event feed) wait for new data instead of
  // polling.
  uint64_t WaitForCommit(uint64_t seen, absl::Duration timeout) const override;

  // OK while the writer can take writes; otherwise why not: the storage
  // failure of the last write or probe (a full disk, an I/O error; cleared by
  // the next one that commits), or a write that has held the writer for
  // longer than `wedged_after`. Health reports it.
  absl::Status WriterHealth(absl::Duration wedged_after) const override;

  // Writes one page through the writer and commits it, without counting as
  // a commit for WaitForCommit, so WriterHealth learns of a full or failing
  // disk (and of its recovery) while no client writes.
  absl::Status ProbeWriter() override;

  // The file path the database was opened with, for messages.
  const std::string& path() const override;

 private:
  // Takes the open, configured connections from Open.
  SqliteDatabase(DatabaseOptions options,
                 std::unique_ptr<internal::SqliteConnection> writer,
                 std::vector<std::unique_ptr<internal::SqliteConnection>> readers);

  // Begins with `begin`, runs fn, then commits or rolls back as Write
  // describes; shared by Write and Read so both end transactions alike.
  static absl::Status RunTransaction(
      internal::SqliteConnection& connection, absl::string_view begin,
      absl::FunctionRef<absl::Status(Transaction&)> fn);

  // A Write waiting in the queue for its group.
  struct QueuedWrite;

  // Runs fn as a write transaction on the writer (write_mu_ held) and
  // records its storage health.
  absl::Status WriteLocked(absl::FunctionRef<absl::Status(Transaction&)> fn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  // Runs `group` (the front of the queue) as one transaction, one savepoint
  // per write, and sets each write's status. Returns how many of the group
  // it decided; the rest were not run and stay queued (after an error that
  // abandoned the transaction).
  size_t WriteGroupLocked(const std::vector<QueuedWrite*>& group)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  // Marks the start and the outcome of a write transaction for WriterHealth.
  void BeginWriteHealth();
  void EndWriteHealth(const absl::Status& status);


  // Waits for an idle read connection and takes it out of the pool.
  internal::SqliteConnection* AcquireReader() const;

  // Puts a read connection back into the pool and wakes one waiter.
  void ReleaseReader(internal::SqliteConnection* reader) const;

  const DatabaseOptions options_;
  absl::Mutex write_mu_;
  // Declared before readers_ so that it is destroyed after them.
  const std::unique_ptr<internal::SqliteConnection> writer_
      ABSL_PT_GUARDED_BY(write_mu_);
  const std::vector<std::unique_ptr<internal::SqliteConnection>> readers_;
  // Writes waiting for their group, oldest first; the front one leads: it
  // takes the writer and runs the group for everyone in it.
  mutable absl::Mutex queue_mu_;
  std::deque<QueuedWrite*> queue_ ABSL_GUARDED_BY(queue_mu_);
  mutable absl::Mutex health_mu_;
  // When the write now holding the writer began; InfiniteFuture when idle.
  absl::Time write_began_ ABSL_GUARDED_BY(health_mu_) = absl::InfiniteFuture();
  absl::Status storage_failure_ ABSL_GUARDED_BY(health_mu_);
  mutable internal::CommitCounter commits_;
  mutable absl::Mutex readers_mu_;
  mutable std::vector<internal::SqliteConnection*> idle_readers_
      ABSL_GUARDED_BY(readers_mu_);
};

}  // namespace clinicd::store
