// consent status: whether a patient may be treated (GetClearance: every
// reason, the earliest treatable time) and the consents on file.

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/clinicctl/command.h"
#include "clients/clinicctl/flags.h"
#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/resolve.h"
#include "clients/clinicctl/table.h"

namespace clinicd::clinicctl {
namespace {

// "Anna Schmidt (patient)", "Karl Schmidt (guardian, father)".
std::string Signer(const v1::Consent& consent) {
  std::string who = Word(consent.signer_kind());
  if (!consent.signer_relationship().empty())
    absl::StrAppend(&who, ", ", consent.signer_relationship());
  return absl::StrCat(consent.signer_name(), " (", who, ")");
}

absl::Status Status(Session& session, const Arguments& arguments) {
  absl::StatusOr<std::string> patient = ResolvePatient(session, "PATIENT", arguments[0]);
  if (!patient.ok()) return patient.status();
  absl::StatusOr<absl::TimeZone> zone = session.ZoneOf(ClinicOf(*patient));
  if (!zone.ok()) return zone.status();
  session.refusal().patient = arguments[0];
  session.refusal().treatment = absl::GetFlag(FLAGS_treatment);
  absl::Time at = absl::Now();
  if (const std::string text = absl::GetFlag(FLAGS_at); !text.empty()) {
    absl::StatusOr<absl::Time> parsed = ParseLocalTime(text, *zone, absl::Now());
    if (!parsed.ok()) return FlagError("at", std::string(parsed.status().message()));
    at = *parsed;
  }
  v1::GetClearanceRequest request;
  request.set_patient(*patient);
  request.set_treatment_type(TreatmentTypeName(absl::GetFlag(FLAGS_treatment)));
  *request.mutable_time() = ToProto(at);
  session.refusal().field_flags = {{"treatment_type", "treatment"}, {"time", "at"}};
  v1::Clearance clearance;
  if (absl::Status s =
          session.rpc().Call(&v1::ConsentService::Stub::GetClearance, request, &clearance);
      !s.ok()) {
    return s;
  }
  v1::ListConsentsRequest list;
  list.set_parent(*patient);
  list.set_page_size(500);
  v1::ListConsentsResponse consents;
  if (absl::Status s = session.rpc().Call(&v1::ConsentService::Stub::ListConsents, list, &consents);
      !s.ok()) {
    return s;
  }
  if (session.json()) {
    return PrintJsonObject({{"clearance", &clearance}, {"consents", &consents}}, session.out());
  }

  std::ostream& out = session.out();
  const std::string treatment = session.TreatmentName(request.treatment_type());
  out << Printable(session.PatientName(*patient)) << ", " << treatment << " at "
      << FormatDateTime(at, *zone) << ": "
      << (clearance.treatable() ? "TREATABLE" : "NOT TREATABLE") << "\n";
  if (!clearance.reasons().empty()) {
    Table reasons({"REASON", "WHAT IT MEANS", "LIFTS"});
    for (const v1::ClearanceReason& reason : clearance.reasons()) {
      reasons.AddRow({reason.reason(), reason.description(),
                      reason.has_until_time()
                          ? FormatDateTime(FromProto(reason.until_time()), *zone)
                          : "when acted on"});
    }
    out << reasons.Render();
    out << (clearance.has_earliest_treatable_time()
                ? absl::StrCat(
                      "Earliest treatable: ",
                      FormatDateTime(FromProto(clearance.earliest_treatable_time()), *zone))
                : std::string("Earliest treatable: once the reasons above are dealt with"))
        << "\n";
  }
  const std::string prefix = request.treatment_type() + "/consentForms/";
  Table table({"SIGNED", "FORM", "STATE", "EXPIRES", "SIGNER", "CONSENT"});
  for (const v1::Consent& consent : consents.consents()) {
    if (!absl::StartsWith(consent.consent_form(), prefix)) continue;
    table.AddRow(
        {FormatDateTime(FromProto(consent.sign_time()), *zone),
         "v" + consent.consent_form().substr(prefix.size()), Word(consent.state()),
         consent.has_expire_time() ? FormatDate(FromProto(consent.expire_time()), *zone) : "",
         Signer(consent), ShortId(consent.name())});
  }
  if (table.empty()) {
    out << "No " << treatment << " consent on file.\n";
  } else {
    out << treatment << " consents on file:\n" << table.Render();
  }
  return absl::OkStatus();
}

}  // namespace

CommandGroup ConsentCommands() {
  return {"Consent and clearance",
          {
              {"consent status",
               "PATIENT",
               "may the patient be treated: every reason, earliest time, consents on file",
               "Asks clinicd's clearance for --treatment now (or at --at): a current consent\n"
               "and a screening from the last 30 days that clears the patient.",
               {"treatment", "at"},
               {},
               Status},
          }};
}

}  // namespace clinicd::clinicctl
