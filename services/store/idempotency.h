#pragma once

// AIP-155 request ids: the first response to a request id is recorded in the
// same transaction as the change it made and replayed to retries. Records
// older than the idempotency window are pruned (retention.h).

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// The response recorded for (`scope`, `request_id`), or nullopt when the id
// is new. INVALID_ARGUMENT (naming request_id) when the id was used before
// with a request whose digest differs from `request_digest`.
absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
    Transaction& tx, absl::string_view scope, absl::string_view request_id,
    absl::string_view request_digest);

// Records `response` as the answer to (`scope`, `request_id`) given at `now`.
absl::Status RecordIdempotentResponse(Transaction& tx, absl::string_view scope,
                                      absl::string_view request_id,
                                      absl::string_view request_digest,
                                      absl::string_view response, absl::Time now);

}  // namespace clinicd::store
