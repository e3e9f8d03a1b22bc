#include "clients/clinicctl/command.h"

#include <set>
#include <string>

#include "absl/flags/reflection.h"
#include "clients/clinicctl/flags.h"
#include "gtest/gtest.h"

namespace clinicd::clinicctl {
namespace {

TEST(ArgumentCountsTest, ReadsTheUsage) {
  int least, most;
  ArgumentCounts("", &least, &most);
  EXPECT_EQ(least, 0);
  EXPECT_EQ(most, 0);
  ArgumentCounts("APPOINTMENT", &least, &most);
  EXPECT_EQ(least, 1);
  EXPECT_EQ(most, 1);
  ArgumentCounts("[PATIENT]", &least, &most);
  EXPECT_EQ(least, 0);
  EXPECT_EQ(most, 1);
  ArgumentCounts("WORDS...", &least, &most);
  EXPECT_EQ(least, 1);
  EXPECT_EQ(most, -1);
  ArgumentCounts("SERIES [WORDS...]", &least, &most);
  EXPECT_EQ(least, 1);
  EXPECT_EQ(most, -1);
}

// Every command is reachable by a unique name, documents itself, and lists
// only flags that exist; its required flags are among its flags.
TEST(CommandTableTest, EveryCommandIsWellFormed) {
  std::set<std::string> names;
  for (const CommandGroup& group : AllCommands()) {
    EXPECT_FALSE(group.title.empty());
    for (const Command& command : group.commands) {
      EXPECT_TRUE(names.insert(command.name).second) << "twice: " << command.name;
      EXPECT_FALSE(command.summary.empty()) << command.name;
      EXPECT_TRUE(command.run) << command.name;
      for (const std::string& flag : command.flags) {
        EXPECT_NE(absl::FindCommandLineFlag(flag), nullptr) << command.name << " --" << flag;
      }
      for (const std::string& flag : command.required) {
        EXPECT_NE(std::find(command.flags.begin(), command.flags.end(), flag), command.flags.end())
            << command.name << " requires --" << flag << " but does not take it";
      }
    }
  }
  // clinicctl's own common flags; the connection flags of clients/common are
  // checked end to end (`clinicctl help flags`).
  for (const char* flag : {"clinic", "json", "timeout"}) {
    EXPECT_NE(absl::FindCommandLineFlag(flag), nullptr) << "--" << flag;
  }
}

}  // namespace
}  // namespace clinicd::clinicctl
