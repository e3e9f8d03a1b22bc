// timeoff add/list/delete and closure add/list/delete: the periods a
// practitioner is away or the whole clinic is closed, typed and shown on the
// clinic's clock. Booking and slots leave them out.

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/clinicctl/command.h"
#include "clients/clinicctl/flag_checks.h"
#include "clients/clinicctl/flags.h"
#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/resolve.h"
#include "clients/clinicctl/table.h"

namespace clinicd::clinicctl {
namespace {

// "Mon 2027-08-02 00:00 CEST to Sat 2027-08-14 00:00 CEST".
std::string PeriodText(const google::protobuf::Timestamp& start,
                       const google::protobuf::Timestamp& end, const absl::TimeZone& zone) {
  return absl::StrCat(FormatDateTime(FromProto(start), zone), " to ",
                      FormatDateTime(FromProto(end), zone));
}

// --from/--to as a period in `zone`, the request fields they set named for advice.
absl::StatusOr<Period> PeriodFlags(Session& session, const std::string& field,
                                   const absl::TimeZone& zone) {
  session.refusal().field_flags = {
      {field + ".start_time", "from"}, {field + ".end_time", "to"}, {field + ".reason", "reason"}};
  return PeriodFromFlags(absl::GetFlag(FLAGS_from), absl::GetFlag(FLAGS_to), zone, absl::Now());
}

// The practitioners --practitioner names (one), or all of the clinic's.
absl::StatusOr<std::vector<std::string>> Practitioners(Session& session,
                                                       const std::string& parent) {
  if (const std::string text = absl::GetFlag(FLAGS_practitioner); !text.empty()) {
    absl::StatusOr<std::string> one = ResolvePractitioner(session, parent, text);
    if (!one.ok()) return one.status();
    return std::vector<std::string>{*one};
  }
  v1::ListPractitionersRequest request;
  request.set_parent(parent);
  request.set_page_size(500);
  v1::ListPractitionersResponse response;
  if (absl::Status s =
          session.rpc().Call(&v1::PracticeService::Stub::ListPractitioners, request, &response);
      !s.ok()) {
    return s;
  }
  std::vector<std::string> names;
  for (const v1::Practitioner& practitioner : response.practitioners()) {
    names.push_back(practitioner.name());
  }
  return names;
}

// Every time-off period of `practitioner`.
absl::Status ListTimeOffOf(Session& session, const std::string& practitioner,
                           v1::ListTimeOffResponse* all) {
  v1::ListTimeOffRequest request;
  request.set_parent(practitioner);
  request.set_page_size(500);
  do {
    v1::ListTimeOffResponse page;
    if (absl::Status s =
            session.rpc().Call(&v1::PracticeService::Stub::ListTimeOff, request, &page);
        !s.ok()) {
      return s;
    }
    for (v1::TimeOff& time_off : *page.mutable_time_off()) {
      *all->add_time_off() = std::move(time_off);
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return absl::OkStatus();
}

absl::Status AddTimeOff(Session& session, const Arguments&) {
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  absl::StatusOr<Period> period = PeriodFlags(session, "time_off", scope->zone);
  if (!period.ok()) return period.status();
  absl::StatusOr<std::string> practitioner =
      ResolvePractitioner(session, scope->parent, absl::GetFlag(FLAGS_practitioner));
  if (!practitioner.ok()) return practitioner.status();
  v1::CreateTimeOffRequest request;
  request.set_parent(*practitioner);
  *request.mutable_time_off()->mutable_start_time() = ToProto(period->start);
  *request.mutable_time_off()->mutable_end_time() = ToProto(period->end);
  request.mutable_time_off()->set_reason(absl::GetFlag(FLAGS_reason));
  request.set_request_id(NewRequestId());
  v1::TimeOff created;
  if (absl::Status s =
          session.rpc().Call(&v1::PracticeService::Stub::CreateTimeOff, request, &created);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(created, session.out());
  session.out() << "Time off for " << Printable(session.PractitionerName(*practitioner)) << ": "
                << PeriodText(created.start_time(), created.end_time(), scope->zone)
                << (created.reason().empty() ? "" : " (" + Printable(created.reason()) + ")")
                << ", " << ShortId(created.name()) << ".\n";
  return absl::OkStatus();
}

absl::Status ListTimeOff(Session& session, const Arguments&) {
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  absl::StatusOr<std::vector<std::string>> practitioners = Practitioners(session, scope->parent);
  if (!practitioners.ok()) return practitioners.status();
  v1::ListTimeOffResponse all;
  for (const std::string& practitioner : *practitioners) {
    if (absl::Status s = ListTimeOffOf(session, practitioner, &all); !s.ok()) return s;
  }
  if (session.json()) return PrintJson(all, session.out());
  Table table({"PRACTITIONER", "FROM", "TO", "REASON", "TIME OFF"});
  for (const v1::TimeOff& time_off : all.time_off()) {
    const std::string practitioner = time_off.name().substr(0, time_off.name().find("/timeOff/"));
    table.AddRow({session.PractitionerName(practitioner),
                  FormatDateTime(FromProto(time_off.start_time()), scope->zone),
                  FormatDateTime(FromProto(time_off.end_time()), scope->zone), time_off.reason(),
                  ShortId(time_off.name())});
  }
  session.out() << (table.empty() ? "No time off recorded.\n" : table.Render());
  return absl::OkStatus();
}

// The time off `argument` names: a full name, or an id of one of the
// clinic's practitioners' (--practitioner's when given).
absl::StatusOr<std::string> TimeOffName(Session& session, const std::string& argument) {
  if (absl::StrContains(argument, '/')) {
    if (!absl::StrContains(argument, "/practitioners/") ||
        !absl::StrContains(argument, "/timeOff/")) {
      return absl::InvalidArgumentError(
          absl::StrCat("TIME_OFF: \"", argument,
                       "\" is neither an id nor a name clinics/C/practitioners/P/timeOff/T"));
    }
    return argument;
  }
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  absl::StatusOr<std::vector<std::string>> practitioners = Practitioners(session, scope->parent);
  if (!practitioners.ok()) return practitioners.status();
  for (const std::string& practitioner : *practitioners) {
    v1::ListTimeOffResponse all;
    if (absl::Status s = ListTimeOffOf(session, practitioner, &all); !s.ok()) return s;
    for (const v1::TimeOff& time_off : all.time_off()) {
      if (ShortId(time_off.name()) == argument) return time_off.name();
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("TIME_OFF: no time off \"", argument,
                                                 "\"; clinicctl timeoff list shows the ids"));
}

absl::Status DeleteTimeOff(Session& session, const Arguments& arguments) {
  absl::StatusOr<std::string> name = TimeOffName(session, arguments[0]);
  if (!name.ok()) return name.status();
  if (absl::Status s = session.ZoneOf(ClinicOf(*name)).status(); !s.ok()) return s;
  v1::DeleteTimeOffRequest request;
  request.set_name(*name);
  google::protobuf::Empty empty;
  if (absl::Status s =
          session.rpc().Call(&v1::PracticeService::Stub::DeleteTimeOff, request, &empty);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(empty, session.out());
  session.out() << "Deleted time off " << ShortId(*name) << " of "
                << Printable(session.PractitionerName(name->substr(0, name->find("/timeOff/"))))
                << ".\n";
  return absl::OkStatus();
}

absl::Status AddClosure(Session& session, const Arguments&) {
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  absl::StatusOr<Period> period = PeriodFlags(session, "closure", scope->zone);
  if (!period.ok()) return period.status();
  v1::CreateClosureRequest request;
  request.set_parent(scope->parent);
  *request.mutable_closure()->mutable_start_time() = ToProto(period->start);
  *request.mutable_closure()->mutable_end_time() = ToProto(period->end);
  request.mutable_closure()->set_reason(absl::GetFlag(FLAGS_reason));
  request.set_request_id(NewRequestId());
  v1::Closure created;
  if (absl::Status s =
          session.rpc().Call(&v1::PracticeService::Stub::CreateClosure, request, &created);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(created, session.out());
  session.out() << "Closed: " << Printable(scope->clinic.display_name()) << ", "
                << PeriodText(created.start_time(), created.end_time(), scope->zone)
                << (created.reason().empty() ? "" : " (" + Printable(created.reason()) + ")")
                << ", " << ShortId(created.name()) << ".\n";
  return absl::OkStatus();
}

absl::Status ListClosures(Session& session, const Arguments&) {
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  v1::ListClosuresRequest request;
  request.set_parent(scope->parent);
  request.set_page_size(500);
  v1::ListClosuresResponse all;
  do {
    v1::ListClosuresResponse page;
    if (absl::Status s =
            session.rpc().Call(&v1::PracticeService::Stub::ListClosures, request, &page);
        !s.ok()) {
      return s;
    }
    for (v1::Closure& closure : *page.mutable_closures()) *all.add_closures() = std::move(closure);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (session.json()) return PrintJson(all, session.out());
  Table table({"FROM", "TO", "REASON", "CLOSURE"});
  for (const v1::Closure& closure : all.closures()) {
    table.AddRow({FormatDateTime(FromProto(closure.start_time()), scope->zone),
                  FormatDateTime(FromProto(closure.end_time()), scope->zone), closure.reason(),
                  ShortId(closure.name())});
  }
  session.out() << (table.empty() ? "No closures recorded.\n" : table.Render());
  return absl::OkStatus();
}

absl::Status DeleteClosure(Session& session, const Arguments& arguments) {
  absl::StatusOr<std::string> name = ChildName(session, "CLOSURE", "closures", arguments[0]);
  if (!name.ok()) return name.status();
  if (absl::Status s = session.ZoneOf(ClinicOf(*name)).status(); !s.ok()) return s;
  v1::DeleteClosureRequest request;
  request.set_name(*name);
  google::protobuf::Empty empty;
  if (absl::Status s =
          session.rpc().Call(&v1::PracticeService::Stub::DeleteClosure, request, &empty);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(empty, session.out());
  session.out() << "Deleted closure " << ShortId(*name) << ".\n";
  return absl::OkStatus();
}

constexpr char kPeriodHelp[] =
    "--from and --to are local times (\"2027-08-02 13:00\") or dates: a date --from\n"
    "begins at its midnight, a date --to runs through the end of that day.";

}  // namespace

CommandGroup CalendarCommands() {
  return {"Time off and closures",
          {
              {"timeoff add",
               "",
               "record a period a practitioner does not work (front-desk key)",
               kPeriodHelp,
               {"practitioner", "from", "to", "reason"},
               {"practitioner", "from", "to"},
               AddTimeOff},
              {"timeoff list",
               "",
               "time off of a practitioner (--practitioner) or of everyone",
               "",
               {"practitioner"},
               {},
               ListTimeOff},
              {"timeoff delete",
               "TIME_OFF",
               "delete a time-off period (front-desk key)",
               "TIME_OFF is the id timeoff list shows, or its full name.",
               {"practitioner"},
               {},
               DeleteTimeOff},
              {"closure add",
               "",
               "record a period the whole clinic is closed (front-desk key)",
               kPeriodHelp,
               {"from", "to", "reason"},
               {"from", "to"},
               AddClosure},
              {"closure list", "", "the clinic's closures", "", {}, {}, ListClosures},
              {"closure delete",
               "CLOSURE",
               "delete a closure (front-desk key)",
               "",
               {},
               {},
               DeleteClosure},
          }};
}

}  // namespace clinicd::clinicctl
