#pragma once

// Shared set-up of the follow-up tests (series, recalls, outbox, event feed):
// a Berlin clinic with quiet hours 21:00-08:00 and an e-mail address, a
// microneedling room and practitioner, and a patient cleared for treatment
// who opted in to e-mail and SMS; stubs for booking, follow-up and
// notifications; and helpers that run an appointment through its life.

#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.grpc.pb.h"
#include "clinic/v1/follow_up_service.grpc.pb.h"
#include "clinic/v1/notification_service.grpc.pb.h"
#include "tests/integration/rpc_test_base.h"

namespace clinicd::testing {

inline constexpr char kMicroneedling[] = "treatmentTypes/microneedling";

class CourseTest : public RpcTest {
 protected:
  void SetUp() override;

  // A patient of the fixture's clinic with e-mail and phone who opted in to
  // the given channels, consulted for microneedling (see MakePatient).
  clinic::v1::Patient MakeReachablePatient(const std::string& given, const std::string& family,
                                           const std::vector<clinic::v1::NotificationChannel>&
                                               channels = {clinic::v1::NOTIFICATION_CHANNEL_EMAIL,
                                                           clinic::v1::NOTIFICATION_CHANNEL_SMS});

  // Plans a series for `patient` (the fixture's when empty); fails the test
  // when refused.
  clinic::v1::Series MustCreateSeries(const std::string& indication, int planned_sessions = 0,
                                      const std::string& patient = "");
  grpc::Status CreateSeries(const clinic::v1::Series& series, clinic::v1::Series* out);
  clinic::v1::Series GetSeries(const std::string& name);

  // A microneedling appointment at `start` with the fixture's practitioner
  // and room, for `patient` (the fixture's when empty), in `series` if given.
  clinic::v1::Appointment Draft(absl::Time start, const std::string& series = "",
                                const std::string& patient = "") const;
  grpc::Status Book(const clinic::v1::Appointment& draft, clinic::v1::Appointment* out);
  clinic::v1::Appointment MustBook(const clinic::v1::Appointment& draft);
  grpc::Status Reschedule(const clinic::v1::Appointment& current, absl::Time start,
                          clinic::v1::Appointment* out);
  grpc::Status Cancel(const std::string& name, clinic::v1::Appointment* out);
  // Moves the clock to the start of `name` (unless it is already later), then
  // checks it in and completes it; fails the test when refused.
  clinic::v1::Appointment MustCheckInAndComplete(const std::string& name);

  // Every notification of the clinic matching the filters, by due time.
  std::vector<clinic::v1::Notification> Outbox(
      const std::string& resource = "",
      const std::vector<clinic::v1::NotificationState>& states = {});
  std::vector<clinic::v1::Recall> Recalls(clinic::v1::RecallView view);

  std::unique_ptr<clinic::v1::BookingService::Stub> booking_;
  std::unique_ptr<clinic::v1::FollowUpService::Stub> follow_up_;
  std::unique_ptr<clinic::v1::NotificationService::Stub> notifications_;
  clinic::v1::Clinic clinic_;
  clinic::v1::Room room_;
  clinic::v1::Practitioner practitioner_;
  clinic::v1::Patient patient_;
  // A Monday at least two weeks ahead: the first session's day.
  absl::CivilDay monday_;
  // When MustCheckInAndComplete last screened each patient (by name); a
  // patient not listed is screened on the day.
  std::map<std::string, absl::Time> screened_;
};

}  // namespace clinicd::testing
