#pragma once

// Drawn signatures arrive as PNG bytes from clients. They are decoded with
// libpng's simplified API, which reports a broken image as an error instead
// of aborting the process (as libharu's own PNG loader does), both when a
// consent is signed and when its document is rendered.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinicd::consent {

// A decoded image: 8-bit RGB rows, alpha flattened onto white.
struct RgbImage {
  uint32_t width = 0;
  uint32_t height = 0;
  std::string pixels;  // width * height * 3 bytes
};

// Decodes `png`; INVALID_ARGUMENT with libpng's reason when it is not a
// valid PNG or is larger than `max_pixels`.
absl::StatusOr<RgbImage> DecodeSignaturePng(absl::string_view png, uint64_t max_pixels = 4'000'000);

}  // namespace clinicd::consent
