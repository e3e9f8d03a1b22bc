#include "services/consent/consent_kinds.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clinic/v1/practice_service.pb.h"
#include "clinicd/protocol_rules.h"
#include "services/common/digest.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/consent/consent_effects.h"
#include "services/consent/signature_image.h"
#include "services/domain/schedule.h"
#include "services/resources/load_resource.h"
#include "services/store/tables.h"

namespace clinicd::consent {
namespace {

using clinic::v1::Consent;
using clinic::v1::Screening;

constexpr size_t kMaxSignatureBytes = 512 * 1024;

absl::StatusOr<absl::TimeZone> ClinicZone(store::Transaction& tx, const std::string& clinic_id) {
  absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
      tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
  if (!clinic.ok()) return clinic.status();
  return domain::ClinicTimeZone(*clinic);
}

// Checks who signed and how; records violations.
void CheckSignature(FieldViolations& v, const Consent& consent) {
  if (consent.signer_kind() == clinic::v1::SIGNER_KIND_UNSPECIFIED) {
    v.Add("consent.signer_kind", "must be PATIENT or GUARDIAN");
  }
  if (consent.signer_name().find_first_not_of(" \t") == std::string::npos) {
    v.Add("consent.signer_name", "is required: the signer's full name");
  }
  if (consent.signer_kind() == clinic::v1::SIGNER_KIND_GUARDIAN &&
      consent.signer_relationship().empty()) {
    v.Add("consent.signer_relationship", "is required when a guardian signs");
  }
  switch (consent.method()) {
    case clinic::v1::SIGNATURE_METHOD_TYPED_NAME:
      break;
    case clinic::v1::SIGNATURE_METHOD_DRAWN:
      if (consent.signature_image().empty() ||
          consent.signature_image().size() > kMaxSignatureBytes) {
        v.Add("consent.signature_image",
              "must be a PNG image of at most 512 KiB for a drawn signature");
      } else {
        v.AddIfError("consent.signature_image",
                     DecodeSignaturePng(consent.signature_image()).status());
      }
      break;
    case clinic::v1::SIGNATURE_METHOD_VERBAL:
      if (consent.witness().empty()) v.Add("consent.witness", "is required for verbal consent");
      break;
    default:
      v.Add("consent.method", "must be TYPED_NAME, DRAWN or VERBAL");
  }
}

}  // namespace

clinic::v1::ConsentForm CurrentForm(const clinic::v1::TreatmentType& type) {
  clinic::v1::ConsentForm form;
  form.set_name(absl::StrCat(type.name(), "/consentForms/", type.consent_form().version()));
  form.set_version(type.consent_form().version());
  form.set_text(type.consent_form().text());
  form.set_text_sha256(Sha256Hex(type.consent_form().text()));
  form.set_current(true);
  return form;
}

resources::ResourceKind<Consent> ConsentKind(const plugin_host::TreatmentRegistry& registry) {
  resources::ResourceKind<Consent> kind;
  kind.field = "consent";
  kind.collections = {"clinics", "patients", "consents"};
  kind.table = store::kConsentsTable;
  kind.parent_table = store::kPatientsTable;
  kind.order = {"sign_time", /*integer=*/true};
  kind.after_write = [&registry](store::Transaction& tx, absl::Time now, const std::vector<std::string>& scope,
                                 const clinic::v1::Consent* previous,
                                 const clinic::v1::Consent& consent) {
    return ApplyConsentEffects(tx, registry, scope, now, previous, consent);
  };
  kind.validate = [&registry](store::Transaction& tx, absl::Time now, const std::vector<std::string>& scope,
                              const Consent* previous, Consent& consent) -> absl::Status {
    if (previous != nullptr) return absl::OkStatus();  // Withdrawal only.
    FieldViolations v;
    std::vector<absl::string_view> pattern = {"treatmentTypes", "consentForms"};
    absl::StatusOr<std::vector<std::string>> form_ids =
        ParseResourceName("consent.consent_form", consent.consent_form(), pattern);
    const clinic::v1::TreatmentType* type =
        form_ids.ok() ? registry.FindTreatmentType(absl::StrCat("treatmentTypes/", (*form_ids)[0]))
                      : nullptr;
    if (type == nullptr) {
      v.Add("consent.consent_form", "must name a form of a loaded treatment type "
                                    "(treatmentTypes/{treatment_type}/consentForms/{version})");
    }
    CheckSignature(v, consent);
    if (!consent.witness().empty()) {
      std::vector<absl::string_view> staff = {"clinics", "practitioners"};
      absl::StatusOr<std::vector<std::string>> witness =
          ParseResourceName("consent.witness", consent.witness(), staff);
      if (!witness.ok() || (*witness)[0] != scope[0]) {
        v.Add("consent.witness", absl::StrCat("must be a practitioner of clinics/", scope[0]));
      } else if (absl::Status s = resources::LoadResource<clinic::v1::Practitioner>(
                                      tx, store::kPractitionersTable, {scope[0]}, (*witness)[1],
                                      consent.witness())
                                      .status();
                 !s.ok()) {
        return s;
      }
    }
    if (!v.empty()) return v.ToStatus();
    const clinic::v1::ConsentForm current = CurrentForm(*type);
    if ((*form_ids)[1] != current.version()) {
      return ErrorWithReason(
          absl::StatusCode::kFailedPrecondition, "FORM_VERSION_NOT_CURRENT",
          absl::StrCat("consent.consent_form: version ", (*form_ids)[1], " is not the current form; ",
                       "show and sign ", current.name()),
          {{"current_form", current.name()}});
    }
    if (consent.text_sha256() != current.text_sha256()) {
      return ErrorWithReason(
          absl::StatusCode::kFailedPrecondition, "TEXT_MISMATCH",
          absl::StrCat("consent.text_sha256 does not match the text of ", current.name(),
                       "; show the patient the form's exact text"),
          {{"text_sha256", current.text_sha256()}});
    }
    absl::StatusOr<absl::TimeZone> zone = ClinicZone(tx, scope[0]);
    if (!zone.ok()) return zone.status();
    *consent.mutable_sign_time() = ToProtoTime(now);
    *consent.mutable_expire_time() =
        ToProtoTime(protocol::AddPeriod(now, type->consent_form().validity(), *zone));
    consent.set_state(clinic::v1::CONSENT_STATE_ACTIVE);
    consent.set_form_text(current.text());
    consent.clear_withdraw_time();
    consent.clear_withdraw_reason();
    return absl::OkStatus();
  };
  kind.columns = [](const Consent& consent) {
    const std::string& form = consent.consent_form();
    return std::vector<store::Column>{
        {"treatment_type", form.substr(0, form.find("/consentForms/"))},
        {"sign_time", ProtoTimeMicros(consent.sign_time())}};
  };
  kind.delete_blocked = "signed consents are kept";
  return kind;
}

resources::ResourceKind<Screening> ScreeningKind(const plugin_host::TreatmentRegistry& registry) {
  resources::ResourceKind<Screening> kind;
  kind.field = "screening";
  kind.collections = {"clinics", "patients", "screenings"};
  kind.table = store::kScreeningsTable;
  kind.parent_table = store::kPatientsTable;
  kind.order = {"create_time", /*integer=*/true};
  kind.validate = [&registry](store::Transaction& tx, absl::Time now, const std::vector<std::string>& scope,
                              const Screening* previous, Screening& screening) -> absl::Status {
    if (previous != nullptr) return absl::OkStatus();  // Review only.
    const clinic::v1::TreatmentType* type = registry.FindTreatmentType(screening.treatment_type());
    if (type == nullptr) {
      return InvalidField("screening.treatment_type",
                          "must be a treatment type a loaded plugin provides");
    }
    absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
        tx, store::kClinicsTable, {}, scope[0], absl::StrCat("clinics/", scope[0]));
    if (!clinic.ok()) return clinic.status();
    // Answers are dated facts that have happened (a last dose, a peel); a date
    // still to come is a typo that would hide a restriction.
    FieldViolations violations;
    for (int i = 0; i < screening.answers_size(); ++i) {
      const clinic::v1::ScreeningAnswer& answer = screening.answers(i);
      if (answer.has_time() && !IsValidTimestamp(answer.time())) {
        violations.Add(absl::StrCat("screening.answers[", i, "].time"),
                       "must be a valid timestamp");
      } else if (answer.has_time() && FromProtoTime(answer.time()) > now) {
        violations.Add(absl::StrCat("screening.answers[", i, "].time"),
                       absl::StrCat("must not be in the future (`", answer.question_id(),
                                    "` asks when something last happened)"));
      }
    }
    if (screening.has_evaluate_time() && !IsValidTimestamp(screening.evaluate_time())) {
      violations.Add("screening.evaluate_time", "must be a valid timestamp");
    }
    if (!violations.empty()) return violations.ToStatus();
    if (!screening.has_evaluate_time()) *screening.mutable_evaluate_time() = ToProtoTime(now);
    clinicd::plugin::v1::EvaluateScreeningRequest request;
    *request.mutable_treatment_type() = *type;
    *request.mutable_answers() = screening.answers();
    *request.mutable_session_time() = screening.evaluate_time();
    request.set_time_zone(clinic->time_zone());
    absl::StatusOr<clinicd::plugin::v1::EvaluateScreeningResponse> result =
        registry.EvaluateScreening(request);
    if (absl::IsInvalidArgument(result.status())) {
      return InvalidField("screening.answers", std::string(result.status().message()));
    }
    if (!result.ok()) return result.status();
    screening.set_outcome(result->outcome());
    screening.clear_until_time();
    if (result->has_until_time()) *screening.mutable_until_time() = result->until_time();
    *screening.mutable_findings() = result->findings();
    screening.clear_review();
    return absl::OkStatus();
  };
  kind.columns = [](const Screening& screening) {
    return std::vector<store::Column>{{"treatment_type", screening.treatment_type()},
                                      {"create_time", ProtoTimeMicros(screening.create_time())}};
  };
  return kind;
}

}  // namespace clinicd::consent
