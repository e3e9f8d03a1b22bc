#pragma once

// The clinicctl binary against a real clinicd: the follow-up tests' fixture
// (a Berlin clinic, a microneedling room and practitioner working Monday to
// Friday 09:00-17:00, Anna Schmidt cleared for treatment, a Monday two weeks
// ahead) plus a clinician key, and a way to run clinicctl with the server's
// address, the key and the clinic in its environment.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "tests/integration/course_test_base.h"
#include "tests/testing/run_program.h"

namespace clinicd::clinicctl::testing {

using test_util::ProgramResult;

// The id of resource `name` (its last segment).
std::string IdOf(const std::string& name);

// "2027-03-15".
std::string DayText(absl::CivilDay day);

// The clinicctl binary built with this tree.
std::string ClinicctlBinary();

class ClinicctlTest : public clinicd::testing::CourseTest {
 protected:
  void SetUp() override;

  // Runs `clinicctl <args>` against the fixture's server with `key` (the
  // clinician's when empty) and the fixture's clinic in the environment.
  ProgramResult Ctl(const std::vector<std::string>& args, const std::string& key = "") const;

  // The patient's visits of `kind` by start time: by default their treatment
  // sessions, not the consultation the fixture gave them.
  std::vector<clinic::v1::Appointment> AppointmentsOf(
      const std::string& patient, clinic::v1::VisitKind kind = clinic::v1::VISIT_KIND_TREATMENT);

  // One appointment, fetched over gRPC.
  clinic::v1::Appointment GetAppointment(const std::string& name);

  std::string clinician_key_;
};

}  // namespace clinicd::clinicctl::testing
