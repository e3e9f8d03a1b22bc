#pragma once

// How enums are stored: appointment states, visit kinds and recall states
// are kept as their clinic.v1 numbers, so a stored row reads back as the
// proto says. The store's SQL names them through these constants (bound as
// parameters or spliced in as the literals below), never as bare numbers in
// feature code; the static_asserts stop a renumbered proto from silently
// changing what a stored row means.

#include <cstdint>

#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/follow_up_service.pb.h"

namespace clinicd::store {

// Appointment states.
inline constexpr int64_t kStoredBooked = 1;
inline constexpr int64_t kStoredCheckedIn = 2;
inline constexpr int64_t kStoredCompleted = 3;
static_assert(clinic::v1::APPOINTMENT_STATE_BOOKED == kStoredBooked);
static_assert(clinic::v1::APPOINTMENT_STATE_CHECKED_IN == kStoredCheckedIn);
static_assert(clinic::v1::APPOINTMENT_STATE_COMPLETED == kStoredCompleted);

// SQL lists of states, for `state IN (...)` inside the store's statements:
// those that hold their time (booked or checked in), and those that count as
// a session taken (also completed).
#define CLINICD_SQL_ACTIVE_STATES "(1, 2)"
#define CLINICD_SQL_COUNTED_STATES "(1, 2, 3)"

// Visit kinds (VISIT_KIND_UNSPECIFIED is stored as a treatment).
inline constexpr int64_t kStoredTreatment = 1;
inline constexpr int64_t kStoredConsultation = 2;
static_assert(clinic::v1::VISIT_KIND_TREATMENT == kStoredTreatment);
static_assert(clinic::v1::VISIT_KIND_CONSULTATION == kStoredConsultation);

// Recall states.
inline constexpr int64_t kStoredRecallUpcoming = 1;
inline constexpr int64_t kStoredRecallDue = 2;
inline constexpr int64_t kStoredRecallSatisfied = 3;
inline constexpr int64_t kStoredRecallLapsed = 4;
inline constexpr int64_t kStoredRecallDismissed = 5;
static_assert(clinic::v1::RECALL_STATE_UPCOMING == kStoredRecallUpcoming);
static_assert(clinic::v1::RECALL_STATE_DUE == kStoredRecallDue);
static_assert(clinic::v1::RECALL_STATE_SATISFIED == kStoredRecallSatisfied);
static_assert(clinic::v1::RECALL_STATE_LAPSED == kStoredRecallLapsed);
static_assert(clinic::v1::RECALL_STATE_DISMISSED == kStoredRecallDismissed);

}  // namespace clinicd::store
