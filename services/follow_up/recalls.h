#pragma once

// Maintenance recalls: created by the recall plugin when a series completes,
// satisfied by the next booking of the same treatment for the patient (and
// re-opened when that booking is cancelled or missed), snoozed or dismissed
// by staff, and moved from upcoming to due to lapsed by the clock.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/follow_up_service.pb.h"
#include "clinic/v1/practice_service.pb.h"
#include "services/outbox/patient_messages.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/resources/resource_kind.h"
#include "services/store/transaction.h"

namespace clinicd::follow_up {

// clinics/{clinic}/recalls/{recall}; written by the server, never created
// through the API. Its notices are outbox messages about the recall.
resources::ResourceKind<clinic::v1::Recall> RecallKind();

// The state a recall is in at `now`: a stored UPCOMING or DUE recall is
// upcoming before its due time, due until its lapse time and lapsed after;
// the other states are final (until a cancelled booking re-opens it).
clinic::v1::RecallState EffectiveRecallState(const clinic::v1::Recall& recall, absl::Time now);

// Creates the recall for completed series `series` under `policy` and queues
// its notices; returns its name. A visit for the treatment already booked
// after the course satisfies it at once (its notices then wait cancelled).
absl::StatusOr<std::string> CreateRecall(store::Transaction& tx,
                                         const plugin_host::TreatmentRegistry& registry,
                                         const clinic::v1::RecallPolicy& policy,
                                         const clinic::v1::TreatmentType& type,
                                         const clinic::v1::Series& series,
                                         const outbox::PatientOutbox& outbox, absl::Time now);

// Marks the patient's open recalls for the appointment's treatment satisfied
// by `appointment` (just booked) and cancels their pending notices.
absl::Status SatisfyOpenRecalls(store::Transaction& tx, const std::string& clinic_id,
                                const clinic::v1::Appointment& appointment, absl::Time now);

// Re-opens the recalls `appointment` satisfied (it was cancelled or missed)
// and revives their notices that are still ahead.
absl::Status ReopenRecalls(store::Transaction& tx, const std::string& clinic_id,
                           const clinic::v1::Appointment& appointment, absl::Time now);

// Holds the pending notices of `recall` until `until`: each goes out at its
// planned time (recomputed by the recall plugin) or at `until`, whichever is
// later, so a shorter snooze after a longer one brings notices forward again.
absl::Status SnoozeNotices(store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
                           const clinic::v1::Clinic& clinic, const clinic::v1::Recall& recall,
                           absl::Time until, absl::Time now);

// Moves every open recall whose time has come: upcoming to due (with a
// RECALL_DUE event) and due to lapsed. Returns how many changed.
absl::StatusOr<int> AdvanceRecalls(store::Transaction& tx, absl::Time now);

}  // namespace clinicd::follow_up
