#include "tests/integration/clinicd_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

namespace clinicd::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Spawns `argv` with stdout and stderr sent to the given files.
pid_t Spawn(const std::vector<std::string>& args, const std::string& stdout_path,
            const std::string& stderr_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

}  // namespace

ClinicdProcess::ClinicdProcess() {
  const char* dir = std::getenv("CLINICD_BINARY_DIR");
  binary_ = std::string(dir ? dir : ".") + "/services/server/clinicd";
  char pattern[] = "/tmp/clinicd-it-XXXXXX";
  dir_ = mkdtemp(pattern);
  db_path_ = dir_ + "/clinicd.db";
  log_path_ = dir_ + "/clinicd.log";
}

ClinicdProcess::~ClinicdProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool ClinicdProcess::Start(std::string* error) {
  pid_ = Spawn({binary_, "--listen=127.0.0.1:0", "--db=" + db_path_,
                "--plugin_dir=" + dir_ + "/plugins"},
               dir_ + "/stdout.log", log_path_);
  if (pid_ <= 0) {
    *error = "cannot spawn " + binary_;
    return false;
  }
  const std::regex listening("clinicd listening on 127\\.0\\.0\\.1:([0-9]+)");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    const std::string log = Log();
    if (std::regex_search(log, match, listening)) {
      channel_ = grpc::CreateChannel("127.0.0.1:" + match[1].str(),
                                     grpc::InsecureChannelCredentials());
      return true;
    }
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  *error = "clinicd did not start:\n" + Log();
  return false;
}

int ClinicdProcess::Stop(int seconds) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

int ClinicdProcess::RunCommand(const std::vector<std::string>& args,
                               std::string* output) const {
  std::vector<std::string> argv = {binary_};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--db=" + db_path_);
  const std::string out_path = dir_ + "/command.out";
  pid_t pid = Spawn(argv, out_path, dir_ + "/command.err");
  int status = 0;
  if (pid <= 0 || waitpid(pid, &status, 0) != pid) return -1;
  *output = ReadFile(out_path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ClinicdProcess::CreateKey(const std::string& role,
                                      const std::string& clinic_id) const {
  std::vector<std::string> args = {"keys", "create", "--role=" + role};
  if (!clinic_id.empty()) args.push_back("--clinic=" + clinic_id);
  std::string output;
  if (RunCommand(args, &output) != 0) return "";
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output.substr(output.rfind('\n') + 1);
}

std::string ClinicdProcess::Log() const { return ReadFile(log_path_); }

std::unique_ptr<grpc::ClientContext> AuthedContext(const std::string& secret) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!secret.empty()) context->AddMetadata("authorization", "Bearer " + secret);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

}  // namespace clinicd::testing
