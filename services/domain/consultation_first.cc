#include "services/domain/consultation_first.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/time_text.h"

namespace clinicd::domain {
namespace {

absl::Status ConsultationRequired(const std::string& message, const std::string& advice) {
  return ErrorWithReason(
      absl::StatusCode::kFailedPrecondition, "CONSULTATION_REQUIRED", message,
      {{"reasons", "CONSULTATION_REQUIRED"}, {"advice_CONSULTATION_REQUIRED", advice}});
}

}  // namespace

ConsultationGap FindConsultationGap(const clinic::v1::TreatmentType& type, bool had_session_before,
                                    const ConsultationFact* latest, bool at_check_in) {
  if (!type.consultation_visit().required() || had_session_before) return ConsultationGap::kNone;
  if (latest == nullptr) return ConsultationGap::kNoConsultation;
  if (latest->recorded && !latest->suitable) return ConsultationGap::kFoundUnsuitable;
  if (at_check_in && !latest->recorded) return ConsultationGap::kNoOutcome;
  return ConsultationGap::kNone;
}

absl::Status ConsultationRefusal(ConsultationGap gap, const clinic::v1::TreatmentType& type,
                                 const ConsultationFact* latest, const absl::TimeZone& zone) {
  const std::string book_one = absl::StrCat("book a consultation (kind CONSULTATION) for ",
                                            type.display_name(), " before this session");
  switch (gap) {
    case ConsultationGap::kNone:
      return absl::OkStatus();
    case ConsultationGap::kNoConsultation:
      return ConsultationRequired(
          absl::StrCat("a first session of ", type.display_name(),
                       " needs a consultation before it; the patient has none booked"),
          book_one);
    case ConsultationGap::kFoundUnsuitable:
      return ConsultationRequired(
          absl::StrCat("the consultation on ", LocalTimeText(latest->start, zone),
                       " found the patient not suitable for ", type.display_name()),
          absl::StrCat("a clinician must find the patient suitable first; ", book_one));
    case ConsultationGap::kNoOutcome:
      return ConsultationRequired(
          absl::StrCat("the consultation on ", LocalTimeText(latest->start, zone),
                       " has no outcome recorded"),
          absl::StrCat("the clinician records its outcome (RecordConsultationOutcome) "
                       "before the first session: ",
                       latest->name));
  }
  return absl::OkStatus();
}

const ConsultationFact* LatestConsultationBefore(const std::vector<ConsultationFact>& consultations,
                                                 absl::Time start) {
  const auto after =
      std::lower_bound(consultations.begin(), consultations.end(), start,
                       [](const ConsultationFact& c, absl::Time t) { return c.start < t; });
  return after == consultations.begin() ? nullptr : &*(after - 1);
}

}  // namespace clinicd::domain
