#pragma once

// A series' sessions as planned now. The sessions a series has taken are the
// appointments that name it and still count (booked, checked in or
// completed), in time order; the treatment's plugin plans the windows of the
// rest from them, so moving, missing or cancelling a session re-plans every
// later one.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/follow_up_service.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/transaction.h"

namespace clinicd::follow_up {

// An appointment that fills a session of a series.
struct TakenSession {
  std::string appointment;  // resource name
  clinic::v1::AppointmentState state = clinic::v1::APPOINTMENT_STATE_UNSPECIFIED;
  absl::Time start;
};

// The appointments of series `series_id` that count as its sessions, by
// start time; `exclude_appointment` (an id) is left out.
absl::StatusOr<std::vector<TakenSession>> LoadTakenSessions(store::Transaction& tx,
                                                            const std::string& clinic_id,
                                                            const std::string& series_id,
                                                            const std::string& exclude_appointment = "");

// The indication `id` of `type`, or null.
const clinic::v1::Indication* FindIndication(const clinic::v1::TreatmentType& type,
                                             const std::string& id);

// Fills series.sessions and series.state from `taken` (a prefix of the
// course): taken sessions carry their appointment and its time as their
// window; the rest get windows from the plugin, the first session's from the
// series' creation for as long as the rule's longest spacing. A cancelled
// series stays cancelled.
absl::Status PlanSessions(const plugin_host::TreatmentRegistry& registry,
                          const clinic::v1::TreatmentType& type, const absl::TimeZone& zone,
                          const std::vector<TakenSession>& taken, clinic::v1::Series& series);

// The first session without an appointment, or null when every session is taken.
const clinic::v1::SeriesSession* NextOpenSession(const clinic::v1::Series& series);

}  // namespace clinicd::follow_up
