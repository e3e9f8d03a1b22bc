// What monitoring and tools see of a real clinicd: health that follows
// whether the server can write, Watch streams that do not hold up a
// shutdown, and reflection (v1 and v1alpha) that can describe every service,
// health included.

#include <sys/resource.h>

#include <optional>
#include <string>
#include <thread>

#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/rpc_test_base.h"
#include "tests/testing/fresh_database.h"

namespace clinicd::testing {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
namespace reflection = grpc::reflection::v1;

class ServingTest : public RpcTest {
 protected:
  HealthCheckResponse::ServingStatus Check(const std::string& service = "") {
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    grpc::ClientContext context;
    grpc::Status status = Health::NewStub(server_.channel())->Check(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.status();
  }

  // Waits up to `timeout` for the overall health to become `wanted`.
  bool HealthBecomes(HealthCheckResponse::ServingStatus wanted, absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (Check() == wanted) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  // Sets the server process's soft file size limit (RLIMIT_FSIZE); the
  // hard limit stays, so it can be raised again without privileges.
  void LimitServerFileSize(std::optional<rlim_t> bytes) {
    struct rlimit limit {};
    ASSERT_EQ(prlimit(server_.pid(), RLIMIT_FSIZE, nullptr, &limit), 0);
    limit.rlim_cur = bytes.value_or(limit.rlim_max);
    ASSERT_EQ(prlimit(server_.pid(), RLIMIT_FSIZE, &limit, nullptr), 0);
  }

  reflection::ServerReflectionResponse Reflect(const reflection::ServerReflectionRequest& request) {
    grpc::ClientContext context;
    auto stream = reflection::ServerReflection::NewStub(server_.channel())
                      ->ServerReflectionInfo(&context);
    EXPECT_TRUE(stream->Write(request));
    stream->WritesDone();
    reflection::ServerReflectionResponse response;
    EXPECT_TRUE(stream->Read(&response));
    while (stream->Read(nullptr)) {
    }
    EXPECT_TRUE(stream->Finish().ok());
    return response;
  }
};

TEST_F(ServingTest, HealthKnowsTheServicesServed) {
  EXPECT_EQ(Check(), HealthCheckResponse::SERVING);
  EXPECT_EQ(Check("clinic.v1.BookingService"), HealthCheckResponse::SERVING);
  HealthCheckRequest request;
  request.set_service("clinic.v1.NoSuchService");
  HealthCheckResponse response;
  grpc::ClientContext context;
  EXPECT_EQ(Health::NewStub(server_.channel())->Check(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServingTest, HealthIsNotServingWhileTheDiskRefusesWritesAndRecovers) {
  if (test_util::UsingPostgres()) {
    GTEST_SKIP() << "limits the size of clinicd's own files; on PostgreSQL the server "
                    "process writes the data, so a full disk needs another test";
  }
  const clinic::v1::Clinic clinic = MakeClinic();
  ASSERT_EQ(Check(), HealthCheckResponse::SERVING);
  // No file of the server may grow past 1 KiB now: every write fails as on
  // a full disk, and the database file itself is untouched.
  LimitServerFileSize(1024);
  ASSERT_TRUE(HealthBecomes(HealthCheckResponse::NOT_SERVING, absl::Seconds(10)))
      << server_.Log();
  clinic::v1::CreatePatientRequest request;
  request.set_parent(clinic.name());
  request.mutable_patient()->set_given_name("Ada");
  request.mutable_patient()->set_family_name("Lovelace");
  clinic::v1::Patient patient;
  grpc::Status status =
      patients_->CreatePatient(AuthedContext(admin_key_).get(), request, &patient);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "STORAGE_UNAVAILABLE");

  LimitServerFileSize(std::nullopt);
  ASSERT_TRUE(HealthBecomes(HealthCheckResponse::SERVING, absl::Seconds(10))) << server_.Log();
  status = patients_->CreatePatient(AuthedContext(admin_key_).get(), request, &patient);
  EXPECT_TRUE(status.ok()) << status.error_message();
  // (The NOT_SERVING line itself could not be written: the limit holds for
  // the server's log file too.)
  EXPECT_NE(server_.Log().find("health: the database takes writes again"), std::string::npos)
      << server_.Log();
}

TEST_F(ServingTest, AnIdleHealthWatchDoesNotHoldUpShutdown) {
  grpc::ClientContext context;
  HealthCheckRequest request;
  auto watch = Health::NewStub(server_.channel())->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);

  const absl::Time asked = absl::Now();
  std::thread stop([this] { EXPECT_EQ(server_.Stop(20), 0); });
  // The watcher hears NOT_SERVING, then the stream ends.
  while (watch->Read(&response)) EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(watch->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  stop.join();
  EXPECT_LT(absl::Now() - asked, absl::Seconds(3)) << "shutdown waited for the idle watch";
  std::string error;
  ASSERT_TRUE(server_.Start(&error)) << error;  // For TearDown.
}

TEST_F(ServingTest, ReflectionV1ListsAndDescribesEveryServiceHealthIncluded) {
  reflection::ServerReflectionRequest list;
  list.set_list_services("");
  const reflection::ServerReflectionResponse services = Reflect(list);
  std::set<std::string> names;
  for (const auto& service : services.list_services_response().service()) {
    names.insert(service.name());
  }
  for (const char* expected :
       {"clinic.v1.BookingService", "clinic.v1.PatientService", "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"}) {
    EXPECT_EQ(names.count(expected), 1u) << expected;
  }
  for (const std::string& name : names) {
    reflection::ServerReflectionRequest symbol;
    symbol.set_file_containing_symbol(name);
    const reflection::ServerReflectionResponse file = Reflect(symbol);
    EXPECT_GT(file.file_descriptor_response().file_descriptor_proto_size(), 0)
        << name << ": " << file.error_response().error_message();
  }
  reflection::ServerReflectionRequest missing;
  missing.set_file_containing_symbol("clinic.v1.Nothing");
  EXPECT_EQ(Reflect(missing).error_response().error_code(),
            static_cast<int>(grpc::StatusCode::NOT_FOUND));
}

}  // namespace
}  // namespace clinicd::testing
