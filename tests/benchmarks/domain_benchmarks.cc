// The pure rules patient writes and searches run on every call: phone
// parsing (libphonenumber) and name folding (ICU).

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "clients/loadgen/sample_patients.h"
#include "services/domain/contact_validation.h"
#include "services/domain/name_search.h"

namespace clinicd::bench {
namespace {

constexpr int kInputs = 512;

// A German phone number as written, to E.164 in region DE.
void BM_NormalizePhoneNumber(benchmark::State& state) {
  loadgen::SamplePatients samples(/*seed=*/3);
  std::vector<std::string> inputs;
  while (static_cast<int>(inputs.size()) < kInputs) {
    clinic::v1::Patient patient = samples.Next();
    if (!patient.phone_number().empty()) inputs.push_back(patient.phone_number());
  }
  size_t i = 0;
  for (auto _ : state) {
    absl::StatusOr<std::string> e164 =
        domain::NormalizePhoneNumber(inputs[i++ % inputs.size()], "DE");
    if (!e164.ok()) {
      state.SkipWithError(e164.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(e164->data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizePhoneNumber)->MinTime(0.5);

// Case and accent folding of a full name ("Jürgen Müller" -> "jurgen muller").
void BM_FoldForSearch(benchmark::State& state) {
  loadgen::SamplePatients samples(/*seed=*/5);
  std::vector<std::string> names;
  int64_t bytes = 0;
  for (int i = 0; i < kInputs; ++i) {
    clinic::v1::Patient patient = samples.Next();
    names.push_back(patient.given_name() + " " + patient.family_name());
  }
  size_t i = 0;
  for (auto _ : state) {
    const std::string& name = names[i++ % names.size()];
    std::string folded = domain::FoldForSearch(name);
    benchmark::DoNotOptimize(folded.data());
    bytes += static_cast<int64_t>(name.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_FoldForSearch)->MinTime(0.5);

}  // namespace
}  // namespace clinicd::bench
