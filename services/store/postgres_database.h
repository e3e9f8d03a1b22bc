#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/store/commit_counter.h"
#include "services/store/database.h"

namespace clinicd::store {

namespace internal {
class PostgresConnection;
}  // namespace internal

// Whether `path` names a PostgreSQL database (a postgresql:// or
// postgres:// URI) rather than a SQLite file.
bool IsPostgresAddress(absl::string_view path);

// A clinic's PostgreSQL database, which several clinicd processes may share.
// Writes run concurrently, each in its own SERIALIZABLE transaction on a
// pool of connections: PostgreSQL, not this process, decides which of two
// conflicting transactions commits, and the loser (a serialization failure,
// a deadlock, an exclusion-constraint conflict) is rolled back and run again
// here, so fn may run more than once and must be safe to re-run; a caller
// never sees such a failure unless it repeats past every retry. Reads run
// at REPEATABLE READ READ ONLY: one snapshot, never a serialization failure.
// A commit that changed rows sends NOTIFY clinicd_commit; a listening
// connection counts every process's commits, so WaitForCommit wakes for
// changes made through another clinicd.
class PostgresDatabase final : public Database {
 public:
  // Connects the pools and the listener to `options.path`; errors name the
  // address without its password.
  static absl::StatusOr<std::unique_ptr<PostgresDatabase>> Open(const DatabaseOptions& options);

  // Stops the listener and closes every connection. No Read or Write may be
  // running.
  ~PostgresDatabase() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> fn) override;
  absl::Status Read(absl::FunctionRef<absl::Status(Transaction&)> fn) const override;
  size_t QueuedWrites() const override;
  uint64_t commits() const override;
  uint64_t WaitForCommit(uint64_t seen, absl::Duration timeout) const override;
  absl::Status WriterHealth(absl::Duration wedged_after) const override;
  absl::Status ProbeWriter() override;
  const std::string& path() const override { return display_address_; }

 private:
  // Connections lent to one Read or Write at a time.
  class Pool;

  PostgresDatabase(DatabaseOptions options, std::string display_address,
                   std::vector<std::unique_ptr<internal::PostgresConnection>> writers,
                   std::vector<std::unique_ptr<internal::PostgresConnection>> readers,
                   std::unique_ptr<internal::PostgresConnection> listener);

  // One attempt of a write on `connection`: BEGIN, fn, NOTIFY, COMMIT, or
  // ROLLBACK on any failure.
  absl::Status WriteOnce(internal::PostgresConnection& connection,
                         absl::FunctionRef<absl::Status(Transaction&)> fn);

  // Follows NOTIFY clinicd_commit until stopping_.
  void Listen();

  void NoteWriteOutcome(const absl::Status& status);

  const DatabaseOptions options_;
  const std::string display_address_;
  std::unique_ptr<Pool> writers_;
  std::unique_ptr<Pool> readers_;
  std::unique_ptr<internal::PostgresConnection> listener_;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> writes_in_flight_{0};
  mutable absl::Mutex health_mu_;
  absl::Status storage_failure_ ABSL_GUARDED_BY(health_mu_);
  // When each running write's current attempt began, by write.
  std::atomic<uint64_t> write_ids_{0};
  std::map<uint64_t, absl::Time> write_began_ ABSL_GUARDED_BY(health_mu_);
  mutable internal::CommitCounter commits_;
  std::thread listen_thread_;
};

}  // namespace clinicd::store
