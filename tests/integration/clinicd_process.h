#pragma once

// A real clinicd for integration tests: the built binary, started as a child
// process on 127.0.0.1 port 0 with a fresh database: a SQLite file in a temp
// directory, or a database of its own on the PostgreSQL test cluster when the
// suites run against PostgreSQL (tests/testing/fresh_database.h).

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace clinicd::test_util {
class FreshDatabase;
}  // namespace clinicd::test_util

namespace clinicd::testing {

// Runs the clinicd binary and talks to it.
class ClinicdProcess final {
 public:
  // Creates the temp directory and the database (a failure to create it is
  // a test failure); call Start() to launch.
  ClinicdProcess();
  // The same, on a database another ClinicdProcess made (`db`, its db()):
  // a second clinicd sharing one PostgreSQL database. This one neither
  // creates nor drops it.
  explicit ClinicdProcess(const std::string& db);
  // Stops the server (SIGKILL if still running), removes the directory and
  // drops a PostgreSQL database.
  ~ClinicdProcess();

  ClinicdProcess(const ClinicdProcess&) = delete;
  ClinicdProcess& operator=(const ClinicdProcess&) = delete;

  // Copies a plugin file into the server's plugin directory (before Start).
  void AddPlugin(const std::string& source, const std::string& as = "");

  // The bundled plugins built with this tree (build/plugins/*.so).
  static std::string BundledPlugin(const std::string& name);

  // The broken plugin fixtures built with the tests.
  static std::string PluginFixture(const std::string& file);

  // Starts the server with a test clock standing at `time` (the --test_clock
  // flag, RFC 3339 or `now`), from the next Start on.
  void UseTestClock(const std::string& time) { test_clock_ = time; }
  // Passes `args` (e.g. --config=PATH) to the server from the next Start on.
  void AddServerArgs(const std::vector<std::string>& args) {
    extra_args_.insert(extra_args_.end(), args.begin(), args.end());
  }
  // Starts `clinicd --listen=127.0.0.1:0 --db=...` and waits for its
  // "listening on" log line; false (with the log in `error`) on failure.
  bool Start(std::string* error);

  // Sends SIGTERM and waits up to `seconds` for exit; returns the exit code,
  // or -1 when it did not exit in time.
  int Stop(int seconds = 30);

  // Kills the server with SIGKILL, as a crash or power cut would, leaving its
  // database as it was (on SQLite, with whatever WAL it had).
  void Kill();

  // Runs `clinicd <args> --db=...` to completion; returns its exit code and
  // fills `output` with stdout.
  int RunCommand(const std::vector<std::string>& args, std::string* output) const;

  // What the last RunCommand (or CreateKey) wrote to stderr.
  std::string CommandErrors() const;

  // Creates an API key with `role` (limited to `clinic_id` when given) and
  // returns its secret, the last line `clinicd keys create` prints.
  std::string CreateKey(const std::string& role, const std::string& clinic_id = "") const;

  // A channel to the running server.
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // Its address, 127.0.0.1:PORT, for client programs under test.
  const std::string& address() const { return address_; }
  // Everything the server logged so far.
  std::string Log() const;
  // What --db names: the SQLite file, or on PostgreSQL the database's URI
  // (empty when it could not be created).
  const std::string& db() const { return db_; }
  // The server's temp directory (removed with this object).
  const std::string& dir() const { return dir_; }
  // The running server's process id (-1 when not running).
  pid_t pid() const { return pid_; }

 private:
  // Makes the directory and, when `fresh_database`, the database.
  explicit ClinicdProcess(bool fresh_database);

  std::string binary_dir_;
  std::string binary_;
  std::string dir_;
  std::unique_ptr<test_util::FreshDatabase> database_;
  std::string db_;
  std::string log_path_;
  pid_t pid_ = -1;
  std::string test_clock_;
  std::vector<std::string> extra_args_;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
};

// A client context carrying `authorization: Bearer <secret>` (none when empty).
std::unique_ptr<grpc::ClientContext> AuthedContext(const std::string& secret);

}  // namespace clinicd::testing
