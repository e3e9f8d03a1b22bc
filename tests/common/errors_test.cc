#include "services/common/errors.h"

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/status_details.h"

namespace clinicd {
namespace {

using ::clinicd::test_util::BadRequestOf;
using ::clinicd::test_util::ErrorInfoOf;
using ::clinicd::test_util::MessageOf;
using ::clinicd::test_util::ViolationFields;
using ::testing::ElementsAre;

TEST(ErrorWithReasonTest, PayloadCarriesReasonDomainAndMetadata) {
  const absl::Status status =
      ErrorWithReason(absl::StatusCode::kFailedPrecondition, "SLOT_TAKEN",
                      "the slot is taken", {{"slot", "09:00"}, {"room", "r1"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(MessageOf(status), "the slot is taken");
  const google::rpc::ErrorInfo info = ErrorInfoOf(status);
  EXPECT_EQ(info.reason(), "SLOT_TAKEN");
  EXPECT_EQ(info.domain(), "clinic.v1");
  const std::map<std::string, std::string> metadata(info.metadata().begin(),
                                                    info.metadata().end());
  EXPECT_EQ(metadata, (std::map<std::string, std::string>{{"room", "r1"},
                                                          {"slot", "09:00"}}));
}

TEST(ErrorWithReasonTest, ErrorReasonReadsItBack) {
  const absl::Status status =
      ErrorWithReason(absl::StatusCode::kAborted, "ETAG_MISMATCH", "stale");
  EXPECT_EQ(ErrorReason(status).value_or("<none>"), "ETAG_MISMATCH");
}

TEST(ErrorWithReasonTest, PlainStatusHasNoReason) {
  EXPECT_FALSE(ErrorReason(absl::NotFoundError("gone")).has_value());
  EXPECT_FALSE(ErrorReason(absl::OkStatus()).has_value());
}

TEST(FieldViolationsTest, EmptyIsOk) {
  FieldViolations violations;
  EXPECT_TRUE(violations.empty());
  EXPECT_EQ(violations.ToStatus(), absl::OkStatus());
}

TEST(FieldViolationsTest, MessageListsEveryFieldAndRule) {
  FieldViolations violations;
  violations.Add("patient.email", "must be an email address");
  violations.Add("patient.given_name", "is required");
  EXPECT_FALSE(violations.empty());
  const absl::Status status = violations.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MessageOf(status),
            "patient.email: must be an email address; "
            "patient.given_name: is required");
}

TEST(FieldViolationsTest, BadRequestHasEachViolation) {
  FieldViolations violations;
  violations.Add("patient.email", "must be an email address");
  violations.Add("patient.given_name", "is required");
  const google::rpc::BadRequest bad_request =
      BadRequestOf(violations.ToStatus());
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "patient.email");
  EXPECT_EQ(bad_request.field_violations(0).description(),
            "must be an email address");
  EXPECT_EQ(bad_request.field_violations(1).field(), "patient.given_name");
  EXPECT_EQ(bad_request.field_violations(1).description(), "is required");
}

TEST(FieldViolationsTest, ErrorInfoIsInvalidFieldNamingTheFirstField) {
  FieldViolations violations;
  violations.Add("clinic.time_zone", "must be an IANA time zone");
  violations.Add("clinic.email", "must be an email address");
  const google::rpc::ErrorInfo info = ErrorInfoOf(violations.ToStatus());
  EXPECT_EQ(info.reason(), "INVALID_FIELD");
  EXPECT_EQ(info.domain(), "clinic.v1");
  EXPECT_EQ(info.metadata().at("field"), "clinic.time_zone");
}

TEST(FieldViolationsTest, AddIfErrorRecordsOnlyErrorsWithTheirMessage) {
  FieldViolations violations;
  violations.AddIfError("clinic.region_code", absl::OkStatus());
  EXPECT_TRUE(violations.empty());
  violations.AddIfError("clinic.region_code",
                        absl::InvalidArgumentError("must be a region code"));
  const absl::Status status = violations.ToStatus();
  EXPECT_THAT(ViolationFields(status), ElementsAre("clinic.region_code"));
  EXPECT_EQ(MessageOf(status), "clinic.region_code: must be a region code");
}

TEST(InvalidFieldTest, IsOneViolation) {
  const absl::Status status = InvalidField("page_size", "must not be negative");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MessageOf(status), "page_size: must not be negative");
  EXPECT_THAT(ViolationFields(status), ElementsAre("page_size"));
  EXPECT_EQ(ErrorInfoOf(status).reason(), "INVALID_FIELD");
}

}  // namespace
}  // namespace clinicd
