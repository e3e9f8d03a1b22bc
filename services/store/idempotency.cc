#include "services/store/idempotency.h"

#include "services/common/errors.h"

namespace clinicd::store {

absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
    Transaction& tx, absl::string_view scope, absl::string_view request_id,
    absl::string_view request_digest) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "SELECT request_sha256, response FROM idempotency_records "
      "WHERE scope = ?1 AND request_id = ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, scope).BindText(2, request_id);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  if (stmt->ColumnBlob(0) != request_digest) {
    return InvalidField("request_id",
                        "was already used for a different request; use a new "
                        "request_id for a new request");
  }
  return std::optional<std::string>(stmt->ColumnBlob(1));
}

absl::Status RecordIdempotentResponse(Transaction& tx, absl::string_view scope,
                                      absl::string_view request_id,
                                      absl::string_view request_digest,
                                      absl::string_view response, absl::Time now) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "INSERT INTO idempotency_records "
      "(scope, request_id, request_sha256, response, create_time) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, scope)
      .BindText(2, request_id)
      .BindBlob(3, request_digest)
      .BindBlob(4, response)
      .Bind(5, now);
  return stmt->Run();
}

}  // namespace clinicd::store
