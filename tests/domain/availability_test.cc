// FindFreeSlots over a context without a patient: a 15-minute grid from
// each working interval's start, the session inside the interval, the practitioner free for the session and a
// room free for the session plus its turnaround, with resumable ordering by
// (start, practitioner).

#include "services/domain/availability.h"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace clinicd::domain {
namespace {

// 2027-01-04 hh:mm UTC; the domain layer works on instants only.
absl::Time At(int hour, int minute) {
  return absl::FromCivil(absl::CivilSecond(2027, 1, 4, hour, minute, 0), absl::UTCTimeZone());
}

std::string Hm(absl::Time time) { return absl::FormatTime("%H:%M", time, absl::UTCTimeZone()); }

// "HH:MM-HH:MM practitioner room" for each slot.
std::vector<std::string> Describe(const std::vector<FreeSlot>& slots) {
  std::vector<std::string> out;
  for (const FreeSlot& s : slots) {
    out.push_back(Hm(s.start) + "-" + Hm(s.end) + " " + s.practitioner + " " + s.room);
  }
  return out;
}

// The old calendar shapes, kept so each case reads as before; they become
// a BookingContext the rules decide from.
struct PractitionerCalendar {
  std::string name;
  std::vector<Interval> working;
  std::vector<Interval> busy;
};
struct RoomCalendar {
  std::string name;
  std::vector<Interval> busy;
};

// A query plus the visit's length.
struct Spec : SlotQuery {
  absl::Duration session;
  absl::Duration turnaround;
};

Spec Query(absl::Duration session, absl::Duration turnaround = absl::ZeroDuration()) {
  Spec spec;
  spec.session = session;
  spec.turnaround = turnaround;
  return spec;
}

std::vector<FreeSlot> FindFreeSlots(const Spec& spec,
                                    const std::vector<PractitionerCalendar>& practitioners,
                                    const std::vector<RoomCalendar>& rooms, size_t limit) {
  static clinic::v1::TreatmentType type;
  type.set_name("treatmentTypes/t");
  BookingContext context;
  context.now = At(0, 0);
  context.zone = absl::UTCTimeZone();
  context.type = &type;
  context.length = {spec.session, spec.turnaround};
  for (const PractitionerCalendar& c : practitioners) {
    PractitionerFacts facts;
    facts.practitioner.set_name(c.name);
    facts.practitioner.set_active(true);
    facts.practitioner.add_treatment_types(type.name());
    facts.working = c.working;
    std::sort(facts.working.begin(), facts.working.end(),
              [](const Interval& a, const Interval& b) { return a.start < b.start; });
    facts.appointments = BusyTimeline(c.busy);
    context.practitioners.push_back(std::move(facts));
  }
  for (const RoomCalendar& c : rooms) {
    RoomFacts facts;
    facts.room.set_name(c.name);
    facts.room.set_active(true);
    facts.appointments = BusyTimeline(c.busy);
    context.rooms.push_back(std::move(facts));
  }
  return domain::FindFreeSlots(context, spec, limit);
}

PractitionerCalendar Working(const std::string& name, absl::Time start, absl::Time end,
                             std::vector<Interval> busy = {}) {
  return {name, {{start, end}}, std::move(busy)};
}

TEST(FindFreeSlotsTest, GridStartsAtIntervalStartAndSessionMustFitBeforeItsEnd) {
  // 09:10-11:00 with 60-minute sessions: 09:10 ... 09:55; 10:10 would end
  // at 11:10, after the interval.
  const std::vector<FreeSlot> slots = FindFreeSlots(
      Query(absl::Minutes(60)), {Working("p", At(9, 10), At(11, 0))}, {{"r", {}}}, 100);
  EXPECT_EQ(Describe(slots), (std::vector<std::string>{"09:10-10:10 p r", "09:25-10:25 p r",
                                                       "09:40-10:40 p r", "09:55-10:55 p r"}));
}

TEST(FindFreeSlotsTest, SessionEndingExactlyAtIntervalEndIsOffered) {
  const std::vector<FreeSlot> slots = FindFreeSlots(
      Query(absl::Minutes(60)), {Working("p", At(9, 0), At(10, 30))}, {{"r", {}}}, 100);
  EXPECT_EQ(Describe(slots), (std::vector<std::string>{"09:00-10:00 p r", "09:15-10:15 p r",
                                                       "09:30-10:30 p r"}));
}

TEST(FindFreeSlotsTest, StepOtherThanFifteenMinutes) {
  Spec query = Query(absl::Minutes(30));
  query.step = absl::Minutes(20);
  const std::vector<FreeSlot> slots =
      FindFreeSlots(query, {Working("p", At(9, 0), At(10, 0))}, {{"r", {}}}, 100);
  EXPECT_EQ(Describe(slots), (std::vector<std::string>{"09:00-09:30 p r", "09:20-09:50 p r"}));
}

TEST(FindFreeSlotsTest, NonPositiveSessionOrStepFindsNothing) {
  const std::vector<PractitionerCalendar> practitioners = {Working("p", At(9, 0), At(17, 0))};
  EXPECT_TRUE(FindFreeSlots(Query(absl::ZeroDuration()), practitioners, {{"r", {}}}, 100).empty());
  Spec query = Query(absl::Minutes(30));
  query.step = absl::ZeroDuration();
  EXPECT_TRUE(FindFreeSlots(query, practitioners, {{"r", {}}}, 100).empty());
}

TEST(FindFreeSlotsTest, PractitionerBusyBlocksOverlappingSessionsOnly) {
  // Busy 09:30-10:00; 30-minute sessions touching it (ending 09:30 or
  // starting 10:00) are fine.
  const std::vector<FreeSlot> slots = FindFreeSlots(
      Query(absl::Minutes(30)), {Working("p", At(9, 0), At(11, 0), {{At(9, 30), At(10, 0)}})},
      {{"r", {}}}, 100);
  EXPECT_EQ(Describe(slots),
            (std::vector<std::string>{"09:00-09:30 p r", "10:00-10:30 p r", "10:15-10:45 p r",
                                      "10:30-11:00 p r"}));
}

TEST(FindFreeSlotsTest, RoomMustBeFreeForTheTurnaroundToo) {
  // The room is taken from 10:00. A 30-minute session at 09:30 would itself
  // end at 10:00, but its 15-minute turnaround runs into the booking.
  const std::vector<FreeSlot> slots =
      FindFreeSlots(Query(absl::Minutes(30), absl::Minutes(15)),
                    {Working("p", At(9, 0), At(10, 30))}, {{"r", {{At(10, 0), At(11, 0)}}}}, 100);
  EXPECT_EQ(Describe(slots), (std::vector<std::string>{"09:00-09:30 p r", "09:15-09:45 p r"}));
}

TEST(FindFreeSlotsTest, TurnaroundDoesNotBlockThePractitioner) {
  // The practitioner's own 09:00-10:00 session ended; only its room needed
  // turnaround, so a second room lets them start again at 10:00.
  const std::vector<FreeSlot> slots = FindFreeSlots(
      Query(absl::Minutes(60), absl::Minutes(15)),
      {Working("p", At(9, 0), At(11, 0), {{At(9, 0), At(10, 0)}})},
      {{"r1", {{At(9, 0), At(10, 15)}}}, {"r2", {}}}, 100);
  EXPECT_EQ(Describe(slots), (std::vector<std::string>{"10:00-11:00 p r2"}));
}

TEST(FindFreeSlotsTest, FirstFreeRoomInGivenOrderIsChosen) {
  // r1 is busy until 09:30 (including turnaround), r2 always free.
  const std::vector<FreeSlot> slots = FindFreeSlots(
      Query(absl::Minutes(30)), {Working("p", At(9, 0), At(10, 15))},
      {{"r1", {{At(9, 0), At(9, 30)}}}, {"r2", {}}}, 100);
  EXPECT_EQ(Describe(slots),
            (std::vector<std::string>{"09:00-09:30 p r2", "09:15-09:45 p r2", "09:30-10:00 p r1",
                                      "09:45-10:15 p r1"}));
}

TEST(FindFreeSlotsTest, NoSuitableRoomMeansNoSlot) {
  EXPECT_TRUE(
      FindFreeSlots(Query(absl::Minutes(30)), {Working("p", At(9, 0), At(17, 0))}, {}, 100)
          .empty());
  EXPECT_TRUE(FindFreeSlots(Query(absl::Minutes(30)), {Working("p", At(9, 0), At(10, 0))},
                            {{"r", {{At(8, 0), At(12, 0)}}}}, 100)
                  .empty());
}

TEST(FindFreeSlotsTest, NotBeforeSkipsEarlierStartsButKeepsTheGrid) {
  Spec query = Query(absl::Minutes(30));
  query.not_before = At(9, 20);
  const std::vector<FreeSlot> slots =
      FindFreeSlots(query, {Working("p", At(9, 0), At(10, 15))}, {{"r", {}}}, 100);
  // 09:20 is not on the grid; the next grid time is 09:30.
  EXPECT_EQ(Describe(slots), (std::vector<std::string>{"09:30-10:00 p r", "09:45-10:15 p r"}));

  query.not_before = At(9, 30);
  EXPECT_EQ(Describe(FindFreeSlots(query, {Working("p", At(9, 0), At(10, 15))}, {{"r", {}}}, 100)),
            (std::vector<std::string>{"09:30-10:00 p r", "09:45-10:15 p r"}));
}

TEST(FindFreeSlotsTest, OrdersByStartThenPractitionerWhateverTheInputOrder) {
  // "b" is listed first and starts earlier in the day; results interleave.
  const std::vector<FreeSlot> slots =
      FindFreeSlots(Query(absl::Minutes(30)),
                    {Working("b", At(9, 0), At(10, 0)), Working("a", At(9, 15), At(10, 0))},
                    {{"r1", {}}, {"r2", {}}}, 100);
  EXPECT_EQ(Describe(slots),
            (std::vector<std::string>{"09:00-09:30 b r1", "09:15-09:45 a r1", "09:15-09:45 b r1",
                                      "09:30-10:00 a r1", "09:30-10:00 b r1"}));
}

TEST(FindFreeSlotsTest, SeveralWorkingIntervalsPerPractitioner) {
  PractitionerCalendar split{"p", {{At(14, 0), At(15, 0)}, {At(9, 0), At(10, 0)}}, {}};
  const std::vector<FreeSlot> slots =
      FindFreeSlots(Query(absl::Minutes(45)), {split}, {{"r", {}}}, 100);
  EXPECT_EQ(Describe(slots), (std::vector<std::string>{"09:00-09:45 p r", "09:15-10:00 p r",
                                                       "14:00-14:45 p r", "14:15-15:00 p r"}));
}

TEST(FindFreeSlotsTest, LimitKeepsTheEarliest) {
  const std::vector<PractitionerCalendar> practitioners = {Working("b", At(9, 0), At(11, 0)),
                                                           Working("a", At(9, 0), At(11, 0))};
  EXPECT_EQ(Describe(FindFreeSlots(Query(absl::Minutes(30)), practitioners, {{"r", {}}}, 3)),
            (std::vector<std::string>{"09:00-09:30 a r", "09:00-09:30 b r", "09:15-09:45 a r"}));
  EXPECT_TRUE(FindFreeSlots(Query(absl::Minutes(30)), practitioners, {{"r", {}}}, 0).empty());
}

TEST(FindFreeSlotsTest, ResumesStrictlyAfterKeyWithinTheSameStart) {
  Spec query = Query(absl::Minutes(30));
  query.after_start = At(9, 15);
  query.after_practitioner = "a";
  const std::vector<FreeSlot> slots = FindFreeSlots(
      query, {Working("a", At(9, 0), At(10, 0)), Working("b", At(9, 0), At(10, 0))}, {{"r", {}}},
      3);
  EXPECT_EQ(Describe(slots),
            (std::vector<std::string>{"09:15-09:45 b r", "09:30-10:00 a r", "09:30-10:00 b r"}));
}

TEST(FindFreeSlotsTest, PagingWithResumeKeysCoversEverySlotOnce) {
  const std::vector<PractitionerCalendar> practitioners = {
      Working("c", At(9, 0), At(12, 0), {{At(10, 0), At(10, 30)}}),
      Working("a", At(9, 0), At(12, 0)), Working("b", At(9, 30), At(11, 15))};
  // Before 09:30 neither room is free for a session plus turnaround.
  const std::vector<RoomCalendar> rooms = {{"r1", {{At(9, 0), At(9, 45)}}},
                                           {"r2", {{At(8, 0), At(9, 20)}}}};
  const Spec all_query = Query(absl::Minutes(60), absl::Minutes(15));
  const std::vector<FreeSlot> all = FindFreeSlots(all_query, practitioners, rooms, 1000);
  EXPECT_EQ(Describe(all),
            (std::vector<std::string>{
                "09:30-10:30 a r2", "09:30-10:30 b r2", "09:45-10:45 a r1", "09:45-10:45 b r1",
                "10:00-11:00 a r1", "10:00-11:00 b r1", "10:15-11:15 a r1", "10:15-11:15 b r1",
                "10:30-11:30 a r1", "10:30-11:30 c r1", "10:45-11:45 a r1", "10:45-11:45 c r1",
                "11:00-12:00 a r1", "11:00-12:00 c r1"}));

  std::vector<FreeSlot> paged;
  Spec query = all_query;
  int pages = 0;
  while (true) {
    const std::vector<FreeSlot> page = FindFreeSlots(query, practitioners, rooms, 4);
    ++pages;
    paged.insert(paged.end(), page.begin(), page.end());
    if (page.size() < 4) break;
    query.after_start = page.back().start;
    query.after_practitioner = page.back().practitioner;
    ASSERT_LT(pages, 20);
  }
  EXPECT_EQ(pages, 4);  // 3 full pages of 4, then the last 2
  EXPECT_EQ(Describe(paged), Describe(all));
  std::set<std::tuple<absl::Time, std::string>> keys;
  for (const FreeSlot& s : paged) {
    EXPECT_TRUE(keys.insert({s.start, s.practitioner}).second)
        << "duplicate " << Hm(s.start) << " " << s.practitioner;
  }
}

TEST(AvailabilityTest, BusyTimelineTreatsIntervalsAsHalfOpen) {
  const BusyTimeline busy({{At(9, 0), At(10, 0)}, {At(11, 0), At(12, 0)}});
  EXPECT_FALSE(busy.FirstOverlap({At(10, 0), At(11, 0)}).has_value());
  EXPECT_TRUE(busy.FirstOverlap({At(10, 0), At(11, 1)}).has_value());
  EXPECT_TRUE(busy.FirstOverlap({At(8, 0), At(13, 0)}).has_value());
  EXPECT_FALSE(BusyTimeline().FirstOverlap({At(8, 0), At(13, 0)}).has_value());
}

}  // namespace
}  // namespace clinicd::domain
