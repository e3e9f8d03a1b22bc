#include "services/domain/practice_validation.h"

#include <map>
#include <string>

#include "absl/status/status.h"
#include "clinic/v1/practice_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_details.h"

namespace clinicd::domain {
namespace {

using ::clinic::v1::Clinic;
using ::clinic::v1::Practitioner;
using ::clinic::v1::Room;
using ::clinicd::test_util::MessageOf;
using ::clinicd::test_util::ViolationFields;
using ::clinicd::test_util::Violations;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

Clinic ValidClinic() {
  Clinic clinic;
  clinic.set_display_name("Hautzentrum Mitte");
  clinic.set_time_zone("Europe/Berlin");
  clinic.set_region_code("DE");
  clinic.set_email("info@hautzentrum.de");
  return clinic;
}

// Adds working hours day HH:00-HH:MM to `practitioner`.
void AddHours(Practitioner& practitioner, google::type::DayOfWeek day,
              int start_hour, int start_minute, int end_hour, int end_minute) {
  auto* interval = practitioner.add_working_hours();
  interval->set_day(day);
  interval->mutable_start_time()->set_hours(start_hour);
  interval->mutable_start_time()->set_minutes(start_minute);
  interval->mutable_end_time()->set_hours(end_hour);
  interval->mutable_end_time()->set_minutes(end_minute);
}

Practitioner ValidPractitioner() {
  Practitioner practitioner;
  practitioner.set_display_name("Dr. Anna Weber");
  return practitioner;
}

absl::Status Check(Practitioner practitioner) {
  return ValidatePractitioner("practitioner", ValidClinic(), practitioner);
}

// --- Clinic ----------------------------------------------------------------

TEST(ValidateClinicTest, AcceptsAndNormalisesPhone) {
  Clinic clinic = ValidClinic();
  clinic.set_phone_number("030 1234567");
  EXPECT_EQ(ValidateClinic("clinic", clinic), absl::OkStatus());
  EXPECT_EQ(clinic.phone_number(), "+49301234567");
}

TEST(ValidateClinicTest, NamesEveryBrokenField) {
  Clinic clinic;
  clinic.set_display_name("  ");
  clinic.set_time_zone("+01:00");
  clinic.set_region_code("de");
  clinic.set_email("a@b");
  const absl::Status status = ValidateClinic("clinic", clinic);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(status),
              ElementsAre("clinic.display_name", "clinic.time_zone",
                          "clinic.region_code", "clinic.email"));
  EXPECT_EQ(Violations(status).at("clinic.display_name"), "is required");
}

TEST(ValidateClinicTest, TooManyAddressLines) {
  Clinic clinic = ValidClinic();
  for (int i = 0; i < 7; ++i) clinic.add_address_lines("line");
  EXPECT_THAT(ViolationFields(ValidateClinic("clinic", clinic)),
              ElementsAre("clinic.address_lines"));
}

TEST(ValidateClinicTest, QuietHoursMustBeSetTogether) {
  Clinic clinic = ValidClinic();
  clinic.mutable_policy()->mutable_quiet_hours_start()->set_hours(21);
  EXPECT_THAT(ViolationFields(ValidateClinic("clinic", clinic)),
              ElementsAre("clinic.policy.quiet_hours_end"));
  clinic.mutable_policy()->mutable_quiet_hours_end()->set_hours(7);
  EXPECT_EQ(ValidateClinic("clinic", clinic), absl::OkStatus());
  clinic.mutable_policy()->mutable_quiet_hours_end()->set_hours(24);
  EXPECT_THAT(ViolationFields(ValidateClinic("clinic", clinic)),
              ElementsAre("clinic.policy.quiet_hours_end"));
}

// --- Practitioner working hours --------------------------------------------

TEST(ValidatePractitionerTest, AcceptsSeparateAndTouchingIntervals) {
  Practitioner practitioner = ValidPractitioner();
  AddHours(practitioner, google::type::MONDAY, 9, 0, 12, 0);
  AddHours(practitioner, google::type::MONDAY, 12, 0, 13, 30);
  AddHours(practitioner, google::type::TUESDAY, 9, 0, 17, 0);
  AddHours(practitioner, google::type::SUNDAY, 0, 0, 23, 59);
  EXPECT_EQ(Check(practitioner), absl::OkStatus());
}

TEST(ValidatePractitionerTest, OverlapNamesBothIntervals) {
  Practitioner practitioner = ValidPractitioner();
  AddHours(practitioner, google::type::MONDAY, 9, 0, 12, 0);
  AddHours(practitioner, google::type::MONDAY, 11, 30, 13, 0);
  const absl::Status status = Check(practitioner);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Violations(status),
              ElementsAre(Pair("practitioner.working_hours[1]",
                               "overlaps working_hours[0] on the same day")));
}

TEST(ValidatePractitionerTest, OverlapIsFoundWhateverTheListOrder) {
  Practitioner practitioner = ValidPractitioner();
  AddHours(practitioner, google::type::FRIDAY, 14, 0, 18, 0);
  AddHours(practitioner, google::type::MONDAY, 9, 0, 10, 0);
  AddHours(practitioner, google::type::FRIDAY, 8, 0, 14, 30);
  EXPECT_THAT(Violations(Check(practitioner)),
              ElementsAre(Pair("practitioner.working_hours[0]",
                               "overlaps working_hours[2] on the same day")));
}

// A long interval can overlap one that is not its neighbour once sorted:
// 09:00-17:00 contains both 10:00-11:00 and 12:00-13:00.
TEST(ValidatePractitionerTest, OverlapWithANonAdjacentIntervalIsFound) {
  Practitioner practitioner = ValidPractitioner();
  AddHours(practitioner, google::type::MONDAY, 9, 0, 17, 0);
  AddHours(practitioner, google::type::MONDAY, 10, 0, 11, 0);
  AddHours(practitioner, google::type::MONDAY, 12, 0, 13, 0);
  const std::map<std::string, std::string> violations =
      Violations(Check(practitioner));
  EXPECT_EQ(violations.count("practitioner.working_hours[1]"), 1u);
  EXPECT_EQ(violations.count("practitioner.working_hours[2]"), 1u)
      << "12:00-13:00 lies inside 09:00-17:00";
}

TEST(ValidatePractitionerTest, EndBeforeOrAtStartIsRefused) {
  Practitioner practitioner = ValidPractitioner();
  AddHours(practitioner, google::type::MONDAY, 12, 0, 9, 0);
  AddHours(practitioner, google::type::TUESDAY, 9, 0, 9, 0);
  EXPECT_THAT(Violations(Check(practitioner)),
              ElementsAre(Pair("practitioner.working_hours[0].end_time",
                               "must be after start_time"),
                          Pair("practitioner.working_hours[1].end_time",
                               "must be after start_time")));
}

TEST(ValidatePractitionerTest, DayMustBeSet) {
  Practitioner practitioner = ValidPractitioner();
  AddHours(practitioner, google::type::DAY_OF_WEEK_UNSPECIFIED, 9, 0, 12, 0);
  EXPECT_THAT(Violations(Check(practitioner)),
              ElementsAre(Pair("practitioner.working_hours[0].day",
                               "must be a day of the week (MONDAY..SUNDAY)")));
}

TEST(ValidatePractitionerTest, TimesMustBeWholeMinutesOfADay) {
  Practitioner practitioner = ValidPractitioner();
  AddHours(practitioner, google::type::MONDAY, 9, 0, 24, 0);
  AddHours(practitioner, google::type::TUESDAY, 9, 60, 10, 0);
  practitioner.add_working_hours()->CopyFrom(practitioner.working_hours(0));
  practitioner.mutable_working_hours(2)->set_day(google::type::WEDNESDAY);
  practitioner.mutable_working_hours(2)->mutable_end_time()->set_hours(10);
  practitioner.mutable_working_hours(2)->mutable_start_time()->set_seconds(30);
  EXPECT_THAT(ViolationFields(Check(practitioner)),
              ElementsAre("practitioner.working_hours[0].end_time",
                          "practitioner.working_hours[1].start_time",
                          "practitioner.working_hours[2].start_time"));
}

TEST(ValidatePractitionerTest, TreatmentTypesAreNamesWithoutRepeats) {
  Practitioner practitioner = ValidPractitioner();
  practitioner.add_treatment_types("treatmentTypes/botox");
  practitioner.add_treatment_types("botox");
  practitioner.add_treatment_types("treatmentTypes/botox");
  const std::map<std::string, std::string> violations =
      Violations(Check(practitioner));
  EXPECT_THAT(
      violations,
      ElementsAre(Pair("practitioner.treatment_types[1]",
                       "must be a treatment type name of the form "
                       "treatmentTypes/{treatment_type}"),
                  Pair("practitioner.treatment_types[2]", "is listed twice")));
}

TEST(ValidatePractitionerTest, PhoneUsesTheClinicsRegion) {
  Practitioner practitioner = ValidPractitioner();
  practitioner.set_phone_number("030 1234567");
  ASSERT_EQ(ValidatePractitioner("practitioner", ValidClinic(), practitioner),
            absl::OkStatus());
  EXPECT_EQ(practitioner.phone_number(), "+49301234567");
}

TEST(ValidatePractitionerTest, NameIsRequiredAndTitleLimited) {
  Practitioner practitioner;
  practitioner.set_title(std::string(101, 'x'));
  EXPECT_THAT(Violations(Check(practitioner)),
              ElementsAre(Pair("practitioner.display_name", "is required"),
                          Pair("practitioner.title",
                               "must be at most 100 characters")));
}

// --- Room ------------------------------------------------------------------

TEST(ValidateRoomTest, AcceptsLowerSnakeCaseCapabilities) {
  Room room;
  room.set_display_name("Laser 1");
  room.add_capabilities("ipl_laser");
  room.add_capabilities("co2_laser");
  EXPECT_EQ(ValidateRoom("room", room), absl::OkStatus());
}

TEST(ValidateRoomTest, CapabilityMustBeLowerSnakeCase) {
  Room room;
  room.set_display_name("Laser 1");
  room.add_capabilities("Laser");
  room.add_capabilities("1laser");
  room.add_capabilities("ipl-laser");
  room.add_capabilities("");
  const absl::Status status = ValidateRoom("room", room);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(status),
              ElementsAre("room.capabilities[0]", "room.capabilities[1]",
                          "room.capabilities[2]", "room.capabilities[3]"));
  EXPECT_EQ(
      Violations(status).at("room.capabilities[0]"),
      "must be lower_snake_case, 1-64 characters, starting with a letter");
}

TEST(ValidateRoomTest, CapabilityListedTwice) {
  Room room;
  room.set_display_name("Laser 1");
  room.add_capabilities("laser");
  room.add_capabilities("laser");
  EXPECT_THAT(Violations(ValidateRoom("room", room)),
              ElementsAre(Pair("room.capabilities[1]", "is listed twice")));
}

TEST(ValidateRoomTest, NameRequired) {
  Room room;
  EXPECT_THAT(ViolationFields(ValidateRoom("room", room)),
              ElementsAre("room.display_name"));
}

// --- Periods ---------------------------------------------------------------

google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp time;
  time.set_seconds(seconds);
  return time;
}

TEST(ValidatePeriodTest, AcceptsStartBeforeEnd) {
  EXPECT_EQ(
      ValidatePeriod("closure", true, At(1000), true, At(2000), "holiday"),
      absl::OkStatus());
}

TEST(ValidatePeriodTest, EndMustBeAfterStart) {
  EXPECT_THAT(
      Violations(ValidatePeriod("closure", true, At(2000), true, At(1000), "")),
      ElementsAre(Pair("closure.end_time", "must be after start_time")));
  EXPECT_THAT(ViolationFields(ValidatePeriod("closure", true, At(1000), true,
                                             At(1000), "")),
              ElementsAre("closure.end_time"));
}

TEST(ValidatePeriodTest, AtMost366Days) {
  constexpr int64_t kDay = 86400;
  EXPECT_EQ(ValidatePeriod("time_off", true, At(1000), true, At(1000 + 366 * kDay), ""),
            absl::OkStatus());
  EXPECT_THAT(Violations(ValidatePeriod("time_off", true, At(1000), true,
                                        At(1000 + 366 * kDay + 1), "")),
              ElementsAre(Pair("time_off.end_time",
                               "must be at most 366 days after start_time; record a longer "
                               "absence as several periods")));
}

TEST(ValidatePeriodTest, BothTimesRequired) {
  EXPECT_THAT(
      Violations(ValidatePeriod("time_off", false, At(0), false, At(0), "")),
      ElementsAre(Pair("time_off.end_time", "is required"),
                  Pair("time_off.start_time", "is required")));
}

TEST(ValidatePeriodTest, ReasonLimitedTo500Characters) {
  EXPECT_EQ(ValidatePeriod("closure", true, At(1), true, At(2),
                           std::string(500, 'x')),
            absl::OkStatus());
  EXPECT_THAT(ViolationFields(ValidatePeriod("closure", true, At(1), true,
                                             At(2), std::string(501, 'x'))),
              ElementsAre("closure.reason"));
}

}  // namespace
}  // namespace clinicd::domain
