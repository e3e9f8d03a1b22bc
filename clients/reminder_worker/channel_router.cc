#include "clients/reminder_worker/channel_router.h"

#include <utility>

#include "clients/reminder_worker/file_channel.h"
#include "clients/reminder_worker/smtp_channel.h"
#include "clients/reminder_worker/webhook_channel.h"

namespace clinicd::reminder_worker {

void ChannelRouter::Route(clinic::v1::NotificationChannel channel,
                          std::shared_ptr<DeliveryChannel> delivery) {
  routes_[channel] = std::move(delivery);
}

DeliveryChannel* ChannelRouter::For(clinic::v1::NotificationChannel channel) const {
  const auto route = routes_.find(channel);
  return route == routes_.end() ? nullptr : route->second.get();
}

std::vector<clinic::v1::NotificationChannel> ChannelRouter::channels() const {
  std::vector<clinic::v1::NotificationChannel> channels;
  for (const auto& [channel, delivery] : routes_) channels.push_back(channel);
  return channels;
}

ChannelRouter BuildChannels(const WorkerConfig& config) {
  ChannelRouter router;
  if (config.smtp) {
    router.Route(clinic::v1::NOTIFICATION_CHANNEL_EMAIL,
                 std::make_shared<SmtpChannel>(*config.smtp));
  }
  if (config.webhook) {
    router.Route(clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK,
                 std::make_shared<WebhookChannel>(*config.webhook));
  }
  if (!config.file_channels.empty()) {
    auto file = std::make_shared<FileChannel>(config.outbox_file);
    for (clinic::v1::NotificationChannel channel : config.file_channels)
      router.Route(channel, file);
  }
  return router;
}

}  // namespace clinicd::reminder_worker
