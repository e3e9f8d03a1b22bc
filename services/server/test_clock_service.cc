#include "services/server/test_clock_service.h"

#include <arpa/inet.h>
#include <spdlog/spdlog.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"

namespace clinicd::server {
namespace {

namespace tc = clinicd::test_clock::v1;

absl::Status Reading(const Clock& clock, tc::TestTime* response) {
  *response->mutable_time() = ToProtoTime(clock.Now());
  return absl::OkStatus();
}

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime(absl::RFC3339_full, time, absl::UTCTimeZone());
}

}  // namespace

TestClockServiceImpl::TestClockServiceImpl(const store::Database& db, Clock& clock)
    : clock_(clock), guard_(db, clock, tc::TestClockService::service_full_name()) {}

grpc::Status TestClockServiceImpl::GetTestTime(grpc::ServerContext* context,
                                               const tc::GetTestTimeRequest* request,
                                               tc::TestTime* response) {
  return guard_.Run(context, "GetTestTime", *request,
                    [&](const auth::Principal&) { return Reading(clock_, response); });
}

grpc::Status TestClockServiceImpl::SetTestTime(grpc::ServerContext* context,
                                               const tc::SetTestTimeRequest* request,
                                               tc::TestTime* response) {
  return guard_.Run(context, "SetTestTime", *request, [&](const auth::Principal&) -> absl::Status {
    if (!request->has_time()) return InvalidField("time", "is required");
    if (!IsValidTimestamp(request->time())) {
      return InvalidField("time", "must be a valid timestamp (years 1 to 9999)");
    }
    const absl::Time time = FromProtoTime(request->time());
    if (absl::Status s = clock_.Set(time); !s.ok()) return InvalidField("time", std::string(s.message()));
    spdlog::warn("TEST CLOCK set to {}", Rfc3339(time));
    return Reading(clock_, response);
  });
}

grpc::Status TestClockServiceImpl::AdvanceTestTime(grpc::ServerContext* context,
                                                   const tc::AdvanceTestTimeRequest* request,
                                                   tc::TestTime* response) {
  return guard_.Run(context, "AdvanceTestTime", *request, [&](const auth::Principal&) -> absl::Status {
    if (!IsValidDuration(request->step())) {
      return InvalidField("step", "must be a valid duration");
    }
    const absl::Duration step = FromProtoDuration(request->step());
    if (step <= absl::ZeroDuration() || step > absl::Hours(24 * 366 * 10)) {
      return InvalidField("step", "must be positive and at most ten years");
    }
    if (absl::Status s = clock_.Advance(step); !s.ok()) return InvalidField("step", std::string(s.message()));
    spdlog::warn("TEST CLOCK advanced by {} to {}", absl::FormatDuration(step),
                 Rfc3339(clock_.Now()));
    return Reading(clock_, response);
  });
}

absl::StatusOr<absl::Time> ParseTestClockStart(absl::string_view flag) {
  if (flag == "now") return absl::Now();
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, flag, &time, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--test_clock: `", flag, "` is neither `now` nor an RFC 3339 time (", error, ")"));
  }
  return time;
}

absl::Status RequireLoopback(absl::string_view listen) {
  absl::string_view host = listen.substr(0, listen.rfind(':'));
  if (absl::ConsumePrefix(&host, "[")) absl::ConsumeSuffix(&host, "]");
  const std::string text(host);
  in_addr v4{};
  in6_addr v6{};
  const bool loopback =
      text == "localhost" ||
      (inet_pton(AF_INET, text.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127) ||
      (inet_pton(AF_INET6, text.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6));
  if (loopback) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "--test_clock is for tests only and needs a loopback listen address "
      "(127.0.0.1, [::1] or localhost); `",
      listen, "` is not one"));
}

}  // namespace clinicd::server
