// ResourceKind::precheck_on_snapshot: refusals and replays are answered from
// a snapshot without waiting for the writer; what passes is written (and
// checked again) by the writer.

#include <future>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "clinic/v1/practice_service.pb.h"
#include "gtest/gtest.h"
#include "services/practice/practice_kinds.h"
#include "services/resources/resource_crud.h"
#include "tests/testing/migrated_store_test.h"
#include "tests/testing/status_details.h"

namespace clinicd::resources {
namespace {

using ::clinic::v1::Clinic;
using ::clinicd::test_util::ReasonOf;

Clinic ValidClinic() {
  Clinic clinic;
  clinic.set_display_name("Hautzentrum Mitte");
  clinic.set_time_zone("Europe/Berlin");
  clinic.set_region_code("DE");
  return clinic;
}

class SnapshotPrecheckTest : public test_util::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (HasFatalFailure()) return;
    ResourceKind<Clinic> kind = practice::ClinicKind();
    kind.precheck_on_snapshot = true;
    clinics_ = std::make_unique<ResourceCrud<Clinic>>(*db_, kind);
    admin_.key_id = "key_admin";
    admin_.role = auth::Role::kAdmin;
    admin_.all_clinics = true;
    admin_.now = absl::Now();
  }

  void TearDown() override {
    ReleaseWriter();
    clinics_.reset();
    MigratedStoreTest::TearDown();
  }

  absl::StatusOr<Clinic> Create(const Clinic& clinic, const std::string& request_id) {
    clinic::v1::CreateClinicRequest request;
    *request.mutable_clinic() = clinic;
    request.set_request_id(request_id);
    return clinics_->Create(admin_, "", clinic, request, request_id);
  }

  // Keeps the writer busy (a write that waits) until ReleaseWriter.
  void HoldWriter() {
    holder_ = std::thread([this] {
      EXPECT_OK(db_->Write([this](store::Transaction&) {
        holding_.Notify();
        release_.WaitForNotification();
        return absl::OkStatus();
      }));
    });
    holding_.WaitForNotification();
  }

  void ReleaseWriter() {
    if (!holder_.joinable()) return;
    release_.Notify();
    holder_.join();
  }

  // Runs `call` while the writer is held and expects it to finish anyway.
  template <typename F>
  auto WithoutTheWriter(F call) {
    HoldWriter();
    auto result = std::async(std::launch::async, call);
    const bool finished = result.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    EXPECT_TRUE(finished) << "the call waited for the writer";
    ReleaseWriter();
    return result.get();
  }

  std::unique_ptr<ResourceCrud<Clinic>> clinics_;
  auth::Principal admin_;
  std::thread holder_;
  absl::Notification holding_;
  absl::Notification release_;
};

TEST_F(SnapshotPrecheckTest, ARefusedCreateIsAnsweredWithoutTheWriter) {
  Clinic invalid = ValidClinic();
  invalid.set_time_zone("Mars/Olympus_Mons");
  const absl::Status status = WithoutTheWriter([&] { return Create(invalid, "r1").status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(CountRows("clinics"), 0);
}

TEST_F(SnapshotPrecheckTest, AReplayedCreateIsAnsweredWithoutTheWriter) {
  const absl::StatusOr<Clinic> first = Create(ValidClinic(), "r1");
  ASSERT_OK(first);
  const absl::StatusOr<Clinic> again = WithoutTheWriter([&] { return Create(ValidClinic(), "r1"); });
  ASSERT_OK(again);
  EXPECT_EQ(again->name(), first->name());
  EXPECT_EQ(CountRows("clinics"), 1);
}

TEST_F(SnapshotPrecheckTest, AValidCreateIsWrittenByTheWriter) {
  HoldWriter();
  auto created = std::async(std::launch::async, [&] { return Create(ValidClinic(), "r1"); });
  // It passed the snapshot and now waits for the writer.
  EXPECT_EQ(created.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  ReleaseWriter();
  ASSERT_OK(created.get());
  EXPECT_EQ(CountRows("clinics"), 1);
}

TEST_F(SnapshotPrecheckTest, AStaleUpdateIsRefusedWithoutTheWriter) {
  const absl::StatusOr<Clinic> created = Create(ValidClinic(), "");
  ASSERT_OK(created);
  Clinic patch;
  patch.set_name(created->name());
  patch.set_etag("7");
  patch.set_display_name("Lost edit");
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  const absl::Status status =
      WithoutTheWriter([&] { return clinics_->Update(admin_, patch, mask).status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_EQ(ReasonOf(status), "ETAG_MISMATCH");
  patch.set_etag(created->etag());
  const absl::StatusOr<Clinic> updated = clinics_->Update(admin_, patch, mask);
  ASSERT_OK(updated);
  EXPECT_EQ(updated->display_name(), "Lost edit");
}

}  // namespace
}  // namespace clinicd::resources
