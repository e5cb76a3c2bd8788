#ifndef SYNDEX_ENGINE_TEXT_BOILERPLATE_H_
#define SYNDEX_ENGINE_TEXT_BOILERPLATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/util/bytes.h"

namespace syndex {

// Learns site chrome (breadcrumbs, "Read more", share-button words,
// newsletter prompts, "Check Also" lines) from a corpus: short lines that
// recur across many different articles of one source, or across a large part
// of the whole corpus. Lines are the '\n'-separated lines of normalized text.
//
// A line is chrome when it has at most `max_line_tokens` tokens and
//  - occurs in at least `min_source_docs` articles of the same source key, or
//  - occurs in at least max(`min_corpus_docs`, `corpus_fraction` x articles)
//    articles of the corpus.
// Long lines are never chrome, so the paragraphs of a wire story carried by
// many outlets are kept. Articles with an empty source key count only
// corpus-wide. Line identity (persisted): a line is Hash64(line,
// kDefaultSeed); a (source, line) pair is Hash64(line, Hash64(source,
// kDefaultSeed)).
//
// Usage:
//   BoilerplateModel::Builder b(options);
//   for (...) b.Observe(source_key, normalized_text);
//   BoilerplateModel model = std::move(b).Build();
//   std::string body = model.Strip(source_key, normalized_text);
struct BoilerplateOptions {
  // Default: 24.
  int max_line_tokens = 24;
  // Default: 3.
  int min_source_docs = 3;
  // Default: 5.
  int min_corpus_docs = 5;
  // Default: 0.01.
  double corpus_fraction = 0.01;
};

class BoilerplateModel {
 public:
  class Builder {
   public:
    explicit Builder(const BoilerplateOptions& options);
    // Counts each distinct short line of one article once. `source` is the
    // article's source key (outlet, or URL host; empty if unknown).
    // Not thread-safe.
    void Observe(absl::string_view source, absl::string_view normalized_text);
    // Adds the counts of `other` (built with the same options): Observe
    // over two halves of a corpus and Merge give the Build of one Builder
    // over all of it.
    void Merge(const Builder& other);
    BoilerplateModel Build() &&;

    // The counts, for a Merge elsewhere: the document count, then the
    // corpus and the (source, line) counts, each as two arrays (hashes
    // ascending, counts).
    void AppendTo(ByteWriter* out) const;
    // Reads what AppendTo wrote into `builder` (whose options stay). On
    // error (truncated or unsorted data) a DataLossError.
    static absl::Status ReadFrom(ByteReader* in, Builder* builder);

   private:
    BoilerplateOptions options_;
    uint64_t docs_ = 0;
    absl::flat_hash_map<uint64_t, uint32_t> corpus_counts_;  // line -> docs
    absl::flat_hash_map<uint64_t, uint32_t> source_counts_;  // (source,line)
  };

  BoilerplateModel() = default;

  // True if `line` (one normalized line) is chrome for `source`.
  bool IsBoilerplate(absl::string_view source, absl::string_view line) const;
  // `normalized_text` without its chrome lines. If every line is chrome, the
  // text is returned unchanged (an article is never emptied).
  std::string Strip(absl::string_view source,
                    absl::string_view normalized_text) const;
  size_t size() const { return corpus_lines_.size() + source_lines_.size(); }

  // Serialized form: the corpus line hashes, then the (source, line) hashes,
  // each as ByteWriter::Array<uint64_t> sorted ascending (so equal models
  // give equal bytes).
  void AppendTo(ByteWriter* out) const;
  // Reads what AppendTo wrote. On error (truncated or unsorted data) returns
  // a DataLossError and leaves `model` unchanged.
  static absl::Status ReadFrom(ByteReader* in, BoilerplateModel* model);

 private:
  absl::flat_hash_set<uint64_t> corpus_lines_;
  absl::flat_hash_set<uint64_t> source_lines_;  // Hash of (source, line).
};

// The source key of an article: `source` if not empty, else the host of
// `url` (lowercased, without "www."), else "".
std::string SourceKey(absl::string_view source, absl::string_view url);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_TEXT_BOILERPLATE_H_
