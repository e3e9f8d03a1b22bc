#include "clients/reminder_worker/worker_loop.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace clinicd::reminder_worker {
namespace {

using clinic::v1::DeliveryResult_Name;
using clinic::v1::Notification;
using clinic::v1::NotificationChannel_Name;

// Longest detail sent with an ack.
constexpr size_t kMaxDetail = 500;
// Attempts at one ack while clinicd is briefly unavailable.
constexpr int kAckAttempts = 3;

const char* CodeName(grpc::StatusCode code) {
  // clang-format off
  static constexpr const char* kNames[] = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED"};
  // clang-format on
  const int index = static_cast<int>(code);
  return index >= 0 && index < 17 ? kNames[index] : "UNKNOWN";
}

// Refusals that waiting will not change: the key, its role, the clinic, or
// a server that does not implement notifications.
bool IsFinal(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAUTHENTICATED || code == grpc::StatusCode::PERMISSION_DENIED ||
         code == grpc::StatusCode::INVALID_ARGUMENT || code == grpc::StatusCode::NOT_FOUND ||
         code == grpc::StatusCode::UNIMPLEMENTED;
}

bool IsTransient(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

clinic::v1::DeliveryResult ToProto(DeliveryResult result) {
  switch (result) {
    case DeliveryResult::kDelivered:
      return clinic::v1::DELIVERY_RESULT_DELIVERED;
    case DeliveryResult::kRetry:
      return clinic::v1::DELIVERY_RESULT_RETRY;
    case DeliveryResult::kFailed:
      return clinic::v1::DELIVERY_RESULT_FAILED;
  }
  return clinic::v1::DELIVERY_RESULT_RETRY;
}

// `detail` cut to kMaxDetail bytes, between UTF-8 characters.
std::string Shortened(const std::string& detail) {
  if (detail.size() <= kMaxDetail) return detail;
  size_t end = kMaxDetail;
  while (end > 0 && (static_cast<unsigned char>(detail[end]) & 0xC0) == 0x80) --end;
  return detail.substr(0, end);
}

absl::Time FromProto(const google::protobuf::Timestamp& time) {
  return absl::FromUnixSeconds(time.seconds()) + absl::Nanoseconds(time.nanos());
}

}  // namespace

WorkerLoop::WorkerLoop(std::shared_ptr<grpc::ChannelInterface> channel, std::string api_key,
                       LoopOptions options, const ChannelRouter* router, absl::Notification* stop)
    : stub_(clinic::v1::NotificationService::NewStub(channel)),
      api_key_(std::move(api_key)),
      options_(std::move(options)),
      router_(router),
      stop_(stop),
      backoff_(absl::Seconds(1), options_.max_backoff, std::random_device()()) {}

std::unique_ptr<grpc::ClientContext> WorkerLoop::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + api_key_);
  context->set_deadline(absl::ToChronoTime(absl::Now() + options_.rpc_timeout));
  return context;
}

int WorkerLoop::Run() {
  while (!stop_->HasBeenNotified()) {
    // Leases run from the server's clock; sending time bounds them from below here.
    const absl::Time sent = absl::Now();
    clinic::v1::ClaimNotificationsResponse response;
    const grpc::Status status = Claim(&response);
    if (!status.ok()) {
      if (IsFinal(status.error_code())) {
        spdlog::critical("ClaimNotifications refused: {}: {}", CodeName(status.error_code()),
                         status.error_message());
        return 1;
      }
      const absl::Duration wait = backoff_.Next();
      spdlog::warn("ClaimNotifications failed: {}: {}; next try in {}",
                   CodeName(status.error_code()), status.error_message(),
                   absl::FormatDuration(absl::Trunc(wait, absl::Milliseconds(1))));
      stop_->WaitForNotificationWithTimeout(wait);
      continue;
    }
    backoff_.Reset();
    if (response.notifications().empty()) {
      stop_->WaitForNotificationWithTimeout(options_.poll_interval);
      continue;
    }
    spdlog::debug("claimed {} notifications", response.notifications_size());
    DeliverBatch(response, sent + options_.lease);
  }
  spdlog::info("stopped");
  return 0;
}

grpc::Status WorkerLoop::Claim(clinic::v1::ClaimNotificationsResponse* response) {
  clinic::v1::ClaimNotificationsRequest request;
  request.set_parent(options_.parent);
  request.set_max_notifications(options_.batch);
  const int64_t lease_ms = absl::ToInt64Milliseconds(options_.lease);
  request.mutable_lease_duration()->set_seconds(lease_ms / 1000);
  request.mutable_lease_duration()->set_nanos(static_cast<int32_t>(lease_ms % 1000) * 1000000);
  for (clinic::v1::NotificationChannel channel : router_->channels()) request.add_channels(channel);
  request.set_worker(options_.worker_id);
  return stub_->ClaimNotifications(Context().get(), request, response);
}

void WorkerLoop::DeliverBatch(const clinic::v1::ClaimNotificationsResponse& response,
                              absl::Time lease_end) {
  int released = 0;
  bool first = true;
  for (const Notification& notification : response.notifications()) {
    if (stop_->HasBeenNotified()) {
      Ack(notification, clinic::v1::DELIVERY_RESULT_RELEASED, "worker stopping");
      ++released;
      continue;
    }
    absl::Time end = lease_end;
    if (notification.has_lease_expire_time()) {
      end = std::min(end, FromProto(notification.lease_expire_time()));
    }
    // The first of a batch is always attempted, so a lease shorter than a
    // delivery (a server cap) still makes progress instead of looping.
    if (!first && absl::Now() + options_.delivery_timeout > end) {
      Ack(notification, clinic::v1::DELIVERY_RESULT_RELEASED,
          "lease would end before a delivery could finish");
      ++released;
      continue;
    }
    first = false;
    DeliverOne(notification);
  }
  if (released > 0) spdlog::info("released {} notifications undelivered", released);
}

void WorkerLoop::DeliverOne(const Notification& notification) {
  DeliveryChannel* channel = router_->For(notification.channel());
  if (channel == nullptr) {
    const std::string detail = absl::StrCat("this worker has no delivery channel for ",
                                            NotificationChannel_Name(notification.channel()));
    spdlog::warn("{} ({}): {}", notification.name(), notification.dedupe_key(), detail);
    Ack(notification, clinic::v1::DELIVERY_RESULT_RETRY, detail);
    return;
  }
  const absl::Time start = absl::Now();
  const DeliveryOutcome outcome = channel->Deliver(notification);
  const int64_t ms = absl::ToInt64Milliseconds(absl::Now() - start);
  const spdlog::level::level_enum level =
      outcome.result == DeliveryResult::kDelivered ? spdlog::level::info : spdlog::level::warn;
  // clinicd counts the lease it handed out: attempts() is this attempt's number.
  spdlog::log(level, "{} ({}) via {}, attempt {}: {} in {} ms: {}", notification.name(),
              notification.dedupe_key(), channel->kind(), notification.attempts(),
              ResultName(outcome.result), ms, outcome.detail);
  Ack(notification, ToProto(outcome.result), outcome.detail);
}

void WorkerLoop::Ack(const Notification& notification, clinic::v1::DeliveryResult result,
                     const std::string& detail) {
  clinic::v1::AckNotificationRequest request;
  request.set_name(notification.name());
  request.set_lease_id(notification.lease_id());
  request.set_result(result);
  request.set_detail(Shortened(detail));
  for (int attempt = 1;; ++attempt) {
    google::protobuf::Empty empty;
    const grpc::Status status = stub_->AckNotification(Context().get(), request, &empty);
    if (status.ok()) return;
    if (!IsTransient(status.error_code()) || attempt == kAckAttempts) {
      // The lease expires and the notification is claimed again; receivers
      // deduplicate by its key if it had been delivered.
      spdlog::warn("AckNotification {} {} failed: {}: {}", notification.name(),
                   DeliveryResult_Name(result), CodeName(status.error_code()),
                   status.error_message());
      return;
    }
    absl::SleepFor(absl::Milliseconds(500) * attempt);
  }
}

}  // namespace clinicd::reminder_worker
