#ifndef SYNDEX_ENGINE_UTIL_JSON_H_
#define SYNDEX_ENGINE_UTIL_JSON_H_

#include <string>

#include "absl/strings/string_view.h"

namespace syndex {

// Pieces of the JSON that syndex writes. Every writer of an output schema
// uses these, so that all front ends print the same bytes.

// `s` as a JSON string literal, with the quotes: `"` and `\` escaped, \n, \r
// and \t as such, other bytes below 0x20 as \u00XX; all other bytes (UTF-8
// included) unchanged. Example: JsonQuote("a\"b") == "\"a\\\"b\"".
std::string JsonQuote(absl::string_view s);

// `v` with exactly 4 decimals ("%.4f"), as written for every score in JSON
// and tables. Example: Fixed4(2.0 / 3) == "0.6667".
std::string Fixed4(double v);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_UTIL_JSON_H_
