#pragma once

// Webhook delivery: an HTTP POST with libcurl of the notification as JSON,
// signed with HMAC-SHA256 and carrying its dedupe key for idempotency.

#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "clients/reminder_worker/delivery_channel.h"

namespace clinicd::reminder_worker {

class CurlEasy;

// Where and how to post.
struct WebhookOptions {
  // http:// or https:// endpoint every notification is posted to.
  std::string url;
  // The HMAC key receivers verify X-Clinicd-Signature with.
  std::string secret;
  // Upper bound of one delivery, connection included.
  absl::Duration timeout = absl::Seconds(30);
};

// Posts NotificationJson(notification) with `Content-Type: application/json`,
// `Idempotency-Key: <dedupe key>` and `X-Clinicd-Signature: t=..,v1=..`.
// Outcomes: 2xx → delivered; 408, 429, 5xx, no response, timeouts and
// network or TLS errors → retry; any other status (3xx is not followed) →
// failed. Keeps the connection between deliveries. Not thread-safe.
class WebhookChannel final : public DeliveryChannel {
 public:
  explicit WebhookChannel(WebhookOptions options);
  ~WebhookChannel() override;

  DeliveryOutcome Deliver(const clinic::v1::Notification& notification) override;
  const char* kind() const override { return "webhook"; }

 private:
  WebhookOptions options_;
  std::unique_ptr<CurlEasy> curl_;
};

}  // namespace clinicd::reminder_worker
