#pragma once

// What already occupies one practitioner, room or patient (or the whole
// clinic), loaded once and asked many times: the booking check asks once,
// the slot search once per candidate. Sorted by start with a running
// maximum of ends, so the first overlap is a binary search, not a scan, and
// asking allocates nothing.

#include <optional>
#include <vector>

#include "services/domain/schedule.h"

namespace clinicd::domain {

class BusyTimeline final {
 public:
  BusyTimeline() = default;
  // Takes the intervals in any order.
  explicit BusyTimeline(std::vector<Interval> intervals);

  // The earliest-starting interval that overlaps `interval` (half-open: one
  // that ends exactly at its start, or starts exactly at its end, does not).
  std::optional<Interval> FirstOverlap(const Interval& interval) const;

  bool empty() const { return intervals_.empty(); }
  const std::vector<Interval>& intervals() const { return intervals_; }

 private:
  std::vector<Interval> intervals_;  // by start
  // reach_[i]: the latest end among intervals_[0..i]; never decreases.
  std::vector<absl::Time> reach_;
};

}  // namespace clinicd::domain
