#pragma once

// Free slots: times when a qualified practitioner is working and free for
// the session and a suitable room is free for the session plus its
// turnaround. Pure: the callers load calendars from the database.

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/domain/schedule.h"

namespace clinicd::domain {

// One practitioner's working time and what already blocks it (appointments,
// time off, clinic closures).
struct PractitionerCalendar {
  std::string name;
  std::vector<Interval> working;
  std::vector<Interval> busy;
};

// One suitable room and what already blocks it.
struct RoomCalendar {
  std::string name;
  std::vector<Interval> busy;
};

// What to look for.
struct SlotQuery {
  // The practitioner's part of the session.
  absl::Duration session;
  // Extra time the room stays blocked after the session.
  absl::Duration turnaround;
  // Slots start on this grid from the start of each working interval.
  absl::Duration step = absl::Minutes(15);
  // No slot starts before this (now, or the patient's earliest eligible time).
  absl::Time not_before = absl::InfinitePast();
  // When set, a slot must also pass this (e.g. the patient's spacing).
  std::function<bool(absl::Time start)> allowed;
  // Resume strictly after this (start, practitioner) key.
  absl::Time after_start = absl::InfinitePast();
  std::string after_practitioner;
};

// A bookable slot.
struct FreeSlot {
  absl::Time start;
  absl::Time end;
  std::string practitioner;
  std::string room;
};

// Up to `limit` slots by start time, then practitioner name; for each start
// and practitioner the first free room (rooms in the given order).
std::vector<FreeSlot> FindFreeSlots(const SlotQuery& query,
                                    const std::vector<PractitionerCalendar>& practitioners,
                                    const std::vector<RoomCalendar>& rooms, size_t limit);

// True when `interval` overlaps none of `busy`.
bool IsFree(const std::vector<Interval>& busy, const Interval& interval);

}  // namespace clinicd::domain
