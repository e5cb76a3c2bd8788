#ifndef SYNDEX_ENGINE_CORE_INDEX_CORE_H_
#define SYNDEX_ENGINE_CORE_INDEX_CORE_H_

// The state of an index and the work on it, behind engine/syndex.h. Its
// methods are split by concern over the files of this folder, which share
// this header (as leveldb splits DBImpl):
//   index_file.cc  open, create, load and write a generation (docs/format.md)
//   commit_log.cc  commits through the commit log, and its replay
//   ingest.cc      add, remove, evict, compact
//   vectors.cc     the projection and the vector store
//   scoring.cc     what is built on first use, and pair scores
//   query.cc       candidates and ranking of one query
//   story.cc       the story score of a pair (relations/story_score.h)
//   verify.cc      the checks of VerifyIndex (engine/recovery.h)
// Clustering (engine/clustering/) works on an IndexCore through its const
// methods.
//
// Thread-safety: as Index (engine/syndex.h), whose methods take the locks
// writer_mu() and state_mu(). A change holds writer_mu() throughout and
// state_mu() exclusively while it modifies what queries read; Add(vector)
// takes it only for its short apply steps (ingest.cc).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/chrome/growth.h"
#include "engine/features/features.h"
#include "engine/index/index_log.h"
#include "engine/lsh/lsh.h"
#include "engine/projection/projection.h"
#include "engine/syndex.h"
#include "engine/tfidf/key_terms.h"
#include "engine/tfidf/term_table.h"
#include "engine/tfidf/tfidf.h"
#include "engine/util/bytes.h"
#include "engine/util/rw_lock.h"
#include "engine/vector_store/vector_store.h"

namespace syndex {

class IndexDir;

// Items per parallel work chunk.
inline constexpr size_t kGrain = 256;
// Key terms kept per article (tfidf/key_terms.h).
inline constexpr int kKeyTerms = kStoryKeyTerms;

// Asks for the cache lines of [p, p + bytes) ahead of use.
inline void PrefetchBytes(const void* p, size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (size_t i = 0; i < bytes; i += 64) __builtin_prefetch(c + i);
}

// A query: a stored article or an outside one, in the form scoring needs.
// The signatures, the dense vector and the TF-IDF vector are views, into
// the index or a caller's buffers (StoredView) or into the query's own
// members. Moving keeps them valid (vectors keep their buffers); copying
// would not, so queries are move-only.
struct ScoringQuery {
  ScoringQuery() = default;
  ScoringQuery(ScoringQuery&&) = default;
  ScoringQuery& operator=(ScoringQuery&&) = default;

  std::optional<uint32_t> self;
  uint64_t content_hash = 0;
  uint32_t shingles = 0;
  uint32_t char_grams = 0;
  const uint32_t* signature = nullptr;
  const uint32_t* char_signature = nullptr;
  const float* dense = nullptr;
  SparseView weighted;
  // The publication time and, for an outside article, its kKeyTerms key
  // terms (TopTerms; a stored one's are DocKeyTerms(self)), for the story
  // score.
  std::optional<int64_t> published;

  std::vector<uint32_t> own_signature;
  std::vector<uint32_t> own_char_signature;
  std::vector<float> own_dense;
  SparseVector own_weighted;
  std::vector<uint32_t> own_key_terms;
};

// Adds the seconds of its scope to report->apply_seconds.
class ApplyTimer {
 public:
  explicit ApplyTimer(AddReport* report)
      : report_(report), start_(std::chrono::steady_clock::now()) {}
  ~ApplyTimer() {
    report_->apply_seconds += std::chrono::duration<double>(
                                  std::chrono::steady_clock::now() - start_)
                                  .count();
  }

 private:
  AddReport* report_;
  std::chrono::steady_clock::time_point start_;
};

class IndexCore {
 public:
  // The first queries scan the signatures instead of building the LSH
  // tables (Index::kLshScans).
  static constexpr int kLshScans = Index::kLshScans;

  ~IndexCore();

  // index_file.cc: as Index::Create and Index::Open.
  static absl::StatusOr<std::unique_ptr<IndexCore>> Create(
      const std::string& dir, const IndexParams& params, bool overwrite,
      const OpenOptions& options);
  static absl::StatusOr<std::unique_ptr<IndexCore>> Open(
      const std::string& dir, bool for_write, const OpenOptions& options);
  // commit_log.cc: as Index::Commit and Index::Checkpoint.
  absl::Status Commit();
  absl::Status Checkpoint();
  // verify.cc: checks the data file `data` named `name` section by section
  // and then as Open loads it, then replays the intact records of `log`
  // (its commit log, if it has one) on it (engine/recovery.h,
  // VerifyIndex).
  static GenerationReport CheckData(absl::string_view data,
                                    const std::string& name, int threads,
                                    const IndexLog::Check* log = nullptr);
  std::string data_path() const;
  uint64_t generation() const { return generation_.load(); }
  uint64_t log_bytes() const { return log_bytes_.load(); }
  std::string vector_index_kind() const;
  // As Index::field_names and SetFieldNames.
  ReaderOptions field_names() const { return field_names_; }
  // The field names are no log operation: the next commit writes a
  // generation.
  void SetFieldNames(const ReaderOptions& reader) {
    field_names_ = reader;
    field_names_.skip_bad = false;
    full_commit_ = true;
  }
  // The bytes of each section of the live data file, in file order.
  std::vector<std::pair<std::string, uint64_t>> section_bytes() const {
    std::lock_guard<std::mutex> lock(data_path_mu_);
    return section_bytes_;
  }

  // The locks of the Index facade (see above).
  std::mutex& writer_mu() const { return writer_mu_; }
  RwLock& state_mu() const { return state_mu_; }

  // ingest.cc: as Index. Add computes the features and the dense vectors
  // outside state_mu() and takes it for the apply steps only; the others
  // expect the caller to hold it.
  absl::Status Add(std::vector<Article> articles, const AddOptions& options,
                   AddReport* report);
  absl::Status AddFrom(const ArticleSource& next, const AddOptions& options,
                       AddReport* report);
  absl::Status Remove(const std::vector<std::string>& ids);
  absl::StatusOr<size_t> Evict(int64_t before);
  void Reserve(size_t more);
  absl::StatusOr<size_t> Compact();

  // query.cc: the `options.k` best matches of a stored article or of an
  // outside one (itself left out only when stored, by doc number).
  absl::StatusOr<std::vector<Match>> QueryDoc(
      uint32_t doc, const QueryOptions& options) const;
  absl::StatusOr<std::vector<Match>> QueryArticle(
      const Article& article, const QueryOptions& options) const;
  // The scores of stored article `a` (as A) against `b`, with the story
  // score under `model`.
  PairScores Compare(uint32_t a, uint32_t b, const StoryModel& model) const;

  // scoring.cc.
  // Every article as a StoredView of `dense` and `weights` (AllWeights).
  std::vector<ScoringQuery> AllQueries(const std::vector<const float*>& dense,
                                       const std::vector<float>& weights) const;
  // The TF-IDF weight of every stored term entry (WeighInPlace).
  std::vector<float> AllWeights() const;
  // Asks for the signatures and the ArticleInfo of `doc` ahead of a Score
  // of it: the second articles of sorted pairs are scattered.
  void PrefetchSignatures(uint32_t doc) const;
  // The scores of `q` against stored article `doc`, given their cosine.
  PairScores Score(const ScoringQuery& q, uint32_t doc, float cosine) const;
  // The same, with the stored article's TF-IDF vector.
  PairScores Score(const ScoringQuery& q, uint32_t doc,
                   SparseView weighted) const;
  const LshIndex& Lsh() const;

  // story.cc. Builds what the story score of `model` reads of stored
  // articles (their key terms, where their dense vectors lie) unless
  // built; `all_evidence` builds both, for FillStoryEvidence.
  void PrepareStory(const StoryModel& model, bool all_evidence) const;
  // The story strength and score of `q` against stored article `doc` under
  // `model` into `s` (s->cosine set), with the evidence the model weighs.
  // REQUIRES: PrepareStory(model, ...) since the index last changed.
  void ScoreStory(const ScoringQuery& q, uint32_t doc, const StoryModel& model,
                  PairScores* s) const;
  // All of the story evidence of `s`: the LSA cosine and the shared key
  // terms, also when the model gives them no weight (for output).
  // REQUIRES: PrepareStory(..., true) since the index last changed.
  void FillStoryEvidence(const ScoringQuery& q, uint32_t doc,
                         PairScores* s) const;

  // The features Add would compute for `article`.
  CopyFeatures Features(const Article& article) const;
  const uint32_t* Signature(uint32_t doc) const {
    return &signatures_[static_cast<size_t>(doc) * params_.num_perm];
  }
  const uint32_t* CharSignature(uint32_t doc) const {
    return &char_signatures_[static_cast<size_t>(doc) * params_.char_perm];
  }

  size_t size() const { return articles_.size(); }
  const ArticleInfo& article(uint32_t doc) const { return articles_[doc]; }
  const std::vector<ArticleInfo>& articles() const { return articles_; }
  std::optional<uint32_t> Find(absl::string_view id) const;
  const IndexParams& params() const { return params_; }
  const OpenOptions& options() const { return options_; }
  int threads() const;
  const LshParams& lsh_params() const { return lsh_params_; }
  const Vocabulary& vocabulary() const { return vocabulary_; }
  const ChromeModel& chrome() const { return chrome_; }
  const FeatureExtractor& extractor() const { return *extractor_; }
  int dims() const { return projection_.dims(); }
  // Null while the index is empty.
  const VectorStore* vectors() const { return vectors_.get(); }

 private:
  // One call of Add: the first doc number it adds, and the ids of stored
  // articles it replaces (AddOptions::replace), removed at its end.
  struct AddCall {
    uint32_t first_doc = 0;
    absl::flat_hash_set<std::string> replaced;
  };

  IndexCore(const IndexParams& params, const OpenOptions& options);
  absl::Status InitDerived();

  // index_file.cc. Writes the whole state as the next generation.
  absl::Status WriteGeneration();
  // Reads the index file `data`; `release`, if given, is
  // called with the bytes of each section once they are no longer needed.
  absl::Status Load(
      absl::string_view data, const std::string& name,
      const std::function<void(absl::string_view)>& release = nullptr);
  // A reader of each section of the file being loaded.
  using SectionReaders = std::function<absl::StatusOr<ByteReader>(uint32_t)>;
  absl::Status LoadSignatures(const SectionReaders& reader, uint32_t tag,
                              int perm, uint64_t count,
                              std::vector<uint32_t>* signatures);
  absl::Status LoadVectors(const SectionReaders& reader, uint64_t count);
  // The sections of the index file (docs/format.md), in file order: each
  // tag with the function that writes its bytes.
  struct Section {
    uint32_t tag;
    std::function<void(ByteWriter*)> write;
  };
  std::vector<Section> Sections() const;
  // index_file.cc, for CheckData: the format version of data files, the
  // tag of PARM, and the article count stored in a PARM section.
  static uint32_t FormatVersion();
  static uint32_t ParamsTag();
  static absl::StatusOr<uint64_t> StoredArticleCount(absl::string_view params,
                                                     const std::string& what);

  // commit_log.cc. Opens the log of the live generation (for writing:
  // truncating a cut-short record) and replays its records.
  absl::Status OpenLog(bool for_write);
  // Record the changes made since the last commit as operations of the
  // next log record (docs/format.md, "Commit log").
  // An add operation is LogAdd (the articles), then LogAddEnd (the chrome
  // model learned before their features were computed, if any).
  void LogAdd(const std::vector<Article>& articles);
  void LogAddEnd(const ChromeModel* learned);
  bool LogOutgrown(uint64_t more);
  void LogRemove(const std::vector<std::string>& ids);
  void LogReplaced(const AddCall& call);
  void LogVectors();
  // Applies the operations of one log record, named `what` in errors.
  absl::Status Replay(absl::string_view record, const std::string& what);

  // ingest.cc.
  // A batch of articles whose features are computed (AddTexts without its
  // apply step), with the chrome model it learned (null if it learned
  // nothing), which Apply installs.
  struct Prepared {
    std::vector<Article> articles;
    std::vector<CopyFeatures> features;
    std::vector<Vocabulary::Pending> terms;
    std::unique_ptr<ChromeModel> chrome;
    // Stored articles whose features Apply computes again (growth.cc).
    std::vector<uint32_t> stored;
  };
  absl::StatusOr<Prepared> Prepare(std::vector<Article> articles,
                                   const AddOptions& options, AddCall* call,
                                   AddReport* report);
  // Appends a prepared batch. `lock`, if given, is taken exclusively.
  void Apply(Prepared prepared, AddReport* report, RwLock* lock);
  // Brings what is built on first use up to date after articles
  // [first, size()) were appended, at a cost in proportion to them (the
  // weight tables: to the vocabulary).
  void ExtendDerived(uint32_t first);
  // Drops the bad articles (or fails on the first), and records in `call`
  // the stored articles the others replace.
  absl::Status CheckIds(std::vector<Article>* articles,
                        const AddOptions& options, AddCall* call,
                        AddReport* report) const;
  // Removes the stored articles `call` replaced.
  absl::Status RemoveReplaced(const AddCall& call);

  // growth.cc: learning chrome as the index grows (chrome/growth.h).
  // The sources of `articles` whose chrome is not final.
  absl::flat_hash_set<std::string> GrowingSources(
      const std::vector<Article>& articles) const;
  // The stored articles of `growing` sources (but those `call` replaces),
  // in doc order: their clean texts are kept.
  std::vector<uint32_t> StoredGrowing(
      const absl::flat_hash_set<std::string>& growing,
      const AddCall& call) const;
  // The chrome model after learning the `growing` sources anew from their
  // `stored` articles and the batch (`articles`, clean texts `cleaned`);
  // null if that changes nothing.
  std::unique_ptr<ChromeModel> LearnChrome(
      const absl::flat_hash_set<std::string>& growing,
      const std::vector<uint32_t>& stored,
      const std::vector<Article>& articles,
      const std::vector<std::string>& cleaned) const;
  // Computes the features of stored articles `docs` again, in place, from
  // their kept texts; drops the vectors (UpdateVectors computes them).
  void Refeaturize(const std::vector<uint32_t>& docs);
  // Keeps the clean texts of the batch's articles of `growing` sources, or
  // marks a source final once `chrome` learned it from final_source_docs
  // articles (Refeaturize drops its stored articles' texts).
  void KeepGrowing(const absl::flat_hash_set<std::string>& growing,
                   const std::vector<uint32_t>& stored,
                   const std::vector<Article>& articles,
                   const std::vector<std::string>& cleaned,
                   const ChromeModel& chrome);
  // Appends one article's term counts as a row of `table` (without its
  // offset), counts capped at 65535.
  static void AppendCounts(const TermCounts& counts, TermTable* table);

  // Add without the dense vectors; UpdateVectors brings them up to date.
  absl::Status AddTexts(std::vector<Article> articles,
                        const AddOptions& options, AddCall* call,
                        AddReport* report);
  // Appends one article with its features and term counts.
  void Append(Article& article, const CopyFeatures& f,
              const TermCounts& counts);
  // Keeps the articles whose `keep` flag is set, in order.
  absl::Status Retain(const std::vector<bool>& keep);

  // vectors.cc. Gives the articles added since the last call their dense
  // vectors; computes outside `lock` (if given) and takes it exclusively
  // to install them.
  absl::Status UpdateVectors(AddReport* report, RwLock* lock = nullptr);
  absl::Status TrainProjection();
  absl::StatusOr<Projection> NewProjection() const;
  // Dense vectors of articles [begin, end), row by row.
  std::vector<float> ProjectRange(uint32_t begin, uint32_t end) const {
    return ProjectRange(projection_, begin, end);
  }
  std::vector<float> ProjectRange(const Projection& projection, uint32_t begin,
                                  uint32_t end) const;
  absl::Status RebuildVectorStore();
  // A vector store holding `dense` (rows of `dims` floats), trained on a
  // sample drawn with `sample_seed`.
  absl::StatusOr<std::unique_ptr<VectorStore>> NewVectorStore(
      const std::vector<float>& dense, int dims, uint64_t sample_seed) const;

  // scoring.cc.
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
  // story.cc. The kKeyTerms key terms of stored article `doc`, and of a
  // query; where the stored dense vector of `doc` lies (dims() floats).
  // REQUIRES: PrepareStory with them.
  const uint32_t* DocKeyTerms(uint32_t doc) const {
    return &doc_key_terms_[static_cast<size_t>(doc) * kKeyTerms];
  }
  const uint32_t* QueryKeyTerms(const ScoringQuery& q) const;
  double DenseCosine(const ScoringQuery& q, uint32_t doc) const;
  const float* DenseOf(uint32_t doc) const { return dense_of_[doc]; }
  // Drops what is built on first use (Lsh, Tables, KeyTerms) after a
  // change.
  void DropDerived();
  TermCounts Counts(uint32_t doc) const;
  SparseVector Weighted(uint32_t doc) const;
  // A stored article as a query, with its TF-IDF and dense vectors
  // computed anew.
  ScoringQuery StoredQuery(uint32_t doc) const;
  // A stored article as a query that only views: `dense` holds its dims
  // floats and `weights` the TF-IDF weights of all of terms_.ids
  // (AllWeights); both must outlive the query. Null leaves that part
  // empty.
  ScoringQuery StoredView(uint32_t doc, const float* dense,
                          const float* weights) const;
  // An article outside the index as a query.
  ScoringQuery OutsideQuery(const Article& article) const;
  // The cosine of the query vector held by `q` with stored article `doc`,
  // equal to Dot(q, Weighted(doc)).
  float StoredCosine(const SparseLookup& q, uint32_t doc) const;

  // query.cc.
  absl::StatusOr<std::vector<uint32_t>> Candidates(
      const ScoringQuery& q, const QueryOptions& options) const;
  std::vector<Match> Rank(const ScoringQuery& q,
                          std::vector<uint32_t> candidates,
                          const QueryOptions& options) const;
  // Every stored article (but the query) that Rank could return for `q`
  // under `options`.
  std::vector<uint32_t> AllPossibleMatches(const ScoringQuery& q,
                                           const QueryOptions& options) const;

  IndexParams params_;
  OpenOptions options_;
  LshParams lsh_params_;
  std::unique_ptr<FeatureExtractor> extractor_;
  std::unique_ptr<IndexDir> dir_;
  std::unique_ptr<IndexLog> log_;  // Writers only.
  std::atomic<uint64_t> generation_{0};
  std::atomic<uint64_t> log_bytes_{0};
  mutable std::mutex data_path_mu_;
  std::string data_path_;  // data_path_mu_.
  // The operations since the last commit (the next log record's payload,
  // without its count) and their count.
  std::string pending_;
  uint32_t pending_ops_ = 0;
  // The changes since the last commit need a new generation: the index is
  // new, compacted, or the pending record outgrew the log's limit.
  bool full_commit_ = false;
  bool replaying_ = false;  // Replay: nothing is logged.
  mutable std::mutex writer_mu_;
  mutable RwLock state_mu_;
  std::vector<std::pair<std::string, uint64_t>> section_bytes_;  // data_path_mu_.
  ReaderOptions field_names_;

  std::vector<ArticleInfo> articles_;
  absl::flat_hash_map<std::string, uint32_t> by_id_;
  std::vector<uint32_t> signatures_;       // n x num_perm.
  std::vector<uint32_t> char_signatures_;  // n x char_perm.
  TermTable terms_;
  Vocabulary vocabulary_;
  ChromeModel chrome_;
  ChromeGrowth growth_;
  Projection projection_;
  uint64_t projection_trained_on_ = 0;  // Articles when last trained.
  std::unique_ptr<VectorStore> vectors_;

  mutable std::mutex lsh_mu_;
  mutable std::unique_ptr<LshIndex> lsh_;  // Built on first use.
  mutable int lsh_scans_ = 0;  // Queries answered by a scan; lsh_mu_.
  mutable std::mutex tables_mu_;
  mutable std::unique_ptr<WeightTables> tables_;  // Built on first use.
  mutable std::mutex key_terms_mu_;
  mutable std::unique_ptr<KeyTermIndex> key_terms_;  // Built on first use.
  // kKeyTerms key terms per article, with key_terms_; key_terms_mu_.
  mutable std::vector<uint32_t> doc_key_terms_;
  mutable std::mutex dense_mu_;
  // Where each stored dense vector lies (VectorStore::Vectors), built on
  // first use; dropped by DropDerived, which every change that touches the
  // vectors calls first (no query runs until the change is done).
  mutable std::vector<const float*> dense_of_;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CORE_INDEX_CORE_H_
