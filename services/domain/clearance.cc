#include "services/domain/clearance.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"

namespace clinicd::domain {
namespace {

using clinic::v1::Clearance;
using clinic::v1::ScreeningOutcome;

void AddReason(Clearance& clearance, const char* reason, const std::string& description,
               std::optional<absl::Time> until = std::nullopt) {
  clinic::v1::ClearanceReason* r = clearance.add_reasons();
  r->set_reason(reason);
  r->set_description(description);
  if (until) *r->mutable_until_time() = ToProtoTime(*until);
}

std::string Day(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d", time, absl::UTCTimeZone());
}

}  // namespace

std::string FormVersionOf(const clinic::v1::Consent& consent) {
  const std::string& form = consent.consent_form();
  return form.substr(form.rfind('/') + 1);
}

clinic::v1::ConsentState ConsentStateAt(const clinic::v1::Consent& consent,
                                        const clinic::v1::TreatmentType& type, absl::Time time) {
  if (consent.has_withdraw_time()) return clinic::v1::CONSENT_STATE_WITHDRAWN;
  if (consent.has_expire_time() && FromProtoTime(consent.expire_time()) <= time) {
    return clinic::v1::CONSENT_STATE_EXPIRED;
  }
  const auto& form = type.consent_form();
  if (FormVersionOf(consent) != form.version() && form.requires_reconsent()) {
    return clinic::v1::CONSENT_STATE_SUPERSEDED;
  }
  return clinic::v1::CONSENT_STATE_ACTIVE;
}

Clearance EvaluateClearance(const ClearanceInput& input) {
  Clearance clearance;
  const clinic::v1::TreatmentType& type = *input.type;
  bool needs_action = false;
  std::optional<absl::Time> lifts;

  const bool consented = std::any_of(
      input.consents.begin(), input.consents.end(), [&](const clinic::v1::Consent& consent) {
        return ConsentStateAt(consent, type, input.time) == clinic::v1::CONSENT_STATE_ACTIVE;
      });
  if (!consented) {
    needs_action = true;
    AddReason(clearance, "CONSENT_REQUIRED",
              absl::StrCat("no current consent for ", type.display_name(), "; sign form v",
                           type.consent_form().version()));
  }

  if (!input.latest_screening) {
    needs_action = true;
    AddReason(clearance, "SCREENING_REQUIRED",
              absl::StrCat("no screening for ", type.display_name(),
                           "; submit the screening questions before the session"));
  } else {
    const clinic::v1::Screening& screening = *input.latest_screening;
    const absl::Time submitted = FromProtoTime(screening.create_time());
    ScreeningOutcome outcome =
        screening.has_review() ? screening.review().outcome() : screening.outcome();
    if (submitted + kScreeningValidity < input.time) {
      needs_action = true;
      AddReason(clearance, "SCREENING_REQUIRED",
                absl::StrCat("the last screening (", Day(submitted),
                             ") is more than 30 days before the session; screen again"));
    } else if (outcome == clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW) {
      needs_action = true;
      AddReason(clearance, "REVIEW_REQUIRED",
                "a clinician must review the screening before treatment");
    } else if (outcome == clinic::v1::SCREENING_OUTCOME_DEFERRED ||
               outcome == clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED) {
      const bool timed = screening.has_until_time();
      const absl::Time until = timed ? FromProtoTime(screening.until_time()) : absl::InfiniteFuture();
      if (input.time < until) {
        const bool contraindicated = outcome == clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED;
        if (timed) {
          lifts = until;
        } else {
          needs_action = true;
        }
        AddReason(clearance, contraindicated ? "CONTRAINDICATED" : "DEFERRED",
                  timed ? absl::StrCat(contraindicated ? "not treatable" : "treatment deferred",
                                       " until ", absl::FormatTime(absl::RFC3339_sec, until,
                                                                   absl::UTCTimeZone()))
                        : "not treatable until a clinician reviews the screening again",
                  timed ? std::optional<absl::Time>(until) : std::nullopt);
      }
    }
  }
  clearance.set_treatable(clearance.reasons().empty());
  if (!clearance.treatable() && !needs_action && lifts) {
    *clearance.mutable_earliest_treatable_time() = ToProtoTime(*lifts);
  }
  return clearance;
}

}  // namespace clinicd::domain
