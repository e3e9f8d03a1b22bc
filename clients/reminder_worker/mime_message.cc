#include "clients/reminder_worker/mime_message.h"

#include <openssl/sha.h>

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"

namespace clinicd::reminder_worker {
namespace {

// Header text this long or shorter (and plain) is written as it is; with
// "Subject: " in front it stays within 78 characters a line.
constexpr size_t kMaxPlainHeaderText = 60;
// Input bytes per encoded-word: 48 base64 characters, 60 with the
// `=?UTF-8?B?` / `?=` frame, so every folded line stays under 76.
constexpr size_t kEncodedWordBytes = 36;
// Longest quoted-printable line, soft break included (RFC 2045).
constexpr size_t kQuotedPrintableLine = 76;
// Longest line a 7bit body may have (RFC 5322 2.1.1).
constexpr size_t kMaxLine = 998;
// Longest Message-ID local part before it is hashed instead.
constexpr size_t kMaxIdLength = 200;

// The length of the UTF-8 sequence starting with `lead`, 0 when it cannot start one.
size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool IsValidUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t length = Utf8Length(lead);
    if (length == 0 || i + length > text.size()) return false;
    uint32_t code_point = length == 1 ? lead : lead & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF.
    static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[length] || (code_point >= 0xD800 && code_point <= 0xDFFF) ||
        code_point > 0x10FFFF) {
      return false;
    }
    i += length;
  }
  return true;
}

bool IsPrintableAscii(absl::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

// `text` split at line ends: CRLF, LF or a lone CR. A final line end does
// not start another (empty) line.
std::vector<absl::string_view> Lines(absl::string_view text) {
  std::vector<absl::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// True when `body` may go as 7bit: ASCII without control characters other
// than tab and line ends, and no line longer than 998 bytes.
bool FitsSevenBit(absl::string_view body) {
  for (char c : body) {
    if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c > 0x7E) return false;
  }
  for (absl::string_view line : Lines(body)) {
    if (line.size() > kMaxLine) return false;
  }
  return true;
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace

bool IsPlainAddress(absl::string_view address) {
  const size_t at = address.find('@');
  if (at == 0 || at == absl::string_view::npos || at + 1 == address.size() ||
      address.find('@', at + 1) != absl::string_view::npos) {
    return false;
  }
  for (char c : address) {
    if (c <= 0x20 || c > 0x7E) return false;
    if (absl::string_view("<>()[],;:\"\\").find(c) != absl::string_view::npos) return false;
  }
  return true;
}

std::string MessageIdFor(absl::string_view dedupe_key) {
  std::string id;
  for (char c : dedupe_key) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '/') {
      id.push_back(c);
    } else {
      absl::StrAppendFormat(&id, "=%02X", static_cast<unsigned char>(c));
    }
  }
  if (id.size() > kMaxIdLength) id = Sha256Hex(dedupe_key);
  return absl::StrCat("<", id, "@clinicd>");
}

std::string EncodeHeaderText(absl::string_view text) {
  if (IsPrintableAscii(text) && text.size() <= kMaxPlainHeaderText &&
      !absl::StrContains(text, "=?")) {
    return std::string(text);
  }
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    // Take whole UTF-8 characters up to kEncodedWordBytes.
    size_t end = start;
    while (end < text.size()) {
      size_t length = Utf8Length(static_cast<unsigned char>(text[end]));
      if (length == 0) length = 1;  // Not UTF-8; callers validate first.
      if (end + length - start > kEncodedWordBytes) break;
      end += length;
    }
    if (end == start) end = start + 1;
    words.push_back(
        absl::StrCat("=?UTF-8?B?", absl::Base64Escape(text.substr(start, end - start)), "?="));
    start = end;
  }
  return absl::StrJoin(words, "\r\n ");
}

std::string QuotedPrintable(absl::string_view body) {
  std::string out;
  for (absl::string_view line : Lines(body)) {
    size_t column = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      const bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
      const std::string token =
          literal ? std::string(1, static_cast<char>(c)) : absl::StrFormat("=%02X", c);
      // Leave room for the soft break's '=' unless this token ends the line.
      const size_t room = last ? kQuotedPrintableLine : kQuotedPrintableLine - 1;
      if (column + token.size() > room) {
        out += "=\r\n";
        column = 0;
      }
      out += token;
      column += token.size();
    }
    out += "\r\n";
  }
  return out;
}

std::string MailDate(absl::Time time) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const absl::CivilSecond civil = absl::ToCivilSecond(time, absl::UTCTimeZone());
  const int day = static_cast<int>(absl::GetWeekday(civil));  // Monday is 0.
  return absl::StrFormat("%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[day], civil.day(),
                         kMonths[civil.month() - 1], civil.year(), civil.hour(), civil.minute(),
                         civil.second());
}

absl::StatusOr<std::string> RenderMailMessage(const MailMessage& message) {
  if (!IsPlainAddress(message.from)) {
    return absl::InvalidArgumentError("sender is not a plain ASCII address");
  }
  if (!IsPlainAddress(message.to)) {
    return absl::InvalidArgumentError("recipient is not a plain ASCII address");
  }
  if (!IsValidUtf8(message.subject) || !IsValidUtf8(message.body)) {
    return absl::InvalidArgumentError("subject or body is not UTF-8");
  }
  if (message.subject.find_first_of("\r\n") != std::string::npos) {
    return absl::InvalidArgumentError("subject has a line break");
  }
  if (message.dedupe_key.empty()) {
    return absl::InvalidArgumentError("no dedupe key for the Message-ID");
  }
  const bool seven_bit = FitsSevenBit(message.body);
  std::string out = absl::StrCat(                                //
      "Date: ", MailDate(message.date), "\r\n",                  //
      "From: ", message.from, "\r\n",                            //
      "To: ", message.to, "\r\n",                                //
      "Subject: ", EncodeHeaderText(message.subject), "\r\n",    //
      "Message-ID: ", MessageIdFor(message.dedupe_key), "\r\n",  //
      "Auto-Submitted: auto-generated\r\n",                      //
      "MIME-Version: 1.0\r\n",                                   //
      "Content-Type: text/plain; charset=UTF-8\r\n",             //
      "Content-Transfer-Encoding: ", seven_bit ? "7bit" : "quoted-printable", "\r\n", "\r\n");
  if (seven_bit) {
    for (absl::string_view line : Lines(message.body)) absl::StrAppend(&out, line, "\r\n");
  } else {
    out += QuotedPrintable(message.body);
  }
  return out;
}

}  // namespace clinicd::reminder_worker
