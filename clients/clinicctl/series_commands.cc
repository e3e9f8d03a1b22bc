// series create, list, show, plan and cancel: courses of sessions, with each
// session's window in local dates and which are booked or done.

#include <map>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "clients/clinicctl/appointment_view.h"
#include "clients/clinicctl/command.h"
#include "clients/clinicctl/flags.h"
#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/resolve.h"
#include "clients/clinicctl/table.h"

namespace clinicd::clinicctl {
namespace {

// "2 of 6 done".
std::string Progress(const v1::Series& series) {
  int done = 0;
  for (const v1::SeriesSession& session : series.sessions()) {
    if (session.appointment_state() == v1::APPOINTMENT_STATE_COMPLETED) ++done;
  }
  return absl::StrCat(done, " of ", series.planned_sessions(), " done");
}

// "Mon 2027-04-12 to Mon 2027-04-26", or "" when the session has no window yet.
std::string Window(const v1::SeriesSession& session, const absl::TimeZone& zone) {
  if (!session.has_window_start_time()) return "";
  std::string window = FormatDate(FromProto(session.window_start_time()), zone);
  if (session.has_window_end_time()) {
    absl::StrAppend(&window, " to ", FormatDate(FromProto(session.window_end_time()), zone));
  }
  return window;
}

// The series as a headline and a table of its sessions.
void PrintSeries(Session& session, const v1::Series& series, const absl::TimeZone& zone) {
  std::ostream& out = session.out();
  out << "Series " << ShortId(series.name()) << ": "
      << Printable(session.PatientName(series.patient())) << ", "
      << session.TreatmentName(series.treatment_type()) << " for "
      << Printable(IndicationName(session, series.treatment_type(), series.indication())) << ", "
      << Word(series.state()) << ", " << Progress(series) << "\n";
  if (!series.cancel_reason().empty())
    out << "Cancelled: " << Printable(series.cancel_reason()) << "\n";
  Table table({"#", "WINDOW", "APPOINTMENT", "STATE", "ID"});
  table.AlignRight(0);
  for (const v1::SeriesSession& each : series.sessions()) {
    std::string when;
    if (!each.appointment().empty()) {
      v1::GetAppointmentRequest request;
      request.set_name(each.appointment());
      v1::Appointment appointment;
      if (session.rpc()
              .Call(&v1::BookingService::Stub::GetAppointment, request, &appointment)
              .ok()) {
        when = FormatDateTime(FromProto(appointment.start_time()), zone);
      }
    }
    const std::string window = Window(each, zone);
    table.AddRow(
        {absl::StrCat(each.number()),
         window.empty() ? (each.number() == 1 ? "any time" : "after the one before") : window,
         when.empty() ? "-" : when,
         each.appointment().empty() ? "not booked" : Word(each.appointment_state()),
         ShortId(each.appointment())});
  }
  out << table.Render();
  if (!series.recall().empty()) out << "Maintenance recall: " << ShortId(series.recall()) << "\n";
}

// The series SERIES names, and its clinic's zone.
absl::StatusOr<std::string> SeriesArgument(Session& session, const std::string& argument,
                                           absl::TimeZone* zone) {
  absl::StatusOr<std::string> name = ChildName(session, "SERIES", "series", argument);
  if (!name.ok()) return name.status();
  absl::StatusOr<absl::TimeZone> clinic_zone = session.ZoneOf(ClinicOf(*name));
  if (!clinic_zone.ok()) return clinic_zone.status();
  *zone = *clinic_zone;
  session.refusal().series = argument;
  return name;
}

absl::Status Create(Session& session, const Arguments&) {
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  const std::string& parent = scope->parent;
  const absl::TimeZone& zone = scope->zone;
  absl::StatusOr<std::string> patient =
      ResolvePatient(session, "--patient", absl::GetFlag(FLAGS_patient));
  if (!patient.ok()) return patient.status();
  session.refusal().patient = absl::GetFlag(FLAGS_patient);
  session.refusal().treatment = absl::GetFlag(FLAGS_treatment);
  if (absl::GetFlag(FLAGS_sessions) < 0) return FlagError("sessions", "must not be negative");
  v1::CreateSeriesRequest request;
  request.set_parent(parent);
  v1::Series* series = request.mutable_series();
  series->set_patient(*patient);
  series->set_treatment_type(TreatmentTypeName(absl::GetFlag(FLAGS_treatment)));
  series->set_indication(absl::GetFlag(FLAGS_indication));
  series->set_planned_sessions(absl::GetFlag(FLAGS_sessions));
  request.set_request_id(NewRequestId());
  session.refusal().field_flags = {{"series.patient", "patient"},
                                   {"series.treatment_type", "treatment"},
                                   {"series.indication", "indication"},
                                   {"series.planned_sessions", "sessions"}};
  v1::Series created;
  if (absl::Status s =
          session.rpc().Call(&v1::FollowUpService::Stub::CreateSeries, request, &created);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(created, session.out());
  PrintSeries(session, created, zone);
  session.out() << "Plan the first session: clinicctl series plan " << ShortId(created.name())
                << "\n";
  return absl::OkStatus();
}

absl::Status List(Session& session, const Arguments& arguments) {
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  const absl::TimeZone& zone = scope->zone;
  v1::ListSeriesRequest request;
  request.set_parent(scope->parent);
  request.set_page_size(500);
  if (!arguments.empty()) {
    absl::StatusOr<std::string> patient = ResolvePatient(session, "PATIENT", arguments[0]);
    if (!patient.ok()) return patient.status();
    request.set_patient(*patient);
  }
  v1::ListSeriesResponse response;
  if (absl::Status s =
          session.rpc().Call(&v1::FollowUpService::Stub::ListSeries, request, &response);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(response, session.out());
  if (response.series().empty()) {
    session.out() << "No series.\n";
    return absl::OkStatus();
  }
  Table table({"SERIES", "PATIENT", "TREATMENT", "INDICATION", "STATE", "PROGRESS", "NEXT WINDOW"});
  for (const v1::Series& series : response.series()) {
    std::string next;
    for (const v1::SeriesSession& each : series.sessions()) {
      if (each.appointment().empty()) {
        next = Window(each, zone);
        break;
      }
    }
    table.AddRow({ShortId(series.name()), session.PatientName(series.patient()),
                  session.TreatmentName(series.treatment_type()), series.indication(),
                  Word(series.state()), Progress(series), next});
  }
  session.out() << table.Render();
  if (!response.next_page_token().empty()) session.out() << "(more series not shown)\n";
  return absl::OkStatus();
}

absl::Status Show(Session& session, const Arguments& arguments) {
  absl::TimeZone zone;
  absl::StatusOr<std::string> name = SeriesArgument(session, arguments[0], &zone);
  if (!name.ok()) return name.status();
  v1::GetSeriesRequest request;
  request.set_name(*name);
  v1::Series series;
  if (absl::Status s = session.rpc().Call(&v1::FollowUpService::Stub::GetSeries, request, &series);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(series, session.out());
  PrintSeries(session, series, zone);
  return absl::OkStatus();
}

absl::Status Plan(Session& session, const Arguments& arguments) {
  const int limit = absl::GetFlag(FLAGS_limit);
  if (limit < 1 || limit > 100) return FlagError("limit", "must be from 1 to 100 for a plan");
  absl::TimeZone zone;
  absl::StatusOr<std::string> name = SeriesArgument(session, arguments[0], &zone);
  if (!name.ok()) return name.status();
  v1::PlanNextSessionRequest request;
  request.set_series(*name);
  request.set_max_slots(limit);
  session.refusal().field_flags = {{"max_slots", "limit"}};
  v1::PlanNextSessionResponse plan;
  if (absl::Status s =
          session.rpc().Call(&v1::FollowUpService::Stub::PlanNextSession, request, &plan);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(plan, session.out());
  std::ostream& out = session.out();
  const std::string window = Window(plan.session(), zone);
  out << "Next: session " << plan.session().number() << " of series " << ShortId(*name)
      << (window.empty() ? "" : ", window " + window) << " (" << zone.name() << ")\n";
  if (plan.slots().empty()) {
    out << "No free slots in the window; clinicctl slots --from=DATE shows other days.\n";
    return absl::OkStatus();
  }
  out << SlotTable(session, plan.slots(), zone);
  v1::GetSeriesRequest get;
  get.set_name(*name);
  v1::Series series;
  const std::string patient =
      session.rpc().Call(&v1::FollowUpService::Stub::GetSeries, get, &series).ok()
          ? ShortId(series.patient())
          : "PATIENT";
  out << "Book one: clinicctl appointment book --patient=" << patient
      << " --series=" << ShortId(*name) << " --at="
      << ShellWord(absl::FormatTime("%Y-%m-%d %H:%M", FromProto(plan.slots(0).start_time()), zone))
      << "\n";
  return absl::OkStatus();
}

absl::Status Cancel(Session& session, const Arguments& arguments) {
  absl::TimeZone zone;
  absl::StatusOr<std::string> name = SeriesArgument(session, arguments[0], &zone);
  if (!name.ok()) return name.status();
  v1::CancelSeriesRequest request;
  request.set_name(*name);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  session.refusal().field_flags = {{"reason", "reason"}};
  v1::Series series;
  if (absl::Status s =
          session.rpc().Call(&v1::FollowUpService::Stub::CancelSeries, request, &series);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(series, session.out());
  PrintSeries(session, series, zone);
  session.out() << "Booked sessions stay booked; cancel them with clinicctl appointment cancel.\n";
  return absl::OkStatus();
}

}  // namespace

CommandGroup SeriesCommands() {
  return {"Series (courses of sessions)",
          {
              {"series create",
               "",
               "plan a course for a patient",
               "Plans --sessions (default: the protocol's) of --treatment for --indication\n"
               "(default: the one the patient's consultation recorded); each session's\n"
               "window follows from the actual date of the one before.",
               {"patient", "indication", "sessions", "treatment"},
               {"patient"},
               Create},
              {"series list",
               "[PATIENT]",
               "the clinic's (or a patient's) series with progress",
               "",
               {},
               {},
               List},
              {"series show",
               "SERIES",
               "a series' sessions: windows, bookings, what is done",
               "",
               {},
               {},
               Show},
              {"series plan",
               "SERIES",
               "the next session's window and free slots in it",
               "",
               {"limit"},
               {},
               Plan},
              {"series cancel",
               "SERIES",
               "end a series early (booked sessions stay)",
               "",
               {"reason"},
               {"reason"},
               Cancel},
          }};
}

}  // namespace clinicd::clinicctl
