#include "services/domain/busy_timeline.h"

#include <algorithm>

namespace clinicd::domain {

BusyTimeline::BusyTimeline(std::vector<Interval> intervals) : intervals_(std::move(intervals)) {
  std::sort(intervals_.begin(), intervals_.end(), [](const Interval& a, const Interval& b) {
    return a.start < b.start || (a.start == b.start && a.end < b.end);
  });
  reach_.reserve(intervals_.size());
  absl::Time reach = absl::InfinitePast();
  for (const Interval& i : intervals_) {
    reach = std::max(reach, i.end);
    reach_.push_back(reach);
  }
}

std::optional<Interval> BusyTimeline::FirstOverlap(const Interval& interval) const {
  // Nothing up to the first index whose running end passes interval.start
  // can reach it; from there, the first that also ends after it and starts
  // before interval.end is the answer.
  const auto first = std::upper_bound(reach_.begin(), reach_.end(), interval.start);
  for (size_t i = static_cast<size_t>(first - reach_.begin()); i < intervals_.size(); ++i) {
    if (intervals_[i].start >= interval.end) break;
    if (intervals_[i].end > interval.start) return intervals_[i];
  }
  return std::nullopt;
}

}  // namespace clinicd::domain
