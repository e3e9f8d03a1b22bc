#include "services/domain/name_search.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace clinicd::domain {
namespace {

// One transliterator per thread: creating one is slow and using one is not
// thread-safe. Latin-ASCII also folds letters that carry no separable
// accent (ø→o, ł→l, ß→ss).
icu::Transliterator* Folder() {
  thread_local std::unique_ptr<icu::Transliterator> folder = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        "NFD; [:Nonspacing Mark:] Remove; Latin-ASCII; Any-Lower; NFC", UTRANS_FORWARD, status));
    return U_SUCCESS(status) ? std::move(t) : nullptr;
  }();
  return folder.get();
}

}  // namespace

std::string FoldForSearch(absl::string_view text) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (icu::Transliterator* folder = Folder()) {
    folder->transliterate(unicode);
  } else {
    unicode.foldCase();
  }
  std::string folded;
  unicode.toUTF8String(folded);
  return folded;
}

std::vector<std::string> SearchWords(absl::string_view text) {
  icu::UnicodeString folded = icu::UnicodeString::fromUTF8(FoldForSearch(text));
  std::vector<std::string> words;
  icu::UnicodeString word;
  auto flush = [&] {
    if (word.isEmpty()) return;
    std::string utf8;
    word.toUTF8String(utf8);
    words.push_back(std::move(utf8));
    word.remove();
  };
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    if (u_isalnum(c)) {
      word.append(c);
    } else {
      flush();
    }
    i += U16_LENGTH(c);
  }
  flush();
  return words;
}

std::string PatientSortKey(absl::string_view family_name, absl::string_view given_name) {
  // \x1f (unit separator) sorts below every printable character, so
  // "Li, Zoe" comes before "Lin, Al".
  return absl::StrCat(FoldForSearch(family_name), "\x1f", FoldForSearch(given_name));
}

std::string PatientSearchNames(absl::string_view family_name, absl::string_view given_name) {
  std::string names;
  for (const std::string& word : SearchWords(absl::StrCat(given_name, " ", family_name))) {
    absl::StrAppend(&names, " ", word);
  }
  return names;
}

}  // namespace clinicd::domain
