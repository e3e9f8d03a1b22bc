// clinic-loadgen: drives a running clinicd through the public clinic.v1 API
// and reports throughput and latency.
//
//   clinic-loadgen --target=127.0.0.1:50051 --key=clinicd_...
//       --scenario=search_patients --clients=8 --duration=10s [--json]
//
// It creates one clinic, preloads --patients sample patients for the read
// scenarios, then runs --clients threads, each with its own connection,
// making calls back-to-back for --duration: --clients is the number of calls
// in flight. Latency is measured per call in the client, so it includes the
// network stack and (de)serialization.
//
// The booking scenarios work in a clinic made once for them:
//   clinic-loadgen --scenario=setup_booking --setup_file=F [--practitioners=8]
// creates it (practitioners, rooms, cleared patients with consultations) and
// writes F; then --scenario=book|search_availability|get_clinic
// --setup_file=F run in it, book from grid slot --first_slot on (its JSON
// says next_slot, where the next book run starts).

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
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
#include "clients/loadgen/booking_setup.h"
#include "clients/loadgen/call_stats.h"
#include "clients/loadgen/clinic_client.h"
#include "clients/loadgen/report.h"
#include "clients/loadgen/scenario.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "clinicd address, HOST:PORT");
ABSL_FLAG(std::string, key, "",
          "secret of an admin API key (default: the CLINICD_API_KEY environment variable)");
ABSL_FLAG(int, clients, 8, "concurrent client threads, each with its own connection");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "how long the measured run lasts");
ABSL_FLAG(std::string, scenario, "mixed",
          "create_patients, search_patients, get_patient, mixed, book, search_availability, "
          "get_clinic, or setup_booking (makes --setup_file, measures nothing)");
ABSL_FLAG(std::string, setup_file, "",
          "booking set-up to write (setup_booking) or to run in (book, search_availability; "
          "get_clinic uses its clinic when given)");
ABSL_FLAG(int, practitioners, 8,
          "setup_booking: practitioners (and rooms); the patients follow, 480 per practitioner");
ABSL_FLAG(int64_t, first_slot, 0, "book: the first grid slot to book (a previous run's next_slot)");
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

// Makes the booking set-up through `clients` and writes it to --setup_file.
int SetUpBooking(const std::vector<std::unique_ptr<ClinicClient>>& clients, uint64_t seed) {
  const int practitioners = absl::GetFlag(FLAGS_practitioners);
  const std::string path = absl::GetFlag(FLAGS_setup_file);
  if (path.empty() || practitioners < 1) {
    std::cerr << "clinic-loadgen: setup_booking needs --setup_file and --practitioners >= 1\n";
    return 2;
  }
  std::vector<ClinicClient*> threads;
  for (const auto& client : clients) threads.push_back(client.get());
  const absl::Time start = absl::Now();
  BookingSetup setup;
  grpc::Status status = CreateBookingSetup(threads, practitioners, seed, &setup);
  if (!status.ok()) return Fail("setting up for booking", status);
  status = SaveBookingSetup(setup, path);
  if (!status.ok()) return Fail("saving the set-up", status);
  std::cerr << "clinic-loadgen: set up " << setup.clinic << " with " << practitioners
            << " practitioners and " << setup.patients.size() << " cleared patients in "
            << absl::ToDoubleSeconds(absl::Now() - start) << " s; sessions from "
            << absl::FormatCivilTime(setup.first_session_day) << "\n";
  std::cout << setup.clinic << "\n";
  return 0;
}

int Run() {
  std::string key = absl::GetFlag(FLAGS_key);
  if (key.empty() && std::getenv("CLINICD_API_KEY")) key = std::getenv("CLINICD_API_KEY");
  const std::string target = absl::GetFlag(FLAGS_target);
  const int clients = absl::GetFlag(FLAGS_clients);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const int patients = absl::GetFlag(FLAGS_patients);
  const bool setting_up = absl::GetFlag(FLAGS_scenario) == "setup_booking";
  const std::optional<Scenario> scenario =
      setting_up ? Scenario::kBook : ParseScenario(absl::GetFlag(FLAGS_scenario));
  const std::string setup_file = absl::GetFlag(FLAGS_setup_file);
  if (key.empty() || clients < 1 || duration <= absl::ZeroDuration() || !scenario ||
      (NeedsPatients(*scenario) && patients < 1) ||
      (NeedsBookingSetup(*scenario) && setup_file.empty())) {
    std::cerr << "clinic-loadgen: need --key (or CLINICD_API_KEY), --clients >= 1, a "
                 "positive --duration, a known --scenario, to read, --patients >= 1 and, "
                 "to book or search slots, --setup_file\n";
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

  if (setting_up) return SetUpBooking(threads, seed);

  Dataset dataset;
  BookingSetup booking;
  std::optional<BookingGrid> grid;
  std::atomic<int64_t> next_slot{absl::GetFlag(FLAGS_first_slot)};
  if (!setup_file.empty() && (NeedsBookingSetup(*scenario) || *scenario == Scenario::kGetClinic)) {
    grpc::Status status = LoadBookingSetup(setup_file, &booking);
    if (!status.ok()) return Fail("reading the set-up", status);
    grid.emplace(booking.Grid());
    dataset.clinic = booking.clinic;
    dataset.booking = &booking;
    dataset.grid = &*grid;
    dataset.next_slot = &next_slot;
  } else {
    clinic::v1::Clinic clinic;
    grpc::Status status = threads[0]->CreateClinic(
        "Hautzentrum Lasttest " +
            absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::Now(), absl::LocalTimeZone()),
        &clinic);
    if (!status.ok()) return Fail("CreateClinic", status);
    dataset.clinic = clinic.name();
  }

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
  RunSummary summary =
      Summarize(ScenarioName(*scenario), clients, absl::Now() - start, std::move(stats));
  if (*scenario == Scenario::kBook) summary.next_slot = next_slot.load();

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
      "                 [--clients=8] [--duration=10s] [--patients=2000] [--json]\n"
      "  clinic-loadgen ... --scenario=setup_booking --setup_file=F [--practitioners=8]\n"
      "  clinic-loadgen ... --scenario=book|search_availability|get_clinic --setup_file=F\n"
      "                 [--first_slot=0] [--clients=8] [--duration=10s] [--json]");
  absl::ParseCommandLine(argc, argv);
  return clinicd::loadgen::Run();
}
