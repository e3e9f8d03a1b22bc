#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/store/connection.h"

struct sqlite3;

// Internal to clinic_store.
namespace clinicd::store::internal {

class SqliteCursor;

// One SQLite connection with its cache of prepared statements, opened
// without SQLite's own mutex (Database lends it to one thread at a time).
class SqliteConnection final : public Connection {
 public:
  // Opens `path` read-write (creating it when `create`), with extended result
  // codes and the busy timeout set before any statement can meet a lock.
  static absl::StatusOr<std::unique_ptr<SqliteConnection>> Open(
      const std::string& path, bool create, absl::Duration busy_timeout);

  // Takes ownership of an open handle; use Open.
  SqliteConnection(sqlite3* db, std::string path);

  // Finalizes every cached statement and closes the handle; the last
  // connection to a file checkpoints the WAL into it and removes the WAL.
  ~SqliteConnection() override;

  Dialect dialect() const override { return Dialect::kSqlite; }
  absl::Status Exec(absl::string_view sql) override;
  void Release(Cursor* cursor) override;
  bool InTransaction() const override;
  int Changes() const override;

  // Converts `code`, just returned by a call on this connection, to a Status
  // carrying the connection's error message.
  absl::Status Error(int code) const;

  // OK, or the foreign-key error COMMIT would meet: a deferred foreign key
  // (PRAGMA defer_foreign_keys) that the open transaction leaves violated.
  // Lets a group commit refuse the one write that broke a key instead of
  // failing the group's COMMIT.
  absl::Status CheckDeferredForeignKeys() const;

  // The SQLite handle, for the few APIs that take two connections at once
  // (the online backup).
  sqlite3* handle() const { return db_; }

 protected:
  absl::StatusOr<Cursor*> PrepareCursor(absl::string_view sql) override;

 private:
  sqlite3* db_;
  std::string path_;
  // Idle cursors by SQL text; a cursor keeps a pointer to its key, so keys
  // are never erased. Every cursor this connection made is owned here.
  std::map<std::string, std::vector<SqliteCursor*>, std::less<>> idle_;
  std::vector<std::unique_ptr<SqliteCursor>> cursors_;
};

}  // namespace clinicd::store::internal
