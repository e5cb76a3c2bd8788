#ifndef SYNDEX_ENGINE_CHROME_GROWTH_H_
#define SYNDEX_ENGINE_CHROME_GROWTH_H_

// What an index keeps to learn chrome as it grows: the sources whose
// chrome is final (learned from ChromeOptions::final_source_docs of their
// articles) and, for every other source, the clean texts (CleanText) of
// its articles, from which its chrome is learned again when a batch brings
// it more articles. At most final_source_docs texts per source are kept.
//
// Thread-compatible.

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/util/bytes.h"

namespace syndex {

class ChromeGrowth {
 public:
  bool Final(absl::string_view source) const;
  void MarkFinal(const std::string& source);
  const std::vector<std::string>& final_sources() const { return final_; }

  // The clean text kept for article `id`, or null.
  const std::string* Text(absl::string_view id) const;
  void Keep(const std::string& id, std::string text);
  // Drops the text of article `id`, if kept.
  void Drop(absl::string_view id);
  // The ids whose texts are kept, sorted.
  std::vector<std::string> Ids() const;
  size_t texts() const { return texts_.size(); }

  // Serialized form (docs/format.md, GROW): u32 final sources, then each
  // source key as a string, sorted; u32 texts, then per text the article
  // id and the clean text (strings), by id.
  void AppendTo(ByteWriter* out) const;
  // Reads what AppendTo wrote. On error returns a DataLossError and leaves
  // this unchanged.
  absl::Status ReadFrom(ByteReader* in);

 private:
  std::vector<std::string> final_;  // Sorted.
  absl::flat_hash_map<std::string, std::string> texts_;  // By article id.
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CHROME_GROWTH_H_
