#include "services/consent/consent_effects.h"

#include "absl/strings/str_cat.h"
#include "clinic/v1/booking_service.pb.h"
#include "services/common/proto_time.h"
#include "services/outbox/event_log.h"
#include "services/outbox/patient_messages.h"
#include "services/resources/load_resource.h"
#include "services/resources/resource_fields.h"
#include "services/store/tables.h"
#include "services/store/treatment_history_rows.h"

namespace clinicd::consent {
namespace {

// The treatment type a consent form name belongs to.
std::string TreatmentOf(const clinic::v1::Consent& consent) {
  const std::string& form = consent.consent_form();
  return form.substr(0, form.find("/consentForms/"));
}

// Flags the patient's future BOOKED sessions (not consultations) of `type` as having lost
// their consent; returns them.
absl::StatusOr<std::vector<clinic::v1::Appointment>> FlagFutureAppointments(
    store::Transaction& tx, const std::string& clinic_id, const std::string& patient_id,
    const std::string& type, absl::Time now) {
  absl::StatusOr<std::vector<store::ResourceRow>> rows =
      store::BookedSessionsAfter(tx, {clinic_id, patient_id, type}, now);
  if (!rows.ok()) return rows.status();
  std::vector<clinic::v1::Appointment> flagged;
  for (store::ResourceRow& row : *rows) {
    clinic::v1::Appointment& appointment = flagged.emplace_back();
    if (!appointment.ParseFromString(row.data)) return absl::InternalError("corrupt appointment");
    appointment.set_consent_withdrawn(true);
    *appointment.mutable_update_time() = ToProtoTime(now);
    row.data = resources::StoredBytes(appointment);
    if (absl::Status s = store::UpdateRow(tx, store::kAppointmentsTable, {clinic_id}, row, {});
        !s.ok()) {
      return s;
    }
  }
  return flagged;
}

// Tells the front desk which sessions need the patient's attention.
absl::Status AlertClinic(store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
                         const std::string& clinic_id, const std::string& patient_id,
                         const clinic::v1::Consent& consent,
                         const std::vector<clinic::v1::Appointment>& flagged, absl::Time now) {
  absl::StatusOr<outbox::PatientOutbox> context =
      outbox::PatientOutbox::Load(tx, clinic_id, patient_id);
  if (!context.ok()) return context.status();
  absl::StatusOr<clinic::v1::Patient> patient = resources::LoadResource<clinic::v1::Patient>(
      tx, store::kPatientsTable, {clinic_id}, patient_id, "the patient");
  if (!patient.ok()) return patient.status();
  const clinic::v1::TreatmentType* type = registry.FindTreatmentType(TreatmentOf(consent));
  const std::string treatment = type != nullptr ? type->display_name() : TreatmentOf(consent);
  std::string text = absl::StrCat(
      patient->given_name(), " ", patient->family_name(), " (", patient->name(),
      ") withdrew their consent to ", treatment, " on ",
      context->LocalDateTime(FromProtoTime(consent.withdraw_time())), ".\nReason given: ",
      consent.withdraw_reason(), "\n\n");
  if (flagged.empty()) {
    absl::StrAppend(&text, "They have no future ", treatment, " appointments booked.");
  } else {
    absl::StrAppend(&text, "These booked appointments are flagged and cannot be checked in "
                           "without a new consent; contact the patient to re-consent or "
                           "cancel:\n");
    for (const clinic::v1::Appointment& appointment : flagged) {
      absl::StrAppend(&text, "  - ",
                      context->LocalDateTime(FromProtoTime(appointment.start_time())), "  (",
                      appointment.name(), ")\n");
    }
  }
  return outbox::SendClinicAlert(
      tx, context->clinic(), consent.name(), "withdrawn",
      absl::StrCat("Consent withdrawn: ", treatment, ", ", flagged.size(),
                   flagged.size() == 1 ? " appointment" : " appointments", " flagged"),
      text, now);
}

}  // namespace

absl::Status ApplyConsentEffects(store::Transaction& tx,
                                 const plugin_host::TreatmentRegistry& registry,
                                 const std::vector<std::string>& scope, absl::Time now,
                                 const clinic::v1::Consent* previous,
                                 const clinic::v1::Consent& current) {
  const std::string& clinic_id = scope[0];
  const std::string& patient_id = scope[1];
  const std::string patient = absl::StrCat("clinics/", clinic_id, "/patients/", patient_id);
  if (previous == nullptr) {
    return outbox::AppendEvent(tx, clinic_id, clinic::v1::EVENT_KIND_CONSENT_SIGNED,
                               current.name(), patient, now);
  }
  if (previous->has_withdraw_time() || !current.has_withdraw_time()) return absl::OkStatus();
  absl::StatusOr<std::vector<clinic::v1::Appointment>> flagged =
      FlagFutureAppointments(tx, clinic_id, patient_id, TreatmentOf(current), now);
  if (!flagged.ok()) return flagged.status();
  if (absl::Status s = outbox::AppendEvent(tx, clinic_id, clinic::v1::EVENT_KIND_CONSENT_WITHDRAWN,
                                           current.name(), patient, now);
      !s.ok()) {
    return s;
  }
  return AlertClinic(tx, registry, clinic_id, patient_id, current, *flagged, now);
}

}  // namespace clinicd::consent
