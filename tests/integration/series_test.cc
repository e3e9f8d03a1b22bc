// FollowUpService series over a real server.

#include "tests/integration/course_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::testing {
namespace {

using plugins::test_time::At;
using plugins::test_time::FromProto;
using plugins::test_time::InBerlin;

class SeriesTest : public CourseTest {};

TEST_F(SeriesTest, SmokeFirstSessionCompletedReplansTheSecond) {
  clinic::v1::Series series = MustCreateSeries("acne_scars");
  ASSERT_EQ(series.planned_sessions(), 6);
  ASSERT_EQ(series.sessions_size(), 6);
  const absl::Time first = At(monday_, 10);
  clinic::v1::Appointment session = MustBook(Draft(first, series.name()));
  MustCheckInAndComplete(session.name());
  series = GetSeries(series.name());
  EXPECT_EQ(series.state(), clinic::v1::SERIES_STATE_ACTIVE);
  EXPECT_EQ(series.sessions(0).appointment(), session.name());
  EXPECT_EQ(InBerlin(series.sessions(1).window_start_time()), InBerlin(At(monday_ + 28, 10)));
  for (const auto& n : Outbox()) {
    std::cerr << clinic::v1::NotificationKind_Name(n.kind()) << " "
              << clinic::v1::NotificationChannel_Name(n.channel()) << " "
              << InBerlin(n.due_time()) << " " << clinic::v1::NotificationState_Name(n.state())
              << " " << n.dedupe_key() << " | " << n.subject() << "\n";
  }
  std::cerr << Outbox().back().body() << "\n";
}

}  // namespace
}  // namespace clinicd::testing
