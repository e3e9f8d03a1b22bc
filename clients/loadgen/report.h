#pragma once

// Prints a run's summary for people (aligned text) or scripts (one JSON line).

#include <ostream>
#include <string>

#include "clients/loadgen/call_stats.h"

namespace clinicd::loadgen {

// Several lines: scenario, clients, calls, errors by code with the first
// message of each, throughput, and latency overall and per operation.
void PrintText(const RunSummary& summary, const std::string& target, std::ostream& out);

// One line of JSON with the same figures, e.g.
// {"scenario":"get_patient","clients":8,"seconds":10.0,"calls":41000,
//  "errors":{},"error_count":0,"calls_per_s":4100.0,"p50_ms":1.8,...}.
void PrintJson(const RunSummary& summary, const std::string& target, std::ostream& out);

}  // namespace clinicd::loadgen
