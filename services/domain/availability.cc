#include "services/domain/availability.h"

#include <algorithm>
#include <tuple>

namespace clinicd::domain {

bool IsFree(const std::vector<Interval>& busy, const Interval& interval) {
  return std::none_of(busy.begin(), busy.end(),
                      [&](const Interval& b) { return Overlaps(b, interval); });
}

std::vector<FreeSlot> FindFreeSlots(const SlotQuery& query,
                                    const std::vector<PractitionerCalendar>& practitioners,
                                    const std::vector<RoomCalendar>& rooms, size_t limit) {
  std::vector<FreeSlot> slots;
  if (query.session <= absl::ZeroDuration() || query.step <= absl::ZeroDuration()) return slots;
  for (const PractitionerCalendar& practitioner : practitioners) {
    for (const Interval& working : practitioner.working) {
      for (absl::Time start = working.start; start + query.session <= working.end;
           start += query.step) {
        if (start < query.not_before) continue;
        if (query.allowed && !query.allowed(start)) continue;
        if (std::make_tuple(start, practitioner.name) <=
            std::make_tuple(query.after_start, query.after_practitioner)) {
          continue;
        }
        const Interval session{start, start + query.session};
        if (!IsFree(practitioner.busy, session)) continue;
        const Interval room_block{start, session.end + query.turnaround};
        for (const RoomCalendar& room : rooms) {
          if (IsFree(room.busy, room_block)) {
            slots.push_back({start, session.end, practitioner.name, room.name});
            break;
          }
        }
      }
    }
  }
  std::sort(slots.begin(), slots.end(), [](const FreeSlot& a, const FreeSlot& b) {
    return std::tie(a.start, a.practitioner) < std::tie(b.start, b.practitioner);
  });
  if (slots.size() > limit) slots.resize(limit);
  return slots;
}

}  // namespace clinicd::domain
