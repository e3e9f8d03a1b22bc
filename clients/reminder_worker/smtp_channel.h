#pragma once

// E-mail delivery over SMTP with libcurl: one message per notification,
// rendered by mime_message, sent to the notification's recipient.

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "clients/reminder_worker/delivery_channel.h"

namespace clinicd::reminder_worker {

class CurlEasy;

// When an smtp:// connection upgrades to TLS (smtps:// is always TLS).
enum class StartTls {
  // STARTTLS or no delivery: the default, for any relay off this host.
  kRequired,
  // STARTTLS when the server offers it, else plaintext.
  kOptional,
  // Plaintext; for a relay on loopback only.
  kOff,
};

// How to reach the mail relay.
struct SmtpOptions {
  // smtp://HOST[:PORT][/EHLO-NAME] or smtps://...
  std::string url;
  // Envelope and header sender, a plain address.
  std::string from;
  // AUTH user; no authentication when empty.
  std::string user;
  // AUTH password (from the environment, never a flag).
  std::string password;
  // TLS on smtp:// URLs.
  StartTls starttls = StartTls::kRequired;
  // Upper bound of one delivery, connection included.
  absl::Duration timeout = absl::Seconds(60);
};

// Sends each notification as one e-mail. Outcomes: the relay accepted it →
// delivered; a 4xx reply, no reply, a network or TLS error, or a refused
// login or sender (the worker's configuration, not the message) → retry;
// any other 5xx reply, or a notification that cannot become a valid
// message → failed. Keeps the connection between deliveries when the relay
// allows. Not thread-safe.
class SmtpChannel final : public DeliveryChannel {
 public:
  explicit SmtpChannel(SmtpOptions options);
  ~SmtpChannel() override;

  DeliveryOutcome Deliver(const clinic::v1::Notification& notification) override;
  const char* kind() const override { return "smtp"; }

 private:
  SmtpOptions options_;
  std::unique_ptr<CurlEasy> curl_;
};

}  // namespace clinicd::reminder_worker
