#pragma once

// Near misses for names the front desk types: when a patient's name matches
// nobody, the closest names the clinic has, compared as clinicd compares
// them (case and accents folded), word by word in any order.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace clinicd::clinicctl {

// `text` lower-cased with accents removed and Latin letters folded to ASCII
// ("Müller" is "muller"), split into words of letters and digits.
std::vector<std::string> FoldedWords(absl::string_view text);

// The first `letters` letters of each word of `typed` (FoldedWords), a
// shorter word whole, each once: what to ask clinicd's prefix search for
// when the whole name matched nobody.
std::vector<std::string> SearchPrefixes(absl::string_view typed, size_t letters);

// Edits (insertions, deletions, substitutions of one character) that turn
// `a` into `b`, counting UTF-8 characters.
int EditDistance(absl::string_view a, absl::string_view b);

// The names among `names` closest to `typed`, closest first (ties in the
// order given), each once, at most `most`. A name is close when each typed
// word is at most a third of its letters (at least one) from one of the
// name's words, and the edits add up to at most a third of all typed letters
// (at least 2).
std::vector<std::string> ClosestNames(absl::string_view typed,
                                      const std::vector<std::string>& names, size_t most);

}  // namespace clinicd::clinicctl
