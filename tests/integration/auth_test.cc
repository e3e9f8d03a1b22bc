// Every RPC but health needs a valid key whose role may call it, and a key
// limited to clinics never sees another clinic's data.

#include "clinic/v1/follow_up_service.grpc.pb.h"
#include "clinic/v1/notification_service.grpc.pb.h"
#include "absl/time/clock.h"
#include "tests/integration/rpc_test_base.h"

namespace clinicd::testing {
namespace {

using clinic::v1::Clinic;
using clinic::v1::ListClinicsRequest;
using clinic::v1::ListClinicsResponse;

class AuthTest : public RpcTest {};

TEST_F(AuthTest, MissingKeyIsUnauthenticated) {
  ListClinicsResponse response;
  grpc::Status status =
      practice_->ListClinics(AuthedContext("").get(), ListClinicsRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ReasonOf(status), "MISSING_API_KEY");
  EXPECT_NE(status.error_message().find("authorization: Bearer"), std::string::npos);
}

TEST_F(AuthTest, WrongKeyIsUnauthenticated) {
  ListClinicsResponse response;
  grpc::Status status = practice_->ListClinics(
      AuthedContext("clinicd_not-a-real-key").get(), ListClinicsRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ReasonOf(status), "INVALID_API_KEY");
}

// Verified keys are remembered for half a second (services/auth/verified_keys.h),
// so a revocation takes effect within a second, never later.
TEST_F(AuthTest, RevokedKeyIsRefusedWithinASecond) {
  // `keys create` prints "key_id: <id>" first and the secret last.
  std::string output;
  ASSERT_EQ(server_.RunCommand({"keys", "create", "--role=front_desk"}, &output), 0);
  const std::string key_id = output.substr(8, output.find('\n') - 8);
  output.pop_back();
  const std::string revoked = output.substr(output.rfind('\n') + 1);
  const std::string kept = server_.CreateKey("front_desk");
  ListClinicsResponse response;
  ASSERT_TRUE(practice_->ListClinics(AuthedContext(revoked).get(), ListClinicsRequest(),
                                     &response).ok());

  ASSERT_EQ(server_.RunCommand({"keys", "revoke", "--key_id=" + key_id}, &output), 0);
  const absl::Time revoked_at = absl::Now();
  grpc::Status status;
  do {
    status = practice_->ListClinics(AuthedContext(revoked).get(), ListClinicsRequest(), &response);
  } while (status.ok() && absl::Now() - revoked_at < absl::Seconds(1));
  EXPECT_LT(absl::Now() - revoked_at, absl::Seconds(1));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ReasonOf(status), "INVALID_API_KEY");
  EXPECT_TRUE(practice_->ListClinics(AuthedContext(kept).get(), ListClinicsRequest(),
                                     &response).ok())
      << "another key must keep working";
  EXPECT_NE(server_.RunCommand({"keys", "revoke", "--key_id=" + key_id}, &output), 0)
      << "revoking twice must fail";
}

TEST_F(AuthTest, RoleTableRefusesWritesToReadOnlyKeys) {
  const Clinic clinic = MakeClinic();
  const std::string integration = server_.CreateKey("integration");
  const std::string front_desk = server_.CreateKey("front_desk");

  clinic::v1::CreateClinicRequest create;
  create.mutable_clinic()->set_display_name("Second");
  create.mutable_clinic()->set_time_zone("Europe/Berlin");
  create.mutable_clinic()->set_region_code("DE");
  Clinic created;
  grpc::Status status =
      practice_->CreateClinic(AuthedContext(front_desk).get(), create, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(status), "ROLE_NOT_ALLOWED");
  EXPECT_NE(status.error_message().find("front_desk"), std::string::npos);

  clinic::v1::CreatePatientRequest patient;
  patient.set_parent(clinic.name());
  patient.mutable_patient()->set_given_name("Ada");
  patient.mutable_patient()->set_family_name("Lovelace");
  clinic::v1::Patient out;
  status = patients_->CreatePatient(AuthedContext(integration).get(), patient, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // The integration key can still read.
  ListClinicsResponse clinics;
  status = practice_->ListClinics(AuthedContext(integration).get(), ListClinicsRequest(),
                                  &clinics);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(clinics.clinics_size(), 1);
}

TEST_F(AuthTest, ClinicLimitedKeySeesOnlyItsClinic) {
  const Clinic mine = MakeClinic("Mine");
  const Clinic other = MakeClinic("Other");
  const std::string mine_id = mine.name().substr(mine.name().find('/') + 1);
  const std::string limited = server_.CreateKey("front_desk", mine_id);
  ASSERT_FALSE(limited.empty());
  MakePatient(other.name(), "Grace", "Hopper");

  ListClinicsResponse clinics;
  ASSERT_TRUE(practice_->ListClinics(AuthedContext(limited).get(), ListClinicsRequest(),
                                     &clinics).ok());
  ASSERT_EQ(clinics.clinics_size(), 1);
  EXPECT_EQ(clinics.clinics(0).name(), mine.name());

  clinic::v1::GetClinicRequest get;
  get.set_name(other.name());
  Clinic out;
  grpc::Status status = practice_->GetClinic(AuthedContext(limited).get(), get, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  clinic::v1::ListPatientsRequest list;
  list.set_parent(other.name());
  clinic::v1::ListPatientsResponse patients;
  status = patients_->ListPatients(AuthedContext(limited).get(), list, &patients);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(patients.patients_size(), 0);
}

TEST_F(AuthTest, WorkersClaimButCannotReadTheClinicAndIntegrationsCannotClaim) {
  const Clinic clinic = MakeClinic();
  const std::string worker = server_.CreateKey("reminder_worker");
  const std::string integration = server_.CreateKey("integration");
  auto notifications = clinic::v1::NotificationService::NewStub(server_.channel());
  auto follow_up = clinic::v1::FollowUpService::NewStub(server_.channel());

  clinic::v1::ClaimNotificationsResponse claimed;
  EXPECT_TRUE(notifications->ClaimNotifications(AuthedContext(worker).get(),
                                                clinic::v1::ClaimNotificationsRequest(), &claimed)
                  .ok());
  grpc::Status status = notifications->ClaimNotifications(
      AuthedContext(integration).get(), clinic::v1::ClaimNotificationsRequest(), &claimed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();

  clinic::v1::ListSeriesRequest list;
  list.set_parent(clinic.name());
  clinic::v1::ListSeriesResponse series;
  status = follow_up->ListSeries(AuthedContext(worker).get(), list, &series);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_TRUE(follow_up->ListSeries(AuthedContext(integration).get(), list, &series).ok());
}

}  // namespace
}  // namespace clinicd::testing
