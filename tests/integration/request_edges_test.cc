// A careless or hostile client at the edge of a real clinicd: bodies gRPC
// cannot decode, text beyond its limit, forged page tokens, a second server
// on a taken port. Each gets a clear error for the client's own mistake, and
// the server goes on writing.

#include <grpcpp/generic/generic_stub.h>
#include <sys/stat.h>

#include <string>

#include "clinic/v1/booking_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/rpc_test_base.h"
#include "tests/testing/fresh_database.h"
#include "tests/testing/run_program.h"

namespace clinicd::testing {
namespace {

using clinic::v1::CreatePatientRequest;
using clinic::v1::ListPatientsRequest;
using clinic::v1::ListPatientsResponse;
using clinic::v1::Patient;

class RequestEdgesTest : public RpcTest {
 protected:
  // Sends `body` as the raw request of `method` and returns the status.
  grpc::Status RawCall(const std::string& method, const std::string& body) {
    grpc::GenericStub stub(server_.channel());
    grpc::CompletionQueue queue;
    grpc::Slice slice(body);
    grpc::ByteBuffer request(&slice, 1);
    std::unique_ptr<grpc::ClientContext> context = AuthedContext(admin_key_);
    auto call = stub.PrepareUnaryCall(context.get(), method, request, &queue);
    call->StartCall();
    grpc::ByteBuffer response;
    grpc::Status status;
    call->Finish(&response, &status, reinterpret_cast<void*>(1));
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue.Next(&tag, &ok));
    return status;
  }

  // Registers a patient, proving the server still writes.
  void ExpectWritesWork(const std::string& clinic) {
    MakePatient(clinic, "Still", "Writing", "", /*consulted=*/false);
  }
};

TEST_F(RequestEdgesTest, AnUndecodableBodyIsTheClientsMistake) {
  const clinic::v1::Clinic clinic = MakeClinic();
  // Garbage: a field tag with a length running past the end.
  grpc::Status status = RawCall("/clinic.v1.PatientService/CreatePatient", "\x0a\xff\xff\xff\x0f");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "UNDECODABLE_REQUEST");
  EXPECT_NE(status.error_message().find("/clinic.v1.PatientService/CreatePatient"),
            std::string::npos);

  // A string field (parent, 1) holding bytes that are not UTF-8.
  std::string not_utf8 = "\x0a\x04";
  not_utf8 += std::string("\xc3\x28\xff\xfe", 4);
  status = RawCall("/clinic.v1.PatientService/CreatePatient", not_utf8);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "UNDECODABLE_REQUEST");
  ExpectWritesWork(clinic.name());
}

TEST_F(RequestEdgesTest, TextBeyondItsLimitIsRefusedAndNothingIsWritten) {
  const clinic::v1::Clinic clinic = MakeClinic();
  CreatePatientRequest request;
  request.set_parent(clinic.name());
  request.mutable_patient()->set_given_name("Ada");
  request.mutable_patient()->set_family_name(std::string(3 << 20, 'x'));  // 3 MiB
  Patient patient;
  grpc::Status status =
      patients_->CreatePatient(AuthedContext(admin_key_).get(), request, &patient);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"patient.family_name"});
  EXPECT_NE(status.error_message().find("at most 200 bytes"), std::string::npos)
      << status.error_message();

  // The same patient with a real name is registered.
  request.mutable_patient()->set_family_name("Lovelace");
  status = patients_->CreatePatient(AuthedContext(admin_key_).get(), request, &patient);
  EXPECT_TRUE(status.ok()) << status.error_message();
  ListPatientsRequest list;
  list.set_parent(clinic.name());
  ListPatientsResponse patients;
  ASSERT_TRUE(patients_->ListPatients(AuthedContext(admin_key_).get(), list, &patients).ok());
  EXPECT_EQ(patients.patients_size(), 1) << "the refused patient must not have been stored";
}

TEST_F(RequestEdgesTest, ACancellationReasonOfMegabytesIsRefused) {
  auto booking = clinic::v1::BookingService::NewStub(server_.channel());
  clinic::v1::CancelAppointmentRequest request;
  request.set_name("clinics/c/appointments/a");
  request.set_reason(std::string(3 << 20, 'r'));
  clinic::v1::Appointment appointment;
  grpc::Status status =
      booking->CancelAppointment(AuthedContext(admin_key_).get(), request, &appointment);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"reason"});
}

TEST_F(RequestEdgesTest, PageTokensCannotBeReadForgedOrMovedToAnotherList) {
  const clinic::v1::Clinic clinic = MakeClinic();
  for (const char* family : {"Zimmermann", "Albers", "Meier"}) {
    MakePatient(clinic.name(), "Eva", family, "", /*consulted=*/false);
  }
  ListPatientsRequest list;
  list.set_parent(clinic.name());
  list.set_page_size(1);
  ListPatientsResponse page;
  ASSERT_TRUE(patients_->ListPatients(AuthedContext(admin_key_).get(), list, &page).ok());
  const std::string token = page.next_page_token();
  ASSERT_FALSE(token.empty());
  // The sort key inside (a folded name) is not readable.
  const std::string first = page.patients(0).family_name();
  EXPECT_EQ(token.find("albers"), std::string::npos);

  // One changed character: refused as the caller's mistake.
  std::string forged = token;
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  list.set_page_token(forged);
  grpc::Status status = patients_->ListPatients(AuthedContext(admin_key_).get(), list, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"page_token"});

  // Not base64 at all, or a token of another list.
  list.set_page_token("%%%");
  status = patients_->ListPatients(AuthedContext(admin_key_).get(), list, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto booking = clinic::v1::BookingService::NewStub(server_.channel());
  clinic::v1::ListAppointmentsRequest appointments;
  appointments.set_parent(clinic.name());
  appointments.set_page_token(token);
  clinic::v1::ListAppointmentsResponse listed;
  status = booking->ListAppointments(AuthedContext(admin_key_).get(), appointments, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"page_token"});

  // The real token still pages on, after a restart too (the key is kept in
  // the database).
  server_.Stop();
  std::string error;
  ASSERT_TRUE(server_.Start(&error)) << error;
  patients_ = clinic::v1::PatientService::NewStub(server_.channel());
  list.set_page_token(token);
  ASSERT_TRUE(patients_->ListPatients(AuthedContext(admin_key_).get(), list, &page).ok());
  ASSERT_EQ(page.patients_size(), 1);
  EXPECT_NE(page.patients(0).family_name(), first);
}

TEST_F(RequestEdgesTest, TheDatabaseIsReadableByItsOwnerOnly) {
  if (test_util::UsingPostgres()) {
    GTEST_SKIP() << "about the SQLite file and its WAL; PostgreSQL keeps its files itself";
  }
  MakeClinic();
  for (const std::string& path : {server_.db(), server_.db() + "-wal"}) {
    struct stat info {};
    ASSERT_EQ(stat(path.c_str(), &info), 0) << path;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << path;
  }
}

TEST_F(RequestEdgesTest, ASecondServerOnATakenPortRefusesToStart) {
  const std::string binary =
      std::string(std::getenv("CLINICD_BINARY_DIR")) + "/services/server/clinicd";
  const test_util::ProgramResult second = test_util::RunProgram(
      {binary, "--listen=" + server_.address(), "--db=" + server_.dir() + "/second.db",
       "--plugin_dir=" + server_.dir() + "/plugins"},
      {}, absl::Seconds(20));
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_NE(second.err.find("cannot listen on " + server_.address()), std::string::npos)
      << second.err;
  ExpectWritesWork(MakeClinic().name());
}

}  // namespace
}  // namespace clinicd::testing
