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
#include "services/store/consent_rows.h"
#include "services/store/tables.h"

namespace clinicd::consent {

absl::StatusOr<domain::ClearanceInput> LoadClearanceFacts(
    store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
    const clinic::v1::TreatmentType& type, const std::string& clinic_id,
    const std::string& patient_id, absl::Time time) {
  domain::ClearanceInput input;
  input.type = &type;
  input.time = time;
  absl::StatusOr<std::vector<clinic::v1::Consent>> consents =
      store::ConsentsFor(tx, clinic_id, patient_id, type.name());
  if (!consents.ok()) return consents.status();
  input.consents = *std::move(consents);
  absl::StatusOr<std::vector<clinic::v1::Screening>> screenings =
      store::ScreeningsFor(tx, clinic_id, patient_id, type.name());
  if (!screenings.ok()) return screenings.status();
  for (clinic::v1::Screening& screening : *screenings) {
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
