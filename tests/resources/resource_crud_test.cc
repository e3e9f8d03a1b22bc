#include "services/resources/resource_crud.h"

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clinic/v1/patient_service.pb.h"
#include "clinic/v1/practice_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/auth/principal.h"
#include "services/patient/patient_kind.h"
#include "services/practice/practice_kinds.h"
#include "tests/testing/migrated_store_test.h"
#include "tests/testing/status_details.h"

namespace clinicd::resources {
namespace {

using ::clinic::v1::ChannelConsent;
using ::clinic::v1::Clinic;
using ::clinic::v1::Closure;
using ::clinic::v1::Patient;
using ::clinic::v1::Practitioner;
using ::clinic::v1::TimeOff;
using ::clinicd::test_util::ReasonOf;
using ::clinicd::test_util::ViolationFields;
using ::google::protobuf::FieldMask;
using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// 2030-01-01T00:00:00Z, a base for time-off periods.
constexpr int64_t kBaseSeconds = 1893456000;

FieldMask Mask(std::vector<std::string> paths) {
  FieldMask mask;
  for (std::string& path : paths) mask.add_paths(std::move(path));
  return mask;
}

// The last segment of a resource name.
std::string IdOf(const std::string& name) {
  return name.substr(name.rfind('/') + 1);
}

Clinic ValidClinic(const std::string& display_name = "Hautzentrum Mitte") {
  Clinic clinic;
  clinic.set_display_name(display_name);
  clinic.set_time_zone("Europe/Berlin");
  clinic.set_region_code("DE");
  clinic.set_email("info@hautzentrum.de");
  return clinic;
}

class ResourceCrudTest : public test_util::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (HasFatalFailure()) return;
    clinics_ =
        std::make_unique<ResourceCrud<Clinic>>(*db_, practice::ClinicKind());
    practitioners_ = std::make_unique<ResourceCrud<Practitioner>>(
        *db_, practice::PractitionerKind());
    time_off_ =
        std::make_unique<ResourceCrud<TimeOff>>(*db_, practice::TimeOffKind());
    closures_ =
        std::make_unique<ResourceCrud<Closure>>(*db_, practice::ClosureKind());
    patients_ =
        std::make_unique<ResourceCrud<Patient>>(*db_, patient::PatientKind());
    admin_.key_id = "key_admin";
    admin_.role = auth::Role::kAdmin;
    admin_.all_clinics = true;
    admin_.now = absl::Now();
  }

  void TearDown() override {
    clinics_.reset();
    practitioners_.reset();
    time_off_.reset();
    closures_.reset();
    patients_.reset();
    MigratedStoreTest::TearDown();
  }

  absl::StatusOr<Clinic> CreateClinic(const Clinic& clinic,
                                      const std::string& request_id = "") {
    clinic::v1::CreateClinicRequest request;
    *request.mutable_clinic() = clinic;
    request.set_request_id(request_id);
    return clinics_->Create(admin_, "", clinic, request, request_id);
  }

  Clinic MustCreateClinic(const Clinic& clinic = ValidClinic()) {
    absl::StatusOr<Clinic> created = CreateClinic(clinic);
    EXPECT_OK(created);
    return created.value_or(Clinic());
  }

  Practitioner MustCreatePractitioner(const std::string& parent,
                                      const std::string& display_name) {
    Practitioner practitioner;
    practitioner.set_display_name(display_name);
    clinic::v1::CreatePractitionerRequest request;
    request.set_parent(parent);
    *request.mutable_practitioner() = practitioner;
    absl::StatusOr<Practitioner> created =
        practitioners_->Create(admin_, parent, practitioner, request, "");
    EXPECT_OK(created);
    return created.value_or(Practitioner());
  }

  absl::StatusOr<Patient> CreatePatient(const std::string& parent,
                                        const Patient& patient) {
    clinic::v1::CreatePatientRequest request;
    request.set_parent(parent);
    *request.mutable_patient() = patient;
    return patients_->Create(admin_, parent, patient, request, "");
  }

  Patient MustCreatePatient(const std::string& parent,
                            const std::string& family,
                            const std::string& given) {
    Patient patient;
    patient.set_family_name(family);
    patient.set_given_name(given);
    absl::StatusOr<Patient> created = CreatePatient(parent, patient);
    EXPECT_OK(created);
    return created.value_or(Patient());
  }

  TimeOff MustCreateTimeOff(const std::string& parent, int64_t start_seconds,
                            const std::string& reason) {
    TimeOff period;
    period.mutable_start_time()->set_seconds(start_seconds);
    period.mutable_end_time()->set_seconds(start_seconds + 3600);
    period.set_reason(reason);
    clinic::v1::CreateTimeOffRequest request;
    request.set_parent(parent);
    *request.mutable_time_off() = period;
    absl::StatusOr<TimeOff> created =
        time_off_->Create(admin_, parent, period, request, "");
    EXPECT_OK(created);
    return created.value_or(TimeOff());
  }

  // Reads every page of `crud` under `parent`, recording each page's size.
  template <typename M>
  std::vector<M> ListAll(const ResourceCrud<M>& crud,
                         const auth::Principal& who, const std::string& parent,
                         int32_t page_size, std::vector<size_t>* page_sizes) {
    std::vector<M> all;
    std::string token;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<Page<M>> page = crud.List(who, parent, page_size, token);
      EXPECT_OK(page);
      if (!page.ok()) break;
      page_sizes->push_back(page->items.size());
      all.insert(all.end(), page->items.begin(), page->items.end());
      token = page->next_page_token;
      if (token.empty()) break;
    }
    return all;
  }

  auth::Principal admin_;
  std::unique_ptr<ResourceCrud<Clinic>> clinics_;
  std::unique_ptr<ResourceCrud<Practitioner>> practitioners_;
  std::unique_ptr<ResourceCrud<TimeOff>> time_off_;
  std::unique_ptr<ResourceCrud<Closure>> closures_;
  std::unique_ptr<ResourceCrud<Patient>> patients_;
};

// A key limited to clinic `clinic_id`.
auth::Principal LimitedTo(const std::string& clinic_id) {
  auth::Principal principal;
  principal.key_id = "key_limited";
  principal.role = auth::Role::kFrontDesk;
  principal.clinic_ids = {clinic_id};
  principal.now = absl::Now();
  return principal;
}

TEST_F(ResourceCrudTest, CreatedClinicIsWhatGetReturns) {
  const Clinic created = MustCreateClinic();
  EXPECT_THAT(created.name(), ::testing::StartsWith("clinics/"));
  EXPECT_EQ(IdOf(created.name()).size(), 26u);
  EXPECT_EQ(created.etag(), "1");
  EXPECT_EQ(created.display_name(), "Hautzentrum Mitte");
  EXPECT_TRUE(created.has_create_time());
  EXPECT_TRUE(
      MessageDifferencer::Equals(created.create_time(), created.update_time()));
  const absl::StatusOr<Clinic> got = clinics_->Get(admin_, created.name());
  ASSERT_OK(got);
  EXPECT_TRUE(MessageDifferencer::Equals(*got, created))
      << got->DebugString() << "\nvs\n"
      << created.DebugString();
  EXPECT_EQ(CountRows("clinics"), 1);
}

TEST_F(ResourceCrudTest, CallerChosenNameAndEtagAreIgnored) {
  Clinic clinic = ValidClinic();
  clinic.set_name("clinics/mine");
  clinic.set_etag("99");
  const Clinic created = MustCreateClinic(clinic);
  EXPECT_NE(created.name(), "clinics/mine");
  EXPECT_EQ(created.etag(), "1");
}

TEST_F(ResourceCrudTest, SameRequestIdReturnsTheFirstResult) {
  const absl::StatusOr<Clinic> first = CreateClinic(ValidClinic(), "req-1");
  ASSERT_OK(first);
  const absl::StatusOr<Clinic> second = CreateClinic(ValidClinic(), "req-1");
  ASSERT_OK(second);
  EXPECT_EQ(second->name(), first->name());
  EXPECT_TRUE(MessageDifferencer::Equals(*second, *first));
  EXPECT_EQ(CountRows("clinics"), 1);
  EXPECT_EQ(CountRows("idempotency_records"), 1);
}

TEST_F(ResourceCrudTest, DifferentRequestIdsCreateTwo) {
  ASSERT_OK(CreateClinic(ValidClinic(), "req-1"));
  ASSERT_OK(CreateClinic(ValidClinic(), "req-2"));
  EXPECT_EQ(CountRows("clinics"), 2);
}

TEST_F(ResourceCrudTest, SameRequestIdWithAnotherBodyIsInvalid) {
  ASSERT_OK(CreateClinic(ValidClinic("First"), "req-1"));
  const absl::Status status =
      CreateClinic(ValidClinic("Second"), "req-1").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(ViolationFields(status), ElementsAre("request_id"));
  EXPECT_EQ(CountRows("clinics"), 1);
}

TEST_F(ResourceCrudTest, InvalidClinicNamesEveryFieldAndWritesNothing) {
  Clinic clinic = ValidClinic();
  clinic.set_time_zone("Mars/Olympus_Mons");
  clinic.set_email("not-an-email");
  const absl::Status status = CreateClinic(clinic, "req-1").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(ViolationFields(status),
              ElementsAre("clinic.time_zone", "clinic.email"));
  EXPECT_EQ(ReasonOf(status), "INVALID_FIELD");
  EXPECT_EQ(CountRows("clinics"), 0);
  EXPECT_EQ(CountRows("idempotency_records"), 0);
}

TEST_F(ResourceCrudTest, GetOfMissingOrMalformedName) {
  EXPECT_EQ(clinics_->Get(admin_, "clinics/nope").status().code(),
            absl::StatusCode::kNotFound);
  const absl::Status malformed = clinics_->Get(admin_, "clinics/Nope").status();
  EXPECT_EQ(malformed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(malformed), ElementsAre("name"));
}

TEST_F(ResourceCrudTest, UpdateBumpsTheEtag) {
  const Clinic created = MustCreateClinic();
  Clinic patch;
  patch.set_name(created.name());
  patch.set_display_name("Renamed");
  const absl::StatusOr<Clinic> once = clinics_->Update(admin_, patch, Mask({}));
  ASSERT_OK(once);
  EXPECT_EQ(once->etag(), "2");
  EXPECT_EQ(once->display_name(), "Renamed");
  EXPECT_EQ(once->email(), "info@hautzentrum.de");
  EXPECT_TRUE(
      MessageDifferencer::Equals(once->create_time(), created.create_time()));
  EXPECT_GE(TimeUtil::TimestampToMicroseconds(once->update_time()),
            TimeUtil::TimestampToMicroseconds(created.update_time()));
  patch.set_etag("2");
  patch.set_display_name("Renamed again");
  const absl::StatusOr<Clinic> twice =
      clinics_->Update(admin_, patch, Mask({}));
  ASSERT_OK(twice);
  EXPECT_EQ(twice->etag(), "3");
  const absl::StatusOr<Clinic> got = clinics_->Get(admin_, created.name());
  ASSERT_OK(got);
  EXPECT_EQ(got->etag(), "3");
  EXPECT_EQ(got->display_name(), "Renamed again");
}

TEST_F(ResourceCrudTest, UpdateWithStaleEtagIsAbortedAndChangesNothing) {
  const Clinic created = MustCreateClinic();
  Clinic patch;
  patch.set_name(created.name());
  patch.set_etag("1");
  patch.set_display_name("First edit");
  ASSERT_OK(clinics_->Update(admin_, patch, Mask({"display_name"})));
  patch.set_display_name("Lost edit");
  const absl::Status status =
      clinics_->Update(admin_, patch, Mask({"display_name"})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_EQ(ReasonOf(status), "ETAG_MISMATCH");
  const absl::StatusOr<Clinic> got = clinics_->Get(admin_, created.name());
  ASSERT_OK(got);
  EXPECT_EQ(got->display_name(), "First edit");
  EXPECT_EQ(got->etag(), "2");
}

TEST_F(ResourceCrudTest, InvalidUpdateIsRefusedAndChangesNothing) {
  const Clinic created = MustCreateClinic();
  Clinic patch;
  patch.set_name(created.name());
  patch.set_email("broken@");
  const absl::Status status =
      clinics_->Update(admin_, patch, Mask({"email"})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(ViolationFields(status), ElementsAre("clinic.email"));
  const absl::StatusOr<Clinic> got = clinics_->Get(admin_, created.name());
  ASSERT_OK(got);
  EXPECT_EQ(got->email(), "info@hautzentrum.de");
  EXPECT_EQ(got->etag(), "1");
}

TEST_F(ResourceCrudTest, UpdateOfImmutableFieldNamesUpdateMask) {
  const Clinic created = MustCreateClinic();
  Clinic patch;
  patch.set_name(created.name());
  patch.mutable_create_time()->set_seconds(1);
  const absl::Status status =
      clinics_->Update(admin_, patch, Mask({"create_time"})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(status), ElementsAre("update_mask"));
  const absl::StatusOr<Clinic> got = clinics_->Get(admin_, created.name());
  ASSERT_OK(got);
  EXPECT_TRUE(
      MessageDifferencer::Equals(got->create_time(), created.create_time()));
  EXPECT_EQ(got->etag(), "1");
}

TEST_F(ResourceCrudTest, UpdateOfMalformedNameNamesTheResourceField) {
  Clinic patch;
  patch.set_name("clinic/x");
  const absl::Status status =
      clinics_->Update(admin_, patch, Mask({})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(status), ElementsAre("clinic.name"));
}

TEST_F(ResourceCrudTest, ListsPractitionersInPagesInCreationOrder) {
  const Clinic clinic = MustCreateClinic();
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) {
    created.push_back(
        MustCreatePractitioner(clinic.name(), absl::StrCat("Dr. ", i)).name());
  }
  std::vector<size_t> page_sizes;
  const std::vector<Practitioner> listed =
      ListAll(*practitioners_, admin_, clinic.name(), 3, &page_sizes);
  EXPECT_THAT(page_sizes, ElementsAre(3u, 3u, 1u));
  std::vector<std::string> names;
  for (const Practitioner& p : listed) names.push_back(p.name());
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 7u);
  EXPECT_EQ(names, created);
  for (const Practitioner& p : listed) EXPECT_EQ(p.etag(), "1");
}

TEST_F(ResourceCrudTest, ListsOnlyTheParentsChildren) {
  const Clinic first = MustCreateClinic();
  const Clinic second = MustCreateClinic();
  MustCreatePractitioner(first.name(), "Dr. First");
  MustCreatePractitioner(second.name(), "Dr. Second");
  const absl::StatusOr<Page<Practitioner>> page =
      practitioners_->List(admin_, second.name(), 0, "");
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].display_name(), "Dr. Second");
  EXPECT_EQ(page->next_page_token, "");
}

TEST_F(ResourceCrudTest, PageTokenOfAnotherParentIsRefused) {
  const Clinic first = MustCreateClinic();
  const Clinic second = MustCreateClinic();
  MustCreatePractitioner(first.name(), "Dr. A");
  MustCreatePractitioner(first.name(), "Dr. B");
  const absl::StatusOr<Page<Practitioner>> page =
      practitioners_->List(admin_, first.name(), 1, "");
  ASSERT_OK(page);
  ASSERT_FALSE(page->next_page_token.empty());
  const absl::Status status =
      practitioners_->List(admin_, second.name(), 1, page->next_page_token)
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(status), ElementsAre("page_token"));
}

TEST_F(ResourceCrudTest, NegativePageSizeIsRefused) {
  const Clinic clinic = MustCreateClinic();
  const absl::Status status =
      practitioners_->List(admin_, clinic.name(), -1, "").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(status), ElementsAre("page_size"));
}

TEST_F(ResourceCrudTest, ListsPatientsByFoldedFamilyName) {
  const Clinic clinic = MustCreateClinic();
  MustCreatePatient(clinic.name(), "Zimmer", "Anna");
  MustCreatePatient(clinic.name(), "Öztürk", "Emre");
  MustCreatePatient(clinic.name(), "Oz", "Amos");
  MustCreatePatient(clinic.name(), "Ozdemir", "Ali");
  MustCreatePatient(clinic.name(), "Müller", "Jonas");
  MustCreatePatient(clinic.name(), "Nagel", "Eva");
  MustCreatePatient(clinic.name(), "muller", "Anna");
  std::vector<size_t> page_sizes;
  const std::vector<Patient> listed =
      ListAll(*patients_, admin_, clinic.name(), 3, &page_sizes);
  EXPECT_THAT(page_sizes, ElementsAre(3u, 3u, 1u));
  std::vector<std::string> order;
  for (const Patient& p : listed) {
    order.push_back(absl::StrCat(p.family_name(), ", ", p.given_name()));
  }
  EXPECT_THAT(order, ElementsAre("muller, Anna", "Müller, Jonas", "Nagel, Eva",
                                 "Oz, Amos", "Ozdemir, Ali", "Öztürk, Emre",
                                 "Zimmer, Anna"));
}

TEST_F(ResourceCrudTest, KeyLimitedToAnotherClinicSeesNotFound) {
  const Clinic clinic = MustCreateClinic();
  const Practitioner practitioner =
      MustCreatePractitioner(clinic.name(), "Dr. A");
  const auth::Principal other = LimitedTo("someotherclinic");
  EXPECT_EQ(clinics_->Get(other, clinic.name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(practitioners_->Get(other, practitioner.name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(practitioners_->List(other, clinic.name(), 0, "").status().code(),
            absl::StatusCode::kNotFound);
  Practitioner patch;
  patch.set_name(practitioner.name());
  patch.set_display_name("Hijacked");
  EXPECT_EQ(practitioners_->Update(other, patch, Mask({})).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(practitioners_->Delete(other, practitioner.name(), "").code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CountRows("practitioners"), 1);
}

// A key for clinic B must not reach clinic A's rows by putting A's ids
// under B's name.
TEST_F(ResourceCrudTest, IdsOfAnotherClinicAreNotFoundUnderThisOne) {
  const Clinic a = MustCreateClinic();
  const Clinic b = MustCreateClinic();
  const Practitioner in_a = MustCreatePractitioner(a.name(), "Dr. A");
  const std::string foreign =
      absl::StrCat(b.name(), "/practitioners/", IdOf(in_a.name()));
  const auth::Principal key_b = LimitedTo(IdOf(b.name()));
  EXPECT_EQ(practitioners_->Get(key_b, foreign).status().code(),
            absl::StatusCode::kNotFound);
  Practitioner patch;
  patch.set_name(foreign);
  patch.set_display_name("Hijacked");
  EXPECT_EQ(practitioners_->Update(key_b, patch, Mask({})).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(practitioners_->Delete(key_b, foreign, "").code(),
            absl::StatusCode::kNotFound);
  TimeOff period;
  period.mutable_start_time()->set_seconds(kBaseSeconds);
  period.mutable_end_time()->set_seconds(kBaseSeconds + 3600);
  clinic::v1::CreateTimeOffRequest request;
  EXPECT_EQ(
      time_off_->Create(key_b, foreign, period, request, "").status().code(),
      absl::StatusCode::kNotFound);
  const absl::StatusOr<Practitioner> unchanged =
      practitioners_->Get(admin_, in_a.name());
  ASSERT_OK(unchanged);
  EXPECT_EQ(unchanged->display_name(), "Dr. A");
  EXPECT_EQ(CountRows("time_off"), 0);
}

TEST_F(ResourceCrudTest, KeyLimitedToTheClinicSeesIt) {
  const Clinic clinic = MustCreateClinic();
  const Practitioner practitioner =
      MustCreatePractitioner(clinic.name(), "Dr. A");
  const auth::Principal limited = LimitedTo(IdOf(clinic.name()));
  EXPECT_OK(clinics_->Get(limited, clinic.name()));
  EXPECT_OK(practitioners_->Get(limited, practitioner.name()));
}

TEST_F(ResourceCrudTest, LimitedKeyListsOnlyItsClinicsAcrossPages) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(
        IdOf(MustCreateClinic(ValidClinic(absl::StrCat("C", i))).name()));
  }
  auth::Principal limited = LimitedTo(ids[1]);
  limited.clinic_ids.push_back(ids[4]);
  std::vector<size_t> page_sizes;
  const std::vector<Clinic> listed =
      ListAll(*clinics_, limited, "", 1, &page_sizes);
  std::vector<std::string> names;
  for (const Clinic& c : listed) names.push_back(c.display_name());
  EXPECT_THAT(names, UnorderedElementsAre("C1", "C4"));
  EXPECT_THAT(page_sizes, ElementsAre(1u, 1u));
}

TEST_F(ResourceCrudTest, LimitedKeyCannotCreateClinics) {
  const auth::Principal limited = LimitedTo("c1");
  clinic::v1::CreateClinicRequest request;
  const absl::Status status =
      clinics_->Create(limited, "", ValidClinic(), request, "").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(status), "CLINIC_LIMITED_KEY");
  EXPECT_EQ(CountRows("clinics"), 0);
}

TEST_F(ResourceCrudTest, CreateUnderMissingParentIsNotFound) {
  Practitioner practitioner;
  practitioner.set_display_name("Dr. Nobody");
  clinic::v1::CreatePractitionerRequest request;
  const absl::Status status =
      practitioners_
          ->Create(admin_, "clinics/missing", practitioner, request, "")
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_EQ(CountRows("practitioners"), 0);
}

TEST_F(ResourceCrudTest, DeletingAClinicInUseIsRefused) {
  const Clinic clinic = MustCreateClinic();
  const Practitioner practitioner =
      MustCreatePractitioner(clinic.name(), "Dr. A");
  const absl::Status status = clinics_->Delete(admin_, clinic.name(), "");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(ReasonOf(status), "RESOURCE_IN_USE");
  EXPECT_OK(clinics_->Get(admin_, clinic.name()));
  ASSERT_OK(practitioners_->Delete(admin_, practitioner.name(), "1"));
  ASSERT_OK(clinics_->Delete(admin_, clinic.name(), ""));
  EXPECT_EQ(clinics_->Get(admin_, clinic.name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CountRows("clinics"), 0);
}

TEST_F(ResourceCrudTest, DeleteWithStaleEtagIsAborted) {
  const Clinic clinic = MustCreateClinic();
  const absl::Status status = clinics_->Delete(admin_, clinic.name(), "7");
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ReasonOf(status), "ETAG_MISMATCH");
  EXPECT_EQ(CountRows("clinics"), 1);
}

TEST_F(ResourceCrudTest, TimeOffIsListedByStartTimeAcrossPages) {
  const Clinic clinic = MustCreateClinic();
  const Practitioner practitioner =
      MustCreatePractitioner(clinic.name(), "Dr. A");
  const int days[] = {5, 1, 3, 2, 3, 4};
  for (int i = 0; i < 6; ++i) {
    MustCreateTimeOff(practitioner.name(), kBaseSeconds + days[i] * 86400,
                      absl::StrCat("t", i));
  }
  std::vector<size_t> page_sizes;
  const std::vector<TimeOff> listed =
      ListAll(*time_off_, admin_, practitioner.name(), 3, &page_sizes);
  EXPECT_THAT(page_sizes, ElementsAre(3u, 3u));
  std::vector<int64_t> listed_days;
  std::set<std::string> names;
  for (const TimeOff& period : listed) {
    listed_days.push_back((period.start_time().seconds() - kBaseSeconds) /
                          86400);
    names.insert(period.name());
  }
  EXPECT_THAT(listed_days, ElementsAre(1, 2, 3, 3, 4, 5));
  EXPECT_EQ(names.size(), 6u);
}

// DeleteTimeOffRequest has no etag, and TimeOff no etag field; the service
// calls Delete(principal, name, "").
TEST_F(ResourceCrudTest, DeletesTimeOff) {
  const Clinic clinic = MustCreateClinic();
  const Practitioner practitioner =
      MustCreatePractitioner(clinic.name(), "Dr. A");
  const TimeOff period =
      MustCreateTimeOff(practitioner.name(), kBaseSeconds, "leave");
  ASSERT_EQ(CountRows("time_off"), 1);
  EXPECT_OK(time_off_->Delete(admin_, period.name(), ""));
  EXPECT_EQ(CountRows("time_off"), 0);
}

// DeleteClosureRequest has no etag, and Closure no etag field either.
TEST_F(ResourceCrudTest, DeletesClosure) {
  const Clinic clinic = MustCreateClinic();
  Closure closure;
  closure.mutable_start_time()->set_seconds(kBaseSeconds);
  closure.mutable_end_time()->set_seconds(kBaseSeconds + 86400);
  closure.set_reason("Public holiday");
  clinic::v1::CreateClosureRequest request;
  const absl::StatusOr<Closure> created =
      closures_->Create(admin_, clinic.name(), closure, request, "");
  ASSERT_OK(created);
  ASSERT_EQ(CountRows("closures"), 1);
  EXPECT_OK(closures_->Delete(admin_, created->name(), ""));
  EXPECT_EQ(CountRows("closures"), 0);
}

TEST_F(ResourceCrudTest, DeletingAPractitionerRemovesItsTimeOff) {
  const Clinic clinic = MustCreateClinic();
  const Practitioner practitioner =
      MustCreatePractitioner(clinic.name(), "Dr. A");
  MustCreateTimeOff(practitioner.name(), kBaseSeconds, "leave");
  ASSERT_OK(practitioners_->Delete(admin_, practitioner.name(), ""));
  EXPECT_EQ(CountRows("time_off"), 0);
}

TEST_F(ResourceCrudTest, TimeOffEndingBeforeItStartsIsRefused) {
  const Clinic clinic = MustCreateClinic();
  const Practitioner practitioner =
      MustCreatePractitioner(clinic.name(), "Dr. A");
  TimeOff period;
  period.mutable_start_time()->set_seconds(kBaseSeconds + 3600);
  period.mutable_end_time()->set_seconds(kBaseSeconds);
  clinic::v1::CreateTimeOffRequest request;
  const absl::Status status =
      time_off_->Create(admin_, practitioner.name(), period, request, "")
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(status), ElementsAre("time_off.end_time"));
  EXPECT_EQ(CountRows("time_off"), 0);
}

TEST_F(ResourceCrudTest, PatientPhoneIsNormalisedInTheClinicsRegion) {
  const Clinic clinic = MustCreateClinic();
  Patient patient;
  patient.set_family_name("Schmidt");
  patient.set_given_name("Lena");
  patient.set_phone_number("030 1234567");
  const absl::StatusOr<Patient> created = CreatePatient(clinic.name(), patient);
  ASSERT_OK(created);
  EXPECT_EQ(created->phone_number(), "+49301234567");
  const absl::StatusOr<Patient> got = patients_->Get(admin_, created->name());
  ASSERT_OK(got);
  EXPECT_EQ(got->phone_number(), "+49301234567");
  EXPECT_EQ(store::ReadInt(*db_,
                           "SELECT count(*) FROM patients "
                           "WHERE phone_e164 = '+49301234567'"),
            1);
}

TEST_F(ResourceCrudTest, PatientPhoneFollowsTheClinicsRegion) {
  Clinic us = ValidClinic();
  us.set_time_zone("America/New_York");
  us.set_region_code("US");
  const Clinic clinic = MustCreateClinic(us);
  Patient patient;
  patient.set_family_name("Smith");
  patient.set_given_name("Jo");
  patient.set_phone_number("(415) 555-0123");
  const absl::StatusOr<Patient> created = CreatePatient(clinic.name(), patient);
  ASSERT_OK(created);
  EXPECT_EQ(created->phone_number(), "+14155550123");
}

TEST_F(ResourceCrudTest, InvalidPatientWritesNothing) {
  const Clinic clinic = MustCreateClinic();
  Patient patient;
  patient.set_given_name("Lena");
  patient.set_phone_number("12");
  const absl::Status status = CreatePatient(clinic.name(), patient).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(status),
              ElementsAre("patient.family_name", "patient.phone_number"));
  EXPECT_EQ(CountRows("patients"), 0);
}

TEST_F(ResourceCrudTest, ConsentRecordTimeKeptUnlessTheChoiceChanges) {
  const Clinic clinic = MustCreateClinic();
  Patient patient;
  patient.set_family_name("Schmidt");
  patient.set_given_name("Lena");
  ChannelConsent* email = patient.add_channel_consents();
  email->set_channel(clinic::v1::NOTIFICATION_CHANNEL_EMAIL);
  email->set_opted_in(true);
  const absl::StatusOr<Patient> created = CreatePatient(clinic.name(), patient);
  ASSERT_OK(created);
  ASSERT_EQ(created->channel_consents_size(), 1);
  const google::protobuf::Timestamp first =
      created->channel_consents(0).record_time();
  EXPECT_GT(first.seconds(), 0);

  admin_.now += absl::Minutes(5);  // The request's time, as the server's clock gives it.
  // The same choice again, with a made-up record_time: the stored one stays.
  Patient patch;
  patch.set_name(created->name());
  ChannelConsent* same = patch.add_channel_consents();
  same->set_channel(clinic::v1::NOTIFICATION_CHANNEL_EMAIL);
  same->set_opted_in(true);
  same->mutable_record_time()->set_seconds(12345);
  const absl::StatusOr<Patient> unchanged =
      patients_->Update(admin_, patch, Mask({"channel_consents"}));
  ASSERT_OK(unchanged);
  ASSERT_EQ(unchanged->channel_consents_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(
      unchanged->channel_consents(0).record_time(), first))
      << unchanged->channel_consents(0).DebugString();

  // Another field only: still the first record_time.
  Patient rename;
  rename.set_name(created->name());
  rename.set_given_name("Helena");
  const absl::StatusOr<Patient> renamed =
      patients_->Update(admin_, rename, Mask({}));
  ASSERT_OK(renamed);
  EXPECT_TRUE(MessageDifferencer::Equals(
      renamed->channel_consents(0).record_time(), first));

  admin_.now += absl::Minutes(5);
  same->set_opted_in(false);
  const absl::StatusOr<Patient> changed =
      patients_->Update(admin_, patch, Mask({"channel_consents"}));
  ASSERT_OK(changed);
  ASSERT_EQ(changed->channel_consents_size(), 1);
  EXPECT_FALSE(changed->channel_consents(0).opted_in());
  EXPECT_GT(TimeUtil::TimestampToMicroseconds(
                changed->channel_consents(0).record_time()),
            TimeUtil::TimestampToMicroseconds(first));
  EXPECT_NE(changed->channel_consents(0).record_time().seconds(), 12345);
  const absl::StatusOr<Patient> got = patients_->Get(admin_, created->name());
  ASSERT_OK(got);
  EXPECT_TRUE(
      MessageDifferencer::Equals(got->channel_consents(0).record_time(),
                                 changed->channel_consents(0).record_time()));
}

}  // namespace
}  // namespace clinicd::resources
