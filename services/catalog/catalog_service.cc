#include "services/catalog/catalog_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/pagination.h"
#include "services/common/resource_name.h"

namespace clinicd::catalog {
namespace {

using auth::Principal;
using grpc::ServerContext;

// Pages through `items`, sorted by the key `key_of` gives each; `add`
// appends one item to the response.
template <typename T, typename KeyOf, typename Add>
absl::Status Paginate(const std::vector<T>& items, KeyOf key_of, absl::string_view fingerprint,
                      int32_t page_size, absl::string_view page_token, Add add,
                      std::string* next_page_token) {
  absl::StatusOr<int> limit = EffectivePageSize(page_size);
  if (!limit.ok()) return limit.status();
  absl::StatusOr<std::vector<std::string>> after = DecodePageToken(page_token, fingerprint);
  if (!after.ok()) return after.status();
  size_t begin = 0;
  while (begin < items.size() && !after->empty() && key_of(items[begin]) <= after->front()) {
    ++begin;
  }
  const size_t end = std::min(items.size(), begin + static_cast<size_t>(*limit));
  for (size_t i = begin; i < end; ++i) add(items[i]);
  if (end < items.size()) *next_page_token = EncodePageToken({key_of(items[end - 1])}, fingerprint);
  return absl::OkStatus();
}

}  // namespace

CatalogServiceImpl::CatalogServiceImpl(const store::Database& db,
                                       const plugin_host::TreatmentRegistry& registry, const Clock& clock)
    : guard_(db, clock, v1::TreatmentCatalogService::service_full_name()), registry_(registry) {}

grpc::Status CatalogServiceImpl::ListTreatmentTypes(ServerContext* context, const v1::ListTreatmentTypesRequest* request, v1::ListTreatmentTypesResponse* response) {
  return guard_.Run(context, "ListTreatmentTypes", *request, [&](const Principal&) {
    return Paginate(
        registry_.TreatmentTypes(), [](const v1::TreatmentType* t) { return t->name(); },
        "treatmentTypes", request->page_size(), request->page_token(),
        [&](const v1::TreatmentType* t) { *response->add_treatment_types() = *t; },
        response->mutable_next_page_token());
  });
}

grpc::Status CatalogServiceImpl::GetTreatmentType(ServerContext* context, const v1::GetTreatmentTypeRequest* request, v1::TreatmentType* response) {
  return guard_.Run(context, "GetTreatmentType", *request, [&](const Principal&) -> absl::Status {
    std::vector<absl::string_view> collections = {"treatmentTypes"};
    if (absl::Status s = ParseResourceName("name", request->name(), collections).status();
        !s.ok()) {
      return s;
    }
    const v1::TreatmentType* type = registry_.FindTreatmentType(request->name());
    if (type == nullptr) {
      return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                             absl::StrCat(request->name(), " not found; no loaded plugin provides it"));
    }
    *response = *type;
    return absl::OkStatus();
  });
}

grpc::Status CatalogServiceImpl::ListRecallPolicies(ServerContext* context, const v1::ListRecallPoliciesRequest* request, v1::ListRecallPoliciesResponse* response) {
  return guard_.Run(context, "ListRecallPolicies", *request, [&](const Principal&) {
    return Paginate(
        registry_.RecallPolicies(), [](const v1::RecallPolicy* p) { return p->name(); },
        "recallPolicies", request->page_size(), request->page_token(),
        [&](const v1::RecallPolicy* p) { *response->add_recall_policies() = *p; },
        response->mutable_next_page_token());
  });
}

grpc::Status CatalogServiceImpl::ListPlugins(ServerContext* context, const v1::ListPluginsRequest* request, v1::ListPluginsResponse* response) {
  return guard_.Run(context, "ListPlugins", *request, [&](const Principal&) {
    return Paginate(
        registry_.Plugins(), [](const v1::Plugin& p) { return p.file(); }, "plugins",
        request->page_size(), request->page_token(),
        [&](const v1::Plugin& p) { *response->add_plugins() = p; },
        response->mutable_next_page_token());
  });
}

}  // namespace clinicd::catalog
