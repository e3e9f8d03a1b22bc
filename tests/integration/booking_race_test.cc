// The concurrency proof for booking: sixteen clients, each on its own
// connection, released at the same instant against one practitioner and
// room. Exactly the bookings a sequential order allows succeed, every other
// one is SLOT_TAKEN (never UNAVAILABLE, ABORTED or INTERNAL), and the
// database itself never holds two overlapping active appointments.

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.grpc.pb.h"
#include "tests/integration/rpc_test_base.h"
#include "tests/plugins/berlin_time.h"
#include "tests/testing/fresh_database.h"

namespace clinicd::testing {
namespace {

using clinic::v1::Appointment;
using plugins::test_time::At;
using plugins::test_time::ParseRfc3339;
using plugins::test_time::Berlin;
using plugins::test_time::FromProto;
using plugins::test_time::InBerlin;
using plugins::test_time::ToProto;

constexpr int kClients = 16;
constexpr char kMicroneedling[] = "treatmentTypes/microneedling";

// Active appointments (booked or checked in) of one practitioner or room
// that overlap: must always be zero.
constexpr char kOverlapSql[] =
    "SELECT COUNT(*) FROM appointments a JOIN appointments b ON a.id < b.id "
    "AND a.state IN (1,2) AND b.state IN (1,2) "
    "AND (a.practitioner_id = b.practitioner_id OR a.room_id = b.room_id) "
    "AND a.start_time < b.end_time AND b.start_time < a.end_time";
// The same for rooms including their turnaround.
constexpr char kRoomTurnaroundOverlapSql[] =
    "SELECT COUNT(*) FROM appointments a JOIN appointments b ON a.id < b.id "
    "AND a.state IN (1,2) AND b.state IN (1,2) AND a.room_id = b.room_id "
    "AND a.start_time < b.room_end_time AND b.start_time < a.room_end_time";

// Releases all parties at once when the last one arrives (std::latch is
// C++20).
class StartGate final {
 public:
  explicit StartGate(int parties) : waiting_(parties) {}

  void ArriveAndWait() {
    std::unique_lock<std::mutex> lock(mu_);
    if (--waiting_ == 0) {
      cv_.notify_all();
      return;
    }
    cv_.wait(lock, [this] { return waiting_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_;
};

// What one client got back.
struct Outcome {
  bool connected = false;
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  std::string message;
  std::string reason;
  std::map<std::string, std::string> metadata;
  Appointment appointment;
};

class BookingRaceTest : public RpcTest {
 protected:
  void SetUp() override {
    UseTestClock(absl::Now());  // Consultations happen at the server's now.
    RpcTest::SetUp();
    if (HasFatalFailure()) return;
    const std::regex listening("clinicd listening on (127\\.0\\.0\\.1:[0-9]+)");
    std::smatch match;
    const std::string log = server_.Log();
    ASSERT_TRUE(std::regex_search(log, match, listening)) << log;
    address_ = match[1].str();
    clinic_ = MakeClinic();
    room_ = MakeRoom(clinic_.name(), "Room 1", {"microneedling_device"});
    practitioner_ = MakePractitioner(clinic_.name(), "Dr. Weber", {kMicroneedling});
    monday_ = absl::ToCivilDay(absl::Now(), Berlin()) + 14;
    while (absl::GetWeekday(monday_) != absl::Weekday::monday) ++monday_;
  }

  // `count` new patients of the clinic, each consulted (a first session
  // needs a consultation before it).
  std::vector<std::string> MakePatients(const std::string& family, int count = kClients) {
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) {
      names.push_back(MakePatient(clinic_.name(), "Client" + std::to_string(i), family).name());
      ConsultForMicroneedling(names.back());
    }
    return names;
  }

  Appointment Draft(const std::string& patient, absl::Time start) const {
    Appointment appointment;
    appointment.set_patient(patient);
    appointment.set_treatment_type(kMicroneedling);
    appointment.set_practitioner(practitioner_.name());
    appointment.set_room(room_.name());
    *appointment.mutable_start_time() = ToProto(start);
    return appointment;
  }

  // Sends every draft from its own thread and channel, all released at
  // once after each channel is connected; draft i goes to addresses[i % n]
  // (by default the one server).
  std::vector<Outcome> Race(const std::vector<Appointment>& drafts,
                            std::vector<std::string> addresses = {}) {
    if (addresses.empty()) addresses.push_back(address_);
    std::vector<Outcome> outcomes(drafts.size());
    StartGate gate(static_cast<int>(drafts.size()));
    std::vector<std::thread> threads;
    for (size_t i = 0; i < drafts.size(); ++i) {
      threads.emplace_back([&, i] {
        grpc::ChannelArguments args;
        // A subchannel pool of its own: a separate TCP connection per client.
        args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
        std::shared_ptr<grpc::Channel> channel =
            grpc::CreateCustomChannel(addresses[i % addresses.size()],
                                      grpc::InsecureChannelCredentials(), args);
        outcomes[i].connected = channel->WaitForConnected(std::chrono::system_clock::now() +
                                                          std::chrono::seconds(20));
        std::unique_ptr<clinic::v1::BookingService::Stub> stub =
            clinic::v1::BookingService::NewStub(channel);
        clinic::v1::CreateAppointmentRequest request;
        request.set_parent(clinic_.name());
        *request.mutable_appointment() = drafts[i];
        std::unique_ptr<grpc::ClientContext> context = AuthedContext(admin_key_);
        context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
        gate.ArriveAndWait();
        grpc::Status status =
            stub->CreateAppointment(context.get(), request, &outcomes[i].appointment);
        outcomes[i].code = status.error_code();
        outcomes[i].message = status.error_message();
        outcomes[i].reason = ReasonOf(status);
        outcomes[i].metadata = MetadataOf(status);
      });
    }
    for (std::thread& t : threads) t.join();
    for (const Outcome& o : outcomes) EXPECT_TRUE(o.connected);
    return outcomes;
  }

  // One integer from `sql` on the server's database; -1 (and a test failure)
  // when it cannot be read.
  int64_t Query(const char* sql) {
    absl::StatusOr<int64_t> value = test_util::QueryInt(server_.db(), sql);
    if (!value.ok()) {
      ADD_FAILURE() << value.status();
      return -1;
    }
    return *value;
  }

  std::string address_;
  clinic::v1::Clinic clinic_;
  clinic::v1::Room room_;
  clinic::v1::Practitioner practitioner_;
  absl::CivilDay monday_;
};

TEST_F(BookingRaceTest, SixteenClientsForOneSlotExactlyOneWins) {
  const std::vector<absl::Time> slots = {At(monday_, 9), At(monday_, 11, 30), At(monday_, 14)};
  for (size_t round = 0; round < slots.size(); ++round) {
    SCOPED_TRACE("round at " + InBerlin(slots[round]));
    const std::vector<std::string> patients = MakePatients("Round" + std::to_string(round));
    std::vector<Appointment> drafts;
    for (const std::string& patient : patients) drafts.push_back(Draft(patient, slots[round]));

    const std::vector<Outcome> outcomes = Race(drafts);
    int ok = 0;
    int taken = 0;
    for (const Outcome& o : outcomes) {
      if (o.code == grpc::StatusCode::OK) {
        ++ok;
        EXPECT_EQ(o.appointment.state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
        EXPECT_EQ(FromProto(o.appointment.start_time()), slots[round]);
        continue;
      }
      EXPECT_EQ(o.code, grpc::StatusCode::FAILED_PRECONDITION) << o.code << " " << o.message;
      EXPECT_EQ(o.reason, "SLOT_TAKEN") << o.message;
      if (o.reason != "SLOT_TAKEN") continue;
      ++taken;
      EXPECT_EQ(o.metadata.at("taken_by"), "practitioner");
      EXPECT_EQ(ParseRfc3339(o.metadata.at("conflict_start_time")), slots[round]);
    }
    EXPECT_EQ(ok, 1);
    EXPECT_EQ(taken, kClients - 1);

    EXPECT_EQ(Query(kOverlapSql), 0);
    EXPECT_EQ(Query(kRoomTurnaroundOverlapSql), 0);
    EXPECT_EQ(Query("SELECT COUNT(*) FROM appointments WHERE visit_kind = 1"),
              static_cast<int64_t>(round + 1));
    EXPECT_EQ(Query("SELECT COUNT(*) FROM appointments WHERE state IN (1,2)"),
              static_cast<int64_t>(round + 1));
  }
}

// Two clinicd processes on one PostgreSQL database, 64 clients split over
// both: the database, not either process, decides; exactly one wins, every
// other is SLOT_TAKEN with the winner's details, and nothing overlaps.
TEST_F(BookingRaceTest, TwoServersOnOneDatabaseSixtyFourClientsOneSlotExactlyOneWins) {
  if (!test_util::UsingPostgres()) GTEST_SKIP() << "two processes share a PostgreSQL database";
  ClinicdProcess second(server_.db());
  second.AddPlugin(ClinicdProcess::BundledPlugin("microneedling"));
  second.AddPlugin(ClinicdProcess::BundledPlugin("maintenance_recall"));
  second.UseTestClock("now");
  std::string error;
  ASSERT_TRUE(second.Start(&error)) << error;
  constexpr int kRacers = 64;
  const absl::Time slot = At(monday_, 10);
  std::vector<Appointment> drafts;
  for (const std::string& patient : MakePatients("Shared", kRacers)) {
    drafts.push_back(Draft(patient, slot));
  }
  const std::vector<Outcome> outcomes = Race(drafts, {address_, second.address()});
  int ok = 0;
  int taken = 0;
  for (const Outcome& o : outcomes) {
    if (o.code == grpc::StatusCode::OK) {
      ++ok;
      continue;
    }
    EXPECT_EQ(o.code, grpc::StatusCode::FAILED_PRECONDITION) << o.code << " " << o.message;
    EXPECT_EQ(o.reason, "SLOT_TAKEN") << o.message;
    if (o.reason != "SLOT_TAKEN") continue;
    ++taken;
    EXPECT_EQ(o.metadata.at("taken_by"), "practitioner");
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(taken, kRacers - 1);
  EXPECT_EQ(Query(kOverlapSql), 0);
  EXPECT_EQ(Query(kRoomTurnaroundOverlapSql), 0);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM appointments WHERE visit_kind = 1"), 1);
}

TEST_F(BookingRaceTest, StaggeredOverlappingSlotsAdmitAMaximalNonOverlappingSet) {
  // Starts every 15 minutes from 09:00 with 60-minute sessions and one
  // room with 15 minutes turnaround: two bookings fit together only when
  // they start at least 75 minutes apart.
  const absl::Duration kSession = absl::Minutes(60);
  const absl::Duration kRoomBlock = absl::Minutes(75);
  int64_t active = 0;
  for (const absl::CivilDay day : {monday_, monday_ + 1}) {
    SCOPED_TRACE("day " + InBerlin(At(day, 9)));
    const std::vector<std::string> patients =
        MakePatients("Staggered" + std::to_string(day.day()));
    std::vector<Appointment> drafts;
    std::vector<absl::Time> starts;
    for (int i = 0; i < kClients; ++i) {
      starts.push_back(At(day, 9) + i * absl::Minutes(15));
      drafts.push_back(Draft(patients[i], starts.back()));
    }

    const std::vector<Outcome> outcomes = Race(drafts);
    std::vector<absl::Time> accepted;
    for (int i = 0; i < kClients; ++i) {
      if (outcomes[i].code == grpc::StatusCode::OK) {
        EXPECT_EQ(FromProto(outcomes[i].appointment.start_time()), starts[i]);
        accepted.push_back(starts[i]);
      }
    }
    ASSERT_GE(accepted.size(), 1u);
    // No two accepted bookings share practitioner time or room time.
    for (size_t a = 0; a < accepted.size(); ++a) {
      for (size_t b = a + 1; b < accepted.size(); ++b) {
        EXPECT_GE(absl::AbsDuration(accepted[a] - accepted[b]), kRoomBlock)
            << InBerlin(accepted[a]) << " and " << InBerlin(accepted[b]);
      }
    }
    // Every refusal is SLOT_TAKEN and names an accepted booking it really
    // conflicts with, so the accepted set is one a sequential order yields.
    for (int i = 0; i < kClients; ++i) {
      const Outcome& o = outcomes[i];
      if (o.code == grpc::StatusCode::OK) continue;
      SCOPED_TRACE("refused " + InBerlin(starts[i]));
      EXPECT_EQ(o.code, grpc::StatusCode::FAILED_PRECONDITION) << o.code << " " << o.message;
      ASSERT_EQ(o.reason, "SLOT_TAKEN") << o.message;
      const absl::Time conflict = ParseRfc3339(o.metadata.at("conflict_start_time"));
      EXPECT_NE(std::find(accepted.begin(), accepted.end(), conflict), accepted.end())
          << InBerlin(conflict);
      const absl::Duration distance = absl::AbsDuration(conflict - starts[i]);
      if (o.metadata.at("taken_by") == "practitioner") {
        EXPECT_LT(distance, kSession);
      } else {
        EXPECT_EQ(o.metadata.at("taken_by"), "room");
        EXPECT_LT(distance, kRoomBlock);
        EXPECT_GE(distance, kSession);
      }
    }
    // 16 starts, each accepted one excluding its 4 neighbours either side:
    // a maximal set has between 2 and 4 members.
    EXPECT_GE(accepted.size(), 2u);
    EXPECT_LE(accepted.size(), 4u);

    active += static_cast<int64_t>(accepted.size());
    EXPECT_EQ(Query(kOverlapSql), 0);
    EXPECT_EQ(Query(kRoomTurnaroundOverlapSql), 0);
    EXPECT_EQ(Query("SELECT COUNT(*) FROM appointments WHERE state IN (1,2)"), active);
  }
}

}  // namespace
}  // namespace clinicd::testing
