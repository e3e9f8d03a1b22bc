#pragma once

// The event feed integrations follow (NotificationService.WatchEvents): its
// rows are the store's (store/event_rows.h); here are the cursors clients see
// and where a read of the feed resumes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/notification_service.pb.h"
#include "services/store/event_rows.h"
#include "services/store/transaction.h"

namespace clinicd::outbox {

// Appends one event about a resource in a clinic, with the clinician's
// override the change carries, when any (store/event_rows.h).
using store::AppendEvent;

// Up to `limit` events after sequence number `after`, oldest first, of the
// clinics in `clinic_ids` (every clinic when `all_clinics`).
absl::StatusOr<std::vector<clinic::v1::Event>> ReadEvents(
    store::Transaction& tx, int64_t after, bool all_clinics,
    const std::vector<std::string>& clinic_ids, int limit);

// Where a read of the feed continues: after `after` when the feed still holds
// every event after it, or, for a read from the beginning (nullopt), after
// the last event pruned. Never skips silently: FAILED_PRECONDITION
// CURSOR_AHEAD_OF_FEED (metadata last_cursor) for a cursor past the newest
// event, as after a restore from an older backup; OUT_OF_RANGE
// CURSOR_EXPIRED (metadata earliest_cursor, the after_cursor that starts at
// the oldest event kept) when events after it were pruned.
absl::StatusOr<int64_t> ResumePoint(store::Transaction& tx, std::optional<int64_t> after);

// The newest sequence number ever given; 0 before the first event.
absl::StatusOr<int64_t> NewestSequence(store::Transaction& tx);

// The cursor clients see for a sequence number, and back. Cursors are
// opaque to clients; DecodeCursor fails on anything not made by EncodeCursor.
std::string EncodeCursor(int64_t seq);
absl::StatusOr<int64_t> DecodeCursor(const std::string& cursor);

}  // namespace clinicd::outbox
