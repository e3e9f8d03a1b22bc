#pragma once

#include "clinic/v1/booking_service.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/resources/resource_kind.h"

namespace clinicd::booking {

// clinics/{clinic}/appointments/{appointment}, listed by start time. A new
// appointment is BOOKED after every booking rule passed; a change of time,
// practitioner, room or numbing re-checks them (BOOKED appointments only).
resources::ResourceKind<clinic::v1::Appointment> AppointmentKind(
    const plugin_host::TreatmentRegistry& registry);

// Moves `appointment` to state `to` when it is in one of `from`; otherwise
// FAILED_PRECONDITION (INVALID_STATE_TRANSITION) naming both states.
absl::Status Transition(clinic::v1::Appointment& appointment,
                        std::initializer_list<clinic::v1::AppointmentState> from,
                        clinic::v1::AppointmentState to);

}  // namespace clinicd::booking
