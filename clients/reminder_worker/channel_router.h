#pragma once

// Which delivery channel handles which clinic.v1.NotificationChannel, built
// from the worker's configuration. The worker claims only the notification
// channels routed here.

#include <map>
#include <memory>
#include <vector>

#include "clients/reminder_worker/delivery_channel.h"
#include "clients/reminder_worker/worker_flags.h"
#include "clinic/v1/patient_service.pb.h"

namespace clinicd::reminder_worker {

// Owns the delivery channels.
class ChannelRouter final {
 public:
  // Routes `channel` to `delivery`, replacing any earlier route.
  void Route(clinic::v1::NotificationChannel channel, std::shared_ptr<DeliveryChannel> delivery);

  // The channel for `channel`, or null when none is configured.
  DeliveryChannel* For(clinic::v1::NotificationChannel channel) const;

  // The notification channels with a route, in enum order.
  std::vector<clinic::v1::NotificationChannel> channels() const;

 private:
  std::map<clinic::v1::NotificationChannel, std::shared_ptr<DeliveryChannel>> routes_;
};

// EMAIL → SMTP when --smtp_url is set, WEBHOOK → webhook when --webhook_url
// is set, and every channel in --file_channel → one shared file channel.
// SMS has no gateway, so it is claimed only when routed to the file.
ChannelRouter BuildChannels(const WorkerConfig& config);

}  // namespace clinicd::reminder_worker
