#include "clients/clinicctl/refusal.h"

#include <optional>
#include <utility>

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

// Advice for one clearance reason (check-in, and booking's screening checks).
std::string ClearanceAdvice(const std::string& reason, const Details& details,
                            const RefusalContext& context) {
  const std::string status_command =
      absl::StrCat("clinicctl consent status ", PatientArg(context),
                   context.treatment.empty() ? "" : " --treatment=" + context.treatment);
  const std::string treatment_flag =
      context.treatment.empty() ? "" : " --treatment=" + context.treatment;
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
                            "CONTRAINDICATED", "NOT_CLEARED"}) {
    if (reason == known) return true;
  }
  return false;
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
      return {line, absl::StrCat("free times in the session's window: clinicctl series plan ",
                                 ShellWord(context.series))};
    }
    return {line, absl::StrCat("find a time: ", SlotsCommand(context, earliest))};
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
  if (reason == "TOO_EARLY") {
    return {"a no-show can be recorded only once the appointment has started"};
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
    if (call == "CompleteAppointment" || call == "ReviewScreening") {
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
  for (const auto& [field, description] : details.violations) {
    const auto flag = context.field_flags.find(field);
    lines.push_back(flag == context.field_flags.end()
                        ? absl::StrCat(field, ": ", description)
                        : absl::StrCat("--", flag->second, " (", field, "): ", description));
  }
  return lines;
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
  const Details details = DetailsOf(status);
  const std::string action = context.action.empty() ? "request" : context.action;
  const std::string reason = details.reason.empty() ? "" : " (" + details.reason + ")";
  if (!details.violations.empty()) {
    std::vector<std::string> lines = {
        absl::StrCat(action, " refused by clinicd: invalid request", reason, ":")};
    for (const std::string& line : ViolationLines(details, context)) lines.push_back(line);
    return lines;
  }
  std::vector<std::string> lines = {absl::StrCat(action, " refused by clinicd: ", message, reason)};
  for (std::string& line : ReasonAdvice(details, context)) lines.push_back(std::move(line));
  return lines;
}

}  // namespace clinicd::clinicctl
