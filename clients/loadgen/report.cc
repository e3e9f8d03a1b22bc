#include "clients/loadgen/report.h"

#include <cstdio>

namespace clinicd::loadgen {
namespace {

// `value` with a fixed number of decimals.
std::string Fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

// `text` as a JSON string literal.
std::string JsonString(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof(escape), "\\u%04x", c);
          quoted += escape;
        } else {
          quoted += c;
        }
    }
  }
  return quoted + "\"";
}

std::string LatencyText(const LatencySummary& latency) {
  return "p50 " + Fixed(latency.p50_ms, 2) + "  p90 " + Fixed(latency.p90_ms, 2) + "  p99 " +
         Fixed(latency.p99_ms, 2) + "  max " + Fixed(latency.max_ms, 2);
}

// The percentile fields of `latency`, without braces.
std::string LatencyJson(const LatencySummary& latency) {
  return "\"p50_ms\":" + Fixed(latency.p50_ms, 3) + ",\"p90_ms\":" + Fixed(latency.p90_ms, 3) +
         ",\"p99_ms\":" + Fixed(latency.p99_ms, 3) + ",\"max_ms\":" + Fixed(latency.max_ms, 3);
}

}  // namespace

void PrintText(const RunSummary& summary, const std::string& target, std::ostream& out) {
  out << "scenario     " << summary.scenario << "\n"
      << "target       " << target << "\n"
      << "clients      " << summary.clients << "\n"
      << "duration     " << Fixed(summary.seconds, 2) << " s\n"
      << "calls        " << summary.all.calls << " (" << summary.ErrorTotal() << " failed)\n";
  if (summary.errors.empty()) {
    out << "errors       none\n";
  }
  for (const auto& [code, error] : summary.errors) {
    out << "errors       " << code << " x" << error.count << ": " << error.first_message << "\n";
  }
  out << "throughput   " << Fixed(summary.CallsPerSecond(), 1) << " calls/s\n"
      << "latency ms   " << LatencyText(summary.all) << "\n";
  if (summary.next_slot >= 0) out << "next slot    " << summary.next_slot << "\n";
  if (summary.by_operation.size() > 1) {
    for (const auto& [op, latency] : summary.by_operation) {
      out << "  " << op << std::string(11 - std::min<size_t>(op.size(), 10), ' ') << latency.calls
          << " calls, " << LatencyText(latency) << "\n";
    }
  }
}

void PrintJson(const RunSummary& summary, const std::string& target, std::ostream& out) {
  std::string errors;
  for (const auto& [code, error] : summary.errors) {
    if (!errors.empty()) errors += ",";
    errors += JsonString(code) + ":{\"count\":" + std::to_string(error.count) +
              ",\"first_message\":" + JsonString(error.first_message) + "}";
  }
  std::string operations;
  for (const auto& [op, latency] : summary.by_operation) {
    if (!operations.empty()) operations += ",";
    operations += JsonString(op) + ":{\"calls\":" + std::to_string(latency.calls) + "," +
                  LatencyJson(latency) + "}";
  }
  out << "{\"scenario\":" << JsonString(summary.scenario) << ",\"target\":" << JsonString(target)
      << ",\"clients\":" << summary.clients << ",\"seconds\":" << Fixed(summary.seconds, 3)
      << ",\"calls\":" << summary.all.calls << ",\"error_count\":" << summary.ErrorTotal()
      << ",\"errors\":{" << errors << "}"
      << ",\"calls_per_s\":" << Fixed(summary.CallsPerSecond(), 1) << ","
      << LatencyJson(summary.all) << ",\"operations\":{" << operations << "}";
  if (summary.next_slot >= 0) out << ",\"next_slot\":" << summary.next_slot;
  out << "}" << std::endl;
}

}  // namespace clinicd::loadgen
