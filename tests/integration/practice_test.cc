// PracticeService over a real server: validation names the field and writes
// nothing, etags guard updates, request ids make creates idempotent, lists
// paginate.

#include <google/protobuf/util/message_differencer.h>

#include "tests/integration/rpc_test_base.h"

namespace clinicd::testing {
namespace {

using clinic::v1::Clinic;
using google::protobuf::util::MessageDifferencer;

class PracticeTest : public RpcTest {
 protected:
  int CountClinics() {
    clinic::v1::ListClinicsResponse response;
    EXPECT_TRUE(practice_->ListClinics(AuthedContext(admin_key_).get(),
                                       clinic::v1::ListClinicsRequest(), &response).ok());
    return response.clinics_size();
  }
};

TEST_F(PracticeTest, InvalidClinicNamesEveryFieldAndWritesNothing) {
  clinic::v1::CreateClinicRequest request;
  request.mutable_clinic()->set_display_name("Nowhere");
  request.mutable_clinic()->set_time_zone("Europe/Atlantis");
  request.mutable_clinic()->set_region_code("DE");
  request.mutable_clinic()->set_email("front desk@example");
  Clinic clinic;
  grpc::Status status =
      practice_->CreateClinic(AuthedContext(admin_key_).get(), request, &clinic);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "INVALID_FIELD");
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"clinic.time_zone", "clinic.email"}));
  EXPECT_NE(status.error_message().find("clinic.time_zone: must be an IANA time zone"),
            std::string::npos)
      << status.error_message();
  EXPECT_EQ(CountClinics(), 0);
}

TEST_F(PracticeTest, CreateGetRoundTripAndOutputOnlyFieldsAreServers) {
  clinic::v1::CreateClinicRequest request;
  request.mutable_clinic()->set_name("clinics/chosen-by-client");
  request.mutable_clinic()->set_etag("99");
  request.mutable_clinic()->set_display_name("Hautzentrum");
  request.mutable_clinic()->set_time_zone("America/New_York");
  request.mutable_clinic()->set_region_code("US");
  request.mutable_clinic()->set_phone_number("(415) 555-0123");
  Clinic created;
  ASSERT_TRUE(practice_->CreateClinic(AuthedContext(admin_key_).get(), request, &created).ok());
  EXPECT_NE(created.name(), "clinics/chosen-by-client");
  EXPECT_EQ(created.name().rfind("clinics/", 0), 0u);
  EXPECT_EQ(created.etag(), "1");
  EXPECT_EQ(created.phone_number(), "+14155550123");
  EXPECT_TRUE(created.has_create_time());

  clinic::v1::GetClinicRequest get;
  get.set_name(created.name());
  Clinic fetched;
  ASSERT_TRUE(practice_->GetClinic(AuthedContext(admin_key_).get(), get, &fetched).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(created, fetched))
      << created.DebugString() << " vs " << fetched.DebugString();
}

TEST_F(PracticeTest, RequestIdMakesCreateIdempotent) {
  clinic::v1::CreateClinicRequest request;
  request.set_request_id("3f1c2c8e-retry");
  request.mutable_clinic()->set_display_name("Once");
  request.mutable_clinic()->set_time_zone("Europe/Berlin");
  request.mutable_clinic()->set_region_code("DE");
  Clinic first;
  Clinic second;
  ASSERT_TRUE(practice_->CreateClinic(AuthedContext(admin_key_).get(), request, &first).ok());
  ASSERT_TRUE(practice_->CreateClinic(AuthedContext(admin_key_).get(), request, &second).ok());
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(CountClinics(), 1);

  request.mutable_clinic()->set_display_name("Something else");
  Clinic third;
  grpc::Status status =
      practice_->CreateClinic(AuthedContext(admin_key_).get(), request, &third);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"request_id"}));
  EXPECT_EQ(CountClinics(), 1);
}

TEST_F(PracticeTest, StaleEtagIsAbortedAndChangesNothing) {
  const Clinic clinic = MakeClinic("Before");
  clinic::v1::UpdateClinicRequest update;
  *update.mutable_clinic() = clinic;
  update.mutable_clinic()->set_display_name("After");
  update.mutable_update_mask()->add_paths("display_name");
  Clinic updated;
  ASSERT_TRUE(practice_->UpdateClinic(AuthedContext(admin_key_).get(), update, &updated).ok());
  EXPECT_EQ(updated.display_name(), "After");
  EXPECT_EQ(updated.etag(), "2");

  update.mutable_clinic()->set_display_name("Lost update");  // still carries etag 1
  grpc::Status status =
      practice_->UpdateClinic(AuthedContext(admin_key_).get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ReasonOf(status), "ETAG_MISMATCH");

  clinic::v1::GetClinicRequest get;
  get.set_name(clinic.name());
  Clinic fetched;
  ASSERT_TRUE(practice_->GetClinic(AuthedContext(admin_key_).get(), get, &fetched).ok());
  EXPECT_EQ(fetched.display_name(), "After");
}

TEST_F(PracticeTest, UpdateMaskRefusesOutputOnlyFields) {
  const Clinic clinic = MakeClinic();
  clinic::v1::UpdateClinicRequest update;
  *update.mutable_clinic() = clinic;
  update.mutable_update_mask()->add_paths("create_time");
  Clinic updated;
  grpc::Status status =
      practice_->UpdateClinic(AuthedContext(admin_key_).get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"update_mask"}));
}

TEST_F(PracticeTest, PractitionerWorkingHoursAreCheckedAndListsPaginate) {
  const Clinic clinic = MakeClinic();
  clinic::v1::CreatePractitionerRequest bad;
  bad.set_parent(clinic.name());
  bad.mutable_practitioner()->set_display_name("Dr. Overlap");
  for (int start : {9, 11}) {
    auto* hours = bad.mutable_practitioner()->add_working_hours();
    hours->set_day(google::type::MONDAY);
    hours->mutable_start_time()->set_hours(start);
    hours->mutable_end_time()->set_hours(start + 3);
  }
  clinic::v1::Practitioner out;
  grpc::Status status =
      practice_->CreatePractitioner(AuthedContext(admin_key_).get(), bad, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status),
            (std::set<std::string>{"practitioner.working_hours[1]"}));

  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) {
    clinic::v1::CreatePractitionerRequest request;
    request.set_parent(clinic.name());
    request.mutable_practitioner()->set_display_name("Practitioner " + std::to_string(i));
    ASSERT_TRUE(
        practice_->CreatePractitioner(AuthedContext(admin_key_).get(), request, &out).ok());
    created.push_back(out.name());
  }
  std::vector<std::string> listed;
  clinic::v1::ListPractitionersRequest list;
  list.set_parent(clinic.name());
  list.set_page_size(2);
  int pages = 0;
  do {
    clinic::v1::ListPractitionersResponse page;
    ASSERT_TRUE(practice_->ListPractitioners(AuthedContext(admin_key_).get(), list, &page).ok());
    for (const auto& practitioner : page.practitioners()) listed.push_back(practitioner.name());
    list.set_page_token(page.next_page_token());
    ++pages;
  } while (!list.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(listed, created);
}

TEST_F(PracticeTest, PractitionersAreQualifiedOnlyForTreatmentTypesThePluginsProvide) {
  const Clinic clinic = MakeClinic();
  clinic::v1::CreatePractitionerRequest request;
  request.set_parent(clinic.name());
  request.mutable_practitioner()->set_display_name("Dr. Tattoo");
  request.mutable_practitioner()->add_treatment_types("treatmentTypes/microneedling");
  request.mutable_practitioner()->add_treatment_types("treatmentTypes/tattooing");
  clinic::v1::Practitioner out;
  grpc::Status status =
      practice_->CreatePractitioner(AuthedContext(admin_key_).get(), request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status),
            (std::set<std::string>{"practitioner.treatment_types[1]"}));
  EXPECT_NE(status.error_message().find("ListTreatmentTypes"), std::string::npos)
      << status.error_message();

  request.mutable_practitioner()->mutable_treatment_types()->RemoveLast();
  status = practice_->CreatePractitioner(AuthedContext(admin_key_).get(), request, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.treatment_types_size(), 1);
}

TEST_F(PracticeTest, ClinicWithPractitionersCannotBeDeleted) {
  const Clinic clinic = MakeClinic();
  clinic::v1::CreateRoomRequest room;
  room.set_parent(clinic.name());
  room.mutable_room()->set_display_name("Room 1");
  room.mutable_room()->add_capabilities("microneedling_device");
  clinic::v1::Room created_room;
  ASSERT_TRUE(practice_->CreateRoom(AuthedContext(admin_key_).get(), room, &created_room).ok());

  clinic::v1::DeleteClinicRequest remove;
  remove.set_name(clinic.name());
  google::protobuf::Empty empty;
  grpc::Status status = practice_->DeleteClinic(AuthedContext(admin_key_).get(), remove, &empty);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "RESOURCE_IN_USE");

  clinic::v1::DeleteRoomRequest remove_room;
  remove_room.set_name(created_room.name());
  ASSERT_TRUE(practice_->DeleteRoom(AuthedContext(admin_key_).get(), remove_room, &empty).ok());
  EXPECT_TRUE(practice_->DeleteClinic(AuthedContext(admin_key_).get(), remove, &empty).ok());
}

TEST_F(PracticeTest, TimeOffNeedsItsPractitionerAndAnOrderedPeriod) {
  const Clinic clinic = MakeClinic();
  clinic::v1::CreateTimeOffRequest request;
  request.set_parent(clinic.name() + "/practitioners/missing");
  request.mutable_time_off()->mutable_start_time()->set_seconds(1800000000);
  request.mutable_time_off()->mutable_end_time()->set_seconds(1800086400);
  clinic::v1::TimeOff out;
  grpc::Status status = practice_->CreateTimeOff(AuthedContext(admin_key_).get(), request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  clinic::v1::CreatePractitionerRequest practitioner;
  practitioner.set_parent(clinic.name());
  practitioner.mutable_practitioner()->set_display_name("Dr. Away");
  clinic::v1::Practitioner created;
  ASSERT_TRUE(practice_->CreatePractitioner(AuthedContext(admin_key_).get(), practitioner,
                                            &created).ok());
  request.set_parent(created.name());
  request.mutable_time_off()->mutable_end_time()->set_seconds(1799999999);
  status = practice_->CreateTimeOff(AuthedContext(admin_key_).get(), request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"time_off.end_time"}));

  request.mutable_time_off()->mutable_end_time()->set_seconds(1800086400);
  ASSERT_TRUE(practice_->CreateTimeOff(AuthedContext(admin_key_).get(), request, &out).ok());
  EXPECT_EQ(out.name().rfind(created.name() + "/timeOff/", 0), 0u);
}

}  // namespace
}  // namespace clinicd::testing
