#pragma once

#include <exception>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/store/transaction.h"

// Internal to clinic_store.
namespace clinicd::store::internal {

// Runs fn in `transaction`. Nothing thrown inside a transaction (a plugin,
// bad_alloc, a library's check) may leave the connection inside it: every
// later user would fail or wait. The exception ends here, as an error, and
// the caller rolls the work back.
inline absl::Status RunGuarded(absl::FunctionRef<absl::Status(Transaction&)> fn,
                               Transaction& transaction) {
  try {
    return fn(transaction);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("unexpected exception in a transaction: ", e.what()));
  } catch (...) {
    return absl::InternalError("unexpected exception in a transaction");
  }
}

}  // namespace clinicd::store::internal
