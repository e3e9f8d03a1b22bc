#include "services/plugin_host/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace clinicd::plugin_host {
namespace {

// Closes a descriptor when it goes out of scope.
class Fd final {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// posix_spawn's file actions and attributes, destroyed on every path.
class SpawnSettings final {
 public:
  SpawnSettings() {
    posix_spawn_file_actions_init(&actions_);
    posix_spawnattr_init(&attributes_);
  }
  ~SpawnSettings() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attributes_);
  }
  SpawnSettings(const SpawnSettings&) = delete;
  SpawnSettings& operator=(const SpawnSettings&) = delete;

  // The child's descriptors and signals as RunChild documents them.
  void SetUp(int report_fd) {
    posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions_, STDERR_FILENO, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions_, report_fd, kChildReportFd);
    posix_spawn_file_actions_addclosefrom_np(&actions_, kChildReportFd + 1);
    // clinicd serve blocks SIGTERM and SIGINT for sigwait; the child must not
    // inherit that, or it could not be stopped like any other process.
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes_, &none);
    sigset_t all;
    sigfillset(&all);
    posix_spawnattr_setsigdefault(&attributes_, &all);
    posix_spawnattr_setflags(&attributes_, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }

  const posix_spawn_file_actions_t* actions() const { return &actions_; }
  const posix_spawnattr_t* attributes() const { return &attributes_; }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attributes_;
};

// Appends what can be read now from the non-blocking `fd`; false at end of file.
bool ReadAvailable(int fd, std::string* into) {
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n > 0) {
      const size_t room = kMaxChildReportBytes - std::min(into->size(), kMaxChildReportBytes);
      into->append(buffer, std::min(static_cast<size_t>(n), room));
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

ChildOutcome Ended(int status, std::string report) {
  ChildOutcome outcome;
  if (WIFSIGNALED(status)) {
    outcome.ending = ChildOutcome::Ending::kSignalled;
    outcome.signal = WTERMSIG(status);
  } else {
    outcome.ending = ChildOutcome::Ending::kExited;
    outcome.exit_status = WEXITSTATUS(status);
  }
  outcome.report = std::move(report);
  return outcome;
}

}  // namespace

absl::StatusOr<ChildOutcome> RunChild(const std::vector<std::string>& argv,
                                      absl::Duration timeout) {
  if (argv.empty()) return absl::InvalidArgumentError("no program to run");
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("cannot make a pipe: ", strerror(errno)));
  }
  Fd read_end(ends[0]);
  Fd write_end(ends[1]);
  fcntl(read_end.get(), F_SETFL, fcntl(read_end.get(), F_GETFL) | O_NONBLOCK);

  SpawnSettings settings;
  settings.SetUp(write_end.get());
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (int error = posix_spawn(&pid, argv[0].c_str(), settings.actions(), settings.attributes(),
                              args.data(), environ);
      error != 0) {
    return absl::InternalError(absl::StrCat("cannot run ", argv[0], ": ", strerror(error)));
  }
  // Only the child writes now, so its end of file means the child (and
  // anything it started holding the pipe) has let go.
  write_end.Close();

  std::string report;
  bool pipe_open = true;
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (pipe_open) pipe_open = ReadAvailable(read_end.get(), &report);
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      if (pipe_open) ReadAvailable(read_end.get(), &report);
      return Ended(status, std::move(report));
    }
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) break;
    // Wake for the child's writes while the pipe is open; poll its exit at
    // a few milliseconds either way, well below a process start.
    pollfd ready{read_end.get(), POLLIN, 0};
    const int wait_ms = static_cast<int>(
        std::min<int64_t>(absl::ToInt64Milliseconds(left) + 1, pipe_open ? 10 : 2));
    poll(pipe_open ? &ready : nullptr, pipe_open ? 1 : 0, wait_ms);
  }
  kill(pid, SIGKILL);
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  if (pipe_open) ReadAvailable(read_end.get(), &report);
  ChildOutcome outcome;
  outcome.ending = ChildOutcome::Ending::kTimedOut;
  outcome.report = std::move(report);
  return outcome;
}

}  // namespace clinicd::plugin_host
