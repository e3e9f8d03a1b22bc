#include "clients/clinicctl/name_match.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <utility>

#include "services/domain/name_search.h"

namespace clinicd::clinicctl {
namespace {

// The code points of UTF-8 `text`.
std::u32string CodePoints(absl::string_view text) {
  const icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  std::u32string points;
  for (int32_t i = 0; i < unicode.length();) {
    const UChar32 c = unicode.char32At(i);
    points.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return points;
}

// How far `name_words` are from `typed_words`: for each typed word the
// fewest edits to one of the name's words; -1 when a typed word is too far
// from all of them (more edits than a third of its letters, or than one).
int Distance(const std::vector<std::string>& typed_words,
             const std::vector<std::string>& name_words) {
  int total = 0;
  for (const std::string& typed : typed_words) {
    int best = -1;
    for (const std::string& word : name_words) {
      const int edits = EditDistance(typed, word);
      if (best < 0 || edits < best) best = edits;
    }
    const int letters = static_cast<int>(CodePoints(typed).size());
    if (best < 0 || best > std::max(1, letters / 3)) return -1;
    total += best;
  }
  return total;
}

}  // namespace

std::vector<std::string> FoldedWords(absl::string_view text) {
  return domain::SearchWords(text);
}

std::vector<std::string> SearchPrefixes(absl::string_view typed, size_t letters) {
  std::vector<std::string> prefixes;
  for (const std::string& word : FoldedWords(typed)) {
    const icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(word);
    std::string prefix;
    unicode.tempSubString(0, unicode.moveIndex32(0, static_cast<int32_t>(letters)))
        .toUTF8String(prefix);
    if (std::find(prefixes.begin(), prefixes.end(), prefix) == prefixes.end()) {
      prefixes.push_back(std::move(prefix));
    }
  }
  return prefixes;
}

int EditDistance(absl::string_view a, absl::string_view b) {
  const std::u32string x = CodePoints(a);
  const std::u32string y = CodePoints(b);
  std::vector<int> row(y.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= x.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= y.size(); ++j) {
      const int above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[y.size()];
}

std::vector<std::string> ClosestNames(absl::string_view typed,
                                      const std::vector<std::string>& names, size_t most) {
  const std::vector<std::string> typed_words = FoldedWords(typed);
  if (typed_words.empty()) return {};
  int letters = 0;
  for (const std::string& word : typed_words) letters += static_cast<int>(CodePoints(word).size());
  const int allowed = std::max(2, letters / 3);
  std::vector<std::pair<int, size_t>> close;  // distance, index in names
  for (size_t i = 0; i < names.size(); ++i) {
    const int distance = Distance(typed_words, FoldedWords(names[i]));
    if (distance >= 0 && distance <= allowed) close.emplace_back(distance, i);
  }
  std::stable_sort(close.begin(), close.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> closest;
  for (const auto& [distance, index] : close) {
    if (closest.size() == most) break;
    if (std::find(closest.begin(), closest.end(), names[index]) == closest.end()) {
      closest.push_back(names[index]);
    }
  }
  return closest;
}

}  // namespace clinicd::clinicctl
