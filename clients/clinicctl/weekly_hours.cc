#include "clients/clinicctl/weekly_hours.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace clinicd::clinicctl {
namespace {

constexpr const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// 1 (Monday) to 7 (Sunday), google.type.DayOfWeek's numbering; 0 when not a day.
int DayNumber(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  for (int i = 0; i < 7; ++i) {
    if (lower == kDays[i]) return i + 1;
  }
  return 0;
}

absl::Status Wrong(absl::string_view part, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("\"", part, "\": ", problem));
}

int Minutes(const google::type::TimeOfDay& time) { return time.hours() * 60 + time.minutes(); }

// The days a list like "mon-fri" or "mon,wed,fri" names, in order, once each.
absl::StatusOr<std::vector<int>> ParseDays(absl::string_view text) {
  std::vector<int> days;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> ends = absl::StrSplit(item, '-');
    if (ends.size() > 2) return Wrong(item, "a day or a range of days, like mon-fri");
    const int first = DayNumber(ends[0]);
    const int last = DayNumber(ends.back());
    if (first == 0 || last == 0) return Wrong(item, "days are mon, tue, wed, thu, fri, sat, sun");
    if (last < first) return Wrong(item, "a range runs forward within the week, mon to sun");
    for (int day = first; day <= last; ++day) days.push_back(day);
  }
  if (days.empty()) return Wrong(text, "no days");
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

}  // namespace

absl::StatusOr<google::type::TimeOfDay> ParseClock(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  int hours = 0;
  int minutes = 0;
  if (parts.size() != 2 || parts[0].empty() || parts[0].size() > 2 || parts[1].size() != 2 ||
      !absl::SimpleAtoi(parts[0], &hours) || !absl::SimpleAtoi(parts[1], &minutes) ||
      hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
    return Wrong(text, "a time of day is HH:MM, 00:00 to 23:59");
  }
  google::type::TimeOfDay time;
  time.set_hours(hours);
  time.set_minutes(minutes);
  return time;
}

std::string FormatClock(const google::type::TimeOfDay& time) {
  return absl::StrFormat("%02d:%02d", time.hours(), time.minutes());
}

absl::StatusOr<std::pair<google::type::TimeOfDay, google::type::TimeOfDay>> ParseClockRange(
    absl::string_view text) {
  std::vector<absl::string_view> ends = absl::StrSplit(text, '-');
  if (ends.size() != 2) return Wrong(text, "a range is HH:MM-HH:MM");
  absl::StatusOr<google::type::TimeOfDay> start = ParseClock(ends[0]);
  if (!start.ok()) return start.status();
  absl::StatusOr<google::type::TimeOfDay> end = ParseClock(ends[1]);
  if (!end.ok()) return end.status();
  return std::make_pair(*start, *end);
}

absl::StatusOr<std::vector<clinic::v1::WorkingInterval>> ParseWeeklyHours(absl::string_view text) {
  std::vector<clinic::v1::WorkingInterval> hours;
  for (absl::string_view group : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    std::vector<absl::string_view> words =
        absl::StrSplit(absl::StripAsciiWhitespace(group), ' ', absl::SkipEmpty());
    if (words.size() < 2) return Wrong(group, "days, then HH:MM-HH:MM, like mon-fri 09:00-17:00");
    absl::StatusOr<std::vector<int>> days = ParseDays(words[0]);
    if (!days.ok()) return days.status();
    for (size_t i = 1; i < words.size(); ++i) {
      auto range = ParseClockRange(words[i]);
      if (!range.ok()) return range.status();
      if (Minutes(range->first) >= Minutes(range->second)) {
        return Wrong(words[i], "working hours end after they start, on the same day");
      }
      for (int day : *days) {
        clinic::v1::WorkingInterval interval;
        interval.set_day(static_cast<google::type::DayOfWeek>(day));
        *interval.mutable_start_time() = range->first;
        *interval.mutable_end_time() = range->second;
        hours.push_back(interval);
      }
    }
  }
  if (hours.empty()) return Wrong(text, "no hours; e.g. mon-fri 09:00-17:00");
  std::stable_sort(hours.begin(), hours.end(), [](const auto& a, const auto& b) {
    return a.day() != b.day() ? a.day() < b.day()
                              : Minutes(a.start_time()) < Minutes(b.start_time());
  });
  for (size_t i = 1; i < hours.size(); ++i) {
    if (hours[i].day() == hours[i - 1].day() &&
        Minutes(hours[i].start_time()) < Minutes(hours[i - 1].end_time())) {
      return Wrong(text, absl::StrCat("two intervals overlap on ", kDays[hours[i].day() - 1]));
    }
  }
  return hours;
}

std::string FormatWeeklyHours(const std::vector<clinic::v1::WorkingInterval>& hours) {
  // Each day's intervals, then runs of consecutive days with the same ones.
  std::vector<std::string> by_day(8);
  for (const clinic::v1::WorkingInterval& interval : hours) {
    const int day = static_cast<int>(interval.day());
    if (day < 1 || day > 7) continue;
    absl::StrAppend(&by_day[day], by_day[day].empty() ? "" : " ",
                    FormatClock(interval.start_time()), "-", FormatClock(interval.end_time()));
  }
  std::vector<std::string> groups;
  for (int day = 1; day <= 7;) {
    int last = day;
    while (last < 7 && by_day[last + 1] == by_day[day]) ++last;
    if (!by_day[day].empty()) {
      groups.push_back(absl::StrCat(kDays[day - 1], last > day ? "-" : "",
                                    last > day ? kDays[last - 1] : "", " ", by_day[day]));
    }
    day = last + 1;
  }
  return absl::StrJoin(groups, "; ");
}

}  // namespace clinicd::clinicctl
