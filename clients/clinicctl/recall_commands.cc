// recall list, snooze and dismiss; outbox list (what was sent, what waits).

#include <functional>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clients/clinicctl/command.h"
#include "clients/clinicctl/flags.h"
#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/resolve.h"
#include "clients/clinicctl/table.h"

namespace clinicd::clinicctl {
namespace {

// --view as a RecallView.
absl::StatusOr<v1::RecallView> View() {
  const std::string view = absl::AsciiStrToLower(absl::GetFlag(FLAGS_view));
  if (view == "all") return v1::RECALL_VIEW_UNSPECIFIED;
  if (view == "due") return v1::RECALL_VIEW_DUE;
  if (view == "upcoming") return v1::RECALL_VIEW_UPCOMING;
  if (view == "lapsed") return v1::RECALL_VIEW_LAPSED;
  return FlagError("view",
                   absl::StrCat("must be due, upcoming, lapsed or all, got \"", view, "\""));
}

// --snooze: whole days (14d), weeks (3w) or a duration absl reads (36h, 90m).
absl::StatusOr<absl::Duration> SnoozeFlag() {
  const std::string text = absl::AsciiStrToLower(absl::GetFlag(FLAGS_snooze));
  int count = 0;
  absl::Duration snooze;
  if (text.size() > 1 && (text.back() == 'd' || text.back() == 'w') &&
      absl::SimpleAtoi(text.substr(0, text.size() - 1), &count)) {
    snooze = absl::Hours(24) * count * (text.back() == 'w' ? 7 : 1);
  } else if (!absl::ParseDuration(text, &snooze)) {
    return FlagError("snooze",
                     absl::StrCat("\"", text, "\" is not a duration; use 14d, 3w or 36h"));
  }
  if (snooze <= absl::ZeroDuration()) return FlagError("snooze", "must be positive");
  return snooze;
}

// The recall RECALL names, and its clinic's zone.
absl::StatusOr<std::string> RecallArgument(Session& session, const std::string& argument,
                                           absl::TimeZone* zone) {
  absl::StatusOr<std::string> name = ChildName(session, "RECALL", "recalls", argument);
  if (!name.ok()) return name.status();
  absl::StatusOr<absl::TimeZone> clinic_zone = session.ZoneOf(ClinicOf(*name));
  if (!clinic_zone.ok()) return clinic_zone.status();
  *zone = *clinic_zone;
  return name;
}

std::string DateOr(const google::protobuf::Timestamp& time, bool set, const absl::TimeZone& zone) {
  return set ? FormatDate(FromProto(time), zone) : "";
}

// One recall as a line.
std::string RecallLine(Session& session, const v1::Recall& recall, const absl::TimeZone& zone) {
  std::string line =
      absl::StrCat(ShortId(recall.name()), ": ", session.PatientName(recall.patient()), ", ",
                   session.TreatmentName(recall.treatment_type()), ", ", Word(recall.state()),
                   ", due ", DateOr(recall.due_time(), recall.has_due_time(), zone));
  if (recall.has_snooze_until_time()) {
    absl::StrAppend(&line, ", notices held until ",
                    FormatDateTime(FromProto(recall.snooze_until_time()), zone));
  }
  if (!recall.dismiss_reason().empty())
    absl::StrAppend(&line, ", dismissed: ", recall.dismiss_reason());
  return line;
}

absl::Status List(Session& session, const Arguments&) {
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  const std::string& parent = scope->parent;
  const absl::TimeZone& zone = scope->zone;
  absl::StatusOr<v1::RecallView> view = View();
  if (!view.ok()) return view.status();
  v1::ListRecallsRequest request;
  request.set_parent(parent);
  request.set_view(*view);
  request.set_page_size(500);
  if (const std::string text = absl::GetFlag(FLAGS_patient); !text.empty()) {
    absl::StatusOr<std::string> patient = ResolvePatient(session, "--patient", text);
    if (!patient.ok()) return patient.status();
    request.set_patient(*patient);
  }
  v1::ListRecallsResponse response;
  if (absl::Status s =
          session.rpc().Call(&v1::FollowUpService::Stub::ListRecalls, request, &response);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(response, session.out());
  if (response.recalls().empty()) {
    session.out() << "No "
                  << (absl::GetFlag(FLAGS_view) == "all" ? "" : absl::GetFlag(FLAGS_view) + " ")
                  << "recalls.\n";
    return absl::OkStatus();
  }
  Table table({"RECALL", "PATIENT", "TREATMENT", "STATE", "DUE", "LAPSES", "NOTICES HELD UNTIL"});
  for (const v1::Recall& recall : response.recalls()) {
    table.AddRow({ShortId(recall.name()), session.PatientName(recall.patient()),
                  session.TreatmentName(recall.treatment_type()), Word(recall.state()),
                  DateOr(recall.due_time(), recall.has_due_time(), zone),
                  DateOr(recall.lapse_time(), recall.has_lapse_time(), zone),
                  DateOr(recall.snooze_until_time(), recall.has_snooze_until_time(), zone)});
  }
  session.out() << table.Render();
  if (!response.next_page_token().empty()) session.out() << "(more recalls not shown)\n";
  return absl::OkStatus();
}

// Asks `method` to change RECALL (the request's name set, the rest by
// `fill`) and reports the result under `headline`.
template <typename Request>
absl::Status ChangeRecall(Session& session, const Arguments& arguments,
                          grpc::Status (v1::FollowUpService::Stub::*method)(grpc::ClientContext*,
                                                                            const Request&,
                                                                            v1::Recall*),
                          const std::string& headline, const std::function<void(Request&)>& fill) {
  absl::TimeZone zone;
  absl::StatusOr<std::string> name = RecallArgument(session, arguments[0], &zone);
  if (!name.ok()) return name.status();
  Request request;
  request.set_name(*name);
  fill(request);
  v1::Recall recall;
  if (absl::Status s = session.rpc().Call(method, request, &recall); !s.ok()) return s;
  if (session.json()) return PrintJson(recall, session.out());
  session.out() << headline << " " << Printable(RecallLine(session, recall, zone)) << "\n";
  return absl::OkStatus();
}

absl::Status Snooze(Session& session, const Arguments& arguments) {
  absl::StatusOr<absl::Duration> snooze = SnoozeFlag();
  if (!snooze.ok()) return snooze.status();
  session.refusal().field_flags = {{"snooze", "snooze"}};
  return ChangeRecall<v1::SnoozeRecallRequest>(
      session, arguments, &v1::FollowUpService::Stub::SnoozeRecall, "Snoozed",
      [&](v1::SnoozeRecallRequest& request) {
        request.mutable_snooze()->set_seconds(absl::ToInt64Seconds(*snooze));
      });
}

absl::Status Dismiss(Session& session, const Arguments& arguments) {
  session.refusal().field_flags = {{"reason", "reason"}};
  return ChangeRecall<v1::DismissRecallRequest>(
      session, arguments, &v1::FollowUpService::Stub::DismissRecall, "Dismissed",
      [](v1::DismissRecallRequest& request) { request.set_reason(absl::GetFlag(FLAGS_reason)); });
}

absl::Status Outbox(Session& session, const Arguments&) {
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  const std::string& parent = scope->parent;
  const absl::TimeZone& zone = scope->zone;
  const int limit = absl::GetFlag(FLAGS_limit);
  if (limit < 1 || limit > 500) return FlagError("limit", "must be from 1 to 500");
  v1::ListNotificationsRequest request;
  request.set_parent(parent);
  request.set_page_size(limit);
  if (const std::string text = absl::GetFlag(FLAGS_patient); !text.empty()) {
    absl::StatusOr<std::string> patient = ResolvePatient(session, "--patient", text);
    if (!patient.ok()) return patient.status();
    request.set_patient(*patient);
  }
  if (const std::string text = absl::GetFlag(FLAGS_appointment); !text.empty()) {
    absl::StatusOr<std::string> appointment =
        ChildName(session, "--appointment", "appointments", text);
    if (!appointment.ok()) return appointment.status();
    request.set_resource(*appointment);
  }
  if (absl::GetFlag(FLAGS_pending)) {
    request.add_states(v1::NOTIFICATION_STATE_PENDING);
    request.add_states(v1::NOTIFICATION_STATE_LEASED);
  }
  session.refusal().field_flags = {
      {"patient", "patient"}, {"resource", "appointment"}, {"page_size", "limit"}};
  v1::ListNotificationsResponse response;
  if (absl::Status s =
          session.rpc().Call(&v1::NotificationService::Stub::ListNotifications, request, &response);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(response, session.out());
  if (response.notifications().empty()) {
    session.out() << "No messages.\n";
    return absl::OkStatus();
  }
  Table table({"DUE", "KIND", "CHANNEL", "TO", "STATE", "TRIES", "SUBJECT", "DETAIL", "MESSAGE"});
  table.AlignRight(5);
  for (const v1::Notification& each : response.notifications()) {
    table.AddRow({FormatDateTime(FromProto(each.due_time()), zone), Word(each.kind()),
                  Word(each.channel()), each.recipient(), Word(each.state()),
                  absl::StrCat(each.attempts()), each.subject(), each.delivery_detail(),
                  ShortId(each.name())});
  }
  session.out() << table.Render();
  if (!response.next_page_token().empty()) session.out() << "(more: raise --limit)\n";
  return absl::OkStatus();
}

absl::Status SendNow(Session& session, const Arguments& arguments) {
  absl::StatusOr<std::string> name = ChildName(session, "MESSAGE", "notifications", arguments[0]);
  if (!name.ok()) return name.status();
  absl::StatusOr<absl::TimeZone> zone = session.ZoneOf(ClinicOf(*name));
  if (!zone.ok()) return zone.status();
  v1::SendNotificationNowRequest request;
  request.set_name(*name);
  v1::Notification sent;
  if (absl::Status s =
          session.rpc().Call(&v1::NotificationService::Stub::SendNotificationNow, request, &sent);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(sent, session.out());
  session.out() << "Due now: " << Word(sent.kind()) << " by " << Word(sent.channel()) << " to "
                << Printable(sent.recipient()) << ", \"" << Printable(sent.subject()) << "\", due "
                << FormatDateTime(FromProto(sent.due_time()), *zone) << " (" << Word(sent.state())
                << ")\n";
  return absl::OkStatus();
}

}  // namespace

CommandGroup RecallCommands() {
  return {"Recalls and messages",
          {
              {"recall list",
               "",
               "maintenance recalls: due, upcoming or lapsed",
               "",
               {"view", "patient"},
               {},
               List},
              {"recall snooze",
               "RECALL",
               "hold a recall's notices for a while",
               "",
               {"snooze"},
               {},
               Snooze},
              {"recall dismiss",
               "RECALL",
               "dismiss a recall, saying why",
               "",
               {"reason"},
               {"reason"},
               Dismiss},
              {"outbox list",
               "",
               "messages to patients: what was sent, what is pending",
               "The clinic's outbox by due time, for --patient or --appointment.",
               {"patient", "appointment", "pending", "limit"},
               {},
               Outbox},
              {"outbox send-now",
               "MESSAGE",
               "send a pending message ahead of its time",
               "E.g. the patient asks for the preparation instructions today; the clinic's\n"
               "quiet hours still apply. MESSAGE is an id from clinicctl outbox list.",
               {},
               {},
               SendNow},
          }};
}

}  // namespace clinicd::clinicctl
