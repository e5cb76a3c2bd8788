#ifndef SYNDEX_ENGINE_CHROME_CHROME_H_
#define SYNDEX_ENGINE_CHROME_CHROME_H_

// Site chrome as passages: the word sequences an outlet puts around its
// articles (breadcrumbs, share bars, byline boxes, newsletter prompts,
// related-article lists, cookie notices, footers), found wherever they sit
// in the text and however long they are, with or without line breaks.
//
// A passage is chrome of a source when its words recur in at least
// min_source_docs distinct articles of that source: articles that each
// have text of their own (min_own_grams word grams found in no other
// article of the source), so that an outlet that carries one story twice
// does not turn the story into chrome. A syndicated story, carried once by
// many outlets, recurs across sources, never within one, and is kept.
// Chrome of min_shared_sources sources or more (cookie and comment notices,
// "all rights reserved" lines) is chrome of every source. Articles with no
// source (no source field and no URL) are one source with a stricter
// rule: a passage must recur in max(min_unsourced_docs, unsourced_fraction
// x their number) articles that each have at least half of their text to
// themselves.
//
// Usage:
//   ChromeModel::Learner learner(options);
//   for (...) learner.Observe(source_key, CleanText(text));
//   ChromeModel model;
//   std::move(learner).LearnInto(&model);
//   std::string body = model.Strip(source_key, CleanText(text));

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/util/bytes.h"

namespace syndex {

struct ChromeOptions {
  // Words per gram, the unit passages are matched by. Default: 8.
  int gram_words = 8;
  // Distinct articles of one source a passage must recur in. Default: 2.
  int min_source_docs = 2;
  // A site's template recurs in most of its pages: a passage in at least
  // this share of a source's distinct articles (and min_source_docs) is
  // template, removed wherever it is. A passage in fewer of them is a
  // cross-reference (a teaser of another article of the outlet, a
  // background paragraph reused by a follow-up): it is some article's own
  // text too, so it is removed only where no text of the article's own
  // follows it (at least min_continuation_words words right after it):
  // a teaser is removed from the lists that show it and kept as the lead
  // of its article. Defaults: 0.1 and 30.
  double template_fraction = 0.1;
  int min_continuation_words = 30;
  // Grams of an article found in no other article of its source that make
  // it a distinct article. Default: 20.
  int min_own_grams = 20;
  // Articles without a source: see the header comment. Defaults: 5 and
  // 0.01.
  int min_unsourced_docs = 5;
  double unsourced_fraction = 0.01;
  // Sources whose chrome a gram must be part of to be chrome of every
  // source. Default: 2.
  int min_shared_sources = 2;
  // Articles of one source a Learner keeps: those with the smallest text
  // hashes, so that the choice does not depend on the order of
  // observation. Enough to see the related-article lists, whose teasers
  // each recur in only a few of an outlet's pages. Default: 1000.
  int max_source_docs = 1000;
  // Articles without a source a Learner keeps (the same way).
  // Default: 4096.
  int max_unsourced_docs = 4096;
  // A source's chrome is final once learned from this many of its
  // articles. Until then an index keeps the clean texts of the source's
  // articles and learns its chrome again, and computes their features
  // again, whenever a batch brings it more, so that an index grown by many
  // small additions learns what one built at once does (200 does that on
  // the generated web corpus). 0: a source's chrome is final once learned,
  // from the first batch that has enough of its articles, and no text is
  // kept. Default: 0, because an add that learns again rewrites the
  // features of stored articles, which the commit log (docs/format.md)
  // records as a whole data file, and the Dask job (python/syndex/dask.py)
  // learns each source once.
  int final_source_docs = 0;
};

class ChromeModel {
 public:
  // One learned passage: its words as they appeared (tokens joined by
  // spaces) and the number of the source's learning articles it was in.
  struct Passage {
    std::string source;  // The source key ("" for articles without one).
    std::string text;
    uint32_t docs = 0;
    // A cross-reference rather than template (ChromeOptions).
    bool cross_reference = false;
  };

  // Collects articles and learns the chrome of their sources. Learners
  // merge (Merge), so that partitions of a corpus can be observed apart and
  // give the same model as one learner over all of it.
  // Not thread-safe.
  class Learner {
   public:
    explicit Learner(const ChromeOptions& options);
    // One article's text (CleanText) and source key (SourceKey).
    void Observe(absl::string_view source, absl::string_view text);
    // Adds what `other` (with the same options) observed.
    void Merge(Learner other);
    // Learns the chrome of every source observed that `model` has not
    // learned yet (a source is learned once it had min_source_docs
    // distinct articles in one learning), and recomputes the chrome
    // shared by all sources.
    void LearnInto(ChromeModel* model) &&;

    // What the learner holds, for a Merge on another machine: u32 sources,
    // then per source its key (string), u32 articles kept, and per article
    // its text (string).
    void AppendTo(ByteWriter* out) const;
    // A learner with `options` holding what AppendTo wrote. On error
    // returns a DataLossError and leaves `learner` unchanged.
    static absl::Status ReadFrom(ByteReader* in, const ChromeOptions& options,
                                 Learner* learner);

   private:
    struct Kept {
      uint64_t hash;     // Of the text: the order of keeping.
      std::string text;
    };
    void Keep(std::vector<Kept>* kept, size_t limit, Kept article);

    ChromeOptions options_;
    std::map<std::string, std::vector<Kept>> sources_;
  };

  ChromeModel() = default;
  explicit ChromeModel(const ChromeOptions& options);

  // `text` (CleanText's output) without the chrome of `source`: its
  // tokens covered by a chrome gram are dropped, the runs of other tokens
  // kept as they were written, one run a line. A text with no chrome comes
  // back unchanged, and so does a text that is all chrome (an article is
  // never emptied).
  std::string Strip(absl::string_view source, absl::string_view text) const;

  // Which of `tokens` (Tokenize's output for `text`) are chrome of
  // `source`.
  std::vector<char> Chrome(absl::string_view source,
                           const std::vector<absl::string_view>& tokens,
                           absl::string_view text) const;

  // The learned passages, by source, template before cross-references,
  // then most articles first.
  const std::vector<Passage>& passages() const { return passages_; }
  // Passages learned.
  size_t size() const { return passages_.size(); }
  // Sources whose chrome was learned.
  size_t sources() const { return learned_.size(); }
  bool Learned(absl::string_view source) const;
  // Drops what was learned of `sources`, so that a Learner learns them
  // again.
  void Forget(const std::vector<std::string>& sources);
  const ChromeOptions& options() const { return options_; }

  // Serialized form (docs/format.md, CHRM): u32 sources learned, then per
  // source its key as a string; u32 passages, then per passage its source
  // key, text (strings), u32 docs and u8 cross_reference. Grams are
  // recomputed on load.
  void AppendTo(ByteWriter* out) const;
  // Reads what AppendTo wrote; `options` are the index's (PARM). On error
  // returns a DataLossError and leaves `model` unchanged.
  static absl::Status ReadFrom(ByteReader* in, const ChromeOptions& options,
                               ChromeModel* model);

  // What this model learned beyond `before`, a model it was learned from
  // (LearnInto adds sources and their passages, and changes nothing
  // else): the newly learned sources and their passages, in AppendTo's
  // layout (docs/format.md, "Commit log").
  void AppendLearnedSince(const ChromeModel& before, ByteWriter* out) const;
  // Adds what AppendLearnedSince wrote to this model, which then equals
  // the model it was written from. On error (malformed, or a source this
  // model has learned already) returns a DataLossError and leaves the
  // model unchanged.
  absl::Status ReadLearned(ByteReader* in);

 private:
  // Rebuilds the gram sets from the passages.
  void IndexGrams();
  // Sorts the learned sources and the passages into their order.
  void SortLearned();

  ChromeOptions options_;
  std::vector<std::string> learned_;  // Sorted.
  std::vector<Passage> passages_;
  // Template grams shared by every source; (source, gram) pairs of each
  // source's template and of its cross-references.
  absl::flat_hash_set<uint64_t> shared_;
  absl::flat_hash_set<uint64_t> by_source_;
  absl::flat_hash_set<uint64_t> cross_references_;
};

// The source key of an article: `source` if not empty, else the host of
// `url` (lowercased, without "www."), else "".
std::string SourceKey(absl::string_view source, absl::string_view url);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CHROME_CHROME_H_
