#pragma once

// A file written beside its final path and moved there only once complete and
// on disk, so the final path never holds a partial file, even after a crash.

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace clinicd::server {

class StagedFile final {
 public:
  // Creates an empty temp file `<target>.tmp-XXXXXX` in target's directory
  // (the same filesystem, so the final move is a rename), mode 0600.
  static absl::StatusOr<std::unique_ptr<StagedFile>> Create(const std::string& target);

  // Removes the temp file, and any side file SQLite made for it, unless it
  // was published.
  ~StagedFile();

  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  // The temp file to write.
  const std::string& path() const { return path_; }

  // Syncs the temp file, moves it to the target atomically and syncs the
  // directory, so the target is either absent (or the old file) or the whole
  // new one. Without `replace`, ALREADY_EXISTS when the target exists, even
  // if it appeared while the file was being written.
  absl::Status Publish(bool replace);

 private:
  StagedFile(std::string target, std::string path);

  const std::string target_;
  const std::string path_;
  bool published_ = false;
};

}  // namespace clinicd::server
