#include "tests/clinicctl/ctl_test_base.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace clinicd::clinicctl::testing {

using clinicd::testing::AuthedContext;

std::string IdOf(const std::string& name) { return name.substr(name.rfind('/') + 1); }

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

std::string ClinicctlBinary() {
  const char* dir = std::getenv("CLINICD_BINARY_DIR");
  return std::string(dir != nullptr ? dir : ".") + "/clients/clinicctl/clinicctl";
}

void ClinicctlTest::SetUp() {
  CourseTest::SetUp();
  if (HasFatalFailure()) return;
  clinician_key_ = server_.CreateKey("clinician");
  ASSERT_FALSE(clinician_key_.empty());
}

ProgramResult ClinicctlTest::Ctl(const std::vector<std::string>& args,
                                 const std::string& key) const {
  std::vector<std::string> argv = {ClinicctlBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return test_util::RunProgram(argv,
                               {"CLINICD_ADDRESS=" + server_.address(),
                                "CLINICD_API_KEY=" + (key.empty() ? clinician_key_ : key),
                                "CLINICD_CLINIC=" + IdOf(clinic_.name())},
                               absl::Seconds(30));
}

std::vector<clinic::v1::Appointment> ClinicctlTest::AppointmentsOf(const std::string& patient,
                                                                   clinic::v1::VisitKind kind) {
  clinic::v1::ListAppointmentsRequest request;
  request.set_parent(clinic_.name());
  request.set_patient(patient);
  request.set_kind(kind);
  clinic::v1::ListAppointmentsResponse response;
  const grpc::Status status =
      booking_->ListAppointments(AuthedContext(admin_key_).get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.appointments().begin(), response.appointments().end()};
}

clinic::v1::Appointment ClinicctlTest::GetAppointment(const std::string& name) {
  clinic::v1::GetAppointmentRequest request;
  request.set_name(name);
  clinic::v1::Appointment appointment;
  const grpc::Status status =
      booking_->GetAppointment(AuthedContext(admin_key_).get(), request, &appointment);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return appointment;
}

}  // namespace clinicd::clinicctl::testing
