// clinicctl, the binary, for courses and what follows them: series create,
// list, show, plan and booking into a series (with SERIES_SPACING refused
// and explained), cancel; maintenance recalls listed, snoozed, dismissed.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clinicctl/ctl_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::clinicctl::testing {
namespace {

using ::clinicd::plugins::test_time::At;
using ::clinicd::plugins::test_time::Berlin;
using ::clinicd::plugins::test_time::FromProto;
using ::clinicd::testing::AuthedContext;
using ::testing::HasSubstr;

using FollowUpTest = ClinicctlTest;

// "Mon 2027-03-15", as clinicctl shows local dates.
std::string Shown(absl::CivilDay day) {
  return absl::FormatTime("%a %Y-%m-%d", absl::FromCivil(day, Berlin()), Berlin());
}

TEST_F(FollowUpTest, SeriesCreateProgressPlanAndBookingIntoIt) {
  const ProgramResult refused =
      Ctl({"series", "create", "--patient=Anna Schmidt", "--indication=melasma", "--sessions=9"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("--sessions (series.planned_sessions): must be from 3 to 6"));

  const ProgramResult created =
      Ctl({"series", "create", "--patient=Anna Schmidt", "--indication=melasma"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out,
              HasSubstr("Anna Schmidt, Microneedling for Melasma, planned, 0 of 3 done"));
  clinic::v1::ListSeriesRequest list;
  list.set_parent(clinic_.name());
  list.set_patient(patient_.name());
  clinic::v1::ListSeriesResponse listed;
  ASSERT_TRUE(follow_up_->ListSeries(AuthedContext(admin_key_).get(), list, &listed).ok());
  ASSERT_EQ(listed.series_size(), 1);
  const std::string series = IdOf(listed.series(0).name());
  EXPECT_THAT(created.out, HasSubstr("Plan the first session: clinicctl series plan " + series));

  const ProgramResult plan = Ctl({"series", "plan", series, "--limit=3"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("Next: session 1 of series " + series + ", window "));
  EXPECT_THAT(plan.out, HasSubstr("Book one: clinicctl appointment book --patient=" +
                                  IdOf(patient_.name()) + " --series=" + series + " --at="));

  const ProgramResult first = Ctl({"appointment", "book", "--patient=" + IdOf(patient_.name()),
                                   "--series=" + series, "--at=" + DayText(monday_) + " 10:00"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // A week later is too soon for session 2.
  const ProgramResult too_soon =
      Ctl({"appointment", "book", "--patient=" + IdOf(patient_.name()), "--series=" + series,
           "--at=" + DayText(monday_ + 7) + " 10:00"});
  EXPECT_EQ(too_soon.exit_code, 1);
  EXPECT_THAT(too_soon.err, HasSubstr("(SERIES_SPACING)"));
  EXPECT_THAT(too_soon.err, HasSubstr("earliest " + Shown(monday_ + 28)));
  EXPECT_THAT(too_soon.err, HasSubstr("clinicctl series plan " + series));

  const ProgramResult shown = Ctl({"series", "show", series});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr(Shown(monday_) + " 10:00"));
  EXPECT_THAT(shown.out, HasSubstr("booked"));
  // Session 2's window opens four weeks after session 1, in local dates.
  EXPECT_THAT(shown.out, HasSubstr(Shown(monday_ + 28) + " to " + Shown(monday_ + 42)));

  const ProgramResult next = Ctl({"series", "plan", series, "--limit=2"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_THAT(next.out,
              HasSubstr("Next: session 2 of series " + series + ", window " + Shown(monday_ + 28)));

  const ProgramResult mine = Ctl({"series", "list", "Anna Schmidt"});
  ASSERT_EQ(mine.exit_code, 0) << mine.err;
  EXPECT_THAT(mine.out, HasSubstr("0 of 3 done"));

  const ProgramResult cancelled = Ctl({"series", "cancel", series, "--reason=moved away"});
  ASSERT_EQ(cancelled.exit_code, 0) << cancelled.err;
  EXPECT_THAT(cancelled.out, HasSubstr("cancelled"));
  EXPECT_THAT(cancelled.out, HasSubstr("Cancelled: moved away"));
  EXPECT_EQ(GetSeries(listed.series(0).name()).state(), clinic::v1::SERIES_STATE_CANCELLED);
}

TEST_F(FollowUpTest, RecallsListSnoozeAndDismiss) {
  const ProgramResult none = Ctl({"recall", "list"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.out, "No recalls.\n");

  // A three-session melasma course, completed: its recall is due six months on.
  const clinic::v1::Series series = MustCreateSeries("melasma");
  std::vector<clinic::v1::Appointment> sessions;
  for (int weeks : {0, 4, 8}) {
    sessions.push_back(MustBook(Draft(At(monday_ + 7 * weeks, 10), series.name())));
  }
  for (const clinic::v1::Appointment& session : sessions) MustCheckInAndComplete(session.name());
  const std::vector<clinic::v1::Recall> recalls = Recalls(clinic::v1::RECALL_VIEW_UNSPECIFIED);
  ASSERT_EQ(recalls.size(), 1u);
  const std::string recall = IdOf(recalls[0].name());
  const absl::CivilDay due = absl::ToCivilDay(FromProto(recalls[0].due_time()), Berlin());

  const ProgramResult listed = Ctl({"recall", "list", "--view=upcoming"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out,
              HasSubstr(recall + "  Anna Schmidt  Microneedling  upcoming  " + Shown(due)));
  EXPECT_EQ(Ctl({"recall", "list", "--view=due"}).out, "No due recalls.\n");
  const ProgramResult bad_view = Ctl({"recall", "list", "--view=soon"});
  EXPECT_EQ(bad_view.exit_code, 2);
  EXPECT_THAT(bad_view.err, HasSubstr("--view: must be due, upcoming, lapsed or all"));

  // Snoozing and dismissing are the front desk's (clinicd's role table).
  const std::string front_desk = server_.CreateKey("front_desk");
  const ProgramResult snoozed = Ctl({"recall", "snooze", recall, "--snooze=2w"}, front_desk);
  ASSERT_EQ(snoozed.exit_code, 0) << snoozed.err;
  EXPECT_THAT(snoozed.out, HasSubstr("notices held until "));
  EXPECT_TRUE(Recalls(clinic::v1::RECALL_VIEW_UNSPECIFIED)[0].has_snooze_until_time());

  EXPECT_EQ(Ctl({"recall", "dismiss", recall}, front_desk).exit_code, 2);
  const ProgramResult dismissed =
      Ctl({"recall", "dismiss", recall, "--reason=patient prefers another clinic"}, front_desk);
  ASSERT_EQ(dismissed.exit_code, 0) << dismissed.err;
  EXPECT_THAT(dismissed.out, HasSubstr("dismissed: patient prefers another clinic"));
  EXPECT_EQ(Recalls(clinic::v1::RECALL_VIEW_UNSPECIFIED)[0].state(),
            clinic::v1::RECALL_STATE_DISMISSED);
}

}  // namespace
}  // namespace clinicd::clinicctl::testing
