#include "services/common/grpc_status.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"

namespace clinicd {
namespace {

// The google.rpc.Status in `status`'s binary details; fails the test when
// they do not parse.
google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()))
      << "binary details are not a google.rpc.Status";
  return details;
}

// Unpacks the one detail of type T in `details`; fails unless exactly one.
template <typename T>
T OnlyDetail(const google::rpc::Status& details) {
  T result;
  int found = 0;
  for (const auto& any : details.details()) {
    if (any.Is<T>()) {
      EXPECT_TRUE(any.UnpackTo(&result));
      ++found;
    }
  }
  EXPECT_EQ(found, 1) << "details of type " << T::descriptor()->full_name();
  return result;
}

TEST(ToGrpcStatusTest, OkIsOk) {
  const grpc::Status status = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.error_details(), "");
}

TEST(ToGrpcStatusTest, PreservesCodeAndMessage) {
  const absl::StatusCode codes[] = {absl::StatusCode::kInvalidArgument,
                                    absl::StatusCode::kNotFound,
                                    absl::StatusCode::kAlreadyExists,
                                    absl::StatusCode::kPermissionDenied,
                                    absl::StatusCode::kFailedPrecondition,
                                    absl::StatusCode::kAborted,
                                    absl::StatusCode::kUnavailable,
                                    absl::StatusCode::kUnauthenticated,
                                    absl::StatusCode::kInternal};
  for (absl::StatusCode code : codes) {
    const grpc::Status status = ToGrpcStatus(absl::Status(code, "it broke"));
    EXPECT_EQ(static_cast<int>(status.error_code()), static_cast<int>(code));
    EXPECT_EQ(status.error_message(), "it broke");
    const google::rpc::Status details = DetailsOf(status);
    EXPECT_EQ(details.code(), static_cast<int>(code));
    EXPECT_EQ(details.message(), "it broke");
  }
}

TEST(ToGrpcStatusTest, DefaultErrorInfoReasonIsTheCodeName) {
  const grpc::Status not_found = ToGrpcStatus(absl::NotFoundError("gone"));
  google::rpc::ErrorInfo info =
      OnlyDetail<google::rpc::ErrorInfo>(DetailsOf(not_found));
  EXPECT_EQ(info.reason(), "NOT_FOUND");
  EXPECT_EQ(info.domain(), "clinic.v1");

  const grpc::Status precondition =
      ToGrpcStatus(absl::FailedPreconditionError("not yet"));
  info = OnlyDetail<google::rpc::ErrorInfo>(DetailsOf(precondition));
  EXPECT_EQ(info.reason(), "FAILED_PRECONDITION");
}

TEST(ToGrpcStatusTest, KeepsAttachedErrorInfo) {
  const grpc::Status status =
      ToGrpcStatus(ErrorWithReason(absl::StatusCode::kAborted, "ETAG_MISMATCH",
                                   "stale", {{"current_etag", "3"}}));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  const google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(details.details_size(), 1);
  const auto info = OnlyDetail<google::rpc::ErrorInfo>(details);
  EXPECT_EQ(info.reason(), "ETAG_MISMATCH");
  EXPECT_EQ(info.domain(), "clinic.v1");
  EXPECT_EQ(info.metadata().at("current_etag"), "3");
}

TEST(ToGrpcStatusTest, CarriesBadRequestOfFieldViolations) {
  FieldViolations violations;
  violations.Add("patient.email", "must be an email address");
  violations.Add("patient.birth_date", "must not be in the future");
  const grpc::Status status = ToGrpcStatus(violations.ToStatus());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(details.details_size(), 2);
  EXPECT_EQ(OnlyDetail<google::rpc::ErrorInfo>(details).reason(),
            "INVALID_FIELD");
  const auto bad_request = OnlyDetail<google::rpc::BadRequest>(details);
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "patient.email");
  EXPECT_EQ(bad_request.field_violations(0).description(),
            "must be an email address");
  EXPECT_EQ(bad_request.field_violations(1).field(), "patient.birth_date");
  EXPECT_EQ(bad_request.field_violations(1).description(),
            "must not be in the future");
}

}  // namespace
}  // namespace clinicd
