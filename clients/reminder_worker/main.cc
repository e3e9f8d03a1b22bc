// clinic-reminder-worker: delivers clinicd's outbox. It claims due
// notifications with ClaimNotifications, sends each by e-mail (SMTP), webhook
// or, for development, to a local file, and acknowledges every result.
//
//   CLINICD_API_KEY=... clinic-reminder-worker --server=HOST:PORT
//       --smtp_url=smtp://relay:587 --smtp_from=praxis@example.org
//       [--webhook_url=https://... --webhook_secret_file=FILE]
//       [--file_channel=sms --outbox_file=outbox.jsonl]
//
// Several workers may run at once: clinicd leases each notification to one.
// SIGTERM/SIGINT: the delivery under way finishes, the rest of the batch is
// released, and the worker exits 0. Bad flags exit 2.

#include <grpcpp/grpcpp.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "clients/common/connection_flags.h"
#include "clients/reminder_worker/channel_router.h"
#include "clients/reminder_worker/curl_easy.h"
#include "clients/reminder_worker/shutdown_signals.h"
#include "clients/reminder_worker/worker_flags.h"
#include "clients/reminder_worker/worker_loop.h"

namespace clinicd::reminder_worker {
namespace {

LoopOptions LoopOptionsFrom(const WorkerConfig& config) {
  LoopOptions options;
  options.parent = config.parent;
  options.batch = config.batch;
  options.lease = config.lease;
  options.worker_id = config.worker_id;
  options.poll_interval = config.poll_interval;
  options.max_backoff = config.max_backoff;
  options.delivery_timeout = config.delivery_timeout;
  return options;
}

int Run(const WorkerConfig& config) {
  // A peer that closes a connection mid-write is an error to report, not a reason to die.
  signal(SIGPIPE, SIG_IGN);
  absl::Notification stop;
  // Before any other thread (gRPC's, libcurl's resolver) starts.
  InitCurlOnce();
  ShutdownSignals signals(&stop);

  const ChannelRouter router = BuildChannels(config);
  std::vector<std::string> claimed;
  for (clinic::v1::NotificationChannel channel : router.channels()) {
    claimed.push_back(clinic::v1::NotificationChannel_Name(channel));
  }
  spdlog::info("clinic-reminder-worker {} claiming {} from {} for {}", config.worker_id,
               absl::StrJoin(claimed, ", "), config.server,
               config.parent.empty() ? "every clinic the key may see" : config.parent);
  WorkerLoop loop(client::ClinicdChannel(config), config.api_key, LoopOptionsFrom(config), &router,
                  &stop);
  return loop.Run();
}

}  // namespace
}  // namespace clinicd::reminder_worker

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Delivers clinicd's reminder notifications by e-mail, webhook or to a file.\n"
      "  clinic-reminder-worker [--server=HOST:PORT] [--clinic=ID]\n"
      "      [--smtp_url=smtp://HOST:PORT --smtp_from=ADDRESS [--smtp_user=USER]]\n"
      "      [--webhook_url=URL --webhook_secret_file=FILE]\n"
      "      [--file_channel=email,sms,webhook --outbox_file=FILE]\n"
      "  Environment: CLINICD_ADDRESS, CLINICD_API_KEY, CLINICD_SMTP_PASSWORD,\n"
      "  CLINICD_WEBHOOK_SECRET.");
  if (const absl::Status checked = clinicd::reminder_worker::CheckCommandLine(argc, argv);
      !checked.ok()) {
    std::cerr << "clinic-reminder-worker: " << checked.message() << "\n";
    return 2;
  }
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    std::cerr << "clinic-reminder-worker: unexpected argument \"" << positional[1]
              << "\"; every setting is a --flag\n";
    return 2;
  }
  const absl::StatusOr<clinicd::reminder_worker::WorkerConfig> config =
      clinicd::reminder_worker::ConfigFromFlags(&std::getenv);
  if (!config.ok()) {
    std::cerr << "clinic-reminder-worker: " << config.status().message() << "\n";
    return 2;
  }
  // Logs go to stderr and carry names, dedupe keys and results only.
  spdlog::set_default_logger(spdlog::stderr_color_mt("clinic-reminder-worker"));
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  return clinicd::reminder_worker::Run(*config);
}
