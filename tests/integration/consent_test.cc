// ConsentService over a real server, and the gates it feeds: the current
// consent form with its text hash, signatures accepted only on that version
// and text with every signer rule, withdrawal that flags future bookings,
// screenings evaluated by the microneedling plugin and reviewed by a
// clinician, GetClearance, and check-in and booking refusing what clearance
// refuses. Berlin dates are computed from now, so nothing is booked in the
// past.

#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.grpc.pb.h"
#include "clinic/v1/treatment_catalog_service.grpc.pb.h"
#include "tests/integration/rpc_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::testing {
namespace {

using clinic::v1::Appointment;
using clinic::v1::Clearance;
using clinic::v1::Consent;
using clinic::v1::ConsentForm;
using clinic::v1::Screening;
using clinic::v1::SignConsentRequest;
using plugins::test_time::At;
using plugins::test_time::MondayAtLeastDaysAhead;
using plugins::test_time::ParseRfc3339;
using plugins::test_time::Berlin;
using plugins::test_time::FromProto;
using plugins::test_time::InBerlin;
using plugins::test_time::InUtc;
using plugins::test_time::ToProto;

constexpr char kMicroneedling[] = "treatmentTypes/microneedling";
constexpr char kCurrentForm[] = "treatmentTypes/microneedling/consentForms/1";
constexpr char kDevice[] = "microneedling_device";

// A complete 1x1 PNG (signature, IHDR, IDAT, IEND).
constexpr unsigned char kTinyPng[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

std::string TinyPng() {
  return std::string(reinterpret_cast<const char*>(kTinyPng), sizeof(kTinyPng));
}

// Lower-case hex SHA-256 of `text`, computed here independently of the server.
std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return "digest failed";
  }
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

// `time` plus `months` calendar months in Berlin: same local time of day,
// the day clamped to the target month's last day.
absl::Time PlusCalendarMonths(absl::Time time, int months) {
  const absl::CivilSecond local = absl::ToCivilSecond(time, Berlin());
  const absl::CivilMonth month = absl::CivilMonth(local) + months;
  const int last_day = (absl::CivilDay(month + 1) - 1).day();
  const absl::CivilSecond target(month.year(), month.month(), std::min(local.day(), last_day),
                                 local.hour(), local.minute(), local.second());
  const absl::Duration fraction = time - absl::FromUnixSeconds(absl::ToUnixSeconds(time));
  return absl::FromCivil(target, Berlin()) + fraction;
}

// The first quarter hour at or after `after` from which two hours stay on
// the same Berlin day (so a session fits a 00:00-23:59 working day).
absl::Time QuarterHourFittingTheDay(absl::Time after) {
  absl::Time start = absl::FromUnixSeconds((absl::ToUnixSeconds(after) + 899) / 900 * 900);
  if (absl::ToCivilDay(start, Berlin()) != absl::ToCivilDay(start + absl::Hours(2), Berlin())) {
    start = At(absl::ToCivilDay(start + absl::Hours(2), Berlin()), 0, 15);
  }
  return start;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ConsentTest : public RpcTest {
 protected:
  void SetUp() override {
    // The server's clock stands at the test's start; check-in tests move it
    // to the session.
    UseTestClock(absl::Now());
    RpcTest::SetUp();
    if (HasFatalFailure()) return;
    consents_ = clinic::v1::ConsentService::NewStub(server_.channel());
    booking_ = clinic::v1::BookingService::NewStub(server_.channel());
    clinic_ = MakeClinic();
    room_ = MakeRoom(clinic_.name(), "Room 1", {kDevice});
    practitioner_ = MakePractitioner(clinic_.name(), "Dr. Weber", {kMicroneedling});
    patient_ = MakePatient(clinic_.name(), "Anna", "Schmidt");
    ASSERT_FALSE(patient_.name().empty());
    form_ = Form();
    ASSERT_FALSE(form_.name().empty());
    monday_ = MondayAtLeastDaysAhead(7);
  }

  ConsentForm Form() {
    clinic::v1::GetConsentFormRequest request;
    request.set_treatment_type(kMicroneedling);
    ConsentForm form;
    grpc::Status status =
        consents_->GetConsentForm(AuthedContext(admin_key_).get(), request, &form);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return form;
  }

  // A valid typed-name signature by the patient on the current form.
  SignConsentRequest SignRequest(const std::string& patient) const {
    SignConsentRequest request;
    request.set_parent(patient);
    Consent* consent = request.mutable_consent();
    consent->set_consent_form(form_.name());
    consent->set_text_sha256(form_.text_sha256());
    consent->set_signer_kind(clinic::v1::SIGNER_KIND_PATIENT);
    consent->set_signer_name("Anna Schmidt");
    consent->set_method(clinic::v1::SIGNATURE_METHOD_TYPED_NAME);
    return request;
  }

  grpc::Status Sign(const SignConsentRequest& request, Consent* out,
                    const std::string& key = "") {
    return consents_->SignConsent(AuthedContext(key.empty() ? admin_key_ : key).get(), request,
                                  out);
  }

  // Signs the current form for `patient`, failing the test when refused.
  Consent MustSign(const std::string& patient) {
    Consent out;
    grpc::Status status = Sign(SignRequest(patient), &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  std::vector<Consent> ListConsents(const std::string& patient) {
    clinic::v1::ListConsentsRequest request;
    request.set_parent(patient);
    clinic::v1::ListConsentsResponse response;
    grpc::Status status =
        consents_->ListConsents(AuthedContext(admin_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.consents().begin(), response.consents().end()};
  }

  int CountScreenings(const std::string& patient) {
    clinic::v1::ListScreeningsRequest request;
    request.set_parent(patient);
    clinic::v1::ListScreeningsResponse response;
    grpc::Status status =
        consents_->ListScreenings(AuthedContext(admin_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.screenings_size();
  }

  grpc::Status Withdraw(const std::string& name, const std::string& reason, Consent* out) {
    clinic::v1::WithdrawConsentRequest request;
    request.set_name(name);
    request.set_reason(reason);
    return consents_->WithdrawConsent(AuthedContext(admin_key_).get(), request, out);
  }

  // A microneedling screening with every question answered and nothing to
  // report: no times (never), no to the yes/no question.
  static Screening NothingToReport() {
    Screening screening;
    screening.set_treatment_type(kMicroneedling);
    for (const char* id : {"isotretinoin_last_dose", "antihistamine_last_dose",
                           "sun_exposure_last", "retinoid_or_vitamin_c_last_use",
                           "peel_or_laser_last", "other_medications"}) {
      screening.add_answers()->set_question_id(id);
    }
    return screening;
  }

  static void AnswerTime(Screening& screening, const std::string& question_id, absl::Time time) {
    for (auto& answer : *screening.mutable_answers()) {
      if (answer.question_id() == question_id) *answer.mutable_time() = ToProto(time);
    }
  }

  static void AnswerYes(Screening& screening, const std::string& question_id) {
    for (auto& answer : *screening.mutable_answers()) {
      if (answer.question_id() == question_id) answer.set_yes(true);
    }
  }

  grpc::Status Submit(const std::string& patient, const Screening& screening, Screening* out) {
    clinic::v1::SubmitScreeningRequest request;
    request.set_parent(patient);
    *request.mutable_screening() = screening;
    return consents_->SubmitScreening(AuthedContext(admin_key_).get(), request, out);
  }

  grpc::Status Review(const std::string& name, const clinic::v1::ScreeningReview& review,
                      Screening* out, const std::string& key = "") {
    clinic::v1::ReviewScreeningRequest request;
    request.set_name(name);
    *request.mutable_review() = review;
    return consents_->ReviewScreening(AuthedContext(key.empty() ? admin_key_ : key).get(),
                                      request, out);
  }

  // A clinician's review by `reviewer` clearing the screening.
  static clinic::v1::ScreeningReview ClearingReview(const std::string& reviewer) {
    clinic::v1::ScreeningReview review;
    review.set_reviewer(reviewer);
    review.set_outcome(clinic::v1::SCREENING_OUTCOME_CLEARED);
    review.set_reason("Only a vitamin D supplement; no bleeding risk.");
    return review;
  }

  Clearance ClearanceAt(const std::string& patient, absl::Time time) {
    clinic::v1::GetClearanceRequest request;
    request.set_patient(patient);
    request.set_treatment_type(kMicroneedling);
    *request.mutable_time() = ToProto(time);
    Clearance clearance;
    grpc::Status status =
        consents_->GetClearance(AuthedContext(admin_key_).get(), request, &clearance);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return clearance;
  }

  static std::vector<std::string> Reasons(const Clearance& clearance) {
    std::vector<std::string> reasons;
    for (const auto& reason : clearance.reasons()) reasons.push_back(reason.reason());
    return reasons;
  }

  // A microneedling appointment for `patient` at `start`.
  Appointment Draft(const std::string& patient, absl::Time start,
                    const std::string& practitioner = "") const {
    Appointment appointment;
    appointment.set_patient(patient);
    appointment.set_treatment_type(kMicroneedling);
    appointment.set_practitioner(practitioner.empty() ? practitioner_.name() : practitioner);
    appointment.set_room(room_.name());
    *appointment.mutable_start_time() = ToProto(start);
    return appointment;
  }

  grpc::Status Book(const Appointment& draft, Appointment* out) {
    clinic::v1::CreateAppointmentRequest request;
    request.set_parent(clinic_.name());
    *request.mutable_appointment() = draft;
    return booking_->CreateAppointment(AuthedContext(admin_key_).get(), request, out);
  }

  Appointment MustBook(const Appointment& draft) {
    Appointment out;
    grpc::Status status = Book(draft, &out);
    EXPECT_TRUE(status.ok()) << InBerlin(draft.start_time()) << ": " << status.error_message();
    return out;
  }

  Appointment GetAppointment(const std::string& name) {
    clinic::v1::GetAppointmentRequest request;
    request.set_name(name);
    Appointment out;
    grpc::Status status =
        booking_->GetAppointment(AuthedContext(admin_key_).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  grpc::Status CheckIn(const std::string& name, Appointment* out) {
    clinic::v1::CheckInAppointmentRequest request;
    request.set_name(name);
    return booking_->CheckInAppointment(AuthedContext(admin_key_).get(), request, out);
  }

  std::unique_ptr<clinic::v1::ConsentService::Stub> consents_;
  std::unique_ptr<clinic::v1::BookingService::Stub> booking_;
  clinic::v1::Clinic clinic_;
  clinic::v1::Room room_;
  clinic::v1::Practitioner practitioner_;
  clinic::v1::Patient patient_;
  ConsentForm form_;
  absl::CivilDay monday_;
};

using Strings = std::vector<std::string>;
using Fields = std::set<std::string>;

// ---------------------------------------------------------------- forms

TEST_F(ConsentTest, ConsentFormIsTheCurrentVersionWithTheHashOfItsText) {
  EXPECT_EQ(form_.name(), kCurrentForm);
  EXPECT_EQ(form_.version(), "1");
  EXPECT_TRUE(form_.current());
  ASSERT_FALSE(form_.text().empty());
  EXPECT_EQ(form_.text_sha256(), Sha256Hex(form_.text()));
  EXPECT_EQ(form_.text_sha256().size(), 64u);

  clinic::v1::GetConsentFormRequest request;
  request.set_treatment_type("treatmentTypes/tattoo_removal");
  ConsentForm form;
  grpc::Status status = consents_->GetConsentForm(AuthedContext(admin_key_).get(), request, &form);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------- signing

TEST_F(ConsentTest, SignConsentStampsSignAndExpiryTimesInTheClinicZone) {
  const absl::Time before = Now();
  Consent consent;
  grpc::Status status = Sign(SignRequest(patient_.name()), &consent);
  const absl::Time after = Now();
  ASSERT_TRUE(status.ok()) << status.error_message();

  EXPECT_TRUE(Contains(consent.name(), patient_.name() + "/consents/")) << consent.name();
  EXPECT_EQ(consent.consent_form(), kCurrentForm);
  EXPECT_EQ(consent.state(), clinic::v1::CONSENT_STATE_ACTIVE);
  EXPECT_EQ(consent.signer_name(), "Anna Schmidt");
  EXPECT_FALSE(consent.has_withdraw_time());
  ASSERT_TRUE(consent.has_sign_time());
  const absl::Time signed_at = FromProto(consent.sign_time());
  EXPECT_GE(signed_at, before - absl::Seconds(1)) << InUtc(signed_at);
  EXPECT_LE(signed_at, after + absl::Seconds(1)) << InUtc(signed_at);
  ASSERT_TRUE(consent.has_expire_time());
  EXPECT_EQ(InBerlin(consent.expire_time()), InBerlin(PlusCalendarMonths(signed_at, 12)))
      << "valid for 12 calendar months in Europe/Berlin from " << InBerlin(signed_at);
  EXPECT_EQ(FromProto(consent.expire_time()), PlusCalendarMonths(signed_at, 12));

  clinic::v1::GetConsentRequest get;
  get.set_name(consent.name());
  Consent fetched;
  ASSERT_TRUE(consents_->GetConsent(AuthedContext(admin_key_).get(), get, &fetched).ok());
  EXPECT_EQ(fetched.state(), clinic::v1::CONSENT_STATE_ACTIVE);
  EXPECT_EQ(fetched.sign_time().seconds(), consent.sign_time().seconds());
}

TEST_F(ConsentTest, SigningAnOldFormVersionNamesTheCurrentForm) {
  SignConsentRequest request = SignRequest(patient_.name());
  request.mutable_consent()->set_consent_form("treatmentTypes/microneedling/consentForms/0");
  Consent out;
  grpc::Status status = Sign(request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "FORM_VERSION_NOT_CURRENT");
  EXPECT_EQ(MetadataOf(status)["current_form"], kCurrentForm);
  EXPECT_TRUE(Contains(status.error_message(), kCurrentForm)) << status.error_message();
  EXPECT_TRUE(ListConsents(patient_.name()).empty());
}

TEST_F(ConsentTest, SigningWithAnotherTextHashIsTextMismatch) {
  SignConsentRequest request = SignRequest(patient_.name());
  request.mutable_consent()->set_text_sha256(Sha256Hex(form_.text() + " "));
  Consent out;
  grpc::Status status = Sign(request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "TEXT_MISMATCH");
  EXPECT_TRUE(ListConsents(patient_.name()).empty());

  request.mutable_consent()->clear_text_sha256();
  status = Sign(request, &out);
  EXPECT_EQ(ReasonOf(status), "TEXT_MISMATCH") << "a missing hash is no proof either";
  EXPECT_TRUE(ListConsents(patient_.name()).empty());
}

TEST_F(ConsentTest, SignerRulesNameEveryMissingField) {
  SignConsentRequest request = SignRequest(patient_.name());
  request.mutable_consent()->set_signer_kind(clinic::v1::SIGNER_KIND_GUARDIAN);
  request.mutable_consent()->set_signer_name("  ");
  Consent out;
  grpc::Status status = Sign(request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status),
            (Fields{"consent.signer_name", "consent.signer_relationship"}));

  request.mutable_consent()->set_signer_name("Petra Schmidt");
  request.mutable_consent()->set_signer_relationship("mother");
  ASSERT_TRUE(Sign(request, &out).ok()) << "a guardian with name and relationship may sign";
  EXPECT_EQ(out.signer_kind(), clinic::v1::SIGNER_KIND_GUARDIAN);
  EXPECT_EQ(out.signer_relationship(), "mother");
  EXPECT_EQ(ListConsents(patient_.name()).size(), 1u);
}

TEST_F(ConsentTest, DrawnSignatureMustBeAPngOfAtMost512KiB) {
  SignConsentRequest request = SignRequest(patient_.name());
  request.mutable_consent()->set_method(clinic::v1::SIGNATURE_METHOD_DRAWN);
  Consent out;
  grpc::Status status = Sign(request, &out);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"consent.signature_image"})) << "no image at all";

  request.mutable_consent()->set_signature_image(std::string("\xff\xd8\xff\xe0JFIF\0\x01", 10));
  status = Sign(request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"consent.signature_image"})) << "a JPEG is refused";

  request.mutable_consent()->set_signature_image(TinyPng() + std::string(512 * 1024, '\0'));
  status = Sign(request, &out);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"consent.signature_image"})) << "over 512 KiB";
  EXPECT_TRUE(ListConsents(patient_.name()).empty());

  request.mutable_consent()->set_signature_image(TinyPng());
  status = Sign(request, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.method(), clinic::v1::SIGNATURE_METHOD_DRAWN);
  EXPECT_EQ(out.signature_image(), TinyPng());
  EXPECT_EQ(out.state(), clinic::v1::CONSENT_STATE_ACTIVE);
}

TEST_F(ConsentTest, VerbalConsentNeedsAWitnessFromThisClinic) {
  SignConsentRequest request = SignRequest(patient_.name());
  request.mutable_consent()->set_method(clinic::v1::SIGNATURE_METHOD_VERBAL);
  Consent out;
  grpc::Status status = Sign(request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"consent.witness"})) << "no witness";

  const clinic::v1::Clinic other = MakeClinic("Hautzentrum Nord");
  const clinic::v1::Practitioner stranger = MakePractitioner(other.name(), "Dr. Berg", {});
  request.mutable_consent()->set_witness(stranger.name());
  status = Sign(request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"consent.witness"})) << "a witness of another clinic";
  EXPECT_TRUE(ListConsents(patient_.name()).empty());

  request.mutable_consent()->set_witness(practitioner_.name());
  status = Sign(request, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.witness(), practitioner_.name());
  EXPECT_EQ(out.method(), clinic::v1::SIGNATURE_METHOD_VERBAL);
}

TEST_F(ConsentTest, SignConsentIsIdempotentByRequestId) {
  SignConsentRequest request = SignRequest(patient_.name());
  request.set_request_id("4a6f2c1e-sign-once");
  Consent first;
  ASSERT_TRUE(Sign(request, &first).ok());
  Consent again;
  grpc::Status status = Sign(request, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(again.sign_time().seconds(), first.sign_time().seconds());
  EXPECT_EQ(ListConsents(patient_.name()).size(), 1u);

  request.set_request_id("4a6f2c1e-sign-twice");
  Consent second;
  ASSERT_TRUE(Sign(request, &second).ok());
  EXPECT_NE(second.name(), first.name()) << "another request id is another signature";
  EXPECT_EQ(ListConsents(patient_.name()).size(), 2u);
}

TEST_F(ConsentTest, RefusedSignaturesWriteNothing) {
  Consent out;
  SignConsentRequest old_version = SignRequest(patient_.name());
  old_version.mutable_consent()->set_consent_form("treatmentTypes/microneedling/consentForms/0");
  EXPECT_FALSE(Sign(old_version, &out).ok());
  SignConsentRequest wrong_hash = SignRequest(patient_.name());
  wrong_hash.mutable_consent()->set_text_sha256(std::string(64, '0'));
  EXPECT_FALSE(Sign(wrong_hash, &out).ok());
  SignConsentRequest unnamed = SignRequest(patient_.name());
  unnamed.mutable_consent()->clear_signer_name();
  EXPECT_FALSE(Sign(unnamed, &out).ok());
  SignConsentRequest unknown_type = SignRequest(patient_.name());
  unknown_type.mutable_consent()->set_consent_form("treatmentTypes/tattoo_removal/consentForms/1");
  grpc::Status status = Sign(unknown_type, &out);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"consent.consent_form"}));

  EXPECT_TRUE(ListConsents(patient_.name()).empty());
  const Clearance clearance = ClearanceAt(patient_.name(), At(monday_, 10));
  EXPECT_EQ(Reasons(clearance), (Strings{"CONSENT_REQUIRED", "SCREENING_REQUIRED"}));
}

// ---------------------------------------------------------------- withdrawal

TEST_F(ConsentTest, WithdrawalNeedsAReason) {
  const Consent consent = MustSign(patient_.name());
  Consent out;
  grpc::Status status = Withdraw(consent.name(), " \n", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"reason"}));
  const std::vector<Consent> listed = ListConsents(patient_.name());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].state(), clinic::v1::CONSENT_STATE_ACTIVE);
  EXPECT_FALSE(listed[0].has_withdraw_time());
}

TEST_F(ConsentTest, WithdrawalFlagsOnlyThisPatientsFutureBookingsAndBlocksCheckIn) {
  ClearForMicroneedling(patient_.name());
  const clinic::v1::Patient other = MakePatient(clinic_.name(), "Jonas", "Becker");
  ClearForMicroneedling(other.name());
  const Appointment mine = MustBook(Draft(patient_.name(), At(monday_, 10)));
  const Appointment theirs = MustBook(Draft(other.name(), At(monday_, 12)));
  ASSERT_FALSE(mine.consent_withdrawn());
  const std::vector<Consent> signed_consents = ListConsents(patient_.name());
  ASSERT_EQ(signed_consents.size(), 1u);

  const absl::Time before = Now();
  Consent withdrawn;
  grpc::Status status =
      Withdraw(signed_consents[0].name(), "Patient changed her mind.", &withdrawn);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(withdrawn.state(), clinic::v1::CONSENT_STATE_WITHDRAWN);
  ASSERT_TRUE(withdrawn.has_withdraw_time());
  EXPECT_GE(FromProto(withdrawn.withdraw_time()), before - absl::Seconds(1));
  EXPECT_LE(FromProto(withdrawn.withdraw_time()), Now() + absl::Seconds(1));
  EXPECT_EQ(withdrawn.withdraw_reason(), "Patient changed her mind.");
  EXPECT_EQ(ListConsents(patient_.name())[0].state(), clinic::v1::CONSENT_STATE_WITHDRAWN);

  EXPECT_TRUE(GetAppointment(mine.name()).consent_withdrawn());
  EXPECT_EQ(GetAppointment(mine.name()).state(), clinic::v1::APPOINTMENT_STATE_BOOKED)
      << "flagged, not cancelled";
  EXPECT_FALSE(GetAppointment(theirs.name()).consent_withdrawn());

  Consent again;
  status = Withdraw(signed_consents[0].name(), "Asked twice.", &again);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "ALREADY_WITHDRAWN");
  EXPECT_EQ(ListConsents(patient_.name())[0].withdraw_reason(), "Patient changed her mind.");

  Appointment checked_in;
  SetTime(At(monday_, 10));
  status = CheckIn(mine.name(), &checked_in);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "CONSENT_REQUIRED");
  EXPECT_EQ(MetadataOf(status)["reasons"], "CONSENT_REQUIRED");
  EXPECT_EQ(GetAppointment(mine.name()).state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
  SetTime(At(monday_, 12));
  ASSERT_TRUE(CheckIn(theirs.name(), &checked_in).ok()) << "the other patient is unaffected";
}

// ---------------------------------------------------------------- screening

using ScreeningTest = ConsentTest;

TEST_F(ScreeningTest, IsotretinoinAMonthAgoContraindicatesUntilSixCalendarMonthsAfterTheDose) {
  // A month ago at 10:00 Berlin (day capped at 28, so no month clamps it).
  const absl::CivilDay today = absl::ToCivilDay(Now(), Berlin());
  const absl::CivilMonth last_month = absl::CivilMonth(today) - 1;
  const absl::CivilDay dose_day(last_month.year(), last_month.month(), std::min(today.day(), 28));
  const absl::Time dose = At(dose_day, 10);
  const absl::CivilMonth lifts = last_month + 6;
  const absl::Time expected =
      At(absl::CivilDay(lifts.year(), lifts.month(), dose_day.day()), 10);

  Screening screening = NothingToReport();
  AnswerTime(screening, "isotretinoin_last_dose", dose);
  Screening out;
  grpc::Status status = Submit(patient_.name(), screening, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(Contains(out.name(), patient_.name() + "/screenings/")) << out.name();
  EXPECT_EQ(out.outcome(), clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED);
  ASSERT_TRUE(out.has_until_time());
  EXPECT_EQ(InBerlin(out.until_time()), InBerlin(expected))
      << "six calendar months after " << InBerlin(dose) << ", same local time";
  ASSERT_EQ(out.findings_size(), 1);
  EXPECT_EQ(out.findings(0).rule_id(), "isotretinoin_within_6_months");
  EXPECT_EQ(out.findings(0).outcome(), clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED);
  EXPECT_TRUE(out.has_create_time());
  EXPECT_TRUE(out.has_evaluate_time()) << "evaluated for now when no time is given";

  MustSign(patient_.name());
  const Clearance clearance = ClearanceAt(patient_.name(), Now() + absl::Hours(1));
  EXPECT_FALSE(clearance.treatable());
  EXPECT_EQ(Reasons(clearance), (Strings{"CONTRAINDICATED"}));
  ASSERT_TRUE(clearance.has_earliest_treatable_time());
  EXPECT_EQ(InBerlin(clearance.earliest_treatable_time()), InBerlin(expected));
}

TEST_F(ScreeningTest, EverySeedRuleThroughTheApiAtItsBoundary) {
  // Each timed rule: answered so its window ends exactly at the session,
  // the session is cleared; one second later, it is restricted until then.
  const absl::Time session = At(MondayAtLeastDaysAhead(14), 10);
  const absl::CivilDay day = absl::ToCivilDay(session, Berlin());
  struct Rule {
    const char* question;
    const char* rule_id;
    clinic::v1::ScreeningOutcome outcome;
    absl::Time window_start;  // answer whose window ends exactly at `session`
  };
  // Answers are facts that have happened: the clock stands just before the
  // session, after the latest of them.
  SetTime(session - absl::Minutes(1));
  const Rule rules[] = {
      {"isotretinoin_last_dose", "isotretinoin_within_6_months",
       clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED, PlusCalendarMonths(session, -6)},
      {"antihistamine_last_dose", "antihistamine_within_24_hours",
       clinic::v1::SCREENING_OUTCOME_DEFERRED, session - absl::Hours(24)},
      {"sun_exposure_last", "sun_within_12_hours", clinic::v1::SCREENING_OUTCOME_DEFERRED,
       session - absl::Hours(12)},
      {"retinoid_or_vitamin_c_last_use", "actives_within_3_days",
       clinic::v1::SCREENING_OUTCOME_DEFERRED, At(day - 3, 10)},
      {"peel_or_laser_last", "peel_or_laser_within_7_days", clinic::v1::SCREENING_OUTCOME_DEFERRED,
       At(day - 7, 10)},
  };
  for (const Rule& rule : rules) {
    SCOPED_TRACE(rule.question);
    Screening at_edge = NothingToReport();
    *at_edge.mutable_evaluate_time() = ToProto(session);
    AnswerTime(at_edge, rule.question, rule.window_start);
    Screening out;
    ASSERT_TRUE(Submit(patient_.name(), at_edge, &out).ok());
    EXPECT_EQ(out.outcome(), clinic::v1::SCREENING_OUTCOME_CLEARED);

    Screening inside = NothingToReport();
    *inside.mutable_evaluate_time() = ToProto(session);
    AnswerTime(inside, rule.question, rule.window_start + absl::Seconds(1));
    ASSERT_TRUE(Submit(patient_.name(), inside, &out).ok());
    EXPECT_EQ(out.outcome(), rule.outcome);
    ASSERT_EQ(out.findings_size(), 1);
    EXPECT_EQ(out.findings(0).rule_id(), rule.rule_id);
    EXPECT_EQ(InUtc(out.until_time()), InUtc(ToProto(session + absl::Seconds(1))));
  }
  // The yes/no rule: medications ask for a clinician's review.
  Screening medications = NothingToReport();
  AnswerYes(medications, "other_medications");
  Screening out;
  ASSERT_TRUE(Submit(patient_.name(), medications, &out).ok());
  EXPECT_EQ(out.outcome(), clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW);
}

TEST_F(ScreeningTest, MissingAnswerIsRefusedNamingTheQuestion) {
  Screening screening = NothingToReport();
  screening.mutable_answers()->erase(screening.mutable_answers()->begin() + 1);  // antihistamine
  Screening out;
  grpc::Status status = Submit(patient_.name(), screening, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"screening.answers"}));
  EXPECT_TRUE(Contains(status.error_message(), "antihistamine_last_dose"))
      << status.error_message();
  EXPECT_EQ(CountScreenings(patient_.name()), 0);

  Screening unknown = NothingToReport();
  unknown.add_answers()->set_question_id("favourite_colour");
  status = Submit(patient_.name(), unknown, &out);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"screening.answers"}));
  EXPECT_TRUE(Contains(status.error_message(), "favourite_colour")) << status.error_message();
  EXPECT_EQ(CountScreenings(patient_.name()), 0);
}

TEST_F(ScreeningTest, OtherMedicationsNeedAClinicianReviewBeforeTreatment) {
  MustSign(patient_.name());
  Screening screening = NothingToReport();
  AnswerYes(screening, "other_medications");
  Screening out;
  ASSERT_TRUE(Submit(patient_.name(), screening, &out).ok());
  EXPECT_EQ(out.outcome(), clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW);
  EXPECT_FALSE(out.has_until_time());
  ASSERT_EQ(out.findings_size(), 1);
  EXPECT_EQ(out.findings(0).rule_id(), "medications_need_review");
  EXPECT_FALSE(out.has_review());

  const Clearance clearance = ClearanceAt(patient_.name(), At(monday_, 10));
  EXPECT_FALSE(clearance.treatable());
  EXPECT_EQ(Reasons(clearance), (Strings{"REVIEW_REQUIRED"}));
  EXPECT_FALSE(clearance.has_earliest_treatable_time());
}

TEST_F(ScreeningTest, ReviewNeedsAReasonAnOutcomeAndAReviewerOfThisClinic) {
  Screening screening = NothingToReport();
  AnswerYes(screening, "other_medications");
  Screening submitted;
  ASSERT_TRUE(Submit(patient_.name(), screening, &submitted).ok());

  clinic::v1::ScreeningReview review = ClearingReview(practitioner_.name());
  review.clear_reason();
  Screening out;
  grpc::Status status = Review(submitted.name(), review, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"review.reason"}));

  review = ClearingReview(practitioner_.name());
  review.set_outcome(clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW);
  status = Review(submitted.name(), review, &out);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"review.outcome"}));

  const clinic::v1::Clinic other = MakeClinic("Hautzentrum Nord");
  const clinic::v1::Practitioner stranger = MakePractitioner(other.name(), "Dr. Berg", {});
  status = Review(submitted.name(), ClearingReview(stranger.name()), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (Fields{"review.reviewer"}));

  clinic::v1::GetScreeningRequest get;
  get.set_name(submitted.name());
  Screening fetched;
  ASSERT_TRUE(consents_->GetScreening(AuthedContext(admin_key_).get(), get, &fetched).ok());
  EXPECT_FALSE(fetched.has_review()) << "refused reviews record nothing";
}

TEST_F(ScreeningTest, ClinicianReviewIsStoredAndClearsTheSession) {
  MustSign(patient_.name());
  Screening screening = NothingToReport();
  AnswerYes(screening, "other_medications");
  Screening submitted;
  ASSERT_TRUE(Submit(patient_.name(), screening, &submitted).ok());
  EXPECT_EQ(Reasons(ClearanceAt(patient_.name(), At(monday_, 10))),
            (Strings{"REVIEW_REQUIRED"}));

  const absl::Time before = Now();
  Screening reviewed;
  grpc::Status status =
      Review(submitted.name(), ClearingReview(practitioner_.name()), &reviewed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(reviewed.has_review());
  EXPECT_EQ(reviewed.review().reviewer(), practitioner_.name());
  EXPECT_EQ(reviewed.review().outcome(), clinic::v1::SCREENING_OUTCOME_CLEARED);
  EXPECT_EQ(reviewed.review().reason(), "Only a vitamin D supplement; no bleeding risk.");
  ASSERT_TRUE(reviewed.review().has_review_time());
  EXPECT_GE(FromProto(reviewed.review().review_time()), before - absl::Seconds(1));
  EXPECT_LE(FromProto(reviewed.review().review_time()), Now() + absl::Seconds(1));
  EXPECT_EQ(reviewed.outcome(), clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW)
      << "the plugin's evaluation is kept beside the review";

  clinic::v1::GetScreeningRequest get;
  get.set_name(submitted.name());
  Screening fetched;
  ASSERT_TRUE(consents_->GetScreening(AuthedContext(admin_key_).get(), get, &fetched).ok());
  EXPECT_EQ(fetched.review().reviewer(), practitioner_.name());
  EXPECT_EQ(fetched.review().review_time().seconds(), reviewed.review().review_time().seconds());

  const Clearance clearance = ClearanceAt(patient_.name(), At(monday_, 10));
  EXPECT_TRUE(clearance.treatable()) << clearance.ShortDebugString();
  EXPECT_TRUE(clearance.reasons().empty());
}

// ---------------------------------------------------------------- clearance gates

using ClearanceGateTest = ConsentTest;

TEST_F(ClearanceGateTest, NothingOnFileNeedsConsentAndScreening) {
  const Clearance clearance = ClearanceAt(patient_.name(), At(monday_, 10));
  EXPECT_FALSE(clearance.treatable());
  EXPECT_EQ(Reasons(clearance), (Strings{"CONSENT_REQUIRED", "SCREENING_REQUIRED"}));
  EXPECT_FALSE(clearance.has_earliest_treatable_time());

  clinic::v1::GetClearanceRequest request;
  request.set_patient(clinic_.name() + "/patients/nobody");
  request.set_treatment_type(kMicroneedling);
  Clearance out;
  grpc::Status status = consents_->GetClearance(AuthedContext(admin_key_).get(), request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ClearanceGateTest, CheckInIsRefusedUntilConsentAndScreeningAreOnFile) {
  const Appointment booked = MustBook(Draft(patient_.name(), At(monday_, 10)));
  ASSERT_FALSE(booked.name().empty()) << "booking needs no consent by default";

  SetTime(At(monday_, 10));
  Appointment out;
  grpc::Status status = CheckIn(booked.name(), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "CONSENT_REQUIRED");
  EXPECT_EQ(MetadataOf(status)["reasons"], "CONSENT_REQUIRED,SCREENING_REQUIRED");
  // One line of advice per reason, for clients that list them.
  EXPECT_TRUE(Contains(MetadataOf(status)["advice_CONSENT_REQUIRED"], "consent"))
      << MetadataOf(status)["advice_CONSENT_REQUIRED"];
  EXPECT_TRUE(Contains(MetadataOf(status)["advice_SCREENING_REQUIRED"], "screening"));
  EXPECT_EQ(MetadataOf(status).count("earliest_treatable_time"), 0u);
  EXPECT_TRUE(Contains(status.error_message(), "consent")) << status.error_message();
  EXPECT_TRUE(Contains(status.error_message(), "screening")) << status.error_message();
  EXPECT_EQ(GetAppointment(booked.name()).state(), clinic::v1::APPOINTMENT_STATE_BOOKED);

  ClearForMicroneedling(patient_.name());
  status = CheckIn(booked.name(), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.state(), clinic::v1::APPOINTMENT_STATE_CHECKED_IN);
}

TEST_F(ClearanceGateTest, BookingInsideAScreeningDeferralIsRefusedWithWhenItLifts) {
  const clinic::v1::Practitioner night =
      MakeAroundTheClockPractitioner(clinic_.name(), "Dr. Nacht");
  const absl::Time now = Now();
  const absl::Time dose = absl::FromUnixSeconds(absl::ToUnixSeconds(now - absl::Hours(1)));
  const absl::Time lifts = dose + absl::Hours(24);
  const absl::Time start = QuarterHourFittingTheDay(now + absl::Hours(2));
  ASSERT_LT(start, lifts) << "the session must fall inside the 24 hours";

  Screening screening = NothingToReport();
  AnswerTime(screening, "antihistamine_last_dose", dose);
  *screening.mutable_evaluate_time() = ToProto(start);
  Screening submitted;
  ASSERT_TRUE(Submit(patient_.name(), screening, &submitted).ok());
  ASSERT_EQ(submitted.outcome(), clinic::v1::SCREENING_OUTCOME_DEFERRED);
  EXPECT_EQ(InUtc(submitted.until_time()), InUtc(lifts));

  Appointment out;
  grpc::Status status = Book(Draft(patient_.name(), start, night.name()), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "DEFERRED") << status.error_message();
  std::map<std::string, std::string> metadata = MetadataOf(status);
  EXPECT_EQ(metadata["reasons"], "DEFERRED")
      << "a missing consent does not block booking unless the clinic asks for it";
  ASSERT_EQ(metadata.count("earliest_treatable_time"), 1u)
      << "only time stands between this patient and a booking: " << status.error_message();
  EXPECT_EQ(InUtc(ParseRfc3339(metadata["earliest_treatable_time"])), InUtc(lifts));
}

TEST_F(ClearanceGateTest, BookingRefusalWithConsentOnFileNamesWhenTheDeferralLifts) {
  MustSign(patient_.name());
  const clinic::v1::Practitioner night =
      MakeAroundTheClockPractitioner(clinic_.name(), "Dr. Nacht");
  const absl::Time now = Now();
  const absl::Time dose = absl::FromUnixSeconds(absl::ToUnixSeconds(now - absl::Hours(1)));
  const absl::Time lifts = dose + absl::Hours(24);
  const absl::Time start = QuarterHourFittingTheDay(now + absl::Hours(2));
  ASSERT_LT(start, lifts);

  Screening screening = NothingToReport();
  AnswerTime(screening, "antihistamine_last_dose", dose);
  *screening.mutable_evaluate_time() = ToProto(start);
  Screening submitted;
  ASSERT_TRUE(Submit(patient_.name(), screening, &submitted).ok());

  Appointment out;
  grpc::Status status = Book(Draft(patient_.name(), start, night.name()), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "DEFERRED") << status.error_message();
  EXPECT_EQ(InUtc(ParseRfc3339(MetadataOf(status)["earliest_treatable_time"])), InUtc(lifts));

  const absl::Time later = QuarterHourFittingTheDay(lifts);
  status = Book(Draft(patient_.name(), later, night.name()), &out);
  EXPECT_TRUE(status.ok()) << "from " << InBerlin(later) << " on the deferral no longer applies: "
                           << status.error_message();
}

TEST_F(ClearanceGateTest, ClinicPolicyCanRequireConsentAtBooking) {
  clinic::v1::UpdateClinicRequest update;
  *update.mutable_clinic() = clinic_;
  update.mutable_clinic()->mutable_policy()->set_require_consent_at_booking(true);
  update.mutable_update_mask()->add_paths("policy");
  clinic::v1::Clinic updated;
  grpc::Status status = practice_->UpdateClinic(AuthedContext(admin_key_).get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(updated.policy().require_consent_at_booking());

  Appointment out;
  status = Book(Draft(patient_.name(), At(monday_, 10)), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "CONSENT_REQUIRED");
  EXPECT_EQ(MetadataOf(status)["reasons"], "CONSENT_REQUIRED")
      << "a missing screening still only blocks check-in";

  MustSign(patient_.name());
  status = Book(Draft(patient_.name(), At(monday_, 10)), &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// ---------------------------------------------------------------- roles

using ConsentRolesTest = ConsentTest;

TEST_F(ConsentRolesTest, IntegrationKeyReadsButCannotSign) {
  const std::string integration = server_.CreateKey("integration");
  ASSERT_FALSE(integration.empty());
  Consent out;
  grpc::Status status = Sign(SignRequest(patient_.name()), &out, integration);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(status), "ROLE_NOT_ALLOWED");
  EXPECT_TRUE(ListConsents(patient_.name()).empty());

  clinic::v1::GetConsentFormRequest request;
  request.set_treatment_type(kMicroneedling);
  ConsentForm form;
  EXPECT_TRUE(consents_->GetConsentForm(AuthedContext(integration).get(), request, &form).ok());
}

TEST_F(ConsentRolesTest, OnlyAClinicianReviewsScreenings) {
  const std::string front_desk = server_.CreateKey("front_desk");
  const std::string clinician = server_.CreateKey("clinician");
  ASSERT_FALSE(front_desk.empty());
  ASSERT_FALSE(clinician.empty());
  Screening screening = NothingToReport();
  AnswerYes(screening, "other_medications");
  Screening submitted;
  ASSERT_TRUE(Submit(patient_.name(), screening, &submitted).ok());

  Screening out;
  grpc::Status status =
      Review(submitted.name(), ClearingReview(practitioner_.name()), &out, front_desk);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(status), "ROLE_NOT_ALLOWED");

  status = Review(submitted.name(), ClearingReview(practitioner_.name()), &out, clinician);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.review().outcome(), clinic::v1::SCREENING_OUTCOME_CLEARED);
}

}  // namespace
}  // namespace clinicd::testing
