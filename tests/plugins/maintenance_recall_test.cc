// The maintenance recall policy: its data, and its schedule through the
// SDK's declared-rule semantics (ScheduleDeclaredRecall).

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "clinicd/protocol_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugins/maintenance_recall/maintenance_recall_policy.h"
#include "plugins/microneedling/microneedling_protocol.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::plugins::maintenance_recall {
namespace {

using clinicd::plugin::v1::ScheduleRecallRequest;
using clinicd::plugin::v1::ScheduleRecallResponse;
using test_time::BerlinTime;
using test_time::FromProto;
using test_time::InBerlin;
using test_time::ToProto;
using ::testing::HasSubstr;
using ::testing::Not;

// The schedule for a series completed at `completion` in Berlin.
ScheduleRecallResponse Schedule(absl::Time completion) {
  ScheduleRecallRequest request;
  *request.mutable_policy() = MaintenanceRecallPolicy();
  *request.mutable_treatment_type() = microneedling::MicroneedlingProtocol();
  *request.mutable_series_completion_time() = ToProto(completion);
  request.set_time_zone(test_time::kBerlin);
  absl::StatusOr<ScheduleRecallResponse> response = protocol::ScheduleDeclaredRecall(request);
  EXPECT_TRUE(response.ok()) << response.status();
  return response.ok() ? *response : ScheduleRecallResponse();
}

TEST(MaintenanceRecallPolicyTest, DeclaresTheSixToTwelveMonthWindow) {
  const clinic::v1::RecallPolicy policy = MaintenanceRecallPolicy();
  EXPECT_EQ(policy.name(), "recallPolicies/maintenance_6_12_months");
  EXPECT_EQ(policy.plugin(), "plugins/maintenance_recall");
  EXPECT_FALSE(policy.display_name().empty());
  EXPECT_EQ(policy.due_after().months(), 6);
  EXPECT_EQ(policy.due_after().days(), 0);
  EXPECT_FALSE(policy.due_after().has_duration());
  EXPECT_EQ(policy.lapse_after().months(), 12);
  EXPECT_EQ(policy.lapse_after().days(), 0);
  EXPECT_FALSE(policy.lapse_after().has_duration());
}

TEST(MaintenanceRecallPolicyTest, NoticesAreWrittenForAnyTreatment) {
  const clinic::v1::RecallPolicy policy = MaintenanceRecallPolicy();
  ASSERT_EQ(policy.notices_size(), 3);
  std::set<std::string> ids;
  for (const auto& notice : policy.notices()) {
    EXPECT_TRUE(ids.insert(notice.id()).second) << notice.id();
    EXPECT_FALSE(notice.title().empty()) << notice.id();
    EXPECT_LE(notice.title().size(), 80u) << notice.id();
    EXPECT_FALSE(notice.body().empty()) << notice.id();
    // The server names the treatment; the policy serves every treatment type.
    EXPECT_THAT(absl::AsciiStrToLower(notice.title() + notice.body()),
                Not(HasSubstr("microneedling")))
        << notice.id();
  }
}

TEST(MaintenanceRecallPolicyTest, MicroneedlingOptsIn) {
  EXPECT_EQ(microneedling::MicroneedlingProtocol().recall_policy(),
            MaintenanceRecallPolicy().name());
}

TEST(MaintenanceRecallScheduleTest, DueAtSixMonthsLapsingAtTwelveWithThreeNoticesInOrder) {
  const ScheduleRecallResponse schedule = Schedule(BerlinTime(2027, 1, 20, 15, 0));
  EXPECT_EQ(InBerlin(schedule.due_time()), "2027-07-20 15:00:00 CEST");
  EXPECT_EQ(InBerlin(schedule.lapse_time()), "2028-01-20 15:00:00 CET");
  ASSERT_EQ(schedule.notices_size(), 3);
  EXPECT_EQ(schedule.notices(0).message().id(), "maintenance_due");
  EXPECT_EQ(InBerlin(schedule.notices(0).send_time()), "2027-07-20 15:00:00 CEST");
  EXPECT_EQ(schedule.notices(1).message().id(), "maintenance_reminder");
  EXPECT_EQ(InBerlin(schedule.notices(1).send_time()), "2027-10-20 15:00:00 CEST");
  EXPECT_EQ(schedule.notices(2).message().id(), "maintenance_final_notice");
  // 11 months (20 December), then 14 days.
  EXPECT_EQ(InBerlin(schedule.notices(2).send_time()), "2028-01-03 15:00:00 CET");
  // The notices carry the policy's texts.
  EXPECT_EQ(schedule.notices(0).message().body(), MaintenanceRecallPolicy().notices(0).body());
}

TEST(MaintenanceRecallScheduleTest, EveryNoticeFallsInsideTheWindow) {
  for (const absl::Time completion :
       {BerlinTime(2027, 8, 31, 18, 30), BerlinTime(2027, 3, 28, 12, 0),
        BerlinTime(2026, 12, 31, 9, 0)}) {
    const ScheduleRecallResponse schedule = Schedule(completion);
    const absl::Time due = FromProto(schedule.due_time());
    const absl::Time lapse = FromProto(schedule.lapse_time());
    ASSERT_EQ(schedule.notices_size(), 3) << InBerlin(completion);
    absl::Time previous = absl::InfinitePast();
    for (const auto& notice : schedule.notices()) {
      const absl::Time send = FromProto(notice.send_time());
      EXPECT_GE(send, due) << notice.message().id() << " " << InBerlin(completion);
      EXPECT_LT(send, lapse) << notice.message().id() << " " << InBerlin(completion);
      EXPECT_GT(send, previous) << notice.message().id() << " " << InBerlin(completion);
      previous = send;
    }
  }
}

TEST(MaintenanceRecallScheduleTest, SixMonthsFromTheEndOfAugustIsTheEndOfFebruary) {
  const ScheduleRecallResponse schedule = Schedule(BerlinTime(2027, 8, 31, 18, 30));
  EXPECT_EQ(InBerlin(schedule.due_time()), "2028-02-29 18:30:00 CET");
  EXPECT_EQ(InBerlin(schedule.lapse_time()), "2028-08-31 18:30:00 CEST");
  EXPECT_EQ(InBerlin(schedule.notices(2).send_time()), "2028-08-14 18:30:00 CEST");
}

}  // namespace
}  // namespace clinicd::plugins::maintenance_recall
