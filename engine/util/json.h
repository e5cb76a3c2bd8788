#ifndef SYNDEX_ENGINE_UTIL_JSON_H_
#define SYNDEX_ENGINE_UTIL_JSON_H_

#include <string>

#include "absl/strings/string_view.h"

namespace syndex {

// `s` as a JSON string literal, with quotes: '"', '\\' and control
// characters escaped, everything else (UTF-8 included) as it is.
std::string JsonString(absl::string_view s);
// `v` with 4 decimals ("%.4f"), as every score in syndex's output.
std::string Fixed(double v);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_UTIL_JSON_H_
