// BookingService over a real server: free slots on the clinic's calendar,
// every booking rule with its ErrorInfo reason and metadata, idempotent
// creates, rescheduling that re-checks, the appointment state machine, day
// book listing, and DST-correct storage. Dates are computed from now in
// Berlin, so the tests never book in the past.

#include <google/protobuf/util/message_differencer.h>

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.grpc.pb.h"
#include "tests/integration/rpc_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::testing {
namespace {

using clinic::v1::Appointment;
using clinic::v1::SearchAvailabilityResponse;
using google::protobuf::util::MessageDifferencer;
using plugins::test_time::At;
using plugins::test_time::MondayAtLeastDaysAhead;
using plugins::test_time::ParseRfc3339;
using plugins::test_time::Berlin;
using plugins::test_time::FromProto;
using plugins::test_time::InBerlin;
using plugins::test_time::InUtc;
using plugins::test_time::ToProto;

constexpr char kMicroneedling[] = "treatmentTypes/microneedling";
constexpr char kDevice[] = "microneedling_device";

// The last `weekday` of `month` in `year`.
absl::CivilDay LastWeekdayOf(int year, int month, absl::Weekday weekday) {
  absl::CivilDay day = absl::CivilDay(absl::CivilMonth(year, month) + 1) - 1;
  while (absl::GetWeekday(day) != weekday) --day;
  return day;
}

// The next EU clock change in `month` (3 or 10) whose preceding Friday
// 09:00 (and so its following Monday) is still ahead of now.
absl::CivilDay NextClockChange(int month) {
  for (int year = static_cast<int>(absl::ToCivilYear(absl::Now(), Berlin()).year());; ++year) {
    const absl::CivilDay sunday = LastWeekdayOf(year, month, absl::Weekday::sunday);
    if (At(sunday - 2, 9) > absl::Now() + absl::Hours(1)) return sunday;
  }
}

// `hour`:00 UTC on `day`.
absl::Time UtcOn(absl::CivilDay day, int hour) {
  return absl::FromCivil(absl::CivilSecond(day) + hour * 3600, absl::UTCTimeZone());
}

google::type::Date DateOf(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

class BookingTest : public RpcTest {
 protected:
  void SetUp() override {
    // The server's clock stands at the test's start; check-in tests move it
    // to the session.
    UseTestClock(absl::Now());
    RpcTest::SetUp();
    if (HasFatalFailure()) return;
    booking_ = clinic::v1::BookingService::NewStub(server_.channel());
    clinic_ = MakeClinic();
    room_ = MakeRoom(clinic_.name(), "Room 1", {kDevice, "sink"});
    practitioner_ = MakePractitioner(clinic_.name(), "Dr. Weber", {kMicroneedling});
    patient_ = MakePatient(clinic_.name(), "Anna", "Schmidt");
    ClearForMicroneedling(patient_.name());
    monday_ = MondayAtLeastDaysAhead(14);
  }

  // An appointment for `patient` at `start` with the fixture's practitioner
  // and room unless others are given.
  Appointment Draft(const std::string& patient, absl::Time start, bool numbing = false,
                    const std::string& practitioner = "", const std::string& room = "") const {
    Appointment appointment;
    appointment.set_patient(patient);
    appointment.set_treatment_type(kMicroneedling);
    appointment.set_practitioner(practitioner.empty() ? practitioner_.name() : practitioner);
    appointment.set_room(room.empty() ? room_.name() : room);
    *appointment.mutable_start_time() = ToProto(start);
    appointment.set_numbing(numbing);
    return appointment;
  }

  grpc::Status Book(const Appointment& draft, Appointment* out,
                    const std::string& request_id = "") {
    clinic::v1::CreateAppointmentRequest request;
    request.set_parent(clinic_.name());
    *request.mutable_appointment() = draft;
    request.set_request_id(request_id);
    return booking_->CreateAppointment(AuthedContext(admin_key_).get(), request, out);
  }

  // Books `draft`, failing the test when refused.
  Appointment MustBook(const Appointment& draft) {
    Appointment out;
    grpc::Status status = Book(draft, &out);
    EXPECT_TRUE(status.ok()) << InBerlin(draft.start_time()) << ": " << status.error_message();
    return out;
  }

  Appointment Get(const std::string& name) {
    clinic::v1::GetAppointmentRequest request;
    request.set_name(name);
    Appointment out;
    grpc::Status status = booking_->GetAppointment(AuthedContext(admin_key_).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  grpc::Status Reschedule(const Appointment& current, absl::Time start, Appointment* out) {
    clinic::v1::RescheduleAppointmentRequest request;
    *request.mutable_appointment() = current;
    *request.mutable_appointment()->mutable_start_time() = ToProto(start);
    request.mutable_update_mask()->add_paths("start_time");
    return booking_->RescheduleAppointment(AuthedContext(admin_key_).get(), request, out);
  }

  grpc::Status Cancel(const std::string& name, const std::string& reason, Appointment* out) {
    clinic::v1::CancelAppointmentRequest request;
    request.set_name(name);
    request.set_reason(reason);
    return booking_->CancelAppointment(AuthedContext(admin_key_).get(), request, out);
  }

  grpc::Status CheckIn(const std::string& name, Appointment* out) {
    clinic::v1::CheckInAppointmentRequest request;
    request.set_name(name);
    return booking_->CheckInAppointment(AuthedContext(admin_key_).get(), request, out);
  }

  grpc::Status Complete(const std::string& name, const clinic::v1::SessionRecord& record,
                        Appointment* out) {
    clinic::v1::CompleteAppointmentRequest request;
    request.set_name(name);
    *request.mutable_session_record() = record;
    return booking_->CompleteAppointment(AuthedContext(admin_key_).get(), request, out);
  }

  SearchAvailabilityResponse Search(absl::CivilDay first, absl::CivilDay last,
                                    bool numbing = false, const std::string& patient = "",
                                    int page_size = 500, const std::string& page_token = "") {
    clinic::v1::SearchAvailabilityRequest request;
    request.set_parent(clinic_.name());
    request.set_treatment_type(kMicroneedling);
    *request.mutable_start_date() = DateOf(first);
    *request.mutable_end_date() = DateOf(last);
    request.set_numbing(numbing);
    request.set_patient(patient);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    SearchAvailabilityResponse response;
    grpc::Status status =
        booking_->SearchAvailability(AuthedContext(admin_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // Slot starts in Berlin local time, e.g. "2026-12-07 09:00:00 CET".
  static std::vector<std::string> Starts(const SearchAvailabilityResponse& response) {
    std::vector<std::string> starts;
    for (const auto& slot : response.slots()) starts.push_back(InBerlin(slot.start_time()));
    return starts;
  }

  // Every 15 minutes from `first` to `last` (inclusive) on `day`, as Starts
  // prints them.
  static std::vector<std::string> Grid(absl::CivilDay day, int first_hour, int first_minute,
                                       int last_hour, int last_minute) {
    std::vector<std::string> out;
    for (absl::Time t = At(day, first_hour, first_minute); t <= At(day, last_hour, last_minute);
         t += absl::Minutes(15)) {
      out.push_back(InBerlin(t));
    }
    return out;
  }

  // The clinic's treatment sessions matching `request` (the patients'
  // consultations, made when they were created, left out).
  std::vector<std::string> ListNames(clinic::v1::ListAppointmentsRequest request) {
    request.set_parent(clinic_.name());
    request.set_kind(clinic::v1::VISIT_KIND_TREATMENT);
    clinic::v1::ListAppointmentsResponse response;
    grpc::Status status =
        booking_->ListAppointments(AuthedContext(admin_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> names;
    for (const Appointment& a : response.appointments()) names.push_back(a.name());
    return names;
  }

  std::unique_ptr<clinic::v1::BookingService::Stub> booking_;
  clinic::v1::Clinic clinic_;
  clinic::v1::Room room_;
  clinic::v1::Practitioner practitioner_;
  clinic::v1::Patient patient_;
  absl::CivilDay monday_;
};

TEST_F(BookingTest, SearchOffersA15MinuteGridInsideWorkingHours) {
  const SearchAvailabilityResponse plain = Search(monday_, monday_);
  EXPECT_EQ(Starts(plain), Grid(monday_, 9, 0, 16, 0));
  for (const auto& slot : plain.slots()) {
    EXPECT_EQ(FromProto(slot.end_time()) - FromProto(slot.start_time()), absl::Minutes(60));
    EXPECT_EQ(slot.practitioner(), practitioner_.name());
    EXPECT_EQ(slot.room(), room_.name());
  }
  EXPECT_TRUE(plain.next_page_token().empty());
  EXPECT_FALSE(plain.has_earliest_eligible_time());

  // Numbing adds 30 minutes, so the last start is 15:30.
  const SearchAvailabilityResponse numbing = Search(monday_, monday_, /*numbing=*/true);
  EXPECT_EQ(Starts(numbing), Grid(monday_, 9, 0, 15, 30));
  for (const auto& slot : numbing.slots()) {
    EXPECT_EQ(FromProto(slot.end_time()) - FromProto(slot.start_time()), absl::Minutes(90));
  }

  // Nobody works on Saturday or Sunday.
  EXPECT_EQ(Search(monday_ + 5, monday_ + 6).slots_size(), 0);
  // A whole week: five days of 29 slots.
  EXPECT_EQ(Search(monday_, monday_ + 6).slots_size(), 5 * 29);
}

TEST_F(BookingTest, SearchPagesThroughSlotsWithoutGapsOrRepeats) {
  std::vector<std::string> paged;
  std::string token;
  int pages = 0;
  do {
    const SearchAvailabilityResponse page = Search(monday_, monday_, false, "", 10, token);
    for (const std::string& start : Starts(page)) paged.push_back(start);
    token = page.next_page_token();
    ASSERT_LT(++pages, 10);
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(paged, Grid(monday_, 9, 0, 16, 0));
}

TEST_F(BookingTest, CreateReturnsBookedWithDerivedEndAndIgnoresOutputOnlyFields) {
  Appointment draft = Draft(patient_.name(), At(monday_, 10));
  draft.set_state(clinic::v1::APPOINTMENT_STATE_COMPLETED);
  *draft.mutable_end_time() = ToProto(At(monday_, 18));
  draft.mutable_session_record()->set_summary("forged");
  draft.set_cancel_reason("forged");
  Appointment created;
  grpc::Status status = Book(draft, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.name().rfind(clinic_.name() + "/appointments/", 0), 0u) << created.name();
  EXPECT_EQ(created.state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_EQ(FromProto(created.start_time()), At(monday_, 10));
  EXPECT_EQ(FromProto(created.end_time()), At(monday_, 11)) << InBerlin(created.end_time());
  EXPECT_FALSE(created.has_session_record());
  EXPECT_EQ(created.cancel_reason(), "");
  EXPECT_EQ(created.etag(), "1");
  EXPECT_TRUE(MessageDifferencer::Equals(Get(created.name()), created));

  const clinic::v1::Patient other = MakePatient(clinic_.name(), "Berta", "Klein");
  const Appointment numbing = MustBook(Draft(other.name(), At(monday_, 13), /*numbing=*/true));
  EXPECT_EQ(FromProto(numbing.end_time()), At(monday_, 14, 30)) << InBerlin(numbing.end_time());
}

TEST_F(BookingTest, OverlapForThePractitionerIsSlotTaken) {
  const clinic::v1::Room room2 = MakeRoom(clinic_.name(), "Room 2", {kDevice});
  const clinic::v1::Patient other = MakePatient(clinic_.name(), "Berta", "Klein");
  MustBook(Draft(patient_.name(), At(monday_, 10)));

  Appointment out;
  grpc::Status status =
      Book(Draft(other.name(), At(monday_, 10, 30), false, "", room2.name()), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "SLOT_TAKEN");
  const std::map<std::string, std::string> metadata = MetadataOf(status);
  EXPECT_EQ(metadata.at("taken_by"), "practitioner");
  EXPECT_EQ(ParseRfc3339(metadata.at("conflict_start_time")), At(monday_, 10))
      << metadata.at("conflict_start_time");
  EXPECT_EQ(ParseRfc3339(metadata.at("conflict_end_time")), At(monday_, 11))
      << metadata.at("conflict_end_time");

  // Back to back is fine: the practitioner is free at 11:00 (room 2 has no
  // turnaround to respect).
  MustBook(Draft(other.name(), At(monday_, 11), false, "", room2.name()));
}

TEST_F(BookingTest, OverlapForThePatientIsSlotTaken) {
  const clinic::v1::Room room2 = MakeRoom(clinic_.name(), "Room 2", {kDevice});
  const clinic::v1::Practitioner second =
      MakePractitioner(clinic_.name(), "Dr. Braun", {kMicroneedling});
  MustBook(Draft(patient_.name(), At(monday_, 10)));
  Appointment out;
  grpc::Status status =
      Book(Draft(patient_.name(), At(monday_, 10, 45), false, second.name(), room2.name()), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "SLOT_TAKEN");
  EXPECT_EQ(MetadataOf(status).at("taken_by"), "patient");
}

TEST_F(BookingTest, RoomTurnaroundBlocksTheNextBookingForFifteenMinutes) {
  const clinic::v1::Practitioner second =
      MakePractitioner(clinic_.name(), "Dr. Braun", {kMicroneedling});
  const clinic::v1::Patient other = MakePatient(clinic_.name(), "Berta", "Klein");
  const clinic::v1::Patient third = MakePatient(clinic_.name(), "Carla", "Wolf");
  MustBook(Draft(patient_.name(), At(monday_, 10)));

  // Starting when the first session ends: the room is still being turned.
  Appointment out;
  grpc::Status status =
      Book(Draft(other.name(), At(monday_, 11), false, second.name()), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "SLOT_TAKEN");
  EXPECT_EQ(MetadataOf(status).at("taken_by"), "room");
  EXPECT_EQ(ParseRfc3339(MetadataOf(status).at("conflict_end_time")), At(monday_, 11, 15))
      << MetadataOf(status).at("conflict_end_time");

  // A session ending when the first starts needs its own turnaround.
  status = Book(Draft(third.name(), At(monday_, 9), false, second.name()), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(MetadataOf(status).at("taken_by"), "room");

  // SearchAvailability agrees: the second practitioner's first slot in
  // room 1 after the booking is 11:15.
  const SearchAvailabilityResponse search = Search(monday_, monday_);
  std::vector<std::string> second_starts;
  for (const auto& slot : search.slots()) {
    if (slot.practitioner() == second.name() && FromProto(slot.start_time()) < At(monday_, 12)) {
      second_starts.push_back(InBerlin(slot.start_time()));
    }
  }
  EXPECT_EQ(second_starts, (std::vector<std::string>{InBerlin(At(monday_, 11, 15)),
                                                     InBerlin(At(monday_, 11, 30)),
                                                     InBerlin(At(monday_, 11, 45))}));

  const Appointment later =
      MustBook(Draft(other.name(), At(monday_, 11, 15), false, second.name()));
  EXPECT_EQ(later.state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
}

TEST_F(BookingTest, OutsideWorkingHoursNamesTheHours) {
  Appointment out;
  // 16:30 + 60 min ends after 17:00.
  grpc::Status status = Book(Draft(patient_.name(), At(monday_, 16, 30)), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "OUTSIDE_WORKING_HOURS");
  EXPECT_EQ(MetadataOf(status),
            (std::map<std::string, std::string>{{"cause", "working_hours"},
                                                {"working_hours", "09:00-17:00"}}));

  status = Book(Draft(patient_.name(), At(monday_, 8, 45)), &out);
  EXPECT_EQ(ReasonOf(status), "OUTSIDE_WORKING_HOURS");
  // With numbing 15:45 runs until 17:15.
  status = Book(Draft(patient_.name(), At(monday_, 15, 45), /*numbing=*/true), &out);
  EXPECT_EQ(ReasonOf(status), "OUTSIDE_WORKING_HOURS");

  status = Book(Draft(patient_.name(), At(monday_ + 5, 10)), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "OUTSIDE_WORKING_HOURS");
  EXPECT_EQ(MetadataOf(status).at("working_hours"), "none");
  EXPECT_NE(status.error_message().find("Saturday: none"), std::string::npos)
      << status.error_message();

  // The last session that fits ends exactly at 17:00.
  const Appointment last = MustBook(Draft(patient_.name(), At(monday_, 16)));
  EXPECT_EQ(FromProto(last.end_time()), At(monday_, 17));
}

TEST_F(BookingTest, TimeOffIsOutsideWorkingHoursWithCauseTimeOff) {
  clinic::v1::CreateTimeOffRequest request;
  request.set_parent(practitioner_.name());
  *request.mutable_time_off()->mutable_start_time() = ToProto(At(monday_, 12));
  *request.mutable_time_off()->mutable_end_time() = ToProto(At(monday_, 14));
  request.mutable_time_off()->set_reason("Training");
  clinic::v1::TimeOff time_off;
  ASSERT_TRUE(practice_->CreateTimeOff(AuthedContext(admin_key_).get(), request, &time_off).ok());

  // No slot overlaps 12:00-14:00.
  std::vector<std::string> expected = Grid(monday_, 9, 0, 11, 0);
  for (const std::string& s : Grid(monday_, 14, 0, 16, 0)) expected.push_back(s);
  EXPECT_EQ(Starts(Search(monday_, monday_)), expected);

  Appointment out;
  grpc::Status status = Book(Draft(patient_.name(), At(monday_, 13)), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "OUTSIDE_WORKING_HOURS");
  EXPECT_EQ(MetadataOf(status).at("cause"), "time_off");
  EXPECT_EQ(ParseRfc3339(MetadataOf(status).at("until_time")), At(monday_, 14));

  status = Book(Draft(patient_.name(), At(monday_, 11, 15)), &out);
  EXPECT_EQ(MetadataOf(status).at("cause"), "time_off");
  // Touching the period at either end is fine.
  MustBook(Draft(patient_.name(), At(monday_, 11)));
  MustBook(Draft(MakePatient(clinic_.name(), "Berta", "Klein").name(), At(monday_, 14)));
}

TEST_F(BookingTest, ClosureIsOutsideWorkingHoursWithCauseClosure) {
  const absl::CivilDay tuesday = monday_ + 1;
  clinic::v1::CreateClosureRequest request;
  request.set_parent(clinic_.name());
  *request.mutable_closure()->mutable_start_time() = ToProto(At(tuesday, 0));
  *request.mutable_closure()->mutable_end_time() = ToProto(At(tuesday + 1, 0));
  request.mutable_closure()->set_reason("Public holiday");
  clinic::v1::Closure closure;
  ASSERT_TRUE(practice_->CreateClosure(AuthedContext(admin_key_).get(), request, &closure).ok());

  Appointment out;
  grpc::Status status = Book(Draft(patient_.name(), At(tuesday, 10)), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "OUTSIDE_WORKING_HOURS");
  EXPECT_EQ(MetadataOf(status).at("cause"), "closure");
  EXPECT_EQ(ParseRfc3339(MetadataOf(status).at("until_time")), At(tuesday + 1, 0));

  EXPECT_EQ(Search(tuesday, tuesday).slots_size(), 0);
  EXPECT_EQ(Search(monday_, tuesday + 1).slots_size(), 2 * 29);
}

TEST_F(BookingTest, UnqualifiedOrInactivePractitionerIsNotAvailable) {
  const clinic::v1::Practitioner unqualified = MakePractitioner(clinic_.name(), "Dr. Neu", {});
  Appointment out;
  grpc::Status status =
      Book(Draft(patient_.name(), At(monday_, 10), false, unqualified.name()), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "PRACTITIONER_NOT_AVAILABLE");
  EXPECT_EQ(MetadataOf(status).at("practitioner"), unqualified.name());
  EXPECT_NE(status.error_message().find("is not qualified for treatmentTypes/microneedling"),
            std::string::npos)
      << status.error_message();

  clinic::v1::UpdatePractitionerRequest update;
  *update.mutable_practitioner() = practitioner_;
  update.mutable_practitioner()->set_active(false);
  update.mutable_update_mask()->add_paths("active");
  clinic::v1::Practitioner updated;
  ASSERT_TRUE(
      practice_->UpdatePractitioner(AuthedContext(admin_key_).get(), update, &updated).ok());
  status = Book(Draft(patient_.name(), At(monday_, 10)), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "PRACTITIONER_NOT_AVAILABLE");
  EXPECT_NE(status.error_message().find("is not active"), std::string::npos)
      << status.error_message();
  // Neither is offered by SearchAvailability.
  EXPECT_EQ(Search(monday_, monday_).slots_size(), 0);
}

TEST_F(BookingTest, RoomWithoutTheDeviceIsUnsuitable) {
  const clinic::v1::Room plain = MakeRoom(clinic_.name(), "Consulting room", {"sink"});
  Appointment out;
  grpc::Status status =
      Book(Draft(patient_.name(), At(monday_, 10), false, "", plain.name()), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "ROOM_UNSUITABLE");
  EXPECT_EQ(MetadataOf(status),
            (std::map<std::string, std::string>{{"room", plain.name()},
                                                {"missing_capabilities", kDevice}}));
  // SearchAvailability only ever offers the equipped room.
  const SearchAvailabilityResponse search = Search(monday_, monday_);
  EXPECT_EQ(search.slots_size(), 29);
  for (const auto& slot : search.slots()) EXPECT_EQ(slot.room(), room_.name());
}

TEST_F(BookingTest, PastStartIsAnInvalidField) {
  Appointment out;
  grpc::Status status = Book(Draft(patient_.name(), absl::Now() - absl::Hours(1)), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"appointment.start_time"}));
}

TEST_F(BookingTest, PatientOfAnotherClinicIsAnInvalidFieldAndNothingIsWritten) {
  const clinic::v1::Clinic elsewhere = MakeClinic("Hautzentrum Nord");
  const clinic::v1::Patient stranger = MakePatient(elsewhere.name(), "Dora", "Fremd");
  Appointment out;
  grpc::Status status = Book(Draft(stranger.name(), At(monday_, 10)), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"appointment.patient"}));
  EXPECT_TRUE(ListNames({}).empty());
}

TEST_F(BookingTest, SecondSessionWithin28DaysIsSeriesSpacing) {
  MustBook(Draft(patient_.name(), At(monday_, 10)));

  Appointment out;
  grpc::Status status = Book(Draft(patient_.name(), At(monday_ + 21, 10)), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "SERIES_SPACING");
  // 28 calendar days later at the same local time.
  EXPECT_EQ(ParseRfc3339(MetadataOf(status).at("earliest_time")), At(monday_ + 28, 10))
      << MetadataOf(status).at("earliest_time");

  // A quarter of an hour short is still too soon; the exact time is fine.
  status = Book(Draft(patient_.name(), At(monday_ + 28, 9, 45)), &out);
  EXPECT_EQ(ReasonOf(status), "SERIES_SPACING");
  EXPECT_EQ(ParseRfc3339(MetadataOf(status).at("earliest_time")), At(monday_ + 28, 10));
  const Appointment second = MustBook(Draft(patient_.name(), At(monday_ + 28, 10)));
  EXPECT_EQ(second.state(), clinic::v1::APPOINTMENT_STATE_BOOKED);

  // Another patient is not affected by Anna's course.
  MustBook(Draft(MakePatient(clinic_.name(), "Berta", "Klein").name(), At(monday_ + 21, 10)));
}

TEST_F(BookingTest, SearchForAPatientOmitsDaysTooCloseToTheirLastSession) {
  MustBook(Draft(patient_.name(), At(monday_, 10)));
  const absl::CivilDay first = monday_ + 21;
  const absl::CivilDay last = monday_ + 30;

  const SearchAvailabilityResponse anyone = Search(first, last);
  ASSERT_GT(anyone.slots_size(), 0);
  EXPECT_EQ(FromProto(anyone.slots(0).start_time()), At(first, 9));
  EXPECT_FALSE(anyone.has_earliest_eligible_time());

  const SearchAvailabilityResponse anna = Search(first, last, false, patient_.name());
  ASSERT_TRUE(anna.has_earliest_eligible_time());
  EXPECT_EQ(FromProto(anna.earliest_eligible_time()), At(monday_ + 28, 10))
      << InBerlin(anna.earliest_eligible_time());
  ASSERT_GT(anna.slots_size(), 0);
  EXPECT_EQ(FromProto(anna.slots(0).start_time()), At(monday_ + 28, 10))
      << InBerlin(anna.slots(0).start_time());
  // Monday from 10:00 (25 slots), then Tuesday and Wednesday (29 each).
  EXPECT_EQ(anna.slots_size(), 25 + 29 + 29);
  for (const auto& slot : anna.slots()) {
    EXPECT_GE(FromProto(slot.start_time()), At(monday_ + 28, 10)) << InBerlin(slot.start_time());
  }
}

TEST_F(BookingTest, RequestIdMakesCreateIdempotent) {
  const Appointment draft = Draft(patient_.name(), At(monday_, 10));
  Appointment first;
  Appointment retry;
  ASSERT_TRUE(Book(draft, &first, "booking-retry-1").ok());
  grpc::Status status = Book(draft, &retry, "booking-retry-1");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(retry.name(), first.name());
  EXPECT_TRUE(MessageDifferencer::Equals(retry, first));

  Appointment changed;
  status = Book(Draft(patient_.name(), At(monday_, 14)), &changed, "booking-retry-1");
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"request_id"}));
  EXPECT_EQ(ListNames({}), (std::vector<std::string>{first.name()}));
}

TEST_F(BookingTest, RescheduleMovesAndRechecksEveryRule) {
  const clinic::v1::Patient other = MakePatient(clinic_.name(), "Berta", "Klein");
  const clinic::v1::Patient third = MakePatient(clinic_.name(), "Carla", "Wolf");
  const Appointment booked = MustBook(Draft(patient_.name(), At(monday_, 10)));

  Appointment moved;
  grpc::Status status = Reschedule(booked, At(monday_, 13), &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(moved.name(), booked.name());
  EXPECT_EQ(FromProto(moved.start_time()), At(monday_, 13));
  EXPECT_EQ(FromProto(moved.end_time()), At(monday_, 14)) << InBerlin(moved.end_time());
  EXPECT_EQ(moved.state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_EQ(moved.etag(), "2");

  // Overlapping only its own old time is no conflict.
  Appointment nudged;
  status = Reschedule(moved, At(monday_, 13, 30), &nudged);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(FromProto(nudged.end_time()), At(monday_, 14, 30));

  // The old slot is free again.
  MustBook(Draft(other.name(), At(monday_, 10)));

  // Onto another booking: refused, nothing changes.
  MustBook(Draft(third.name(), At(monday_, 15)));
  Appointment refused;
  status = Reschedule(nudged, At(monday_, 14, 30), &refused);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "SLOT_TAKEN");
  EXPECT_EQ(MetadataOf(status).at("taken_by"), "practitioner");
  EXPECT_EQ(ParseRfc3339(MetadataOf(status).at("conflict_start_time")), At(monday_, 15));

  // Outside the working day: refused too.
  status = Reschedule(nudged, At(monday_, 16, 30), &refused);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "OUTSIDE_WORKING_HOURS");

  const Appointment stored = Get(booked.name());
  EXPECT_EQ(FromProto(stored.start_time()), At(monday_, 13, 30)) << InBerlin(stored.start_time());
  EXPECT_EQ(FromProto(stored.end_time()), At(monday_, 14, 30));
  EXPECT_EQ(stored.etag(), "3");
}

TEST_F(BookingTest, RescheduleWithStaleEtagIsAborted) {
  const Appointment booked = MustBook(Draft(patient_.name(), At(monday_, 10)));
  Appointment moved;
  ASSERT_TRUE(Reschedule(booked, At(monday_, 11), &moved).ok());
  Appointment lost;
  grpc::Status status = Reschedule(booked, At(monday_, 14), &lost);  // still etag "1"
  ASSERT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "ETAG_MISMATCH");
  EXPECT_EQ(FromProto(Get(booked.name()).start_time()), At(monday_, 11));
}

TEST_F(BookingTest, CancelNeedsAReasonAndFreesTheSlot) {
  const Appointment booked = MustBook(Draft(patient_.name(), At(monday_, 10)));
  Appointment out;
  for (const std::string& reason : {std::string(), std::string(" \t\n")}) {
    grpc::Status status = Cancel(booked.name(), reason, &out);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"reason"}));
  }
  EXPECT_EQ(Get(booked.name()).state(), clinic::v1::APPOINTMENT_STATE_BOOKED);

  grpc::Status status = Cancel(booked.name(), "Patient is ill", &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.state(), clinic::v1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_EQ(Get(booked.name()).cancel_reason(), "Patient is ill");

  // The same patient, practitioner, room and time can be booked again: a
  // cancelled session neither holds the slot nor counts for spacing.
  const Appointment again = MustBook(Draft(patient_.name(), At(monday_, 10)));
  EXPECT_NE(again.name(), booked.name());

  status = Cancel(booked.name(), "Twice", &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "INVALID_STATE_TRANSITION");
}

TEST_F(BookingTest, CheckInThenCompleteStoresTheSessionRecord) {
  const Appointment booked = MustBook(Draft(patient_.name(), At(monday_, 10)));
  const clinic::v1::Patient berta = MakePatient(clinic_.name(), "Berta", "Klein");
  SetTime(At(monday_, 10));
  Appointment checked_in;
  grpc::Status status = CheckIn(booked.name(), &checked_in);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(checked_in.state(), clinic::v1::APPOINTMENT_STATE_CHECKED_IN);
  EXPECT_EQ(checked_in.etag(), "2");

  // A checked-in appointment still holds its slot.
  Appointment out;
  status = Book(Draft(berta.name(), At(monday_, 10, 30)), &out);
  EXPECT_EQ(ReasonOf(status), "SLOT_TAKEN");
  // And cannot be checked in twice.
  status = CheckIn(booked.name(), &out);
  EXPECT_EQ(ReasonOf(status), "INVALID_STATE_TRANSITION");

  clinic::v1::SessionRecord record;
  record.set_summary("full face");
  record.set_needle_depth_mm(1.5);
  record.set_notes("mild erythema, settled after 20 minutes");
  record.add_photo_ids("photo-before-1");
  record.add_photo_ids("photo-after-1");
  Appointment completed;
  status = Complete(booked.name(), record, &completed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(completed.state(), clinic::v1::APPOINTMENT_STATE_COMPLETED);
  const Appointment stored = Get(booked.name());
  EXPECT_EQ(stored.state(), clinic::v1::APPOINTMENT_STATE_COMPLETED);
  EXPECT_TRUE(MessageDifferencer::Equals(stored.session_record(), record))
      << stored.session_record().DebugString();
}

TEST_F(BookingTest, CompletingABookedAppointmentIsAnInvalidTransition) {
  const Appointment booked = MustBook(Draft(patient_.name(), At(monday_, 10)));
  clinic::v1::SessionRecord record;
  record.set_summary("full face");
  Appointment out;
  grpc::Status status = Complete(booked.name(), record, &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "INVALID_STATE_TRANSITION");
  EXPECT_EQ(MetadataOf(status),
            (std::map<std::string, std::string>{{"from_state", "BOOKED"},
                                                {"to_state", "COMPLETED"}}));
  EXPECT_NE(status.error_message().find("BOOKED"), std::string::npos) << status.error_message();
  EXPECT_NE(status.error_message().find("COMPLETED"), std::string::npos)
      << status.error_message();
  const Appointment stored = Get(booked.name());
  EXPECT_EQ(stored.state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_FALSE(stored.has_session_record());
  EXPECT_EQ(stored.etag(), "1");
}

TEST_F(BookingTest, ReschedulingACompletedAppointmentIsAnInvalidTransition) {
  const Appointment booked = MustBook(Draft(patient_.name(), At(monday_, 10)));
  SetTime(At(monday_, 10));
  Appointment out;
  ASSERT_TRUE(CheckIn(booked.name(), &out).ok());
  ASSERT_TRUE(Complete(booked.name(), clinic::v1::SessionRecord(), &out).ok());
  Appointment refused;
  grpc::Status status = Reschedule(out, At(monday_, 14), &refused);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "INVALID_STATE_TRANSITION");
  EXPECT_EQ(MetadataOf(status).at("from_state"), "COMPLETED");
  EXPECT_EQ(FromProto(Get(booked.name()).start_time()), At(monday_, 10));
}

TEST_F(BookingTest, NoShowBeforeTheStartIsTooEarly) {
  const Appointment booked = MustBook(Draft(patient_.name(), At(monday_, 10)));
  clinic::v1::MarkNoShowAppointmentRequest request;
  request.set_name(booked.name());
  Appointment out;
  grpc::Status status =
      booking_->MarkNoShowAppointment(AuthedContext(admin_key_).get(), request, &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "TOO_EARLY");
  EXPECT_EQ(Get(booked.name()).state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
}

TEST_F(BookingTest, ListFiltersByPractitionerAndTimeAndPagesInStartOrder) {
  const clinic::v1::Practitioner second =
      MakePractitioner(clinic_.name(), "Dr. Braun", {kMicroneedling});
  const clinic::v1::Room room2 = MakeRoom(clinic_.name(), "Room 2", {kDevice});
  // Booked out of order, each for its own patient.
  std::map<int, std::string> by_hour;
  for (int hour : {15, 9, 13, 11}) {
    const clinic::v1::Patient p =
        MakePatient(clinic_.name(), "Patient", "Nr" + std::to_string(hour));
    by_hour[hour] = MustBook(Draft(p.name(), At(monday_, hour))).name();
  }
  // A fifth at 10:00 in room 2: room 1 is turned over until 10:15.
  by_hour[10] = MustBook(Draft(MakePatient(clinic_.name(), "Patient", "Nr10").name(),
                               At(monday_, 10), false, "", room2.name()))
                    .name();
  // Not listed: another practitioner, and the next day.
  MustBook(Draft(MakePatient(clinic_.name(), "Other", "Practitioner").name(), At(monday_, 12),
                 false, second.name(), room2.name()));
  MustBook(Draft(MakePatient(clinic_.name(), "Next", "Day").name(), At(monday_ + 1, 10)));

  clinic::v1::ListAppointmentsRequest request;
  request.set_parent(clinic_.name());
  request.set_practitioner(practitioner_.name());
  *request.mutable_start_time() = ToProto(At(monday_, 0));
  *request.mutable_end_time() = ToProto(At(monday_ + 1, 0));
  request.set_page_size(2);
  std::vector<std::string> listed;
  std::vector<int> page_sizes;
  do {
    clinic::v1::ListAppointmentsResponse page;
    grpc::Status status =
        booking_->ListAppointments(AuthedContext(admin_key_).get(), request, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    page_sizes.push_back(page.appointments_size());
    for (const Appointment& a : page.appointments()) listed.push_back(a.name());
    request.set_page_token(page.next_page_token());
    ASSERT_LT(page_sizes.size(), 10u);
  } while (!request.page_token().empty());
  EXPECT_EQ(page_sizes, (std::vector<int>{2, 2, 1}));
  EXPECT_EQ(listed, (std::vector<std::string>{by_hour[9], by_hour[10], by_hour[11], by_hour[13],
                                              by_hour[15]}));

  // end_time is exclusive.
  clinic::v1::ListAppointmentsRequest morning;
  morning.set_practitioner(practitioner_.name());
  *morning.mutable_start_time() = ToProto(At(monday_, 0));
  *morning.mutable_end_time() = ToProto(At(monday_, 11));
  EXPECT_EQ(ListNames(morning), (std::vector<std::string>{by_hour[9], by_hour[10]}));
  // An end time alone bounds the list too.
  clinic::v1::ListAppointmentsRequest until_eleven;
  until_eleven.set_practitioner(practitioner_.name());
  *until_eleven.mutable_end_time() = ToProto(At(monday_, 11));
  EXPECT_EQ(ListNames(until_eleven), (std::vector<std::string>{by_hour[9], by_hour[10]}));
  EXPECT_EQ(ListNames({}).size(), 7u);
}

TEST_F(BookingTest, StoredTimesFollowTheClockChange) {
  // The next spring change whose Monday is still ahead (2027-03-28 for a
  // run in 2026): 09:00 is 08:00 UTC on the Friday before and 07:00 UTC on
  // the Monday after.
  const absl::CivilDay spring = NextClockChange(3);
  ASSERT_EQ(Berlin().At(absl::CivilSecond(spring) + 2 * 3600 + 30 * 60).kind,
            absl::TimeZone::TimeInfo::SKIPPED)
      << spring;
  const absl::CivilDay monday = spring + 1;
  const absl::Time seven_utc = UtcOn(monday, 7);

  const SearchAvailabilityResponse search = Search(monday, monday);
  ASSERT_GT(search.slots_size(), 0);
  EXPECT_EQ(InUtc(search.slots(0).start_time()), InUtc(seven_utc));

  const Appointment after = MustBook(Draft(patient_.name(), At(monday, 9)));
  EXPECT_EQ(InUtc(after.start_time()), InUtc(seven_utc));
  EXPECT_EQ(InUtc(Get(after.name()).start_time()), InUtc(seven_utc));
  EXPECT_EQ(InUtc(after.end_time()), InUtc(UtcOn(monday, 8)));

  const clinic::v1::Patient other = MakePatient(clinic_.name(), "Berta", "Klein");
  const absl::CivilDay friday = spring - 2;
  const Appointment before = MustBook(Draft(other.name(), At(friday, 9)));
  EXPECT_EQ(InUtc(before.start_time()), InUtc(UtcOn(friday, 8)));

  // Autumn the other way round: 07:00 UTC on the Friday before, 08:00 UTC
  // on the Monday after.
  const absl::CivilDay autumn = NextClockChange(10);
  ASSERT_EQ(Berlin().At(absl::CivilSecond(autumn) + 2 * 3600 + 30 * 60).kind,
            absl::TimeZone::TimeInfo::REPEATED)
      << autumn;
  const clinic::v1::Patient third = MakePatient(clinic_.name(), "Carla", "Wolf");
  const Appointment winter = MustBook(Draft(third.name(), At(autumn + 1, 9)));
  EXPECT_EQ(InUtc(winter.start_time()), InUtc(UtcOn(autumn + 1, 8)));
  const clinic::v1::Patient fourth = MakePatient(clinic_.name(), "Dora", "Lang");
  const Appointment summer = MustBook(Draft(fourth.name(), At(autumn - 2, 9)));
  EXPECT_EQ(InUtc(summer.start_time()), InUtc(UtcOn(autumn - 2, 7)));
}

TEST_F(BookingTest, AnOutOfRangeOrFarOffStartIsRefusedAndWritesGoOn) {
  // Outside protobuf's range, with broken nanos, and past the horizon.
  struct Bad {
    int64_t seconds;
    int32_t nanos;
  };
  for (const Bad bad : {Bad{253402300800LL, 0}, Bad{-62135596801LL, 0},
                        Bad{absl::ToUnixSeconds(At(monday_, 10)), -1},
                        Bad{std::numeric_limits<int64_t>::max(), 0}}) {
    Appointment draft = Draft(patient_.name(), At(monday_, 10));
    draft.mutable_start_time()->set_seconds(bad.seconds);
    draft.mutable_start_time()->set_nanos(bad.nanos);
    Appointment out;
    const grpc::Status status = Book(draft, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad.seconds;
    EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"appointment.start_time"}));
  }
  // The year 9999 is a valid timestamp, but no clinic books that far ahead.
  Appointment out;
  grpc::Status status = Book(Draft(patient_.name(), absl::FromCivil(absl::CivilSecond(9999, 6, 1, 10, 0, 0), Berlin())), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("booking horizon of 730 days"), std::string::npos)
      << status.error_message();
  status = Book(Draft(patient_.name(), Now() + absl::Hours(24 * 731)), &out);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"appointment.start_time"}));

  // Moving to such a time is refused the same way, and the server still writes.
  const Appointment booked = MustBook(Draft(patient_.name(), At(monday_, 10)));
  clinic::v1::RescheduleAppointmentRequest move;
  *move.mutable_appointment() = booked;
  move.mutable_appointment()->mutable_start_time()->set_seconds(std::numeric_limits<int64_t>::min());
  move.mutable_update_mask()->add_paths("start_time");
  status = booking_->RescheduleAppointment(AuthedContext(admin_key_).get(), move, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"appointment.start_time"}));
  status = Reschedule(booked, At(monday_, 14), &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace clinicd::testing
