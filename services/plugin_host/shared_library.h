#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinicd::plugin_host {

// An open shared library (dlopen), closed when this object goes away.
class SharedLibrary final {
 public:
  // Opens `path` with RTLD_NOW | RTLD_LOCAL so missing symbols fail here,
  // not at first use; the error is dlerror()'s text.
  static absl::StatusOr<SharedLibrary> Open(const std::string& path);

  SharedLibrary(SharedLibrary&& other) noexcept;
  SharedLibrary& operator=(SharedLibrary&& other) noexcept;
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;
  ~SharedLibrary();

  // The address of `symbol`, or null when the library does not export it.
  void* Find(const char* symbol) const;

 private:
  explicit SharedLibrary(void* handle) : handle_(handle) {}
  void Close();

  void* handle_ = nullptr;
};

}  // namespace clinicd::plugin_host
