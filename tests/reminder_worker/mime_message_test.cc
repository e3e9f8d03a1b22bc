#include "clients/reminder_worker/mime_message.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clinicd::reminder_worker {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

MailMessage Reminder() {
  MailMessage message;
  message.from = "praxis@example.org";
  message.to = "anna@example.org";
  message.subject = "Your appointment tomorrow";
  message.body = "Hello Anna,\nsee you at 10:00.\n";
  message.dedupe_key = "clinics/c1/notifications/n1:reminder";
  message.date = absl::FromCivil(absl::CivilSecond(2026, 3, 3, 9, 5, 0), absl::UTCTimeZone());
  return message;
}

// The decoded text of a header value made of RFC 2047 "B" words, each
// checked for its frame and its length; the pieces are returned too.
std::string DecodeWords(const std::string& value, std::vector<std::string>* pieces) {
  std::string text;
  for (absl::string_view word : absl::StrSplit(value, "\r\n ")) {
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_TRUE(absl::ConsumePrefix(&word, "=?UTF-8?B?")) << word;
    EXPECT_TRUE(absl::ConsumeSuffix(&word, "?=")) << word;
    std::string piece;
    EXPECT_TRUE(absl::Base64Unescape(word, &piece)) << word;
    pieces->push_back(piece);
    text += piece;
  }
  return text;
}

TEST(RenderMailMessageTest, RendersAnAsciiReminderExactly) {
  const absl::StatusOr<std::string> text = RenderMailMessage(Reminder());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text,
            "Date: Tue, 03 Mar 2026 09:05:00 +0000\r\n"
            "From: praxis@example.org\r\n"
            "To: anna@example.org\r\n"
            "Subject: Your appointment tomorrow\r\n"
            "Message-ID: <clinics/c1/notifications/n1=3Areminder@clinicd>\r\n"
            "Auto-Submitted: auto-generated\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: 7bit\r\n"
            "\r\n"
            "Hello Anna,\r\n"
            "see you at 10:00.\r\n");
}

TEST(RenderMailMessageTest, NonAsciiSubjectAndBodyAreEncoded) {
  MailMessage message = Reminder();
  message.subject = "Grüße";
  message.body = "Grüße aus Berlin\n";
  const absl::StatusOr<std::string> text = RenderMailMessage(message);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("\r\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n"));
  EXPECT_THAT(*text, HasSubstr("\r\nContent-Transfer-Encoding: quoted-printable\r\n"));
  EXPECT_TRUE(absl::EndsWith(*text, "\r\n\r\nGr=C3=BC=C3=9Fe aus Berlin\r\n")) << *text;
  // Nothing but ASCII goes on the wire.
  for (char c : *text) EXPECT_TRUE(c > 0 && c < 0x7F) << static_cast<int>(c);
}

TEST(RenderMailMessageTest, EveryLineEndingBecomesCrlf) {
  MailMessage message = Reminder();
  message.body = "a\nb\r\nc\rd";
  const absl::StatusOr<std::string> text = RenderMailMessage(message);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_TRUE(absl::EndsWith(*text, "\r\n\r\na\r\nb\r\nc\r\nd\r\n")) << *text;
}

TEST(RenderMailMessageTest, LongAsciiLinesGoQuotedPrintable) {
  MailMessage message = Reminder();
  message.body = std::string(1200, 'x');
  const absl::StatusOr<std::string> text = RenderMailMessage(message);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("Content-Transfer-Encoding: quoted-printable"));
  for (absl::string_view line : absl::StrSplit(*text, "\r\n")) EXPECT_LE(line.size(), 76u);
}

// Reminder() with one field replaced.
MailMessage With(std::string MailMessage::*field, std::string value) {
  MailMessage message = Reminder();
  message.*field = std::move(value);
  return message;
}

TEST(RenderMailMessageTest, RefusesWhatCannotBeAValidMessageWithoutEchoingIt) {
  const std::vector<std::pair<std::string, MailMessage>> cases = {
      {"recipient", With(&MailMessage::to, "Anna Example <anna@example.org>")},
      {"recipient", With(&MailMessage::to, "anna@example.org\r\nBcc: mallory@example.org")},
      {"recipient", With(&MailMessage::to, "")},
      {"subject has a line break",
       With(&MailMessage::subject, "Hello\r\nBcc: mallory@example.org")},
      {"not UTF-8", With(&MailMessage::body, "Gr\xC3\x28")},
      {"dedupe key", With(&MailMessage::dedupe_key, "")},
  };
  for (const auto& [reason, message] : cases) {
    const absl::StatusOr<std::string> text = RenderMailMessage(message);
    ASSERT_FALSE(text.ok()) << reason;
    EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(text.status().message()), HasSubstr(reason));
    EXPECT_THAT(std::string(text.status().message()), Not(HasSubstr("anna")));
    EXPECT_THAT(std::string(text.status().message()), Not(HasSubstr("mallory")));
  }
}

TEST(MessageIdForTest, KeepsSafeCharactersAndEscapesTheRest) {
  EXPECT_EQ(MessageIdFor("clinics/c1/notifications/n1:reminder-24h"),
            "<clinics/c1/notifications/n1=3Areminder-24h@clinicd>");
  EXPECT_EQ(MessageIdFor("a b.c@d<e>"), "<a=20b=2Ec=40d=3Ce=3E@clinicd>");
  EXPECT_EQ(MessageIdFor("Grüße"), "<Gr=C3=BC=C3=9Fe@clinicd>");
}

TEST(MessageIdForTest, DistinctKeysNeverShareAnId) {
  // '=' is escaped too, so an escape can never be mistaken for a character.
  EXPECT_NE(MessageIdFor("a:b"), MessageIdFor("a=3Ab"));
  EXPECT_EQ(MessageIdFor("a=3Ab"), "<a=3D3Ab@clinicd>");
  EXPECT_NE(MessageIdFor("a.b"), MessageIdFor("a,b"));
}

TEST(MessageIdForTest, HashesKeysTooLongForAnId) {
  const std::string id = MessageIdFor(std::string(300, 'k'));
  EXPECT_EQ(id.size(), 64u + 10u) << id;  // 64 hex digits in "<...@clinicd>".
  EXPECT_EQ(id, MessageIdFor(std::string(300, 'k')));
  EXPECT_NE(id, MessageIdFor(std::string(301, 'k')));
}

TEST(EncodeHeaderTextTest, LeavesShortPlainTextAlone) {
  EXPECT_EQ(EncodeHeaderText("Your appointment tomorrow"), "Your appointment tomorrow");
  EXPECT_EQ(EncodeHeaderText(""), "");
}

TEST(EncodeHeaderTextTest, EncodesTextThatLooksLikeAnEncodedWord) {
  EXPECT_EQ(EncodeHeaderText("=?x?"), "=?UTF-8?B?PT94Pw==?=");
}

TEST(EncodeHeaderTextTest, SplitsLongUnicodeBetweenCharacters) {
  const std::string subject = "Ihr Termin am Dienstag – Hautzentrum Mitte, Grüße 😀😀😀😀😀😀";
  std::vector<std::string> pieces;
  const std::string encoded = EncodeHeaderText(subject);
  EXPECT_EQ(DecodeWords(encoded, &pieces), subject);
  EXPECT_GT(pieces.size(), 1u);
  for (const std::string& piece : pieces) {
    // No piece starts inside a character, so none ends inside one either.
    ASSERT_FALSE(piece.empty());
    EXPECT_NE(static_cast<unsigned char>(piece.front()) & 0xC0, 0x80) << piece;
  }
  // With "Subject: " in front, every line stays within RFC 2047's 76.
  for (absl::string_view line : absl::StrSplit("Subject: " + encoded, "\r\n")) {
    EXPECT_LE(line.size(), 76u) << line;
  }
}

TEST(QuotedPrintableTest, EscapesEqualsNonAsciiAndTrailingBlanks) {
  EXPECT_EQ(QuotedPrintable("a=b\n"), "a=3Db\r\n");
  EXPECT_EQ(QuotedPrintable("Grüße\n"), "Gr=C3=BC=C3=9Fe\r\n");
  EXPECT_EQ(QuotedPrintable("trailing \nand tab\t\nin side\n"),
            "trailing=20\r\nand tab=09\r\nin side\r\n");
}

TEST(QuotedPrintableTest, SoftBreaksKeepLinesWithin76) {
  const std::string encoded = QuotedPrintable(std::string(100, 'a') + "\n");
  EXPECT_EQ(encoded, std::string(75, 'a') + "=\r\n" + std::string(25, 'a') + "\r\n");
  // A three-character escape is never split by a soft break.
  const std::string umlauts = QuotedPrintable(std::string(40, '\xFC'));
  for (absl::string_view line : absl::StrSplit(umlauts, "\r\n")) {
    EXPECT_LE(line.size(), 76u);
    if (line.empty()) continue;
    EXPECT_EQ(line.size() % 3, line.back() == '=' ? 1u : 0u) << line;
  }
}

TEST(MailDateTest, FormatsUtcInRfc5322Form) {
  EXPECT_EQ(MailDate(absl::FromCivil(absl::CivilSecond(2026, 3, 3, 9, 5, 0), absl::UTCTimeZone())),
            "Tue, 03 Mar 2026 09:05:00 +0000");
  EXPECT_EQ(
      MailDate(absl::FromCivil(absl::CivilSecond(2027, 12, 26, 23, 59, 59), absl::UTCTimeZone())),
      "Sun, 26 Dec 2027 23:59:59 +0000");
}

TEST(IsPlainAddressTest, AcceptsOnlyBareAsciiAddresses) {
  EXPECT_TRUE(IsPlainAddress("anna.example+reminders@mail.example.org"));
  EXPECT_FALSE(IsPlainAddress("anna"));
  EXPECT_FALSE(IsPlainAddress("@example.org"));
  EXPECT_FALSE(IsPlainAddress("anna@"));
  EXPECT_FALSE(IsPlainAddress("anna@b@c"));
  EXPECT_FALSE(IsPlainAddress("anna smith@example.org"));
  EXPECT_FALSE(IsPlainAddress("<anna@example.org>"));
  EXPECT_FALSE(IsPlainAddress("anna@example.org,bob@example.org"));
  EXPECT_FALSE(IsPlainAddress("jürgen@example.org"));
}

}  // namespace
}  // namespace clinicd::reminder_worker
