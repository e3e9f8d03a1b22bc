#include "clients/reminder_worker/smtp_channel.h"

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/reminder_worker/curl_easy.h"
#include "clients/reminder_worker/mime_message.h"

namespace clinicd::reminder_worker {
namespace {

// Replies that refuse the worker's login rather than the message.
bool IsAuthenticationReply(long reply) {
  return reply == 530 || reply == 534 || reply == 535 || reply == 538;
}

long UseSsl(StartTls starttls) {
  switch (starttls) {
    case StartTls::kRequired:
      return CURLUSESSL_ALL;
    case StartTls::kOptional:
      return CURLUSESSL_TRY;
    case StartTls::kOff:
      return CURLUSESSL_NONE;
  }
  return CURLUSESSL_ALL;
}

// Judges a finished transfer. libcurl's error text names the SMTP stage and
// the reply code only ("RCPT failed: 550"), never addresses or content.
DeliveryOutcome Judge(CURLcode code, long reply, const std::string& error) {
  if (code == CURLE_OK) return DeliveryOutcome::Delivered(absl::StrCat("smtp ", reply));
  const std::string detail = absl::StrCat("smtp ", reply, ": ", error);
  if (code == CURLE_LOGIN_DENIED || IsAuthenticationReply(reply)) {
    return DeliveryOutcome::Retry(absl::StrCat(detail, " (login refused; check the SMTP user)"));
  }
  // A refused sender is the worker's configuration; every message would fail alike.
  if (absl::StartsWith(error, "MAIL failed")) {
    return DeliveryOutcome::Retry(absl::StrCat(detail, " (sender refused; check --smtp_from)"));
  }
  if (reply >= 500 && reply < 600) return DeliveryOutcome::Failed(detail);
  if (reply >= 400 && reply < 500) return DeliveryOutcome::Retry(detail);
  return DeliveryOutcome::Retry(absl::StrCat("smtp: ", error));
}

}  // namespace

SmtpChannel::SmtpChannel(SmtpOptions options)
    : options_(std::move(options)), curl_(std::make_unique<CurlEasy>()) {}

SmtpChannel::~SmtpChannel() = default;

DeliveryOutcome SmtpChannel::Deliver(const clinic::v1::Notification& notification) {
  MailMessage message;
  message.from = options_.from;
  message.to = notification.recipient();
  message.subject = notification.subject();
  message.body = notification.body();
  message.dedupe_key =
      notification.dedupe_key().empty() ? notification.name() : notification.dedupe_key();
  message.date = absl::Now();
  const absl::StatusOr<std::string> text = RenderMailMessage(message);
  if (!text.ok()) {
    return DeliveryOutcome::Failed(absl::StrCat("not sendable: ", text.status().message()));
  }

  curl_->Start("smtp,smtps", options_.timeout);
  CURL* curl = curl_->get();
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_USE_SSL, UseSsl(options_.starttls));
  const std::string sender = absl::StrCat("<", options_.from, ">");
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, sender.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT,
                   curl_->List({absl::StrCat("<", notification.recipient(), ">")}));
  if (!options_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_->UploadFrom(*text);
  const CURLcode code = curl_->Perform();
  return Judge(code, curl_->ResponseCode(), curl_->ErrorText(code));
}

}  // namespace clinicd::reminder_worker
