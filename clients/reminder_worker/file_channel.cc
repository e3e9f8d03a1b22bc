#include "clients/reminder_worker/file_channel.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "clients/reminder_worker/notification_json.h"

namespace clinicd::reminder_worker {

FileChannel::FileChannel(std::string path) : path_(std::move(path)) {}

DeliveryOutcome FileChannel::Deliver(const clinic::v1::Notification& notification) {
  absl::StatusOr<std::string> line = NotificationJson(notification);
  if (!line.ok()) return DeliveryOutcome::Failed(std::string(line.status().message()));
  line->push_back('\n');

  const int fd = open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return DeliveryOutcome::Retry(absl::StrCat("cannot open ", path_, ": ", strerror(errno)));
  }
  size_t written = 0;
  while (written < line->size()) {
    const ssize_t n = write(fd, line->data() + written, line->size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string error = strerror(errno);
      close(fd);
      return DeliveryOutcome::Retry(absl::StrCat("cannot write ", path_, ": ", error));
    }
    written += static_cast<size_t>(n);
  }
  std::string error;
  if (fdatasync(fd) != 0) error = strerror(errno);
  if (close(fd) != 0 && error.empty()) error = strerror(errno);
  if (!error.empty()) {
    return DeliveryOutcome::Retry(absl::StrCat("cannot sync ", path_, ": ", error));
  }
  return DeliveryOutcome::Delivered(absl::StrCat("appended to ", path_));
}

}  // namespace clinicd::reminder_worker
