#pragma once

// A libcurl easy handle as an RAII object, shared by the SMTP and webhook
// channels. Only their .cc files include this header, so <curl/curl.h>
// stays out of the channel headers.

#include <curl/curl.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace clinicd::reminder_worker {

// Initialises libcurl once per process. Thread-safe; main() calls it before
// any other thread starts, as libcurl asks.
void InitCurlOnce();

// One easy handle. It keeps its connection cache between transfers, so a
// channel that reuses it reuses connections. Not thread-safe.
class CurlEasy final {
 public:
  CurlEasy();
  ~CurlEasy();
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  // Clears the previous transfer's options and sets the ones every transfer
  // uses: no signals (threads), `protocols` only (e.g. "smtp,smtps"), a
  // connect timeout and an overall `timeout`, the error buffer, and a sink
  // that discards the response body.
  void Start(const char* protocols, absl::Duration timeout);

  // Adds a header line (HTTP) or recipient (SMTP) list; owned by the handle
  // until the next Start().
  curl_slist* List(const std::vector<std::string>& items);

  // Sends `body` as the upload data (SMTP); it must outlive Perform().
  void UploadFrom(absl::string_view body);

  // Runs the transfer.
  CURLcode Perform();

  // The last response code (SMTP or HTTP status), 0 when none came.
  long ResponseCode();

  // libcurl's description of `code`: the error buffer when it has one.
  std::string ErrorText(CURLcode code) const;

  CURL* get() const { return handle_; }

 private:
  // Feeds upload_ to libcurl.
  static size_t Read(char* buffer, size_t size, size_t count, void* self);

  CURL* handle_;
  char error_[CURL_ERROR_SIZE] = {};
  std::vector<curl_slist*> lists_;
  absl::string_view upload_;
  size_t uploaded_ = 0;
};

}  // namespace clinicd::reminder_worker
