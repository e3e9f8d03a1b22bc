// Series planning for microneedling through the SDK's declared-rule
// semantics (PlanDeclaredSeries): session counts by indication, and the
// 4-to-6-week window after the previous session's actual time.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinicd/protocol_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugins/microneedling/microneedling_protocol.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::plugins::microneedling {
namespace {

using clinicd::plugin::v1::PlanSeriesRequest;
using clinicd::plugin::v1::PlanSeriesResponse;
using test_time::BerlinTime;
using test_time::InBerlin;
using test_time::ToProto;
using ::testing::HasSubstr;

class MicroneedlingSeriesTest : public ::testing::Test {
 protected:
  // A plan for `indication` with `session_count` sessions (0: the default),
  // the first on Monday 11 January 2027 at 10:00 in Berlin.
  PlanSeriesRequest Request(const std::string& indication, int session_count) const {
    PlanSeriesRequest request;
    *request.mutable_treatment_type() = protocol_;
    request.set_indication(indication);
    request.set_session_count(session_count);
    *request.mutable_first_session_time() = ToProto(BerlinTime(2027, 1, 11, 10, 0));
    request.set_time_zone(test_time::kBerlin);
    return request;
  }

  // Plans `request`; an error fails the test.
  static PlanSeriesResponse Plan(const PlanSeriesRequest& request) {
    absl::StatusOr<PlanSeriesResponse> response = protocol::PlanDeclaredSeries(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : PlanSeriesResponse();
  }

  const clinic::v1::TreatmentType protocol_ = MicroneedlingProtocol();
};

// Each session's window in Berlin as "start .. end".
std::vector<std::string> Windows(const PlanSeriesResponse& plan) {
  std::vector<std::string> windows;
  for (const auto& session : plan.sessions()) {
    windows.push_back(InBerlin(session.window_start_time()) + " .. " +
                      InBerlin(session.window_end_time()));
  }
  return windows;
}

// Asserts `session_count` is refused for `indication`, naming the field and
// the allowed range.
void ExpectCountRefused(const PlanSeriesRequest& request, const std::string& range) {
  const absl::StatusOr<PlanSeriesResponse> response = protocol::PlanDeclaredSeries(request);
  ASSERT_FALSE(response.ok()) << request.session_count();
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("session_count"));
  EXPECT_THAT(response.status().message(), HasSubstr(range));
}

TEST_F(MicroneedlingSeriesTest, AcneScarsDefaultToSixSessions) {
  const PlanSeriesResponse plan = Plan(Request("acne_scars", 0));
  EXPECT_EQ(plan.session_count(), 6);
  ASSERT_EQ(plan.sessions_size(), 6);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(plan.sessions(i).number(), i + 1);
}

TEST_F(MicroneedlingSeriesTest, AcneScarsAllowSixToEightSessions) {
  for (int count = 6; count <= 8; ++count) {
    EXPECT_EQ(Plan(Request("acne_scars", count)).sessions_size(), count);
  }
  ExpectCountRefused(Request("acne_scars", 5), "from 6 to 8");
  ExpectCountRefused(Request("acne_scars", 9), "from 6 to 8");
}

TEST_F(MicroneedlingSeriesTest, MelasmaDefaultsToThreeSessions) {
  const PlanSeriesResponse plan = Plan(Request("melasma", 0));
  EXPECT_EQ(plan.session_count(), 3);
  EXPECT_EQ(plan.sessions_size(), 3);
}

TEST_F(MicroneedlingSeriesTest, MelasmaAllowsThreeToSixSessions) {
  for (int count = 3; count <= 6; ++count) {
    EXPECT_EQ(Plan(Request("melasma", count)).sessions_size(), count);
  }
  ExpectCountRefused(Request("melasma", 2), "from 3 to 6");
  ExpectCountRefused(Request("melasma", 7), "from 3 to 6");
}

TEST_F(MicroneedlingSeriesTest, EveryScarTypeNeedsSixToEightAndTheRestThreeToSix) {
  for (const char* id : {"acne_scars", "burn_scars", "surgical_scars", "stretch_marks"}) {
    EXPECT_EQ(Plan(Request(id, 0)).session_count(), 6) << id;
    ExpectCountRefused(Request(id, 9), "from 6 to 8");
  }
  for (const char* id : {"melasma", "hyperpigmentation", "sun_damage", "enlarged_pores",
                         "fine_lines_wrinkles", "skin_laxity", "hair_loss"}) {
    EXPECT_EQ(Plan(Request(id, 0)).session_count(), 3) << id;
    ExpectCountRefused(Request(id, 7), "from 3 to 6");
  }
}

TEST_F(MicroneedlingSeriesTest, WindowsRunFourToSixWeeksAfterThePreviousSession) {
  // Nothing done yet: each window follows the previous window's start.
  EXPECT_THAT(Windows(Plan(Request("melasma", 4))),
              ::testing::ElementsAre("2027-01-11 10:00:00 CET .. 2027-01-11 10:00:00 CET",
                                     "2027-02-08 10:00:00 CET .. 2027-02-22 10:00:00 CET",
                                     "2027-03-08 10:00:00 CET .. 2027-03-22 10:00:00 CET",
                                     // Across the spring DST change the local time stays 10:00.
                                     "2027-04-05 10:00:00 CEST .. 2027-04-19 10:00:00 CEST"));
}

TEST_F(MicroneedlingSeriesTest, MovedSessionShiftsTheLaterWindows) {
  // Session 2 took place on 15 February at 16:00, a week later than its
  // earliest time: session 3's window counts from that actual time.
  PlanSeriesRequest request = Request("melasma", 4);
  *request.add_completed_session_times() = ToProto(BerlinTime(2027, 1, 11, 10, 0));
  *request.add_completed_session_times() = ToProto(BerlinTime(2027, 2, 15, 16, 0));
  EXPECT_THAT(Windows(Plan(request)),
              ::testing::ElementsAre("2027-01-11 10:00:00 CET .. 2027-01-11 10:00:00 CET",
                                     "2027-02-15 16:00:00 CET .. 2027-02-15 16:00:00 CET",
                                     "2027-03-15 16:00:00 CET .. 2027-03-29 16:00:00 CEST",
                                     "2027-04-12 16:00:00 CEST .. 2027-04-26 16:00:00 CEST"));
}

TEST_F(MicroneedlingSeriesTest, CompletedSessionsNeedNoFirstSessionTime) {
  PlanSeriesRequest request = Request("acne_scars", 6);
  request.clear_first_session_time();
  *request.add_completed_session_times() = ToProto(BerlinTime(2027, 6, 1, 9, 30));
  const PlanSeriesResponse plan = Plan(request);
  ASSERT_EQ(plan.sessions_size(), 6);
  EXPECT_EQ(InBerlin(plan.sessions(1).window_start_time()), "2027-06-29 09:30:00 CEST");
  EXPECT_EQ(InBerlin(plan.sessions(1).window_end_time()), "2027-07-13 09:30:00 CEST");
}

TEST_F(MicroneedlingSeriesTest, UnknownIndicationIsRefusedListingTheKnownOnes) {
  const absl::StatusOr<PlanSeriesResponse> response =
      protocol::PlanDeclaredSeries(Request("tattoo_removal", 0));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("`tattoo_removal`"));
  for (const auto& indication : protocol_.indications()) {
    EXPECT_THAT(response.status().message(), HasSubstr(indication.id()));
  }
}

}  // namespace
}  // namespace clinicd::plugins::microneedling
