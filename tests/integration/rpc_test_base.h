#pragma once

// Shared set-up of the integration tests: one real clinicd per test, an admin
// key, stubs for the implemented services, and readers for error details.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "clinic/v1/consent_service.grpc.pb.h"
#include "clinic/v1/patient_service.grpc.pb.h"
#include "absl/time/time.h"
#include "clinic/v1/practice_service.grpc.pb.h"
#include "clinicd/test_clock/v1/test_clock.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "tests/integration/clinicd_process.h"

namespace clinicd::testing {

// The ErrorInfo reason carried by `status` (empty when none).
std::string ReasonOf(const grpc::Status& status);

// The fields the BadRequest of `status` names.
std::set<std::string> BadFieldsOf(const grpc::Status& status);

// The metadata of the ErrorInfo `status` carries (empty when none).
std::map<std::string, std::string> MetadataOf(const grpc::Status& status);

// Starts clinicd and creates an admin key before each test.
class RpcTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Creates a clinic in Berlin (region DE) and returns it.
  clinic::v1::Clinic MakeClinic(const std::string& display_name = "Hautzentrum Mitte");

  // Creates a patient in `clinic` and returns it. On a server with the test
  // clock the patient has also had the consultation microneedling asks for
  // before a first session (ConsultForMicroneedling), unless `consulted` is
  // false.
  clinic::v1::Patient MakePatient(const std::string& clinic, const std::string& given,
                                  const std::string& family,
                                  const std::string& phone = "", bool consulted = true);

  // Creates an active room in `clinic` with `capabilities` and returns it.
  clinic::v1::Room MakeRoom(const std::string& clinic, const std::string& display_name,
                            const std::vector<std::string>& capabilities);

  // Creates an active practitioner in `clinic`, qualified for
  // `treatment_types`, working `start_hour`:00-`end_hour`:00 Monday to
  // Friday, and returns it.
  clinic::v1::Practitioner MakePractitioner(const std::string& clinic,
                                            const std::string& display_name,
                                            const std::vector<std::string>& treatment_types,
                                            int start_hour = 9, int end_hour = 17);
  // Creates an active practitioner in `clinic`, qualified for microneedling,
  // working 00:00-23:59 every day, so a session a day or two from now can be
  // booked whatever the weekday and hour; returns it.
  clinic::v1::Practitioner MakeAroundTheClockPractitioner(const std::string& clinic,
                                                          const std::string& display_name);

  // Runs the server with its test clock standing at `start` (call before
  // RpcTest::SetUp, e.g. in a fixture's SetUp or constructor).
  void UseTestClock(absl::Time start);
  // The server's time now; its clock moves only through the calls below.
  absl::Time Now();
  // Stands the test clock at `time` (not before Now()); recalls have caught
  // up when it returns.
  void SetTime(absl::Time time);
  // Moves the test clock on by `step`.
  void Advance(absl::Duration step);

  // Signs the current microneedling consent form for `patient` (typed name),
  // submits a screening that clears them and gives them the consultation
  // microneedling asks for before a first session (unless `consult` is false
  // or they had it), so a first session can be booked and checked in. The
  // consultation needs the test clock (UseTestClock).
  void ClearForMicroneedling(const std::string& patient, bool consult = true);
  // The consultation alone: booked at the server's now with the clinic's
  // consultant (an around-the-clock practitioner, inactive between
  // consultations so no treatment search offers them) in one of its rooms,
  // checked in and recorded as suitable for melasma.
  void ConsultForMicroneedling(const std::string& patient);
  // Submits a microneedling screening for `patient`: yes/no questions no,
  // time questions at `last_times` (by question id) or never. Without
  // times it must clear.
  void ScreenForMicroneedling(const std::string& patient,
                              const std::map<std::string, absl::Time>& last_times = {});

  ClinicdProcess server_;
  std::string admin_key_;
  std::unique_ptr<clinic::v1::PracticeService::Stub> practice_;
  std::unique_ptr<clinic::v1::PatientService::Stub> patients_;
  std::unique_ptr<clinicd::test_clock::v1::TestClockService::Stub> test_clock_;
  // True when the server runs with the test clock (UseTestClock).
  bool uses_test_clock_ = false;
  // Patients ConsultForMicroneedling has consulted, each with the name of
  // their consultation appointment.
  std::map<std::string, std::string> consulted_;

 private:
  // Each clinic's consultant and consultation room, made on first use.
  struct Consultant {
    clinic::v1::Practitioner practitioner;
    std::string room;
  };
  std::map<std::string, Consultant> consultants_;
};

}  // namespace clinicd::testing
