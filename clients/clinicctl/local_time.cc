#include "clients/clinicctl/local_time.h"

#include <google/protobuf/util/time_util.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace clinicd::clinicctl {
namespace {

using google::protobuf::util::TimeUtil;

// The offset and abbreviation in force at `time`, e.g. "+01:00 (CET)".
std::string OffsetAt(absl::Time time, const absl::TimeZone& zone) {
  return absl::FormatTime("%Ez (%Z)", time, zone);
}

// "from 02:00 to 03:00": the wall clock either side of the change at `at`.
std::string ClockChange(absl::Time at, const absl::TimeZone& zone) {
  absl::TimeZone::CivilTransition change;
  if (!zone.NextTransition(at - absl::Seconds(1), &change)) return "";
  return absl::StrCat("from ", absl::FormatCivilTime(absl::CivilMinute(change.from)).substr(11),
                      " to ", absl::FormatCivilTime(absl::CivilMinute(change.to)).substr(11));
}

// "HH:MM" or "HH:MM:SS" as a time of day.
bool ParseClock(absl::string_view text, int* hour, int* minute, int* second) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  if (parts.size() < 2 || parts.size() > 3) return false;
  *second = 0;
  for (absl::string_view part : parts) {
    if (part.size() != 2) return false;
  }
  return absl::SimpleAtoi(parts[0], hour) && absl::SimpleAtoi(parts[1], minute) &&
         (parts.size() == 2 || absl::SimpleAtoi(parts[2], second)) && *hour >= 0 && *hour < 24 &&
         *minute >= 0 && *minute < 60 && *second >= 0 && *second < 60;
}

// An RFC 3339 time with an offset, with or without seconds.
bool ParseWithOffset(absl::string_view text, absl::Time* time) {
  std::string error;
  for (const char* format :
       {"%Y-%m-%dT%H:%M%Ez", "%Y-%m-%dT%H:%M:%S%Ez", "%Y-%m-%dT%H:%MZ", "%Y-%m-%dT%H:%M:%SZ"}) {
    if (absl::ParseTime(format, text, absl::UTCTimeZone(), time, &error)) return true;
  }
  return false;
}

// The digits at `text[*at]`, exactly `count` of them, as a number; moves *at past them.
bool ReadDigits(absl::string_view text, size_t* at, size_t count, int* value) {
  if (*at + count > text.size()) return false;
  *value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[*at + i];
    if (!absl::ascii_isdigit(c)) return false;
    *value = *value * 10 + (c - '0');
  }
  *at += count;
  return true;
}

// `c` at `text[*at]`; moves *at past it.
bool ReadChar(absl::string_view text, size_t* at, absl::string_view one_of) {
  if (*at >= text.size() || one_of.find(text[*at]) == absl::string_view::npos) return false;
  ++*at;
  return true;
}

// A timestamp with its offset at the start of `text` ("2027-01-05T06:00:00Z",
// "2027-01-05 06:00:00.5+01:00", "2027-01-05 06:00 UTC"): the instant and how
// many characters it took.
bool ReadStamp(absl::string_view text, absl::Time* time, size_t* used) {
  size_t at = 0;
  int year, month, day, hour, minute, second = 0;
  if (!ReadDigits(text, &at, 4, &year) || !ReadChar(text, &at, "-") ||
      !ReadDigits(text, &at, 2, &month) || !ReadChar(text, &at, "-") ||
      !ReadDigits(text, &at, 2, &day) || !ReadChar(text, &at, "Tt ") ||
      !ReadDigits(text, &at, 2, &hour) || !ReadChar(text, &at, ":") ||
      !ReadDigits(text, &at, 2, &minute)) {
    return false;
  }
  if (at < text.size() && text[at] == ':') {
    ++at;
    if (!ReadDigits(text, &at, 2, &second)) return false;
    if (at < text.size() && text[at] == '.') {
      ++at;
      while (at < text.size() && absl::ascii_isdigit(text[at])) ++at;
    }
  }
  int offset_minutes = 0;
  if (ReadChar(text, &at, "Zz")) {
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const int sign = text[at] == '-' ? -1 : 1;
    ++at;
    int hours, minutes;
    if (!ReadDigits(text, &at, 2, &hours) || !ReadChar(text, &at, ":") ||
        !ReadDigits(text, &at, 2, &minutes)) {
      return false;
    }
    offset_minutes = sign * (hours * 60 + minutes);
  } else if (absl::StartsWith(text.substr(at), " UTC")) {
    at += 4;
  } else if (absl::StartsWith(text.substr(at), "UTC")) {
    at += 3;
  } else {
    return false;
  }
  // "...Z" followed by a letter is a word, not a timestamp.
  if (at < text.size() && absl::ascii_isalnum(text[at])) return false;
  const absl::CivilSecond civil(year, month, day, hour, minute, second);
  if (civil.year() != year || civil.month() != month || civil.day() != day ||
      civil.hour() != hour || civil.minute() != minute || civil.second() != second) {
    return false;
  }
  *time = absl::FromCivil(civil, absl::UTCTimeZone()) - absl::Minutes(offset_minutes);
  *used = at;
  return true;
}

}  // namespace

std::string LocalizeTimes(absl::string_view text, const absl::TimeZone& zone) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    absl::Time time;
    size_t used = 0;
    if ((i == 0 || !absl::ascii_isalnum(text[i - 1])) && absl::ascii_isdigit(text[i]) &&
        ReadStamp(text.substr(i), &time, &used)) {
      out += FormatDateTime(time, zone);
      i += used;
    } else {
      out += text[i++];
    }
  }
  return out;
}

absl::StatusOr<absl::TimeZone> LoadZone(const std::string& name) {
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(name, &zone)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown time zone \"", name, "\""));
  }
  return zone;
}

absl::Time FromProto(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(timestamp));
}

google::protobuf::Timestamp ToProto(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

google::type::Date ToProtoDate(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

std::string FormatDateTime(absl::Time time, const absl::TimeZone& zone) {
  return absl::FormatTime("%a %Y-%m-%d %H:%M %Z", time, zone);
}

std::string FormatDay(absl::CivilDay day) {
  return absl::FormatTime("%a %Y-%m-%d", absl::FromCivil(day, absl::UTCTimeZone()),
                          absl::UTCTimeZone());
}

std::string FormatDate(absl::Time time, const absl::TimeZone& zone) {
  return FormatDay(absl::ToCivilDay(time, zone));
}

std::string FormatClock(absl::Time time, const absl::TimeZone& zone, bool with_zone) {
  return absl::FormatTime(with_zone ? "%H:%M %Z" : "%H:%M", time, zone);
}

std::string FormatSpan(absl::Time start, absl::Time end, const absl::TimeZone& zone,
                       bool with_zone) {
  if (absl::ToCivilDay(start, zone) != absl::ToCivilDay(end, zone)) {
    return absl::StrCat(FormatClock(start, zone, with_zone), "-", FormatDateTime(end, zone));
  }
  // One abbreviation at the end, unless the clocks changed in between.
  const bool same_zone = absl::FormatTime("%Z", start, zone) == absl::FormatTime("%Z", end, zone);
  return absl::StrCat(FormatClock(start, zone, with_zone && !same_zone), "-",
                      FormatClock(end, zone, with_zone));
}

DayBounds BoundsOf(absl::CivilDay day, const absl::TimeZone& zone) {
  // FromCivil takes the first of a repeated midnight and the instant the
  // clocks jump to for a skipped one: either way where the day begins.
  return {absl::FromCivil(day, zone), absl::FromCivil(day + 1, zone)};
}

bool ClocksChangeOn(absl::CivilDay day, const absl::TimeZone& zone) {
  const DayBounds bounds = BoundsOf(day, zone);
  return bounds.end - bounds.start != absl::Hours(24);
}

absl::StatusOr<absl::CivilDay> ParseLocalDate(absl::string_view text, const absl::TimeZone& zone,
                                              absl::Time now) {
  const std::string word = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  if (word == "today") return today;
  if (word == "tomorrow") return today + 1;
  absl::string_view offset = word;
  int days = 0;
  if (absl::ConsumePrefix(&offset, "+") && absl::SimpleAtoi(offset, &days) && days >= 0 &&
      days <= 3660) {
    return today + days;
  }
  absl::CivilDay day;
  if (word.size() == 10 && absl::ParseCivilTime(word, &day)) return day;
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", text, "\" is not a date; use YYYY-MM-DD, today, tomorrow or +N (days from today)"));
}

absl::StatusOr<absl::Time> ParseLocalTime(absl::string_view text, const absl::TimeZone& zone,
                                          absl::Time now) {
  const std::string trimmed(absl::StripAsciiWhitespace(text));
  const size_t split = trimmed.find_first_of(" T");
  const absl::Status refused = absl::InvalidArgumentError(absl::StrCat(
      "\"", text, "\" is not a local time; use \"YYYY-MM-DD HH:MM\" (or today/tomorrow HH:MM)"));
  if (split == std::string::npos) return refused;
  absl::Time with_offset;
  if (ParseWithOffset(absl::StrCat(trimmed.substr(0, split), "T", trimmed.substr(split + 1)),
                      &with_offset)) {
    return with_offset;
  }
  absl::StatusOr<absl::CivilDay> day = ParseLocalDate(trimmed.substr(0, split), zone, now);
  int hour, minute, second;
  if (!day.ok() ||
      !ParseClock(absl::StripAsciiWhitespace(trimmed.substr(split + 1)), &hour, &minute, &second)) {
    return refused;
  }
  const absl::CivilSecond local(day->year(), day->month(), day->day(), hour, minute, second);
  const absl::TimeZone::TimeInfo info = zone.At(local);
  const std::string shown = absl::FormatCivilTime(absl::CivilMinute(local));
  switch (info.kind) {
    case absl::TimeZone::TimeInfo::UNIQUE:
      return info.pre;
    case absl::TimeZone::TimeInfo::SKIPPED:
      return absl::InvalidArgumentError(
          absl::StrCat(shown, " does not exist in ", zone.name(), ": the clocks go ",
                       ClockChange(info.trans, zone), " that night; choose another time"));
    case absl::TimeZone::TimeInfo::REPEATED:
      return absl::InvalidArgumentError(
          absl::StrCat(shown, " happens twice in ", zone.name(), " (the clocks go ",
                       ClockChange(info.trans, zone), " that night); add the offset: ", shown,
                       OffsetAt(info.pre, zone), " for the first, ", shown,
                       OffsetAt(info.post, zone), " for the second"));
  }
  return refused;
}

}  // namespace clinicd::clinicctl
