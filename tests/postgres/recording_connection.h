#pragma once

// A connection that speaks PostgreSQL but talks to no server: it records
// every statement the store prepares, with the values bound to it, so a tool
// can print them for psql to PREPARE and EXPLAIN against a real database.
// Every statement answers no rows.

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/connection.h"

namespace clinicd::testing {

// One prepared statement as the PostgreSQL backend would send it.
struct RecordedStatement {
  // Which store call prepared it, as set by RecordingConnection::Label.
  std::string label;
  // The text after ?N became $N, as the backend prepares it.
  std::string sql;
  // Each parameter as an SQL literal (quoted, so untyped, as the backend's
  // text parameters are) or NULL; parameter N is params[N - 1].
  std::vector<std::string> params;
};

class RecordingConnection final : public store::internal::Connection {
 public:
  RecordingConnection();
  ~RecordingConnection() override;

  // Names the statements prepared from now on.
  void Label(absl::string_view label) { label_ = std::string(label); }

  // Every statement prepared (or script run) so far, in order.
  const std::deque<RecordedStatement>& statements() const { return statements_; }

  store::Dialect dialect() const override { return store::Dialect::kPostgres; }
  absl::Status Exec(absl::string_view sql) override;
  void Release(store::internal::Cursor* cursor) override;
  bool InTransaction() const override { return true; }
  int Changes() const override { return 0; }

 protected:
  absl::StatusOr<store::internal::Cursor*> PrepareCursor(absl::string_view sql) override;

 private:
  class RecordingCursor;

  std::string label_;
  // A deque, so each cursor's pointer to its record stays valid.
  std::deque<RecordedStatement> statements_;
  std::vector<std::unique_ptr<RecordingCursor>> cursors_;
};

}  // namespace clinicd::testing
