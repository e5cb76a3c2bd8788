// Opening, loading and committing an index (docs/format.md).

#include <algorithm>
#include <atomic>
#include <functional>
#include <limits>

#include "absl/strings/str_cat.h"
#include "engine/core/index_core.h"
#include "engine/index/index_dir.h"
#include "engine/index/section_file.h"
#include "engine/text/normalize.h"
#include "engine/util/memory.h"
#include "engine/util/parallel.h"
#include "engine/util/progress.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// The format version of the index contents (docs/format.md, "Index
// contents").
constexpr uint32_t kFormatVersion = 4;
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
constexpr uint32_t kFieldNames = SectionTag("FMAP");

constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

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
  w->U32(p.chrome.gram_words);
  w->U32(p.chrome.min_source_docs);
  w->F64(p.chrome.template_fraction);
  w->U32(p.chrome.min_continuation_words);
  w->U32(p.chrome.min_own_grams);
  w->U32(p.chrome.min_unsourced_docs);
  w->F64(p.chrome.unsourced_fraction);
  w->U32(p.chrome.min_shared_sources);
  w->U32(p.chrome.max_source_docs);
  w->U32(p.chrome.max_unsourced_docs);
  w->I64(p.exact_limit);
  w->U64(trained_on);
  w->U64(count);
}

bool ChromeOptionsInRange(const ChromeOptions& c) {
  return c.gram_words >= 1 && c.gram_words <= 64 && c.min_source_docs >= 1 &&
         c.template_fraction >= 0 && c.template_fraction <= 1 &&
         c.min_continuation_words >= 0 &&
         c.min_own_grams >= 0 && c.min_unsourced_docs >= 1 &&
         c.unsourced_fraction >= 0 && c.unsourced_fraction <= 1 &&
         c.min_shared_sources >= 1 && c.max_source_docs >= 0 &&
         c.max_unsourced_docs >= 0;
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
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->chrome.gram_words));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->chrome.min_source_docs));
  SYNDEX_RETURN_IF_ERROR(r->F64(&p->chrome.template_fraction));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->chrome.min_continuation_words));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->chrome.min_own_grams));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->chrome.min_unsourced_docs));
  SYNDEX_RETURN_IF_ERROR(r->F64(&p->chrome.unsourced_fraction));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->chrome.min_shared_sources));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->chrome.max_source_docs));
  SYNDEX_RETURN_IF_ERROR(ReadInt(r, &p->chrome.max_unsourced_docs));
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
        "; the index must be created anew from its articles"));
  }
  if (family != kHashFamily) {
    return absl::FailedPreconditionError(absl::StrCat(
        r->what(), ": signatures of hash family ", family,
        ", this build computes family ", kHashFamily,
        "; the index must be created anew from its articles"));
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
      !ChromeOptionsInRange(p->chrome)) {
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

// The JSON field names, in the order of docs/format.md, section FMAP.
std::vector<std::string*> FieldNames(ReaderOptions* r) {
  return {&r->id_field,     &r->text_field, &r->title_field,
          &r->source_field, &r->url_field,  &r->published_field};
}

void WriteFieldNames(ReaderOptions r, ByteWriter* w) {
  for (const std::string* name : FieldNames(&r)) w->String(*name);
}

absl::Status ReadFieldNames(ByteReader* r, ReaderOptions* out) {
  ReaderOptions names;
  for (std::string* name : FieldNames(&names)) {
    SYNDEX_RETURN_IF_ERROR(r->String(name));
    if (name->empty()) return r->Fail("empty field name");
  }
  *out = std::move(names);
  return absl::OkStatus();
}

// Checks that a section was read to its end.
absl::Status ExpectEnd(ByteReader* r) {
  if (r->remaining() != 0) return r->Fail("trailing bytes");
  return absl::OkStatus();
}

}  // namespace

uint32_t IndexFormatVersion() { return kFormatVersion; }
uint32_t IndexHashFamily() { return kHashFamily; }

IndexCore::IndexCore(const IndexParams& params, const OpenOptions& options)
    : params_(params), options_(options) {}

IndexCore::~IndexCore() = default;

int IndexCore::threads() const { return ResolveThreads(options_.threads); }

absl::Status IndexCore::InitDerived() {
  SYNDEX_RETURN_IF_ERROR(params_.Validate());
  if (lsh_params_.bands == 0) {
    lsh_params_ = ChooseLshParams(params_.num_perm, params_.lsh_threshold,
                                  params_.lsh_min_recall);
  }
  extractor_ = std::make_unique<FeatureExtractor>(params_.features());
  chrome_ = ChromeModel(params_.chrome);
  params_.projection.threads = options_.threads;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<IndexCore>> IndexCore::Create(
    const std::string& dir, const IndexParams& params, bool overwrite,
    const OpenOptions& options) {
  SYNDEX_ASSIGN_OR_RETURN(
      std::unique_ptr<IndexDir> index_dir,
      IndexDir::OpenForWrite(dir, /*create=*/true, options.lock_wait_seconds));
  if (index_dir->has_data() && !overwrite) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, ": an index exists here; open it to add to it, or create it "
             "with overwrite to replace it"));
  }
  std::unique_ptr<IndexCore> index(new IndexCore(params, options));
  SYNDEX_RETURN_IF_ERROR(index->InitDerived());
  index->dir_ = std::move(index_dir);
  return index;
}

absl::StatusOr<std::unique_ptr<IndexCore>> IndexCore::Open(
    const std::string& dir, bool for_write, const OpenOptions& options) {
  std::unique_ptr<IndexDir> index_dir;
  if (for_write) {
    SYNDEX_ASSIGN_OR_RETURN(index_dir,
                            IndexDir::OpenForWrite(dir, /*create=*/false,
                                                   options.lock_wait_seconds));
    if (!index_dir->has_data()) {
      return absl::NotFoundError(absl::StrCat(dir, ": no syndex index here"));
    }
  } else {
    SYNDEX_ASSIGN_OR_RETURN(index_dir, IndexDir::OpenForRead(dir));
  }
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file,
                          index_dir->MapCurrent());
  std::unique_ptr<IndexCore> index(new IndexCore(IndexParams(), options));
  // Each section's pages leave memory once checked and once parsed, so
  // that the mapped file and its parsed copy are not both held.
  const auto release = [&file](absl::string_view bytes) {
    file->Release(bytes);
  };
  SYNDEX_RETURN_IF_ERROR(index->Load(file->data(), file->path(), release));
  index->dir_ = std::move(index_dir);
  return index;
}

absl::Status IndexCore::Load(
    absl::string_view data, const std::string& name,
    const std::function<void(absl::string_view)>& release) {
  SYNDEX_ASSIGN_OR_RETURN(SectionFileReader file,
                          SectionFileReader::Open(data, name, kFormatVersion,
                                                  options_.threads, release));
  const SectionReaders reader = [&](uint32_t tag) -> absl::StatusOr<ByteReader> {
    SYNDEX_ASSIGN_OR_RETURN(absl::string_view bytes, file.Get(tag));
    return ByteReader(bytes, absl::StrCat(name, ": section ", TagName(tag)));
  };
  section_bytes_.clear();
  for (const auto& [tag, bytes] : file.sections()) {
    section_bytes_.emplace_back(TagName(tag), bytes.size());
  }
  uint64_t count = 0;
  {
    SYNDEX_ASSIGN_OR_RETURN(ByteReader r, reader(kParams));
    SYNDEX_RETURN_IF_ERROR(ReadParams(&r, &params_, &lsh_params_,
                                      &projection_trained_on_, &count));
    SYNDEX_RETURN_IF_ERROR(ExpectEnd(&r));
  }
  SYNDEX_RETURN_IF_ERROR(InitDerived());
  if (file.Has(kFieldNames)) {  // Optional: absent before it existed.
    SYNDEX_ASSIGN_OR_RETURN(ByteReader r, reader(kFieldNames));
    SYNDEX_RETURN_IF_ERROR(ReadFieldNames(&r, &field_names_));
    SYNDEX_RETURN_IF_ERROR(ExpectEnd(&r));
  }
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
        SYNDEX_RETURN_IF_ERROR(ReadTermTable(&r, options_.threads, &terms_));
        SYNDEX_RETURN_IF_ERROR(ExpectEnd(&r));
        if (terms_.num_docs() != count) {
          return r.Fail("term table article count mismatch");
        }
        return absl::OkStatus();
      },
      [&]() -> absl::Status {
        SYNDEX_ASSIGN_OR_RETURN(ByteReader r, reader(kChrome));
        SYNDEX_RETURN_IF_ERROR(ChromeModel::ReadFrom(&r, params_.chrome, &chrome_));
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
  ParallelFor(parts.size(), threads(), 1,
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
  ParallelFor(terms_.ids.size(), threads(), size_t{1} << 22,
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

absl::Status IndexCore::LoadSignatures(const SectionReaders& reader,
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

absl::Status IndexCore::LoadVectors(const SectionReaders& reader, uint64_t count) {
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
  options.nprobe = options_.nprobe;
  options.threads = options_.threads;
  SYNDEX_ASSIGN_OR_RETURN(vectors_, VectorStore::ReadFrom(&v, options));
  SYNDEX_RETURN_IF_ERROR(ExpectEnd(&v));
  if (vectors_->dims() != projection_.dims() ||
      vectors_->size() != static_cast<int64_t>(count)) {
    return v.Fail("vector index does not match the articles");
  }
  return absl::OkStatus();
}

std::vector<IndexCore::Section> IndexCore::Sections() const {
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
       [this](ByteWriter* w) { AppendTermTable(terms_, options_.threads, w); }},
      {kChrome, [this](ByteWriter* w) { chrome_.AppendTo(w); }},
      {kFieldNames,
       [this](ByteWriter* w) { WriteFieldNames(field_names_, w); }},
  };
  if (!articles_.empty()) {
    sections.push_back(
        {kProjection, [this](ByteWriter* w) { projection_.AppendTo(w); }});
    sections.push_back(
        {kVectors, [this](ByteWriter* w) { vectors_->AppendTo(w); }});
  }
  return sections;
}

uint32_t IndexCore::FormatVersion() { return kFormatVersion; }

uint32_t IndexCore::ParamsTag() { return kParams; }

absl::StatusOr<uint64_t> IndexCore::StoredArticleCount(
    absl::string_view params, const std::string& what) {
  ByteReader r(params, what);
  IndexParams p;
  LshParams lsh;
  uint64_t trained_on = 0, count = 0;
  SYNDEX_RETURN_IF_ERROR(ReadParams(&r, &p, &lsh, &trained_on, &count));
  SYNDEX_RETURN_IF_ERROR(ExpectEnd(&r));
  return count;
}

absl::Status IndexCore::Commit() {
  // Streamed to disk section by section: the file is as large as the index.
  const std::vector<Section> sections = Sections();
  dir_->set_keep(options_.keep_generations);
  std::vector<std::pair<std::string, uint64_t>> sizes;
  StageProgress progress(options_.progress, "write", sections.size());
  SYNDEX_RETURN_IF_ERROR(
      dir_->CommitWith([&](const std::string& path) -> absl::Status {
        SYNDEX_ASSIGN_OR_RETURN(
            std::unique_ptr<SectionFileStream> file,
            SectionFileStream::Create(path, kFormatVersion, sections.size()));
        for (const auto& [tag, write] : sections) {
          SYNDEX_RETURN_IF_ERROR(file->Add(tag, write));
          progress.Add(1);
        }
        for (const SectionEntry& e : file->entries()) {
          sizes.emplace_back(TagName(e.tag), e.length);
        }
        return file->Finish();
      }));
  section_bytes_ = std::move(sizes);
  return absl::OkStatus();
}

std::string IndexCore::data_path() const {
  return dir_ ? dir_->current_path() : std::string();
}

uint64_t IndexCore::generation() const { return dir_ ? dir_->generation() : 0; }

std::string IndexCore::vector_index_kind() const {
  return vectors_ ? vectors_->Describe() : "none";
}

std::optional<uint32_t> IndexCore::Find(absl::string_view id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

}  // namespace syndex
