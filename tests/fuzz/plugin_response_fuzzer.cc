// Fuzzes the host's side of the plugin boundary: what a plugin hands back
// across the C ABI (a status code, an error text it may not terminate, a
// buffer it may leave null) as CallHook reads it (plugin_host/
// loaded_plugin.cc), then the decoding of the bytes as the hook's response,
// and for `describe` the validation that decides whether the plugin loads.
// An input is
//   byte 0      the hook whose response the bytes are (describe, evaluate
//               screening, plan series, schedule recall)
//   byte 1      the status code returned (any int the plugin may return)
//   byte 2      flags: bit 0 returns a null buffer with a non-zero size
//   byte 3      the error text's length / 4 (up to 1020 of the 1024 bytes,
//               or more: 255 writes all 1024 bytes, unterminated)
//   the rest    the error text, then the response bytes

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "clinicd/plugin/v1/plugin.pb.h"
#include "services/domain/protocol_validation.h"
#include "services/plugin_host/loaded_plugin.h"

namespace {

// What the fake plugin answers for the current input.
struct Answer {
  int code = 0;
  bool null_buffer = false;
  std::string error;
  std::string response;
};
const Answer* current = nullptr;

int FakeHook(const uint8_t*, size_t, clinicd_buffer* out, char* error, size_t error_size) {
  // Copies without terminating, as a careless C plugin might.
  std::memcpy(error, current->error.data(), std::min(current->error.size(), error_size));
  if (current->null_buffer) {
    out->data = nullptr;
    out->size = current->response.size() + 1;
  } else {
    out->size = current->response.size();
    out->data = static_cast<uint8_t*>(std::malloc(out->size + 1));
    std::memcpy(out->data, current->response.data(), out->size);
  }
  return current->code;
}

void FakeFree(clinicd_buffer* buffer) {
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->size = 0;
}

void Decode(uint8_t hook, const std::string& bytes) {
  switch (hook % 4) {
    case 0: {
      clinicd::plugin::v1::DescribeResponse description;
      if (description.ParseFromString(bytes)) {
        (void)clinicd::domain::ValidatePluginDescription("fuzz_plugin", description);
      }
      break;
    }
    case 1:
      (void)clinicd::plugin::v1::EvaluateScreeningResponse().ParseFromString(bytes);
      break;
    case 2:
      (void)clinicd::plugin::v1::PlanSeriesResponse().ParseFromString(bytes);
      break;
    default:
      (void)clinicd::plugin::v1::ScheduleRecallResponse().ParseFromString(bytes);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return -1;
  Answer answer;
  answer.code = static_cast<int8_t>(data[1]);
  answer.null_buffer = (data[2] & 1) != 0;
  const size_t error_length = std::min<size_t>(data[3] == 255 ? 1024 : data[3] * 4u, size - 4);
  answer.error.assign(reinterpret_cast<const char*>(data) + 4, error_length);
  answer.response.assign(reinterpret_cast<const char*>(data) + 4 + error_length,
                         size - 4 - error_length);
  current = &answer;

  clinicd_plugin api{};
  api.name = "fuzz_plugin";
  api.free_buffer = &FakeFree;
  const absl::StatusOr<std::string> bytes =
      clinicd::plugin_host::CallHook(api, &FakeHook, api.name, "hook", "");
  if (bytes.ok()) Decode(data[0], *bytes);
  return 0;
}
