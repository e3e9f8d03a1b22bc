// patient search and show, and clinic list (to find the --clinic to use).

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "clients/clinicctl/appointment_view.h"
#include "clients/clinicctl/command.h"
#include "clients/clinicctl/flags.h"
#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/resolve.h"
#include "clients/clinicctl/table.h"

namespace clinicd::clinicctl {
namespace {

// "e-mail, sms": the channels the patient opted in to.
std::string OptedIn(const v1::Patient& patient) {
  std::vector<std::string> channels;
  for (const v1::ChannelConsent& consent : patient.channel_consents()) {
    if (consent.opted_in()) channels.push_back(Word(consent.channel()));
  }
  return channels.empty() ? "none" : absl::StrJoin(channels, ", ");
}

absl::Status Search(Session& session, const Arguments& words) {
  absl::StatusOr<std::string> parent = session.ClinicParent();
  if (!parent.ok()) return parent.status();
  const int limit = absl::GetFlag(FLAGS_limit);
  if (limit < 1 || limit > 500) return FlagError("limit", "must be from 1 to 500");
  v1::SearchPatientsRequest request;
  request.set_parent(*parent);
  request.set_query(absl::StrJoin(words, " "));
  request.set_page_size(limit);
  session.refusal().field_flags = {{"page_size", "limit"}};
  v1::SearchPatientsResponse response;
  if (absl::Status s =
          session.rpc().Call(&v1::PatientService::Stub::SearchPatients, request, &response);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(response, session.out());
  if (response.patients().empty()) {
    session.out() << "No patient matches \"" << Printable(request.query()) << "\".\n";
    return absl::OkStatus();
  }
  Table table({"PATIENT", "NAME", "BORN", "PHONE", "E-MAIL"});
  for (const v1::Patient& patient : response.patients()) {
    table.AddRow({ShortId(patient.name()), PersonName(patient),
                  FormatBirthDate(patient.birth_date()), patient.phone_number(), patient.email()});
  }
  session.out() << table.Render();
  if (!response.next_page_token().empty()) {
    session.out() << "(more matches: add name words, or raise --limit)\n";
  }
  return absl::OkStatus();
}

absl::Status Show(Session& session, const Arguments& arguments) {
  absl::StatusOr<std::string> name = ResolvePatient(session, "PATIENT", arguments[0]);
  if (!name.ok()) return name.status();
  absl::StatusOr<absl::TimeZone> zone = session.ZoneOf(ClinicOf(*name));
  if (!zone.ok()) return zone.status();
  v1::GetPatientRequest request;
  request.set_name(*name);
  v1::Patient patient;
  if (absl::Status s = session.rpc().Call(&v1::PatientService::Stub::GetPatient, request, &patient);
      !s.ok()) {
    return s;
  }
  v1::ListAppointmentsRequest upcoming_request;
  upcoming_request.set_parent(ClinicOf(*name));
  upcoming_request.set_patient(*name);
  *upcoming_request.mutable_start_time() = ToProto(absl::Now() - absl::Hours(12));
  upcoming_request.add_states(v1::APPOINTMENT_STATE_BOOKED);
  upcoming_request.add_states(v1::APPOINTMENT_STATE_CHECKED_IN);
  v1::ListAppointmentsResponse upcoming;
  if (absl::Status s = ListAllAppointments(session, upcoming_request, &upcoming); !s.ok()) {
    return s;
  }
  if (session.json()) {
    return PrintJsonObject({{"patient", &patient}, {"upcomingAppointments", &upcoming}},
                           session.out());
  }
  session.out() << RenderFields({
      {"Patient", ShortId(patient.name())},
      {"Name", PersonName(patient)},
      {"Born", FormatBirthDate(patient.birth_date())},
      {"Phone", patient.phone_number()},
      {"E-mail", patient.email()},
      {"Language", patient.preferred_language()},
      {"Messages by", OptedIn(patient)},
      {"Registered",
       patient.has_create_time() ? FormatDate(FromProto(patient.create_time()), *zone) : ""},
      {"Name (full)", patient.name()},
  });
  if (upcoming.appointments().empty()) {
    session.out() << "No upcoming appointments.\n";
    return absl::OkStatus();
  }
  session.out() << "Upcoming appointments:\n";
  for (const v1::Appointment& appointment : upcoming.appointments()) {
    session.out() << "  " << Printable(AppointmentLine(session, appointment, *zone)) << "\n";
  }
  return absl::OkStatus();
}

absl::Status ListClinics(Session& session, const Arguments&) {
  v1::ListClinicsRequest request;
  request.set_page_size(500);
  v1::ListClinicsResponse response;
  if (absl::Status s =
          session.rpc().Call(&v1::PracticeService::Stub::ListClinics, request, &response);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(response, session.out());
  Table table({"CLINIC", "NAME", "TIME ZONE", "PHONE"});
  for (const v1::Clinic& clinic : response.clinics()) {
    table.AddRow(
        {ShortId(clinic.name()), clinic.display_name(), clinic.time_zone(), clinic.phone_number()});
  }
  session.out() << table.Render()
                << "Use one with --clinic=CLINIC, or export CLINICD_CLINIC=CLINIC.\n";
  return absl::OkStatus();
}

}  // namespace

CommandGroup PatientCommands() {
  return {"Patients and clinics",
          {
              {"patient search",
               "WORDS...",
               "find patients by name words or a phone number",
               "Words match the start of given or family names, in any order, ignoring case\n"
               "and accents; a phone number matches in any form.",
               {"limit"},
               {},
               Search},
              {"patient show",
               "PATIENT",
               "one patient, with their upcoming appointments",
               "",
               {},
               {},
               Show},
              {"clinic list", "", "the clinics the API key may see", "", {}, {}, ListClinics},
          }};
}

}  // namespace clinicd::clinicctl
