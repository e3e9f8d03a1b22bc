#include "services/domain/patient_validation.h"

#include <google/protobuf/util/time_util.h>

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/v1/patient_service.pb.h"
#include "clinic/v1/practice_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_details.h"

namespace clinicd::domain {
namespace {

using ::clinic::v1::ChannelConsent;
using ::clinic::v1::Clinic;
using ::clinic::v1::Patient;
using ::clinicd::test_util::ViolationFields;
using ::clinicd::test_util::Violations;
using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::Pair;

constexpr char kRealDate[] = "must be a real calendar date from 1900 on";
constexpr char kLanguageRule[] =
    "must be a BCP 47 language tag such as `de` or `en-GB`";

// 2024-06-15T10:00:00Z: "now" for every test, so dates are deterministic.
const absl::Time kNow = absl::FromCivil(
    absl::CivilSecond(2024, 6, 15, 10, 0, 0), absl::UTCTimeZone());

Clinic GermanClinic() {
  Clinic clinic;
  clinic.set_region_code("DE");
  return clinic;
}

Patient ValidPatient() {
  Patient patient;
  patient.set_given_name("Lena");
  patient.set_family_name("Schmidt");
  return patient;
}

absl::Status Check(Patient& patient, const Patient* previous = nullptr,
                   absl::Time now = kNow) {
  return ValidatePatient("patient", GermanClinic(), previous, now, patient);
}

Patient WithBirthDate(int year, int month, int day) {
  Patient patient = ValidPatient();
  patient.mutable_birth_date()->set_year(year);
  patient.mutable_birth_date()->set_month(month);
  patient.mutable_birth_date()->set_day(day);
  return patient;
}

// The violation recorded for birth_date, or "" when the date passes.
std::string BirthDateProblem(int year, int month, int day) {
  Patient patient = WithBirthDate(year, month, day);
  const std::map<std::string, std::string> violations =
      Violations(Check(patient));
  auto it = violations.find("patient.birth_date");
  return it == violations.end() ? "" : it->second;
}

ChannelConsent* AddConsent(Patient& patient,
                           clinic::v1::NotificationChannel channel,
                           bool opted_in) {
  ChannelConsent* consent = patient.add_channel_consents();
  consent->set_channel(channel);
  consent->set_opted_in(opted_in);
  return consent;
}

TEST(ValidatePatientTest, AcceptsAMinimalPatient) {
  Patient patient = ValidPatient();
  EXPECT_EQ(Check(patient), absl::OkStatus());
}

TEST(ValidatePatientTest, NamesAreRequired) {
  Patient patient;
  patient.set_given_name(" \t");
  const absl::Status status = Check(patient);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Violations(status),
              ElementsAre(Pair("patient.family_name", "is required"),
                          Pair("patient.given_name", "is required")));
}

TEST(ValidatePatientTest, NamesCountCharactersNotBytes) {
  Patient patient = ValidPatient();
  std::string hundred_umlauts;
  for (int i = 0; i < 100; ++i) hundred_umlauts += "\xc3\xbc";  // ü
  patient.set_family_name(hundred_umlauts);
  EXPECT_EQ(Check(patient), absl::OkStatus());
  patient.set_family_name(hundred_umlauts + "x");
  EXPECT_THAT(ViolationFields(Check(patient)),
              ElementsAre("patient.family_name"));
}

TEST(ValidatePatientTest, PhoneIsNormalisedInTheClinicsRegion) {
  Patient patient = ValidPatient();
  patient.set_phone_number("030 1234567");
  ASSERT_EQ(Check(patient), absl::OkStatus());
  EXPECT_EQ(patient.phone_number(), "+49301234567");
}

TEST(ValidatePatientTest, InvalidPhoneAndEmailAreNamed) {
  Patient patient = ValidPatient();
  patient.set_phone_number("12");
  patient.set_email("lena@");
  EXPECT_THAT(ViolationFields(Check(patient)),
              ElementsAre("patient.phone_number", "patient.email"));
}

TEST(ValidatePatientTest, BirthDateMustBeReal) {
  EXPECT_EQ(BirthDateProblem(1985, 3, 14), "");
  EXPECT_EQ(BirthDateProblem(2000, 2, 29), "");
  EXPECT_EQ(BirthDateProblem(2001, 2, 29), kRealDate);
  EXPECT_EQ(BirthDateProblem(1990, 2, 30), kRealDate);
  EXPECT_EQ(BirthDateProblem(1990, 4, 31), kRealDate);
  EXPECT_EQ(BirthDateProblem(1990, 13, 1), kRealDate);
  EXPECT_EQ(BirthDateProblem(1990, 0, 1), kRealDate);
  EXPECT_EQ(BirthDateProblem(1990, 1, 0), kRealDate);
  EXPECT_EQ(BirthDateProblem(1899, 12, 31), kRealDate);
  EXPECT_EQ(BirthDateProblem(0, 5, 1), kRealDate);  // a birthday without a year
}

TEST(ValidatePatientTest, BirthDateMustNotBeInTheFuture) {
  EXPECT_EQ(BirthDateProblem(2024, 6, 15), "");  // born today
  EXPECT_EQ(BirthDateProblem(2024, 6, 16), "");  // already today east of UTC
  EXPECT_EQ(BirthDateProblem(2024, 6, 17), "must not be in the future");
  EXPECT_EQ(BirthDateProblem(2030, 1, 1), "must not be in the future");
}

TEST(ValidatePatientTest, LanguageTagMustBeBcp47) {
  for (const char* tag : {"de", "en-GB", "pt-BR", "zh-Hant-TW", "gsw"}) {
    Patient patient = ValidPatient();
    patient.set_preferred_language(tag);
    EXPECT_EQ(Check(patient), absl::OkStatus()) << tag;
  }
  for (const char* tag : {"english!", "!", "-", "12"}) {
    Patient patient = ValidPatient();
    patient.set_preferred_language(tag);
    EXPECT_THAT(Violations(Check(patient)),
                ElementsAre(Pair("patient.preferred_language", kLanguageRule)))
        << tag;
  }
}

TEST(ValidatePatientTest, ChannelListedTwiceIsRefused) {
  Patient patient = ValidPatient();
  AddConsent(patient, clinic::v1::NOTIFICATION_CHANNEL_EMAIL, true);
  AddConsent(patient, clinic::v1::NOTIFICATION_CHANNEL_SMS, true);
  AddConsent(patient, clinic::v1::NOTIFICATION_CHANNEL_EMAIL, false);
  EXPECT_THAT(Violations(Check(patient)),
              ElementsAre(Pair("patient.channel_consents[2].channel",
                               "is listed twice")));
}

TEST(ValidatePatientTest, ChannelMustBeKnown) {
  Patient patient = ValidPatient();
  AddConsent(patient, clinic::v1::NOTIFICATION_CHANNEL_UNSPECIFIED, true);
  AddConsent(patient, static_cast<clinic::v1::NotificationChannel>(42), true);
  EXPECT_THAT(Violations(Check(patient)),
              ElementsAre(Pair("patient.channel_consents[0].channel",
                               "must be EMAIL, SMS or WEBHOOK"),
                          Pair("patient.channel_consents[1].channel",
                               "must be EMAIL, SMS or WEBHOOK")));
}

TEST(ValidatePatientTest, NewConsentIsRecordedNow) {
  Patient patient = ValidPatient();
  ChannelConsent* consent =
      AddConsent(patient, clinic::v1::NOTIFICATION_CHANNEL_SMS, true);
  consent->mutable_record_time()->set_seconds(1);  // output only: overwritten
  ASSERT_EQ(Check(patient), absl::OkStatus());
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(
                patient.channel_consents(0).record_time()),
            absl::ToUnixMicros(kNow));
}

TEST(ValidatePatientTest, UnchangedChoiceKeepsItsRecordTime) {
  Patient previous = ValidPatient();
  AddConsent(previous, clinic::v1::NOTIFICATION_CHANNEL_EMAIL, true)
      ->mutable_record_time()
      ->set_seconds(1700000000);
  Patient patient = ValidPatient();
  AddConsent(patient, clinic::v1::NOTIFICATION_CHANNEL_EMAIL, true)
      ->mutable_record_time()
      ->set_seconds(5);
  ASSERT_EQ(Check(patient, &previous), absl::OkStatus());
  EXPECT_EQ(patient.channel_consents(0).record_time().seconds(), 1700000000);
}

TEST(ValidatePatientTest, ChangedChoiceIsRecordedNow) {
  Patient previous = ValidPatient();
  AddConsent(previous, clinic::v1::NOTIFICATION_CHANNEL_EMAIL, true)
      ->mutable_record_time()
      ->set_seconds(1700000000);
  Patient patient = ValidPatient();
  AddConsent(patient, clinic::v1::NOTIFICATION_CHANNEL_EMAIL, false);
  AddConsent(patient, clinic::v1::NOTIFICATION_CHANNEL_SMS, true);
  ASSERT_EQ(Check(patient, &previous), absl::OkStatus());
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(
                patient.channel_consents(0).record_time()),
            absl::ToUnixMicros(kNow));
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(
                patient.channel_consents(1).record_time()),
            absl::ToUnixMicros(kNow));
}

}  // namespace
}  // namespace clinicd::domain
