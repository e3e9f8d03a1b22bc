#include "services/domain/availability.h"

#include <algorithm>
#include <tuple>

#include "services/common/proto_time.h"
#include "services/domain/booking_rules.h"
#include "services/domain/spacing.h"

namespace clinicd::domain {
namespace {

// One practitioner's walk along their grid.
struct Cursor {
  size_t practitioner;
  size_t working = 0;  // index into the practitioner's working intervals
  absl::Time start;
};

// Moves `cursor` to the first grid start at or after `from` whose session
// fits its working interval; false when none is left.
bool Settle(const BookingContext& context, const SlotQuery& query, Cursor& cursor,
            absl::Time from) {
  const std::vector<Interval>& working = context.practitioners[cursor.practitioner].working;
  for (; cursor.working < working.size(); ++cursor.working) {
    const Interval& w = working[cursor.working];
    absl::Time start = w.start;
    if (from > start) {
      // The grid runs from the interval's start: round up onto it.
      absl::Duration rest;
      const int64_t steps = absl::IDivDuration(from - w.start, query.step, &rest);
      start = w.start + query.step * (rest > absl::ZeroDuration() ? steps + 1 : steps);
    }
    if (start + context.length.session <= w.end) {
      cursor.start = start;
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<FreeSlot> FindFreeSlots(const BookingContext& context, const SlotQuery& query,
                                    size_t limit) {
  std::vector<FreeSlot> slots;
  if (context.length.session <= absl::ZeroDuration() || query.step <= absl::ZeroDuration() ||
      context.rooms.empty()) {
    return slots;
  }
  const absl::Time from = std::max({query.not_before, context.now, query.after_start});
  std::vector<Cursor> cursors;
  for (size_t p = 0; p < context.practitioners.size(); ++p) {
    Cursor cursor{p, 0, {}};
    if (Settle(context, query, cursor, from)) cursors.push_back(cursor);
  }
  auto name_of = [&](const Cursor& c) -> const std::string& {
    return context.practitioners[c.practitioner].practitioner.name();
  };
  auto key_less = [&](const Cursor& a, const Cursor& b) {
    return std::tie(a.start, name_of(a)) < std::tie(b.start, name_of(b));
  };
  // Few practitioners: the next candidate is a linear minimum, and the walk
  // stops at `limit` slots instead of deciding the whole range.
  while (slots.size() < limit && !cursors.empty()) {
    auto next = std::min_element(cursors.begin(), cursors.end(), key_less);
    Cursor& cursor = *next;
    const std::string& name = name_of(cursor);
    if (std::tie(cursor.start, name) > std::tie(query.after_start, query.after_practitioner)) {
      for (size_t room = 0; room < context.rooms.size(); ++room) {
        const Verdict verdict = Decide(context, {cursor.practitioner, room, cursor.start});
        if (verdict.ok()) {
          slots.push_back({cursor.start, SessionOf(context, cursor.start).end, name,
                           context.rooms[room].room.name()});
          break;
        }
        if (!verdict.RoomSpecific()) break;
      }
    }
    if (!Settle(context, query, cursor, cursor.start + query.step)) cursors.erase(next);
  }
  return slots;
}

absl::Time EarliestEligible(const BookingContext& context, absl::Time from) {
  if (!context.patient.has_value() || context.kind == clinic::v1::VISIT_KIND_CONSULTATION) {
    return from;
  }
  const PatientFacts& patient = *context.patient;
  absl::Time earliest = EarliestSpaced(*context.type, context.zone, patient.sessions, from);
  patient.clearance.time = from;
  const clinic::v1::Clearance blocking = BlockingForBooking(
      EvaluateClearance(patient.clearance), context.policy.require_consent_at_booking());
  if (!blocking.treatable()) {
    earliest = std::max(earliest, blocking.has_earliest_treatable_time()
                                      ? FromProtoTime(blocking.earliest_treatable_time())
                                      : absl::InfiniteFuture());
  }
  return earliest;
}

}  // namespace clinicd::domain
