#include "services/store/retention.h"

namespace clinicd::store {
namespace {

// Runs one of the pruning statements with its cutoff and batch size.
absl::StatusOr<int> DeleteBatch(Transaction& tx, const DialectSql& sql, absl::Time cutoff,
                                int limit) {
  absl::StatusOr<Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, cutoff).Bind(2, limit);
  // A statement that answers a row answers its count (PostgreSQL's events,
  // whose DELETE is one part of a larger statement); the others are DELETEs.
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  const int counted = *row ? static_cast<int>(stmt->ColumnInt(0)) : tx.Changes();
  stmt->Reset();
  return counted;
}

// The one integer a query answers.
absl::StatusOr<int64_t> QueryOne(Transaction& tx, absl::string_view sql) {
  absl::StatusOr<Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->ColumnInt(0) : 0;
}

}  // namespace

absl::StatusOr<int> PruneIdempotencyRecords(Transaction& tx, absl::Time cutoff, int limit) {
  return DeleteBatch(tx, {internal::kPruneIdempotencySql, internal::kPruneIdempotencySql}, cutoff,
                     limit);
}

absl::StatusOr<int> PruneFinishedMessages(Transaction& tx, absl::Time cutoff, int limit) {
  return DeleteBatch(tx, {internal::kPruneMessagesSql, internal::kPruneMessagesSql}, cutoff, limit);
}

absl::StatusOr<int> PruneEvents(Transaction& tx, absl::Time cutoff, int limit) {
  return DeleteBatch(tx, {internal::kPruneEventsSql, internal::kPruneEventsPostgresSql}, cutoff,
                     limit);
}

absl::StatusOr<FeedRange> ReadFeedRange(Transaction& tx) {
  // sqlite_sequence has no row for events until the first one is written.
  absl::StatusOr<int64_t> last = QueryOne(
      tx, DialectSql{"SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)",
                     "SELECT greatest((SELECT coalesce(max(seq), 0) FROM events), "
                     "(SELECT pruned_through FROM event_feed_floor))"}
              .For(tx.dialect()));
  if (!last.ok()) return last.status();
  // min() over the primary key reads one row of the b-tree, not the table.
  absl::StatusOr<int64_t> oldest = QueryOne(tx, "SELECT coalesce(min(seq), 0) FROM events");
  if (!oldest.ok()) return oldest.status();
  FeedRange range;
  range.last = *last;
  range.pruned_through = *oldest == 0 ? *last : *oldest - 1;
  return range;
}

}  // namespace clinicd::store
