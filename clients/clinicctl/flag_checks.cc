#include "clients/clinicctl/flag_checks.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "clients/clinicctl/command.h"
#include "clients/clinicctl/local_time.h"

namespace clinicd::clinicctl {
namespace {

// One end of a period: a local time when it has a time of day, else the
// local date's bounds (`end_of_day` picks the midnight after it).
absl::StatusOr<absl::Time> PeriodEnd(const std::string& flag, const std::string& text,
                                     const absl::TimeZone& zone, absl::Time now, bool end_of_day) {
  const std::string trimmed(absl::StripAsciiWhitespace(text));
  if (trimmed.empty()) return FlagError(flag, "is required: a local time or date");
  if (trimmed.find_first_of(" T") != std::string::npos) {
    absl::StatusOr<absl::Time> time = ParseLocalTime(trimmed, zone, now);
    if (!time.ok()) return FlagError(flag, std::string(time.status().message()));
    return time;
  }
  absl::StatusOr<absl::CivilDay> day = ParseLocalDate(trimmed, zone, now);
  if (!day.ok()) {
    return FlagError(flag, absl::StrCat("\"", text,
                                        "\" is neither a local time (\"YYYY-MM-DD HH:MM\") nor a "
                                        "date (YYYY-MM-DD, today, +N)"));
  }
  const DayBounds bounds = BoundsOf(*day, zone);
  return end_of_day ? bounds.end : bounds.start;
}

}  // namespace

absl::Status CheckConsultationFlags(bool consultation, bool series, bool numbing) {
  if (!consultation) return absl::OkStatus();
  if (series) {
    return FlagError("series",
                     "a consultation is not a session of a series; book it without --series");
  }
  if (numbing) {
    return FlagError("numbing", "a consultation has no procedure to numb; leave out --numbing");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::RuleOverride>> RuleOverrideFromFlags(
    const std::vector<std::string>& reasons, const std::string& justification) {
  v1::RuleOverride decision;
  for (const std::string& reason : reasons) {
    std::string word = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(reason));
    absl::StrReplaceAll({{"-", "_"}}, &word);
    if (word.empty()) continue;
    if (std::find(decision.reasons().begin(), decision.reasons().end(), word) ==
        decision.reasons().end()) {
      decision.add_reasons(word);
    }
  }
  const std::string why(absl::StripAsciiWhitespace(justification));
  if (decision.reasons().empty() && why.empty()) return std::optional<v1::RuleOverride>();
  if (decision.reasons().empty()) {
    return FlagError("override",
                     "--justification goes with --override=REASON[,REASON]: the rules the "
                     "clinician books past, e.g. --override=SERIES_WINDOW_CLOSED");
  }
  if (why.empty()) {
    return FlagError("justification",
                     "--override needs --justification=TEXT: why the clinician books past the "
                     "rule (recorded with the booking)");
  }
  decision.set_justification(why);
  return std::optional<v1::RuleOverride>(std::move(decision));
}

absl::Status NotInThePast(absl::string_view flag, absl::Time time, absl::Time now,
                          const absl::TimeZone& zone) {
  if (time >= now) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "--", flag, " ", FormatDateTime(time, zone), " is in the past (it is now ",
      FormatDateTime(now, zone), "); choose a later time: clinicctl slots lists free ones"));
}

absl::Status DayNotInThePast(absl::string_view flag, absl::CivilDay day, absl::Time now,
                             const absl::TimeZone& zone) {
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  if (day >= today) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("--", flag, " ", FormatDay(day),
                                                 " is in the past (today is ", FormatDay(today),
                                                 "); search from today on"));
}

absl::StatusOr<v1::ConsultationOutcome> ConsultationOutcomeFromFlags(bool suitable,
                                                                     bool not_suitable,
                                                                     const std::string& indication,
                                                                     double needle_depth_mm,
                                                                     const std::string& notes) {
  if (suitable && not_suitable) {
    return FlagError("not_suitable", "give --suitable or --not_suitable, not both");
  }
  if (!suitable && !not_suitable) {
    return FlagError("suitable", "say what the clinician found: --suitable or --not_suitable");
  }
  if (suitable && absl::StripAsciiWhitespace(indication).empty()) {
    return FlagError("indication",
                     "is required with --suitable: the indication a course will treat, e.g. "
                     "acne_scars");
  }
  if (needle_depth_mm < 0 || needle_depth_mm > 5) {
    return FlagError("needle_depth", "must be from 0 to 5 (mm)");
  }
  v1::ConsultationOutcome outcome;
  outcome.set_suitable(suitable);
  outcome.set_indication(std::string(absl::StripAsciiWhitespace(indication)));
  outcome.set_planned_needle_depth_mm(needle_depth_mm);
  outcome.set_notes(notes);
  return outcome;
}

absl::StatusOr<v1::ScreeningOutcome> ScreeningOutcomeFromFlag(const std::string& text) {
  std::string word = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  absl::StrReplaceAll({{"-", "_"}, {" ", "_"}}, &word);
  if (word == "cleared") return v1::SCREENING_OUTCOME_CLEARED;
  if (word == "deferred") return v1::SCREENING_OUTCOME_DEFERRED;
  if (word == "contraindicated") return v1::SCREENING_OUTCOME_CONTRAINDICATED;
  if (word == "needs_review") return v1::SCREENING_OUTCOME_NEEDS_REVIEW;
  return FlagError("outcome", absl::StrCat("\"", text,
                                           "\" is not an outcome; cleared, deferred, "
                                           "contraindicated or needs_review"));
}

absl::StatusOr<Period> PeriodFromFlags(const std::string& from, const std::string& to,
                                       const absl::TimeZone& zone, absl::Time now) {
  absl::StatusOr<absl::Time> start = PeriodEnd("from", from, zone, now, false);
  if (!start.ok()) return start.status();
  absl::StatusOr<absl::Time> end = PeriodEnd("to", to, zone, now, true);
  if (!end.ok()) return end.status();
  if (*end <= *start) {
    return FlagError("to", absl::StrCat("must be after --from (", FormatDateTime(*start, zone),
                                        "); it is ", FormatDateTime(*end, zone)));
  }
  return Period{*start, *end};
}

}  // namespace clinicd::clinicctl
