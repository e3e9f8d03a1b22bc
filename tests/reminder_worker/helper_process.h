#pragma once

// Real receivers for the channel tests: the Python helper servers in this
// directory (run with Debian's python3), a temp directory they record into,
// and a reader for their JSON records.

#include <google/protobuf/struct.pb.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace clinicd::reminder_worker::testing {

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir final {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One helper server, e.g. smtp_receiver.py, serving on 127.0.0.1.
class HelperProcess final {
 public:
  // Runs `/usr/bin/python3 <this directory>/<script> <args>` with `env`
  // (NAME=VALUE) added to the environment, and reads the port it prints.
  // Null (with the reason in `error`) when it does not start in 15 s.
  static std::unique_ptr<HelperProcess> Start(const std::string& script,
                                              const std::vector<std::string>& args,
                                              const std::vector<std::string>& env,
                                              std::string* error);
  // Closes its standard input, which ends it; SIGKILL after 5 s.
  ~HelperProcess();
  HelperProcess(const HelperProcess&) = delete;
  HelperProcess& operator=(const HelperProcess&) = delete;

  int port() const { return port_; }

 private:
  HelperProcess(pid_t pid, int stdin_fd, int port) : pid_(pid), stdin_fd_(stdin_fd), port_(port) {}

  pid_t pid_;
  int stdin_fd_;
  int port_;
};

// The clinic-reminder-worker binary built with this tree, run as a child
// with its stderr (the log) in a file.
class WorkerProcess final {
 public:
  // Starts the worker with `args` and `env` (NAME=VALUE) added to the
  // environment; its log goes to `log_path`.
  WorkerProcess(const std::vector<std::string>& args, const std::vector<std::string>& env,
                std::string log_path);
  // SIGKILL if it still runs.
  ~WorkerProcess();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  // Sends `signal` to it.
  void Signal(int signal) const;
  // Waits up to `seconds` for it to exit; its exit code, 128 + the signal
  // that ended it, or -1 when it still runs.
  int Wait(int seconds);
  // True once its log contains `text`, waiting up to `seconds`.
  bool WaitForLog(const std::string& text, int seconds) const;
  // Everything it logged so far.
  std::string Log() const;

 private:
  pid_t pid_;
  std::string log_path_;
};

// A loopback port nothing listens on (bound, then closed).
int ClosedPort();

// The JSON file at `path` as a Struct, waiting up to 5 s for it to appear;
// false (with a test failure) when it does not or does not parse.
bool ReadRecord(const std::string& path, google::protobuf::Struct* record);

// The whole file at `path` ("" when missing).
std::string ReadFile(const std::string& path);

// The number of records (*.json) in `directory`.
int CountRecords(const std::string& directory);

}  // namespace clinicd::reminder_worker::testing
