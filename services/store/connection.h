#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/store/statement.h"

struct sqlite3;
struct sqlite3_stmt;

// Internal to clinic_store: other layers reach a connection only through
// Database and Transaction.
namespace clinicd::store::internal {

// One SQLite connection with its cache of prepared statements; it is used by
// one thread at a time, which the owning Database guarantees, so it is opened
// without SQLite's own mutex.
class Connection final {
 public:
  // Opens `path` read-write (creating it when `create`), with extended result
  // codes and the busy timeout set before any statement can meet a lock.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& path, bool create, absl::Duration busy_timeout);

  // Takes ownership of an open handle; use Open.
  Connection(sqlite3* db, std::string path);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Finalizes every cached statement and closes the handle; the last
  // connection to a file checkpoints the WAL into it and removes the WAL.
  ~Connection();

  // Runs a script of one or more statements, discarding any rows.
  absl::Status Exec(absl::string_view sql);

  // Returns an idle cached statement for exactly this SQL text, preparing a
  // new one when none is idle (say, the same query nested in its own loop).
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  // Takes a statement back from Statement's destructor for the next Prepare.
  void Release(const std::string& sql, sqlite3_stmt* stmt);

  // Converts `code`, just returned by a call on this connection, to a Status
  // carrying the connection's error message.
  absl::Status Error(int code) const;

  // Whether a transaction is open, e.g. after a COMMIT that failed.
  bool InTransaction() const;

  // OK, or the foreign-key error COMMIT would meet: a deferred foreign key
  // (PRAGMA defer_foreign_keys) that the open transaction leaves violated.
  // Lets a group commit refuse the one write that broke a key instead of
  // failing the group's COMMIT.
  absl::Status CheckDeferredForeignKeys() const;

  // The rowid of the last INSERT on this connection.
  int64_t LastInsertRowId() const;

  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  int Changes() const;

  // The SQLite handle, for the few APIs that take two connections at once
  // (the online backup).
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_;
  std::string path_;
  // Idle statements by SQL text. Keys are never erased, so a Statement can
  // keep a pointer to its key; SQL must therefore be fixed text, never built
  // from data (which would also invite injection).
  std::map<std::string, std::vector<sqlite3_stmt*>, std::less<>> idle_;
};

}  // namespace clinicd::store::internal
