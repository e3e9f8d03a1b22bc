#include "clients/clinicctl/table.h"

#include "gtest/gtest.h"

namespace clinicd::clinicctl {
namespace {

TEST(DisplayWidthTest, CountsWhatATerminalShows) {
  EXPECT_EQ(DisplayWidth("Weber"), 5u);
  EXPECT_EQ(DisplayWidth("Müller"), 6u);                    // ü is two bytes, one column
  EXPECT_EQ(DisplayWidth("Jose\xCC\x81"), 4u);              // e + combining acute accent
  EXPECT_EQ(DisplayWidth("\xE5\xB1\xB1\xE7\x94\xB0"), 4u);  // 山田: two wide characters
  EXPECT_EQ(DisplayWidth(""), 0u);
}

TEST(PrintableTest, NeutralisesControlCharactersAndBrokenUtf8) {
  EXPECT_EQ(Printable("Anna\x1b[31m Red"), "Anna?[31m Red");
  EXPECT_EQ(Printable("line one\nline\ttwo"), "line one line two");
  EXPECT_EQ(Printable("bad \xC3 byte"), "bad ? byte");
  EXPECT_EQ(Printable("Müller"), "Müller");
}

TEST(TableTest, AlignsColumnsByDisplayWidth) {
  Table table({"TIME", "PATIENT", "ROOM"});
  table.AddRow({"09:00-10:00", "Jürgen Müller", "Room 1"});
  table.AddRow({"10:00-11:00", "Anna Li", "Room 2"});
  table.AddRow({"11:00-12:00", "\xE5\xB1\xB1\xE7\x94\xB0", "Room 3"});
  EXPECT_EQ(table.Render(),
            "TIME         PATIENT        ROOM\n"
            "09:00-10:00  Jürgen Müller  Room 1\n"
            "10:00-11:00  Anna Li        Room 2\n"
            "11:00-12:00  \xE5\xB1\xB1\xE7\x94\xB0           Room 3\n");
}

TEST(TableTest, RightAlignsNumbersAndLeavesNoTrailingSpaces) {
  Table table({"KIND", "TRIES", "DETAIL"});
  table.AlignRight(1);
  table.AddRow({"reminder", "3", ""});
  table.AddRow({"aftercare", "12"});             // a missing cell is empty
  table.AddRow({"recall", "0", "ok", "extra"});  // an extra one is dropped
  EXPECT_EQ(table.Render(),
            "KIND       TRIES  DETAIL\n"
            "reminder       3\n"
            "aftercare     12\n"
            "recall         0  ok\n");
  EXPECT_FALSE(table.empty());
  EXPECT_TRUE(Table({"A"}).empty());
}

TEST(TableTest, ControlCharactersInCellsCannotReachTheTerminal) {
  Table table({"NAME"});
  table.AddRow({"Eve\x1b]0;owned\x07"});
  EXPECT_EQ(table.Render(), "NAME\nEve?]0;owned?\n");
}

TEST(RenderFieldsTest, AlignsValuesAndSkipsEmptyOnes) {
  EXPECT_EQ(
      RenderFields({{"Patient", "Anna Schmidt"}, {"Born", ""}, {"Practitioner", "Dr. Weber"}}),
      "Patient:       Anna Schmidt\n"
      "Practitioner:  Dr. Weber\n");
  EXPECT_EQ(RenderFields({}), "");
}

}  // namespace
}  // namespace clinicd::clinicctl
