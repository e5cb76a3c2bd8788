// The public API (engine/syndex.h) over IndexCore and the clustering.

#include "engine/syndex.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/clustering/clustering.h"
#include "engine/core/index_core.h"
#include "engine/corpus/article_files.h"
#include "engine/relations/passages.h"
#include "engine/text/tokenize.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

absl::Status UnknownId(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat("no article with id '", id, "'"));
}

// The longest prefix of `text` of at most `max_bytes` bytes that ends on a
// UTF-8 character boundary.
absl::string_view CutOnCharacter(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Continuation bytes are 10xxxxxx.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

// The passages `a` and `b` share, in the bodies `index` compares them by.
void FindPassages(const IndexCore& index, const ExplainOptions& options,
                  Explanation* out) {
  const CopyFeatures fa = index.Features(*options.text_a);
  const CopyFeatures fb = index.Features(*options.text_b);
  std::vector<absl::string_view> ta, tb;
  Tokenize(fa.body, &ta);
  Tokenize(fb.body, &tb);
  const FeatureExtractor& extractor = index.extractor();
  const std::vector<Passage> passages =
      SharedPassages(extractor.Shingles(ta), extractor.Shingles(tb),
                     index.params().shingle_size);
  out->has_passages = true;
  out->words_a = static_cast<uint32_t>(ta.size());
  out->words_b = static_cast<uint32_t>(tb.size());
  for (const Passage& p : passages) {
    out->shared_words += static_cast<uint32_t>(p.a_end - p.a_begin);
    SharedPassage& shared = out->passages.emplace_back();
    shared.a_begin = static_cast<uint32_t>(p.a_begin);
    shared.a_end = static_cast<uint32_t>(p.a_end);
    shared.b_begin = static_cast<uint32_t>(p.b_begin);
    shared.b_end = static_cast<uint32_t>(p.b_end);
    const std::string text =
        absl::StrJoin(ta.begin() + p.a_begin,
                      ta.begin() + std::min<size_t>(p.a_end, ta.size()), " ");
    shared.text = std::string(CutOnCharacter(text, options.max_passage_bytes));
    if (shared.text.size() < text.size()) shared.text += " ...";
  }
}

// Names the rule that decided each match's relation.
std::vector<Match> WithRules(std::vector<Match> matches,
                             const RelationOptions& relations) {
  for (Match& m : matches) m.rule = Decide(m.scores, relations).rule;
  return matches;
}

}  // namespace

Index::Index(std::unique_ptr<IndexCore> core) : core_(std::move(core)) {}

Index::~Index() = default;

absl::StatusOr<std::unique_ptr<Index>> Index::Create(
    const std::string& dir, const IndexParams& params, bool overwrite,
    const OpenOptions& options) {
  SYNDEX_RETURN_IF_ERROR(options.Validate());
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<IndexCore> core,
                          IndexCore::Create(dir, params, overwrite, options));
  return std::unique_ptr<Index>(new Index(std::move(core)));
}

absl::StatusOr<std::unique_ptr<Index>> Index::Open(
    const std::string& dir, bool for_write, const OpenOptions& options) {
  SYNDEX_RETURN_IF_ERROR(options.Validate());
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<IndexCore> core,
                          IndexCore::Open(dir, for_write, options));
  return std::unique_ptr<Index>(new Index(std::move(core)));
}

absl::Status Index::Add(std::vector<Article> articles,
                        const AddOptions& options, AddReport* report) {
  return core_->Add(std::move(articles), options, report);
}

absl::Status Index::Add(const ArticleSource& next, const AddOptions& options,
                        AddReport* report) {
  return core_->AddFrom(next, options, report);
}

absl::Status Index::AddFiles(const std::vector<std::string>& paths,
                             const ReaderOptions& reader, const AddOptions& add,
                             AddReport* report) {
  ArticleFiles files(paths, reader);
  AddOptions options = add;
  options.skip_bad = reader.skip_bad;
  const absl::Status st = core_->AddFrom(
      [&files](Article* a) { return files.Next(a); }, options, report);
  for (const auto& [reason, count] : files.skipped()) {
    report->skipped[reason] += count;
  }
  return st;
}

absl::Status Index::AddFiles(const std::vector<std::string>& paths,
                             const ReaderOptions& reader, size_t batch_size,
                             AddReport* report) {
  AddOptions options;
  options.batch_size = batch_size;
  return AddFiles(paths, reader, options, report);
}

absl::Status Index::Remove(const std::vector<std::string>& ids) {
  return core_->Remove(ids);
}

absl::StatusOr<size_t> Index::Evict(int64_t before) {
  return core_->Evict(before);
}

absl::StatusOr<size_t> Index::Compact() { return core_->Compact(); }

absl::Status Index::Commit() { return core_->Commit(); }

absl::StatusOr<std::vector<Match>> Index::QueryId(
    absl::string_view id, const QueryOptions& options) const {
  SYNDEX_RETURN_IF_ERROR(options.Validate());
  const std::optional<uint32_t> doc = core_->Find(id);
  if (!doc) return UnknownId(id);
  SYNDEX_ASSIGN_OR_RETURN(std::vector<Match> matches,
                          core_->QueryDoc(*doc, options));
  return WithRules(std::move(matches), options.relations);
}

absl::StatusOr<std::vector<Match>> Index::QueryArticle(
    const Article& article, const QueryOptions& options) const {
  SYNDEX_RETURN_IF_ERROR(options.Validate());
  if (options.exhaustive) {
    return absl::InvalidArgumentError(
        "an exhaustive query needs a stored article");
  }
  // One more, in case the article itself is stored: it is left out.
  QueryOptions more = options;
  ++more.k;
  SYNDEX_ASSIGN_OR_RETURN(std::vector<Match> matches,
                          core_->QueryArticle(article, more));
  std::erase_if(matches,
                [&](const Match& m) { return m.article.id == article.id; });
  if (matches.size() > static_cast<size_t>(options.k)) {
    matches.resize(options.k);
  }
  return WithRules(std::move(matches), options.relations);
}

absl::StatusOr<std::vector<ClusterEntry>> Index::Cluster(
    const ClusterOptions& options, ClusterStats* stats) const {
  SYNDEX_RETURN_IF_ERROR(options.Validate());
  return ClusterIndex(*core_, options, stats);
}

absl::StatusOr<Explanation> Index::Explain(
    absl::string_view id_a, absl::string_view id_b,
    const ExplainOptions& options) const {
  SYNDEX_RETURN_IF_ERROR(options.Validate());
  const std::optional<uint32_t> a = core_->Find(id_a), b = core_->Find(id_b);
  if (!a) return UnknownId(id_a);
  if (!b) return UnknownId(id_b);
  Explanation out;
  out.a = core_->article(*a);
  out.b = core_->article(*b);
  out.scores = core_->Compare(*a, *b, options.relations.story);
  const Decision decision = Decide(out.scores, options.relations);
  out.relation = decision.relation;
  out.rule = decision.rule;
  if (options.text_a != nullptr && options.text_b != nullptr) {
    FindPassages(*core_, options, &out);
  }
  return out;
}

CopyFeatures Index::Features(const Article& article) const {
  return core_->Features(article);
}

absl::StatusOr<CopyFeatures> Index::StoredFeatures(
    absl::string_view id) const {
  const std::optional<uint32_t> doc = core_->Find(id);
  if (!doc) return UnknownId(id);
  const ArticleInfo& info = core_->article(*doc);
  const IndexParams& p = core_->params();
  CopyFeatures f;
  f.content_hash = info.content_hash;
  f.shingles = info.shingles;
  f.char_grams = info.char_grams;
  f.signature.assign(core_->Signature(*doc),
                     core_->Signature(*doc) + p.num_perm);
  f.char_signature.assign(core_->CharSignature(*doc),
                          core_->CharSignature(*doc) + p.char_perm);
  return f;
}

IndexStats Index::Stats() const {
  IndexStats s;
  s.data_file = core_->data_path();
  s.generation = core_->generation();
  std::error_code ec;
  const uintmax_t bytes = std::filesystem::file_size(s.data_file, ec);
  s.bytes = ec ? 0 : bytes;
  s.articles = core_->size();
  for (const ArticleInfo& a : core_->articles()) {
    s.dated_articles += a.published.has_value();
  }
  s.vocabulary = core_->vocabulary().size();
  s.chrome_passages = core_->chrome().size();
  s.chrome_sources = core_->chrome().sources();
  s.params = core_->params();
  s.bands = core_->lsh_params().bands;
  s.rows = core_->lsh_params().rows;
  s.vector_index = core_->vector_index_kind();
  s.section_bytes = core_->section_bytes();
  return s;
}

std::vector<ChromeModel::Passage> Index::Chrome(
    std::optional<std::string> source) const {
  std::vector<ChromeModel::Passage> out;
  for (const ChromeModel::Passage& p : core_->chrome().passages()) {
    if (!source || p.source == *source) out.push_back(p);
  }
  return out;
}

ReaderOptions Index::field_names() const { return core_->field_names(); }

void Index::SetFieldNames(const ReaderOptions& reader) {
  core_->SetFieldNames(reader);
}

size_t Index::size() const { return core_->size(); }

const ArticleInfo& Index::article(uint32_t doc) const {
  return core_->article(doc);
}

std::optional<uint32_t> Index::Find(absl::string_view id) const {
  return core_->Find(id);
}

const IndexParams& Index::params() const { return core_->params(); }

uint64_t Index::generation() const { return core_->generation(); }

std::string Index::vector_index_kind() const {
  return core_->vector_index_kind();
}

absl::StatusOr<CopyFeatures> ComputeFeatures(const Article& article,
                                             const IndexParams& params) {
  SYNDEX_RETURN_IF_ERROR(params.Validate());
  const FeatureExtractor extractor(params.features());
  // An empty model, as an index has before it learns chrome.
  const ChromeModel no_chrome;
  CopyFeatures f;
  std::vector<absl::string_view> tokens;
  extractor.Extract(article, &no_chrome, &f, &tokens);
  return f;
}

absl::StatusOr<std::vector<Article>> ReadArticles(
    const std::vector<std::string>& paths, const ReaderOptions& options,
    std::map<std::string, int64_t>* skipped) {
  ArticleFiles files(paths, options);
  std::vector<Article> articles;
  for (;;) {
    Article article;
    SYNDEX_ASSIGN_OR_RETURN(const bool more, files.Next(&article));
    if (!more) break;
    articles.push_back(std::move(article));
  }
  for (const auto& [reason, count] : files.skipped()) {
    (*skipped)[reason] += count;
  }
  return articles;
}

}  // namespace syndex
