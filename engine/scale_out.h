#ifndef SYNDEX_ENGINE_SCALE_OUT_H_
#define SYNDEX_ENGINE_SCALE_OUT_H_

// The copy groups of Index::Cluster with ClusterOptions::lsh_copies_only,
// cut into steps that run on parts of a corpus on many machines: the
// public API of a distributed front end (the Dask job, python/syndex/
// dask.py). Each step gives exactly what the index computes on one
// machine; the front end only moves data between them:
//
//   1. ObserveChrome over each part: ChromeModel::Learner's of the
//      AddOptions batches the part overlaps, merged per batch
//      (MergeChromeLearners), then ChromeModels: the chrome model the
//      index holds after each batch.
//   2. FeaturePipeline::Features of every article under its batch's model,
//      and BandKeys of its signature.
//   3. The entries of each (band, key) bucket, with each article's order
//      key and content hash: BucketPairs, the candidate pairs of distinct
//      texts (engine/clustering/candidates.h) and the exact duplicates.
//   4. ScoreSketches (engine/features/sketch.h) and LinkRelation of each pair;
//      the few pairs whose answer depends on the TF-IDF cosine
//      (LinkNeedsCosine) get it from TfIdfCosine over corpus-wide term
//      statistics (DocumentTerms of the two articles, with the first
//      occurrence and document frequency of each term in the corpus).
//   5. Connected components of the copy links and duplicates; the articles
//      and links of each component meet on one machine, where
//      PlaceComponents places the groups without chains
//      (engine/clustering/copy_groups.h, full_copies.h) and scores each
//      article against its canonical. It asks for the cosines it needs
//      until it has them all.
//   6. The entries written with CopyLine (engine/output/json.h).
//
// Article numbers are their 0-based positions in the input, the doc
// numbers an index built from the same input gives them.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/chrome/chrome.h"
#include "engine/clustering/copy_groups.h"
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

// Chrome learned as a map-reduce. An index learns, batch after batch of
// AddOptions::batch_size articles, the chrome of the sources it has not
// learned yet (ChromeModel::Learner::LearnInto), and computes each
// article's features under the model after its batch.
//
// The learners (serialized, ChromeModel::Learner::AppendTo) of the batches
// the articles of a part overlap, the articles numbered from `first`: one
// per batch from first / batch_size on. InvalidArgumentError for bad
// params or batch_size 0.
absl::StatusOr<std::vector<std::string>> ObserveChrome(
    const IndexParams& params, const std::vector<Article>& articles,
    uint64_t first, uint64_t batch_size);
// One learner holding what `learners` (of one batch) observed.
absl::StatusOr<std::string> MergeChromeLearners(
    const IndexParams& params, const std::vector<std::string>& learners);
// The model (ChromeModel::AppendTo) the index holds after each batch,
// given each batch's merged learner in batch order.
absl::StatusOr<std::vector<std::string>> ChromeModels(
    const IndexParams& params, const std::vector<std::string>& learners);

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
  // `chrome_model` is one of ChromeModels' ("" for no chrome).
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
  FeaturePipeline(const IndexParams& params, ChromeModel chrome);

  IndexParams params_;
  FeatureExtractor extractor_;
  ChromeModel chrome_;
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
// tables (LshCandidatePairs with the default CandidateOptions): pairs of
// distinct texts (a, b), a < b, as a << 32 | b, sorted and without
// repeats. Articles with equal content hashes (and a shingle) are one text,
// stood for by the first of them in canonical order (CanonicalBefore);
// `duplicates` receives each other one as doc << 32 | representative,
// sorted and without repeats. (Equal texts have equal signatures, so they
// share all their buckets.) `article(doc)` gives the id, published,
// shingles and content_hash of every doc of `entries`. Sorts `entries`.
std::vector<uint64_t> BucketPairs(
    std::vector<BandEntry>* entries,
    const std::function<const ArticleInfo&(uint32_t)>& article,
    std::vector<uint64_t>* duplicates);

// How Index::Cluster verifies a candidate pair for its copy groups:
// LinkRelation gives the relation that joins the two articles' groups (exact,
// syndicated or partial; excerpts do not join), else kNone. Only its
// character rule reads the TF-IDF cosine: when LinkNeedsCosine is
// false for the scores with cosine 0, LinkRelation of those scores is the
// answer; otherwise the scores need the pair's cosine first.
bool LinkNeedsCosine(const PairScores& scores, const RelationOptions& options);
Relation LinkRelation(const PairScores& scores, const RelationOptions& options);

// One article of a connected component of copy links and duplicates.
struct ComponentArticle {
  uint32_t doc = 0;
  // The text it is a copy of (BucketPairs' duplicates), else itself.
  uint32_t representative = 0;
  ArticleInfo info;  // id, published, content_hash, shingles, char_grams.
  const uint32_t* signature = nullptr;       // num_perm values.
  const uint32_t* char_signature = nullptr;  // char_perm values.
};

// An article's copy group: its canonical article, and its relation and
// scores against it (kNone and 1 for a canonical article).
struct ComponentEntry {
  uint32_t doc = 0;
  uint32_t canonical = 0;
  Relation relation = Relation::kNone;
  double jaccard = 1;
  double containment = 1;
};

// The copy groups of the articles of whole components (the articles of
// `articles` and every copy link between them, `links`: LinkRelation's
// relations, by doc), as Index::Cluster places them with lsh_copies_only,
// one entry per article in `articles` order. Pair scores read the TF-IDF
// cosine only where it decides; `cosines` holds those known (by PairKey of
// docs). When one is missing, its PairKey is added to `missing`, and the
// entries are to be computed again with it. InvalidArgumentError for a
// link or representative outside `articles`.
absl::StatusOr<std::vector<ComponentEntry>> PlaceComponents(
    const std::vector<ComponentArticle>& articles,
    const std::vector<CopyLink>& links, int num_perm, int char_perm,
    const RelationOptions& relations,
    const absl::flat_hash_map<uint64_t, float>& cosines,
    std::vector<uint64_t>* missing);

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
