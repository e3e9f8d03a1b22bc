#pragma once

// Consultation first: a protocol may require that a qualified professional
// assesses the patient's skin before their first session of its treatment
// (ConsultationRule.required; microneedling does). Booking that first
// session needs a consultation booked before it that has not found the
// patient unsuitable; checking in to it needs that consultation's outcome
// recorded as suitable. Refusals are FAILED_PRECONDITION with reason
// CONSULTATION_REQUIRED and advice naming what to do.

#include <optional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clinic/v1/treatment.pb.h"
#include "services/domain/booking_context.h"

namespace clinicd::domain {

// What stands between the patient and a first session, if anything.
enum class ConsultationGap { kNone, kNoConsultation, kFoundUnsuitable, kNoOutcome };

// The gap for a treatment session of `type`: `had_session_before` when the
// patient had a session of it before this one (then it is no first one),
// `latest` their latest consultation for it before the session.
ConsultationGap FindConsultationGap(const clinic::v1::TreatmentType& type, bool had_session_before,
                                    const ConsultationFact* latest, bool at_check_in);

// The refusal for `gap` (OK for kNone).
absl::Status ConsultationRefusal(ConsultationGap gap, const clinic::v1::TreatmentType& type,
                                 const ConsultationFact* latest, const absl::TimeZone& zone);

// The latest of `consultations` (sorted by start) that starts before `start`, or null.
const ConsultationFact* LatestConsultationBefore(const std::vector<ConsultationFact>& consultations,
                                                 absl::Time start);

}  // namespace clinicd::domain
