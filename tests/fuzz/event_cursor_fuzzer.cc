// Fuzzes event feed cursor decoding (outbox/event_log.cc), which reads a
// client's WatchEvents/ListEvents after_cursor. Decoding must not crash, and
// it accepts exactly what EncodeCursor writes: a cursor it accepts encodes
// back to the same text.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "services/outbox/event_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string cursor(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<int64_t> seq = clinicd::outbox::DecodeCursor(cursor);
  if (seq.ok() && clinicd::outbox::EncodeCursor(*seq) != cursor) {
    std::fprintf(stderr, "event_cursor_fuzzer: `%s` accepted but encodes as `%s`\n",
                 cursor.c_str(), clinicd::outbox::EncodeCursor(*seq).c_str());
    std::abort();
  }
  return 0;
}
