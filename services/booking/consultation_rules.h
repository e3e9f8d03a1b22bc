#pragma once

// Consultation first: a protocol may require that a qualified professional
// assesses the patient's skin before their first session of its treatment
// (ConsultationRule.required; microneedling does). Booking that first
// session needs a consultation booked before it that has not found the
// patient unsuitable; checking in to it needs that consultation's outcome
// recorded as suitable. Refusals are FAILED_PRECONDITION with reason
// CONSULTATION_REQUIRED and advice naming what to do.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/treatment.pb.h"
#include "services/store/transaction.h"

namespace clinicd::booking {

// Checks treatment session `appointment` of `type` in clinic `clinic_id`:
// for booking, or for check-in (`at_check_in`).
absl::Status CheckConsultationFirst(store::Transaction& tx, const clinic::v1::TreatmentType& type,
                                    const std::string& clinic_id,
                                    const clinic::v1::Appointment& appointment, bool at_check_in,
                                    const absl::TimeZone& zone);

}  // namespace clinicd::booking
