#include "clients/loadgen/call_stats.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

namespace clinicd::loadgen {
namespace {

// Percentiles of `latencies_ns`, which it sorts.
LatencySummary Percentiles(std::vector<int64_t>& latencies_ns) {
  LatencySummary summary;
  summary.calls = static_cast<int64_t>(latencies_ns.size());
  if (latencies_ns.empty()) return summary;
  std::sort(latencies_ns.begin(), latencies_ns.end());
  auto at = [&](double fraction) {
    const size_t rank =
        static_cast<size_t>(std::ceil(fraction * static_cast<double>(latencies_ns.size())));
    return static_cast<double>(latencies_ns[std::max<size_t>(rank, 1) - 1]) / 1e6;
  };
  summary.p50_ms = at(0.50);
  summary.p90_ms = at(0.90);
  summary.p99_ms = at(0.99);
  summary.max_ms = static_cast<double>(latencies_ns.back()) / 1e6;
  return summary;
}

}  // namespace

const char* OperationName(Operation op) {
  switch (op) {
    case Operation::kCreate:
      return "create";
    case Operation::kSearch:
      return "search";
    case Operation::kGet:
      return "get";
    case Operation::kList:
      return "list";
    case Operation::kBook:
      return "book";
    case Operation::kSearchAvailability:
      return "search_availability";
    case Operation::kGetClinic:
      return "get_clinic";
  }
  return "?";
}

std::string CodeName(grpc::StatusCode code) {
  // In the order of their numbers, 0 to 16.
  static constexpr const char* kNames[] = {"OK",
                                           "CANCELLED",
                                           "UNKNOWN",
                                           "INVALID_ARGUMENT",
                                           "DEADLINE_EXCEEDED",
                                           "NOT_FOUND",
                                           "ALREADY_EXISTS",
                                           "PERMISSION_DENIED",
                                           "RESOURCE_EXHAUSTED",
                                           "FAILED_PRECONDITION",
                                           "ABORTED",
                                           "OUT_OF_RANGE",
                                           "UNIMPLEMENTED",
                                           "INTERNAL",
                                           "UNAVAILABLE",
                                           "DATA_LOSS",
                                           "UNAUTHENTICATED"};
  const int number = static_cast<int>(code);
  if (number >= 0 && number < static_cast<int>(std::size(kNames))) return kNames[number];
  return "CODE_" + std::to_string(number);
}

void ThreadStats::Record(Operation op, absl::Duration latency, const grpc::Status& status) {
  latencies_ns[static_cast<int>(op)].push_back(absl::ToInt64Nanoseconds(latency));
  if (status.ok()) return;
  ErrorCount& error = errors[CodeName(status.error_code())];
  if (error.count++ == 0) error.first_message = status.error_message();
}

int64_t RunSummary::ErrorTotal() const {
  int64_t total = 0;
  for (const auto& [code, error] : errors) total += error.count;
  return total;
}

double RunSummary::CallsPerSecond() const {
  return seconds > 0 ? static_cast<double>(all.calls) / seconds : 0;
}

RunSummary Summarize(std::string scenario, int clients, absl::Duration elapsed,
                     std::vector<ThreadStats> threads) {
  RunSummary summary;
  summary.scenario = std::move(scenario);
  summary.clients = clients;
  summary.seconds = absl::ToDoubleSeconds(elapsed);
  std::vector<int64_t> all;
  for (int op = 0; op < kOperationCount; ++op) {
    std::vector<int64_t> merged;
    for (ThreadStats& thread : threads) {
      merged.insert(merged.end(), thread.latencies_ns[op].begin(), thread.latencies_ns[op].end());
      thread.latencies_ns[op].clear();
    }
    if (merged.empty()) continue;
    all.insert(all.end(), merged.begin(), merged.end());
    summary.by_operation[OperationName(static_cast<Operation>(op))] = Percentiles(merged);
  }
  summary.all = Percentiles(all);
  for (const ThreadStats& thread : threads) {
    for (const auto& [code, error] : thread.errors) {
      ErrorCount& total = summary.errors[code];
      if (total.count == 0) total.first_message = error.first_message;
      total.count += error.count;
    }
  }
  return summary;
}

}  // namespace clinicd::loadgen
