// clinic-loadgen: drives a running clinicd through the public clinic.v1 API
// and reports throughput and latency.
//
//   clinic-loadgen --target=127.0.0.1:50051 --key=clinicd_...
//       --scenario=search_patients --clients=8 --duration=10s [--json]
//
// It creates one clinic, preloads --patients sample patients for the read
// scenarios, then runs --clients threads, each with its own connection,
// making calls back-to-back for --duration. Latency is measured per call in
// the client, so it includes the network stack and (de)serialization.

#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/loadgen/call_stats.h"
#include "clients/loadgen/clinic_client.h"
#include "clients/loadgen/report.h"
#include "clients/loadgen/scenario.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "clinicd address, HOST:PORT");
ABSL_FLAG(std::string, key, "",
          "secret of an admin API key (default: the CLINICD_API_KEY environment variable)");
ABSL_FLAG(int, clients, 8, "concurrent client threads, each with its own connection");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "how long the measured run lasts");
ABSL_FLAG(std::string, scenario, "mixed", "create_patients, search_patients, get_patient or mixed");
ABSL_FLAG(int, patients, 2000, "patients to preload for the read and mixed scenarios");
ABSL_FLAG(bool, json, false, "print one JSON line instead of text");

namespace clinicd::loadgen {
namespace {

int Fail(const std::string& what, const grpc::Status& status) {
  std::cerr << "clinic-loadgen: " << what << " failed: " << CodeName(status.error_code()) << ": "
            << status.error_message() << "\n";
  return 1;
}

// Runs `body(i)` on `count` threads at once and waits for all of them.
template <typename Body>
void OnThreads(int count, Body body) {
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) threads.emplace_back(body, i);
  for (std::thread& thread : threads) thread.join();
}

int Run() {
  std::string key = absl::GetFlag(FLAGS_key);
  if (key.empty() && std::getenv("CLINICD_API_KEY")) key = std::getenv("CLINICD_API_KEY");
  const std::string target = absl::GetFlag(FLAGS_target);
  const int clients = absl::GetFlag(FLAGS_clients);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const int patients = absl::GetFlag(FLAGS_patients);
  const std::optional<Scenario> scenario = ParseScenario(absl::GetFlag(FLAGS_scenario));
  if (key.empty() || clients < 1 || duration <= absl::ZeroDuration() || !scenario ||
      (NeedsPatients(*scenario) && patients < 1)) {
    std::cerr << "clinic-loadgen: need --key (or CLINICD_API_KEY), --clients >= 1, a "
                 "positive --duration, a known --scenario and, to read, --patients >= 1\n";
    return 2;
  }

  std::random_device random;
  const uint64_t seed = (uint64_t{random()} << 32) ^ random();
  std::vector<std::unique_ptr<ClinicClient>> threads;
  for (int i = 0; i < clients; ++i) {
    std::shared_ptr<grpc::Channel> channel = OwnChannel(target);
    if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(10)))) {
      return Fail("connecting to " + target,
                  grpc::Status(grpc::StatusCode::UNAVAILABLE, "no connection within 10 s"));
    }
    threads.push_back(std::make_unique<ClinicClient>(channel, key, seed + 1000 + i));
  }

  clinic::v1::Clinic clinic;
  grpc::Status status = threads[0]->CreateClinic(
      "Hautzentrum Lasttest " +
          absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::Now(), absl::LocalTimeZone()),
      &clinic);
  if (!status.ok()) return Fail("CreateClinic", status);
  Dataset dataset{clinic.name(), {}};

  if (NeedsPatients(*scenario)) {
    const absl::Time start = absl::Now();
    std::vector<std::vector<clinic::v1::Patient>> created(clients);
    std::vector<grpc::Status> results(clients);
    OnThreads(clients, [&](int i) {
      const int count = patients / clients + (i < patients % clients ? 1 : 0);
      results[i] = Preload(*threads[i], dataset.clinic, count, seed + i, &created[i]);
    });
    for (int i = 0; i < clients; ++i) {
      if (!results[i].ok()) return Fail("preloading patients", results[i]);
      dataset.patients.insert(dataset.patients.end(), created[i].begin(), created[i].end());
    }
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    std::cerr << "clinic-loadgen: preloaded " << dataset.patients.size() << " patients into "
              << dataset.clinic << " in " << seconds << " s\n";
  }

  absl::Notification go;
  absl::Time deadline;
  std::vector<ThreadStats> stats(clients);
  std::vector<std::thread> workers;
  for (int i = 0; i < clients; ++i) {
    workers.emplace_back([&, i] {
      go.WaitForNotification();
      stats[i] = RunClient(*scenario, *threads[i], dataset, deadline, seed + 2000 + i);
    });
  }
  const absl::Time start = absl::Now();
  deadline = start + duration;
  go.Notify();
  for (std::thread& worker : workers) worker.join();
  const RunSummary summary =
      Summarize(ScenarioName(*scenario), clients, absl::Now() - start, std::move(stats));

  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(summary, target, std::cout);
  } else {
    PrintText(summary, target, std::cout);
  }
  return 0;
}

}  // namespace
}  // namespace clinicd::loadgen

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Load generator for clinicd.\n"
      "  clinic-loadgen --target=HOST:PORT --key=SECRET "
      "--scenario=create_patients|search_patients|get_patient|mixed\n"
      "                 [--clients=8] [--duration=10s] [--patients=2000] [--json]");
  absl::ParseCommandLine(argc, argv);
  return clinicd::loadgen::Run();
}
