#include "clients/common/command_line.h"

#include <cstdint>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/marshalling.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace clinicd::client {
namespace {

// True when `value` parses as `flag`'s type, else what was expected in
// `expected`; checked on a copy so that no flag changes. Strings and lists
// (absl's --flagfile) take any text.
bool ValueParses(const absl::CommandLineFlag& flag, absl::string_view value,
                 std::string* expected) {
  std::string ignored;
  if (flag.IsOfType<bool>()) {
    bool parsed;
    *expected = "true or false";
    return absl::ParseFlag(value, &parsed, &ignored);
  }
  if (flag.IsOfType<int>()) {
    int parsed;
    *expected = "a whole number";
    return absl::ParseFlag(value, &parsed, &ignored);
  }
  if (flag.IsOfType<int64_t>()) {
    int64_t parsed;
    *expected = "a whole number";
    return absl::ParseFlag(value, &parsed, &ignored);
  }
  if (flag.IsOfType<double>()) {
    double parsed;
    *expected = "a number";
    return absl::ParseFlag(value, &parsed, &ignored);
  }
  if (flag.IsOfType<absl::Duration>()) {
    absl::Duration parsed;
    *expected = "a duration such as 90s, 2m or 1h30m";
    return absl::ParseFlag(value, &parsed, &ignored);
  }
  return true;
}

// absl's help flags, which its parser handles without registering them.
bool IsHelpFlag(absl::string_view name) {
  for (const char* help : {"help", "helpfull", "helpshort", "helppackage", "helpon", "helpmatch",
                           "version", "only_check_args"}) {
    if (name == help) return true;
  }
  return false;
}

}  // namespace

absl::Status CheckCommandLine(int argc, char** argv, std::vector<std::string>* seen) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;  // Positional; the program judges it.
    arg.remove_prefix(arg[1] == '-' ? 2 : 1);
    const size_t equals = arg.find('=');
    const bool has_value = equals != absl::string_view::npos;
    absl::string_view name = arg.substr(0, equals);
    absl::string_view value = has_value ? arg.substr(equals + 1) : absl::string_view();

    if (IsHelpFlag(name)) continue;
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr && !has_value && absl::StartsWith(name, "no")) {
      // --noNAME for a boolean NAME.
      absl::CommandLineFlag* negated = absl::FindCommandLineFlag(name.substr(2));
      if (negated != nullptr && negated->IsOfType<bool>()) {
        if (seen != nullptr) seen->emplace_back(name.substr(2));
        continue;
      }
    }
    if (flag == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (seen != nullptr) seen->emplace_back(name);
    if (!has_value) {
      if (flag->IsOfType<bool>()) continue;
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
      }
      value = argv[++i];
    }
    std::string expected;
    if (!ValueParses(*flag, value, &expected)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " must be ", expected, ", got \"", value, "\""));
    }
  }
  return absl::OkStatus();
}

}  // namespace clinicd::client
