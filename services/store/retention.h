#pragma once

// Deleting what is kept no longer: expired idempotency records, finished
// messages and old feed events. Each call deletes at most `limit` rows in the
// caller's write transaction, through an index (migration 7), so a caller
// that commits after each batch never holds the one writer for long.

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// Deletes up to `limit` idempotency records created before `cutoff`, oldest
// first; returns how many. A retry of such a request is then a new request.
absl::StatusOr<int> PruneIdempotencyRecords(Transaction& tx, absl::Time cutoff, int limit);

// Deletes up to `limit` finished messages (delivered, failed, cancelled,
// suppressed) that finished before `cutoff` and were due before it, oldest
// first; returns how many. The due time keeps a cancelled message that could
// still be revived for a future time (ReviveCancelled) until that time too
// has passed by the retention.
absl::StatusOr<int> PruneFinishedMessages(Transaction& tx, absl::Time cutoff, int limit);

// Deletes up to `limit` of the oldest feed events, in feed order, stopping at
// the first one at or after `cutoff`; returns how many. The feed therefore
// always holds an unbroken run of sequence numbers up to the newest (see
// ReadFeedRange), which is what lets a stale cursor be told apart from a
// current one.
absl::StatusOr<int> PruneEvents(Transaction& tx, absl::Time cutoff, int limit);

// The sequence numbers the event feed holds: every event after
// `pruned_through` up to and including `last`. Both are 0 for a feed that
// never had an event; when every event was pruned, pruned_through == last.
struct FeedRange {
  int64_t pruned_through = 0;
  int64_t last = 0;
};

// Reads the feed's range in the caller's snapshot; `last` is the newest
// sequence number ever given, so it stays right when every event has been
// pruned: SQLite's AUTOINCREMENT record; on PostgreSQL the newest event the
// snapshot sees (events commit in seq order there) or, with none left, the
// newest pruned (event_feed_floor).
absl::StatusOr<FeedRange> ReadFeedRange(Transaction& tx);

namespace internal {

// The pruning statements, for the test that checks each one searches an
// index instead of scanning its table. Rows are deleted by primary key, not
// rowid, which PostgreSQL does not have.
inline constexpr const char* kPruneIdempotencySql =
    "DELETE FROM idempotency_records WHERE (scope, request_id) IN (SELECT scope, request_id "
    "FROM idempotency_records WHERE create_time < ?1 ORDER BY create_time LIMIT ?2)";
// The state list must match migration 7's partial index word for word, or
// SQLite will not use it.
inline constexpr const char* kPruneMessagesSql =
    "DELETE FROM notifications WHERE id IN (SELECT id FROM notifications "
    "WHERE state IN ('delivered', 'failed', 'cancelled', 'suppressed') "
    "AND update_time < ?1 AND due_time < ?1 ORDER BY update_time LIMIT ?2)";
// The oldest `limit` events by seq; of those, every one before the first
// that is not older than the cutoff. A clock set back leaves an old event
// behind a newer one in place rather than open a gap in the feed.
inline constexpr const char* kPruneEventsSql =
    "WITH head AS (SELECT seq, event_time FROM events ORDER BY seq LIMIT ?2) "
    "DELETE FROM events WHERE seq <= coalesce("
    "(SELECT min(seq) FROM head WHERE event_time >= ?1) - 1, (SELECT max(seq) FROM head))";
// The same on PostgreSQL, which also records the newest number it pruned
// (ReadFeedRange) and answers how many it deleted.
inline constexpr const char* kPruneEventsPostgresSql =
    "WITH head AS (SELECT seq, event_time FROM events ORDER BY seq LIMIT $2), "
    "gone AS (DELETE FROM events WHERE seq <= coalesce("
    "(SELECT min(seq) FROM head WHERE event_time >= $1) - 1, (SELECT max(seq) FROM head)) "
    "RETURNING seq), "
    "floor AS (UPDATE event_feed_floor SET pruned_through = "
    "greatest(pruned_through, (SELECT max(seq) FROM gone)) WHERE EXISTS (SELECT 1 FROM gone)) "
    "SELECT count(*) FROM gone";

}  // namespace internal

}  // namespace clinicd::store
