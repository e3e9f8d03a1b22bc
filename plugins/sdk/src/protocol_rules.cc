#include "clinicd/protocol_rules.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "services/common/proto_time.h"

namespace clinicd::protocol {
namespace {

using clinic::v1::Period;
using clinic::v1::ScreeningOutcome;

// Conversions that never CHECK (protobuf's TimeUtil aborts on a value out of
// its range, and a request carries whatever the sender put in it): requests
// are checked with the Check* functions below, results with ResultTime.
absl::Time FromProto(const google::protobuf::Timestamp& t) { return FromProtoTime(t); }
absl::Duration FromProto(const google::protobuf::Duration& d) { return FromProtoDuration(d); }

// INVALID_ARGUMENT naming `field` when `time` is not a valid Timestamp.
absl::Status CheckTime(const google::protobuf::Timestamp& time, const std::string& field) {
  if (IsValidTimestamp(time)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": must be a time from 0001-01-01 to 9999-12-31"));
}

// INVALID_ARGUMENT naming `field` when the period's duration is not a valid
// Duration (months and days are plain counts and cannot be).
absl::Status CheckPeriod(const Period& period, const std::string& field) {
  if (IsValidDuration(period.duration())) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ".duration: must be a duration of at most 10,000 years"));
}

// `time` as a Timestamp, or INVALID_ARGUMENT naming `field` when the
// protocol's periods carry it beyond what a Timestamp can hold.
absl::StatusOr<google::protobuf::Timestamp> ResultTime(absl::Time time,
                                                       const std::string& field) {
  google::protobuf::Timestamp result = ToProtoTime(time);
  if (IsValidTimestamp(result)) return result;
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": would fall outside 0001-01-01 to 9999-12-31"));
}

absl::StatusOr<absl::TimeZone> Zone(const std::string& name) {
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(name, &zone)) {
    return absl::InvalidArgumentError("time_zone: must be an IANA time zone name");
  }
  return zone;
}

// Higher is more restrictive.
int Severity(ScreeningOutcome outcome) {
  switch (outcome) {
    case clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED:
      return 3;
    case clinic::v1::SCREENING_OUTCOME_DEFERRED:
      return 2;
    case clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW:
      return 1;
    default:
      return 0;
  }
}

ScreeningOutcome OutcomeOf(clinic::v1::ScreeningEffect effect) {
  switch (effect) {
    case clinic::v1::SCREENING_EFFECT_CONTRAINDICATED_UNTIL:
      return clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED;
    case clinic::v1::SCREENING_EFFECT_DEFER_UNTIL:
      return clinic::v1::SCREENING_OUTCOME_DEFERRED;
    default:
      return clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW;
  }
}

// "1 day", "-1 day" (an offset before), "3 days".
std::string Plural(int64_t count, const char* unit) {
  return absl::StrCat(count, " ", unit, count == 1 || count == -1 ? "" : "s");
}

}  // namespace

absl::Time AddPeriod(absl::Time time, const Period& period, const absl::TimeZone& zone) {
  if (period.months() != 0 || period.days() != 0) {
    const absl::CivilSecond local = absl::ToCivilSecond(time, zone);
    const absl::Duration fraction = time - absl::FromUnixSeconds(absl::ToUnixSeconds(time));
    const absl::CivilMonth month = absl::CivilMonth(local) + period.months();
    // Clamp to the month's last day: 31 Aug + 6 months is 28/29 Feb.
    const int last_day = (absl::CivilDay(month + 1) - 1).day();
    const absl::CivilDay day =
        absl::CivilDay(month.year(), month.month(), std::min(local.day(), last_day)) +
        period.days();
    const absl::CivilSecond target(day.year(), day.month(), day.day(), local.hour(),
                                   local.minute(), local.second());
    const absl::TimeZone::TimeInfo info = zone.At(target);
    // In a DST gap the local time does not exist: take the instant the gap
    // ends. In a repeated hour, take the first occurrence.
    time = (info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre) +
           fraction;
  }
  return time + FromProto(period.duration());
}

std::string DescribePeriod(const Period& period) {
  std::vector<std::string> parts;
  if (period.months() != 0) parts.push_back(Plural(period.months(), "month"));
  if (period.days() != 0) {
    parts.push_back(period.days() % 7 == 0 ? Plural(period.days() / 7, "week")
                                           : Plural(period.days(), "day"));
  }
  const absl::Duration duration = FromProto(period.duration());
  if (duration != absl::ZeroDuration()) {
    const int64_t minutes = absl::ToInt64Minutes(duration);
    parts.push_back(minutes % 60 == 0 ? Plural(minutes / 60, "hour")
                                      : Plural(minutes, "minute"));
  }
  return parts.empty() ? "no time" : absl::StrJoin(parts, " and ");
}

absl::StatusOr<clinicd::plugin::v1::EvaluateScreeningResponse> EvaluateDeclaredScreening(
    const clinicd::plugin::v1::EvaluateScreeningRequest& request) {
  absl::StatusOr<absl::TimeZone> zone = Zone(request.time_zone());
  if (!zone.ok()) return zone.status();
  if (!request.has_session_time()) {
    return absl::InvalidArgumentError("session_time: is required");
  }
  const clinic::v1::TreatmentType& type = request.treatment_type();
  std::map<std::string, const clinic::v1::ScreeningQuestion*> questions;
  for (const auto& question : type.screening_questions()) questions[question.id()] = &question;
  std::map<std::string, const clinic::v1::ScreeningAnswer*> answers;
  for (int i = 0; i < request.answers_size(); ++i) {
    const auto& answer = request.answers(i);
    const std::string field = absl::StrCat("answers[", i, "].question_id");
    if (!questions.count(answer.question_id())) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": `", answer.question_id(), "` is not a screening question of ", type.name()));
    }
    if (!answers.emplace(answer.question_id(), &answer).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": `", answer.question_id(), "` is answered twice"));
    }
  }
  std::vector<std::string> unanswered;
  for (const auto& [id, question] : questions) {
    if (!answers.count(id)) unanswered.push_back(id);
  }
  if (!unanswered.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "answers: every screening question needs an answer; missing: ",
        absl::StrJoin(unanswered, ", ")));
  }

  if (absl::Status s = CheckTime(request.session_time(), "session_time"); !s.ok()) return s;
  for (int i = 0; i < request.answers_size(); ++i) {
    if (!request.answers(i).has_time()) continue;
    absl::Status s = CheckTime(request.answers(i).time(), absl::StrCat("answers[", i, "].time"));
    if (!s.ok()) return s;
  }
  for (int i = 0; i < type.screening_rules_size(); ++i) {
    absl::Status s = CheckPeriod(type.screening_rules(i).window(),
                                 absl::StrCat("treatment_type.screening_rules[", i, "].window"));
    if (!s.ok()) return s;
  }

  const absl::Time session = FromProto(request.session_time());
  clinicd::plugin::v1::EvaluateScreeningResponse response;
  response.set_outcome(clinic::v1::SCREENING_OUTCOME_CLEARED);
  absl::Time until = absl::InfinitePast();
  for (const auto& rule : type.screening_rules()) {
    const auto question = questions.find(rule.question_id());
    if (question == questions.end()) continue;  // Refused when the protocol loads.
    const clinic::v1::ScreeningAnswer& answer = *answers.at(rule.question_id());
    clinic::v1::ScreeningFinding finding;
    finding.set_rule_id(rule.id());
    finding.set_outcome(OutcomeOf(rule.effect()));
    finding.set_explanation(rule.explanation());
    if (question->second->answer_kind() == clinic::v1::ANSWER_KIND_TIME) {
      // No time means never (e.g. never took the medicine).
      if (!answer.has_time()) continue;
      const absl::Time lifts = AddPeriod(FromProto(answer.time()), rule.window(), *zone);
      if (session >= lifts) continue;
      if (finding.outcome() != clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW) {
        absl::StatusOr<google::protobuf::Timestamp> until_time =
            ResultTime(lifts, absl::StrCat("the end of rule ", rule.id(), "'s window"));
        if (!until_time.ok()) return until_time.status();
        *finding.mutable_until_time() = *until_time;
      }
    } else if (question->second->answer_kind() == clinic::v1::ANSWER_KIND_YES_NO) {
      if (!answer.yes()) continue;
    } else {
      continue;
    }
    if (Severity(finding.outcome()) > Severity(response.outcome())) {
      response.set_outcome(finding.outcome());
    }
    if (finding.has_until_time()) until = std::max(until, FromProto(finding.until_time()));
    *response.add_findings() = std::move(finding);
  }
  // The latest of the findings' until_times, each already a valid Timestamp.
  if (until != absl::InfinitePast()) *response.mutable_until_time() = ToProtoTime(until);
  return response;
}

absl::StatusOr<clinicd::plugin::v1::PlanSeriesResponse> PlanDeclaredSeries(
    const clinicd::plugin::v1::PlanSeriesRequest& request) {
  absl::StatusOr<absl::TimeZone> zone = Zone(request.time_zone());
  if (!zone.ok()) return zone.status();
  const clinic::v1::TreatmentType& type = request.treatment_type();
  const clinic::v1::Indication* indication = nullptr;
  std::vector<std::string> known;
  for (const auto& candidate : type.indications()) {
    known.push_back(candidate.id());
    if (candidate.id() == request.indication()) indication = &candidate;
  }
  if (indication == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "indication: `", request.indication(), "` is not an indication of ", type.name(),
        "; one of: ", absl::StrJoin(known, ", ")));
  }
  const clinic::v1::SeriesRule& rule = indication->series();
  const int count = request.session_count() == 0 ? rule.min_sessions() : request.session_count();
  if (count < rule.min_sessions() || count > rule.max_sessions()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "session_count: must be from ", rule.min_sessions(), " to ", rule.max_sessions(),
        " for ", indication->display_name()));
  }
  if (request.completed_session_times_size() > count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "completed_session_times: ", request.completed_session_times_size(),
        " sessions done but the course has ", count));
  }
  if (request.completed_session_times().empty() && !request.has_first_session_time()) {
    return absl::InvalidArgumentError("first_session_time: is required before any session");
  }
  if (request.has_first_session_time()) {
    absl::Status s = CheckTime(request.first_session_time(), "first_session_time");
    if (!s.ok()) return s;
  }
  for (int i = 0; i < request.completed_session_times_size(); ++i) {
    absl::Status s = CheckTime(request.completed_session_times(i),
                               absl::StrCat("completed_session_times[", i, "]"));
    if (!s.ok()) return s;
  }
  for (const auto& [period, field] : {std::make_pair(&rule.min_spacing(), "min_spacing"),
                                      std::make_pair(&rule.max_spacing(), "max_spacing")}) {
    absl::Status s = CheckPeriod(*period, absl::StrCat("indication ", indication->id(),
                                                       ": series.", field));
    if (!s.ok()) return s;
  }
  for (int i = 1; i < request.completed_session_times_size(); ++i) {
    if (FromProto(request.completed_session_times(i)) <=
        FromProto(request.completed_session_times(i - 1))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "completed_session_times[", i, "]: must be after the session before it"));
    }
  }

  clinicd::plugin::v1::PlanSeriesResponse response;
  response.set_session_count(count);
  absl::Time previous;
  for (int i = 0; i < count; ++i) {
    clinic::v1::SeriesSession* session = response.add_sessions();
    session->set_number(i + 1);
    absl::Time start;
    absl::Time end;
    if (i < request.completed_session_times_size()) {
      start = end = FromProto(request.completed_session_times(i));
    } else if (i == 0) {
      start = end = FromProto(request.first_session_time());
    } else {
      // From the previous session's actual time, or its earliest start.
      start = AddPeriod(previous, rule.min_spacing(), *zone);
      end = AddPeriod(previous, rule.max_spacing(), *zone);
    }
    const std::string field = absl::StrCat("session ", i + 1, "'s window");
    absl::StatusOr<google::protobuf::Timestamp> window_start = ResultTime(start, field);
    if (!window_start.ok()) return window_start.status();
    absl::StatusOr<google::protobuf::Timestamp> window_end = ResultTime(end, field);
    if (!window_end.ok()) return window_end.status();
    *session->mutable_window_start_time() = *window_start;
    *session->mutable_window_end_time() = *window_end;
    previous = start;
  }
  return response;
}

absl::StatusOr<clinicd::plugin::v1::ScheduleRecallResponse> ScheduleDeclaredRecall(
    const clinicd::plugin::v1::ScheduleRecallRequest& request) {
  absl::StatusOr<absl::TimeZone> zone = Zone(request.time_zone());
  if (!zone.ok()) return zone.status();
  if (!request.has_series_completion_time()) {
    return absl::InvalidArgumentError("series_completion_time: is required");
  }
  if (absl::Status s = CheckTime(request.series_completion_time(), "series_completion_time");
      !s.ok()) {
    return s;
  }
  const clinic::v1::RecallPolicy& policy = request.policy();
  if (absl::Status s = CheckPeriod(policy.due_after(), "policy.due_after"); !s.ok()) return s;
  if (absl::Status s = CheckPeriod(policy.lapse_after(), "policy.lapse_after"); !s.ok()) return s;
  for (int i = 0; i < policy.notices_size(); ++i) {
    absl::Status s =
        CheckPeriod(policy.notices(i).offset(), absl::StrCat("policy.notices[", i, "].offset"));
    if (!s.ok()) return s;
  }

  const absl::Time completion = FromProto(request.series_completion_time());
  clinicd::plugin::v1::ScheduleRecallResponse response;
  absl::StatusOr<google::protobuf::Timestamp> due =
      ResultTime(AddPeriod(completion, policy.due_after(), *zone), "due_time");
  if (!due.ok()) return due.status();
  absl::StatusOr<google::protobuf::Timestamp> lapse =
      ResultTime(AddPeriod(completion, policy.lapse_after(), *zone), "lapse_time");
  if (!lapse.ok()) return lapse.status();
  *response.mutable_due_time() = *due;
  *response.mutable_lapse_time() = *lapse;
  std::vector<clinicd::plugin::v1::ScheduledNotice> notices;
  for (const auto& message : policy.notices()) {
    clinicd::plugin::v1::ScheduledNotice notice;
    absl::StatusOr<google::protobuf::Timestamp> send_time = ResultTime(
        AddPeriod(completion, message.offset(), *zone), absl::StrCat("notice ", message.id()));
    if (!send_time.ok()) return send_time.status();
    *notice.mutable_send_time() = *send_time;
    *notice.mutable_message() = message;
    notices.push_back(std::move(notice));
  }
  std::stable_sort(notices.begin(), notices.end(), [](const auto& a, const auto& b) {
    return FromProto(a.send_time()) < FromProto(b.send_time());
  });
  for (auto& notice : notices) *response.add_notices() = std::move(notice);
  return response;
}

}  // namespace clinicd::protocol
