#pragma once

// The worker's command-line flags, their environment fallbacks, and the
// checked configuration made from them. Every refusal names the flag (or
// variable) at fault; main() prints it and exits with status 2.

#include <optional>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/common/command_line.h"
#include "clients/common/connection_flags.h"
#include "clients/reminder_worker/smtp_channel.h"
#include "clients/reminder_worker/webhook_channel.h"
#include "clinic/v1/patient_service.pb.h"

ABSL_DECLARE_FLAG(std::string, clinic);
ABSL_DECLARE_FLAG(int, batch);
ABSL_DECLARE_FLAG(absl::Duration, lease);
ABSL_DECLARE_FLAG(std::string, worker_id);
ABSL_DECLARE_FLAG(absl::Duration, poll_interval);
ABSL_DECLARE_FLAG(absl::Duration, max_backoff);
ABSL_DECLARE_FLAG(absl::Duration, delivery_timeout);
ABSL_DECLARE_FLAG(std::string, smtp_url);
ABSL_DECLARE_FLAG(std::string, smtp_from);
ABSL_DECLARE_FLAG(std::string, smtp_user);
ABSL_DECLARE_FLAG(std::string, smtp_starttls);
ABSL_DECLARE_FLAG(std::string, webhook_url);
ABSL_DECLARE_FLAG(std::string, webhook_secret_file);
ABSL_DECLARE_FLAG(std::string, outbox_file);
ABSL_DECLARE_FLAG(std::string, file_channel);
ABSL_DECLARE_FLAG(std::string, log_level);

namespace clinicd::reminder_worker {

// Everything the worker runs with, checked: the connection to clinicd
// (--server, --api_key and the TLS flags every client shares) and the rest.
struct WorkerConfig : client::ConnectionOptions {
  // `clinics/{clinic}`, or empty for every clinic the key may see.
  std::string parent;
  // Notifications per claim, 1-100.
  int batch = 10;
  // Lease asked for with each claim; longer than `delivery_timeout`.
  absl::Duration lease;
  // Recorded with each lease.
  std::string worker_id;
  // Wait after an empty claim.
  absl::Duration poll_interval;
  // Longest wait between claims while clinicd is unavailable.
  absl::Duration max_backoff;
  // Upper bound of one SMTP or webhook delivery.
  absl::Duration delivery_timeout;
  // The configured channels.
  std::optional<SmtpOptions> smtp;
  std::optional<WebhookOptions> webhook;
  // The outbox file and the notification channels routed to it.
  std::string outbox_file;
  std::vector<clinic::v1::NotificationChannel> file_channels;
  // spdlog level name.
  std::string log_level;
};

using client::EnvironmentLookup;

// The configuration from the parsed flags, with the environment (`getenv`)
// filling what the flags leave empty: CLINICD_ADDRESS, CLINICD_API_KEY,
// CLINICD_SMTP_PASSWORD, CLINICD_WEBHOOK_SECRET. INVALID_ARGUMENT naming the
// flag when something is missing, malformed or contradictory.
absl::StatusOr<WorkerConfig> ConfigFromFlags(const EnvironmentLookup& getenv);

// Checks `argv` before absl parses it (clients/common/command_line.h).
using client::CheckCommandLine;

}  // namespace clinicd::reminder_worker
