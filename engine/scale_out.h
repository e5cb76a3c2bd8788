#ifndef SYNDEX_ENGINE_SCALE_OUT_H_
#define SYNDEX_ENGINE_SCALE_OUT_H_

// The copy groups of Index::Cluster with ClusterOptions::lsh_copies_only,
// cut into steps that run on parts of a corpus on many machines: the
// public API of a distributed front end (the Dask job, python/syndex/
// dask.py). Each step gives exactly what the index computes on one
// machine; the front end only moves data between them:
//
//   1. ChromeStats over each part (its articles numbered in input order),
//      merged, then Build: the chrome model an index learns.
//   2. FeaturePipeline::Features of every article under that model, and
//      BandKeys of its signature.
//   3. Articles that share a (band, key) bucket: BucketPairs.
//   4. ScoreSketches (engine/features/sketch.h) and CopyLink of each pair;
//      the few pairs whose answer depends on the TF-IDF cosine
//      (CopyLinkNeedsCosine) get it from TfIdfCosine over corpus-wide term
//      statistics (DocumentTerms of the two articles, with the first
//      occurrence and document frequency of each term in the corpus).
//   5. Connected components of the copy links; CanonicalBefore picks each
//      component's canonical article.
//   6. Each article against its canonical: EntryRelation (with the cosine
//      when EntryNeedsCosine), written with CopyLine (engine/output/json.h).
//
// Article numbers are their 0-based positions in the input, the doc
// numbers an index built from the same input gives them.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/features/sketch.h"
#include "engine/lsh/lsh.h"
#include "engine/syndex.h"

namespace syndex {

// The articles of the lines of the plain JSON Lines file `path` in the byte
// range [begin, end), whose first line is line `first_line` of the file
// (for messages: "path:line: reason", as ReadArticles). A gzip file is read
// whole (begin 0, end ~0). REQUIRES: begin and end fall on line starts (or
// the end of the file).
absl::StatusOr<std::vector<Article>> ReadArticleRange(
    const std::string& path, uint64_t begin, uint64_t end, int64_t first_line,
    const ReaderOptions& options);

// What Index::Add checks of one article by itself (ids are checked for
// duplicates elsewhere): InvalidArgumentError "origin: empty id" or
// "origin: empty text".
absl::Status CheckArticle(const Article& article);

// Chrome statistics of a part of a corpus that merge: the map-reduce form
// of the chrome model an index learns from the first AddOptions::batch_size
// articles it is given. Build of the merged statistics of all parts gives
// the model of one machine, bit for bit.
//
// Not thread-safe.
class ChromeStats {
 public:
  // `sample`: the articles numbered below it count (the index's first
  // batch). Default: AddOptions().batch_size.
  explicit ChromeStats(const IndexParams& params,
                       uint64_t sample = AddOptions().batch_size);

  // Counts article number `number` (its 0-based position in the input) if
  // it lies in the sample.
  void Observe(const Article& article, uint64_t number);
  // Adds the statistics Serialize wrote for another part.
  absl::Status Merge(absl::string_view serialized);
  std::string Serialize() const;
  // The chrome model (FeaturePipeline::Create reads it).
  std::string Build() &&;

 private:
  uint64_t sample_;
  BoilerplateModel::Builder builder_;
};

// The terms of a document as the index's vocabulary counts them: each
// distinct token of the body once, in order of first occurrence, with its
// 64-bit identity (Hash64(term, kDefaultSeed), as the vocabulary tells
// terms apart) and its count, saturated at 65535 as stored.
struct DocumentTerms {
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> counts;
};

// The features of articles under a learned chrome model, as Index::Add
// computes them. Thread-safety: const methods may run concurrently.
class FeaturePipeline {
 public:
  // `chrome_model` is ChromeStats::Build's output ("" for no chrome).
  // InvalidArgumentError for bad params, DataLossError for a bad model.
  static absl::StatusOr<std::unique_ptr<FeaturePipeline>> Create(
      const IndexParams& params, absl::string_view chrome_model);

  // What Index::Features gives for `article` in an index with this model;
  // `terms` (may be null) receives the body's terms.
  CopyFeatures Features(const Article& article, DocumentTerms* terms) const;
  // The LSH band keys of a signature, bands() of them, band b at out[b]:
  // the buckets of the index's LSH tables (LshIndex::BandKey).
  void BandKeys(const uint32_t* signature, uint64_t* out) const;
  int bands() const { return lsh_.params().bands; }
  const IndexParams& params() const { return params_; }

 private:
  FeaturePipeline(const IndexParams& params, BoilerplateModel chrome);

  IndexParams params_;
  FeatureExtractor extractor_;
  BoilerplateModel chrome_;
  LshIndex lsh_;  // Empty: only its band keys are used.
};

// One entry of an LSH bucket: article `doc` has key `key` in band `band`.
struct BandEntry {
  uint32_t band = 0;
  uint64_t key = 0;
  uint32_t doc = 0;
};

// The candidate pairs of `entries` (every entry of the buckets they fall
// in, in any order) as the index's clustering takes them from its LSH
// tables (LshIndex::ForEachCandidatePair with kMaxLshBucket): pairs
// (a, b), a < b, as a << 32 | b, sorted and without repeats. Sorts
// `entries`.
std::vector<uint64_t> BucketPairs(std::vector<BandEntry>* entries);

// How Index::Cluster verifies a candidate pair for its copy groups:
// CopyLink gives the relation that joins the two articles' groups (exact,
// syndicated or partial; excerpts do not join), else kNone. Only its
// character rule reads the TF-IDF cosine: when CopyLinkNeedsCosine is
// false for the scores with cosine 0, CopyLink of those scores is the
// answer; otherwise the scores need the pair's cosine first.
bool CopyLinkNeedsCosine(const PairScores& scores,
                         const RelationOptions& options);
Relation CopyLink(const PairScores& scores, const RelationOptions& options);

// The relation Index::Cluster reports for an article (A) against its
// canonical article (B): the copy relation of their scores, else the
// strongest copy link of the article (`best_copy`, the largest CopyLink
// over its candidate pairs). EntryNeedsCosine as CopyLinkNeedsCosine.
bool EntryNeedsCosine(const PairScores& scores, const RelationOptions& options);
Relation EntryRelation(const PairScores& scores, Relation best_copy,
                       const RelationOptions& options);

// The order that picks canonical articles (README): earliest published,
// undated last, then the most shingles, then the smallest id. True if `a`
// comes before `b`. (Defined with the clustering, engine/clustering/.)
bool CanonicalBefore(const ArticleInfo& a, const ArticleInfo& b);

// A document's terms with corpus-wide statistics, for TfIdfCosine: term i
// occurs counts[i] times; order[i] is any value that sorts the terms as
// the vocabulary numbers them (by their first occurrence in the corpus:
// article number << 32 | position among that article's DocumentTerms),
// and df[i] the number of articles of the corpus holding it.
struct TermVector {
  std::vector<uint64_t> order;
  std::vector<uint32_t> counts;
  std::vector<uint32_t> df;
};

// The TF-IDF cosine of two documents of a corpus of `num_docs` articles,
// bit for bit the one Index::Cluster computes (Vocabulary::Weigh with
// `min_df`, syndex::Dot). InvalidArgumentError for a df above num_docs.
absl::StatusOr<float> TfIdfCosine(const TermVector& a, const TermVector& b,
                                  uint64_t num_docs, uint32_t min_df);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_SCALE_OUT_H_
