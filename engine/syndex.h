#ifndef SYNDEX_ENGINE_SYNDEX_H_
#define SYNDEX_ENGINE_SYNDEX_H_

// The syndex engine: one persistent index of news articles that finds their
// syndicated copies and related stories.
//
//   SYNDEX_ASSIGN_OR_RETURN(
//       std::unique_ptr<Index> index,
//       Index::Create("news.idx", IndexParams(), /*overwrite=*/false,
//                     RunOptions()));
//   AddReport report;
//   SYNDEX_RETURN_IF_ERROR(index->Add(std::move(articles), false, &report));
//   SYNDEX_RETURN_IF_ERROR(index->Commit());
//   SYNDEX_ASSIGN_OR_RETURN(auto matches, index->QueryId("a17", 10));

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/corpus/article.h"
#include "engine/corpus/jsonl_reader.h"
#include "engine/lsh/lsh.h"
#include "engine/minhash/minhash.h"
#include "engine/projection/projection.h"
#include "engine/relations/relation.h"
#include "engine/shingle/shingle.h"
#include "engine/text/boilerplate.h"
#include "engine/tfidf/key_terms.h"
#include "engine/tfidf/term_table.h"
#include "engine/tfidf/tfidf.h"
#include "engine/util/progress.h"
#include "engine/util/bytes.h"
#include "engine/vector_store/vector_store.h"

namespace syndex {

class IndexDir;
class UnionFind;

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
  // Site chrome detection. Default: see BoilerplateOptions.
  BoilerplateOptions boilerplate;
  // Exact vector search up to this many articles, IVF above.
  // Default: 50000.
  int64_t exact_limit = 50000;
};

// Options of one run (not stored).
struct RunOptions {
  // Worker threads; 0 means all cores. Default: 0.
  int threads = 0;
  // Progress of Add, Remove, Compact and Cluster, stage by stage (see
  // ProgressFn). Default: none.
  ProgressFn progress;
  // Pair classification thresholds. Default: see RelationOptions.
  RelationOptions relations;
  // IVF lists probed per search. Default: 16 (on 100k generated articles,
  // copy groups and stories as good as with 32; docs/BENCHMARKS.md).
  int nprobe = 16;
  // Nearest neighbours by vector search that each query scores, besides
  // its LSH candidates; 0 means max(5 k, 50) for k matches. More neighbours
  // find more of the related and partial matches an exhaustive search
  // finds, and cost time per query (docs/BENCHMARKS.md). Default: 0.
  int dense_candidates = 0;
  // Articles sharing at least two of the query's eight key terms (its
  // highest-weighted TF-IDF terms; tfidf/key_terms.h) that each query
  // scores, those sharing the most first; 0 turns them off. They find the
  // related articles in other words whose dense vectors lie apart.
  // Default: 50.
  int key_term_candidates = 50;
};

struct ClusterOptions {
  // Nearest neighbours per copy group in the story graph. Pairs outside
  // each other's neighbourhoods count as similarity 0 in average linkage,
  // which keeps look-alike events apart. Default: 10.
  int neighbours = 10;
  // Average-linkage threshold on the story-edge similarity between copy
  // groups. Default: 0.15 (on the ECB+ development data story F1 stays at
  // or above 0.898 from 0.10 to 0.16; docs/QUALITY.md).
  double story_threshold = 0.15;
  // Story edges weigh (1 - dense_blend) * TF-IDF cosine + dense_blend *
  // LSA cosine. The LSA cosine credits reworded sentences, but it also
  // rates two different events of one topic alike: at 0.5 it lifts ECB+
  // story F1 by 0.01 and drops the generated corpus's from 0.9995 to 0.76.
  // Default: 0 (TF-IDF only).
  double dense_blend = 0;
  // Neighbours below this cosine are not edges of the story graph.
  // Default: 0.05.
  double min_edge_cosine = 0.05;
  // Two articles published more than this many days apart have their
  // cosine scaled by exp(-(days - window) / window): stories live in time.
  // Articles without a date are not penalized. Default: 10.
  double time_window_days = 10;
};

// One match of a query.
struct Match {
  uint32_t doc = 0;
  Relation relation = Relation::kNone;
  PairScores scores;  // Query is A, the match is B.
};

// One article's place in the clustering of the corpus.
struct ClusterEntry {
  uint32_t doc = 0;
  uint32_t copy_group = 0;  // Doc number of the group's canonical article.
  uint32_t story = 0;       // Doc number of the story's first article.
  // The article's relation to its canonical: kNone for the canonical itself
  // ("original" in output), else kExact, kSyndicated or kPartial.
  Relation relation = Relation::kNone;
  PairScores scores;        // Article A vs canonical B.
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

// What a batch of additions skipped (only with skip_bad), by reason.
struct AddReport {
  int64_t added = 0;
  std::map<std::string, int64_t> skipped;
  // True when Add retrained the projection and re-projected every article.
  bool refreshed_projection = false;
};

// A syndex index.
//
// Thread-safety: const methods may run concurrently; Add, Remove, Evict,
// Compact and Commit need exclusive access. Changes live in memory until
// Commit; after a failed change the object must be discarded, not
// committed (the index on disk is untouched).
class Index {
 public:
  ~Index();

  // Creates an empty index that will be written to `dir` by Commit,
  // replacing an existing index there only if `overwrite`. Takes the writer
  // lock. FailedPreconditionError if `dir` holds an index and !overwrite.
  static absl::StatusOr<std::unique_ptr<Index>> Create(
      const std::string& dir, const IndexParams& params, bool overwrite,
      const RunOptions& run);

  // Loads the index in `dir`; `for_write` takes the writer lock (for Add and
  // Commit). Checks every stored parameter; a corrupt, truncated or foreign
  // file gives an error naming it.
  static absl::StatusOr<std::unique_ptr<Index>> Open(const std::string& dir,
                                                     bool for_write,
                                                     const RunOptions& run);

  // Adds articles. The first batch of an index learns the site chrome, the
  // vocabulary and the projection; later batches reuse the chrome model,
  // grow the vocabulary and its document frequencies (TF-IDF cosines always
  // use the current frequencies), and keep the projection until the index
  // has doubled in size since it was trained, when it is retrained on the
  // stored term counts and every article re-projected.
  // A duplicate id (in the batch or in the index) is an error naming both
  // origins, or is skipped and counted with `skip_bad`. Nothing is written
  // until Commit. REQUIRES: opened for writing.
  absl::Status Add(std::vector<Article> articles, bool skip_bad,
                   AddReport* report);

  // Articles per batch of AddFiles by default: about 400 MB of news texts,
  // enough to learn the site chrome from the first batch.
  static constexpr size_t kDefaultAddBatch = 100000;

  // Reads the JSON Lines files `paths` (see ReadArticles) and adds their
  // articles as Add does, `batch_size` articles at a time, so that only one
  // batch of texts is held in memory: the first batch learns the site
  // chrome, and the dense vectors are computed once, after the last batch.
  // Bad lines are counted in report->skipped with options.skip_bad.
  absl::Status AddFiles(const std::vector<std::string>& paths,
                        const ReaderOptions& options, size_t batch_size,
                        AddReport* report);

  // Removes the articles with the given ids, with their signatures, term
  // counts and vectors, and lowers the document frequencies of their terms.
  // NotFoundError naming the first unknown id (nothing is removed then).
  // Nothing is written until Commit. REQUIRES: opened for writing.
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

  // Writes the index atomically (docs/format.md). REQUIRES: for writing.
  absl::Status Commit();

  // Queries build what they search on first use: the key-term index at
  // the first query; the LSH tables after kLshScans queries (before that,
  // each query scans the stored signatures' bands instead, for the same
  // candidates: cheaper for a few queries, such as one `syndex query
  // --id`), and, after VectorStore::kFloatSearches (also 8), the vector
  // store's half-precision copy. At 1M articles a scan takes 0.03-0.05 s,
  // and the tables and the copy together about 2 s.
  static constexpr int kLshScans = 8;

  // The `k` best matches of a stored article (excluding itself), strongest
  // relation first, then by score. NotFoundError for an unknown id.
  absl::StatusOr<std::vector<Match>> QueryId(absl::string_view id,
                                             int k) const;
  // The same with every stored article as a candidate instead of the LSH
  // and vector-search candidates: the exact answer, at a cost linear in the
  // size of the index (the reference that QueryId's agreement is measured
  // against).
  absl::StatusOr<std::vector<Match>> QueryIdExhaustive(absl::string_view id,
                                                       int k) const;
  // The `k` best matches of an article that need not be in the index.
  absl::StatusOr<std::vector<Match>> QueryArticle(const Article& article,
                                                  int k) const;

  // Copy groups and stories of the whole corpus; one entry per article in
  // doc order.
  absl::StatusOr<std::vector<ClusterEntry>> Cluster(
      const ClusterOptions& options) const;

  // The scores of two stored articles.
  absl::StatusOr<PairScores> Compare(absl::string_view id_a,
                                     absl::string_view id_b) const;
  // The text an article is compared by: normalized, without the site chrome
  // this index learned. Thread-safe.
  std::string Body(const Article& article) const;
  // The shingle sequence (ShingleSequence) of `tokens` under this index's
  // shingle parameters.
  std::vector<uint64_t> Shingles(
      const std::vector<absl::string_view>& tokens) const;

  size_t size() const { return articles_.size(); }
  const ArticleInfo& article(uint32_t doc) const { return articles_[doc]; }
  std::optional<uint32_t> Find(absl::string_view id) const;
  const IndexParams& params() const { return params_; }
  const LshParams& lsh_params() const { return lsh_params_; }
  const Vocabulary& vocabulary() const { return vocabulary_; }
  const BoilerplateModel& chrome() const { return chrome_; }
  std::string vector_index_kind() const;
  // Path of the live data file and its generation ("" and 0 before the
  // first Commit).
  std::string data_path() const;
  uint64_t generation() const;

 private:
  struct Features;
  struct Query;

  Index(const IndexParams& params, const RunOptions& run);
  ShingleOptions shingle_options() const;
  absl::Status InitDerived();
  // Reads the index file `data`; `release`, if given, is called with the
  // bytes of each section once they are no longer needed.
  absl::Status Load(
      absl::string_view data, const std::string& name,
      const std::function<void(absl::string_view)>& release = nullptr);
  // A reader of each section of the file being loaded.
  using SectionReaders = std::function<absl::StatusOr<ByteReader>(uint32_t)>;
  // Reads the section `tag` of `perm` values per article.
  absl::Status LoadSignatures(const SectionReaders& reader, uint32_t tag,
                              int perm, uint64_t count,
                              std::vector<uint32_t>* signatures);
  // The projection and the vector store.
  absl::Status LoadVectors(const SectionReaders& reader, uint64_t count);
  // The sections of the index file (docs/format.md), in file order: each
  // tag with the function that writes its bytes.
  struct Section {
    uint32_t tag;
    std::function<void(ByteWriter*)> write;
  };
  std::vector<Section> Sections() const;

  // `normalized` (the article's normalized text) without learned chrome.
  std::string StripChrome(const Article& article,
                          absl::string_view normalized) const;
  // Text -> features, with the current chrome model: fills `f` from the
  // article's normalized text and sets `tokens` to the tokens of f->body,
  // views that stay valid while f->body is unchanged.
  void Extract(const Article& article, absl::string_view normalized,
               Features* f, std::vector<absl::string_view>* tokens) const;
  absl::Status CheckIds(std::vector<Article>* articles, bool skip_bad,
                        AddReport* report) const;
  void LearnChrome(const std::vector<Article>& articles,
                   const std::vector<std::string>& normalized);
  // Add without the dense vectors; UpdateVectors brings them up to date.
  absl::Status AddTexts(std::vector<Article> articles, bool skip_bad,
                        AddReport* report);
  absl::Status UpdateVectors(AddReport* report);
  absl::Status TrainProjection();
  // Dense vectors of articles [begin, end), row by row.
  std::vector<float> ProjectRange(uint32_t begin, uint32_t end) const;
  absl::Status RebuildVectorStore();
  // A vector store holding `dense` (rows of dims floats), trained on a
  // sample drawn with `sample_seed`.
  absl::StatusOr<std::unique_ptr<VectorStore>> NewVectorStore(
      const std::vector<float>& dense, uint64_t sample_seed) const;

  // For each root of `groups`, the group's canonical article (indexed by
  // root; other entries are unspecified).
  std::vector<uint32_t> Canonicals(UnionFind& groups) const;
  // Keeps the articles whose `keep` flag is set, in order.
  absl::Status Retain(const std::vector<bool>& keep);

  const LshIndex& Lsh() const;
  // Appends the articles sharing an LSH band with `signature` (sorted),
  // from the tables, or for the first kLshScans queries before they exist
  // from a scan of the signatures (LshIndex::Scan).
  void LshCandidates(const uint32_t* signature,
                     std::vector<uint32_t>* out) const;
  // The key terms of every stored article (tfidf/key_terms.h), built on
  // first use.
  const KeyTermIndex& KeyTerms() const;
  // The weight tables of the current vocabulary.
  const WeightTables& Tables() const;
  // Drops what is built on first use (Lsh, Tables, KeyTerms) after a
  // change.
  void DropDerived();
  TermCounts Counts(uint32_t doc) const;
  SparseVector Weighted(uint32_t doc) const;
  // The TF-IDF vector of an article outside the index.
  SparseVector WeighOutside(const std::vector<absl::string_view>& tokens) const;
  const uint32_t* Signature(uint32_t doc) const {
    return &signatures_[static_cast<size_t>(doc) * params_.num_perm];
  }
  const uint32_t* CharSignature(uint32_t doc) const {
    return &char_signatures_[static_cast<size_t>(doc) * params_.char_perm];
  }
  // A stored article as a query, with its TF-IDF and dense vectors
  // computed anew.
  Query StoredQuery(uint32_t doc) const;
  // A stored article as a query that only views: `dense` holds its dims
  // floats and `weights` the TF-IDF weights of all of terms_.ids
  // (AllWeights); both must outlive the query. Null leaves that part
  // empty.
  Query StoredView(uint32_t doc, const float* dense,
                   const float* weights) const;
  // The TF-IDF weight of every entry of terms_.ids (WeighInPlace).
  std::vector<float> AllWeights() const;
  // The cosine of the query vector held by `q` with stored article `doc`,
  // equal to Dot(q, Weighted(doc)).
  float StoredCosine(const SparseLookup& q, uint32_t doc) const;
  // Asks for the signatures and the ArticleInfo of `doc` ahead of a Score
  // of it: the second articles of sorted pairs are scattered.
  void PrefetchSignatures(uint32_t doc) const;
  // The scores of `q` against stored article `doc`, given their cosine.
  PairScores Score(const Query& q, uint32_t doc, float cosine) const;
  // The same, with the stored article's TF-IDF vector (the cosine is
  // computed from it).
  PairScores Score(const Query& q, uint32_t doc, SparseView weighted) const;
  absl::StatusOr<std::vector<uint32_t>> Candidates(const Query& q,
                                                   int neighbours) const;
  std::vector<Match> Rank(const Query& q, std::vector<uint32_t> candidates,
                          int k) const;
  // Every stored article (but the query) that Classify could relate to `q`.
  std::vector<uint32_t> AllPossibleMatches(const Query& q) const;

  // Clustering stages (Cluster).
  struct CopyLinks {
    std::vector<uint64_t> pairs;     // Candidate pairs (a << 32 | b), a < b.
    std::vector<Relation> relation;  // The copy relation, else kNone.
    std::vector<char> excerpt;       // Partial only through an excerpt.
  };
  // Every article as a StoredView of `dense` (VectorStore::Vectors) and
  // `weights` (AllWeights).
  std::vector<Query> AllQueries(const std::vector<const float*>& dense,
                                const std::vector<float>& weights) const;
  // The pairs of articles that share an LSH bucket, sorted.
  std::vector<uint64_t> LshPairs() const;
  // Classifies candidate `pairs` for the copy groups.
  CopyLinks VerifyCopies(const std::vector<Query>& queries,
                         std::vector<uint64_t> pairs) const;
  // The `k` nearest of `canonicals` to every article, n x k docs, best
  // first (kNoDoc where fewer were found; VectorStore::SearchStored).
  // REQUIRES: k <= canonicals.size().
  absl::StatusOr<std::vector<uint32_t>> NearestCanonicals(
      const std::vector<Query>& queries,
      const std::vector<uint32_t>& canonicals, int k) const;
  // Average-linkage story label of each copy group's canonical article
  // (indexed by doc). `nearest` holds k nearest docs per article;
  // `group_of` maps each article to its group's canonical article.
  std::vector<uint32_t> StoryLabels(const std::vector<Query>& queries,
                                    const std::vector<uint32_t>& nearest,
                                    int k,
                                    const std::vector<uint32_t>& group_of,
                                    const ClusterOptions& options) const;
  double StoryEdge(const Query& a, const Query& b, uint32_t doc_a,
                   uint32_t doc_b, const ClusterOptions& options) const;

  IndexParams params_;
  RunOptions run_;
  LshParams lsh_params_;
  std::unique_ptr<MinHasher> minhasher_;
  std::unique_ptr<MinHasher> char_hasher_;
  std::unique_ptr<IndexDir> dir_;

  std::vector<ArticleInfo> articles_;
  absl::flat_hash_map<std::string, uint32_t> by_id_;
  std::vector<uint32_t> signatures_;     // n x num_perm.
  std::vector<uint32_t> char_signatures_;  // n x char_perm.
  TermTable terms_;
  Vocabulary vocabulary_;
  BoilerplateModel chrome_;
  Projection projection_;
  uint64_t projection_trained_on_ = 0;   // Articles when last trained.
  std::unique_ptr<VectorStore> vectors_;

  mutable std::mutex lsh_mu_;
  mutable std::unique_ptr<LshIndex> lsh_;  // Built on first use.
  mutable int lsh_scans_ = 0;  // Queries answered by a scan; lsh_mu_.
  mutable std::mutex tables_mu_;
  mutable std::unique_ptr<WeightTables> tables_;  // Built on first use.
  mutable std::mutex key_terms_mu_;
  mutable std::unique_ptr<KeyTermIndex> key_terms_;  // Built on first use.
};

// Reads every article of `paths` (JSON Lines, .gz or "-") with `options`.
// Bad lines fail with "file:line: reason" unless options.skip_bad, when
// they are counted in `skipped` by reason.
absl::StatusOr<std::vector<Article>> ReadArticles(
    const std::vector<std::string>& paths, const ReaderOptions& options,
    std::map<std::string, int64_t>* skipped);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_SYNDEX_H_
