// What every RPC pays before its handler runs: RpcGuard authenticates the
// bearer secret against the database on each call.

#include <benchmark/benchmark.h>

#include "services/auth/api_keys.h"
#include "tests/benchmarks/benchmark_clinic.h"

namespace clinicd::bench {
namespace {

// AuthenticateSecret: SHA-256 of the secret, then a read transaction with
// the key lookup and its clinic list.
void BM_AuthenticateSecret(benchmark::State& state) {
  BenchmarkClinic& clinic = TenThousandPatients();
  static const auth::NewApiKey key = [&] {
    absl::StatusOr<auth::NewApiKey> created =
        auth::CreateApiKey(clinic.db(), auth::Role::kFrontDesk, {}, "benchmark");
    CheckOk(created.status(), "creating an API key");
    return *created;
  }();
  for (auto _ : state) {
    absl::StatusOr<auth::Principal> principal = auth::AuthenticateSecret(clinic.db(), key.secret);
    if (!principal.ok()) {
      state.SkipWithError(principal.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(principal->role);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuthenticateSecret)->MinTime(0.5)->UseRealTime()->ThreadRange(1, 2);

}  // namespace
}  // namespace clinicd::bench
