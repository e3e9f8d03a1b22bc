#pragma once

// The rules an appointment must satisfy, checked inside the write
// transaction that stores it, so no concurrent booking can slip between the
// check and the insert: names in the clinic, a qualified active
// practitioner, a suitable active room, inside working hours and not in time
// off or a closure, no overlap for practitioner, room or patient, and the
// treatment's spacing between sessions. Each refusal carries an ErrorInfo
// reason and metadata the front desk can act on.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/practice_service.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/transaction.h"

namespace clinicd::booking {

// How long a session of `type` blocks its practitioner, and how much longer
// its room.
struct SessionLength {
  absl::Duration session;
  absl::Duration turnaround;
};
SessionLength LengthOf(const clinic::v1::TreatmentType& type, clinic::v1::VisitKind kind,
                       bool numbing);

// The room capabilities a visit of `kind` needs: the treatment's for a
// session, none for a consultation.
std::vector<std::string> RoomNeeds(const clinic::v1::TreatmentType& type,
                                   clinic::v1::VisitKind kind);

// Checks `appointment` (state BOOKED; start, practitioner, room and numbing
// as requested) against every rule for clinic `clinic_id`, and fills in its
// end time. `now` is the earliest allowed start.
absl::Status CheckBookable(store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
                           const std::string& clinic_id, absl::Time now,
                           clinic::v1::Appointment& appointment);

// Start times of the patient's treatment sessions of `type` that count for
// spacing (booked, checked in or completed; not consultations), except
// appointment `exclude_id`.
absl::StatusOr<std::vector<absl::Time>> LoadSessionTimes(store::Transaction& tx,
                                                         const std::string& clinic_id,
                                                         const std::string& patient_id,
                                                         const std::string& type,
                                                         const std::string& exclude_id);

// The earliest start at or after `wanted` that keeps the treatment's minimum
// spacing (the shortest any indication allows) from every one of `sessions`
// (sorted), or `wanted` itself.
absl::Time EarliestSpaced(const clinic::v1::TreatmentType& type, const absl::TimeZone& zone,
                          const std::vector<absl::Time>& sessions, absl::Time wanted);

// What a booking rule needs of its clinic: the policy and the time zone.
struct ClinicSettings {
  clinic::v1::ClinicPolicy policy;
  absl::TimeZone zone;
};
absl::StatusOr<ClinicSettings> LoadClinicSettings(store::Transaction& tx,
                                                  const std::string& clinic_id);

// The UPPER_SNAKE name of a state, as errors show it.
std::string StateName(clinic::v1::AppointmentState state);

}  // namespace clinicd::booking
