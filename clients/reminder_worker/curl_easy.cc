#include "clients/reminder_worker/curl_easy.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>

namespace clinicd::reminder_worker {
namespace {

// Discards a response body; the channels judge by the status code alone.
size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

}  // namespace

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      std::cerr << "clinic-reminder-worker: libcurl failed to initialise\n";
      std::abort();
    }
  });
}

CurlEasy::CurlEasy() {
  InitCurlOnce();
  handle_ = curl_easy_init();
  if (handle_ == nullptr) {
    std::cerr << "clinic-reminder-worker: libcurl could not create a handle\n";
    std::abort();
  }
}

CurlEasy::~CurlEasy() {
  curl_easy_cleanup(handle_);
  for (curl_slist* list : lists_) curl_slist_free_all(list);
}

void CurlEasy::Start(const char* protocols, absl::Duration timeout) {
  curl_easy_reset(handle_);
  for (curl_slist* list : lists_) curl_slist_free_all(list);
  lists_.clear();
  error_[0] = '\0';
  upload_ = {};
  uploaded_ = 0;
  const long timeout_ms = static_cast<long>(absl::ToInt64Milliseconds(timeout));
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10000L));
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &Discard);
}

curl_slist* CurlEasy::List(const std::vector<std::string>& items) {
  curl_slist* list = nullptr;
  for (const std::string& item : items) {
    curl_slist* longer = curl_slist_append(list, item.c_str());
    if (longer == nullptr) {
      std::cerr << "clinic-reminder-worker: out of memory\n";
      std::abort();
    }
    list = longer;
  }
  lists_.push_back(list);
  return list;
}

void CurlEasy::UploadFrom(absl::string_view body) {
  upload_ = body;
  uploaded_ = 0;
  curl_easy_setopt(handle_, CURLOPT_READFUNCTION, &CurlEasy::Read);
  curl_easy_setopt(handle_, CURLOPT_READDATA, this);
  curl_easy_setopt(handle_, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size()));
}

size_t CurlEasy::Read(char* buffer, size_t size, size_t count, void* self) {
  auto* easy = static_cast<CurlEasy*>(self);
  const size_t n = std::min(size * count, easy->upload_.size() - easy->uploaded_);
  std::memcpy(buffer, easy->upload_.data() + easy->uploaded_, n);
  easy->uploaded_ += n;
  return n;
}

CURLcode CurlEasy::Perform() { return curl_easy_perform(handle_); }

long CurlEasy::ResponseCode() {
  long code = 0;
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

std::string CurlEasy::ErrorText(CURLcode code) const {
  return error_[0] != '\0' ? std::string(error_) : std::string(curl_easy_strerror(code));
}

}  // namespace clinicd::reminder_worker
