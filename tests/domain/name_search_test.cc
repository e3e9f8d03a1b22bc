#include "services/domain/name_search.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clinicd::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(FoldForSearchTest, LowerCasesAndRemovesAccents) {
  EXPECT_EQ(FoldForSearch("Müller"), "muller");
  EXPECT_EQ(FoldForSearch("MÜLLER"), "muller");
  EXPECT_EQ(FoldForSearch("Öztürk"), "ozturk");
  EXPECT_EQ(FoldForSearch("José Núñez"), "jose nunez");
  EXPECT_EQ(FoldForSearch("Françoise"), "francoise");
  EXPECT_EQ(FoldForSearch("Dvořák"), "dvorak");
}

TEST(FoldForSearchTest, DecomposedInputFoldsLikeComposed) {
  // "Mu" + COMBINING DIAERESIS + "ller", as some keyboards send it.
  EXPECT_EQ(FoldForSearch("Mu\xcc\x88ller"), "muller");
}

TEST(FoldForSearchTest, PlainTextIsOnlyLowerCased) {
  EXPECT_EQ(FoldForSearch("Smith-Jones O'Brien"), "smith-jones o'brien");
  EXPECT_EQ(FoldForSearch(""), "");
  EXPECT_EQ(FoldForSearch("123"), "123");
}

TEST(FoldForSearchTest, NonLatinScriptsAreLowerCasedNotTransliterated) {
  EXPECT_EQ(FoldForSearch("Иванов"), "иванов");
}

TEST(FoldForSearchTest, StrokedLettersAtLeastFoldCase) {
  // What ICU's NFD does today: Ø has no decomposition, so only its case folds.
  EXPECT_EQ(FoldForSearch("ØRSTED"), FoldForSearch("ørsted"));
  EXPECT_EQ(FoldForSearch("ØRSTED"), FoldForSearch("Ørsted"));
}

// name_search.h promises the front desk finds "Ørsted" by typing "orsted".
// Ø (and Ł, Đ) are letters of their own in Unicode, not O plus a combining
// mark, so NFD + removing nonspacing marks leaves them in place.
TEST(FoldForSearchTest, StrokedLettersFoldToTheirBaseLetter) {
  EXPECT_EQ(FoldForSearch("Ørsted"), "orsted");
  EXPECT_EQ(FoldForSearch("ØRSTED"), "orsted");
  EXPECT_EQ(FoldForSearch("Łukasz"), "lukasz");
}

TEST(SearchWordsTest, SplitsOnSpacesHyphensAndApostrophes) {
  EXPECT_THAT(SearchWords("Müller-Lüdenscheidt"),
              ElementsAre("muller", "ludenscheidt"));
  EXPECT_THAT(SearchWords("O'Brien"), ElementsAre("o", "brien"));
  EXPECT_THAT(SearchWords("  Anna   Maria "), ElementsAre("anna", "maria"));
  EXPECT_THAT(SearchWords("d\xe2\x80\x99"
                          "Artagnan"),  // RIGHT SINGLE QUOTATION MARK
              ElementsAre("d", "artagnan"));
}

TEST(SearchWordsTest, KeepsDigitsAndDropsPunctuation) {
  EXPECT_THAT(SearchWords("Room 12b, (left)"),
              ElementsAre("room", "12b", "left"));
  EXPECT_THAT(SearchWords(" -'. "), IsEmpty());
  EXPECT_THAT(SearchWords(""), IsEmpty());
}

TEST(PatientSortKeyTest, FoldsAndSeparatesFamilyFromGivenName) {
  EXPECT_EQ(PatientSortKey("Müller", "Anna"),
            "muller\x1f"
            "anna");
  EXPECT_EQ(PatientSortKey("müller", "ANNA"), PatientSortKey("Müller", "Anna"));
}

TEST(PatientSortKeyTest, ShorterFamilyNameSortsFirst) {
  EXPECT_LT(PatientSortKey("Li", "Zoe"), PatientSortKey("Lin", "Al"));
  EXPECT_LT(PatientSortKey("Oz", "Zeki"), PatientSortKey("Öztürk", "Ali"));
  EXPECT_LT(PatientSortKey("Müller", "Zoe"), PatientSortKey("Nagel", "Al"));
}

TEST(PatientSortKeyTest, GivenNameBreaksTies) {
  EXPECT_LT(PatientSortKey("Meyer", "Anna"), PatientSortKey("Meyer", "Bert"));
  EXPECT_LT(PatientSortKey("Meyer", "Anna"), PatientSortKey("MEYER", "anne"));
}

TEST(PatientSearchNamesTest, EveryWordPrecededByASpace) {
  EXPECT_EQ(PatientSearchNames("Müller-Lüdenscheidt", "Anna Maria"),
            " anna maria muller ludenscheidt");
  EXPECT_EQ(PatientSearchNames("", ""), "");
}

}  // namespace
}  // namespace clinicd::domain
