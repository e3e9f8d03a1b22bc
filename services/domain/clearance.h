#pragma once

// Whether a patient may be treated at a time: a current consent (signed,
// not withdrawn, not expired, not superseded by a form version that needs
// consent again) and a recent screening whose answers, evaluated for that
// time, clear the session — or a clinician's review that does. One pure
// function of those facts and the time; search, booking, moving, check-in
// and GetClearance all ask it, each for the session's own time.
//
// A screening's answers are dated facts ("last isotretinoin dose on ..."):
// the plugin turns them into findings for the time asked, and a finding
// with an until time restricts every session before it. Such a restriction
// never lapses because its screening is old: an old screening asks for a
// new one and its dated restrictions keep applying. Only a clinician's
// review lifts restrictions, for the screening reviewed and every earlier one.

#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "clinic/v1/consent_service.pb.h"
#include "clinic/v1/treatment.pb.h"

namespace clinicd::domain {

// A screening counts for sessions up to this long after it was submitted.
inline constexpr absl::Duration kScreeningValidity = absl::Hours(24 * 30);

// The state a consent is in at `time`: WITHDRAWN, EXPIRED, SUPERSEDED (its
// form version is not the current one and the current one needs consent
// again) or ACTIVE.
clinic::v1::ConsentState ConsentStateAt(const clinic::v1::Consent& consent,
                                        const clinic::v1::TreatmentType& type, absl::Time time);

// The form version a consent was signed for (the last part of its
// consent_form name).
std::string FormVersionOf(const clinic::v1::Consent& consent);

// Everything that decides clearance for one patient and treatment type.
struct ClearanceInput {
  const clinic::v1::TreatmentType* type = nullptr;
  std::vector<clinic::v1::Consent> consents;
  // The patient's screenings for the type, oldest first, each with the
  // findings (outcome, until_time, findings) of its answers evaluated for
  // `time` or for an earlier time (a timed finding that has lifted by `time`
  // is then ignored here). A screening without findings counts by its
  // outcome and until_time.
  std::vector<clinic::v1::Screening> screenings;
  absl::Time time;
};

// Treatable or not at input.time, every reason (CONSENT_REQUIRED,
// SCREENING_REQUIRED, REVIEW_REQUIRED, DEFERRED, CONTRAINDICATED), and the
// earliest treatable time when only time stands in the way.
clinic::v1::Clearance EvaluateClearance(const ClearanceInput& input);

// The part of `clearance` that refuses a booking: screening restrictions
// (DEFERRED, CONTRAINDICATED) always, a missing consent only when the clinic
// asks for consent at booking. What only check-in needs (a fresh screening,
// a review) can still be done before the session. The earliest time is set
// when every blocking reason lifts by itself.
clinic::v1::Clearance BlockingForBooking(const clinic::v1::Clearance& clearance,
                                         bool require_consent_at_booking);

}  // namespace clinicd::domain
