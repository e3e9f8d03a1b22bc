#include "services/consent/signature_image.h"

#include <png.h>

#include "absl/strings/str_cat.h"

namespace clinicd::consent {

absl::StatusOr<RgbImage> DecodeSignaturePng(absl::string_view png, uint64_t max_pixels) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) {
    const std::string reason = image.message;
    png_image_free(&image);
    return absl::InvalidArgumentError(absl::StrCat("is not a readable PNG image (", reason, ")"));
  }
  if (static_cast<uint64_t>(image.width) * image.height > max_pixels) {
    png_image_free(&image);
    return absl::InvalidArgumentError(
        absl::StrCat("is larger than ", max_pixels, " pixels"));
  }
  image.format = PNG_FORMAT_RGB;
  RgbImage decoded;
  decoded.width = image.width;
  decoded.height = image.height;
  decoded.pixels.resize(PNG_IMAGE_SIZE(image));
  png_color white{255, 255, 255};
  if (!png_image_finish_read(&image, &white, decoded.pixels.data(), 0, nullptr)) {
    const std::string reason = image.message;
    png_image_free(&image);
    return absl::InvalidArgumentError(absl::StrCat("is not a readable PNG image (", reason, ")"));
  }
  return decoded;
}

}  // namespace clinicd::consent
