#include "clients/reminder_worker/worker_flags.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/reminder_worker/mime_message.h"

ABSL_FLAG(std::string, clinic, "",
          "claim only this clinic's notifications, CLINIC or clinics/CLINIC (default: every "
          "clinic the key may see)");
ABSL_FLAG(int, batch, 10, "most notifications claimed at once, 1-100");
ABSL_FLAG(absl::Duration, lease, absl::Seconds(60),
          "how long a claim lasts; longer than --delivery_timeout, at most 1h");
ABSL_FLAG(std::string, worker_id, "", "id recorded with each lease (default: HOST:PID)");
ABSL_FLAG(absl::Duration, poll_interval, absl::Seconds(5), "wait after a claim that found nothing");
ABSL_FLAG(absl::Duration, max_backoff, absl::Seconds(60),
          "longest wait between claims while clinicd is unavailable");
ABSL_FLAG(absl::Duration, delivery_timeout, absl::Seconds(30),
          "upper bound of one SMTP or webhook delivery, connection included");
ABSL_FLAG(std::string, smtp_url, "",
          "mail relay for e-mail notifications: smtp://HOST[:PORT][/EHLO-NAME] or smtps://...; "
          "password from $CLINICD_SMTP_PASSWORD");
ABSL_FLAG(std::string, smtp_from, "", "sender address of the e-mails, user@host");
ABSL_FLAG(std::string, smtp_user, "", "SMTP AUTH user (default: no AUTH)");
ABSL_FLAG(std::string, smtp_starttls, "required",
          "for smtp:// URLs: required, optional (plaintext when not offered) or off (a relay on "
          "loopback only)");
ABSL_FLAG(std::string, webhook_url, "",
          "http(s) endpoint webhook notifications are posted to; the signing secret comes from "
          "--webhook_secret_file or $CLINICD_WEBHOOK_SECRET");
ABSL_FLAG(std::string, webhook_secret_file, "", "file holding the webhook signing secret");
ABSL_FLAG(std::string, outbox_file, "", "file the file channel appends JSON lines to");
ABSL_FLAG(std::string, file_channel, "",
          "comma-separated channels (email, sms, webhook) written to --outbox_file instead of "
          "being sent; for development");
ABSL_FLAG(std::string, log_level, "info", "trace, debug, info, warn or error");

namespace clinicd::reminder_worker {
namespace {

using clinic::v1::NotificationChannel;

// Shortest webhook secret accepted: 128 bits of hex.
constexpr size_t kMinSecretLength = 16;

absl::Status Refuse(absl::string_view message) { return absl::InvalidArgumentError(message); }

std::string DefaultWorkerId() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return absl::StrCat(host[0] != '\0' ? host : "localhost", ":", getpid());
}

absl::StatusOr<std::vector<NotificationChannel>> FileChannels(const std::string& list) {
  std::vector<NotificationChannel> channels;
  for (absl::string_view item : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(item));
    NotificationChannel channel;
    if (name == "email") {
      channel = clinic::v1::NOTIFICATION_CHANNEL_EMAIL;
    } else if (name == "sms") {
      channel = clinic::v1::NOTIFICATION_CHANNEL_SMS;
    } else if (name == "webhook") {
      channel = clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK;
    } else {
      return Refuse(absl::StrCat("--file_channel: unknown channel \"", name,
                                 "\"; expected email, sms or webhook"));
    }
    if (std::find(channels.begin(), channels.end(), channel) == channels.end()) {
      channels.push_back(channel);
    }
  }
  return channels;
}

bool HasFileChannel(const WorkerConfig& config, NotificationChannel channel) {
  return std::find(config.file_channels.begin(), config.file_channels.end(), channel) !=
         config.file_channels.end();
}

absl::StatusOr<SmtpOptions> SmtpFromFlags(const EnvironmentLookup& getenv, absl::Duration timeout) {
  SmtpOptions smtp;
  smtp.url = absl::GetFlag(FLAGS_smtp_url);
  const std::string scheme = absl::AsciiStrToLower(smtp.url.substr(0, smtp.url.find("://")));
  if ((scheme != "smtp" && scheme != "smtps") || smtp.url.size() <= scheme.size() + 3) {
    return Refuse("--smtp_url must be smtp://HOST[:PORT] or smtps://HOST[:PORT]");
  }
  smtp.from = absl::GetFlag(FLAGS_smtp_from);
  if (!IsPlainAddress(smtp.from)) {
    return Refuse("--smtp_from must be a plain sender address, user@host");
  }
  smtp.user = absl::GetFlag(FLAGS_smtp_user);
  smtp.password = client::FromEnvironment(getenv, "CLINICD_SMTP_PASSWORD");
  if (!smtp.user.empty() && smtp.password.empty()) {
    return Refuse("--smtp_user needs the password in $CLINICD_SMTP_PASSWORD");
  }
  const std::string starttls = absl::GetFlag(FLAGS_smtp_starttls);
  if (starttls == "required") {
    smtp.starttls = StartTls::kRequired;
  } else if (starttls == "optional") {
    smtp.starttls = StartTls::kOptional;
  } else if (starttls == "off") {
    smtp.starttls = StartTls::kOff;
  } else {
    return Refuse("--smtp_starttls must be required, optional or off");
  }
  smtp.timeout = timeout;
  return smtp;
}

absl::StatusOr<WebhookOptions> WebhookFromFlags(const EnvironmentLookup& getenv,
                                                absl::Duration timeout) {
  WebhookOptions webhook;
  webhook.url = absl::GetFlag(FLAGS_webhook_url);
  const std::string lower = absl::AsciiStrToLower(webhook.url);
  if (!absl::StartsWith(lower, "http://") && !absl::StartsWith(lower, "https://")) {
    return Refuse("--webhook_url must be an http:// or https:// URL");
  }
  const std::string secret_file = absl::GetFlag(FLAGS_webhook_secret_file);
  if (!secret_file.empty()) {
    absl::StatusOr<std::string> secret = client::ReadFlagFile("webhook_secret_file", secret_file);
    if (!secret.ok()) return secret.status();
    webhook.secret = std::string(absl::StripAsciiWhitespace(*secret));
  } else {
    webhook.secret = client::FromEnvironment(getenv, "CLINICD_WEBHOOK_SECRET");
  }
  if (webhook.secret.size() < kMinSecretLength) {
    return Refuse(absl::StrCat("--webhook_url needs a signing secret of at least ",
                               kMinSecretLength,
                               " characters in --webhook_secret_file or $CLINICD_WEBHOOK_SECRET"));
  }
  webhook.timeout = timeout;
  return webhook;
}

// The connection to clinicd and what to claim.
absl::Status ServerFromFlags(const EnvironmentLookup& getenv, WorkerConfig& config) {
  if (absl::Status status = client::ConnectionFromFlags(getenv, config); !status.ok()) {
    return status;
  }
  absl::StatusOr<std::string> parent = client::ClinicParent(absl::GetFlag(FLAGS_clinic));
  if (!parent.ok()) return parent.status();
  config.parent = *std::move(parent);
  config.worker_id = absl::GetFlag(FLAGS_worker_id);
  if (config.worker_id.empty()) config.worker_id = DefaultWorkerId();
  if (config.worker_id.size() > 200) return Refuse("--worker_id must be at most 200 characters");
  return absl::OkStatus();
}

// Batch size, lease and the waits.
absl::Status TimingFromFlags(WorkerConfig& config) {
  config.batch = absl::GetFlag(FLAGS_batch);
  if (config.batch < 1 || config.batch > 100) {
    return Refuse(absl::StrCat("--batch must be between 1 and 100, got ", config.batch));
  }
  config.delivery_timeout = absl::GetFlag(FLAGS_delivery_timeout);
  if (config.delivery_timeout < absl::Seconds(1)) {
    return Refuse("--delivery_timeout must be at least 1s");
  }
  config.lease = absl::GetFlag(FLAGS_lease);
  if (config.lease <= config.delivery_timeout) {
    return Refuse(absl::StrCat("--lease (", absl::FormatDuration(config.lease),
                               ") must be longer than --delivery_timeout (",
                               absl::FormatDuration(config.delivery_timeout), ")"));
  }
  if (config.lease > absl::Hours(1)) return Refuse("--lease must be at most 1h (clinicd's limit)");
  config.poll_interval = absl::GetFlag(FLAGS_poll_interval);
  if (config.poll_interval <= absl::ZeroDuration()) {
    return Refuse("--poll_interval must be positive");
  }
  config.max_backoff = absl::GetFlag(FLAGS_max_backoff);
  if (config.max_backoff < absl::Seconds(1)) return Refuse("--max_backoff must be at least 1s");
  config.log_level = absl::GetFlag(FLAGS_log_level);
  for (const char* level : {"trace", "debug", "info", "warn", "error"}) {
    if (config.log_level == level) return absl::OkStatus();
  }
  return Refuse("--log_level must be trace, debug, info, warn or error");
}

// The delivery channels and which notification channel goes where.
absl::Status ChannelsFromFlags(const EnvironmentLookup& getenv, WorkerConfig& config) {
  absl::StatusOr<std::vector<NotificationChannel>> file_channels =
      FileChannels(absl::GetFlag(FLAGS_file_channel));
  if (!file_channels.ok()) return file_channels.status();
  config.file_channels = *std::move(file_channels);
  config.outbox_file = absl::GetFlag(FLAGS_outbox_file);
  if (!config.file_channels.empty() && config.outbox_file.empty()) {
    return Refuse("--file_channel needs --outbox_file");
  }
  if (config.file_channels.empty() && !config.outbox_file.empty()) {
    return Refuse("--outbox_file is set but --file_channel names no channel");
  }

  if (!absl::GetFlag(FLAGS_smtp_url).empty()) {
    if (HasFileChannel(config, clinic::v1::NOTIFICATION_CHANNEL_EMAIL)) {
      return Refuse("--smtp_url and --file_channel=email both claim e-mail; choose one");
    }
    absl::StatusOr<SmtpOptions> smtp = SmtpFromFlags(getenv, config.delivery_timeout);
    if (!smtp.ok()) return smtp.status();
    config.smtp = *std::move(smtp);
  } else if (!absl::GetFlag(FLAGS_smtp_from).empty() || !absl::GetFlag(FLAGS_smtp_user).empty()) {
    return Refuse("--smtp_from and --smtp_user need --smtp_url");
  }

  if (!absl::GetFlag(FLAGS_webhook_url).empty()) {
    if (HasFileChannel(config, clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK)) {
      return Refuse("--webhook_url and --file_channel=webhook both claim webhooks; choose one");
    }
    absl::StatusOr<WebhookOptions> webhook = WebhookFromFlags(getenv, config.delivery_timeout);
    if (!webhook.ok()) return webhook.status();
    config.webhook = *std::move(webhook);
  } else if (!absl::GetFlag(FLAGS_webhook_secret_file).empty()) {
    return Refuse("--webhook_secret_file needs --webhook_url");
  }

  if (!config.smtp && !config.webhook && config.file_channels.empty()) {
    return Refuse("nothing to deliver: set --smtp_url, --webhook_url or --file_channel");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<WorkerConfig> ConfigFromFlags(const EnvironmentLookup& getenv) {
  WorkerConfig config;
  if (absl::Status status = ServerFromFlags(getenv, config); !status.ok()) return status;
  if (absl::Status status = TimingFromFlags(config); !status.ok()) return status;
  if (absl::Status status = ChannelsFromFlags(getenv, config); !status.ok()) return status;
  return config;
}

}  // namespace clinicd::reminder_worker
