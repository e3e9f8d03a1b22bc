#include "services/consent/clearance_query.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "clinic/v1/practice_service.pb.h"
#include "services/common/proto_time.h"
#include "services/domain/clearance.h"
#include "services/domain/clearance_refusal.h"
#include "services/resources/load_resource.h"
#include "services/store/tables.h"

namespace clinicd::consent {

absl::StatusOr<domain::ClearanceInput> LoadClearanceFacts(
    store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
    const clinic::v1::TreatmentType& type, const std::string& clinic_id,
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
  absl::StatusOr<store::Statement> screenings = tx.Prepare(
      "SELECT data FROM screenings WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 ORDER BY create_time, id");
  if (!screenings.ok()) return screenings.status();
  screenings->BindText(1, clinic_id).BindText(2, patient_id).BindText(3, type.name());
  while (true) {
    absl::StatusOr<bool> row = screenings->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    clinic::v1::Screening screening;
    if (!screening.ParseFromString(screenings->ColumnBlob(0))) {
      return absl::InternalError("a stored screening is corrupt");
    }
    // A review speaks for every screening before it: those need no evaluation.
    if (screening.has_review()) input.screenings.clear();
    input.screenings.push_back(std::move(screening));
  }
  if (input.screenings.empty()) return input;

  absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
      tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
  if (!clinic.ok()) return clinic.status();
  // The stored outcome was for the time the answers were submitted for; the
  // answers themselves are evaluated again for this session.
  for (clinic::v1::Screening& screening : input.screenings) {
    clinicd::plugin::v1::EvaluateScreeningRequest request;
    *request.mutable_treatment_type() = type;
    *request.mutable_answers() = screening.answers();
    *request.mutable_session_time() = ToProtoTime(time);
    request.set_time_zone(clinic->time_zone());
    absl::StatusOr<clinicd::plugin::v1::EvaluateScreeningResponse> result =
        registry.EvaluateScreening(request);
    if (!result.ok()) {
      return absl::InternalError(absl::StrCat("re-evaluating ", screening.name(), " for ",
                                              type.name(), ": ", result.status().message()));
    }
    screening.set_outcome(result->outcome());
    screening.clear_until_time();
    if (result->has_until_time()) *screening.mutable_until_time() = result->until_time();
    *screening.mutable_findings() = result->findings();
    *screening.mutable_evaluate_time() = ToProtoTime(time);
  }
  return input;
}

absl::StatusOr<clinic::v1::Clearance> ClearanceFor(store::Transaction& tx,
                                                   const plugin_host::TreatmentRegistry& registry,
                                                   const clinic::v1::TreatmentType& type,
                                                   const std::string& clinic_id,
                                                   const std::string& patient_id, absl::Time time) {
  absl::StatusOr<domain::ClearanceInput> facts =
      LoadClearanceFacts(tx, registry, type, clinic_id, patient_id, time);
  if (!facts.ok()) return facts.status();
  return domain::EvaluateClearance(*facts);
}

absl::Status ClearanceRefusal(const clinic::v1::Clearance& clearance, absl::string_view what) {
  return domain::ClearanceRefusal(clearance, what);
}

}  // namespace clinicd::consent
