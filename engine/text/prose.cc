#include "engine/text/prose.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"

namespace syndex {
namespace {

// Common English function words.
constexpr const char* kFunctionWords[] = {
    "a", "about", "above", "after", "again", "against", "all", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before",
    "being", "below", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "doing", "down", "during", "each", "few", "for", "from",
    "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "itself", "just", "may", "me", "might", "more", "most",
    "must", "my", "myself", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over",
    "own", "same", "shall", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under",
    "until", "up", "upon", "very", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "whom", "whose", "why", "will", "with",
    "within", "without", "would", "you", "your", "yours", "yourself",
    "yourselves", "also", "although", "among", "around", "across", "since",
    "though", "toward", "towards", "unless", "whether", "yet", "many",
    "much", "every", "either", "neither", "onto", "per", "via", "said",
    "says", "according", "don't", "it's", "he's", "she's", "i'm", "we're",
    "they're", "there's", "that's", "isn't", "wasn't", "won't", "can't"};

const absl::flat_hash_set<absl::string_view>& FunctionWords() {
  static const auto* const words = new absl::flat_hash_set<absl::string_view>(
      std::begin(kFunctionWords), std::end(kFunctionWords));
  return *words;
}

}  // namespace

bool IsFunctionWord(absl::string_view token) {
  return token.size() <= 10 && FunctionWords().contains(token);
}

std::vector<char> ProseWindows(const std::vector<absl::string_view>& tokens,
                               int k) {
  const size_t n = tokens.size();
  if (k <= 0 || n < static_cast<size_t>(k)) return {};
  std::vector<char> function(n);
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    function[i] = IsFunctionWord(tokens[i]);
    count += function[i];
  }
  std::vector<char> keep(n - k + 1, 1);
  if (count < std::max<size_t>(10, n / 20)) return keep;
  // A sliding count of the function words in the window.
  size_t in_window = 0;
  for (size_t i = 0; i < static_cast<size_t>(k); ++i) in_window += function[i];
  for (size_t i = 0;; ++i) {
    keep[i] = in_window > 0;
    if (i + k >= n) break;
    in_window += function[i + k];
    in_window -= function[i];
  }
  return keep;
}

}  // namespace syndex
