// Quiet hours in the clinic's time zone: messages due inside them move to
// their end (or, for a reminder that must arrive before an appointment, to
// just before they begin), across midnight and DST changes. PlaceMessage:
// each message moves its own way (earlier or later), never before its floor
// nor at or after its deadline, and stale or useless messages are dropped.

#include "services/domain/quiet_hours.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "tests/plugins/berlin_time.h"

namespace clinicd::domain {
namespace {

using plugins::test_time::Berlin;
using plugins::test_time::BerlinTime;
using plugins::test_time::InBerlin;
using plugins::test_time::UtcTime;

clinic::v1::ClinicPolicy Quiet(int start_hour, int end_hour) {
  clinic::v1::ClinicPolicy policy;
  policy.mutable_quiet_hours_start()->set_hours(start_hour);
  policy.mutable_quiet_hours_end()->set_hours(end_hour);
  return policy;
}

TEST(QuietHoursTest, WithoutQuietHoursEveryTimeIsSendable) {
  const absl::Time night = BerlinTime(2026, 12, 1, 3, 0);
  EXPECT_EQ(FirstSendableAtOrAfter(clinic::v1::ClinicPolicy(), Berlin(), night), night);
  clinic::v1::ClinicPolicy only_start;
  only_start.mutable_quiet_hours_start()->set_hours(21);
  EXPECT_EQ(FirstSendableAtOrAfter(only_start, Berlin(), night), night);
  EXPECT_EQ(FirstSendableAtOrAfter(Quiet(8, 8), Berlin(), night), night);
}

TEST(QuietHoursTest, OvernightPeriodMovesToItsEndOnBothSidesOfMidnight) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  // The evening part belongs to the period ending the next morning.
  EXPECT_EQ(InBerlin(FirstSendableAtOrAfter(policy, Berlin(), BerlinTime(2026, 12, 1, 22, 30))),
            InBerlin(BerlinTime(2026, 12, 2, 8, 0)));
  EXPECT_EQ(InBerlin(FirstSendableAtOrAfter(policy, Berlin(), BerlinTime(2026, 12, 2, 7, 59))),
            InBerlin(BerlinTime(2026, 12, 2, 8, 0)));
}

TEST(QuietHoursTest, StartIsQuietAndEndIsNot) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  const absl::Time start = BerlinTime(2026, 12, 1, 21, 0);
  const absl::Time end = BerlinTime(2026, 12, 2, 8, 0);
  EXPECT_EQ(FirstSendableAtOrAfter(policy, Berlin(), start), end);
  EXPECT_EQ(FirstSendableAtOrAfter(policy, Berlin(), end), end);
  const absl::Time just_before = start - absl::Seconds(1);
  EXPECT_EQ(FirstSendableAtOrAfter(policy, Berlin(), just_before), just_before);
}

TEST(QuietHoursTest, DaytimePeriodWithinOneDay) {
  const clinic::v1::ClinicPolicy lunch = Quiet(12, 14);
  EXPECT_EQ(InBerlin(FirstSendableAtOrAfter(lunch, Berlin(), BerlinTime(2026, 12, 1, 13, 0))),
            InBerlin(BerlinTime(2026, 12, 1, 14, 0)));
  const absl::Time morning = BerlinTime(2026, 12, 1, 11, 0);
  EXPECT_EQ(FirstSendableAtOrAfter(lunch, Berlin(), morning), morning);
}

TEST(QuietHoursTest, BeforeADeadlineMovesToJustBeforeTheQuietHoursBegin) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  EXPECT_EQ(InBerlin(LastSendableAtOrBefore(policy, Berlin(), BerlinTime(2026, 12, 2, 6, 0))),
            InBerlin(BerlinTime(2026, 12, 1, 20, 59)));
  const absl::Time afternoon = BerlinTime(2026, 12, 1, 15, 0);
  EXPECT_EQ(LastSendableAtOrBefore(policy, Berlin(), afternoon), afternoon);
}

TEST(QuietHoursTest, EndsAtTheLocalHourAcrossDaylightSavingChanges) {
  const clinic::v1::ClinicPolicy policy = Quiet(22, 7);
  // Night of 28-29 March 2026 (clocks go forward at 02:00) and of
  // 24-25 October 2026 (back at 03:00): the period still ends at 07:00 local.
  EXPECT_EQ(InBerlin(FirstSendableAtOrAfter(policy, Berlin(), BerlinTime(2026, 3, 28, 23, 0))),
            InBerlin(BerlinTime(2026, 3, 29, 7, 0)));
  EXPECT_EQ(InBerlin(FirstSendableAtOrAfter(policy, Berlin(), BerlinTime(2026, 10, 24, 23, 0))),
            InBerlin(BerlinTime(2026, 10, 25, 7, 0)));
}

constexpr QuietHoursShift kEarlier = QuietHoursShift::kEarlier;
constexpr QuietHoursShift kLater = QuietHoursShift::kLater;

// Quiet hours with minutes, e.g. 02:30 to 06:00.
clinic::v1::ClinicPolicy QuietAt(int start_hour, int start_minute, int end_hour, int end_minute) {
  clinic::v1::ClinicPolicy policy = Quiet(start_hour, end_hour);
  policy.mutable_quiet_hours_start()->set_minutes(start_minute);
  policy.mutable_quiet_hours_end()->set_minutes(end_minute);
  return policy;
}

MessageTiming Timing(absl::Time due, QuietHoursShift shift,
                     std::optional<absl::Time> not_before = std::nullopt,
                     std::optional<absl::Time> deadline = std::nullopt) {
  MessageTiming timing;
  timing.due = due;
  timing.shift = shift;
  timing.not_before = not_before;
  timing.deadline = deadline;
  return timing;
}

// Where PlaceMessage puts `timing` in Berlin, or "dropped".
std::string Placed(const clinic::v1::ClinicPolicy& policy, const MessageTiming& timing,
                   absl::Time now) {
  const std::optional<absl::Time> placed = PlaceMessage(policy, Berlin(), timing, now);
  return placed.has_value() ? InBerlin(*placed) : "dropped";
}

// A morning a few days before the messages below: nothing is overdue.
const absl::Time kLongBefore = BerlinTime(2026, 11, 25, 12, 0);

TEST(PlaceMessageTest, EarlierGoesTheEveningBeforeAndLaterTheNextMorning) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  // Inside quiet hours after midnight and before it.
  const absl::Time early_morning = BerlinTime(2026, 12, 2, 5, 30);
  const absl::Time late_evening = BerlinTime(2026, 12, 1, 23, 30);
  EXPECT_EQ(Placed(policy, Timing(early_morning, kEarlier), kLongBefore),
            InBerlin(BerlinTime(2026, 12, 1, 20, 59)));
  EXPECT_EQ(Placed(policy, Timing(late_evening, kEarlier), kLongBefore),
            InBerlin(BerlinTime(2026, 12, 1, 20, 59)));
  EXPECT_EQ(Placed(policy, Timing(early_morning, kLater), kLongBefore),
            InBerlin(BerlinTime(2026, 12, 2, 8, 0)));
  EXPECT_EQ(Placed(policy, Timing(late_evening, kLater), kLongBefore),
            InBerlin(BerlinTime(2026, 12, 2, 8, 0)));
  // Outside quiet hours neither direction moves it; the bounds are exact.
  const absl::Time afternoon = BerlinTime(2026, 12, 1, 15, 0);
  EXPECT_EQ(Placed(policy, Timing(afternoon, kEarlier), kLongBefore), InBerlin(afternoon));
  EXPECT_EQ(Placed(policy, Timing(afternoon, kLater), kLongBefore), InBerlin(afternoon));
  EXPECT_EQ(Placed(policy, Timing(BerlinTime(2026, 12, 1, 21, 0), kEarlier), kLongBefore),
            InBerlin(BerlinTime(2026, 12, 1, 20, 59)));
  EXPECT_EQ(Placed(policy, Timing(BerlinTime(2026, 12, 2, 8, 0), kEarlier), kLongBefore),
            InBerlin(BerlinTime(2026, 12, 2, 8, 0)));
}

TEST(PlaceMessageTest, PreparationForAnEarlyAppointmentArrivesTheEveningBefore) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  // A 07:30 appointment: two hours before is 05:30, inside quiet hours.
  const absl::Time start = BerlinTime(2026, 12, 2, 7, 30);
  const absl::Time due = start - absl::Hours(2);
  EXPECT_EQ(Placed(policy, Timing(due, kEarlier, std::nullopt, start), kLongBefore),
            InBerlin(BerlinTime(2026, 12, 1, 20, 59)));
  // Even a message that asks for later never arrives after the appointment.
  EXPECT_EQ(Placed(policy, Timing(due, kLater, std::nullopt, start), kLongBefore),
            InBerlin(BerlinTime(2026, 12, 1, 20, 59)));
  // Later is kept when it still comes before the appointment.
  const absl::Time nine = BerlinTime(2026, 12, 2, 9, 0);
  EXPECT_EQ(Placed(policy, Timing(nine - absl::Hours(2), kLater, std::nullopt, nine), kLongBefore),
            InBerlin(BerlinTime(2026, 12, 2, 8, 0)));
  // A message due at or after its deadline goes in the last minute before it.
  EXPECT_EQ(Placed(policy, Timing(nine, kEarlier, std::nullopt, nine), kLongBefore),
            InBerlin(BerlinTime(2026, 12, 2, 8, 59)));
}

TEST(PlaceMessageTest, EarlierNeverGoesBeforeItsFloor) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  // Aftercare for an 18:00 session, due at 22:00: that evening before 21:00.
  const absl::Time session = BerlinTime(2026, 12, 1, 18, 0);
  const absl::Time completed = BerlinTime(2026, 12, 1, 19, 5);
  EXPECT_EQ(Placed(policy, Timing(session + absl::Hours(4), kEarlier, session), completed),
            InBerlin(BerlinTime(2026, 12, 1, 20, 59)));
  // A session at 20:30 completed at 21:35: the floor is inside the quiet
  // hours, so the message waits for the morning instead.
  const absl::Time late_session = BerlinTime(2026, 12, 1, 20, 30);
  EXPECT_EQ(Placed(policy, Timing(late_session + absl::Hours(4), kEarlier, late_session),
                   BerlinTime(2026, 12, 1, 21, 35)),
            InBerlin(BerlinTime(2026, 12, 2, 8, 0)));
  // A floor inside the last sendable minute: the floor itself.
  const absl::Time last_minute = BerlinTime(2026, 12, 1, 20, 59, 30);
  EXPECT_EQ(Placed(policy, Timing(BerlinTime(2026, 12, 1, 22, 0), kEarlier, last_minute),
                   kLongBefore),
            InBerlin(last_minute));
  // A message due before its floor goes at the floor.
  EXPECT_EQ(Placed(policy, Timing(session - absl::Hours(1), kEarlier, session), kLongBefore),
            InBerlin(session));
}

TEST(PlaceMessageTest, OverdueMessagesGoNowOutOfQuietHoursTheirWay) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  const absl::Time afternoon = BerlinTime(2026, 12, 1, 15, 0);
  const absl::Time night = BerlinTime(2026, 12, 1, 23, 0);
  EXPECT_EQ(Placed(policy, Timing(afternoon - absl::Hours(3), kEarlier), afternoon),
            InBerlin(afternoon));
  EXPECT_EQ(Placed(policy, Timing(afternoon - absl::Hours(3), kLater), afternoon),
            InBerlin(afternoon));
  // At night nothing can go back in time: both wait for the morning.
  EXPECT_EQ(Placed(policy, Timing(night - absl::Hours(3), kEarlier), night),
            InBerlin(BerlinTime(2026, 12, 2, 8, 0)));
  EXPECT_EQ(Placed(policy, Timing(night - absl::Hours(3), kLater), night),
            InBerlin(BerlinTime(2026, 12, 2, 8, 0)));
}

TEST(PlaceMessageTest, StaleAndUselessMessagesAreDropped) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  const absl::Time now = BerlinTime(2026, 12, 1, 15, 0);
  // Without a deadline: up to a day late it goes now; older is stale.
  EXPECT_EQ(Placed(policy, Timing(now - absl::Hours(23), kLater), now), InBerlin(now));
  EXPECT_EQ(Placed(policy, Timing(now - absl::Hours(25), kLater), now), "dropped");
  EXPECT_EQ(Placed(policy, Timing(now - absl::Hours(25), kEarlier), now), "dropped");
  // With a deadline: dropped once it has come, however recent the due time.
  EXPECT_EQ(Placed(policy, Timing(now - absl::Hours(2), kEarlier, std::nullopt, now), now),
            "dropped");
  EXPECT_EQ(Placed(policy, Timing(now - absl::Hours(30), kEarlier, std::nullopt,
                                  now + absl::Hours(1)),
                   now),
            InBerlin(now));
  // A floor at or past the deadline leaves no time to send it.
  EXPECT_EQ(Placed(policy, Timing(now + absl::Hours(1), kEarlier, now + absl::Hours(3),
                                  now + absl::Hours(2)),
                   now),
            "dropped");
}

TEST(PlaceMessageTest, NoSendableTimeBeforeTheDeadlineGoesAtOnce) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  // Booked at 22:00 for 07:30 the next morning: the quiet hours last past
  // the appointment, so the preparation goes at once rather than not at all.
  const absl::Time now = BerlinTime(2026, 12, 1, 22, 0);
  const absl::Time start = BerlinTime(2026, 12, 2, 7, 30);
  EXPECT_EQ(Placed(policy, Timing(start - absl::Hours(2), kEarlier, std::nullopt, start), now),
            InBerlin(now));
  EXPECT_EQ(Placed(policy, Timing(start - absl::Hours(24), kLater, std::nullopt, start), now),
            InBerlin(now));
}

TEST(PlaceMessageTest, WithoutQuietHoursOnlyNowAndTheFloorMoveAMessage) {
  const absl::Time now = BerlinTime(2026, 12, 1, 15, 0);
  const absl::Time night = BerlinTime(2026, 12, 2, 3, 0);
  for (const clinic::v1::ClinicPolicy& policy : {clinic::v1::ClinicPolicy(), Quiet(8, 8)}) {
    EXPECT_EQ(Placed(policy, Timing(night, kEarlier), now), InBerlin(night));
    EXPECT_EQ(Placed(policy, Timing(night, kLater), now), InBerlin(night));
    EXPECT_EQ(Placed(policy, Timing(now - absl::Hours(1), kEarlier), now), InBerlin(now));
    EXPECT_EQ(Placed(policy, Timing(night, kEarlier, night + absl::Hours(1)), now),
              InBerlin(night + absl::Hours(1)));
    EXPECT_EQ(Placed(policy, Timing(night, kEarlier, std::nullopt, night), now),
              InBerlin(night - absl::Minutes(1)));
  }
}

TEST(PlaceMessageTest, SpringForwardNightInsideTheQuietHours) {
  // Night of 27-28 March 2027: 21:00 CET to 08:00 CEST, ten hours long.
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  const absl::Time now = BerlinTime(2027, 3, 20, 12, 0);
  for (const absl::Time due : {BerlinTime(2027, 3, 28, 1, 30), BerlinTime(2027, 3, 28, 3, 30),
                               BerlinTime(2027, 3, 28, 5, 30)}) {
    SCOPED_TRACE(InBerlin(due));
    EXPECT_EQ(Placed(policy, Timing(due, kEarlier), now), "2027-03-27 20:59:00 CET");
    EXPECT_EQ(Placed(policy, Timing(due, kLater), now), "2027-03-28 08:00:00 CEST");
  }
  EXPECT_EQ(FirstSendableAtOrAfter(policy, Berlin(), BerlinTime(2027, 3, 27, 21, 0)) -
                BerlinTime(2027, 3, 27, 21, 0),
            absl::Hours(10));
  // A 07:30 appointment that morning: its two-hour reminder (05:30 CEST)
  // goes the evening before.
  const absl::Time start = BerlinTime(2027, 3, 28, 7, 30);
  EXPECT_EQ(Placed(policy, Timing(start - absl::Hours(2), kEarlier, std::nullopt, start), now),
            "2027-03-27 20:59:00 CET");
}

TEST(PlaceMessageTest, QuietHoursBeginningInTheSkippedHour) {
  // 02:30 does not exist on 28 March 2027: the quiet hours begin when the
  // clock jumps to 03:00 CEST, so the last sendable minute is 01:59 CET.
  const clinic::v1::ClinicPolicy policy = QuietAt(2, 30, 6, 0);
  const absl::Time now = BerlinTime(2027, 3, 20, 12, 0);
  const absl::Time due = BerlinTime(2027, 3, 28, 3, 10);
  EXPECT_EQ(Placed(policy, Timing(due, kEarlier), now), "2027-03-28 01:59:00 CET");
  EXPECT_EQ(Placed(policy, Timing(due, kLater), now), "2027-03-28 06:00:00 CEST");
  const absl::Time before_jump = BerlinTime(2027, 3, 28, 1, 59);
  EXPECT_EQ(Placed(policy, Timing(before_jump, kLater), now), InBerlin(before_jump));
}

TEST(PlaceMessageTest, FallBackNightInsideTheQuietHours) {
  // Night of 30-31 October 2027: 21:00 CEST to 08:00 CET, twelve hours long;
  // 02:30 happens twice (00:30 and 01:30 UTC).
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  const absl::Time now = BerlinTime(2027, 10, 20, 12, 0);
  for (const absl::Time due : {UtcTime(2027, 10, 31, 0, 30), UtcTime(2027, 10, 31, 1, 30),
                               BerlinTime(2027, 10, 31, 6, 0)}) {
    SCOPED_TRACE(InBerlin(due));
    EXPECT_EQ(Placed(policy, Timing(due, kEarlier), now), "2027-10-30 20:59:00 CEST");
    EXPECT_EQ(Placed(policy, Timing(due, kLater), now), "2027-10-31 08:00:00 CET");
  }
  EXPECT_EQ(FirstSendableAtOrAfter(policy, Berlin(), BerlinTime(2027, 10, 30, 21, 0)) -
                BerlinTime(2027, 10, 30, 21, 0),
            absl::Hours(12));
  // Quiet hours from 02:30 begin at its first occurrence; the repeated hour
  // after it is quiet too.
  const clinic::v1::ClinicPolicy small_hours = QuietAt(2, 30, 6, 0);
  const absl::Time repeated = UtcTime(2027, 10, 31, 1, 45);  // 02:45 CET
  EXPECT_EQ(Placed(small_hours, Timing(repeated, kEarlier), now), "2027-10-31 02:29:00 CEST");
  EXPECT_EQ(Placed(small_hours, Timing(repeated, kLater), now), "2027-10-31 06:00:00 CET");
}

TEST(PlaceMessageTest, DeclaredShiftOrTheDefaultForItsKind) {
  EXPECT_EQ(ShiftFor(clinic::v1::QUIET_HOURS_SHIFT_UNSPECIFIED, kEarlier), kEarlier);
  EXPECT_EQ(ShiftFor(clinic::v1::QUIET_HOURS_SHIFT_UNSPECIFIED, kLater), kLater);
  EXPECT_EQ(ShiftFor(clinic::v1::QUIET_HOURS_SHIFT_EARLIER, kLater), kEarlier);
  EXPECT_EQ(ShiftFor(clinic::v1::QUIET_HOURS_SHIFT_LATER, kEarlier), kLater);
  EXPECT_EQ(ShiftFor(static_cast<clinic::v1::QuietHoursShift>(7), kLater), kLater);
}

}  // namespace
}  // namespace clinicd::domain
