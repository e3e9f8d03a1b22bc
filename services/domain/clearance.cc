#include "services/domain/clearance.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

namespace {

// The strongest restriction of one kind (DEFERRED or CONTRAINDICATED) found
// so far: the latest until time, or none (only a clinician lifts it), and
// what caused it.
struct Restriction {
  bool found = false;
  bool timed = true;
  absl::Time until = absl::InfinitePast();
  std::vector<std::string> causes;

  void Add(std::optional<absl::Time> lifts, const std::string& cause) {
    found = true;
    if (lifts) {
      until = std::max(until, *lifts);
    } else {
      timed = false;
    }
    if (!cause.empty() && std::find(causes.begin(), causes.end(), cause) == causes.end()) {
      causes.push_back(cause);
    }
  }
};

bool Restricts(ScreeningOutcome outcome) {
  return outcome == clinic::v1::SCREENING_OUTCOME_DEFERRED ||
         outcome == clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED;
}

}  // namespace

Clearance EvaluateClearance(const ClearanceInput& input) {
  Clearance clearance;
  const clinic::v1::TreatmentType& type = *input.type;
  const absl::Time time = input.time;

  const bool consented = std::any_of(
      input.consents.begin(), input.consents.end(), [&](const clinic::v1::Consent& consent) {
        return ConsentStateAt(consent, type, time) == clinic::v1::CONSENT_STATE_ACTIVE;
      });
  if (!consented) {
    AddReason(clearance, "CONSENT_REQUIRED",
              absl::StrCat("no current consent for ", type.display_name(), "; sign form v",
                           type.consent_form().version()));
  }

  const std::vector<clinic::v1::Screening>& screenings = input.screenings;
  Restriction deferred;
  Restriction contraindicated;
  bool review_required = false;
  bool screening_required = false;
  if (screenings.empty()) {
    screening_required = true;
    AddReason(clearance, "SCREENING_REQUIRED",
              absl::StrCat("no screening for ", type.display_name(),
                           "; submit the screening questions before the session"));
  } else {
    const clinic::v1::Screening& latest = screenings.back();
    const absl::Time submitted = FromProtoTime(latest.create_time());
    const bool stale = submitted + kScreeningValidity < time;
    if (stale) {
      screening_required = true;
      AddReason(clearance, "SCREENING_REQUIRED",
                absl::StrCat("the last screening (", Day(submitted),
                             ") is more than 30 days before the session; screen again"));
    }
    // The latest review speaks for its screening and every earlier one.
    int reviewed = -1;
    for (int i = static_cast<int>(screenings.size()) - 1; i >= 0 && reviewed < 0; --i) {
      if (screenings[i].has_review()) reviewed = i;
    }
    if (reviewed >= 0) {
      const clinic::v1::ScreeningReview& review = screenings[reviewed].review();
      if (review.outcome() == clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW) {
        review_required = true;
      } else if (review.outcome() == clinic::v1::SCREENING_OUTCOME_DEFERRED) {
        deferred.Add(std::nullopt, "a clinician's review");
      } else if (review.outcome() == clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED) {
        contraindicated.Add(std::nullopt, "a clinician's review");
      }
    }
    for (int i = reviewed + 1; i < static_cast<int>(screenings.size()); ++i) {
      const clinic::v1::Screening& screening = screenings[i];
      // Dated restrictions hold whatever the screening's age; what is not
      // dated is read only from the latest screening, and a question for a
      // clinician only while that screening still counts.
      const bool is_latest = i + 1 == static_cast<int>(screenings.size());
      auto apply = [&](ScreeningOutcome outcome, std::optional<absl::Time> until,
                       const std::string& cause) {
        if (until && time >= *until) return;  // Lifted by the session's time.
        if (!until && !is_latest) return;
        if (outcome == clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW) {
          if (is_latest && !stale) review_required = true;
        } else if (outcome == clinic::v1::SCREENING_OUTCOME_DEFERRED) {
          deferred.Add(until, cause);
        } else if (outcome == clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED) {
          contraindicated.Add(until, cause);
        }
      };
      if (screening.findings().empty()) {
        apply(screening.outcome(),
              screening.has_until_time() && Restricts(screening.outcome())
                  ? std::optional<absl::Time>(FromProtoTime(screening.until_time()))
                  : std::nullopt,
              "");
      }
      for (const clinic::v1::ScreeningFinding& finding : screening.findings()) {
        apply(finding.outcome(),
              finding.has_until_time()
                  ? std::optional<absl::Time>(FromProtoTime(finding.until_time()))
                  : std::nullopt,
              finding.explanation().empty() ? finding.rule_id() : finding.explanation());
      }
    }
  }
  if (review_required) {
    AddReason(clearance, "REVIEW_REQUIRED",
              "a clinician must review the screening before treatment");
  }
  auto describe = [&](const Restriction& restriction, const char* reason, const char* what) {
    if (!restriction.found) return;
    std::string description =
        restriction.timed
            ? absl::StrCat(what, " until ",
                           absl::FormatTime(absl::RFC3339_sec, restriction.until,
                                            absl::UTCTimeZone()))
            : absl::StrCat(what, " until a clinician reviews the screening again");
    if (!restriction.causes.empty()) {
      absl::StrAppend(&description, " (", absl::StrJoin(restriction.causes, "; "), ")");
    }
    AddReason(clearance, reason, description,
              restriction.timed ? std::optional<absl::Time>(restriction.until) : std::nullopt);
  };
  describe(contraindicated, "CONTRAINDICATED", "not treatable");
  describe(deferred, "DEFERRED", "treatment deferred");

  clearance.set_treatable(clearance.reasons().empty());
  const bool only_time = consented && !screening_required && !review_required &&
                         (!deferred.found || deferred.timed) &&
                         (!contraindicated.found || contraindicated.timed);
  if (!clearance.treatable() && only_time) {
    *clearance.mutable_earliest_treatable_time() =
        ToProtoTime(std::max(deferred.until, contraindicated.until));
  }
  return clearance;
}

Clearance BlockingForBooking(const Clearance& clearance, bool require_consent_at_booking) {
  Clearance blocking;
  bool all_timed = true;
  absl::Time lifts = absl::InfinitePast();
  for (const auto& reason : clearance.reasons()) {
    const bool screening = reason.reason() == "DEFERRED" || reason.reason() == "CONTRAINDICATED";
    const bool consent = reason.reason() == "CONSENT_REQUIRED" && require_consent_at_booking;
    if (!screening && !consent) continue;
    *blocking.add_reasons() = reason;
    if (reason.has_until_time()) {
      lifts = std::max(lifts, FromProtoTime(reason.until_time()));
    } else {
      all_timed = false;
    }
  }
  blocking.set_treatable(blocking.reasons().empty());
  if (!blocking.treatable() && all_timed) {
    *blocking.mutable_earliest_treatable_time() = ToProtoTime(lifts);
  }
  return blocking;
}

}  // namespace clinicd::domain
