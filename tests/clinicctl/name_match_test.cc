#include "clients/clinicctl/name_match.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clinicd::clinicctl {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(NameMatchTest, FoldsCaseAndAccentsLikeClinicdsSearch) {
  EXPECT_THAT(FoldedWords("  Jürgen  MÜLLER-Lüdenscheidt "),
              ElementsAre("jurgen", "muller", "ludenscheidt"));
  EXPECT_THAT(FoldedWords("Łukasz Øster"), ElementsAre("lukasz", "oster"));
  EXPECT_THAT(FoldedWords(" - "), IsEmpty());
}

TEST(NameMatchTest, CountsEditsInCharactersNotBytes) {
  EXPECT_EQ(EditDistance("schmidt", "schmidt"), 0);
  EXPECT_EQ(EditDistance("schmit", "schmidt"), 1);
  EXPECT_EQ(EditDistance("anna", "anne"), 1);
  EXPECT_EQ(EditDistance("", "anna"), 4);
  EXPECT_EQ(EditDistance("müller", "muller"), 1);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
}

TEST(NameMatchTest, AsksForTheFirstLettersOfEachWord) {
  EXPECT_THAT(SearchPrefixes("Anna Schmit", 3), ElementsAre("ann", "sch"));
  EXPECT_THAT(SearchPrefixes("Jo Schmit schmidt", 2), ElementsAre("jo", "sc"));
  EXPECT_THAT(SearchPrefixes("Łukasz", 2), ElementsAre("lu"));
}

TEST(NameMatchTest, RanksTheClosestNamesFirst) {
  const std::vector<std::string> clinic = {"Jonas Keller", "Anne Schmitt", "Anna Schmidt",
                                           "Anna Schulz",  "Hans Schmidt", "Anna Schmidt",
                                           "Annika Schmid"};
  EXPECT_THAT(ClosestNames("Anna Schmit", clinic, 3), ElementsAre("Anna Schmidt", "Anne Schmitt"));
  EXPECT_THAT(ClosestNames("Anna Schmit", clinic, 1), ElementsAre("Anna Schmidt"));
  // Word order and case do not matter; a single word is compared with each name word.
  EXPECT_THAT(ClosestNames("SCHMIDT ana", clinic, 3), ElementsAre("Anna Schmidt"));
  EXPECT_THAT(ClosestNames("Anika Schmid", clinic, 3), ElementsAre("Annika Schmid"));
  EXPECT_THAT(ClosestNames("Kellr", clinic, 3), ElementsAre("Jonas Keller"));
  // Too far from everyone: nothing to suggest.
  EXPECT_THAT(ClosestNames("Maria Gonzalez", clinic, 3), IsEmpty());
  EXPECT_THAT(ClosestNames("", clinic, 3), IsEmpty());
  EXPECT_THAT(ClosestNames("Anna Schmit", clinic, 0), IsEmpty());
}

}  // namespace
}  // namespace clinicd::clinicctl
