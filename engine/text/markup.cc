#include "engine/text/markup.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "engine/text/normalize.h"

namespace syndex {
namespace {

// Tags longer than this are not tags but text with a stray '<'.
constexpr size_t kMaxTagBytes = 2000;

bool IsSpace(char c) { return c == ' ' || c == '\n'; }

// The end (one past '>') of the tag starting at text[i] == '<', or 0.
size_t TagEnd(absl::string_view text, size_t i) {
  if (i + 1 >= text.size()) return 0;
  const char next = text[i + 1];
  if (!absl::ascii_isalpha(static_cast<unsigned char>(next)) &&
      next != '/' && next != '!' && next != '?') {
    return 0;
  }
  const size_t limit = std::min(text.size(), i + kMaxTagBytes);
  for (size_t j = i + 1; j < limit; ++j) {
    if (text[j] == '>') return j + 1;
    if (text[j] == '<') return 0;
  }
  return 0;
}

// The end of the URL starting at text[i], or 0 when none starts there.
size_t UrlEnd(absl::string_view text, size_t i) {
  if (i > 0 && !IsSpace(text[i - 1]) && text[i - 1] != '(' &&
      text[i - 1] != '"' && text[i - 1] != '\'') {
    return 0;
  }
  const absl::string_view rest = text.substr(i);
  if (!absl::StartsWith(rest, "http://") &&
      !absl::StartsWith(rest, "https://") && !absl::StartsWith(rest, "www.")) {
    return 0;
  }
  size_t j = i;
  while (j < text.size() && !IsSpace(text[j]) && text[j] != '<') ++j;
  return j;
}

}  // namespace

std::string StripMarkup(absl::string_view text) {
  // Most texts have neither.
  if (text.find('<') == absl::string_view::npos &&
      text.find("http") == absl::string_view::npos &&
      text.find("www.") == absl::string_view::npos) {
    return std::string(text);
  }
  std::string out;
  out.reserve(text.size());
  // A removed piece separates words: a space goes before the next
  // character unless that is white space itself.
  bool pending_space = false;
  for (size_t i = 0; i < text.size();) {
    size_t end = 0;
    if (text[i] == '<') {
      end = TagEnd(text, i);
    } else if (text[i] == 'h' || text[i] == 'w') {
      end = UrlEnd(text, i);
    }
    if (end != 0) {
      pending_space = true;
      i = end;
      continue;
    }
    if (pending_space && !out.empty() && IsSpace(out.back()) &&
        text[i] == ' ') {
      ++i;  // The piece had a space on both sides: keep one.
      continue;
    }
    if (pending_space && !IsSpace(text[i]) && !out.empty() &&
        !IsSpace(out.back())) {
      out += ' ';
    }
    pending_space = false;
    out += text[i++];
  }
  return out;
}

std::string CleanText(absl::string_view text) {
  return StripMarkup(NormalizeText(text));
}

}  // namespace syndex
