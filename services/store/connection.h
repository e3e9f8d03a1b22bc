#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/cursor.h"
#include "services/store/dialect.h"
#include "services/store/statement.h"

// Internal to clinic_store: other layers reach a connection only through
// Database and Transaction.
namespace clinicd::store::internal {

// One connection to the database, of whichever backend, with its cache of
// prepared statements. It is used by one thread at a time, which the owning
// Database guarantees.
class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  virtual ~Connection() = default;

  // The SQL this connection speaks.
  virtual Dialect dialect() const = 0;

  // Runs a script of one or more statements, discarding any rows.
  virtual absl::Status Exec(absl::string_view sql) = 0;

  // Returns an idle cached statement for exactly this SQL text, preparing a
  // new one when none is idle (say, the same query nested in its own loop).
  // SQL must be fixed text, never built from data: it is the cache key, and
  // keys are kept for the connection's life.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  // Takes a cursor back from Statement's destructor for the next Prepare,
  // its bindings cleared.
  virtual void Release(Cursor* cursor) = 0;

  // Whether a transaction is open, e.g. after a COMMIT that failed.
  virtual bool InTransaction() const = 0;

  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  virtual int Changes() const = 0;

 protected:
  // Prepares (or finds idle in the cache) a cursor for one statement.
  virtual absl::StatusOr<Cursor*> PrepareCursor(absl::string_view sql) = 0;
};

}  // namespace clinicd::store::internal
