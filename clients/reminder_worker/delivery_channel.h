#pragma once

// The interface every delivery channel of the reminder worker implements
// (SMTP, webhook, file outbox), and the outcome of one delivery attempt.

#include <string>
#include <utility>

#include "clinic/v1/notification_service.pb.h"

namespace clinicd::reminder_worker {

// What became of one attempt; maps onto clinic.v1.DeliveryResult.
enum class DeliveryResult {
  // The receiving system accepted the message.
  kDelivered,
  // It may work later (network trouble, temporary refusal); the server backs off.
  kRetry,
  // It will never work (address refused, malformed notification).
  kFailed,
};

// The result of Deliver(), with a short explanation for the operator. The
// detail is sent to the server and logged, so it never carries a recipient,
// subject, body or any other patient data.
struct DeliveryOutcome {
  DeliveryResult result;
  std::string detail;

  static DeliveryOutcome Delivered(std::string detail) {
    return {DeliveryResult::kDelivered, std::move(detail)};
  }
  static DeliveryOutcome Retry(std::string detail) {
    return {DeliveryResult::kRetry, std::move(detail)};
  }
  static DeliveryOutcome Failed(std::string detail) {
    return {DeliveryResult::kFailed, std::move(detail)};
  }
};

// "delivered", "retry" or "failed".
inline const char* ResultName(DeliveryResult result) {
  switch (result) {
    case DeliveryResult::kDelivered:
      return "delivered";
    case DeliveryResult::kRetry:
      return "retry";
    case DeliveryResult::kFailed:
      return "failed";
  }
  return "unknown";
}

// One way of delivering notifications. Implementations block until the
// attempt ends (bounded by their own timeout) and are not thread-safe: the
// worker delivers one notification at a time per channel.
class DeliveryChannel {
 public:
  virtual ~DeliveryChannel() = default;

  // Attempts to deliver `notification` once.
  virtual DeliveryOutcome Deliver(const clinic::v1::Notification& notification) = 0;

  // A short name for logs: "smtp", "webhook", "file".
  virtual const char* kind() const = 0;
};

}  // namespace clinicd::reminder_worker
