#include "services/consent/clearance_query.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/domain/clearance.h"

namespace clinicd::consent {

absl::StatusOr<clinic::v1::Clearance> ClearanceFor(store::Transaction& tx,
                                                   const clinic::v1::TreatmentType& type,
                                                   const std::string& clinic_id,
                                                   const std::string& patient_id, absl::Time time) {
  domain::ClearanceInput input;
  input.type = &type;
  input.time = time;
  absl::StatusOr<store::Statement> consents = tx.Prepare(
      "SELECT data FROM consents WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 ORDER BY sign_time");
  if (!consents.ok()) return consents.status();
  consents->BindText(1, clinic_id).BindText(2, patient_id).BindText(3, type.name());
  while (true) {
    absl::StatusOr<bool> row = consents->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    clinic::v1::Consent consent;
    if (!consent.ParseFromString(consents->ColumnBlob(0))) {
      return absl::InternalError("a stored consent is corrupt");
    }
    input.consents.push_back(std::move(consent));
  }
  absl::StatusOr<store::Statement> screening = tx.Prepare(
      "SELECT data FROM screenings WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 ORDER BY create_time DESC, id DESC LIMIT 1");
  if (!screening.ok()) return screening.status();
  screening->BindText(1, clinic_id).BindText(2, patient_id).BindText(3, type.name());
  absl::StatusOr<bool> row = screening->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    clinic::v1::Screening latest;
    if (!latest.ParseFromString(screening->ColumnBlob(0))) {
      return absl::InternalError("a stored screening is corrupt");
    }
    input.latest_screening = std::move(latest);
  }
  return domain::EvaluateClearance(input);
}

absl::Status ClearanceRefusal(const clinic::v1::Clearance& clearance, absl::string_view what) {
  std::vector<std::string> reasons;
  std::vector<std::string> descriptions;
  for (const auto& reason : clearance.reasons()) {
    reasons.push_back(reason.reason());
    descriptions.push_back(reason.description());
  }
  std::map<std::string, std::string> metadata = {{"reasons", absl::StrJoin(reasons, ",")}};
  // Each reason's own advice, so a client can print one line per reason
  // rather than split the message.
  for (const auto& reason : clearance.reasons()) {
    metadata[absl::StrCat("advice_", reason.reason())] = reason.description();
  }
  if (clearance.has_earliest_treatable_time()) {
    metadata["earliest_treatable_time"] = absl::FormatTime(
        absl::RFC3339_sec, absl::FromUnixSeconds(clearance.earliest_treatable_time().seconds()),
        absl::UTCTimeZone());
  }
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition,
                         reasons.empty() ? "NOT_CLEARED" : reasons.front(),
                         absl::StrCat("cannot ", what, ": ", absl::StrJoin(descriptions, "; ")),
                         metadata);
}

}  // namespace clinicd::consent
