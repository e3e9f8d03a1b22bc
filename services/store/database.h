#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/store/dialect.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// Where the database lives and how many connections serve it.
struct DatabaseOptions {
  // A SQLite file path (":memory:" is refused: every connection would get
  // its own empty database), or a postgresql:// URI.
  std::string path;
  // Connections for concurrent reads; a Read waits when all are in use.
  int read_connections = 4;
  // PostgreSQL only: connections for concurrent writes (SQLite has one
  // writer); a Write waits when all are in use.
  int write_connections = 8;
  // How long a connection waits for a lock held by another process (e.g. an
  // admin CLI) before the call fails with kUnavailable.
  absl::Duration busy_timeout = absl::Seconds(10);
};

// `path` as it may be logged or printed: a PostgreSQL URI's password
// replaced by ***; a file path as it is.
std::string AddressForLogs(absl::string_view path);

// A clinic's database: every read and write of the server goes through one,
// as a function run inside a transaction. SQLite (SqliteDatabase) is the
// embedded default; the implementation behind Open is chosen by the path.
class Database {
 public:
  // Opens (creating if missing) the database `options.path` names.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const DatabaseOptions& options);

  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // No Read or Write may be running.
  virtual ~Database() = default;

  // The SQL the database speaks.
  virtual Dialect dialect() const = 0;

  // Runs `fn` inside a write transaction and returns its status once that
  // transaction has committed (or the commit's error). A fn that returns an
  // error (or throws: caught, returned as INTERNAL) has nothing of it
  // stored. fn sees every write acknowledged before it began. Calling Write
  // from inside a Write's fn deadlocks. Each implementation says how writes
  // meet each other (SqliteDatabase: serialised, committed in groups).
  virtual absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> fn) = 0;

  // Runs `fn` inside a read-only transaction: every query in fn sees the
  // same snapshot. Nested Reads each take another connection.
  virtual absl::Status Read(absl::FunctionRef<absl::Status(Transaction&)> fn) const = 0;

  // How many Writes are waiting for their turn or running now.
  virtual size_t QueuedWrites() const = 0;

  // How many Writes have committed since the database was opened.
  virtual uint64_t commits() const = 0;

  // Blocks until commits() differs from `seen` or `timeout` passes; returns
  // commits(). Lets a reader (the event feed) wait for new data instead of
  // polling.
  virtual uint64_t WaitForCommit(uint64_t seen, absl::Duration timeout) const = 0;

  // OK while the database can take writes; otherwise why not: the storage
  // failure of the last write or probe (a full disk, an I/O error; cleared by
  // the next one that commits), or a write that has held the writer for
  // longer than `wedged_after`. Health reports it.
  virtual absl::Status WriterHealth(absl::Duration wedged_after) const = 0;

  // Writes and commits something that changes nothing, without counting as
  // a commit for WaitForCommit, so WriterHealth learns of a full or failing
  // disk (and of its recovery) while no client writes.
  virtual absl::Status ProbeWriter() = 0;

  // The schema version Migrate maintains.
  absl::StatusOr<int> UserVersion() const;

  // The database's path or address, for messages (never a password).
  virtual const std::string& path() const = 0;
};

}  // namespace clinicd::store
