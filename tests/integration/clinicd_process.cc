#include "tests/integration/clinicd_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/testing/fresh_database.h"

namespace clinicd::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Starts `args` with stdout and stderr sent to the given files. The child
// dies with the test process (PR_SET_PDEATHSIG), so a crashed test never
// leaves a server behind.
pid_t Spawn(const std::vector<std::string>& args, const std::string& stdout_path,
            const std::string& stderr_path) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  const int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(127);
  execv(argv[0], argv.data());
  _exit(127);
}

std::string BinaryDir() {
  const char* dir = std::getenv("CLINICD_BINARY_DIR");
  return dir != nullptr ? dir : ".";
}

}  // namespace

ClinicdProcess::ClinicdProcess(const std::string& db) : ClinicdProcess(false) { db_ = db; }

ClinicdProcess::ClinicdProcess() : ClinicdProcess(true) {}

ClinicdProcess::ClinicdProcess(bool fresh_database) {
  // gRPC's C++ client reads a server's shutdown PING only when something
  // polls the idle connection; its backup poller runs every 5 s by default,
  // so each server stop waited 5 s for the GOAWAY round trip. Set before the
  // first channel initialises gRPC.
  setenv("GRPC_CLIENT_CHANNEL_BACKUP_POLL_INTERVAL_MS", "50", /*overwrite=*/0);
  binary_ = BinaryDir() + "/services/server/clinicd";
  char pattern[] = "/tmp/clinicd-it-XXXXXX";
  dir_ = mkdtemp(pattern);
  std::filesystem::create_directory(dir_ + "/plugins");
  log_path_ = dir_ + "/clinicd.log";
  if (!fresh_database) return;
  absl::StatusOr<std::unique_ptr<test_util::FreshDatabase>> database =
      test_util::FreshDatabase::Create(dir_);
  if (database.ok()) {
    database_ = *std::move(database);
    db_ = database_->db();
  } else {
    ADD_FAILURE() << "no database for clinicd: " << database.status();
  }
}

ClinicdProcess::~ClinicdProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
  // Dropped after the server is gone (and a PostgreSQL database's sessions
  // closed by force, should a child of the test still hold one).
  database_.reset();
}

std::string ClinicdProcess::BundledPlugin(const std::string& name) {
  return BinaryDir() + "/plugins/" + name + ".so";
}

std::string ClinicdProcess::PluginFixture(const std::string& file) {
  return BinaryDir() + "/tests/plugin_fixtures/" + file;
}

void ClinicdProcess::AddPlugin(const std::string& source, const std::string& as) {
  const std::filesystem::path from(source);
  std::filesystem::copy_file(from, dir_ + "/plugins/" + (as.empty() ? from.filename().string() : as));
}

bool ClinicdProcess::Start(std::string* error) {
  // Empty the log here, not only in the child: after a restart the wait below
  // must not find the previous run's "listening" line before the child has
  // truncated the file.
  std::ofstream(log_path_, std::ios::trunc).close();
  if (db_.empty()) {
    *error = "no database to start clinicd on (see the failure above)";
    return false;
  }
  std::vector<std::string> args = {binary_, "--listen=127.0.0.1:0", "--db=" + db_,
                                   "--plugin_dir=" + dir_ + "/plugins"};
  if (!test_clock_.empty()) args.push_back("--test_clock=" + test_clock_);
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  pid_ = Spawn(args, dir_ + "/stdout.log", log_path_);
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
      address_ = "127.0.0.1:" + match[1].str();
      channel_ = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
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

void ClinicdProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int ClinicdProcess::RunCommand(const std::vector<std::string>& args,
                               std::string* output) const {
  std::vector<std::string> argv = {binary_};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--db=" + db_);
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

std::string ClinicdProcess::CommandErrors() const { return ReadFile(dir_ + "/command.err"); }

std::string ClinicdProcess::Log() const { return ReadFile(log_path_); }

std::unique_ptr<grpc::ClientContext> AuthedContext(const std::string& secret) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!secret.empty()) context->AddMetadata("authorization", "Bearer " + secret);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

}  // namespace clinicd::testing
