#include "services/server/staged_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"

namespace clinicd::server {
namespace {

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  const int error = errno;
  const std::string message = absl::StrCat(what, " ", path, ": ", std::strerror(error));
  if (error == EEXIST) return absl::AlreadyExistsError(message);
  if (error == ENOENT) return absl::NotFoundError(message);
  if (error == EACCES || error == EPERM) return absl::PermissionDeniedError(message);
  return absl::InternalError(message);
}

// fsyncs `path`, a file or a directory.
absl::Status Sync(const std::string& path, int flags) {
  const int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open", path);
  const bool synced = fsync(fd) == 0;
  absl::Status status = synced ? absl::OkStatus() : ErrnoError("cannot sync", path);
  close(fd);
  return status;
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

absl::StatusOr<std::unique_ptr<StagedFile>> StagedFile::Create(const std::string& target) {
  std::string pattern = absl::StrCat(target, ".tmp-XXXXXX");
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  // mkstemp creates the file 0600 and never reuses an existing name.
  const int fd = mkstemp(name.data());
  if (fd < 0) return ErrnoError("cannot create a temp file beside", target);
  close(fd);
  return absl::WrapUnique(new StagedFile(target, name.data()));
}

StagedFile::StagedFile(std::string target, std::string path)
    : target_(std::move(target)), path_(std::move(path)) {}

StagedFile::~StagedFile() {
  if (published_) return;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    unlink(absl::StrCat(path_, suffix).c_str());
  }
}

absl::Status StagedFile::Publish(bool replace) {
  if (chmod(path_.c_str(), 0600) != 0) return ErrnoError("cannot set the mode of", path_);
  // The contents must be on disk before the name points at them, or a crash
  // could leave the target naming an empty file.
  if (absl::Status s = Sync(path_, O_RDONLY); !s.ok()) return s;
  if (replace) {
    if (rename(path_.c_str(), target_.c_str()) != 0) return ErrnoError("cannot rename to", target_);
  } else {
    // link() never replaces: it fails with EEXIST when the target exists.
    if (link(path_.c_str(), target_.c_str()) != 0) {
      if (errno == EEXIST) {
        return absl::AlreadyExistsError(
            absl::StrCat(target_, " already exists; pass --overwrite to replace it"));
      }
      return ErrnoError("cannot link to", target_);
    }
    unlink(path_.c_str());
  }
  published_ = true;
  // The rename itself is durable once the directory is.
  return Sync(DirectoryOf(target_), O_RDONLY | O_DIRECTORY);
}

}  // namespace clinicd::server
