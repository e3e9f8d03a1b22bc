#include "clients/reminder_worker/webhook_channel.h"

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/reminder_worker/curl_easy.h"
#include "clients/reminder_worker/notification_json.h"
#include "clients/reminder_worker/webhook_signature.h"

namespace clinicd::reminder_worker {
namespace {

// True when `value` can go into a header line as it is.
bool IsHeaderSafe(const std::string& value) {
  for (char c : value) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return !value.empty();
}

DeliveryOutcome Judge(CURLcode code, long status, const std::string& error) {
  if (code != CURLE_OK) return DeliveryOutcome::Retry(absl::StrCat("webhook: ", error));
  const std::string detail = absl::StrCat("webhook HTTP ", status);
  if (status >= 200 && status < 300) return DeliveryOutcome::Delivered(detail);
  if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
    return DeliveryOutcome::Retry(detail);
  }
  return DeliveryOutcome::Failed(detail);
}

}  // namespace

WebhookChannel::WebhookChannel(WebhookOptions options)
    : options_(std::move(options)), curl_(std::make_unique<CurlEasy>()) {}

WebhookChannel::~WebhookChannel() = default;

DeliveryOutcome WebhookChannel::Deliver(const clinic::v1::Notification& notification) {
  const std::string& key =
      notification.dedupe_key().empty() ? notification.name() : notification.dedupe_key();
  if (!IsHeaderSafe(key)) {
    return DeliveryOutcome::Failed("not sendable: dedupe key is not a valid header value");
  }
  const absl::StatusOr<std::string> body = NotificationJson(notification);
  if (!body.ok()) return DeliveryOutcome::Failed(std::string(body.status().message()));

  curl_->Start("http,https", options_.timeout);
  CURL* curl = curl_->get();
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "clinic-reminder-worker");
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  curl_easy_setopt(
      curl, CURLOPT_HTTPHEADER,
      curl_->List(
          {"Content-Type: application/json", absl::StrCat("Idempotency-Key: ", key),
           absl::StrCat("X-Clinicd-Signature: ", SignatureHeaderValue(options_.secret, now, *body)),
           // No 100-continue round trip: the body is small.
           "Expect:"}));
  const CURLcode code = curl_->Perform();
  return Judge(code, curl_->ResponseCode(), curl_->ErrorText(code));
}

}  // namespace clinicd::reminder_worker
