#pragma once

// How patient names are compared: case and accents folded with ICU, so the
// front desk finds "Müller" by typing "muller" and "Ørsted" by "orsted".

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

namespace clinicd::domain {

// `text` lower-cased with accents removed and Latin letters folded to ASCII
// (ICU transliteration).
std::string FoldForSearch(absl::string_view text);

// The folded words of `text`, split at anything but letters and digits.
std::vector<std::string> SearchWords(absl::string_view text);

// The key patients are listed by: folded family name, then given name.
std::string PatientSortKey(absl::string_view family_name, absl::string_view given_name);

// Every folded name word, each preceded by a space (the text the full-text
// index of patient names holds).
std::string PatientSearchNames(absl::string_view family_name, absl::string_view given_name);

}  // namespace clinicd::domain
