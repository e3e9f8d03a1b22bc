// The store owns SQL: no file of the server, the clients or the plugins
// outside services/store/ prepares or runs a statement or spells one out.
// Feature code asks the store's typed functions instead, so table layout,
// enum encodings and the SQL dialect stay in one folder.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace clinicd::store {
namespace {

namespace fs = std::filesystem;

bool IsIdentifierChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// True when the text of a string literal (adjacent literals joined, as the
// compiler joins them) starts like an SQL statement: a keyword in any case
// followed by what makes it a statement rather than prose ("delete a
// closure", "with names"), e.g. DELETE FROM, UPDATE t SET, CREATE TABLE.
bool StartsLikeSql(absl::string_view text) {
  static const auto* const statement = new std::regex(
      R"(^\s*()"
      R"(SELECT\s[\s\S]*\bFROM\b)"
      R"(|INSERT\s+(OR\s+\w+\s+)?INTO\b)"
      R"(|UPDATE\s+\w+\s+SET\b)"
      R"(|DELETE\s+FROM\b)"
      R"(|WITH\s+(RECURSIVE\s+)?\w+\s*(\([^)]*\)\s*)?AS\s*\()"
      R"(|CREATE\s+(TEMP|TEMPORARY|UNIQUE|VIRTUAL|TABLE|INDEX|TRIGGER|VIEW)\b)"
      R"(|PRAGMA\s+\w+))",
      std::regex::icase | std::regex::ECMAScript);
  return std::regex_search(text.begin(), text.end(), *statement);
}

// The 1-based lines of `source` (C++) that prepare or run SQL (`.Prepare(`,
// `->Prepare(`, `.Exec(`, `->Exec(`) or hold a string literal starting with
// an SQL statement (StartsLikeSql). Comments are skipped; adjacent literals
// are joined and raw literals read across lines; a finding is reported at
// the line its literal starts on.
std::vector<int> SqlLines(absl::string_view source) {
  std::vector<int> lines;
  auto flag = [&lines](int line) {
    if (lines.empty() || lines.back() != line) lines.push_back(line);
  };
  int line = 1;
  size_t i = 0;
  auto at = [&](absl::string_view s) { return absl::StartsWith(source.substr(i), s); };
  while (i < source.size()) {
    const char c = source[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (at("//")) {
      while (i < source.size() && source[i] != '\n') ++i;
    } else if (at("/*")) {
      const size_t end = source.find("*/", i + 2);
      const size_t stop = end == absl::string_view::npos ? source.size() : end + 2;
      line += static_cast<int>(std::count(source.begin() + i, source.begin() + stop, '\n'));
      i = stop;
    } else if (at(".Prepare(") || at("->Prepare(") || at(".Exec(") || at("->Exec(")) {
      flag(line);
      ++i;
    } else if (c == 'R' && i + 1 < source.size() && source[i + 1] == '"' &&
               (i == 0 || !IsIdentifierChar(source[i - 1]))) {
      // R"delim( ... )delim"
      const size_t open = source.find('(', i + 2);
      if (open == absl::string_view::npos) break;
      const std::string close =
          absl::StrCat(")", source.substr(i + 2, open - i - 2), "\"");
      const size_t end = source.find(close, open + 1);
      const size_t stop = end == absl::string_view::npos ? source.size() : end;
      if (StartsLikeSql(source.substr(open + 1, stop - open - 1))) flag(line);
      const size_t after = std::min(source.size(), stop + close.size());
      line += static_cast<int>(std::count(source.begin() + i, source.begin() + after, '\n'));
      i = after;
    } else if (c == '"') {
      // One literal, or several adjacent ones the compiler joins.
      const int first_line = line;
      std::string text;
      size_t j = i;
      while (j < source.size() && source[j] == '"') {
        size_t k = j + 1;
        while (k < source.size() && source[k] != '"' && source[k] != '\n') {
          k += source[k] == '\\' ? 2 : 1;
        }
        k = std::min(k, source.size());
        absl::StrAppend(&text, source.substr(j + 1, k - j - 1));
        j = k + 1;
        size_t next = j;
        while (next < source.size() && absl::ascii_isspace(source[next])) ++next;
        if (next < source.size() && source[next] == '"') {
          line += static_cast<int>(std::count(source.begin() + j, source.begin() + next, '\n'));
          j = next;
        }
      }
      if (StartsLikeSql(text)) flag(first_line);
      i = j;
    } else if (c == '\'' && (i == 0 || !absl::ascii_isxdigit(source[i - 1]))) {
      // A character literal ('x', '\n'); a digit separator (1'000) is not one.
      size_t j = i + 1;
      while (j < source.size() && source[j] != '\'' && source[j] != '\n') {
        j += source[j] == '\\' ? 2 : 1;
      }
      i = j + 1;
    } else {
      ++i;
    }
  }
  return lines;
}

TEST(SqlLinesTest, FindsStatementsAndTheirText) {
  EXPECT_EQ(SqlLines("auto s = tx.Prepare(sql);\n"), std::vector<int>{1});
  EXPECT_EQ(SqlLines("int a;\nauto s = tx->Exec(kDdl);\n"), std::vector<int>{2});
  EXPECT_EQ(SqlLines("f(\n  \"SELECT id FROM t\");\n"), std::vector<int>{2});
  EXPECT_EQ(SqlLines("f(\"SELECT id, data \"\n  \"FROM t WHERE x = ?1\");\n"),
            std::vector<int>{1});
  EXPECT_EQ(SqlLines("const char* k = \"  update t SET x = 1\";\n"), std::vector<int>{1});
  EXPECT_EQ(SqlLines("q = \"select id from t\"; r = \"insert into t VALUES (1)\";\n"),
            std::vector<int>{1});
  EXPECT_EQ(SqlLines("auto q = \"With x AS (SELECT 1)\";\n"), std::vector<int>{1});
  EXPECT_EQ(SqlLines("x(R\"sql(\nCREATE TABLE t (a);\n)sql\");\nint b = tx.Exec(y);\n"),
            (std::vector<int>{1, 4}));
  EXPECT_EQ(SqlLines("s = \"PRAGMA user_version\";"), std::vector<int>{1});
  EXPECT_EQ(SqlLines("a = \"a \\\" quote\";\nb = \"DELETE FROM t\";\n"), std::vector<int>{2});
}

TEST(SqlLinesTest, LeavesOrdinaryCodeAlone) {
  EXPECT_TRUE(SqlLines("// SELECT id FROM t, tx.Prepare(sql)\nint x;\n").empty());
  EXPECT_TRUE(SqlLines("/* UPDATE t\n SET x */ int y;\n").empty());
  EXPECT_TRUE(SqlLines("row.update_time = \"update_time\";\n").empty());
  EXPECT_TRUE(SqlLines("a = \"selected clinic\"; b = \"Withdrawn\";\n").empty());
  EXPECT_TRUE(SqlLines("h = \"delete a closure (front-desk key)\";\n").empty());
  EXPECT_TRUE(SqlLines("h = \"with names looked up once each\"; c = \"create\";\n").empty());
  EXPECT_TRUE(SqlLines("h = \"create a clinic\"; u = \"update the patient's record\";\n").empty());
  EXPECT_TRUE(SqlLines("store::ListAppointmentRows(tx, filter, after, limit);\n").empty());
  EXPECT_TRUE(SqlLines("settings.SetUp(fd); char q = '\"'; int n = 1'000;\n").empty());
  EXPECT_TRUE(SqlLines("s = \"the clinic's hours\"; t = \"it\\\"s SELECT x FROM y\";\n").empty());
}

// Every .cc and .h under services/, clients/ and plugins/ outside
// services/store/, by path relative to the source root.
std::vector<std::string> FeatureSources(const fs::path& root) {
  std::vector<std::string> files;
  for (const char* top : {"services", "clients", "plugins"}) {
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root / top)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".cc" && ext != ".h")) continue;
      const std::string relative = entry.path().lexically_relative(root).generic_string();
      if (absl::StartsWith(relative, "services/store/")) continue;
      files.push_back(relative);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(SqlOwnershipTest, OnlyTheStoreSpellsOutSql) {
  const fs::path root = CLINICD_SOURCE_DIR;
  const std::vector<std::string> files = FeatureSources(root);
  // Guards against a wrong root or a broken walk passing vacuously.
  ASSERT_GT(files.size(), 150u) << "scanned only " << files.size() << " files under " << root;
  ASSERT_TRUE(std::find(files.begin(), files.end(), "services/auth/api_keys.cc") != files.end());
  std::vector<std::string> findings;
  for (const std::string& file : files) {
    std::ifstream in(root / file, std::ios::binary);
    ASSERT_TRUE(in) << "cannot read " << file;
    std::stringstream text;
    text << in.rdbuf();
    for (int line : SqlLines(text.str())) findings.push_back(absl::StrCat(file, ":", line));
  }
  EXPECT_TRUE(findings.empty())
      << "SQL outside services/store/ (ask a typed function of the store instead):\n  "
      << absl::StrJoin(findings, "\n  ");
}

}  // namespace
}  // namespace clinicd::store
