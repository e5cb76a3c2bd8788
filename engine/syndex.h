#ifndef SYNDEX_ENGINE_SYNDEX_H_
#define SYNDEX_ENGINE_SYNDEX_H_

// The syndex engine: one persistent index of news articles that finds their
// syndicated copies and related stories. This header is the whole public
// API that every front end (the command line, the HTTP service, the Python
// module, the Dask job) uses; engine/output/json.h writes its results in
// the documented JSON schemas, and engine/scale_out.h adds the steps of a
// clustering spread over many machines.
//
//   SYNDEX_ASSIGN_OR_RETURN(
//       std::unique_ptr<Index> index,
//       Index::Create("news.idx", IndexParams(), /*overwrite=*/false,
//                     OpenOptions()));
//   AddReport report;
//   SYNDEX_RETURN_IF_ERROR(index->Add(std::move(articles), AddOptions(),
//                                     &report));
//   SYNDEX_RETURN_IF_ERROR(index->Commit());
//   QueryOptions query;
//   query.k = 10;
//   SYNDEX_ASSIGN_OR_RETURN(std::vector<Match> matches,
//                           index->QueryId("a17", query));

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/corpus/article.h"
#include "engine/corpus/jsonl_reader.h"
#include "engine/features/features.h"
#include "engine/projection/projection.h"
#include "engine/recovery.h"
#include "engine/relations/relation.h"
#include "engine/chrome/chrome.h"
#include "engine/util/progress.h"

namespace syndex {

class IndexCore;

// Everything that makes signatures and vectors comparable. Fixed when an
// index is created, stored in it (section PARM, docs/format.md) and checked
// on every load.
struct IndexParams {
  // Words per shingle. Default: 5.
  int shingle_size = 5;
  // Seed of token, shingle and MinHash hashing. Default: kDefaultSeed.
  uint64_t seed = kDefaultSeed;
  // MinHash values per signature (a multiple of 8). Default: 128.
  int num_perm = 128;
  // MinHash values per character-gram signature (a multiple of 8; shingle.h
  // CharGrams), the evidence for copies with character noise.
  // Default: 128.
  int char_perm = 128;
  // Jaccard similarity at which LSH must find a pair with probability at
  // least lsh_min_recall; bands x rows are derived from both.
  // Defaults: 0.5 and 0.95, which with 128 values give 23 bands x 3 rows
  // (ChooseLshParams; 4 rows cannot reach 0.95 at 0.5).
  double lsh_threshold = 0.5;
  double lsh_min_recall = 0.95;
  // Terms in fewer documents carry no TF-IDF weight. Default: 1 (every
  // term counts: dropping a document's unique terms would inflate its
  // cosine with everything else).
  uint32_t min_df = 1;
  // LSA projection (dims, sample, seed). Default: see ProjectionOptions.
  ProjectionOptions projection;
  // Documents sampled to train the projection and the vector index.
  // Default: 20000.
  uint32_t training_sample = 20000;
  // Site chrome detection. Default: see ChromeOptions.
  ChromeOptions chrome;
  // Exact vector search up to this many articles, IVF above.
  // Default: 50000.
  int64_t exact_limit = 50000;

  // The parameters of the feature pipeline.
  FeatureOptions features() const;
  // InvalidArgumentError naming the first parameter out of range.
  absl::Status Validate() const;
};

// Settings of one process's use of an index (not stored).
struct OpenOptions {
  // Worker threads; 0 means all cores. Default: 0.
  int threads = 0;
  // Progress of Add, Remove, Compact and Cluster, stage by stage (see
  // ProgressFn). Default: none.
  ProgressFn progress;
  // IVF lists probed per vector search. Default: 16 (on 100k generated
  // articles, copy groups and stories as good as with 32;
  // docs/QUALITY.md).
  int nprobe = 16;
  // Commit appends the changes to the commit log (docs/format.md) while
  // the log stays within this many bytes, and writes a new generation (a
  // whole data file, which empties the log) once it would not; 0 has
  // every commit write a generation. Default: 64 MiB.
  uint64_t max_log_bytes = uint64_t{64} << 20;

  // Generations older than the live one that each Commit keeps on disk
  // (the newest of them), for RecoverIndex (engine/recovery.h); 0 deletes
  // the previous generation at each commit, negative counts as 0.
  // Default: 2.
  int keep_generations = 2;

  // How long Create and Open for writing wait for another writer to release
  // the index's lock before they fail. Default: 0 (fail at once).
  double lock_wait_seconds = 0;

  // InvalidArgumentError naming the first option out of range.
  absl::Status Validate() const;
};

// Options of one query.
struct QueryOptions {
  // Matches returned at most. Default: 10.
  int k = 10;
  // Nearest neighbours by vector search that the query scores, besides its
  // LSH candidates; 0 means max(5 k, 50). More neighbours find more of the
  // related and partial matches an exhaustive search finds, and cost time
  // (docs/BENCHMARKS.md). Default: 0.
  int dense_candidates = 0;
  // Articles sharing at least two of the query's eight key terms (its
  // highest-weighted TF-IDF terms; tfidf/key_terms.h) that the query
  // scores, those sharing the most first; 0 turns them off. They find the
  // related articles in other words whose dense vectors lie apart.
  // Default: 50.
  int key_term_candidates = 50;
  // Compare with every stored article instead of the candidates: the
  // exact answer, at a cost linear in the size of the index (the reference
  // the candidates' agreement is measured against). Queries by stored id
  // only. Default: false.
  bool exhaustive = false;
  // Pair classification thresholds and the story score's model. Default:
  // see RelationOptions.
  RelationOptions relations;
  // Articles that are not copies are returned when their story score
  // (relations/story_score.h) reaches this: raise it to keep only the
  // confident ones (relations.related_story keeps those `related`).
  // Default: kMinStoryScore.
  double min_story_score = kMinStoryScore;
  // A match is in the query's story (Match::same_story) when it is a copy
  // or its story strength (relations/story_score.h) reaches this: the
  // clustering's rule for a pair. Default: kStoryThreshold, the default
  // ClusterOptions::story_threshold.
  double same_story_strength = kStoryThreshold;

  // InvalidArgumentError naming the first option out of range.
  absl::Status Validate() const;
};

struct ClusterOptions {
  // Nearest neighbours per copy group in the story graph. Pairs outside
  // each other's neighbourhoods count as similarity 0 in average linkage,
  // which keeps look-alike events apart. Default: 10.
  int neighbours = 10;
  // Average-linkage threshold on the story strength
  // (relations/story_score.h) between copy groups; pairs outside each
  // other's neighbourhoods count as 0. Default: kStoryThreshold
  // (docs/QUALITY.md has the sweep on the ECB+ development data).
  double story_threshold = kStoryThreshold;
  // Neighbours below this story strength are not edges of the story graph.
  // Default: 0.05.
  double min_edge_strength = 0.05;
  // Pair classification thresholds of the copy groups, and the story
  // score's model of the story edges (its time window decays the score of
  // articles published far apart). Default: see RelationOptions.
  RelationOptions relations;
  // Copy groups from the LSH candidate pairs alone: no nearest-canonical
  // search for copies and no excerpts joined within stories. These are the
  // copy groups the distributed clustering computes (engine/scale_out.h);
  // stories are built as usual. Default: false.
  bool lsh_copies_only = false;

  absl::Status Validate() const;
};

// How articles are added.
struct AddOptions {
  // Skip bad articles (empty or duplicate ids, empty texts) and count them
  // in AddReport::skipped by reason, instead of failing. Default: false.
  bool skip_bad = false;
  // Articles held in memory at once while adding from a source: about
  // 400 MB of news texts. Default: 100000.
  size_t batch_size = 100000;
  // Replace a stored article whose id an added one has, instead of failing
  // on the duplicate: the stored article is removed and the new one added
  // in the same change (nothing is written until Commit, which is atomic),
  // so a reader sees the old or the new one, never neither. The same id
  // twice among the added articles is still an error. Default: false.
  bool replace = false;
};

// What a batch of additions did.
struct AddReport {
  int64_t added = 0;
  // Of `added`, articles that replaced a stored one (AddOptions::replace).
  int64_t replaced = 0;
  // Skipped articles or input lines (only with skip_bad), by reason.
  std::map<std::string, int64_t> skipped;
  // True when Add retrained the projection and re-projected every article.
  bool refreshed_projection = false;
  // Seconds during which Add(vector) held queries out (see Index,
  // "Thread-safety"): applying the prepared articles and installing their
  // dense vectors.
  double apply_seconds = 0;
};

// Stored metadata of one article.
struct ArticleInfo {
  std::string id;
  std::string title;
  std::string source;
  std::string url;
  std::optional<int64_t> published;
  uint64_t content_hash = 0;  // Hash64 of the article's text after chrome.
  uint32_t shingles = 0;      // Shingle set size.
  uint32_t char_grams = 0;    // Character grams, repeats included.
};

// One match of a query.
struct Match {
  uint32_t doc = 0;      // The match's number in the index (Index::article).
  ArticleInfo article;   // The match.
  Relation relation = Relation::kNone;
  // The rule of Classify that decided the relation (RuleName).
  Rule rule = Rule::kNone;
  PairScores scores;     // The query is A, the match is B.
  // Whether `cluster` puts the match in the query's story, judged by the
  // clustering's rule for the pair (QueryOptions::same_story_strength).
  bool same_story = false;
};

// One article's place in the clustering of the corpus.
struct ClusterEntry {
  uint32_t doc = 0;
  uint32_t copy_group = 0;  // Doc number of the group's canonical article.
  uint32_t story = 0;       // Doc number of the story's first article.
  // The article's relation to its canonical: kNone for the canonical itself
  // (original() is true), else kExact, kSyndicated or kPartial.
  Relation relation = Relation::kNone;
  PairScores scores;  // Article A vs canonical B; unset for the canonical.
  uint32_t copy_group_size = 0;
  uint32_t story_size = 0;

  bool original() const { return copy_group == doc; }
  // "original" for the canonical, else the relation's name.
  absl::string_view label() const;
};

// The work of Cluster's copy-group stage, bounded on any input: exact
// duplicates collapse before any pairwise work, and an LSH bucket gives a
// number of pairs linear in its size (engine/clustering/candidates.h).
struct ClusterStats {
  uint64_t articles = 0;
  // Articles whose text (after chrome) equals an article's earlier in
  // canonical order: they join its copy group without pairwise work.
  uint64_t exact_duplicates = 0;
  // LSH buckets of more distinct texts than all pairs are taken of, and
  // the distinct texts of the largest bucket.
  uint64_t capped_buckets = 0;
  uint64_t largest_bucket = 0;
  // Candidate pairs of distinct texts verified: from the LSH buckets, and
  // (besides those) from each text's nearest canonical articles.
  uint64_t lsh_pairs = 0;
  uint64_t nearest_pairs = 0;
  // Verified copy links the groups were placed with.
  uint64_t copy_links = 0;
};

// Why two stored articles are related.
struct SharedPassage {
  // Word ranges [begin, end) in each article's body.
  uint32_t a_begin = 0, a_end = 0, b_begin = 0, b_end = 0;
  // The passage's words in a, at most ExplainOptions::max_passage_bytes
  // bytes, cut on a character boundary ("..." marks a cut).
  std::string text;
};
struct Explanation {
  ArticleInfo a, b;
  PairScores scores;  // a is A, b is B.
  Relation relation = Relation::kNone;
  // The rule of Classify that decided the relation (RuleName).
  Rule rule = Rule::kNone;
  // With the articles' texts (ExplainOptions): the passages they share,
  // longest first, and the body lengths in words.
  bool has_passages = false;
  uint32_t words_a = 0, words_b = 0, shared_words = 0;
  std::vector<SharedPassage> passages;
};
struct ExplainOptions {
  RelationOptions relations;
  // The two articles' texts (the index does not store texts), to find the
  // passages they share; null: no passages. Their ids are not checked.
  const Article* text_a = nullptr;
  const Article* text_b = nullptr;
  // Default: 240.
  size_t max_passage_bytes = 240;

  // InvalidArgumentError naming the first option out of range.
  absl::Status Validate() const;
};

// What an index holds.
struct IndexStats {
  std::string data_file;  // "" before the first Commit.
  // The number of the last commit: the data file's generation plus the
  // commit log's records on top of it.
  uint64_t generation = 0;
  uint64_t bytes = 0;     // Of the data file.
  uint64_t log_bytes = 0;  // Of the commit log.
  uint64_t articles = 0;
  uint64_t dated_articles = 0;
  uint64_t vocabulary = 0;
  uint64_t chrome_passages = 0;  // Learned site chrome (ChromeModel).
  uint64_t chrome_sources = 0;
  IndexParams params;
  int bands = 0, rows = 0;
  std::string vector_index;
  // Bytes of each section of the data file (docs/format.md), in file
  // order: where the bytes go. Empty before the first Commit.
  std::vector<std::pair<std::string, uint64_t>> section_bytes;
};

// A clustering and the articles it numbers, as of one generation.
struct Clustering {
  uint64_t generation = 0;
  std::vector<ArticleInfo> articles;  // By doc number.
  std::vector<ClusterEntry> entries;  // One per article, in doc order.
};

// The version of the index file format this build reads and writes
// (docs/format.md), and the hash family of its signatures.
uint32_t IndexFormatVersion();
uint32_t IndexHashFamily();

// A source of articles: fills its argument with the next article and
// returns true, or returns false at the end. Errors stop the ingestion.
using ArticleSource = std::function<absl::StatusOr<bool>(Article*)>;

// A syndex index.
//
// Thread-safety: every method may be called from any thread. Changes (Add,
// Remove, Evict, Compact, Commit, Checkpoint) run one at a time. Queries
// see the index before or after each change, never a mix: they wait only
// while a change applies what it computed, not while it computes. For
// Add(vector), that is appending the prepared articles and updating what
// queries search (in proportion to the batch; the weight tables in
// proportion to the vocabulary), then adding the dense vectors; features,
// vectors and the commit are computed outside. Remove, Evict, Compact and
// the other Adds hold queries for their whole run. Cluster and
// ClusterSnapshot hold changes (not queries) while they run. References
// returned by article() and params() stay valid until the next change.
// Changes live in memory until Commit; after a failed change the object
// must be discarded, not committed (the index on disk is untouched).
class Index {
 public:
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Creates an empty index that will be written to `dir` by Commit,
  // replacing an existing index there only if `overwrite`. Takes the writer
  // lock. FailedPreconditionError if `dir` holds an index and !overwrite;
  // InvalidArgumentError if `params` are out of range.
  static absl::StatusOr<std::unique_ptr<Index>> Create(
      const std::string& dir, const IndexParams& params, bool overwrite,
      const OpenOptions& options);

  // Loads the index in `dir`; `for_write` takes the writer lock (for
  // changes and Commit). Checks every stored parameter; a corrupt,
  // truncated or foreign file gives an error naming it.
  static absl::StatusOr<std::unique_ptr<Index>> Open(
      const std::string& dir, bool for_write, const OpenOptions& options);

  // Adds articles. The first batch of an index learns the site chrome, the
  // vocabulary and the projection. A later batch learns the chrome of its
  // sources whose chrome is not final again, from their stored articles
  // too, and recomputes those articles' features (ChromeOptions::
  // final_source_docs); it grows the vocabulary and its document
  // frequencies (TF-IDF cosines always
  // use the current frequencies), and keep the projection until the index
  // has doubled in size since it was trained, when it is retrained on the
  // stored term counts and every article re-projected.
  // A duplicate id (in the batch or in the index) is an error naming both
  // origins, or is skipped and counted with options.skip_bad. Nothing is
  // written until Commit. REQUIRES: opened for writing.
  absl::Status Add(std::vector<Article> articles, const AddOptions& options,
                   AddReport* report);
  // The same for every article of `next`, options.batch_size at a time, so
  // that only one batch of texts is held in memory; the dense vectors are
  // computed once, after the last batch.
  absl::Status Add(const ArticleSource& next, const AddOptions& options,
                   AddReport* report);
  // Add of every article of the JSON Lines files `paths` (.gz or "-"),
  // read with `reader`, with `options` (but skip_bad from reader): with
  // reader.skip_bad, bad lines and bad articles are skipped and counted in
  // report->skipped.
  absl::Status AddFiles(const std::vector<std::string>& paths,
                        const ReaderOptions& reader, const AddOptions& options,
                        AddReport* report);
  // The same with AddOptions::batch_size `batch_size`, the other options
  // at their defaults.
  absl::Status AddFiles(const std::vector<std::string>& paths,
                        const ReaderOptions& reader, size_t batch_size,
                        AddReport* report);

  // Removes the articles with the given ids, with their signatures, term
  // counts and vectors, and lowers the document frequencies of their terms.
  // NotFoundError naming the first unknown id (nothing is removed then).
  // REQUIRES: opened for writing.
  absl::Status Remove(const std::vector<std::string>& ids);
  // Removes every article published before `before` (Unix seconds);
  // articles without a date are kept. Returns how many were removed.
  // REQUIRES: opened for writing.
  absl::StatusOr<size_t> Evict(int64_t before);
  // Drops vocabulary terms no stored article uses any more (left behind by
  // Remove and Evict), renumbering the others, and retrains the projection
  // and the vector index. Returns the number of terms dropped.
  // REQUIRES: opened for writing.
  absl::StatusOr<size_t> Compact();
  // Makes room for `more` articles beyond size() in the index's arrays
  // (capacity only: untouched memory costs no RSS), so that Adds up to
  // that many do not reallocate them, a copy of the whole index, while
  // they hold queries out. For a long-running writer such as the HTTP
  // service, after Open. REQUIRES: opened for writing.
  void Reserve(size_t more);

  // Makes the changes since the last commit durable, atomically
  // (docs/format.md): as one record appended to the commit log, at a cost
  // in proportion to the changes, while the log stays within
  // OpenOptions::max_log_bytes; else, and after Create or Compact, as
  // Checkpoint. Does nothing if nothing changed. REQUIRES: for writing.
  absl::Status Commit();
  // Writes the whole index as a new generation, which takes in the commit
  // log's records and starts an empty log. REQUIRES: for writing.
  absl::Status Checkpoint();

  // Queries build what they search on first use: the key-term index at
  // the first query; the LSH tables after kLshScans queries (before that,
  // each query scans the stored signatures' bands instead, for the same
  // candidates: cheaper for a few queries, such as one query by id), and,
  // after VectorStore::kFloatSearches (also 8), the vector store's
  // half-precision copy. At 1M articles a scan takes 0.03-0.05 s, and the
  // tables and the copy together about 2 s.
  static constexpr int kLshScans = 8;

  // The best matches of a stored article, without itself: copies first,
  // the strongest relation first and then by Jaccard; then the articles of
  // a story score of at least options.min_story_score, by story score; then
  // index order. NotFoundError for an unknown id.
  absl::StatusOr<std::vector<Match>> QueryId(
      absl::string_view id, const QueryOptions& options) const;
  // The best matches of an article that need not be in the index; a stored
  // article with the query's id is left out. options.exhaustive is refused.
  absl::StatusOr<std::vector<Match>> QueryArticle(
      const Article& article, const QueryOptions& options) const;

  // Copy groups and stories of the whole corpus; one entry per article in
  // doc order. `stats`, if not null, receives what the copy-group stage
  // did.
  absl::StatusOr<std::vector<ClusterEntry>> Cluster(
      const ClusterOptions& options, ClusterStats* stats = nullptr) const;
  // Cluster, with the articles and the generation it reflects (changes
  // not yet committed included).
  absl::StatusOr<Clustering> ClusterSnapshot(
      const ClusterOptions& options) const;

  // The scores, relation and deciding rule of two stored articles, and
  // their shared passages when their texts are given. NotFoundError for an
  // unknown id.
  absl::StatusOr<Explanation> Explain(absl::string_view id_a,
                                      absl::string_view id_b,
                                      const ExplainOptions& options) const;

  // The copy-detection features of `article` under this index's parameters
  // and learned chrome: what Add would store for it.
  CopyFeatures Features(const Article& article) const;
  // The stored features of an article (body empty). NotFoundError for an
  // unknown id.
  absl::StatusOr<CopyFeatures> StoredFeatures(absl::string_view id) const;

  IndexStats Stats() const;
  // The learned site chrome: every passage, or those of `source` (a
  // source key) and those shared by every source.
  std::vector<ChromeModel::Passage> Chrome(
      std::optional<std::string> source = std::nullopt) const;
  size_t size() const;
  // REQUIRES: doc < size().
  const ArticleInfo& article(uint32_t doc) const;
  std::optional<uint32_t> Find(absl::string_view id) const;
  const IndexParams& params() const;
  // The number of the last commit (IndexStats::generation; 0 before the
  // first Commit).
  uint64_t generation() const;
  // "exact" or the IVF description of the vector index, "none" if empty.
  std::string vector_index_kind() const;

  // The JSON field names the index's articles were read with (the *_field
  // members of ReaderOptions; skip_bad is false), stored in the index
  // (section FMAP, docs/format.md) so that later reads of the same kind of
  // files (add, queries, texts for Explain) can use them. The defaults for
  // an index that stores none.
  ReaderOptions field_names() const;
  // Stores the field names of `reader` (not skip_bad) with the next Commit.
  // REQUIRES: opened for writing.
  void SetFieldNames(const ReaderOptions& reader);

 private:
  explicit Index(std::unique_ptr<IndexCore> core);

  std::unique_ptr<IndexCore> core_;
};

// The copy-detection features of `article` under `params` with no chrome
// learned: equal to what an index with these parameters stores for it
// while it has learned no chrome. InvalidArgumentError for bad params.
absl::StatusOr<CopyFeatures> ComputeFeatures(const Article& article,
                                             const IndexParams& params);

// Reads every article of `paths` (JSON Lines, .gz or "-") with `options`.
// Bad lines fail with "file:line: reason" unless options.skip_bad, when
// they are counted in `skipped` by reason.
absl::StatusOr<std::vector<Article>> ReadArticles(
    const std::vector<std::string>& paths, const ReaderOptions& options,
    std::map<std::string, int64_t>* skipped);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_SYNDEX_H_
