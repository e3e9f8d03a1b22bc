#pragma once

// Whether a patient may be treated at a time: a current consent (signed,
// not withdrawn, not expired, not superseded by a form version that needs
// consent again) and a recent screening whose outcome — or a clinician's
// review of it — clears the session. One function; booking, check-in and
// GetClearance all ask it.

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
  std::optional<clinic::v1::Screening> latest_screening;
  absl::Time time;
};

// Treatable or not at input.time, every reason (CONSENT_REQUIRED,
// SCREENING_REQUIRED, REVIEW_REQUIRED, DEFERRED, CONTRAINDICATED), and the
// earliest treatable time when only time stands in the way.
clinic::v1::Clearance EvaluateClearance(const ClearanceInput& input);

}  // namespace clinicd::domain
