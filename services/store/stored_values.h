#pragma once

// How enums are stored: appointment states, visit kinds, recall states (and,
// in their own tables' files, notification and event kinds) are kept as their
// clinic.v1 numbers, so a stored row reads back as the
// proto says. The store's SQL names them through these constants (bound as
// parameters or spliced in as the literals below), never as bare numbers in
// feature code; the static_asserts stop a renumbered proto from silently
// changing what a stored row means.

#include <cstdint>
#include <iterator>

#include "absl/strings/string_view.h"

#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/follow_up_service.pb.h"
#include "clinic/v1/notification_service.pb.h"

namespace clinicd::store {

// Appointment states.
inline constexpr int64_t kStoredBooked = 1;
inline constexpr int64_t kStoredCheckedIn = 2;
inline constexpr int64_t kStoredCompleted = 3;
static_assert(clinic::v1::APPOINTMENT_STATE_BOOKED == kStoredBooked);
static_assert(clinic::v1::APPOINTMENT_STATE_CHECKED_IN == kStoredCheckedIn);
static_assert(clinic::v1::APPOINTMENT_STATE_COMPLETED == kStoredCompleted);

// The same numbers as SQL literals, for conditions that partial indexes
// (`WHERE state IN (1, 2)`) must see spelt out rather than bound; each is
// checked against its constant by SqlLiteralIs below.
#define CLINICD_SQL_BOOKED "1"
#define CLINICD_SQL_COMPLETED "3"

// SQL lists of states, for `state IN (...)` inside the store's statements:
// those that hold their time (booked or checked in), and those that count as
// a session taken (also completed).
#define CLINICD_SQL_ACTIVE_STATES "(1, 2)"
#define CLINICD_SQL_COUNTED_STATES "(1, 2, 3)"

// Visit kinds (VISIT_KIND_UNSPECIFIED is stored as a treatment).
inline constexpr int64_t kStoredTreatment = 1;
inline constexpr int64_t kStoredConsultation = 2;
#define CLINICD_SQL_TREATMENT "1"
#define CLINICD_SQL_CONSULTATION "2"
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
#define CLINICD_SQL_RECALL_UPCOMING "1"
#define CLINICD_SQL_RECALL_SATISFIED "3"
#define CLINICD_SQL_RECALL_LAPSED "4"
// Open recalls (upcoming or due), as the partial index recalls_open_by_patient says.
#define CLINICD_SQL_OPEN_RECALL_STATES "(1, 2)"

// True when `literal` is the decimal spelling of `value`: ties each SQL
// literal above to its constant at compile time.
constexpr bool SqlLiteralIs(const char* literal, int64_t value) {
  int64_t parsed = 0;
  for (; *literal != '\0'; ++literal) {
    if (*literal < '0' || *literal > '9') return false;
    parsed = parsed * 10 + (*literal - '0');
  }
  return parsed == value;
}
static_assert(SqlLiteralIs(CLINICD_SQL_BOOKED, kStoredBooked));
static_assert(SqlLiteralIs(CLINICD_SQL_COMPLETED, kStoredCompleted));
static_assert(SqlLiteralIs(CLINICD_SQL_TREATMENT, kStoredTreatment));
static_assert(SqlLiteralIs(CLINICD_SQL_CONSULTATION, kStoredConsultation));
static_assert(SqlLiteralIs(CLINICD_SQL_RECALL_UPCOMING, kStoredRecallUpcoming));
static_assert(SqlLiteralIs(CLINICD_SQL_RECALL_SATISFIED, kStoredRecallSatisfied));
static_assert(SqlLiteralIs(CLINICD_SQL_RECALL_LAPSED, kStoredRecallLapsed));

// Notification states are stored as lower-case words, which the partial
// indexes notifications_pending and notifications_leased spell out; kinds and
// channels as their clinic.v1 numbers. Indexed by NotificationState.
inline constexpr absl::string_view kStoredNotificationStates[] = {
    "", "pending", "leased", "delivered", "failed", "cancelled", "suppressed"};
static_assert(clinic::v1::NOTIFICATION_STATE_PENDING == 1);
static_assert(clinic::v1::NOTIFICATION_STATE_LEASED == 2);
static_assert(clinic::v1::NOTIFICATION_STATE_DELIVERED == 3);
static_assert(clinic::v1::NOTIFICATION_STATE_FAILED == 4);
static_assert(clinic::v1::NOTIFICATION_STATE_CANCELLED == 5);
static_assert(clinic::v1::NOTIFICATION_STATE_SUPPRESSED == 6);
static_assert(clinic::v1::NotificationState_ARRAYSIZE == std::size(kStoredNotificationStates));
#define CLINICD_SQL_PENDING "'pending'"
#define CLINICD_SQL_LEASED "'leased'"
#define CLINICD_SQL_CANCELLED "'cancelled'"

// The stored word of a valid notification state.
inline absl::string_view StoredNotificationState(clinic::v1::NotificationState state) {
  return kStoredNotificationStates[state];
}

// The state a stored word names; UNSPECIFIED for a word no state has.
inline clinic::v1::NotificationState NotificationStateFromStored(absl::string_view word) {
  for (int i = 1; i < static_cast<int>(std::size(kStoredNotificationStates)); ++i) {
    if (kStoredNotificationStates[i] == word) return static_cast<clinic::v1::NotificationState>(i);
  }
  return clinic::v1::NOTIFICATION_STATE_UNSPECIFIED;
}

}  // namespace clinicd::store
