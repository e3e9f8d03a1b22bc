#include "tests/reminder_worker/helper_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

extern char** environ;

namespace clinicd::reminder_worker::testing {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

// Waits up to `seconds` for `pid` to exit; its exit code, 128 + the signal
// that ended it, or -1 when it still runs.
int WaitForExit(pid_t pid, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

// Forks and execs `argv` with `env` added to this process's environment,
// stdin from /dev/null, stdout to `stdout_fd` and stderr to `stderr_fd` (-1:
// inherited). Everything exec needs is built before fork.
pid_t Spawn(std::vector<std::string> argv_text, const std::vector<std::string>& env, int stdin_fd,
            int stdout_fd, int stderr_fd) {
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text = env;
  for (char** entry = environ; *entry != nullptr; ++entry) env_text.push_back(*entry);
  std::vector<char*> envp;
  for (std::string& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    if (stdin_fd >= 0) dup2(stdin_fd, STDIN_FILENO);
    if (stdout_fd >= 0) dup2(stdout_fd, STDOUT_FILENO);
    if (stderr_fd >= 0) dup2(stderr_fd, STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/reminder-worker-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::unique_ptr<HelperProcess> HelperProcess::Start(const std::string& script,
                                                    const std::vector<std::string>& args,
                                                    const std::vector<std::string>& env,
                                                    std::string* error) {
  const std::string path = std::string(CLINICD_REMINDER_TEST_DIR) + "/" + script;
  std::vector<std::string> argv = {kPython, path};
  argv.insert(argv.end(), args.begin(), args.end());
  int to_child[2];
  int from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) {
    *error = "pipe failed";
    return nullptr;
  }
  const pid_t pid = Spawn(argv, env, to_child[0], from_child[1], -1);
  close(to_child[0]);
  close(from_child[1]);

  // The first line on its stdout is the port.
  std::string line;
  pollfd ready = {from_child[0], POLLIN, 0};
  while (line.find('\n') == std::string::npos && poll(&ready, 1, 15000) == 1) {
    char buffer[64];
    const ssize_t n = read(from_child[0], buffer, sizeof(buffer));
    if (n <= 0) break;
    line.append(buffer, static_cast<size_t>(n));
  }
  close(from_child[0]);
  const int port = std::atoi(line.c_str());
  if (port <= 0) {
    *error = script + " did not print a port (got \"" + line + "\")";
    close(to_child[1]);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return nullptr;
  }
  return std::unique_ptr<HelperProcess>(new HelperProcess(pid, to_child[1], port));
}

HelperProcess::~HelperProcess() {
  close(stdin_fd_);
  if (WaitForExit(pid_, 5) < 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

WorkerProcess::WorkerProcess(const std::vector<std::string>& args,
                             const std::vector<std::string>& env, std::string log_path)
    : log_path_(std::move(log_path)) {
  const char* binary_dir = std::getenv("CLINICD_BINARY_DIR");
  std::vector<std::string> argv = {std::string(binary_dir != nullptr ? binary_dir : ".") +
                                   "/clients/reminder_worker/clinic-reminder-worker"};
  argv.insert(argv.end(), args.begin(), args.end());
  const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int log = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  pid_ = Spawn(argv, env, null, log, log);
  close(null);
  close(log);
}

WorkerProcess::~WorkerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void WorkerProcess::Signal(int signal) const {
  if (pid_ > 0) kill(pid_, signal);
}

int WorkerProcess::Wait(int seconds) {
  if (pid_ <= 0) return -1;
  const int code = WaitForExit(pid_, seconds);
  if (code >= 0) pid_ = -1;
  return code;
}

bool WorkerProcess::WaitForLog(const std::string& text, int seconds) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (Log().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string WorkerProcess::Log() const { return ReadFile(log_path_); }

int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

bool ReadRecord(const std::string& path, google::protobuf::Struct* record) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!std::filesystem::exists(path) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!std::filesystem::exists(path)) {
    ADD_FAILURE() << "no record " << path;
    return false;
  }
  const auto status = google::protobuf::util::JsonStringToMessage(ReadFile(path), record);
  if (!status.ok()) {
    ADD_FAILURE() << path << " is not JSON: " << status.ToString();
    return false;
  }
  return true;
}

int CountRecords(const std::string& directory) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 5 && name[0] != '.' && name.substr(name.size() - 5) == ".json") ++count;
  }
  return count;
}

}  // namespace clinicd::reminder_worker::testing
