#include "clients/clinicctl/cli.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/clinicctl/command.h"
#include "clients/clinicctl/flags.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/table.h"
#include "clients/common/command_line.h"
#include "google/rpc/status.pb.h"

namespace clinicd::clinicctl {
namespace {

constexpr char kOverviewHead[] =
    "clinicctl: the front desk's command line for clinicd.\n"
    "\n"
    "Usage: clinicctl <command> [ARGUMENTS] [--flags]\n";

constexpr char kOverviewTail[] =
    "\n"
    "Ids: a bare id is taken in --clinic; a full name (clinics/C/patients/P) works anywhere.\n"
    "Patients may also be named by name words or a phone number that match exactly one.\n"
    "Times are the clinic's local time (its IANA zone), typed as \"YYYY-MM-DD HH:MM\".\n"
    "\n"
    "Every command takes --clinic, --json, --timeout and the connection flags --server,\n"
    "--api_key, --tls, --tls_ca, --tls_server_name (`clinicctl help flags`).\n"
    "Environment: CLINICD_ADDRESS, CLINICD_API_KEY, CLINICD_CLINIC.\n"
    "Exit status: 0 done, 1 refused by clinicd, 2 usage error, 3 clinicd unreachable.\n"
    "Run `clinicctl <command> --help` for a command's arguments and flags.\n";

// Lines of `left` and `right` with the right column aligned.
std::string TwoColumns(const std::vector<std::pair<std::string, std::string>>& rows,
                       const std::string& indent) {
  size_t width = 0;
  for (const auto& row : rows) width = std::max(width, DisplayWidth(row.first));
  std::string out;
  for (const auto& [left, right] : rows) {
    absl::StrAppend(&out, indent, left, std::string(width - DisplayWidth(left) + 2, ' '), right,
                    "\n");
  }
  return out;
}

std::string Overview(const std::vector<CommandGroup>& groups) {
  std::string out = kOverviewHead;
  for (const CommandGroup& group : groups) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const Command& command : group.commands) {
      rows.emplace_back(
          absl::StrCat(command.name, command.arguments.empty() ? "" : " ", command.arguments),
          command.summary);
    }
    absl::StrAppend(&out, "\n", group.title, ":\n", TwoColumns(rows, "  "));
  }
  return out + kOverviewTail;
}

// "--name  help (default: value)" rows for `names`.
std::vector<std::pair<std::string, std::string>> FlagRows(
    const std::vector<std::string>& names, const std::vector<std::string>& required) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const std::string& name : names) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) continue;
    std::string help = flag->Help();
    if (std::find(required.begin(), required.end(), name) != required.end()) {
      help += " (required)";
    } else if (!flag->DefaultValue().empty() && !flag->IsOfType<bool>() &&
               flag->DefaultValue() != "0") {
      absl::StrAppend(&help, " (default: ", flag->DefaultValue(), ")");
    }
    rows.emplace_back("--" + name, help);
  }
  return rows;
}

std::string CommandHelp(const Command& command) {
  std::string usage = absl::StrCat("Usage: clinicctl ", command.name);
  if (!command.arguments.empty()) absl::StrAppend(&usage, " ", command.arguments);
  for (const std::string& name : command.required) absl::StrAppend(&usage, " --", name, "=...");
  std::string summary = command.summary;
  summary[0] = absl::ascii_toupper(static_cast<unsigned char>(summary[0]));
  absl::StrAppend(&usage, " [--flags]\n\n", summary, ".\n");
  if (!command.details.empty()) absl::StrAppend(&usage, command.details, "\n");
  if (!command.flags.empty()) {
    absl::StrAppend(&usage, "\nFlags:\n",
                    TwoColumns(FlagRows(command.flags, command.required), "  "));
  }
  absl::StrAppend(&usage, "\nCommon flags: --", absl::StrJoin(CommonFlagNames(), " --"),
                  " (clinicctl help flags)\n");
  return usage;
}

std::string CommonFlagsHelp() {
  return absl::StrCat("Flags every command takes:\n",
                      TwoColumns(FlagRows(CommonFlagNames(), {}), "  "),
                      "\nEnvironment: CLINICD_ADDRESS, CLINICD_API_KEY, CLINICD_CLINIC fill the "
                      "flags left unset.\n");
}

// The command `words` select and how many words that took; null when none.
const Command* Find(const std::vector<CommandGroup>& groups, const std::vector<std::string>& words,
                    size_t* used) {
  for (size_t n : {size_t{2}, size_t{1}}) {
    if (words.size() < n) continue;
    const std::string name = absl::StrJoin(words.begin(), words.begin() + n, " ");
    for (const CommandGroup& group : groups) {
      for (const Command& command : group.commands) {
        if (command.name == name) {
          *used = n;
          return &command;
        }
      }
    }
  }
  return nullptr;
}

// The verbs of `noun`, e.g. "book, show, ..." for "appointment"; empty when it has none.
std::vector<std::string> VerbsOf(const std::vector<CommandGroup>& groups, const std::string& noun) {
  std::vector<std::string> verbs;
  for (const CommandGroup& group : groups) {
    for (const Command& command : group.commands) {
      if (absl::StartsWith(command.name, noun + " "))
        verbs.push_back(command.name.substr(noun.size() + 1));
    }
  }
  return verbs;
}

bool IsHelp(const std::string& arg) {
  return arg == "--help" || arg == "-help" || arg == "-h" || arg == "--helpfull" ||
         arg == "--helpshort";
}

// Help for `words` (after `help`): a command, a noun's verbs, the common flags, or everything.
int Help(const std::vector<CommandGroup>& groups, const std::vector<std::string>& words,
         std::ostream& out, std::ostream& err) {
  if (words.empty()) {
    out << Overview(groups);
    return kExitOk;
  }
  if (words.size() == 1 && words[0] == "flags") {
    out << CommonFlagsHelp();
    return kExitOk;
  }
  size_t used = 0;
  if (const Command* command = Find(groups, words, &used)) {
    out << CommandHelp(*command);
    return kExitOk;
  }
  const std::vector<std::string> verbs = VerbsOf(groups, words[0]);
  if (!verbs.empty()) {
    out << "clinicctl " << words[0] << " <" << absl::StrJoin(verbs, "|") << ">\n";
    for (const CommandGroup& group : groups) {
      std::vector<std::pair<std::string, std::string>> rows;
      for (const Command& command : group.commands) {
        if (absl::StartsWith(command.name, words[0] + " ")) {
          rows.emplace_back(absl::StrCat(command.name, " ", command.arguments), command.summary);
        }
      }
      out << TwoColumns(rows, "  ");
    }
    return kExitOk;
  }
  err << "clinicctl: no command \"" << absl::StrJoin(words, " ") << "\"; run clinicctl help\n";
  return kExitUsage;
}

// Checks the flags in `argv` (the command's, after its words) and parses them.
absl::Status ParseFlags(const Command& command, std::vector<char*>& argv,
                        std::vector<std::string>* positional) {
  std::vector<std::string> seen;
  if (absl::Status s = client::CheckCommandLine(static_cast<int>(argv.size()), argv.data(), &seen);
      !s.ok()) {
    return s;
  }
  for (const std::string& name : seen) {
    const auto& common = CommonFlagNames();
    if (std::find(common.begin(), common.end(), name) == common.end() &&
        std::find(command.flags.begin(), command.flags.end(), name) == command.flags.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " is not a flag of `", command.name, "`"));
    }
  }
  const std::vector<char*> rest =
      absl::ParseCommandLine(static_cast<int>(argv.size()), argv.data());
  positional->assign(rest.begin() + 1, rest.end());
  const int count = static_cast<int>(positional->size());
  int least, most;
  ArgumentCounts(command.arguments, &least, &most);
  if (count < least || (most >= 0 && count > most)) {
    return absl::InvalidArgumentError(
        command.arguments.empty()
            ? absl::StrCat(command.name, " takes no arguments, got \"", positional->front(), "\"")
            : absl::StrCat(command.name, " takes ", command.arguments, ", got ", count,
                           count == 1 ? " argument" : " arguments"));
  }
  for (const std::string& name : command.required) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag != nullptr && flag->CurrentValue().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(command.name, " needs --", name, ": ", flag->Help()));
    }
  }
  if (absl::GetFlag(FLAGS_timeout) <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--timeout must be positive");
  }
  return absl::OkStatus();
}

// clinicd's google.rpc.Status of a refusal, for --json.
void PrintRefusalJson(const absl::Status& status, std::ostream& out) {
  google::rpc::Status rpc;
  if (const auto details = status.GetPayload("type.googleapis.com/google.rpc.Status")) {
    rpc.ParseFromString(std::string(*details));
  }
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(std::string(status.message()));
  PrintJsonObject({{"error", &rpc}}, out).IgnoreError();
}

}  // namespace

int RunClinicctl(int argc, char** argv, std::ostream& out, std::ostream& err,
                 const client::EnvironmentLookup& getenv) {
  const std::vector<CommandGroup> groups = AllCommands();
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    err << Overview(groups);
    return kExitUsage;
  }
  if (args[0] == "help" || IsHelp(args[0])) {
    return Help(groups, std::vector<std::string>(args.begin() + 1, args.end()), out, err);
  }
  size_t used = 0;
  const Command* command = Find(groups, args, &used);
  if (command == nullptr) {
    const std::vector<std::string> verbs = VerbsOf(groups, args[0]);
    if (!verbs.empty() && args.size() > 1 && IsHelp(args[1]))
      return Help(groups, {args[0]}, out, err);
    if (!verbs.empty()) {
      err << "clinicctl: " << args[0] << " needs one of: " << absl::StrJoin(verbs, ", ")
          << " (clinicctl help " << args[0] << ")\n";
    } else {
      err << "clinicctl: no command \"" << args[0] << "\"; run clinicctl help\n";
    }
    return kExitUsage;
  }
  const std::vector<std::string> rest(args.begin() + used, args.end());
  for (const std::string& arg : rest) {
    if (arg == "--") break;
    if (IsHelp(arg)) {
      out << CommandHelp(*command);
      return kExitOk;
    }
  }

  std::vector<std::string> flag_args = {argv[0]};
  flag_args.insert(flag_args.end(), rest.begin(), rest.end());
  std::vector<char*> flag_argv;
  for (std::string& arg : flag_args) flag_argv.push_back(arg.data());
  std::vector<std::string> positional;
  if (absl::Status s = ParseFlags(*command, flag_argv, &positional); !s.ok()) {
    err << "clinicctl: " << s.message() << "; see clinicctl " << command->name << " --help\n";
    return kExitUsage;
  }
  client::ConnectionOptions options;
  std::string clinic = absl::GetFlag(FLAGS_clinic);
  if (clinic.empty()) clinic = client::FromEnvironment(getenv, "CLINICD_CLINIC");
  absl::StatusOr<std::string> parent = client::ClinicParent(clinic);
  absl::Status connection = client::ConnectionFromFlags(getenv, options);
  if (!connection.ok() || !parent.ok()) {
    err << "clinicctl: " << (connection.ok() ? parent.status() : connection).message() << "\n";
    return kExitUsage;
  }

  RefusalContext refusal;
  refusal.action = command->name;
  refusal.server = options.server;
  refusal.tls = options.tls;
  Connection rpc(client::ClinicdChannel(options), options.api_key, absl::GetFlag(FLAGS_timeout));
  const bool json = absl::GetFlag(FLAGS_json);
  Session session(&rpc, *parent, json, &out, &refusal);
  const absl::Status status = command->run(session, positional);
  if (status.ok()) return kExitOk;
  const std::vector<std::string> lines = DescribeFailure(status, refusal);
  for (size_t i = 0; i < lines.size(); ++i) {
    err << (i == 0 ? "clinicctl: " : "  ") << lines[i] << "\n";
  }
  if (json && IsFromRpc(status)) PrintRefusalJson(status, out);
  return ExitCodeFor(status);
}

}  // namespace clinicd::clinicctl
