#pragma once

// The event feed's table: an append-only log of changes integrations follow.
// Events are appended in the transaction of the change, so the feed holds
// exactly the committed changes, in commit order: sequence numbers follow
// commit order (on SQLite because it has one writer; on PostgreSQL see
// migration 4's clinicd_next_event_seq). Pruning and the feed's range are in
// retention.h.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/notification_service.pb.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// Appends one event about `resource` in clinic `clinic_id`.
// `decision` is a clinician's override the change carries, when any.
absl::Status AppendEvent(Transaction& tx, const std::string& clinic_id,
                         clinic::v1::EventKind kind, const std::string& resource,
                         const std::string& patient, absl::Time time,
                         const clinic::v1::RuleOverride* decision = nullptr);

// A stored event and its sequence number (the event's cursor is the feed's
// business: `event.cursor` is left empty).
struct SequencedEvent {
  int64_t seq = 0;
  clinic::v1::Event event;
};

// Up to `limit` events after sequence number `after`, oldest first, of the
// clinics in `clinic_ids` (every clinic when `all_clinics`).
absl::StatusOr<std::vector<SequencedEvent>> ReadEventRows(
    Transaction& tx, int64_t after, bool all_clinics,
    const std::vector<std::string>& clinic_ids, int limit);

}  // namespace clinicd::store
