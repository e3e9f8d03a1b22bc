// What changes a patient's clearance after the fact: consent withdraw (the
// patient takes their consent back), consent export (the signed consent as
// a PDF to file) and screening review (a clinician decides a screening's
// outcome).

#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clients/clinicctl/appointment_view.h"
#include "clients/clinicctl/command.h"
#include "clients/clinicctl/flag_checks.h"
#include "clients/clinicctl/flags.h"
#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/resolve.h"
#include "clients/clinicctl/table.h"

namespace clinicd::clinicctl {
namespace {

// What a CONSENT_OR_PATIENT (or SCREENING_OR_PATIENT) argument named.
struct PatientRecord {
  // `clinics/C/patients/P`.
  std::string patient;
  // `clinics/C/patients/P/{collection}/X`; empty when only the patient was named.
  std::string record;
};

// `argument` as one of a patient's records in `collection`: a full name as
// it is, a bare id under --patient, otherwise the patient it names. Fills
// the refusal context and loads the clinic's zone into `zone`.
absl::StatusOr<PatientRecord> RecordOrPatient(Session& session, const std::string& what,
                                              const std::string& collection,
                                              const std::string& argument, absl::TimeZone* zone) {
  PatientRecord named;
  const std::vector<std::string> parts = absl::StrSplit(argument, '/');
  const std::string patient_flag = absl::GetFlag(FLAGS_patient);
  if (parts.size() == 6 && parts[0] == "clinics" && parts[2] == "patients" &&
      parts[4] == collection && !parts[1].empty() && !parts[3].empty() && !parts[5].empty()) {
    named.patient = absl::StrCat("clinics/", parts[1], "/patients/", parts[3]);
    named.record = argument;
  } else if (LooksLikeId(argument) && !patient_flag.empty()) {
    absl::StatusOr<std::string> patient = ResolvePatient(session, "--patient", patient_flag);
    if (!patient.ok()) return patient.status();
    named.patient = *patient;
    named.record = absl::StrCat(*patient, "/", collection, "/", argument);
  } else {
    absl::StatusOr<std::string> patient = ResolvePatient(session, what, argument);
    if (!patient.ok()) return patient.status();
    named.patient = *patient;
  }
  absl::StatusOr<absl::TimeZone> clinic_zone = session.ZoneOf(ClinicOf(named.patient));
  if (!clinic_zone.ok()) return clinic_zone.status();
  *zone = *clinic_zone;
  session.refusal().patient = named.record.empty() ? argument : ShortId(named.patient);
  session.refusal().treatment = absl::GetFlag(FLAGS_treatment);
  return named;
}

// Every consent of `patient` for --treatment, in the order clinicd lists them.
absl::StatusOr<std::vector<v1::Consent>> ConsentsFor(Session& session, const std::string& patient) {
  const std::string prefix = TreatmentTypeName(absl::GetFlag(FLAGS_treatment)) + "/consentForms/";
  std::vector<v1::Consent> found;
  v1::ListConsentsRequest request;
  request.set_parent(patient);
  request.set_page_size(500);
  do {
    v1::ListConsentsResponse page;
    if (absl::Status s =
            session.rpc().Call(&v1::ConsentService::Stub::ListConsents, request, &page);
        !s.ok()) {
      return s;
    }
    for (const v1::Consent& consent : page.consents()) {
      if (absl::StartsWith(consent.consent_form(), prefix)) found.push_back(consent);
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return found;
}

// The consent `named` names, or the patient's latest active one for
// --treatment (with `any_state`, the latest of any state when none is active).
absl::StatusOr<v1::Consent> ChosenConsent(Session& session, const PatientRecord& named,
                                          bool any_state) {
  if (!named.record.empty()) {
    v1::GetConsentRequest request;
    request.set_name(named.record);
    v1::Consent consent;
    if (absl::Status s =
            session.rpc().Call(&v1::ConsentService::Stub::GetConsent, request, &consent);
        !s.ok()) {
      return s;
    }
    return consent;
  }
  absl::StatusOr<std::vector<v1::Consent>> consents = ConsentsFor(session, named.patient);
  if (!consents.ok()) return consents.status();
  const v1::Consent* chosen = nullptr;
  for (const v1::Consent& consent : *consents) {
    const bool active = consent.state() == v1::CONSENT_STATE_ACTIVE;
    if (!active && !any_state) continue;
    const bool chosen_active = chosen != nullptr && chosen->state() == v1::CONSENT_STATE_ACTIVE;
    const bool better = chosen == nullptr ||
                        (active != chosen_active
                             ? active
                             : FromProto(consent.sign_time()) >= FromProto(chosen->sign_time()));
    if (better) chosen = &consent;
  }
  if (chosen == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no ", any_state ? "" : "active ", absl::GetFlag(FLAGS_treatment), " consent of ",
        session.PatientName(named.patient), " on file; clinicctl consent status ",
        ShortId(named.patient), " lists what there is"));
  }
  return *chosen;
}

// "consent X of Anna Schmidt, Microneedling form v1, signed Tue 2027-01-05 10:00 CET".
std::string ConsentLine(Session& session, const v1::Consent& consent, const absl::TimeZone& zone) {
  const std::string& form = consent.consent_form();
  const size_t versions = form.find("/consentForms/");
  const std::vector<absl::string_view> parts = absl::StrSplit(consent.name(), '/');
  const std::string patient =
      parts.size() >= 4 ? absl::StrCat(parts[0], "/", parts[1], "/", parts[2], "/", parts[3]) : "";
  return absl::StrCat("consent ", ShortId(consent.name()), " of ", session.PatientName(patient),
                      ", ", session.TreatmentName(form.substr(0, versions)), " form v",
                      ShortId(form), ", signed ",
                      FormatDateTime(FromProto(consent.sign_time()), zone));
}

absl::Status Withdraw(Session& session, const Arguments& arguments) {
  absl::TimeZone zone;
  absl::StatusOr<PatientRecord> named =
      RecordOrPatient(session, "CONSENT_OR_PATIENT", "consents", arguments[0], &zone);
  if (!named.ok()) return named.status();
  absl::StatusOr<v1::Consent> consent = ChosenConsent(session, *named, false);
  if (!consent.ok()) return consent.status();
  v1::WithdrawConsentRequest request;
  request.set_name(consent->name());
  request.set_reason(absl::GetFlag(FLAGS_reason));
  session.refusal().field_flags = {{"reason", "reason"}};
  v1::Consent withdrawn;
  if (absl::Status s =
          session.rpc().Call(&v1::ConsentService::Stub::WithdrawConsent, request, &withdrawn);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(withdrawn, session.out());
  std::ostream& out = session.out();
  out << "Withdrawn: " << Printable(ConsentLine(session, withdrawn, zone)) << "; "
      << Printable(withdrawn.withdraw_reason()) << "\n";
  // clinicd flags the patient's coming appointments for the treatment.
  v1::ListAppointmentsRequest list;
  list.set_parent(ClinicOf(named->patient));
  list.set_patient(named->patient);
  *list.mutable_start_time() = ToProto(absl::Now());
  *list.mutable_end_time() = ToProto(absl::Now() + absl::Hours(24 * 3660));
  list.add_states(v1::APPOINTMENT_STATE_BOOKED);
  v1::ListAppointmentsResponse coming;
  if (ListAllAppointments(session, list, &coming).ok()) {
    for (const v1::Appointment& appointment : coming.appointments()) {
      if (!appointment.consent_withdrawn()) continue;
      out << "Flagged: " << Printable(AppointmentLine(session, appointment, zone)) << "\n";
    }
  }
  out << "To treat again the patient signs anew: clinicctl consent sign " << ShortId(named->patient)
      << " --treatment=" << absl::GetFlag(FLAGS_treatment) << "\n";
  return absl::OkStatus();
}

absl::Status Export(Session& session, const Arguments& arguments) {
  const std::string path = absl::GetFlag(FLAGS_out);
  absl::TimeZone zone;
  absl::StatusOr<PatientRecord> named =
      RecordOrPatient(session, "CONSENT_OR_PATIENT", "consents", arguments[0], &zone);
  if (!named.ok()) return named.status();
  absl::StatusOr<v1::Consent> consent = ChosenConsent(session, *named, true);
  if (!consent.ok()) return consent.status();
  v1::ExportConsentDocumentRequest request;
  request.set_name(consent->name());
  v1::ExportConsentDocumentResponse document;
  if (absl::Status s =
          session.rpc().Call(&v1::ConsentService::Stub::ExportConsentDocument, request, &document);
      !s.ok()) {
    return s;
  }
  if (path == "-") {
    session.out() << document.pdf() << std::flush;
    return absl::OkStatus();
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << document.pdf();
  file.close();
  if (!file) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write ", path, "; check that its folder exists and is writable"));
  }
  if (session.json()) return PrintJson(*consent, session.out());
  session.out() << "Wrote " << path << " (" << document.pdf().size()
                << " bytes): " << Printable(ConsentLine(session, *consent, zone)) << " ("
                << Word(consent->state()) << ")\n";
  return absl::OkStatus();
}

// The screening `named` names, or the patient's latest for --treatment.
absl::StatusOr<v1::Screening> ChosenScreening(Session& session, const PatientRecord& named) {
  if (!named.record.empty()) {
    v1::GetScreeningRequest request;
    request.set_name(named.record);
    v1::Screening screening;
    if (absl::Status s =
            session.rpc().Call(&v1::ConsentService::Stub::GetScreening, request, &screening);
        !s.ok()) {
      return s;
    }
    return screening;
  }
  const std::string type = TreatmentTypeName(absl::GetFlag(FLAGS_treatment));
  v1::ListScreeningsRequest request;
  request.set_parent(named.patient);
  request.set_page_size(500);
  std::optional<v1::Screening> latest;
  do {
    v1::ListScreeningsResponse page;
    if (absl::Status s =
            session.rpc().Call(&v1::ConsentService::Stub::ListScreenings, request, &page);
        !s.ok()) {
      return s;
    }
    for (const v1::Screening& screening : page.screenings()) {
      if (screening.treatment_type() == type) latest = screening;
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (!latest) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no ", absl::GetFlag(FLAGS_treatment), " screening of ", session.PatientName(named.patient),
        "; the patient answers the questions first: clinicctl screening submit ",
        ShortId(named.patient), " --treatment=", absl::GetFlag(FLAGS_treatment)));
  }
  return *latest;
}

absl::Status Review(Session& session, const Arguments& arguments) {
  absl::StatusOr<v1::ScreeningOutcome> outcome =
      ScreeningOutcomeFromFlag(absl::GetFlag(FLAGS_outcome));
  if (!outcome.ok()) return outcome.status();
  absl::TimeZone zone;
  absl::StatusOr<PatientRecord> named =
      RecordOrPatient(session, "SCREENING_OR_PATIENT", "screenings", arguments[0], &zone);
  if (!named.ok()) return named.status();
  absl::StatusOr<std::string> reviewer =
      ResolvePractitioner(session, ClinicOf(named->patient), absl::GetFlag(FLAGS_practitioner));
  if (!reviewer.ok()) return reviewer.status();
  absl::StatusOr<v1::Screening> screening = ChosenScreening(session, *named);
  if (!screening.ok()) return screening.status();
  v1::ReviewScreeningRequest request;
  request.set_name(screening->name());
  request.mutable_review()->set_reviewer(*reviewer);
  request.mutable_review()->set_outcome(*outcome);
  request.mutable_review()->set_reason(absl::GetFlag(FLAGS_reason));
  session.refusal().field_flags = {{"review.outcome", "outcome"},
                                   {"review.reason", "reason"},
                                   {"review.reviewer", "practitioner"}};
  v1::Screening reviewed;
  if (absl::Status s =
          session.rpc().Call(&v1::ConsentService::Stub::ReviewScreening, request, &reviewed);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(reviewed, session.out());
  const v1::ScreeningReview& review = reviewed.review();
  session.out() << "Reviewed screening " << ShortId(reviewed.name()) << " of "
                << Printable(session.PatientName(named->patient)) << " ("
                << session.TreatmentName(reviewed.treatment_type()) << ", submitted "
                << FormatDateTime(FromProto(reviewed.create_time()), zone)
                << "): " << absl::AsciiStrToUpper(Word(review.outcome())) << " by "
                << Printable(session.PractitionerName(review.reviewer())) << " (the answers gave "
                << Word(reviewed.outcome()) << "): " << Printable(review.reason()) << "\n"
                << "Check: clinicctl consent status " << ShortId(named->patient)
                << " --treatment=" << absl::GetFlag(FLAGS_treatment) << "\n";
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> ConsentChangeCommands() {
  return {
      {"consent withdraw",
       "CONSENT_OR_PATIENT",
       "record that the patient withdrew their consent",
       "Names a consent (clinics/C/patients/P/consents/X, or its id with --patient), or a\n"
       "patient: their active consent for --treatment. clinicd flags their coming\n"
       "appointments for the treatment and alerts the clinic.",
       {"reason", "treatment", "patient"},
       {"reason"},
       Withdraw},
      {"consent export",
       "CONSENT_OR_PATIENT",
       "write a signed consent as a PDF to file",
       "Names a consent (clinics/C/patients/P/consents/X, or its id with --patient), or a\n"
       "patient: their latest consent for --treatment (active first). --out=- writes the\n"
       "PDF to standard output.",
       {"out", "treatment", "patient"},
       {"out"},
       Export},
      {"screening review",
       "SCREENING_OR_PATIENT",
       "a clinician decides a screening's outcome (clinician key)",
       "Names a screening (clinics/C/patients/P/screenings/S, or its id with --patient), or\n"
       "a patient: their latest screening for --treatment. --practitioner is the reviewing\n"
       "clinician; the reason is recorded with the review.",
       {"outcome", "reason", "practitioner", "treatment", "patient"},
       {"outcome", "reason", "practitioner"},
       Review},
  };
}

}  // namespace clinicd::clinicctl
