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

struct pg_conn;
struct pg_result;

// Internal to clinic_store.
namespace clinicd::store::internal {

class PostgresCursor;

// Rewrites the SQL both dialects share for PostgreSQL: ?N becomes $N and a
// bare ? the next $k; quoted text, quoted names and comments are left alone.
std::string PostgresPlaceholders(absl::string_view sql);

// One libpq connection with its named prepared statements, cached by SQL
// text as SQLite's are. Used by one thread at a time (Database lends it).
// Statements run with text parameters the server types from their context
// (a blob is sent as binary bytea) and answer in text.
class PostgresConnection final : public Connection {
 public:
  // Connects to `conninfo` (a postgresql:// URI or key=value string), with
  // lock waits limited to `lock_timeout`.
  static absl::StatusOr<std::unique_ptr<PostgresConnection>> Open(const std::string& conninfo,
                                                                  absl::Duration lock_timeout);

  PostgresConnection(pg_conn* conn, std::string conninfo, absl::Duration lock_timeout);
  ~PostgresConnection() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  absl::Status Exec(absl::string_view sql) override;
  void Release(Cursor* cursor) override;
  bool InTransaction() const override;
  int Changes() const override { return changes_; }

  // Reconnects when the connection broke (the server restarted, a network
  // blip): its prepared statements are gone with it, so the cache is
  // emptied. Call between transactions, with no Statement outstanding.
  absl::Status EnsureConnected();

  // What this transaction met, for Database to decide on a retry: the first
  // SQLSTATE that makes running it again worthwhile (IsRetryableSqlstate),
  // and whether any statement changed rows. Cleared by BeginTransaction.
  const std::string& retry_sqlstate() const { return retry_sqlstate_; }
  bool wrote() const { return wrote_; }
  void ForgetTransaction();

  // Turns a finished command's result into a Status and records what
  // Changes, retry_sqlstate and wrote report. Takes ownership of `result`
  // only to read it; the caller still clears it.
  absl::Status Check(pg_result* result, absl::string_view context);

  // For LISTEN: the raw handle and its socket.
  pg_conn* handle() const { return conn_; }

 protected:
  absl::StatusOr<Cursor*> PrepareCursor(absl::string_view sql) override;

 private:
  pg_conn* conn_;
  std::string conninfo_;
  absl::Duration lock_timeout_;
  // Whether this session has its settings (lock_timeout, ...).
  bool configured_ = false;
  int changes_ = 0;
  std::string retry_sqlstate_;
  bool wrote_ = false;
  // Idle cursors by SQL text (as written by the caller, before rewriting).
  std::map<std::string, std::vector<PostgresCursor*>, std::less<>> idle_;
  std::vector<std::unique_ptr<PostgresCursor>> cursors_;
};

}  // namespace clinicd::store::internal
