#pragma once

// clinicctl's commands: `clinicctl <noun> <verb> [ARGUMENTS] [--flags]`, or
// `clinicctl <noun>` for nouns with one thing to do (slots, daybook). Each
// command file returns its group; the dispatcher (cli.h) finds the command,
// checks its arguments and flags, and runs it.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "clients/clinicctl/session.h"

namespace clinicd::clinicctl {

// The positional arguments after the command's words.
using Arguments = std::vector<std::string>;

struct Command {
  // The words that select it, e.g. "appointment book" or "slots".
  std::string name;
  // Its positional arguments as help shows them, which also says how many it
  // takes: "APPOINTMENT" one, "[PATIENT]" none or one, "WORDS..." one or more.
  std::string arguments;
  // One line for `clinicctl help`.
  std::string summary;
  // More for `clinicctl <command> --help`; may be empty.
  std::string details;
  // The flags it takes besides the common ones (flags.h), and which of them
  // it cannot do without.
  std::vector<std::string> flags;
  std::vector<std::string> required;
  // Runs it; a failure is printed by the dispatcher (refusal.h).
  std::function<absl::Status(Session&, const Arguments&)> run;
};

// Commands shown together in `clinicctl help`.
struct CommandGroup {
  std::string title;
  std::vector<Command> commands;
};

// The groups, one per file.
CommandGroup SetupCommands();        // clinic/practitioner/room create, patient register
CommandGroup ScheduleCommands();     // slots, daybook
CommandGroup AppointmentCommands();  // appointment book ... no-show, consultation record
CommandGroup PatientCommands();      // patient search/show, clinic list
CommandGroup ConsentCommands();      // consent status/sign, screening submit
CommandGroup SeriesCommands();       // series create/list/show/plan/cancel
CommandGroup RecallCommands();       // recall list/snooze/dismiss, outbox list
CommandGroup CalendarCommands();     // timeoff add/list/delete, closure add/list/delete

// consent withdraw/export and screening review, listed in ConsentCommands' group.
std::vector<Command> ConsentChangeCommands();

// Every group in help order.
std::vector<CommandGroup> AllCommands();

// How many positional arguments `arguments` (Command::arguments) allows;
// `most` is -1 for any number.
void ArgumentCounts(const std::string& arguments, int* least, int* most);

// A fresh request_id for a create: a retry of the same command creates again
// only when the first attempt never reached clinicd.
std::string NewRequestId();

// A usage error naming `flag`: "--flag: problem" (exit 2).
absl::Status FlagError(const std::string& flag, const std::string& problem);

}  // namespace clinicd::clinicctl
