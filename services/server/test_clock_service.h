#pragma once

// clinicd.test_clock.v1.TestClockService: reads, sets and advances the test
// clock of a server started with --test_clock. Registered only then, so a
// production server has no way to move its clock.

#include "clinicd/test_clock/v1/test_clock.grpc.pb.h"
#include "services/common/clock.h"
#include "services/rpc/rpc_guard.h"
#include "services/store/database.h"

namespace clinicd::server {

class TestClockServiceImpl final : public clinicd::test_clock::v1::TestClockService::Service {
 public:
  // `clock` must be a test clock.
  TestClockServiceImpl(const store::Database& db, Clock& clock);

  grpc::Status GetTestTime(grpc::ServerContext* context,
                           const clinicd::test_clock::v1::GetTestTimeRequest* request,
                           clinicd::test_clock::v1::TestTime* response) override;
  grpc::Status SetTestTime(grpc::ServerContext* context,
                           const clinicd::test_clock::v1::SetTestTimeRequest* request,
                           clinicd::test_clock::v1::TestTime* response) override;
  grpc::Status AdvanceTestTime(grpc::ServerContext* context,
                               const clinicd::test_clock::v1::AdvanceTestTimeRequest* request,
                               clinicd::test_clock::v1::TestTime* response) override;

 private:
  Clock& clock_;
  rpc::RpcGuard guard_;
};

// The instant a --test_clock flag names: `now` (the system time at start) or
// an RFC 3339 time such as 2027-01-04T08:00:00Z.
absl::StatusOr<absl::Time> ParseTestClockStart(absl::string_view flag);

// OK when `listen` (HOST:PORT) is a loopback address: 127.0.0.0/8, [::1] or
// localhost. A test clock on any other address is refused at start.
absl::Status RequireLoopback(absl::string_view listen);

}  // namespace clinicd::server
