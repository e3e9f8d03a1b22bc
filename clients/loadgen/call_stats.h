#pragma once

// What the client threads measured, and its merge into one summary: call
// counts, failures by gRPC code, and latency percentiles overall and per
// operation.

#include <grpcpp/support/status.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace clinicd::loadgen {

// The RPCs the scenarios make.
enum class Operation { kCreate, kSearch, kGet, kList, kBook, kSearchAvailability, kGetClinic };
constexpr int kOperationCount = 7;

// Short name of `op` for reports, e.g. "search".
const char* OperationName(Operation op);

// The upper-snake name of a gRPC code, e.g. "UNAVAILABLE".
std::string CodeName(grpc::StatusCode code);

// Failed calls with one code.
struct ErrorCount {
  int64_t count = 0;
  // The first message seen, to tell causes apart.
  std::string first_message;
};

// Everything one client thread recorded; merged only after it stopped.
struct ThreadStats {
  // Latency of every call, OK or not, in nanoseconds, per operation.
  std::array<std::vector<int64_t>, kOperationCount> latencies_ns;
  // Failed calls by code name.
  std::map<std::string, ErrorCount> errors;

  // Records one call of `op` that took `latency` and ended with `status`.
  void Record(Operation op, absl::Duration latency, const grpc::Status& status);
};

// Latency percentiles (nearest rank) of a set of calls.
struct LatencySummary {
  int64_t calls = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// One run of one scenario.
struct RunSummary {
  std::string scenario;
  int clients = 0;
  // From the start signal until the last thread stopped.
  double seconds = 0;
  LatencySummary all;
  // Per operation, only those the scenario made.
  std::map<std::string, LatencySummary> by_operation;
  std::map<std::string, ErrorCount> errors;
  // For the book scenario: the first grid slot no call of this run tried,
  // where the next run starts; -1 otherwise.
  int64_t next_slot = -1;

  int64_t ErrorTotal() const;
  double CallsPerSecond() const;
};

// Merges the threads' records (consuming them) into a summary.
RunSummary Summarize(std::string scenario, int clients, absl::Duration elapsed,
                     std::vector<ThreadStats> threads);

}  // namespace clinicd::loadgen
