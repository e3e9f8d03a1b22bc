// Setting up and registering: clinic create, practitioner create/list, room
// create/list, patient register.

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "clients/clinicctl/command.h"
#include "clients/clinicctl/flags.h"
#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/resolve.h"
#include "clients/clinicctl/table.h"
#include "clients/clinicctl/weekly_hours.h"

namespace clinicd::clinicctl {
namespace {

// The treatment ids of `names` (treatmentTypes/T as T).
std::string TreatmentList(const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::vector<std::string> ids;
  for (const std::string& name : names) ids.push_back(ShortId(name));
  return absl::StrJoin(ids, ", ");
}

absl::Status CreateClinic(Session& session, const Arguments&) {
  v1::CreateClinicRequest request;
  v1::Clinic& clinic = *request.mutable_clinic();
  clinic.set_display_name(absl::GetFlag(FLAGS_name));
  clinic.set_time_zone(absl::GetFlag(FLAGS_time_zone));
  clinic.set_region_code(absl::AsciiStrToUpper(absl::GetFlag(FLAGS_region)));
  clinic.set_email(absl::GetFlag(FLAGS_email));
  clinic.set_phone_number(absl::GetFlag(FLAGS_phone));
  for (const std::string& line : absl::GetFlag(FLAGS_address)) clinic.add_address_lines(line);
  if (absl::StatusOr<absl::TimeZone> zone = LoadZone(clinic.time_zone()); !zone.ok()) {
    return FlagError("time_zone", std::string(zone.status().message()));
  }
  if (const std::string quiet = absl::GetFlag(FLAGS_quiet_hours); !quiet.empty()) {
    auto range = ParseClockRange(quiet);
    if (!range.ok()) return FlagError("quiet_hours", std::string(range.status().message()));
    *clinic.mutable_policy()->mutable_quiet_hours_start() = range->first;
    *clinic.mutable_policy()->mutable_quiet_hours_end() = range->second;
  }
  request.set_request_id(NewRequestId());
  session.refusal().field_flags = {{"clinic.display_name", "name"},
                                   {"clinic.time_zone", "time_zone"},
                                   {"clinic.region_code", "region"},
                                   {"clinic.email", "email"},
                                   {"clinic.phone_number", "phone"},
                                   {"clinic.address_lines", "address"},
                                   {"clinic.policy", "quiet_hours"}};
  v1::Clinic created;
  if (absl::Status s =
          session.rpc().Call(&v1::PracticeService::Stub::CreateClinic, request, &created);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(created, session.out());
  const std::string id = ShortId(created.name());
  session.out() << "Created clinic " << Printable(created.display_name()) << " (" << id << ", "
                << created.time_zone() << ").\n"
                << "Use it in this shell:\n"
                << "export CLINICD_CLINIC=" << id << "\n";
  return absl::OkStatus();
}

absl::Status CreatePractitioner(Session& session, const Arguments&) {
  absl::StatusOr<std::string> parent = session.ClinicParent();
  if (!parent.ok()) return parent.status();
  v1::CreatePractitionerRequest request;
  request.set_parent(*parent);
  v1::Practitioner& practitioner = *request.mutable_practitioner();
  practitioner.set_display_name(absl::GetFlag(FLAGS_name));
  practitioner.set_title(absl::GetFlag(FLAGS_title));
  practitioner.set_email(absl::GetFlag(FLAGS_email));
  practitioner.set_phone_number(absl::GetFlag(FLAGS_phone));
  practitioner.set_active(true);
  for (const std::string& treatment : absl::GetFlag(FLAGS_treatments)) {
    practitioner.add_treatment_types(TreatmentTypeName(treatment));
  }
  absl::StatusOr<std::vector<v1::WorkingInterval>> hours =
      ParseWeeklyHours(absl::GetFlag(FLAGS_hours));
  if (!hours.ok()) return FlagError("hours", std::string(hours.status().message()));
  for (const v1::WorkingInterval& interval : *hours) *practitioner.add_working_hours() = interval;
  request.set_request_id(NewRequestId());
  session.refusal().field_flags = {{"practitioner.display_name", "name"},
                                   {"practitioner.title", "title"},
                                   {"practitioner.email", "email"},
                                   {"practitioner.phone_number", "phone"},
                                   {"practitioner.treatment_types", "treatments"},
                                   {"practitioner.working_hours", "hours"}};
  v1::Practitioner created;
  if (absl::Status s =
          session.rpc().Call(&v1::PracticeService::Stub::CreatePractitioner, request, &created);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(created, session.out());
  session.out() << "Created practitioner " << Printable(created.display_name()) << " ("
                << ShortId(created.name()) << ") for " << TreatmentList(created.treatment_types())
                << ", working "
                << FormatWeeklyHours({created.working_hours().begin(),
                                      created.working_hours().end()})
                << ".\n";
  return absl::OkStatus();
}

absl::Status ListPractitioners(Session& session, const Arguments&) {
  absl::StatusOr<std::string> parent = session.ClinicParent();
  if (!parent.ok()) return parent.status();
  v1::ListPractitionersRequest request;
  request.set_parent(*parent);
  request.set_page_size(500);
  v1::ListPractitionersResponse response;
  if (absl::Status s =
          session.rpc().Call(&v1::PracticeService::Stub::ListPractitioners, request, &response);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(response, session.out());
  Table table({"PRACTITIONER", "NAME", "TITLE", "TREATMENTS", "HOURS", "ACTIVE"});
  for (const v1::Practitioner& p : response.practitioners()) {
    table.AddRow({ShortId(p.name()), p.display_name(), p.title(),
                  TreatmentList(p.treatment_types()),
                  FormatWeeklyHours({p.working_hours().begin(), p.working_hours().end()}),
                  p.active() ? "yes" : "no"});
  }
  if (table.empty()) {
    session.out() << "No practitioners yet; add one with clinicctl practitioner create.\n";
  } else {
    session.out() << table.Render();
  }
  return absl::OkStatus();
}

absl::Status CreateRoom(Session& session, const Arguments&) {
  absl::StatusOr<std::string> parent = session.ClinicParent();
  if (!parent.ok()) return parent.status();
  v1::CreateRoomRequest request;
  request.set_parent(*parent);
  request.mutable_room()->set_display_name(absl::GetFlag(FLAGS_name));
  request.mutable_room()->set_active(true);
  for (const std::string& capability : absl::GetFlag(FLAGS_capabilities)) {
    request.mutable_room()->add_capabilities(capability);
  }
  request.set_request_id(NewRequestId());
  session.refusal().field_flags = {{"room.display_name", "name"},
                                   {"room.capabilities", "capabilities"}};
  v1::Room created;
  if (absl::Status s = session.rpc().Call(&v1::PracticeService::Stub::CreateRoom, request, &created);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(created, session.out());
  session.out() << "Created room " << Printable(created.display_name()) << " ("
                << ShortId(created.name()) << "): " << absl::StrJoin(created.capabilities(), ", ")
                << ".\n";
  return absl::OkStatus();
}

absl::Status ListRooms(Session& session, const Arguments&) {
  absl::StatusOr<std::string> parent = session.ClinicParent();
  if (!parent.ok()) return parent.status();
  v1::ListRoomsRequest request;
  request.set_parent(*parent);
  request.set_page_size(500);
  v1::ListRoomsResponse response;
  if (absl::Status s = session.rpc().Call(&v1::PracticeService::Stub::ListRooms, request, &response);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(response, session.out());
  Table table({"ROOM", "NAME", "CAPABILITIES", "ACTIVE"});
  for (const v1::Room& room : response.rooms()) {
    table.AddRow({ShortId(room.name()), room.display_name(),
                  absl::StrJoin(room.capabilities(), ", "), room.active() ? "yes" : "no"});
  }
  if (table.empty()) {
    session.out() << "No rooms yet; add one with clinicctl room create.\n";
  } else {
    session.out() << table.Render();
  }
  return absl::OkStatus();
}

absl::Status RegisterPatient(Session& session, const Arguments&) {
  absl::StatusOr<std::string> parent = session.ClinicParent();
  if (!parent.ok()) return parent.status();
  v1::CreatePatientRequest request;
  request.set_parent(*parent);
  v1::Patient& patient = *request.mutable_patient();
  patient.set_given_name(absl::GetFlag(FLAGS_given));
  patient.set_family_name(absl::GetFlag(FLAGS_family));
  patient.set_phone_number(absl::GetFlag(FLAGS_phone));
  patient.set_email(absl::GetFlag(FLAGS_email));
  patient.set_preferred_language(absl::GetFlag(FLAGS_language));
  if (const std::string born = absl::GetFlag(FLAGS_birth_date); !born.empty()) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(born, &day) || absl::FormatCivilTime(day) != born) {
      return FlagError("birth_date", absl::StrCat("\"", born, "\" is not a date YYYY-MM-DD"));
    }
    *patient.mutable_birth_date() = ToProtoDate(day);
  }
  for (const std::string& word : absl::GetFlag(FLAGS_opt_in)) {
    const std::string channel = absl::AsciiStrToLower(absl::StripAsciiWhitespace(word));
    v1::ChannelConsent consent;
    if (channel == "email" || channel == "e-mail") {
      consent.set_channel(v1::NOTIFICATION_CHANNEL_EMAIL);
    } else if (channel == "sms") {
      consent.set_channel(v1::NOTIFICATION_CHANNEL_SMS);
    } else if (channel == "webhook") {
      consent.set_channel(v1::NOTIFICATION_CHANNEL_WEBHOOK);
    } else {
      return FlagError("opt_in", absl::StrCat("no channel \"", word, "\"; email, sms or webhook"));
    }
    consent.set_opted_in(true);
    *patient.add_channel_consents() = consent;
  }
  request.set_request_id(NewRequestId());
  session.refusal().field_flags = {{"patient.given_name", "given"},
                                   {"patient.family_name", "family"},
                                   {"patient.birth_date", "birth_date"},
                                   {"patient.phone_number", "phone"},
                                   {"patient.email", "email"},
                                   {"patient.preferred_language", "language"},
                                   {"patient.channel_consents", "opt_in"}};
  v1::Patient created;
  if (absl::Status s =
          session.rpc().Call(&v1::PatientService::Stub::CreatePatient, request, &created);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(created, session.out());
  session.out() << "Registered " << Printable(PersonName(created)) << " ("
                << ShortId(created.name()) << ").\n"
                << "Next: clinicctl consent sign " << ShortId(created.name())
                << " --treatment=... and clinicctl screening submit " << ShortId(created.name())
                << "\n";
  return absl::OkStatus();
}

}  // namespace

CommandGroup SetupCommands() {
  return {"Setting up",
          {
              {"clinic create",
               "",
               "create a clinic (an admin key's task) and print the CLINICD_CLINIC to use",
               "Prints the new clinic's id and the `export CLINICD_CLINIC=...` line for the\n"
               "shell. Quiet hours, when set, hold every message to patients until they end.",
               {"name", "time_zone", "region", "email", "phone", "address", "quiet_hours"},
               {"name", "time_zone", "region"},
               CreateClinic},
              {"practitioner create",
               "",
               "add a practitioner with the treatments they give and their weekly hours",
               "--hours takes days (mon..sun, ranges like mon-fri, lists like mon,wed) and\n"
               "one or more HH:MM-HH:MM intervals, groups joined by ';', in clinic time:\n"
               "  --hours='mon-fri 09:00-17:00'\n"
               "  --hours='mon,wed 08:00-12:00 13:00-18:00; sat 10:00-14:00'",
               {"name", "title", "email", "phone", "treatments", "hours"},
               {"name", "treatments", "hours"},
               CreatePractitioner},
              {"practitioner list",
               "",
               "the clinic's practitioners, their treatments and hours",
               "",
               {},
               {},
               ListPractitioners},
              {"room create",
               "",
               "add a treatment room with what it offers",
               "A treatment is booked only into rooms with every capability it needs\n"
               "(microneedling: microneedling_device, sink).",
               {"name", "capabilities"},
               {"name"},
               CreateRoom},
              {"room list", "", "the clinic's rooms and what they offer", "", {}, {}, ListRooms},
              {"patient register",
               "",
               "register a patient, with the message channels they opted in to",
               "Messages (reminders, aftercare) go only on channels in --opt_in.",
               {"given", "family", "birth_date", "phone", "email", "language", "opt_in"},
               {"given", "family"},
               RegisterPatient},
          }};
}

}  // namespace clinicd::clinicctl
