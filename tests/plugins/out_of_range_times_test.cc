// The SDK's declared-rule semantics on times protobuf cannot hold: a request
// (or a protocol) with a Timestamp or Duration outside protobuf's range, or
// periods that carry a result past 9999-12-31, is refused with
// INVALID_ARGUMENT naming the field. Before, protobuf's TimeUtil CHECK threw
// inside the plugin (found by plugin_request_fuzzer).

#include "absl/status/statusor.h"
#include "clinicd/protocol_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugins/maintenance_recall/maintenance_recall_policy.h"
#include "plugins/microneedling/microneedling_protocol.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::protocol {
namespace {

using plugins::test_time::ToProto;
using plugins::test_time::UtcTime;
using ::testing::HasSubstr;

// Seconds past 9999-12-31, which no Timestamp may hold.
constexpr int64_t kBeyondYear9999 = 300000000000LL;

template <typename T>
void ExpectRefused(const absl::StatusOr<T>& result, const std::string& field) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr(field));
}

clinicd::plugin::v1::ScheduleRecallRequest RecallRequest(absl::Time completion) {
  clinicd::plugin::v1::ScheduleRecallRequest request;
  *request.mutable_policy() = plugins::maintenance_recall::MaintenanceRecallPolicy();
  *request.mutable_series_completion_time() = ToProto(completion);
  request.set_time_zone(plugins::test_time::kBerlin);
  return request;
}

TEST(OutOfRangeTimesTest, RecallNoticeOffsetBeyondAnyDurationIsRefused) {
  auto request = RecallRequest(UtcTime(2027, 1, 5, 9, 0));
  request.mutable_policy()->mutable_notices(0)->mutable_offset()->mutable_duration()->set_seconds(
      -kBeyondYear9999 * 2);
  ExpectRefused(ScheduleDeclaredRecall(request), "policy.notices[0].offset.duration");
}

TEST(OutOfRangeTimesTest, RecallCompletionTimeBeyondYear9999IsRefused) {
  auto request = RecallRequest(UtcTime(2027, 1, 5, 9, 0));
  request.mutable_series_completion_time()->set_seconds(kBeyondYear9999);
  ExpectRefused(ScheduleDeclaredRecall(request), "series_completion_time");
}

TEST(OutOfRangeTimesTest, RecallDueAfterYear9999IsRefused) {
  // Completed in December 9999: due six months later, in a year no Timestamp holds.
  ExpectRefused(ScheduleDeclaredRecall(RecallRequest(UtcTime(9999, 12, 1, 9, 0))), "due_time");
}

TEST(OutOfRangeTimesTest, ScreeningSessionTimeBeyondYear9999IsRefused) {
  clinicd::plugin::v1::EvaluateScreeningRequest request;
  request.mutable_treatment_type()->set_name("treatmentTypes/plain");
  request.set_time_zone(plugins::test_time::kBerlin);
  request.mutable_session_time()->set_seconds(kBeyondYear9999);
  ExpectRefused(EvaluateDeclaredScreening(request), "session_time");
}

TEST(OutOfRangeTimesTest, SeriesWindowsAfterYear9999AreRefused) {
  clinicd::plugin::v1::PlanSeriesRequest request;
  *request.mutable_treatment_type() = plugins::microneedling::MicroneedlingProtocol();
  request.set_indication("acne_scars");
  *request.mutable_first_session_time() = ToProto(UtcTime(9999, 12, 1, 9, 0));
  request.set_time_zone(plugins::test_time::kBerlin);
  ExpectRefused(PlanDeclaredSeries(request), "session 2's window");
}

}  // namespace
}  // namespace clinicd::protocol
