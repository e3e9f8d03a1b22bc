#pragma once

// Moves the result of a standard method into a gRPC response message.

#include <google/protobuf/repeated_ptr_field.h>

#include <string>

#include "absl/status/statusor.h"
#include "services/resources/resource_crud.h"

namespace clinicd::resources {

// On success, moves `result` into `*response`.
template <typename T>
absl::Status Reply(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return result.status();
  *response = std::move(*result);
  return absl::OkStatus();
}

// On success, moves a page's items into `*items` and its token into `*token`.
template <typename M>
absl::Status ReplyPage(absl::StatusOr<Page<M>> page,
                       google::protobuf::RepeatedPtrField<M>* items,
                       std::string* next_page_token) {
  if (!page.ok()) return page.status();
  for (M& item : page->items) *items->Add() = std::move(item);
  *next_page_token = std::move(page->next_page_token);
  return absl::OkStatus();
}

}  // namespace clinicd::resources
