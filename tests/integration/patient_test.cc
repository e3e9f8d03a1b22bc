// PatientService over a real server: normalised contact data, search by name
// and phone, update masks, idempotency, nothing written on bad input.

#include "tests/integration/rpc_test_base.h"

namespace clinicd::testing {
namespace {

using clinic::v1::Patient;

class PatientTest : public RpcTest {
 protected:
  void SetUp() override {
    RpcTest::SetUp();
    if (HasFatalFailure()) return;
    clinic_ = MakeClinic();
  }

  std::vector<std::string> Search(const std::string& query) {
    clinic::v1::SearchPatientsRequest request;
    request.set_parent(clinic_.name());
    request.set_query(query);
    clinic::v1::SearchPatientsResponse response;
    grpc::Status status =
        patients_->SearchPatients(AuthedContext(admin_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> names;
    for (const Patient& p : response.patients()) {
      names.push_back(p.given_name() + " " + p.family_name());
    }
    return names;
  }

  int CountPatients() {
    clinic::v1::ListPatientsRequest request;
    request.set_parent(clinic_.name());
    clinic::v1::ListPatientsResponse response;
    EXPECT_TRUE(patients_->ListPatients(AuthedContext(admin_key_).get(), request, &response).ok());
    return response.patients_size();
  }

  clinic::v1::Clinic clinic_;
};

TEST_F(PatientTest, InvalidPatientNamesTheFieldsAndWritesNothing) {
  clinic::v1::CreatePatientRequest request;
  request.set_parent(clinic_.name());
  request.mutable_patient()->set_given_name("Ada");
  request.mutable_patient()->set_email("ada@");
  request.mutable_patient()->set_phone_number("12");
  request.mutable_patient()->mutable_birth_date()->set_year(2001);
  request.mutable_patient()->mutable_birth_date()->set_month(2);
  request.mutable_patient()->mutable_birth_date()->set_day(30);
  Patient patient;
  grpc::Status status =
      patients_->CreatePatient(AuthedContext(admin_key_).get(), request, &patient);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status),
            (std::set<std::string>{"patient.family_name", "patient.email",
                                   "patient.phone_number", "patient.birth_date"}));
  EXPECT_EQ(status.error_message().find("ada@"), std::string::npos)
      << "errors must not echo patient data: " << status.error_message();
  EXPECT_EQ(CountPatients(), 0);
}

TEST_F(PatientTest, PhoneIsStoredInE164AndSearchFindsItInAnyForm) {
  MakePatient(clinic_.name(), "Jürgen", "Müller", "030 1234567");
  MakePatient(clinic_.name(), "Anna", "Schmidt", "+49 171 2345678");
  EXPECT_EQ(Search("+49 30 1234567"), std::vector<std::string>{"Jürgen Müller"});
  EXPECT_EQ(Search("0171 2345678"), std::vector<std::string>{"Anna Schmidt"});
}

TEST_F(PatientTest, NameSearchIgnoresCaseAccentsAndWordOrder) {
  MakePatient(clinic_.name(), "Jürgen", "Müller");
  MakePatient(clinic_.name(), "Anna-Lena", "Mueller-Schmidt");
  MakePatient(clinic_.name(), "Zoë", "Adams");
  EXPECT_EQ(Search("muller"), std::vector<std::string>{"Jürgen Müller"});
  EXPECT_EQ(Search("MÜLL jür"), std::vector<std::string>{"Jürgen Müller"});
  EXPECT_EQ(Search("lena schm"), std::vector<std::string>{"Anna-Lena Mueller-Schmidt"});
  EXPECT_EQ(Search("zoe"), std::vector<std::string>{"Zoë Adams"});
  EXPECT_TRUE(Search("ller").empty()) << "words match from their start only";
}

TEST_F(PatientTest, ListIsOrderedByFamilyThenGivenNameAcrossPages) {
  MakePatient(clinic_.name(), "Zoe", "Li");
  MakePatient(clinic_.name(), "Al", "Lin");
  MakePatient(clinic_.name(), "Bea", "Ávila");
  MakePatient(clinic_.name(), "Carl", "baker");
  std::vector<std::string> order;
  clinic::v1::ListPatientsRequest request;
  request.set_parent(clinic_.name());
  request.set_page_size(1);
  do {
    clinic::v1::ListPatientsResponse page;
    ASSERT_TRUE(patients_->ListPatients(AuthedContext(admin_key_).get(), request, &page).ok());
    ASSERT_LE(page.patients_size(), 1);
    for (const Patient& p : page.patients()) order.push_back(p.family_name());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(order, (std::vector<std::string>{"Ávila", "baker", "Li", "Lin"}));
}

TEST_F(PatientTest, PageTokenFromAnotherQueryIsRefused) {
  MakePatient(clinic_.name(), "Ann", "Able");
  MakePatient(clinic_.name(), "Ann", "Baker");
  clinic::v1::SearchPatientsRequest request;
  request.set_parent(clinic_.name());
  request.set_query("ann");
  request.set_page_size(1);
  clinic::v1::SearchPatientsResponse response;
  ASSERT_TRUE(patients_->SearchPatients(AuthedContext(admin_key_).get(), request, &response).ok());
  ASSERT_FALSE(response.next_page_token().empty());
  request.set_page_token(response.next_page_token());
  request.set_query("baker");
  grpc::Status status =
      patients_->SearchPatients(AuthedContext(admin_key_).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"page_token"}));
}

TEST_F(PatientTest, UpdateChangesOnlyTheMaskedFieldsAndStampsConsent) {
  Patient patient = MakePatient(clinic_.name(), "Ada", "Lovelace", "030 1234567");
  clinic::v1::UpdatePatientRequest update;
  update.mutable_patient()->set_name(patient.name());
  update.mutable_patient()->set_etag(patient.etag());
  update.mutable_patient()->set_email("ada@example.org");
  update.mutable_patient()->set_family_name("ignored because not in the mask");
  auto* consent = update.mutable_patient()->add_channel_consents();
  consent->set_channel(clinic::v1::NOTIFICATION_CHANNEL_EMAIL);
  consent->set_opted_in(true);
  update.mutable_update_mask()->add_paths("email");
  update.mutable_update_mask()->add_paths("channel_consents");
  Patient updated;
  ASSERT_TRUE(patients_->UpdatePatient(AuthedContext(admin_key_).get(), update, &updated).ok());
  EXPECT_EQ(updated.email(), "ada@example.org");
  EXPECT_EQ(updated.family_name(), "Lovelace");
  EXPECT_EQ(updated.phone_number(), "+49301234567");
  ASSERT_EQ(updated.channel_consents_size(), 1);
  EXPECT_GT(updated.channel_consents(0).record_time().seconds(), 0);
}

TEST_F(PatientTest, DeletedPatientIsGone) {
  Patient patient = MakePatient(clinic_.name(), "Ada", "Lovelace");
  clinic::v1::DeletePatientRequest remove;
  remove.set_name(patient.name());
  remove.set_etag("7");
  google::protobuf::Empty empty;
  grpc::Status status = patients_->DeletePatient(AuthedContext(admin_key_).get(), remove, &empty);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  remove.set_etag(patient.etag());
  ASSERT_TRUE(patients_->DeletePatient(AuthedContext(admin_key_).get(), remove, &empty).ok());
  clinic::v1::GetPatientRequest get;
  get.set_name(patient.name());
  Patient fetched;
  status = patients_->GetPatient(AuthedContext(admin_key_).get(), get, &fetched);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ReasonOf(status), "NOT_FOUND");
}

TEST_F(PatientTest, MalformedNameIsInvalidArgumentNamingThePattern) {
  clinic::v1::GetPatientRequest get;
  get.set_name("patients/123");
  Patient fetched;
  grpc::Status status = patients_->GetPatient(AuthedContext(admin_key_).get(), get, &fetched);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("clinics/{clinic}/patients/{patient}"),
            std::string::npos)
      << status.error_message();
}

}  // namespace
}  // namespace clinicd::testing
