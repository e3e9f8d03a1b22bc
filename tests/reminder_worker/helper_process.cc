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

extern char** environ;

namespace clinicd::reminder_worker::testing {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

// Waits up to `seconds` for `pid` to exit; true when it did.
bool WaitForExit(pid_t pid, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
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
  // Everything exec needs is built before fork.
  const std::string path = std::string(CLINICD_REMINDER_TEST_DIR) + "/" + script;
  std::vector<std::string> argv_text = {kPython, path};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text = env;
  for (char** entry = environ; *entry != nullptr; ++entry) env_text.push_back(*entry);
  std::vector<char*> envp;
  for (std::string& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);

  int to_child[2];
  int from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) {
    *error = "pipe failed";
    return nullptr;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(to_child[0], STDIN_FILENO);
    dup2(from_child[1], STDOUT_FILENO);
    execve(kPython, argv.data(), envp.data());
    _exit(127);
  }
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
  if (!WaitForExit(pid_, 5)) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

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
