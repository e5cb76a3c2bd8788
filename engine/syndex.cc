#include "engine/syndex.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "engine/index/index_dir.h"
#include "engine/index/section_file.h"
#include "engine/relations/cluster.h"
#include "engine/text/normalize.h"
#include "engine/text/tokenize.h"
#include "engine/util/bytes.h"
#include "engine/util/hash.h"
#include "engine/util/memory.h"
#include "engine/util/parallel.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// The format version of the index contents (docs/format.md, "Index
// contents").
constexpr uint32_t kFormatVersion = 3;
// Identifies the hash function family of shingles and signatures:
// 3 = folded-multiply token and shingle hashes (hash.h), one character gram
// in four signed, one-permutation MinHash with optimal densification
// (minhash.h). Families 1 (k multiply-shift permutations) and 2 (XXH3-64
// tokens and shingles, every character gram) are no longer read.
constexpr uint32_t kHashFamily = 3;

constexpr uint32_t kParams = SectionTag("PARM");
constexpr uint32_t kArticles = SectionTag("ARTS");
constexpr uint32_t kSignatures = SectionTag("SIGS");
constexpr uint32_t kCharSignatures = SectionTag("CSIG");
constexpr uint32_t kTerms = SectionTag("TERM");
constexpr uint32_t kVocabulary = SectionTag("VOCB");
constexpr uint32_t kChrome = SectionTag("CHRM");
constexpr uint32_t kProjection = SectionTag("PROJ");
constexpr uint32_t kVectors = SectionTag("VECS");

constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();
// Items per parallel work chunk.
constexpr size_t kGrain = 256;
// Articles projected together (ProjectRange): their dense rows (8 MiB at
// 256 dimensions) stay in cache while the basis streams past.
constexpr size_t kProjectBatch = 8192;
// Nearest neighbours searched per article in Cluster beyond the story
// graph's: room for the copies that fill some of the first places.
constexpr int kExtraNeighbours = 5;
// Lists probed by the search for an article that is not its copy group's
// canonical article.
constexpr uint8_t kCopyProbes = 4;
// Key terms kept per article (tfidf/key_terms.h).
constexpr int kKeyTerms = 8;
// A query's key-term candidates share at least this many of its key terms
// (RunOptions::key_term_candidates)...
constexpr int kMinSharedKeyTerms = 2;
// ...and only key terms of at most this many articles count.
constexpr size_t kMaxKeyTermDocs = 2000;
// Dense nearest neighbours proposed as candidates for a query of the k best
// matches, beside the LSH candidates (RunOptions::dense_candidates).
int DenseCandidates(const RunOptions& run, int k) {
  return run.dense_candidates > 0 ? run.dense_candidates
                                  : std::max(5 * k, 50);
}

// The order that picks canonical articles: earliest `published` (articles
// without one come last), then the most shingles (the fullest copy), then
// the smallest id.
bool CanonicalBefore(const ArticleInfo& a, const ArticleInfo& b) {
  const int64_t ta = a.published.value_or(std::numeric_limits<int64_t>::max());
  const int64_t tb = b.published.value_or(std::numeric_limits<int64_t>::max());
  if (ta != tb) return ta < tb;
  if (a.shingles != b.shingles) return a.shingles > b.shingles;
  return a.id < b.id;
}

// exp(-(days - window) / window) beyond the window, 1 within it or when a
// date is missing.
double TimeFactor(const ArticleInfo& a, const ArticleInfo& b, double window) {
  if (!a.published || !b.published || window <= 0) return 1.0;
  const double days =
      std::fabs(static_cast<double>(*a.published - *b.published)) / 86400.0;
  return days <= window ? 1.0 : std::exp(-(days - window) / window);
}

// Pairs ahead of the one being scored whose second article is fetched
// into the cache (VerifyCopies, StoryLabels).
constexpr size_t kPairsAhead = 4;

// Asks for the cache lines of [p, p + bytes) ahead of use.
void PrefetchBytes(const void* p, size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (size_t i = 0; i < bytes; i += 64) __builtin_prefetch(c + i);
}

uint64_t PairKey(uint32_t a, uint32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(a) << 32) | b;
}

void WriteParams(const IndexParams& p, const LshParams& lsh,
                 uint64_t trained_on, uint64_t count, ByteWriter* w) {
  w->U32(kNormalizerVersion);
  w->U32(kHashFamily);
  w->U32(p.shingle_size);
  w->U64(p.seed);
  w->U32(p.num_perm);
  w->U32(p.char_perm);
  w->U32(lsh.bands);
  w->U32(lsh.rows);
  w->F64(p.lsh_threshold);
  w->F64(p.lsh_min_recall);
  w->U32(p.min_df);
  w->U32(p.projection.dims);
  w->U32(p.projection.oversample);
  w->U32(p.projection.power_iterations);
  w->U32(p.projection.max_terms);
  w->U64(p.projection.seed);
  w->U32(p.training_sample);
  w->U32(p.boilerplate.max_line_tokens);
  w->U32(p.boilerplate.min_source_docs);
  w->U32(p.boilerplate.min_corpus_docs);
  w->F64(p.boilerplate.corpus_fraction);
  w->I64(p.exact_limit);
  w->U64(trained_on);
  w->U64(count);
}

absl::Status ReadInt(ByteReader* r, int* v) {
  uint32_t u = 0;
  SYNDEX_RETURN_IF_ERROR(r->U32(&u));
  *v = static_cast<int>(u);
  return absl::OkStatus();
}

// Reads PARM and checks that this build can use it.
absl::Status ReadParams(ByteReader* r, IndexParams* p, LshParams* lsh,
                        uint64_t* trained_on, uint64_t* count) {
  uint32_t normalizer = 0, family = 0, max_terms = 0, min_df = 0, sample = 0;
  SYNDEX_RETURN_IF_ERROR(r->U32(&normalizer));
  SYNDEX_RETURN_IF_ERROR(r->U32(&family));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->shingle_size));
  SYNDEX_RETURN_IF_ERROR(r->U64(&p->seed));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->num_perm));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->char_perm));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &lsh->bands));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &lsh->rows));
  SYNDEX_RETURN_IF_ERROR(r->F64(&p->lsh_threshold));
  SYNDEX_RETURN_IF_ERROR(r->F64(&p->lsh_min_recall));
  SYNDEX_RETURN_IF_ERROR(r->U32(&min_df));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->projection.dims));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->projection.oversample));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->projection.power_iterations));
  SYNDEX_RETURN_IF_ERROR(r->U32(&max_terms));
  SYNDEX_RETURN_IF_ERROR(r->U64(&p->projection.seed));
  SYNDEX_RETURN_IF_ERROR(r->U32(&sample));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->boilerplate.max_line_tokens));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->boilerplate.min_source_docs));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->boilerplate.min_corpus_docs));
  SYNDEX_RETURN_IF_ERROR(r->F64(&p->boilerplate.corpus_fraction));
  SYNDEX_RETURN_IF_ERROR(r->I64(&p->exact_limit));
  SYNDEX_RETURN_IF_ERROR(r->U64(trained_on));
  SYNDEX_RETURN_IF_ERROR(r->U64(count));
  p->min_df = min_df;
  p->projection.max_terms = max_terms;
  p->training_sample = sample;
  if (normalizer != kNormalizerVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        r->what(), ": built with text normalizer version ", normalizer,
        ", this build has version ", kNormalizerVersion,
        "; re-create the index with `syndex index`"));
  }
  if (family != kHashFamily) {
    return absl::FailedPreconditionError(absl::StrCat(
        r->what(), ": signatures of hash family ", family,
        ", this build computes family ", kHashFamily,
        "; re-create the index with `syndex index`"));
  }
  if (p->shingle_size < 1 || p->shingle_size > 64 || p->num_perm <= 0 ||
      p->num_perm % 8 != 0 || p->num_perm > 4096 || p->char_perm <= 0 ||
      p->char_perm % 8 != 0 || p->char_perm > 4096 || lsh->bands <= 0 ||
      lsh->rows <= 0 ||
      int64_t{lsh->bands} * lsh->rows > p->num_perm ||
      p->projection.dims <= 0 || p->projection.dims > 4096 ||
      p->projection.oversample < 0 || p->projection.oversample > 4096 ||
      p->projection.power_iterations < 0 ||
      p->projection.power_iterations > 64 ||
      p->projection.max_terms == 0 || p->projection.max_terms > (1u << 26) ||
      p->training_sample == 0 || p->exact_limit < 0 ||
      !(p->lsh_threshold > 0 && p->lsh_threshold < 1) ||
      !(p->lsh_min_recall > 0 && p->lsh_min_recall < 1) ||
      p->boilerplate.max_line_tokens < 0 ||
      p->boilerplate.min_source_docs < 1 ||
      p->boilerplate.min_corpus_docs < 1 ||
      !(p->boilerplate.corpus_fraction >= 0 &&
        p->boilerplate.corpus_fraction <= 1)) {
    return r->Fail("parameters out of range");
  }
  return absl::OkStatus();
}

void WriteArticles(const std::vector<ArticleInfo>& articles, ByteWriter* w) {
  w->U64(articles.size());
  for (const ArticleInfo& a : articles) {
    w->String(a.id);
    w->String(a.title);
    w->String(a.source);
    w->String(a.url);
    w->I64(a.published.value_or(kNoTime));
    w->U64(a.content_hash);
    w->U32(a.shingles);
    w->U32(a.char_grams);
  }
}

absl::Status ReadArticleInfos(ByteReader* r, std::vector<ArticleInfo>* out) {
  uint64_t n = 0;
  SYNDEX_RETURN_IF_ERROR(r->U64(&n));
  // Each record takes at least 4 x 8 + 8 + 8 + 4 + 4 bytes.
  if (n > r->remaining() / 56) return r->Fail("article count out of range");
  out->clear();
  ReserveHuge(out, n);
  out->resize(n);
  for (ArticleInfo& a : *out) {
    int64_t published = 0;
    SYNDEX_RETURN_IF_ERROR(r->String(&a.id));
    SYNDEX_RETURN_IF_ERROR(r->String(&a.title));
    SYNDEX_RETURN_IF_ERROR(r->String(&a.source));
    SYNDEX_RETURN_IF_ERROR(r->String(&a.url));
    SYNDEX_RETURN_IF_ERROR(r->I64(&published));
    SYNDEX_RETURN_IF_ERROR(r->U64(&a.content_hash));
    SYNDEX_RETURN_IF_ERROR(r->U32(&a.shingles));
    SYNDEX_RETURN_IF_ERROR(r->U32(&a.char_grams));
    if (published != kNoTime) a.published = published;
    if (a.id.empty()) return r->Fail("empty article id");
  }
  return absl::OkStatus();
}

// Calls `fn` on every article of the files `paths` in order, stopping at
// the first error; the lines the readers skip are counted in `skipped`.
absl::Status ForEachArticle(
    const std::vector<std::string>& paths, const ReaderOptions& options,
    std::map<std::string, int64_t>* skipped,
    const std::function<absl::Status(Article)>& fn) {
  for (const std::string& path : paths) {
    SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<JsonlReader> reader,
                            JsonlReader::Open(path, options));
    for (;;) {
      Article article;
      SYNDEX_ASSIGN_OR_RETURN(bool more, reader->Next(&article));
      if (!more) break;
      SYNDEX_RETURN_IF_ERROR(fn(std::move(article)));
    }
    for (const auto& [reason, count] : reader->skipped()) {
      (*skipped)[reason] += count;
    }
  }
  return absl::OkStatus();
}

// Checks that a section was read to its end.
absl::Status ExpectEnd(ByteReader* r) {
  if (r->remaining() != 0) return r->Fail("trailing bytes");
  return absl::OkStatus();
}

}  // namespace

// The features of one article's text.
struct Index::Features {
  std::string body;  // Normalized text without chrome.
  uint64_t content_hash = 0;
  uint32_t shingles = 0;
  std::vector<uint32_t> signature;
  uint32_t char_grams = 0;
  std::vector<uint32_t> char_signature;
};

// A query: a stored article or an outside one, in the form scoring needs.
// The signatures, the dense vector and the TF-IDF vector are views, into
// the index or a caller's buffers (StoredView) or into the query's own
// members. Moving keeps them valid (vectors keep their buffers); copying
// would not, so queries are move-only.
struct Index::Query {
  Query() = default;
  Query(Query&&) = default;
  Query& operator=(Query&&) = default;

  std::optional<uint32_t> self;
  uint64_t content_hash = 0;
  uint32_t shingles = 0;
  uint32_t char_grams = 0;
  const uint32_t* signature = nullptr;
  const uint32_t* char_signature = nullptr;
  const float* dense = nullptr;
  SparseView weighted;

  std::vector<uint32_t> own_signature;
  std::vector<uint32_t> own_char_signature;
  std::vector<float> own_dense;
  SparseVector own_weighted;
};

Index::Index(const IndexParams& params, const RunOptions& run)
    : params_(params), run_(run) {}

Index::~Index() = default;

absl::Status Index::InitDerived() {
  if (params_.lsh_threshold <= 0 || params_.lsh_threshold >= 1 ||
      params_.lsh_min_recall <= 0 || params_.lsh_min_recall >= 1) {
    return absl::InvalidArgumentError(
        "LSH threshold and recall must lie strictly between 0 and 1");
  }
  if (params_.num_perm <= 0 || params_.num_perm % 8 != 0 ||
      params_.char_perm <= 0 || params_.char_perm % 8 != 0) {
    return absl::InvalidArgumentError(
        "the number of permutations must be a positive multiple of 8");
  }
  if (params_.shingle_size < 1 || params_.shingle_size > 64) {
    return absl::InvalidArgumentError("shingle size must be 1 to 64");
  }
  if (lsh_params_.bands == 0) {
    lsh_params_ = ChooseLshParams(params_.num_perm, params_.lsh_threshold,
                                  params_.lsh_min_recall);
  }
  minhasher_ = std::make_unique<MinHasher>(params_.num_perm, params_.seed);
  char_hasher_ =
      std::make_unique<MinHasher>(params_.char_perm, Mix64(params_.seed));
  params_.projection.threads = run_.threads;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Index>> Index::Create(const std::string& dir,
                                                     const IndexParams& params,
                                                     bool overwrite,
                                                     const RunOptions& run) {
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<IndexDir> index_dir,
                          IndexDir::OpenForWrite(dir, /*create=*/true));
  if (index_dir->has_data() && !overwrite) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, ": an index exists here; use `syndex add` to extend it or "
             "--overwrite to replace it"));
  }
  std::unique_ptr<Index> index(new Index(params, run));
  SYNDEX_RETURN_IF_ERROR(index->InitDerived());
  index->dir_ = std::move(index_dir);
  return index;
}

absl::StatusOr<std::unique_ptr<Index>> Index::Open(const std::string& dir,
                                                   bool for_write,
                                                   const RunOptions& run) {
  std::unique_ptr<IndexDir> index_dir;
  if (for_write) {
    SYNDEX_ASSIGN_OR_RETURN(index_dir,
                            IndexDir::OpenForWrite(dir, /*create=*/false));
    if (!index_dir->has_data()) {
      return absl::NotFoundError(absl::StrCat(dir, ": no syndex index here"));
    }
  } else {
    SYNDEX_ASSIGN_OR_RETURN(index_dir, IndexDir::OpenForRead(dir));
  }
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file,
                          index_dir->MapCurrent());
  std::unique_ptr<Index> index(new Index(IndexParams(), run));
  // Each section's pages leave memory once checked and once parsed, so
  // that the mapped file and its parsed copy are not both held.
  const auto release = [&file](absl::string_view bytes) {
    file->Release(bytes);
  };
  SYNDEX_RETURN_IF_ERROR(index->Load(file->data(), file->path(), release));
  index->dir_ = std::move(index_dir);
  return index;
}

absl::Status Index::Load(
    absl::string_view data, const std::string& name,
    const std::function<void(absl::string_view)>& release) {
  SYNDEX_ASSIGN_OR_RETURN(SectionFileReader file,
                          SectionFileReader::Open(data, name, kFormatVersion,
                                                  run_.threads, release));
  const SectionReaders reader = [&](uint32_t tag) -> absl::StatusOr<ByteReader> {
    SYNDEX_ASSIGN_OR_RETURN(absl::string_view bytes, file.Get(tag));
    return ByteReader(bytes, absl::StrCat(name, ": section ", TagName(tag)));
  };
  uint64_t count = 0;
  {
    SYNDEX_ASSIGN_OR_RETURN(ByteReader r, reader(kParams));
    SYNDEX_RETURN_IF_ERROR(ReadParams(&r, &params_, &lsh_params_,
                                      &projection_trained_on_, &count));
    SYNDEX_RETURN_IF_ERROR(ExpectEnd(&r));
  }
  SYNDEX_RETURN_IF_ERROR(InitDerived());
  // The other sections are parsed in parallel, then checked against each
  // other. Errors are reported in this order.
  const std::vector<std::function<absl::Status()>> parts = {
      [&]() -> absl::Status {
        SYNDEX_ASSIGN_OR_RETURN(ByteReader r, reader(kArticles));
        SYNDEX_RETURN_IF_ERROR(ReadArticleInfos(&r, &articles_));
        SYNDEX_RETURN_IF_ERROR(ExpectEnd(&r));
        if (articles_.size() != count) return r.Fail("article count mismatch");
        by_id_.reserve(articles_.size());
        for (uint32_t i = 0; i < articles_.size(); ++i) {
          if (!by_id_.emplace(articles_[i].id, i).second) {
            return r.Fail(absl::StrCat("duplicate article id '",
                                       articles_[i].id, "'"));
          }
        }
        return absl::OkStatus();
      },
      [&]() -> absl::Status {
        SYNDEX_ASSIGN_OR_RETURN(ByteReader r, reader(kVocabulary));
        SYNDEX_RETURN_IF_ERROR(Vocabulary::ReadFrom(&r, &vocabulary_));
        SYNDEX_RETURN_IF_ERROR(ExpectEnd(&r));
        if (vocabulary_.num_docs() != count) {
          return r.Fail("document count differs from the article count");
        }
        return absl::OkStatus();
      },
      [&]() -> absl::Status {
        return LoadSignatures(reader, kSignatures, params_.num_perm, count,
                              &signatures_);
      },
      [&]() -> absl::Status {
        return LoadSignatures(reader, kCharSignatures, params_.char_perm,
                              count, &char_signatures_);
      },
      [&]() -> absl::Status {
        SYNDEX_ASSIGN_OR_RETURN(ByteReader r, reader(kTerms));
        SYNDEX_RETURN_IF_ERROR(ReadTermTable(&r, run_.threads, &terms_));
        SYNDEX_RETURN_IF_ERROR(ExpectEnd(&r));
        if (terms_.num_docs() != count) {
          return r.Fail("term table article count mismatch");
        }
        return absl::OkStatus();
      },
      [&]() -> absl::Status {
        SYNDEX_ASSIGN_OR_RETURN(ByteReader r, reader(kChrome));
        SYNDEX_RETURN_IF_ERROR(BoilerplateModel::ReadFrom(&r, &chrome_));
        SYNDEX_RETURN_IF_ERROR(ExpectEnd(&r));
        return count > 0 ? LoadVectors(reader, count) : absl::OkStatus();
      },
  };
  // The sections each part parses, released after it.
  const std::vector<std::vector<uint32_t>> part_sections = {
      {kArticles},   {kVocabulary},
      {kSignatures}, {kCharSignatures},
      {kTerms},      {kChrome, kProjection, kVectors}};
  // Longest parts first (at 1M articles: terms, vectors, articles), so
  // that no thread is left with a long one at the end.
  constexpr size_t kRunOrder[] = {4, 5, 0, 2, 3, 1};
  std::vector<absl::Status> status(parts.size());
  ParallelFor(parts.size(), ResolveThreads(run_.threads), 1,
              [&](size_t begin, size_t end, int) {
                for (size_t j = begin; j < end; ++j) {
                  const size_t i = kRunOrder[j];
                  status[i] = parts[i]();
                  for (uint32_t tag : part_sections[i]) {
                    const absl::StatusOr<absl::string_view> bytes =
                        file.Get(tag);
                    if (release && bytes.ok()) release(*bytes);
                  }
                }
              });
  for (const absl::Status& st : status) SYNDEX_RETURN_IF_ERROR(st);
  const uint32_t vocabulary_size = vocabulary_.size();
  std::atomic<bool> out_of_range{false};
  ParallelFor(terms_.ids.size(), ResolveThreads(run_.threads), size_t{1} << 22,
              [&](size_t begin, size_t end, int) {
                if (std::any_of(terms_.ids.begin() + begin,
                                terms_.ids.begin() + end, [&](uint32_t id) {
                                  return id >= vocabulary_size;
                                })) {
                  out_of_range = true;
                }
              });
  if (out_of_range) {
    return absl::DataLossError(
        absl::StrCat(name, ": section TERM: term id out of range"));
  }
  return absl::OkStatus();
}

absl::Status Index::LoadSignatures(const SectionReaders& reader,
                                   uint32_t tag, int perm, uint64_t count,
                                   std::vector<uint32_t>* signatures) {
  SYNDEX_ASSIGN_OR_RETURN(ByteReader r, reader(tag));
  SYNDEX_RETURN_IF_ERROR(r.Array(signatures));
  SYNDEX_RETURN_IF_ERROR(ExpectEnd(&r));
  if (signatures->size() != count * perm) {
    return r.Fail("signature count mismatch");
  }
  return absl::OkStatus();
}

absl::Status Index::LoadVectors(const SectionReaders& reader, uint64_t count) {
  {
    SYNDEX_ASSIGN_OR_RETURN(ByteReader r, reader(kProjection));
    SYNDEX_RETURN_IF_ERROR(Projection::ReadFrom(&r, &projection_));
    SYNDEX_RETURN_IF_ERROR(ExpectEnd(&r));
    if (projection_.dims() != params_.projection.dims) {
      return r.Fail("projection dimensions differ from the parameters");
    }
  }
  SYNDEX_ASSIGN_OR_RETURN(ByteReader v, reader(kVectors));
  VectorStoreOptions options;
  options.nprobe = run_.nprobe;
  options.threads = run_.threads;
  SYNDEX_ASSIGN_OR_RETURN(vectors_, VectorStore::ReadFrom(&v, options));
  SYNDEX_RETURN_IF_ERROR(ExpectEnd(&v));
  if (vectors_->dims() != projection_.dims() ||
      vectors_->size() != static_cast<int64_t>(count)) {
    return v.Fail("vector index does not match the articles");
  }
  return absl::OkStatus();
}

std::vector<Index::Section> Index::Sections() const {
  std::vector<Section> sections = {
      {kParams,
       [this](ByteWriter* w) {
         WriteParams(params_, lsh_params_, projection_trained_on_,
                     articles_.size(), w);
       }},
      {kArticles, [this](ByteWriter* w) { WriteArticles(articles_, w); }},
      {kSignatures, [this](ByteWriter* w) { w->Array(signatures_); }},
      {kCharSignatures, [this](ByteWriter* w) { w->Array(char_signatures_); }},
      {kVocabulary, [this](ByteWriter* w) { vocabulary_.AppendTo(w); }},
      {kTerms,
       [this](ByteWriter* w) { AppendTermTable(terms_, run_.threads, w); }},
      {kChrome, [this](ByteWriter* w) { chrome_.AppendTo(w); }},
  };
  if (!articles_.empty()) {
    sections.push_back(
        {kProjection, [this](ByteWriter* w) { projection_.AppendTo(w); }});
    sections.push_back(
        {kVectors, [this](ByteWriter* w) { vectors_->AppendTo(w); }});
  }
  return sections;
}

absl::Status Index::Commit() {
  // Streamed to disk section by section: the file is as large as the index.
  const std::vector<Section> sections = Sections();
  return dir_->CommitWith([&](const std::string& path) -> absl::Status {
    SYNDEX_ASSIGN_OR_RETURN(
        std::unique_ptr<SectionFileStream> file,
        SectionFileStream::Create(path, kFormatVersion, sections.size()));
    for (const auto& [tag, write] : sections) {
      SYNDEX_RETURN_IF_ERROR(file->Add(tag, write));
    }
    return file->Finish();
  });
}

std::string Index::data_path() const {
  return dir_ ? dir_->current_path() : std::string();
}

uint64_t Index::generation() const { return dir_ ? dir_->generation() : 0; }

std::string Index::vector_index_kind() const {
  return vectors_ ? vectors_->Describe() : "none";
}

std::optional<uint32_t> Index::Find(absl::string_view id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::string Index::StripChrome(const Article& article,
                               absl::string_view normalized) const {
  return chrome_.Strip(SourceKey(article.source, article.url), normalized);
}

std::string Index::Body(const Article& article) const {
  return StripChrome(article, NormalizeText(article.text));
}

ShingleOptions Index::shingle_options() const {
  ShingleOptions options;
  options.size = params_.shingle_size;
  options.seed = params_.seed;
  return options;
}

std::vector<uint64_t> Index::Shingles(
    const std::vector<absl::string_view>& tokens) const {
  return ShingleSequence(tokens, shingle_options());
}

void Index::Extract(const Article& article, absl::string_view normalized,
                    Features* f, std::vector<absl::string_view>* tokens) const {
  f->body = StripChrome(article, normalized);
  tokens->clear();
  Tokenize(f->body, tokens);
  // MinHash ignores order and repeats, so the sequence need not be sorted.
  const std::vector<uint64_t> shingles =
      ShingleSequence(*tokens, shingle_options(), f->body);
  f->shingles = static_cast<uint32_t>(
      CountDistinct(shingles.data(), shingles.size()));
  f->signature = minhasher_->Sign(shingles);
  std::string joined;
  JoinTokens(f->body, *tokens, &joined);
  f->char_grams = static_cast<uint32_t>(CharGramCount(joined.size()));
  std::vector<uint64_t> grams;
  SampleCharGrams(joined, params_.seed, &grams);
  f->char_signature = char_hasher_->Sign(grams);
  f->content_hash = Hash64(f->body, params_.seed);
}

absl::Status Index::CheckIds(std::vector<Article>* articles, bool skip_bad,
                             AddReport* report) const {
  absl::flat_hash_map<absl::string_view, size_t> seen;
  std::vector<bool> keep(articles->size(), true);
  for (size_t i = 0; i < articles->size(); ++i) {
    const Article& a = (*articles)[i];
    std::string problem, reason = "duplicate id";
    if (a.id.empty() || a.text.empty()) {
      reason = a.id.empty() ? "empty id" : "empty text";
      problem = reason;
    } else if (by_id_.contains(a.id)) {
      problem = absl::StrCat("duplicate id '", a.id, "' (already in the index)");
    } else if (auto [it, fresh] = seen.emplace(a.id, i); !fresh) {
      problem = absl::StrCat("duplicate id '", a.id, "' (first at ",
                             (*articles)[it->second].origin, ")");
    }
    if (problem.empty()) continue;
    if (!skip_bad) {
      return absl::InvalidArgumentError(
          a.origin.empty() ? problem : absl::StrCat(a.origin, ": ", problem));
    }
    ++report->skipped[reason];
    keep[i] = false;
  }
  std::vector<Article> kept;
  kept.reserve(articles->size());
  for (size_t i = 0; i < articles->size(); ++i) {
    if (keep[i]) kept.push_back(std::move((*articles)[i]));
  }
  *articles = std::move(kept);
  return absl::OkStatus();
}

void Index::LearnChrome(const std::vector<Article>& articles,
                        const std::vector<std::string>& normalized) {
  BoilerplateModel::Builder builder(params_.boilerplate);
  for (size_t i = 0; i < articles.size(); ++i) {
    builder.Observe(SourceKey(articles[i].source, articles[i].url),
                    normalized[i]);
  }
  chrome_ = std::move(builder).Build();
}

absl::Status Index::Add(std::vector<Article> articles, bool skip_bad,
                        AddReport* report) {
  SYNDEX_RETURN_IF_ERROR(AddTexts(std::move(articles), skip_bad, report));
  return UpdateVectors(report);
}

absl::Status Index::AddFiles(const std::vector<std::string>& paths,
                             const ReaderOptions& options, size_t batch_size,
                             AddReport* report) {
  std::vector<Article> batch;
  SYNDEX_RETURN_IF_ERROR(ForEachArticle(
      paths, options, &report->skipped, [&](Article article) {
        batch.push_back(std::move(article));
        if (batch.size() < std::max<size_t>(batch_size, 1)) {
          return absl::OkStatus();
        }
        absl::Status st = AddTexts(std::move(batch), options.skip_bad, report);
        batch.clear();
        return st;
      }));
  SYNDEX_RETURN_IF_ERROR(AddTexts(std::move(batch), options.skip_bad, report));
  return UpdateVectors(report);
}

absl::Status Index::AddTexts(std::vector<Article> articles, bool skip_bad,
                             AddReport* report) {
  SYNDEX_RETURN_IF_ERROR(CheckIds(&articles, skip_bad, report));
  if (articles.empty()) return absl::OkStatus();
  const int threads = ResolveThreads(run_.threads);
  const size_t n = articles.size();
  std::vector<std::string> normalized(n);
  {
    StageProgress progress(run_.progress, "normalize", n);
    ParallelFor(n, threads, kGrain, [&](size_t b, size_t e, int) {
      for (size_t i = b; i < e; ++i) {
        normalized[i] = NormalizeText(articles[i].text);
        std::string().swap(articles[i].text);  // Not needed any more.
      }
      progress.Add(e - b);
    });
  }
  if (articles_.empty()) LearnChrome(articles, normalized);
  std::vector<Features> features(n);
  std::vector<Vocabulary::Pending> terms(n);
  {
    StageProgress progress(run_.progress, "minhash", n);
    ParallelFor(n, threads, kGrain, [&](size_t b, size_t e, int) {
      std::vector<absl::string_view> tokens;
      for (size_t i = b; i < e; ++i) {
        Extract(articles[i], normalized[i], &features[i], &tokens);
        std::string().swap(normalized[i]);
        terms[i] = vocabulary_.Lookup(tokens);
      }
      progress.Add(e - b);
    });
  }
  normalized.clear();

  GrowHuge(&signatures_, signatures_.size() + n * params_.num_perm);
  GrowHuge(&char_signatures_, char_signatures_.size() + n * params_.char_perm);
  GrowHuge(&articles_, articles_.size() + n);
  StageProgress progress(run_.progress, "vocabulary", n);
  for (size_t i = 0; i < n; ++i) {
    progress.Add(1);
    Article& a = articles[i];
    Features& f = features[i];
    const TermCounts counts = vocabulary_.Complete(std::move(terms[i]));
    std::string().swap(f.body);
    vocabulary_.AddDocument(counts);
    terms_.ids.insert(terms_.ids.end(), counts.ids.begin(), counts.ids.end());
    for (uint32_t c : counts.counts) {
      terms_.counts.push_back(
          static_cast<uint16_t>(std::min<uint32_t>(c, 65535)));
    }
    terms_.offsets.push_back(terms_.ids.size());
    signatures_.insert(signatures_.end(), f.signature.begin(),
                       f.signature.end());
    char_signatures_.insert(char_signatures_.end(), f.char_signature.begin(),
                            f.char_signature.end());
    ArticleInfo info;
    info.id = std::move(a.id);
    info.title = std::move(a.title);
    info.source = std::move(a.source);
    info.url = std::move(a.url);
    info.published = a.published;
    info.content_hash = f.content_hash;
    info.shingles = f.shingles;
    info.char_grams = f.char_grams;
    by_id_.emplace(info.id, static_cast<uint32_t>(articles_.size()));
    articles_.push_back(std::move(info));
  }
  report->added += n;
  DropDerived();
  return absl::OkStatus();
}

absl::Status Index::UpdateVectors(AddReport* report) {
  const uint32_t first =
      vectors_ == nullptr ? 0 : static_cast<uint32_t>(vectors_->size());
  if (first == articles_.size()) return absl::OkStatus();
  if (vectors_ == nullptr || articles_.size() >= 2 * projection_trained_on_) {
    SYNDEX_RETURN_IF_ERROR(TrainProjection());
    report->refreshed_projection = true;
    return RebuildVectorStore();
  }
  const std::vector<float> dense = ProjectRange(first, articles_.size());
  return vectors_->Add(articles_.size() - first, dense.data());
}

namespace {

// Up to `limit` distinct numbers from [0, n), chosen by a seeded partial
// Fisher-Yates shuffle, in ascending order.
std::vector<uint32_t> Sample(uint32_t n, uint32_t limit, uint64_t seed) {
  std::vector<uint32_t> all(n);
  std::iota(all.begin(), all.end(), 0u);
  if (n <= limit) return all;
  SplitMix64 rng(seed);
  for (uint32_t i = 0; i < limit; ++i) {
    const uint32_t j = i + static_cast<uint32_t>(rng.Next() % (n - i));
    std::swap(all[i], all[j]);
  }
  all.resize(limit);
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace

absl::Status Index::TrainProjection() {
  const std::vector<uint32_t> sample =
      Sample(static_cast<uint32_t>(articles_.size()), params_.training_sample,
             params_.seed);
  std::vector<SparseVector> rows(sample.size());
  ParallelFor(sample.size(), ResolveThreads(run_.threads), kGrain,
              [&](size_t b, size_t e, int) {
                for (size_t i = b; i < e; ++i) rows[i] = Weighted(sample[i]);
              });
  std::vector<uint32_t> df(vocabulary_.size());
  for (uint32_t t = 0; t < df.size(); ++t) df[t] = vocabulary_.df(t);
  SYNDEX_ASSIGN_OR_RETURN(projection_,
                          Projection::Train(rows, df, params_.projection));
  projection_trained_on_ = articles_.size();
  return absl::OkStatus();
}

std::vector<float> Index::ProjectRange(uint32_t begin, uint32_t end) const {
  const int d = projection_.dims();
  std::vector<float> out(static_cast<size_t>(end - begin) * d);
  StageProgress progress(run_.progress, "project", end - begin);
  // In batches, which read the basis in order (Projection::ProjectBatch).
  ParallelFor(end - begin, ResolveThreads(run_.threads), kProjectBatch,
              [&](size_t b, size_t e, int) {
                std::vector<SparseVector> batch(e - b);
                for (size_t i = b; i < e; ++i) {
                  batch[i - b] = Weighted(begin + i);
                }
                projection_.ProjectBatch(batch, &out[b * d]);
                progress.Add(e - b);
              });
  return out;
}

absl::StatusOr<std::unique_ptr<VectorStore>> Index::NewVectorStore(
    const std::vector<float>& dense, uint64_t sample_seed) const {
  const int d = projection_.dims();
  const uint32_t n = static_cast<uint32_t>(dense.size() / d);
  const std::vector<uint32_t> sample =
      Sample(n,
             static_cast<uint32_t>(
                 VectorStore::TrainingSize(n, params_.training_sample)),
             sample_seed);
  std::vector<float> training(sample.size() * d);
  for (size_t i = 0; i < sample.size(); ++i) {
    std::copy_n(&dense[static_cast<size_t>(sample[i]) * d], d,
                &training[i * d]);
  }
  VectorStoreOptions options;
  options.exact_limit = params_.exact_limit;
  options.nprobe = run_.nprobe;
  options.seed = params_.seed;
  options.threads = run_.threads;
  SYNDEX_ASSIGN_OR_RETURN(
      std::unique_ptr<VectorStore> store,
      VectorStore::Create(d, n, training.data(), sample.size(), options));
  SYNDEX_RETURN_IF_ERROR(store->Add(n, dense.data()));
  return store;
}

absl::Status Index::RebuildVectorStore() {
  SYNDEX_ASSIGN_OR_RETURN(
      vectors_, NewVectorStore(ProjectRange(0, articles_.size()),
                               Mix64(params_.seed)));
  return absl::OkStatus();
}

absl::Status Index::Remove(const std::vector<std::string>& ids) {
  std::vector<bool> keep(articles_.size(), true);
  for (const std::string& id : ids) {
    const std::optional<uint32_t> doc = Find(id);
    if (!doc) {
      return absl::NotFoundError(absl::StrCat("no article with id '", id, "'"));
    }
    keep[*doc] = false;
  }
  return Retain(keep);
}

absl::StatusOr<size_t> Index::Evict(int64_t before) {
  std::vector<bool> keep(articles_.size(), true);
  size_t removed = 0;
  for (size_t i = 0; i < articles_.size(); ++i) {
    const auto& published = articles_[i].published;
    if (published && *published < before) {
      keep[i] = false;
      ++removed;
    }
  }
  SYNDEX_RETURN_IF_ERROR(Retain(keep));
  return removed;
}

absl::Status Index::Retain(const std::vector<bool>& keep) {
  std::vector<ArticleInfo> articles;
  std::vector<uint32_t> signatures, char_signatures;
  TermTable terms;
  const size_t perm = params_.num_perm;
  for (uint32_t i = 0; i < articles_.size(); ++i) {
    if (!keep[i]) {
      vocabulary_.RemoveDocument(Counts(i));
      continue;
    }
    articles.push_back(std::move(articles_[i]));
    signatures.insert(signatures.end(), Signature(i), Signature(i) + perm);
    char_signatures.insert(char_signatures.end(), CharSignature(i),
                           CharSignature(i) + params_.char_perm);
    const uint64_t b = terms_.offsets[i], e = terms_.offsets[i + 1];
    terms.ids.insert(terms.ids.end(), terms_.ids.begin() + b,
                     terms_.ids.begin() + e);
    terms.counts.insert(terms.counts.end(), terms_.counts.begin() + b,
                        terms_.counts.begin() + e);
    terms.offsets.push_back(terms.ids.size());
  }
  articles_ = std::move(articles);
  signatures_ = std::move(signatures);
  char_signatures_ = std::move(char_signatures);
  terms_ = std::move(terms);
  by_id_.clear();
  for (uint32_t i = 0; i < articles_.size(); ++i) by_id_[articles_[i].id] = i;
  DropDerived();
  if (articles_.empty()) {
    vectors_.reset();
    projection_trained_on_ = 0;
    return absl::OkStatus();
  }
  // The projection stays; the vectors of the remaining articles are
  // recomputed from their term counts.
  return RebuildVectorStore();
}

absl::StatusOr<size_t> Index::Compact() {
  Vocabulary compacted;
  std::vector<uint32_t> new_id(vocabulary_.size(), Vocabulary::kUnknown);
  for (uint32_t t = 0; t < vocabulary_.size(); ++t) {
    if (vocabulary_.df(t) > 0) new_id[t] = compacted.FindOrAdd(vocabulary_.term(t));
  }
  for (uint32_t i = 0; i < articles_.size(); ++i) {
    TermCounts counts = Counts(i);
    for (uint32_t& id : counts.ids) id = new_id[id];
    compacted.AddDocument(counts);
  }
  for (uint32_t& id : terms_.ids) id = new_id[id];
  const size_t dropped = vocabulary_.size() - compacted.size();
  vocabulary_ = std::move(compacted);
  DropDerived();
  if (articles_.empty()) return dropped;
  // Term ids changed, so the projection is learned anew.
  SYNDEX_RETURN_IF_ERROR(TrainProjection());
  SYNDEX_RETURN_IF_ERROR(RebuildVectorStore());
  return dropped;
}

void Index::DropDerived() {
  lsh_.reset();
  tables_.reset();
  key_terms_.reset();
}

const WeightTables& Index::Tables() const {
  std::lock_guard<std::mutex> lock(tables_mu_);
  if (tables_ == nullptr) {
    tables_ = std::make_unique<WeightTables>(vocabulary_, params_.min_df,
                                             ResolveThreads(run_.threads));
  }
  return *tables_;
}

const LshIndex& Index::Lsh() const {
  std::lock_guard<std::mutex> lock(lsh_mu_);
  if (lsh_ == nullptr) {
    auto lsh = std::make_unique<LshIndex>(lsh_params_, params_.seed);
    const int threads = ResolveThreads(run_.threads);
    lsh->AddBatch(0, signatures_.data(), articles_.size(), params_.num_perm,
                  threads);
    lsh->Freeze(threads);
    lsh_ = std::move(lsh);
  }
  return *lsh_;
}

void Index::LshCandidates(const uint32_t* signature,
                          std::vector<uint32_t>* out) const {
  bool scan = false;
  {
    std::lock_guard<std::mutex> lock(lsh_mu_);
    if (lsh_ == nullptr && lsh_scans_ < kLshScans) {
      ++lsh_scans_;
      scan = true;
    }
  }
  if (!scan) {
    Lsh().Query(signature, out);
    return;
  }
  LshIndex(lsh_params_, params_.seed)
      .Scan(signature, signatures_.data(), articles_.size(), params_.num_perm,
            ResolveThreads(run_.threads), out);
}

const KeyTermIndex& Index::KeyTerms() const {
  std::lock_guard<std::mutex> lock(key_terms_mu_);
  if (key_terms_ == nullptr) {
    const WeightTables& tables = Tables();
    const int threads = ResolveThreads(run_.threads);
    std::vector<uint32_t> keys(articles_.size() * kKeyTerms);
    std::vector<std::vector<float>> scratch(threads);
    ParallelFor(articles_.size(), threads, kGrain,
                [&](size_t begin, size_t end, int worker) {
                  std::vector<float>& w = scratch[worker];
                  for (size_t doc = begin; doc < end; ++doc) {
                    const uint64_t b = terms_.offsets[doc];
                    w.resize(terms_.offsets[doc + 1] - b);
                    tables.WeighInPlace(&terms_.ids[b], &terms_.counts[b],
                                        w.size(), w.data());
                    TopTerms(&terms_.ids[b], w.data(), w.size(), kKeyTerms,
                             &keys[doc * kKeyTerms]);
                  }
                });
    key_terms_ = std::make_unique<KeyTermIndex>(
        keys, kKeyTerms, static_cast<uint32_t>(vocabulary_.size()));
  }
  return *key_terms_;
}

TermCounts Index::Counts(uint32_t doc) const {
  TermCounts c;
  const uint64_t b = terms_.offsets[doc], e = terms_.offsets[doc + 1];
  c.ids.assign(terms_.ids.begin() + b, terms_.ids.begin() + e);
  c.counts.assign(terms_.counts.begin() + b, terms_.counts.begin() + e);
  return c;
}

SparseVector Index::Weighted(uint32_t doc) const {
  const uint64_t b = terms_.offsets[doc], n = terms_.offsets[doc + 1] - b;
  std::vector<float> weights(n);
  Tables().WeighInPlace(&terms_.ids[b], &terms_.counts[b], n, weights.data());
  return NonZeros({&terms_.ids[b], weights.data(), n});
}

std::vector<float> Index::AllWeights() const {
  const WeightTables& tables = Tables();
  std::vector<float> weights(terms_.ids.size());
  ParallelFor(articles_.size(), ResolveThreads(run_.threads), kGrain,
              [&](size_t begin, size_t end, int) {
                for (size_t doc = begin; doc < end; ++doc) {
                  const uint64_t b = terms_.offsets[doc];
                  tables.WeighInPlace(&terms_.ids[b], &terms_.counts[b],
                                      terms_.offsets[doc + 1] - b, &weights[b]);
                }
              });
  return weights;
}

Index::Query Index::StoredView(uint32_t doc, const float* dense,
                               const float* weights) const {
  Query q;
  q.self = doc;
  q.content_hash = articles_[doc].content_hash;
  q.shingles = articles_[doc].shingles;
  q.signature = Signature(doc);
  q.char_grams = articles_[doc].char_grams;
  q.char_signature = CharSignature(doc);
  if (weights != nullptr) {
    const uint64_t b = terms_.offsets[doc];
    q.weighted = {&terms_.ids[b], weights + b, terms_.offsets[doc + 1] - b};
  }
  q.dense = dense;
  return q;
}

Index::Query Index::StoredQuery(uint32_t doc) const {
  Query q = StoredView(doc, nullptr, nullptr);
  q.own_weighted = Weighted(doc);
  q.weighted = View(q.own_weighted);
  q.own_dense.resize(projection_.dims());
  projection_.Project(q.own_weighted, q.own_dense.data());
  q.dense = q.own_dense.data();
  return q;
}

float Index::StoredCosine(const SparseLookup& q, uint32_t doc) const {
  const uint64_t b = terms_.offsets[doc];
  return Tables().Dot(q, &terms_.ids[b], &terms_.counts[b],
                      terms_.offsets[doc + 1] - b);
}

void Index::PrefetchSignatures(uint32_t doc) const {
  PrefetchBytes(Signature(doc), params_.num_perm * sizeof(uint32_t));
  PrefetchBytes(CharSignature(doc), params_.char_perm * sizeof(uint32_t));
  __builtin_prefetch(&articles_[doc]);
}

PairScores Index::Score(const Query& q, uint32_t doc,
                        SparseView weighted) const {
  return Score(q, doc, Dot(q.weighted, weighted));
}

PairScores Index::Score(const Query& q, uint32_t doc, float cosine) const {
  const ArticleInfo& b = articles_[doc];
  PairScores s;
  s.shingles_a = q.shingles;
  s.shingles_b = b.shingles;
  s.same_content = q.content_hash == b.content_hash;
  s.jaccard =
      EstimateJaccard(q.signature, Signature(doc), params_.num_perm);
  s.containment_ab = EstimateContainment(s.jaccard, q.shingles, b.shingles);
  s.containment_ba = EstimateContainment(s.jaccard, b.shingles, q.shingles);
  s.cosine = cosine;
  s.char_grams_a = q.char_grams;
  s.char_grams_b = b.char_grams;
  s.char_jaccard = EstimateJaccard(q.char_signature, CharSignature(doc),
                                   params_.char_perm);
  return s;
}

absl::StatusOr<std::vector<uint32_t>> Index::Candidates(
    const Query& q, int neighbours) const {
  std::vector<uint32_t> out;
  LshCandidates(q.signature, &out);
  if (vectors_ != nullptr && neighbours > 0 && vectors_->size() > 0) {
    std::vector<float> scores(neighbours);
    std::vector<int64_t> ids(neighbours);
    SYNDEX_RETURN_IF_ERROR(vectors_->Search(1, q.dense, neighbours,
                                            scores.data(), ids.data()));
    for (int64_t id : ids) {
      if (id >= 0) out.push_back(static_cast<uint32_t>(id));
    }
  }
  if (run_.key_term_candidates > 0) {
    uint32_t keys[kKeyTerms];
    TopTerms(q.weighted.ids, q.weighted.values, q.weighted.size, kKeyTerms,
             keys);
    KeyTerms().Query(keys, kMinSharedKeyTerms, kMaxKeyTermDocs,
                     run_.key_term_candidates, &out);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (q.self) std::erase(out, *q.self);
  return out;
}

std::vector<Match> Index::Rank(const Query& q, std::vector<uint32_t> candidates,
                               int k) const {
  std::vector<Match> matches;
  const SparseLookup lookup(q.weighted);
  for (uint32_t doc : candidates) {
    Match m;
    m.doc = doc;
    m.scores = Score(q, doc, StoredCosine(lookup, doc));
    m.relation = Classify(m.scores, run_.relations);
    if (m.relation != Relation::kNone) matches.push_back(m);
  }
  // Strongest relation first; copies by Jaccard, related articles by
  // cosine; then doc order.
  auto key = [](const Match& m) {
    const double score =
        IsCopy(m.relation) ? m.scores.jaccard : m.scores.cosine;
    return std::make_tuple(m.relation, score, -static_cast<int64_t>(m.doc));
  };
  std::sort(matches.begin(), matches.end(),
            [&](const Match& a, const Match& b) { return key(a) > key(b); });
  if (matches.size() > static_cast<size_t>(k)) matches.resize(k);
  return matches;
}

absl::StatusOr<std::vector<Match>> Index::QueryId(absl::string_view id,
                                                  int k) const {
  const std::optional<uint32_t> doc = Find(id);
  if (!doc) {
    return absl::NotFoundError(absl::StrCat("no article with id '", id, "'"));
  }
  const Query q = StoredQuery(*doc);
  SYNDEX_ASSIGN_OR_RETURN(std::vector<uint32_t> candidates,
                          Candidates(q, DenseCandidates(run_, k)));
  return Rank(q, std::move(candidates), k);
}

absl::StatusOr<std::vector<Match>> Index::QueryIdExhaustive(
    absl::string_view id, int k) const {
  const std::optional<uint32_t> doc = Find(id);
  if (!doc) {
    return absl::NotFoundError(absl::StrCat("no article with id '", id, "'"));
  }
  const Query q = StoredQuery(*doc);
  return Rank(q, AllPossibleMatches(q), k);
}

std::vector<uint32_t> Index::AllPossibleMatches(const Query& q) const {
  // A cheap screen that keeps every article Classify could relate to q:
  // copies need equal content or shared MinHash values (word or character),
  // related articles a cosine of at least related_cosine, computed here
  // from the raw counts with the weights of Vocabulary::Weigh (a small
  // margin absorbs float rounding). Rank then scores the survivors exactly.
  std::vector<float> query_weight(vocabulary_.size(), 0.0f);
  for (size_t i = 0; i < q.weighted.size; ++i) {
    query_weight[q.weighted.ids[i]] = q.weighted.values[i];
  }
  std::vector<double> idf(vocabulary_.size());
  for (uint32_t t = 0; t < idf.size(); ++t) {
    idf[t] = vocabulary_.df(t) < params_.min_df ? 0.0 : vocabulary_.Idf(t);
  }
  // The cosine of q with `doc`, from its stored counts.
  auto cosine = [&](uint32_t doc) {
    double dot = 0, norm2 = 0;
    for (uint64_t i = terms_.offsets[doc]; i < terms_.offsets[doc + 1]; ++i) {
      if (terms_.counts[i] == 0) continue;
      const double w =
          (1.0 + std::log(static_cast<double>(terms_.counts[i]))) *
          idf[terms_.ids[i]];
      norm2 += w * w;
      dot += w * query_weight[terms_.ids[i]];
    }
    return norm2 > 0 ? dot / std::sqrt(norm2) : 0.0;
  };
  const RelationOptions& rel = run_.relations;
  auto possible = [&](uint32_t doc) {
    return articles_[doc].content_hash == q.content_hash ||
           EstimateJaccard(q.signature, Signature(doc),
                           params_.num_perm) > 0 ||
           EstimateJaccard(q.char_signature, CharSignature(doc),
                           params_.char_perm) >= rel.char_jaccard_min ||
           cosine(doc) >= rel.related_cosine - 1e-3;
  };
  const uint32_t n = static_cast<uint32_t>(articles_.size());
  std::vector<char> keep(n, 0);
  ParallelFor(n, ResolveThreads(run_.threads), 1024,
              [&](size_t b, size_t e, int) {
                for (size_t d = b; d < e; ++d) {
                  keep[d] = q.self != d && possible(static_cast<uint32_t>(d));
                }
              });
  std::vector<uint32_t> out;
  for (uint32_t d = 0; d < n; ++d) {
    if (keep[d]) out.push_back(d);
  }
  return out;
}

SparseVector Index::WeighOutside(
    const std::vector<absl::string_view>& tokens) const {
  const TermCounts counts = vocabulary_.CountFrozen(tokens);
  SparseVector v = vocabulary_.Weigh(counts, params_.min_df);
  // Terms the index has never seen match nothing, but they belong in the
  // vector's norm: without them an article full of new names would look
  // closer to everything than it is. They weigh as terms of df 0.
  absl::flat_hash_map<absl::string_view, uint32_t> unknown;
  for (absl::string_view t : tokens) {
    if (vocabulary_.Find(t) == Vocabulary::kUnknown) ++unknown[t];
  }
  if (unknown.empty() || v.size() == 0) return v;
  auto weight = [](double tf, double idf) {
    const double w = (1.0 + std::log(tf)) * idf;
    return w * w;
  };
  double known = 0, extra = 0;
  for (size_t i = 0; i < counts.ids.size(); ++i) {
    if (vocabulary_.df(counts.ids[i]) < params_.min_df) continue;
    known += weight(counts.counts[i], vocabulary_.Idf(counts.ids[i]));
  }
  const double new_idf = std::log(1.0 + vocabulary_.num_docs()) + 1.0;
  for (const auto& [term, tf] : unknown) extra += weight(tf, new_idf);
  const float scale = static_cast<float>(std::sqrt(known / (known + extra)));
  for (float& x : v.values) x *= scale;
  return v;
}

absl::StatusOr<std::vector<Match>> Index::QueryArticle(const Article& article,
                                                       int k) const {
  if (articles_.empty()) return std::vector<Match>();
  Features f;
  std::vector<absl::string_view> tokens;
  Extract(article, NormalizeText(article.text), &f, &tokens);
  Query q;
  q.content_hash = f.content_hash;
  q.shingles = f.shingles;
  q.own_signature = std::move(f.signature);
  q.signature = q.own_signature.data();
  q.char_grams = f.char_grams;
  q.own_char_signature = std::move(f.char_signature);
  q.char_signature = q.own_char_signature.data();
  q.own_weighted = WeighOutside(tokens);
  q.weighted = View(q.own_weighted);
  q.own_dense.resize(projection_.dims());
  projection_.Project(q.own_weighted, q.own_dense.data());
  q.dense = q.own_dense.data();
  SYNDEX_ASSIGN_OR_RETURN(std::vector<uint32_t> candidates,
                          Candidates(q, DenseCandidates(run_, k)));
  return Rank(q, std::move(candidates), k);
}

absl::StatusOr<PairScores> Index::Compare(absl::string_view id_a,
                                          absl::string_view id_b) const {
  const std::optional<uint32_t> a = Find(id_a), b = Find(id_b);
  if (!a || !b) {
    return absl::NotFoundError(
        absl::StrCat("no article with id '", a ? id_b : id_a, "'"));
  }
  const Query q = StoredQuery(*a);
  return Score(q, *b, StoredCosine(SparseLookup(q.weighted), *b));
}

namespace {

// Marks a missing neighbour.
constexpr uint32_t kNoDoc = std::numeric_limits<uint32_t>::max();

}  // namespace

std::vector<uint32_t> Index::Canonicals(UnionFind& groups) const {
  const uint32_t n = static_cast<uint32_t>(articles_.size());
  std::vector<uint32_t> canonical(n, n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t& c = canonical[groups.Find(i)];
    if (c == n || CanonicalBefore(articles_[i], articles_[c])) c = i;
  }
  return canonical;
}

std::vector<Index::Query> Index::AllQueries(
    const std::vector<const float*>& dense,
    const std::vector<float>& weights) const {
  const size_t n = articles_.size();
  std::vector<Query> queries(n);
  for (size_t i = 0; i < n; ++i) {
    queries[i] = StoredView(i, dense[i], weights.data());
  }
  return queries;
}

std::vector<uint64_t> Index::LshPairs() const {
  std::vector<uint64_t> pairs;
  Lsh().ForEachCandidatePair(2000, [&](uint32_t a, uint32_t b) {
    pairs.push_back(PairKey(a, b));
  });
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

Index::CopyLinks Index::VerifyCopies(const std::vector<Query>& queries,
                                     std::vector<uint64_t> pairs) const {
  // Copy groups join copies of one text: exact, syndicated, and partial
  // copies that lie mostly inside the other article. An excerpt (a shared
  // passage only) joins later, and only within a story: on real news,
  // shared background paragraphs would otherwise merge different stories.
  CopyLinks links;
  links.pairs = std::move(pairs);
  const size_t m = links.pairs.size();
  links.relation.resize(m);
  links.excerpt.assign(m, 0);
  RelationOptions joining = run_.relations;
  joining.min_excerpt_shingles = std::numeric_limits<uint32_t>::max();
  StageProgress progress(run_.progress, "verify", m);
  ParallelFor(m, ResolveThreads(run_.threads), kGrain,
              [&](size_t b, size_t e, int) {
                for (size_t i = b; i < e; ++i) {
                  if (i + kPairsAhead < e) {
                    PrefetchSignatures(
                        static_cast<uint32_t>(links.pairs[i + kPairsAhead]));
                  }
                  const uint32_t x = links.pairs[i] >> 32;
                  const uint32_t y = static_cast<uint32_t>(links.pairs[i]);
                  // A cosine can only stop a copy by characters, so it is
                  // computed for the pairs that are copies without it.
                  PairScores scores = Score(queries[x], y, SparseView());
                  if (!IsCopy(Classify(scores, run_.relations))) continue;
                  scores.cosine = Dot(queries[x].weighted, queries[y].weighted);
                  links.relation[i] = Classify(scores, joining);
                  links.excerpt[i] =
                      !IsCopy(links.relation[i]) &&
                      Classify(scores, run_.relations) == Relation::kPartial;
                }
                progress.Add(e - b);
              });
  return links;
}

absl::StatusOr<std::vector<uint32_t>> Index::NearestCanonicals(
    const std::vector<Query>& queries, const std::vector<uint32_t>& canonicals,
    int k) const {
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<VectorStore> store,
                          vectors_->Subset(canonicals));
  const size_t n = queries.size();
  std::vector<float> scores(n * k);
  std::vector<int64_t> ids(n * k);
  // Canonical articles look for the story graph's edges among all the
  // lists probed; the other members of a copy group only for copies their
  // canonical article may lack, which lie close to them.
  std::vector<uint8_t> probes(n, kCopyProbes);
  for (uint32_t doc : canonicals) {
    probes[doc] = std::numeric_limits<uint8_t>::max();  // All nprobe lists.
  }
  SYNDEX_RETURN_IF_ERROR(store->SearchStored(*vectors_, k, probes,
                                             scores.data(), ids.data()));
  std::vector<uint32_t> nearest(n * k, kNoDoc);
  for (size_t i = 0; i < nearest.size(); ++i) {
    if (ids[i] >= 0) nearest[i] = canonicals[ids[i]];
  }
  return nearest;
}

std::vector<uint32_t> Index::StoryLabels(const std::vector<Query>& queries,
                                         const std::vector<uint32_t>& nearest,
                                         int k,
                                         const std::vector<uint32_t>& group_of,
                                         const ClusterOptions& options) const {
  // Each copy group's canonical article links to the canonical articles of
  // the first `neighbours` other groups among its nearest articles.
  std::vector<uint64_t> pairs;
  std::vector<uint32_t> taken;
  for (uint32_t doc = 0; doc < group_of.size(); ++doc) {
    if (group_of[doc] != doc) continue;
    taken.clear();
    for (int j = 0; j < k && static_cast<int>(taken.size()) < options.neighbours;
         ++j) {
      const uint32_t other = nearest[static_cast<size_t>(doc) * k + j];
      if (other == kNoDoc) break;
      const uint32_t group = group_of[other];
      if (group == doc ||
          std::find(taken.begin(), taken.end(), group) != taken.end()) {
        continue;
      }
      taken.push_back(group);
      pairs.push_back(PairKey(doc, group));
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::vector<WeightedEdge> edges(pairs.size());
  ParallelFor(pairs.size(), ResolveThreads(run_.threads), kGrain,
              [&](size_t b, size_t e, int) {
                for (size_t i = b; i < e; ++i) {
                  // The second article's query, then the start of its
                  // vector (the hardware prefetcher follows the rest).
                  if (i + 2 * kPairsAhead < e) {
                    __builtin_prefetch(&queries[static_cast<uint32_t>(
                        pairs[i + 2 * kPairsAhead])]);
                  }
                  if (i + kPairsAhead < e) {
                    const SparseView& v =
                        queries[static_cast<uint32_t>(pairs[i + kPairsAhead])]
                            .weighted;
                    PrefetchBytes(v.ids, 128);
                    PrefetchBytes(v.values, 128);
                  }
                  const uint32_t x = pairs[i] >> 32;
                  const uint32_t y = static_cast<uint32_t>(pairs[i]);
                  const double w = StoryEdge(queries[x], queries[y], x, y,
                                             options);
                  edges[i] = {x, y,
                              w >= options.min_edge_cosine
                                  ? static_cast<float>(w)
                                  : 0.0f};
                }
              });
  std::erase_if(edges, [](const WeightedEdge& e) { return e.weight <= 0; });
  return AverageLinkage(articles_.size(), std::move(edges),
                        options.story_threshold);
}

double Index::StoryEdge(const Query& a, const Query& b, uint32_t doc_a,
                        uint32_t doc_b, const ClusterOptions& options) const {
  double cosine = Dot(a.weighted, b.weighted);
  if (options.dense_blend > 0) {
    // Projected vectors are unit length (projection.cc).
    const double dense_cosine = std::inner_product(
        a.dense, a.dense + projection_.dims(), b.dense, 0.0);
    cosine = (1 - options.dense_blend) * cosine +
             options.dense_blend * dense_cosine;
  }
  return cosine * TimeFactor(articles_[doc_a], articles_[doc_b],
                             options.time_window_days);
}

absl::StatusOr<std::vector<ClusterEntry>> Index::Cluster(
    const ClusterOptions& options) const {
  const uint32_t n = static_cast<uint32_t>(articles_.size());
  std::vector<ClusterEntry> entries(n);
  if (n == 0) return entries;

  // Stage 1: copy groups, from the pairs that share an LSH bucket, then
  // from every article's nearest canonical articles of those groups. That
  // one vector search finds the copies LSH misses (OCR noise, excerpts,
  // partial copies) and the candidate edges of the story graph. Queries
  // view the stored vectors and precomputed weights.
  const std::vector<const float*> dense = vectors_->Vectors();
  const std::vector<float> weights = AllWeights();
  const std::vector<Query> queries = AllQueries(dense, weights);
  UnionFind groups(n);
  std::vector<Relation> best_copy(n, Relation::kNone);
  auto join = [&](uint64_t pair, Relation r) {
    const uint32_t x = pair >> 32;
    const uint32_t y = static_cast<uint32_t>(pair);
    best_copy[x] = std::max(best_copy[x], r);
    best_copy[y] = std::max(best_copy[y], r);
    return groups.Union(x, y);
  };
  auto join_copies = [&](const CopyLinks& links) {
    for (size_t i = 0; i < links.pairs.size(); ++i) {
      if (IsCopy(links.relation[i])) join(links.pairs[i], links.relation[i]);
    }
  };
  const CopyLinks lsh_links = VerifyCopies(queries, LshPairs());
  join_copies(lsh_links);
  std::vector<uint32_t> canonical = Canonicals(groups);
  std::vector<uint32_t> canonicals;
  for (uint32_t i = 0; i < n; ++i) {
    if (canonical[groups.Find(i)] == i) canonicals.push_back(i);
  }
  const int k = static_cast<int>(std::min<size_t>(
      options.neighbours + 1 + kExtraNeighbours, canonicals.size()));
  SYNDEX_ASSIGN_OR_RETURN(const std::vector<uint32_t> nearest,
                          NearestCanonicals(queries, canonicals, k));
  std::vector<uint64_t> near;
  for (size_t i = 0; i < nearest.size(); ++i) {
    const uint32_t doc = i / k;
    if (nearest[i] != kNoDoc && nearest[i] != doc) {
      near.push_back(PairKey(doc, nearest[i]));
    }
  }
  std::sort(near.begin(), near.end());
  near.erase(std::unique(near.begin(), near.end()), near.end());
  const CopyLinks near_links = VerifyCopies(queries, std::move(near));
  join_copies(near_links);
  canonical = Canonicals(groups);
  std::vector<uint32_t> group_of(n);
  for (uint32_t i = 0; i < n; ++i) group_of[i] = canonical[groups.Find(i)];

  // Stage 2: stories over the copy groups' canonical articles.
  const std::vector<uint32_t> label =
      StoryLabels(queries, nearest, k, group_of, options);
  std::vector<uint32_t> story(n);
  for (uint32_t i = 0; i < n; ++i) story[i] = label[group_of[i]];

  // Stage 3: an article holding a passage of another article of its story
  // (an excerpt) joins that article's copy group.
  bool joined = false;
  for (const CopyLinks* links : {&lsh_links, &near_links}) {
    for (size_t i = 0; i < links->pairs.size(); ++i) {
      const uint32_t x = links->pairs[i] >> 32;
      const uint32_t y = static_cast<uint32_t>(links->pairs[i]);
      if (links->excerpt[i] && story[x] == story[y]) {
        joined |= join(links->pairs[i], Relation::kPartial);
      }
    }
  }
  if (joined) canonical = Canonicals(groups);

  // The first article of each story: the canonical-order minimum.
  std::vector<uint32_t> story_first(n, n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t& f = story_first[story[i]];
    if (f == n || CanonicalBefore(articles_[i], articles_[f])) f = i;
  }
  ParallelFor(n, ResolveThreads(run_.threads), kGrain,
              [&](size_t b, size_t e, int) {
                for (size_t i = b; i < e; ++i) {
                  ClusterEntry& entry = entries[i];
                  entry.doc = i;
                  entry.copy_group = canonical[groups.Find(i)];
                  entry.story = story_first[story[i]];
                  if (entry.copy_group == i) continue;
                  entry.scores = Score(queries[i], entry.copy_group,
                                       queries[entry.copy_group].weighted);
                  entry.relation = Classify(entry.scores, run_.relations);
                  // Joined through a chain of copies: report the article's
                  // strongest copy link instead.
                  if (!IsCopy(entry.relation)) entry.relation = best_copy[i];
                }
              });
  return entries;
}

absl::StatusOr<std::vector<Article>> ReadArticles(
    const std::vector<std::string>& paths, const ReaderOptions& options,
    std::map<std::string, int64_t>* skipped) {
  std::vector<Article> articles;
  SYNDEX_RETURN_IF_ERROR(
      ForEachArticle(paths, options, skipped, [&](Article article) {
        articles.push_back(std::move(article));
        return absl::OkStatus();
      }));
  return articles;
}

}  // namespace syndex
