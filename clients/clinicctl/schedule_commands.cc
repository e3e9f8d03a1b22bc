// slots and daybook: free times to offer, and the day's appointments, both in
// the clinic's local time.

#include <map>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

// SearchAvailability's longest range: the first day and 30 more.
constexpr int kMaxSearchDays = 31;

// The --from/--to range in `zone`.
// The --from/--to range in `zone`; a range that begins before today is refused.
absl::Status DateRange(const absl::TimeZone& zone, absl::CivilDay* from, absl::CivilDay* to) {
  const absl::Time now = absl::Now();
  const std::string first_text = absl::GetFlag(FLAGS_from);
  absl::StatusOr<absl::CivilDay> first =
      ParseLocalDate(first_text.empty() ? "today" : first_text, zone, now);
  if (!first.ok()) return FlagError("from", std::string(first.status().message()));
  *from = *first;
  const std::string last_text = absl::GetFlag(FLAGS_to);
  if (last_text.empty()) {
    *to = *from + 6;
  } else {
    absl::StatusOr<absl::CivilDay> last = ParseLocalDate(last_text, zone, now);
    if (!last.ok()) return FlagError("to", std::string(last.status().message()));
    if (*last < *from || *last - *from >= kMaxSearchDays) {
      return FlagError("to", absl::StrCat("must be on or after --from (", FormatDay(*from),
                                          ") and at most ", kMaxSearchDays - 1, " days after it"));
    }
    *to = *last;
  }
  return DayNotInThePast("from", *from, now, zone);
}

absl::Status Limit(int* limit) {
  *limit = absl::GetFlag(FLAGS_limit);
  if (*limit < 1 || *limit > 500) return FlagError("limit", "must be from 1 to 500");
  return absl::OkStatus();
}

absl::Status Slots(Session& session, const Arguments&) {
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  const std::string& parent = scope->parent;
  const absl::TimeZone& zone = scope->zone;
  v1::SearchAvailabilityRequest request;
  request.set_parent(parent);
  request.set_treatment_type(TreatmentTypeName(absl::GetFlag(FLAGS_treatment)));
  session.refusal().treatment = absl::GetFlag(FLAGS_treatment);
  absl::CivilDay from, to;
  if (absl::Status s = DateRange(zone, &from, &to); !s.ok()) return s;
  *request.mutable_start_date() = ToProtoDate(from);
  *request.mutable_end_date() = ToProtoDate(to);
  int limit;
  if (absl::Status s = Limit(&limit); !s.ok()) return s;
  request.set_page_size(limit);
  const bool consultation = absl::GetFlag(FLAGS_consultation);
  if (absl::Status s = CheckConsultationFlags(consultation, false, absl::GetFlag(FLAGS_numbing));
      !s.ok()) {
    return s;
  }
  if (consultation) request.set_kind(v1::VISIT_KIND_CONSULTATION);
  request.set_numbing(absl::GetFlag(FLAGS_numbing));
  absl::StatusOr<PractitionerAndRoom> chosen = PractitionerAndRoomFlags(session, parent);
  if (!chosen.ok()) return chosen.status();
  request.set_practitioner(chosen->practitioner);
  if (const std::string text = absl::GetFlag(FLAGS_patient); !text.empty()) {
    absl::StatusOr<std::string> patient = ResolvePatient(session, "--patient", text);
    if (!patient.ok()) return patient.status();
    request.set_patient(*patient);
    session.refusal().patient = text;
  }
  session.refusal().field_flags = {{"start_date", "from"},           {"end_date", "to"},
                                   {"treatment_type", "treatment"},  {"patient", "patient"},
                                   {"practitioner", "practitioner"}, {"page_size", "limit"}};
  v1::SearchAvailabilityResponse response;
  if (absl::Status s =
          session.rpc().Call(&v1::BookingService::Stub::SearchAvailability, request, &response);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(response, session.out());

  std::ostream& out = session.out();
  out << "Free " << session.TreatmentName(request.treatment_type())
      << (consultation ? " consultation" : "") << " slots at "
      << Printable(scope->clinic.display_name()) << ", " << FormatDay(from) << " to "
      << FormatDay(to) << " (" << zone.name() << ")";
  if (!request.patient().empty())
    out << " for " << Printable(session.PatientName(request.patient()));
  out << ":\n";
  if (response.has_earliest_eligible_time()) {
    out << "The patient's rules (series spacing, screening) allow treatment from "
        << FormatDateTime(FromProto(response.earliest_eligible_time()), zone)
        << " at the earliest.\n";
  }
  if (response.slots().empty()) {
    out << "No free slots; try later dates (--from, --to)"
        << (request.practitioner().empty() ? "" : " or another practitioner") << ".\n";
    return absl::OkStatus();
  }
  out << SlotTable(session, response.slots(), zone);
  if (!response.next_page_token().empty()) {
    out << "(more slots: raise --limit, or narrow --from/--to)\n";
  }
  const absl::Time first = FromProto(response.slots(0).start_time());
  const std::string patient = absl::GetFlag(FLAGS_patient);
  out << "Book one: clinicctl appointment book --patient="
      << (patient.empty() ? "PATIENT" : ShellWord(patient))
      << " --at=" << ShellWord(absl::FormatTime("%Y-%m-%d %H:%M", first, zone))
      << (absl::GetFlag(FLAGS_numbing) ? " --numbing" : "")
      << (consultation ? " --consultation" : "") << "\n";
  return absl::OkStatus();
}

absl::Status DayBook(Session& session, const Arguments&) {
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  const std::string& parent = scope->parent;
  const absl::TimeZone& zone = scope->zone;
  absl::StatusOr<absl::CivilDay> day = ParseLocalDate(absl::GetFlag(FLAGS_date), zone, absl::Now());
  if (!day.ok()) return FlagError("date", std::string(day.status().message()));
  const DayBounds bounds = BoundsOf(*day, zone);
  v1::ListAppointmentsRequest request;
  request.set_parent(parent);
  *request.mutable_start_time() = ToProto(bounds.start);
  *request.mutable_end_time() = ToProto(bounds.end);
  absl::StatusOr<PractitionerAndRoom> chosen = PractitionerAndRoomFlags(session, parent);
  if (!chosen.ok()) return chosen.status();
  request.set_practitioner(chosen->practitioner);
  request.set_room(chosen->room);
  v1::ListAppointmentsResponse all;
  if (absl::Status s = ListAllAppointments(session, request, &all); !s.ok()) return s;
  if (session.json()) return PrintJson(all, session.out());

  std::ostream& out = session.out();
  const bool clocks_change = ClocksChangeOn(*day, zone);
  out << "Day book of " << Printable(scope->clinic.display_name()) << " for " << FormatDay(*day)
      << " (" << zone.name() << ", " << absl::FormatTime("%Z", bounds.start, zone) << ")";
  if (clocks_change) {
    out << "; the clocks change today (a " << absl::ToInt64Hours(bounds.end - bounds.start)
        << "-hour day), so times show their zone";
  }
  out << ":\n";
  if (all.appointments().empty()) {
    out << "No appointments.\n";
    return absl::OkStatus();
  }
  Table table(
      {"TIME", "PATIENT", "TREATMENT", "PRACTITIONER", "ROOM", "STATE", "FLAGS", "APPOINTMENT"});
  std::map<std::string, int> states;
  for (const v1::Appointment& appointment : all.appointments()) {
    const std::string state = Word(appointment.state());
    ++states[state];
    table.AddRow({FormatSpan(FromProto(appointment.start_time()), FromProto(appointment.end_time()),
                             zone, clocks_change),
                  session.PatientName(appointment.patient()),
                  session.TreatmentName(appointment.treatment_type()),
                  session.PractitionerName(appointment.practitioner()),
                  session.RoomName(appointment.room()), state, AppointmentFlags(appointment),
                  ShortId(appointment.name())});
  }
  out << table.Render();
  std::vector<std::string> counts;
  for (const auto& [state, count] : states) counts.push_back(absl::StrCat(count, " ", state));
  out << all.appointments_size()
      << (all.appointments_size() == 1 ? " appointment: " : " appointments: ")
      << absl::StrJoin(counts, ", ") << "\n";
  return absl::OkStatus();
}

}  // namespace

CommandGroup ScheduleCommands() {
  return {"The day",
          {
              {"slots",
               "",
               "free slots for a treatment, in the clinic's local time",
               "Searches --from to --to (local dates; a week by default) with every booking rule\n"
               "applied; with --patient also their series spacing and screening deferrals.\n"
               "--consultation: times for the consultation before a first session.",
               {"treatment", "from", "to", "patient", "practitioner", "numbing", "consultation",
                "limit"},
               {},
               Slots},
              {"daybook",
               "",
               "a day's appointments, in the clinic's local time",
               "Lists the clinic's appointments of --date (today by default), every state,\n"
               "with names looked up once each; FLAGS shows a withdrawn consent.",
               {"date", "practitioner", "room"},
               {},
               DayBook},
          }};
}

}  // namespace clinicd::clinicctl
