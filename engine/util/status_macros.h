#ifndef SYNDEX_ENGINE_UTIL_STATUS_MACROS_H_
#define SYNDEX_ENGINE_UTIL_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// SYNDEX_RETURN_IF_ERROR(expr): evaluates `expr` (an absl::Status) and returns
// it from the enclosing function when it is not OK.
#define SYNDEX_RETURN_IF_ERROR(expr)                  \
  do {                                                \
    ::absl::Status syndex_status_ = (expr);           \
    if (!syndex_status_.ok()) return syndex_status_;  \
  } while (0)

#define SYNDEX_STATUS_CONCAT_INNER_(a, b) a##b
#define SYNDEX_STATUS_CONCAT_(a, b) SYNDEX_STATUS_CONCAT_INNER_(a, b)

// SYNDEX_ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (an absl::StatusOr<T>);
// on error returns its status, otherwise move-assigns the value to `lhs`,
// which may be a declaration:
//
//   SYNDEX_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
#define SYNDEX_ASSIGN_OR_RETURN(lhs, expr)                                  \
  SYNDEX_ASSIGN_OR_RETURN_IMPL_(                                            \
      SYNDEX_STATUS_CONCAT_(syndex_statusor_, __LINE__), lhs, expr)
#define SYNDEX_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return statusor.status();            \
  lhs = std::move(statusor).value()

#endif  // SYNDEX_ENGINE_UTIL_STATUS_MACROS_H_
