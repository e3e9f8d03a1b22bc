// SearchAvailability minus gRPC at scale: one practitioner's week among
// 1,000,000 appointments (50 practitioners, 25 rooms, 20,000 patients with
// 50 visits each, about eight years of full weekdays), with and without a
// patient's rules. Reports p50 and p99
// per search as counters; the target is p99 <= 5 ms.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/booking/availability_query.h"
#include "services/common/resource_name.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/practice/practice_kinds.h"
#include "services/resources/resource_crud.h"
#include "tests/benchmarks/benchmark_clinic.h"

namespace clinicd::bench {
namespace {

constexpr int kPractitioners = 50;
constexpr int kRooms = 25;
constexpr int kAppointments = 1000000;
constexpr absl::CivilDay kFirstDay(2030, 1, 7);  // a Monday

std::string PluginDir() {
  if (const char* dir = std::getenv("CLINICD_PLUGIN_DIR")) return dir;
  return std::filesystem::canonical("/proc/self/exe").parent_path().string() + "/../../plugins";
}

class MillionAppointments {
 public:
  MillionAppointments()
      : clinic_(/*patients=*/20000),
        registry_(plugin_host::TreatmentRegistry::LoadDirectory(PluginDir())) {
    resources::ResourceCrud<clinic::v1::Practitioner> practitioners(clinic_.db(),
                                                                    practice::PractitionerKind());
    for (int i = 0; i < kPractitioners; ++i) {
      clinic::v1::Practitioner p;
      p.set_display_name(absl::StrCat("Dr. ", i));
      p.add_treatment_types("treatmentTypes/microneedling");
      p.set_active(true);
      for (int day = 1; day <= 5; ++day) {
        clinic::v1::WorkingInterval* hours = p.add_working_hours();
        hours->set_day(static_cast<google::type::DayOfWeek>(day));
        hours->mutable_start_time()->set_hours(8);
        hours->mutable_end_time()->set_hours(18);
      }
      clinic::v1::CreatePractitionerRequest request;
      absl::StatusOr<clinic::v1::Practitioner> made =
          practitioners.Create(clinic_.admin(), clinic_.clinic(), p, request, "");
      CheckOk(made.status(), "creating a practitioner");
      practitioner_ids_.push_back(LastIdOf(made->name()));
    }
    resources::ResourceCrud<clinic::v1::Room> rooms(clinic_.db(), practice::RoomKind());
    for (int i = 0; i < kRooms; ++i) {
      clinic::v1::Room room;
      room.set_display_name(absl::StrCat("Room ", i));
      room.add_capabilities("microneedling_device");
      room.add_capabilities("sink");
      room.set_active(true);
      clinic::v1::CreateRoomRequest request;
      absl::StatusOr<clinic::v1::Room> made =
          rooms.Create(clinic_.admin(), clinic_.clinic(), room, request, "");
      CheckOk(made.status(), "creating a room");
      room_ids_.push_back(LastIdOf(made->name()));
    }
    Fill();
  }

  BenchmarkClinic& base() { return clinic_; }
  const plugin_host::TreatmentRegistry& registry() const { return *registry_; }
  std::string practitioner(int i) const {
    return absl::StrCat(clinic_.clinic(), "/practitioners/", practitioner_ids_[i]);
  }

 private:
  // Each practitioner works 10 one-hour sessions a weekday, two practitioners
  // to a room, from kFirstDay on; rows as the server stores them, written
  // in one transaction.
  void Fill() {
    const std::string clinic_id = LastIdOf(clinic_.clinic());
    const absl::TimeZone utc = absl::UTCTimeZone();
    CheckOk(clinic_.db().Write([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<store::Statement> insert = tx.Prepare(
          "INSERT INTO appointments (id, clinic_id, patient_id, practitioner_id, room_id, "
          "treatment_type, start_time, end_time, room_end_time, state, revision, data, "
          "visit_kind) VALUES (?1, ?2, ?3, ?4, ?5, 'treatmentTypes/microneedling', ?6, ?7, ?8, "
          "1, 1, x'', 1)");
      if (!insert.ok()) return insert.status();
      int n = 0;
      for (absl::CivilDay day = kFirstDay; n < kAppointments; ++day) {
        if (absl::GetWeekday(day) == absl::Weekday::saturday ||
            absl::GetWeekday(day) == absl::Weekday::sunday) {
          continue;
        }
        for (int p = 0; p < kPractitioners && n < kAppointments; ++p) {
          for (int hour = 8; hour < 18 && n < kAppointments; ++hour, ++n) {
            const absl::Time start = absl::FromCivil(absl::CivilHour(day) + hour, utc);
            const std::string& patient = clinic_.patients()[n % clinic_.patients().size()].name();
            insert->BindText(1, absl::StrCat("a", n))
                .BindText(2, clinic_id)
                .BindText(3, LastIdOf(patient))
                .BindText(4, practitioner_ids_[p])
                .BindText(5, room_ids_[p / 2])
                .Bind(6, start)
                .Bind(7, start + absl::Minutes(45))
                .Bind(8, start + absl::Minutes(55));
            if (absl::Status s = insert->Run(); !s.ok()) return s;
          }
        }
      }
      return absl::OkStatus();
    }),
            "inserting appointments");
  }

  BenchmarkClinic clinic_;
  std::unique_ptr<plugin_host::TreatmentRegistry> registry_;
  std::vector<std::string> practitioner_ids_;
  std::vector<std::string> room_ids_;
};

MillionAppointments& Clinic() {
  static MillionAppointments* clinic = new MillionAppointments();
  return *clinic;
}

google::type::Date DateOf(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

// One practitioner's week in the middle of the history, optionally for a
// patient; every candidate is decided (the week is fully booked).
void RunSearch(benchmark::State& state, bool with_patient) {
  MillionAppointments& clinic = Clinic();
  clinic::v1::SearchAvailabilityRequest request;
  request.set_parent(clinic.base().clinic());
  request.set_treatment_type("treatmentTypes/microneedling");
  request.set_practitioner(clinic.practitioner(7));
  const absl::CivilDay monday = kFirstDay + 7 * 260;
  *request.mutable_start_date() = DateOf(monday);
  *request.mutable_end_date() = DateOf(monday + 6);
  if (with_patient) request.set_patient(clinic.base().patients()[3].name());
  const absl::Time now =
      absl::FromCivil(absl::CivilSecond(kFirstDay + 7 * 259), absl::UTCTimeZone());
  std::vector<double> micros;
  for (auto _ : state) {
    const absl::Time began = absl::Now();
    absl::StatusOr<clinic::v1::SearchAvailabilityResponse> found = booking::SearchAvailability(
        clinic.base().db(), clinic.registry(), clinic.base().admin(), request, now);
    micros.push_back(absl::ToDoubleMicroseconds(absl::Now() - began));
    if (!found.ok()) {
      state.SkipWithError(found.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(found->slots_size());
  }
  std::sort(micros.begin(), micros.end());
  if (!micros.empty()) {
    state.counters["p50_us"] = micros[micros.size() / 2];
    state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  }
}

void BM_SearchAvailabilityPractitionerWeek(benchmark::State& state) { RunSearch(state, false); }
BENCHMARK(BM_SearchAvailabilityPractitionerWeek)->UseRealTime()->Iterations(2000);

void BM_SearchAvailabilityPractitionerWeekForAPatient(benchmark::State& state) {
  RunSearch(state, true);
}
BENCHMARK(BM_SearchAvailabilityPractitionerWeekForAPatient)->UseRealTime()->Iterations(2000);

}  // namespace
}  // namespace clinicd::bench
