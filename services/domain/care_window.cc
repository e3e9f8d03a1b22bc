#include "services/domain/care_window.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/time_text.h"
#include "services/common/proto_time.h"

namespace clinicd::domain {
absl::Duration BookingHorizon(const clinic::v1::ClinicPolicy& policy) {
  return policy.has_booking_horizon() ? FromProtoDuration(policy.booking_horizon())
                                      : kDefaultBookingHorizon;
}

absl::Duration CheckInLead(const clinic::v1::ClinicPolicy& policy) {
  return policy.has_check_in_lead() ? FromProtoDuration(policy.check_in_lead())
                                    : kDefaultCheckInLead;
}

absl::Status CheckInWindow(const clinic::v1::ClinicPolicy& policy, const absl::TimeZone& zone,
                           absl::Time start, absl::Time end, absl::Time now) {
  const absl::Time opens = start - CheckInLead(policy);
  if (now < opens) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "TOO_EARLY",
        absl::StrCat("check-in for the session at ", LocalTimeText(start, zone), " opens at ",
                     LocalTimeText(opens, zone)),
        {{"earliest_time", Rfc3339Text(opens)}});
  }
  if (now > end) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "TOO_LATE",
        absl::StrCat("the session ended at ", LocalTimeText(end, zone),
                     "; mark it as a no-show, or reschedule it"),
        {{"end_time", Rfc3339Text(end)}});
  }
  return absl::OkStatus();
}

absl::Status CompletionWindow(const absl::TimeZone& zone, absl::Time start, absl::Time now) {
  if (now < start) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "TOO_EARLY",
        absl::StrCat("a session can be completed only once it has started (", LocalTimeText(start, zone),
                     ")"),
        {{"earliest_time", Rfc3339Text(start)}});
  }
  return absl::OkStatus();
}

}  // namespace clinicd::domain
