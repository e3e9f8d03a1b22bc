#include "clients/clinicctl/command.h"

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace clinicd::clinicctl {

std::vector<CommandGroup> AllCommands() {
  CommandGroup consent = ConsentCommands();
  for (Command& command : ConsentChangeCommands()) consent.commands.push_back(std::move(command));
  return {SetupCommands(),    ScheduleCommands(), AppointmentCommands(), PatientCommands(),
          std::move(consent), SeriesCommands(),   RecallCommands(),      CalendarCommands()};
}

void ArgumentCounts(const std::string& arguments, int* least, int* most) {
  *least = 0;
  *most = 0;
  for (absl::string_view word : absl::StrSplit(arguments, ' ', absl::SkipEmpty())) {
    const bool optional = absl::StartsWith(word, "[");
    const bool repeated = absl::EndsWith(absl::StripSuffix(word, "]"), "...");
    if (!optional) ++*least;
    if (repeated || *most < 0) {
      *most = -1;
    } else {
      ++*most;
    }
  }
}

std::string NewRequestId() {
  absl::BitGen random;
  return absl::StrFormat("clinicctl-%016x%016x", absl::Uniform<uint64_t>(random),
                         absl::Uniform<uint64_t>(random));
}

absl::Status FlagError(const std::string& flag, const std::string& problem) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", problem));
}

}  // namespace clinicd::clinicctl
