#pragma once

// RFC 5322 / MIME rendering of a reminder e-mail: headers (RFC 2047 encoded
// where they are not ASCII), a Message-ID derived from the notification's
// dedupe key, and a UTF-8 plain-text body in 7bit or quoted-printable.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace clinicd::reminder_worker {

// What goes into one message.
struct MailMessage {
  // Envelope and header sender, a bare address `user@host`.
  std::string from;
  // The recipient, a bare address `user@host`.
  std::string to;
  // Subject line, UTF-8, one line.
  std::string subject;
  // Plain-text body, UTF-8; any of LF, CRLF or CR ends a line.
  std::string body;
  // The notification's dedupe key; the Message-ID is derived from it.
  std::string dedupe_key;
  // The Date header.
  absl::Time date;
};

// The whole message, CRLF line endings, ready for SMTP DATA. Refuses
// (INVALID_ARGUMENT, naming the field but never its value) an address that is
// not a plain ASCII `local@domain`, a subject with a line break, text that
// is not UTF-8, or an empty dedupe key.
absl::StatusOr<std::string> RenderMailMessage(const MailMessage& message);

// `<key@clinicd>` where the key keeps letters, digits, '-', '_' and '/',
// and every other byte becomes `=XX` (upper-case hex) so that distinct
// keys never share an id. A key whose id would exceed 200 characters is
// replaced by its SHA-256 in hex.
std::string MessageIdFor(absl::string_view dedupe_key);

// `text` as a header value: unchanged when it is printable ASCII that needs
// no encoding, else RFC 2047 "B" encoded-words (`=?UTF-8?B?...?=`, at most
// 75 characters each, split between UTF-8 characters), folded onto
// continuation lines.
std::string EncodeHeaderText(absl::string_view text);

// `body` with CRLF line endings in quoted-printable (RFC 2045 6.7): lines of
// at most 76 characters, '=' and non-ASCII bytes as `=XX`, trailing spaces
// protected.
std::string QuotedPrintable(absl::string_view body);

// `time` as an RFC 5322 date in UTC, e.g. "Tue, 03 Mar 2026 09:05:00 +0000".
std::string MailDate(absl::Time time);

// True when `address` is a plain `local@domain` of printable ASCII with
// no spaces, angle brackets, commas or quotes, as the worker sends.
bool IsPlainAddress(absl::string_view address);

}  // namespace clinicd::reminder_worker
