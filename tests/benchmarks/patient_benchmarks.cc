// The patient paths a front desk hits all day, measured below gRPC: the
// generic standard methods and the search, on a real SQLite file.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "clients/loadgen/sample_patients.h"
#include "services/patient/patient_kind.h"
#include "services/patient/patient_search.h"
#include "services/resources/resource_crud.h"
#include "tests/benchmarks/benchmark_clinic.h"

namespace clinicd::bench {
namespace {

using clinic::v1::Patient;

// Enough distinct inputs that caches do not see the same key every time.
constexpr int kQueries = 512;

// CreatePatient minus gRPC: validation, phone parsing, name folding, the
// insert and the idempotency record in one durable (synchronous=FULL) write.
void BM_CreatePatient(benchmark::State& state) {
  static BenchmarkClinic clinic(/*patients=*/0);
  resources::ResourceCrud<Patient> crud(clinic.db(), patient::PatientKind());
  loadgen::SamplePatients samples(/*seed=*/7);
  std::vector<Patient> patients;
  for (int i = 0; i < kQueries; ++i) patients.push_back(samples.Next());
  static int64_t request_number = 0;
  size_t i = 0;
  for (auto _ : state) {
    clinic::v1::CreatePatientRequest request;
    request.set_parent(clinic.clinic());
    *request.mutable_patient() = patients[i++ % patients.size()];
    request.set_request_id("bench-" + std::to_string(++request_number));
    absl::StatusOr<Patient> created = crud.Create(clinic.admin(), request.parent(),
                                                  request.patient(), request, request.request_id());
    if (!created.ok()) {
      state.SkipWithError(created.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CreatePatient)->MinTime(0.5)->UseRealTime();

// GetPatient minus gRPC: one primary-key read on a pooled connection.
void BM_GetPatient(benchmark::State& state) {
  BenchmarkClinic& clinic = TenThousandPatients();
  resources::ResourceCrud<Patient> crud(clinic.db(), patient::PatientKind());
  const std::vector<Patient>& patients = clinic.patients();
  size_t i = static_cast<size_t>(state.thread_index()) * 5000;
  for (auto _ : state) {
    absl::StatusOr<Patient> patient =
        crud.Get(clinic.admin(), patients[i++ * 7919 % patients.size()].name());
    if (!patient.ok()) {
      state.SkipWithError(patient.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetPatient)->MinTime(0.5)->UseRealTime()->ThreadRange(1, 2);

// Runs SearchPatients (page of 20, as clinic-loadgen asks) over `queries`,
// counting the patients found per search.
void RunSearch(benchmark::State& state, const std::vector<std::string>& queries) {
  BenchmarkClinic& clinic = TenThousandPatients();
  size_t i = static_cast<size_t>(state.thread_index()) * 31;
  int64_t found = 0;
  for (auto _ : state) {
    absl::StatusOr<resources::Page<Patient>> page = patient::SearchPatients(
        clinic.db(), clinic.admin(), clinic.clinic(), queries[i++ % queries.size()],
        /*page_size=*/20, /*page_token=*/"");
    if (!page.ok()) {
      state.SkipWithError(page.status().ToString().c_str());
      break;
    }
    found += static_cast<int64_t>(page->items.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["found"] =
      benchmark::Counter(static_cast<double>(found), benchmark::Counter::kAvgIterations);
}

// Name search over 10,000 patients: a prefix of the family name, sometimes
// with one of the given name, as receptionists type them.
void BM_SearchPatientsByName(benchmark::State& state) {
  BenchmarkClinic& clinic = TenThousandPatients();
  loadgen::SamplePatients samples(/*seed=*/11);
  std::vector<std::string> queries;
  for (int i = 0; i < kQueries; ++i) {
    queries.push_back(
        samples.NameQuery(clinic.patients()[samples.Index(clinic.patients().size())]));
  }
  RunSearch(state, queries);
}
BENCHMARK(BM_SearchPatientsByName)->MinTime(0.5)->UseRealTime()->ThreadRange(1, 2);

// Phone search over 10,000 patients, numbers typed in national form.
void BM_SearchPatientsByPhone(benchmark::State& state) {
  BenchmarkClinic& clinic = TenThousandPatients();
  std::vector<std::string> queries;
  for (const Patient& patient : clinic.patients()) {
    if (static_cast<int>(queries.size()) == kQueries) break;
    if (!patient.phone_number().empty()) {
      queries.push_back(loadgen::SamplePatients::NationalPhone(patient.phone_number()));
    }
  }
  RunSearch(state, queries);
}
BENCHMARK(BM_SearchPatientsByPhone)->MinTime(0.5)->UseRealTime();

// ListPatients, pages of 50, scrolling through all 10,000 with page tokens.
void BM_ListPatientsPage(benchmark::State& state) {
  BenchmarkClinic& clinic = TenThousandPatients();
  resources::ResourceCrud<Patient> crud(clinic.db(), patient::PatientKind());
  std::string token;
  for (auto _ : state) {
    absl::StatusOr<resources::Page<Patient>> page =
        crud.List(clinic.admin(), clinic.clinic(), /*page_size=*/50, token);
    if (!page.ok()) {
      state.SkipWithError(page.status().ToString().c_str());
      break;
    }
    token = page->next_page_token;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ListPatientsPage)->MinTime(0.5)->UseRealTime();

}  // namespace
}  // namespace clinicd::bench
