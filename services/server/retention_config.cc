#include "services/server/retention_config.h"

#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"

namespace clinicd::server {
namespace {

using clinicd::config::v1::RetentionConfig;

constexpr absl::Duration kDay = absl::Hours(24);
// Ten years of days, leap days included.
constexpr absl::Duration kTenYears = absl::Hours(24 * 3653);

google::protobuf::Duration Days(int64_t days) {
  google::protobuf::Duration duration;
  duration.set_seconds(days * 24 * 3600);
  return duration;
}

// One bounded duration field: `retention.<name>` from `low` to `high`.
absl::Status CheckDuration(absl::string_view name, const google::protobuf::Duration& value,
                           absl::Duration low, absl::Duration high, absl::string_view bounds) {
  const absl::Duration duration = FromProtoDuration(value);
  if (IsValidDuration(value) && duration >= low && duration <= high) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("retention.", name, " must be from ", bounds,
                                                 "; got ", absl::FormatDuration(duration)));
}

}  // namespace

void SetRetentionDefaults(RetentionConfig* retention) {
  // Retries come within minutes; a week covers a client that retries after
  // an outage over a long weekend.
  *retention->mutable_idempotency_window() = Days(7);
  // A year and a month: what was sent and what happened can be looked up a
  // year later (a complaint, an annual review), and the longest cycle
  // clinicd runs, a maintenance recall lapsing at 12 months, is inside it.
  *retention->mutable_finished_message_retention() = Days(400);
  *retention->mutable_event_retention() = Days(400);
  retention->mutable_interval()->set_seconds(3600);
  retention->set_batch_size(500);
}

absl::Status ValidateRetention(const RetentionConfig& retention) {
  if (absl::Status s = CheckDuration("idempotency_window", retention.idempotency_window(),
                                     absl::Hours(1), 90 * kDay, "1 hour to 90 days");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckDuration("finished_message_retention", retention.finished_message_retention(),
                        7 * kDay, kTenYears, "7 days to 10 years");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDuration("event_retention", retention.event_retention(), 7 * kDay,
                                     kTenYears, "7 days to 10 years");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDuration("interval", retention.interval(), absl::Minutes(1),
                                     kDay, "1 minute to 24 hours");
      !s.ok()) {
    return s;
  }
  if (retention.batch_size() < 10 || retention.batch_size() > 10000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "retention.batch_size must be from 10 to 10000; got ", retention.batch_size()));
  }
  return absl::OkStatus();
}

retention::RetentionPolicy RetentionPolicyOf(const RetentionConfig& retention) {
  retention::RetentionPolicy policy;
  policy.idempotency_window = FromProtoDuration(retention.idempotency_window());
  policy.finished_messages = FromProtoDuration(retention.finished_message_retention());
  policy.events = FromProtoDuration(retention.event_retention());
  policy.batch_size = retention.batch_size();
  return policy;
}

std::unique_ptr<retention::RetentionJob> StartRetentionJob(store::Database& db,
                                                          const Clock& clock,
                                                          const RetentionConfig& retention) {
  return std::make_unique<retention::RetentionJob>(db, clock, RetentionPolicyOf(retention),
                                                   FromProtoDuration(retention.interval()));
}

}  // namespace clinicd::server
