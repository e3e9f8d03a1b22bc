#include "clients/clinicctl/refusal.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/output.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace clinicd::clinicctl {
namespace {

// The payload FromRpc keeps clinicd's details under.
constexpr char kRpcStatusUrl[] = "type.googleapis.com/google.rpc.Status";

// What clinicd's details say.
struct Details {
  // clinicd's message, its times on the clinic's clock.
  std::string message;
  std::string reason;
  std::map<std::string, std::string> metadata;
  std::vector<std::pair<std::string, std::string>> violations;  // field, description
};

Details DetailsOf(const absl::Status& status) {
  Details details;
  const auto payload = status.GetPayload(kRpcStatusUrl);
  google::rpc::Status rpc;
  if (!payload || !rpc.ParseFromString(std::string(*payload))) return details;
  for (const google::protobuf::Any& any : rpc.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&info)) {
      details.reason = info.reason();
      details.metadata = {info.metadata().begin(), info.metadata().end()};
    } else if (any.UnpackTo(&bad_request)) {
      for (const auto& violation : bad_request.field_violations()) {
        details.violations.emplace_back(violation.field(), violation.description());
      }
    }
  }
  return details;
}

// The value of metadata `key`, or "".
std::string Meta(const Details& details, const std::string& key) {
  const auto found = details.metadata.find(key);
  return found == details.metadata.end() ? "" : found->second;
}

// An RFC 3339 time from the metadata, parsed; nullopt when absent or malformed.
std::optional<absl::Time> MetaTime(const Details& details, const std::string& key) {
  absl::Time time;
  std::string error;
  const std::string text = Meta(details, key);
  if (text.empty() || !absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return std::nullopt;
  }
  return time;
}

std::string PatientArg(const RefusalContext& context) {
  return context.patient.empty() ? "PATIENT" : ShellWord(context.patient);
}

std::string TreatmentShown(const RefusalContext& context) {
  return context.treatment.empty() ? "the treatment" : context.treatment;
}

// `clinicctl slots` for the patient from the local date of `from`.
std::string SlotsCommand(const RefusalContext& context, std::optional<absl::Time> from) {
  std::string command = "clinicctl slots";
  if (!context.treatment.empty()) absl::StrAppend(&command, " --treatment=", context.treatment);
  if (!context.patient.empty()) absl::StrAppend(&command, " --patient=", PatientArg(context));
  if (from) {
    absl::StrAppend(&command,
                    " --from=", absl::FormatCivilTime(absl::ToCivilDay(*from, context.zone)));
  }
  return command;
}

std::string AppointmentArg(const RefusalContext& context) {
  return context.appointment.empty() ? "APPOINTMENT" : ShellWord(context.appointment);
}

// The id of the first `clinics/C/appointments/A` in `text`, or "".
std::string AppointmentIdIn(const std::string& text) {
  constexpr char kCollection[] = "/appointments/";
  const size_t found = text.find(kCollection);
  if (found == std::string::npos) return "";
  const size_t start = found + sizeof(kCollection) - 1;
  size_t end = start;
  while (end < text.size() && absl::ascii_isalnum(static_cast<unsigned char>(text[end]))) ++end;
  return text.substr(start, end - start);
}

// "a clinician may book past it: clinicctl appointment book ... --override=R ...".
std::string OverrideLine(const std::string& reason, const RefusalContext& context) {
  const std::string command = absl::StartsWith(context.action, "appointment ")
                                  ? absl::StrCat("clinicctl ", context.action, " ... ")
                                  : std::string("clinicctl appointment book|reschedule ... ");
  return absl::StrCat("a clinician may book past it: ", command, "--override=", reason,
                      " --justification=WHY (with a clinician's key)");
}

// Advice for CONSULTATION_REQUIRED: book the consultation, or record its outcome.
std::string ConsultationAdvice(const Details& details, const RefusalContext& context) {
  const std::string advice = Meta(details, "advice_CONSULTATION_REQUIRED");
  const std::string record =
      "clinicctl consultation record APPOINTMENT --suitable --indication=ID (or --not_suitable)";
  const std::string consultation = AppointmentIdIn(advice);
  if (!consultation.empty()) {
    return absl::StrCat(
        "CONSULTATION_REQUIRED: the consultation before the first session has no outcome yet; "
        "the clinician records it (clinician key): clinicctl consultation record ",
        consultation, " --suitable --indication=ID (or --not_suitable)");
  }
  const std::string treatment_flag =
      context.treatment.empty() ? "" : " --treatment=" + context.treatment;
  const std::string book =
      absl::StrCat("book one: clinicctl appointment book --patient=", PatientArg(context),
                   treatment_flag, " --consultation --at=... (free times: clinicctl slots",
                   treatment_flag, " --consultation), then record its outcome: ", record);
  if (absl::StrContains(advice, "suitable") || absl::StrContains(details.message, "not suitable")) {
    return absl::StrCat(
        "CONSULTATION_REQUIRED: the last consultation found the patient not suitable; a first "
        "session needs one that finds them suitable: ",
        book);
  }
  return absl::StrCat("CONSULTATION_REQUIRED: a first session of ", TreatmentShown(context),
                      " needs a consultation before it; ", book);
}

// Advice for one clearance reason (check-in, and booking's screening checks).
std::string ClearanceAdvice(const std::string& reason, const Details& details,
                            const RefusalContext& context) {
  const std::string status_command =
      absl::StrCat("clinicctl consent status ", PatientArg(context),
                   context.treatment.empty() ? "" : " --treatment=" + context.treatment);
  const std::string treatment_flag =
      context.treatment.empty() ? "" : " --treatment=" + context.treatment;
  if (reason == "CONSULTATION_REQUIRED") return ConsultationAdvice(details, context);
  if (reason == "CONSENT_REQUIRED") {
    return absl::StrCat("CONSENT_REQUIRED: no current consent for ", TreatmentShown(context),
                        "; have the patient sign the current consent form (the version clinicd ",
                        "names above): clinicctl consent sign ", PatientArg(context),
                        treatment_flag, ", then check: ", status_command);
  }
  if (reason == "SCREENING_REQUIRED") {
    return absl::StrCat("SCREENING_REQUIRED: the patient answers the ", TreatmentShown(context),
                        " screening questions (a screening counts for 30 days): clinicctl ",
                        "screening submit ", PatientArg(context), treatment_flag,
                        ", then check: ", status_command);
  }
  if (reason == "REVIEW_REQUIRED") {
    return absl::StrCat("REVIEW_REQUIRED: a clinician reviews the patient's screening before ",
                        "treatment, then check: ", status_command);
  }
  if (reason == "DEFERRED" || reason == "CONTRAINDICATED") {
    const std::optional<absl::Time> earliest = MetaTime(details, "earliest_treatable_time");
    const std::string what = reason == "DEFERRED" ? "treatment is deferred" : "not treatable";
    if (!earliest) {
      return absl::StrCat(reason, ": ", what, " by the screening; ", status_command,
                          " says until when");
    }
    return absl::StrCat(reason, ": ", what, "; earliest treatable ",
                        FormatDateTime(*earliest, context.zone), ": find a time from then with ",
                        SlotsCommand(context, earliest));
  }
  return absl::StrCat(reason, ": ", status_command, " says what is missing");
}

// The clearance reasons of a check-in or booking refusal, in order.
std::vector<std::string> ClearanceReasons(const Details& details) {
  const std::string listed = Meta(details, "reasons");
  if (listed.empty()) return {details.reason};
  return absl::StrSplit(listed, ',', absl::SkipEmpty());
}

bool IsClearanceReason(const std::string& reason) {
  for (const char* known : {"CONSENT_REQUIRED", "SCREENING_REQUIRED", "REVIEW_REQUIRED", "DEFERRED",
                            "CONTRAINDICATED", "NOT_CLEARED", "CONSULTATION_REQUIRED"}) {
    if (reason == known) return true;
  }
  return false;
}

// Advice for TOO_EARLY, by what was tried: check-in opens a while before
// the start; completion, a consultation's outcome and a no-show wait for it.
std::string TooEarlyAdvice(const Details& details, const RefusalContext& context) {
  const std::optional<absl::Time> earliest = MetaTime(details, "earliest_time");
  const std::string when =
      earliest ? FormatDateTime(*earliest, context.zone) : std::string("the time clinicd names");
  const std::string& action = context.action;
  if (absl::EndsWith(action, "check-in")) {
    return earliest ? absl::StrCat("check-in opens at ", when,
                                   "; try again then: clinicctl appointment check-in ",
                                   AppointmentArg(context))
                    : "check-in opens shortly before the session starts; try again then";
  }
  if (absl::EndsWith(action, "no-show")) {
    return "a no-show can be recorded only once the appointment has started";
  }
  if (absl::EndsWith(action, "complete") || absl::StartsWith(action, "consultation")) {
    return absl::StrCat("the session starts at ", when, "; record it once it has begun: clinicctl ",
                        action, " ", AppointmentArg(context), " ...");
  }
  return absl::StrCat("not before ", when, "; try again then");
}

// Advice for the booking rules and the rest, one line each.
std::vector<std::string> ReasonAdvice(const Details& details, const RefusalContext& context) {
  const std::string& reason = details.reason;
  if (IsClearanceReason(reason)) {
    std::vector<std::string> lines;
    for (const std::string& each : ClearanceReasons(details)) {
      lines.push_back(ClearanceAdvice(each, details, context));
    }
    return lines;
  }
  if (reason == "SLOT_TAKEN") {
    const std::optional<absl::Time> start = MetaTime(details, "conflict_start_time");
    const std::optional<absl::Time> end = MetaTime(details, "conflict_end_time");
    std::string line = absl::StrCat("the ", Meta(details, "taken_by"), " is booked");
    if (start && end) {
      absl::StrAppend(&line, " ", FormatDate(*start, context.zone), " ",
                      FormatSpan(*start, *end, context.zone, true));
    }
    return {line, absl::StrCat("find a free time: ", SlotsCommand(context, start))};
  }
  if (reason == "OUTSIDE_WORKING_HOURS") {
    const std::string cause = Meta(details, "cause");
    const std::optional<absl::Time> until = MetaTime(details, "until_time");
    std::string line;
    if (cause == "working_hours") {
      line = absl::StrCat("the practitioner works ", Meta(details, "working_hours"), " that day");
    } else if (until) {
      line = absl::StrCat(cause == "closure" ? "the clinic is closed" : "the practitioner is off",
                          " until ", FormatDateTime(*until, context.zone));
    }
    std::vector<std::string> lines;
    if (!line.empty()) lines.push_back(line);
    lines.push_back(absl::StrCat("find a free time: ", SlotsCommand(context, until)));
    return lines;
  }
  if (reason == "SERIES_SPACING") {
    const std::optional<absl::Time> earliest = MetaTime(details, "earliest_time");
    const std::string session = Meta(details, "session");
    std::string line =
        absl::StrCat("earliest ", earliest ? FormatDateTime(*earliest, context.zone) : "later",
                     session.empty() ? "" : absl::StrCat(" (session ", session, " of the series)"));
    if (!context.series.empty()) {
      return {line,
              absl::StrCat("free times in the session's window: clinicctl series plan ",
                           ShellWord(context.series)),
              OverrideLine(reason, context)};
    }
    return {line, absl::StrCat("find a time: ", SlotsCommand(context, earliest)),
            OverrideLine(reason, context)};
  }
  if (reason == "SERIES_WINDOW_CLOSED") {
    const std::optional<absl::Time> latest = MetaTime(details, "latest_time");
    const std::string session = Meta(details, "session");
    std::vector<std::string> lines = {absl::StrCat(
        "latest ", latest ? FormatDateTime(*latest, context.zone) : "earlier",
        session.empty() ? "" : absl::StrCat(" (session ", session, " of the series)"))};
    if (!context.series.empty()) {
      lines.push_back(
          absl::StrCat("the session's window: clinicctl series plan ", ShellWord(context.series)));
    }
    lines.push_back(OverrideLine(reason, context));
    return lines;
  }
  if (reason == "REPEAT_COURSE_TOO_SOON" || reason == "MAINTENANCE_TOO_SOON") {
    const std::optional<absl::Time> earliest = MetaTime(details, "earliest_time");
    const std::optional<absl::Time> last = MetaTime(details, "last_session_time");
    std::string line = absl::StrCat(
        "earliest ", earliest ? FormatDateTime(*earliest, context.zone) : "later",
        reason == "MAINTENANCE_TOO_SOON"
            ? std::string(": maintenance is due then (clinicctl recall list shows the recall)")
            : absl::StrCat(": a new course waits after the last one",
                           last ? absl::StrCat(", whose final session was ",
                                               FormatDateTime(*last, context.zone))
                                : std::string()));
    return {line, absl::StrCat("find a time from then: ", SlotsCommand(context, earliest)),
            OverrideLine(reason, context)};
  }
  if (reason == "OVERRIDE_NEEDS_CLINICIAN") {
    return {
        "only a clinician's (or an admin's) key may book past the protocol's rules: have a "
        "clinician run it with their key, or book without --override"};
  }
  const std::string series = Meta(details, "series");
  const std::string series_arg = ShellWord(series.empty() ? context.series : series);
  if (reason == "SERIES_FULL" || reason == "SERIES_FULLY_BOOKED") {
    return {absl::StrCat("every planned session is booked or done: clinicctl series show ",
                         series_arg)};
  }
  if (reason == "SERIES_CLOSED") {
    return {absl::StrCat("the series is completed or cancelled (clinicctl series show ", series_arg,
                         "); book without --series, or plan a new one with clinicctl series "
                         "create")};
  }
  if (reason == "PRACTITIONER_NOT_AVAILABLE") {
    return {absl::StrCat("choose an active practitioner qualified for ", TreatmentShown(context),
                         "; ", SlotsCommand(context, std::nullopt), " lists who is free")};
  }
  if (reason == "ROOM_UNSUITABLE") {
    return {absl::StrCat("the room lacks ", Meta(details, "missing_capabilities"),
                         "; choose another: ", SlotsCommand(context, std::nullopt),
                         " lists suitable free rooms")};
  }
  if (reason == "INVALID_STATE_TRANSITION") {
    const std::string from = Meta(details, "from_state");
    const std::string to = Meta(details, "to_state");
    const std::string appointment =
        context.appointment.empty() ? "APPOINTMENT" : ShellWord(context.appointment);
    if (from == "BOOKED" && to == "COMPLETED") {
      return {
          absl::StrCat("check the patient in first: clinicctl appointment check-in ", appointment)};
    }
    return {absl::StrCat("it is ", from.empty() ? "in another state" : from, " now",
                         to.empty() ? "" : absl::StrCat(" and cannot become ", to),
                         context.appointment.empty()
                             ? ""
                             : absl::StrCat("; clinicctl appointment show ", appointment))};
  }
  if (reason == "NOT_PENDING") {
    return {"only a pending message can be sent early; clinicctl outbox list shows its state"};
  }
  if (reason == "TOO_EARLY") return {TooEarlyAdvice(details, context)};
  if (reason == "TOO_LATE") {
    const std::optional<absl::Time> end = MetaTime(details, "end_time");
    return {absl::StrCat("the session ended",
                         end ? " at " + FormatDateTime(*end, context.zone) : std::string(),
                         ": record that the patient did not come: clinicctl appointment no-show ",
                         AppointmentArg(context), ", or move it: clinicctl appointment reschedule ",
                         AppointmentArg(context), " --at=...")};
  }
  if (reason == "CONSULTATION_OUTCOME_REQUIRED") {
    return {
        absl::StrCat("a consultation ends with what the clinician found (clinician key): "
                     "clinicctl consultation record ",
                     AppointmentArg(context), " --suitable --indication=ID (or --not_suitable)")};
  }
  if (reason == "ETAG_MISMATCH") {
    return {"someone changed it meanwhile; look at it again, then retry"};
  }
  if (reason == "NOT_FOUND") {
    return {
        "check the id, and that it belongs to the clinic (--clinic or $CLINICD_CLINIC); "
        "clinicctl patient search finds patients"};
  }
  if (reason == "MISSING_API_KEY" || reason == "INVALID_API_KEY") {
    return {"set --api_key (better: $CLINICD_API_KEY) to a key from `clinicd keys create`"};
  }
  if (reason == "ROLE_NOT_ALLOWED") {
    const std::string method = Meta(details, "method");
    const std::string call = method.substr(method.rfind('/') + 1);
    std::string line = absl::StrCat("the key's role (", Meta(details, "role"), ") may not call ",
                                    call.empty() ? "this" : call);
    if (call == "CompleteAppointment" || call == "ReviewScreening" ||
        call == "RecordConsultationOutcome") {
      absl::StrAppend(&line, "; that is a clinician's: use a clinician key");
    } else {
      absl::StrAppend(&line, "; ask the administrator for a key whose role may ",
                      "(clinicd keys create --role=...)");
    }
    return {line};
  }
  if (reason == "TREATMENT_TYPE_UNAVAILABLE") {
    return {
        "no loaded plugin provides this treatment; ask the administrator "
        "(clinicd plugins --plugin_dir=...)"};
  }
  return {};
}

// One line per field clinicd found invalid, naming the flag that set it.
std::vector<std::string> ViolationLines(const Details& details, const RefusalContext& context) {
  std::vector<std::string> lines;
  for (const auto& [field, raw] : details.violations) {
    const std::string description = LocalizeTimes(raw, context.zone);
    auto flag = context.field_flags.find(field);
    // appointment.rule_override.reasons[1] is set by the flag of ...reasons.
    if (flag == context.field_flags.end() && absl::EndsWith(field, "]")) {
      flag = context.field_flags.find(field.substr(0, field.rfind('[')));
    }
    lines.push_back(flag == context.field_flags.end()
                        ? absl::StrCat(field, ": ", description)
                        : absl::StrCat("--", flag->second, " (", field, "): ", description));
  }
  return lines;
}

// A line for each time in the metadata that `lines` do not show yet:
// "earliest Tue 2027-01-05 07:00 CET".
void AddTimeLines(const Details& details, const RefusalContext& context,
                  std::vector<std::string>& lines) {
  static const std::pair<const char*, const char*> kTimes[] = {
      {"earliest_time", "earliest"},
      {"earliest_treatable_time", "earliest treatable"},
      {"latest_time", "latest"},
      {"end_time", "ended"}};
  for (const auto& [key, label] : kTimes) {
    const std::optional<absl::Time> time = MetaTime(details, key);
    if (!time) continue;
    const std::string shown = FormatDateTime(*time, context.zone);
    const bool said = std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
      return absl::StrContains(line, shown);
    });
    if (!said) lines.push_back(absl::StrCat(label, " ", shown));
  }
}

}  // namespace

absl::Status FromRpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status converted(static_cast<absl::StatusCode>(status.error_code()),
                         status.error_message());
  converted.SetPayload(kRpcStatusUrl, absl::Cord(status.error_details()));
  return converted;
}

bool IsFromRpc(const absl::Status& status) { return status.GetPayload(kRpcStatusUrl).has_value(); }

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  if (IsFromRpc(status)) {
    return status.code() == absl::StatusCode::kUnavailable ||
                   status.code() == absl::StatusCode::kDeadlineExceeded
               ? kExitUnreachable
               : kExitRefused;
  }
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitRefused;
}

std::vector<std::string> DescribeFailure(const absl::Status& status,
                                         const RefusalContext& context) {
  if (status.ok()) return {};
  const std::string message(status.message());
  if (!IsFromRpc(status)) {
    return absl::StrSplit(message, '\n');
  }
  if (ExitCodeFor(status) == kExitUnreachable) {
    std::vector<std::string> lines = {
        absl::StrCat("cannot reach clinicd at ", context.server, ": ", message),
        "is clinicd running there? check --server (or $CLINICD_ADDRESS)"};
    if (context.tls) lines.push_back("over TLS: check --tls_ca and --tls_server_name");
    return lines;
  }
  Details details = DetailsOf(status);
  details.message = LocalizeTimes(message, context.zone);
  const std::string action = context.action.empty() ? "request" : context.action;
  const std::string reason = details.reason.empty() ? "" : " (" + details.reason + ")";
  if (!details.violations.empty()) {
    std::vector<std::string> lines = {
        absl::StrCat(action, " refused by clinicd: invalid request", reason, ":")};
    for (const std::string& line : ViolationLines(details, context)) lines.push_back(line);
    return lines;
  }
  std::vector<std::string> lines = {
      absl::StrCat(action, " refused by clinicd: ", details.message, reason)};
  for (std::string& line : ReasonAdvice(details, context)) lines.push_back(std::move(line));
  AddTimeLines(details, context, lines);
  return lines;
}

}  // namespace clinicd::clinicctl
