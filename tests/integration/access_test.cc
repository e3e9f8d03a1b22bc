// Access that ends when the key ends, on a real clinicd: an event stream of
// a revoked key is closed, one key cannot hold unbounded streams, a peer
// that keeps failing to authenticate is throttled, and with mutual TLS a
// client without a certificate from the clinic's CA gets nowhere.

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "clinic/v1/notification_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/rpc_test_base.h"
#include "tests/testing/run_program.h"

namespace clinicd::testing {
namespace {

using clinic::v1::ListClinicsRequest;
using clinic::v1::ListClinicsResponse;
using clinic::v1::NotificationService;
using clinic::v1::WatchEventsRequest;
using clinic::v1::WatchEventsResponse;

class AccessTest : public RpcTest {
 protected:
  // Creates a key with `role`; returns {key id, secret}.
  std::pair<std::string, std::string> CreateKeyWithId(const std::string& role) {
    std::string output;
    EXPECT_EQ(server_.RunCommand({"keys", "create", "--role=" + role}, &output), 0);
    // `keys create` prints "key_id: <id>" first and the secret last.
    const std::string key_id = output.substr(8, output.find('\n') - 8);
    output.pop_back();
    return {key_id, output.substr(output.rfind('\n') + 1)};
  }

  // Gives the feed an event (a signed consent), so a new stream has one to read.
  void MakeAnEvent() {
    const clinic::v1::Clinic clinic = MakeClinic();
    const clinic::v1::Patient patient =
        MakePatient(clinic.name(), "Eva", "Feed", "", /*consulted=*/false);
    ClearForMicroneedling(patient.name(), /*consult=*/false);
  }
};

TEST_F(AccessTest, ARevokedKeysEventStreamEndsWithinASecond) {
  const auto [key_id, secret] = CreateKeyWithId("integration");
  std::unique_ptr<grpc::ClientContext> context = AuthedContext(secret);
  auto stream = NotificationService::NewStub(server_.channel())
                    ->WatchEvents(context.get(), WatchEventsRequest());
  MakeAnEvent();  // So the stream is known to be open.
  WatchEventsResponse response;
  ASSERT_TRUE(stream->Read(&response));

  std::string output;
  ASSERT_EQ(server_.RunCommand({"keys", "revoke", "--key_id=" + key_id}, &output), 0);
  const absl::Time revoked = absl::Now();
  while (stream->Read(&response)) {
  }
  const grpc::Status status = stream->Finish();
  EXPECT_LT(absl::Now() - revoked, absl::Seconds(2));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ReasonOf(status), "API_KEY_REVOKED");
}

TEST_F(AccessTest, OneKeyMayHoldSixteenStreams) {
  const auto [key_id, secret] = CreateKeyWithId("integration");
  auto stub = NotificationService::NewStub(server_.channel());
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<WatchEventsResponse>>> streams;
  MakeAnEvent();
  for (int i = 0; i < 16; ++i) {
    contexts.push_back(AuthedContext(secret));
    streams.push_back(stub->WatchEvents(contexts.back().get(), WatchEventsRequest()));
    WatchEventsResponse first;
    ASSERT_TRUE(streams.back()->Read(&first)) << "stream " << i;
  }
  std::unique_ptr<grpc::ClientContext> context = AuthedContext(secret);
  auto refused = stub->WatchEvents(context.get(), WatchEventsRequest());
  WatchEventsResponse response;
  EXPECT_FALSE(refused->Read(&response));
  const grpc::Status status = refused->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ReasonOf(status), "TOO_MANY_STREAMS");

  // Another key is not affected, and a closed stream frees its slot.
  const std::string other = server_.CreateKey("integration");
  std::unique_ptr<grpc::ClientContext> other_context = AuthedContext(other);
  auto others = stub->WatchEvents(other_context.get(), WatchEventsRequest());
  EXPECT_TRUE(others->Read(&response));
  other_context->TryCancel();
  contexts.front()->TryCancel();
  streams.front()->Finish().IgnoreError();
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  bool reopened = false;
  while (!reopened && absl::Now() < deadline) {
    std::unique_ptr<grpc::ClientContext> again = AuthedContext(secret);
    auto stream = stub->WatchEvents(again.get(), WatchEventsRequest());
    reopened = stream->Read(&response);
    again->TryCancel();
    stream->Finish().IgnoreError();
    if (!reopened) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(reopened);
  for (auto& c : contexts) c->TryCancel();
}

TEST_F(AccessTest, APeerThatKeepsFailingIsThrottledWhileGoodKeysPass) {
  ListClinicsResponse response;
  int throttled = 0;
  for (int i = 0; i < 60; ++i) {
    const grpc::Status status = practice_->ListClinics(
        AuthedContext("clinicd_not-a-real-key").get(), ListClinicsRequest(), &response);
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      EXPECT_EQ(ReasonOf(status), "AUTH_THROTTLED");
      ++throttled;
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    }
  }
  EXPECT_GE(throttled, 30);
  EXPECT_TRUE(practice_->ListClinics(AuthedContext(admin_key_).get(), ListClinicsRequest(),
                                     &response).ok());
  // Summarised, not a line each.
  const std::string log = server_.Log();
  size_t lines = 0;
  for (size_t at = log.find("failed authentication"); at != std::string::npos;
       at = log.find("failed authentication", at + 1)) {
    ++lines;
  }
  EXPECT_LE(lines, 2u) << log;
  EXPECT_EQ(log.find("code=UNAUTHENTICATED"), std::string::npos);
}

// Runs openssl; fails the test when it does not succeed.
void OpenSsl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const test_util::ProgramResult result = test_util::RunProgram(argv);
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// A CA, and a key and certificate for `name` it signed, in `dir`.
void MakeCa(const std::string& dir, const std::string& ca) {
  OpenSsl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", dir + "/" + ca + ".key", "-out", dir + "/" + ca + ".pem", "-days", "1",
           "-subj", "/CN=" + ca});
}
void MakeCertificate(const std::string& dir, const std::string& ca, const std::string& name) {
  const std::string base = dir + "/" + name;
  OpenSsl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           base + ".key", "-out", base + ".csr", "-subj", "/CN=" + name});
  std::ofstream(base + ".ext") << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
  OpenSsl({"x509", "-req", "-in", base + ".csr", "-CA", dir + "/" + ca + ".pem", "-CAkey",
           dir + "/" + ca + ".key", "-CAcreateserial", "-out", base + ".pem", "-days", "1",
           "-extfile", base + ".ext"});
}

TEST(MutualTlsTest, OnlyClientsWithACertificateFromTheClinicsCaGetIn) {
  ClinicdProcess server;
  const std::string dir = server.dir();
  MakeCa(dir, "clinic-ca");
  MakeCa(dir, "other-ca");
  MakeCertificate(dir, "clinic-ca", "server");
  MakeCertificate(dir, "clinic-ca", "front-desk-pc");
  MakeCertificate(dir, "other-ca", "stranger");
  std::ofstream(dir + "/tls.textproto")
      << "tls { cert_file: \"" << dir << "/server.pem\" key_file: \"" << dir
      << "/server.key\" client_ca_file: \"" << dir << "/clinic-ca.pem\" }\n";
  server.AddServerArgs({"--config=" + dir + "/tls.textproto"});
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  const std::string key = server.CreateKey("admin");

  auto call = [&](const std::string& client) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = ReadFile(dir + "/clinic-ca.pem");
    if (!client.empty()) {
      options.pem_private_key = ReadFile(dir + "/" + client + ".key");
      options.pem_cert_chain = ReadFile(dir + "/" + client + ".pem");
    }
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    auto channel =
        grpc::CreateCustomChannel(server.address(), grpc::SslCredentials(options), args);
    std::unique_ptr<grpc::ClientContext> context = AuthedContext(key);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    ListClinicsResponse response;
    return clinic::v1::PracticeService::NewStub(channel)->ListClinics(
        context.get(), ListClinicsRequest(), &response);
  };
  EXPECT_TRUE(call("front-desk-pc").ok()) << call("front-desk-pc").error_message();
  EXPECT_EQ(call("").error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(call("stranger").error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace clinicd::testing
