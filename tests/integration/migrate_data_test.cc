// `clinicd migrate-data`: a clinic served from a SQLite file moves into an
// empty PostgreSQL database and is served from there with the same ids,
// etags, keys and history. Runs with the PostgreSQL suites (pg.*).

#include <grpcpp/grpcpp.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "clinic/v1/patient_service.grpc.pb.h"
#include "clinic/v1/practice_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/integration/clinicd_process.h"
#include "tests/testing/fresh_database.h"

namespace clinicd::testing {
namespace {

std::unique_ptr<grpc::ClientContext> Authed(const std::string& key) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + key);
  return context;
}

void AddBundledPlugins(ClinicdProcess& server) {
  server.AddPlugin(ClinicdProcess::BundledPlugin("microneedling"));
  server.AddPlugin(ClinicdProcess::BundledPlugin("maintenance_recall"));
}

TEST(MigrateDataTest, AClinicMovesFromItsSqliteFileToPostgresAndIsServedFromThere) {
  if (!test_util::UsingPostgres()) GTEST_SKIP() << "needs the PostgreSQL test cluster";
  char pattern[] = "/tmp/clinicd-move-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  const std::string file = dir + "/clinic.db";

  // The clinic as it runs today, on its file.
  ClinicdProcess source(file);
  AddBundledPlugins(source);
  std::string error;
  ASSERT_TRUE(source.Start(&error)) << error;
  const std::string key = source.CreateKey("admin");
  auto practice = clinic::v1::PracticeService::NewStub(source.channel());
  auto patients = clinic::v1::PatientService::NewStub(source.channel());
  clinic::v1::CreateClinicRequest create_clinic;
  create_clinic.mutable_clinic()->set_display_name("Hautzentrum Mitte");
  create_clinic.mutable_clinic()->set_time_zone("Europe/Berlin");
  create_clinic.mutable_clinic()->set_region_code("DE");
  clinic::v1::Clinic clinic;
  ASSERT_TRUE(practice->CreateClinic(Authed(key).get(), create_clinic, &clinic).ok());
  clinic::v1::Patient patient;
  for (const char* family : {"Becker", "Zoë Östlund"}) {
    clinic::v1::CreatePatientRequest create_patient;
    create_patient.set_parent(clinic.name());
    create_patient.mutable_patient()->set_given_name("Anna");
    create_patient.mutable_patient()->set_family_name(family);
    ASSERT_TRUE(patients->CreatePatient(Authed(key).get(), create_patient, &patient).ok());
  }
  ASSERT_EQ(source.Stop(), 0);

  // Moved, all or nothing.
  absl::StatusOr<std::unique_ptr<test_util::FreshDatabase>> target =
      test_util::FreshDatabase::Create(dir);
  ASSERT_TRUE(target.ok()) << target.status();
  std::string output;
  ASSERT_EQ(source.RunCommand({"migrate-data", "--to=" + (*target)->db()}, &output), 0)
      << output << source.CommandErrors();
  EXPECT_NE(output.find("patients: 2"), std::string::npos) << output;
  // A second move into the now-populated database is refused.
  EXPECT_EQ(source.RunCommand({"migrate-data", "--to=" + (*target)->db()}, &output), 1);
  EXPECT_NE(source.CommandErrors().find("already holds clinics"), std::string::npos)
      << source.CommandErrors();

  // Served from PostgreSQL: the same key works, the same records come back,
  // etags included, and name search finds what the file's index found.
  ClinicdProcess moved((*target)->db());
  AddBundledPlugins(moved);
  ASSERT_TRUE(moved.Start(&error)) << error;
  auto moved_practice = clinic::v1::PracticeService::NewStub(moved.channel());
  auto moved_patients = clinic::v1::PatientService::NewStub(moved.channel());
  clinic::v1::GetClinicRequest get_clinic;
  get_clinic.set_name(clinic.name());
  clinic::v1::Clinic clinic_again;
  ASSERT_TRUE(moved_practice->GetClinic(Authed(key).get(), get_clinic, &clinic_again).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(clinic, clinic_again));
  clinic::v1::GetPatientRequest get_patient;
  get_patient.set_name(patient.name());
  clinic::v1::Patient patient_again;
  ASSERT_TRUE(moved_patients->GetPatient(Authed(key).get(), get_patient, &patient_again).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(patient, patient_again));
  clinic::v1::SearchPatientsRequest search;
  search.set_parent(clinic.name());
  search.set_query("ostl");
  clinic::v1::SearchPatientsResponse found;
  ASSERT_TRUE(moved_patients->SearchPatients(Authed(key).get(), search, &found).ok());
  ASSERT_EQ(found.patients_size(), 1);
  EXPECT_EQ(found.patients(0).name(), patient.name());
  ASSERT_EQ(moved.Stop(), 0);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace
}  // namespace clinicd::testing
