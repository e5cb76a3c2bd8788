// The steps of the distributed copy groups (engine/scale_out.h), each on
// the engine's own code.

#include "engine/scale_out.h"

#include <algorithm>
#include <fstream>
#include <limits>

#include "absl/strings/str_cat.h"
#include "engine/text/normalize.h"
#include "engine/text/tokenize.h"
#include "engine/tfidf/tfidf.h"
#include "engine/util/bytes.h"
#include "engine/util/hash.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

absl::StatusOr<std::string> ReadBytes(const std::string& path, uint64_t begin,
                                      uint64_t end) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  in.seekg(0, std::ios::end);
  const uint64_t size = static_cast<uint64_t>(in.tellg());
  end = std::min(end, size);
  if (begin > end) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": byte range ", begin, "-", end, " out of range"));
  }
  std::string data(end - begin, '\0');
  in.seekg(static_cast<std::streamoff>(begin));
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  if (!in) return absl::InternalError(absl::StrCat(path, ": read failed"));
  return data;
}

absl::StatusOr<bool> IsGzip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  char magic[2] = {0, 0};
  in.read(magic, 2);
  return in.gcount() == 2 && magic[0] == '\x1f' && magic[1] == '\x8b';
}

// The relation options with which copy groups are joined: excerpts join
// only later, within a story (engine/clustering/clustering.cc).
RelationOptions Joining(const RelationOptions& options) {
  RelationOptions joining = options;
  joining.min_excerpt_shingles = std::numeric_limits<uint32_t>::max();
  return joining;
}

}  // namespace

absl::StatusOr<std::vector<Article>> ReadArticleRange(
    const std::string& path, uint64_t begin, uint64_t end, int64_t first_line,
    const ReaderOptions& options) {
  std::unique_ptr<JsonlReader> reader;
  SYNDEX_ASSIGN_OR_RETURN(const bool gzip, IsGzip(path));
  if (gzip || path.ends_with(".gz")) {
    if (begin != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": a gzip file is read whole"));
    }
    SYNDEX_ASSIGN_OR_RETURN(reader, JsonlReader::Open(path, options));
  } else {
    SYNDEX_ASSIGN_OR_RETURN(std::string data, ReadBytes(path, begin, end));
    reader =
        JsonlReader::FromString(std::move(data), path, first_line, options);
  }
  std::vector<Article> articles;
  for (;;) {
    Article article;
    SYNDEX_ASSIGN_OR_RETURN(const bool more, reader->Next(&article));
    if (!more) break;
    articles.push_back(std::move(article));
  }
  return articles;
}

absl::Status CheckArticle(const Article& a) {
  if (!a.id.empty() && !a.text.empty()) return absl::OkStatus();
  const char* problem = a.id.empty() ? "empty id" : "empty text";
  return absl::InvalidArgumentError(
      a.origin.empty() ? problem : absl::StrCat(a.origin, ": ", problem));
}

ChromeStats::ChromeStats(const IndexParams& params, uint64_t sample)
    : sample_(sample), builder_(params.boilerplate) {}

void ChromeStats::Observe(const Article& article, uint64_t number) {
  if (number >= sample_) return;
  builder_.Observe(SourceKey(article.source, article.url),
                   NormalizeText(article.text));
}

absl::Status ChromeStats::Merge(absl::string_view serialized) {
  ByteReader in(serialized, "chrome statistics");
  BoilerplateModel::Builder other = builder_;
  SYNDEX_RETURN_IF_ERROR(BoilerplateModel::Builder::ReadFrom(&in, &other));
  if (in.remaining() != 0) return in.Fail("trailing bytes");
  builder_.Merge(other);
  return absl::OkStatus();
}

std::string ChromeStats::Serialize() const {
  std::string out;
  ByteWriter writer(&out);
  builder_.AppendTo(&writer);
  return out;
}

std::string ChromeStats::Build() && {
  const BoilerplateModel model = std::move(builder_).Build();
  std::string out;
  ByteWriter writer(&out);
  model.AppendTo(&writer);
  return out;
}

FeaturePipeline::FeaturePipeline(const IndexParams& params,
                                 BoilerplateModel chrome)
    : params_(params),
      extractor_(params.features()),
      chrome_(std::move(chrome)),
      lsh_(ChooseLshParams(params.num_perm, params.lsh_threshold,
                           params.lsh_min_recall),
           params.seed) {}

absl::StatusOr<std::unique_ptr<FeaturePipeline>> FeaturePipeline::Create(
    const IndexParams& params, absl::string_view chrome_model) {
  SYNDEX_RETURN_IF_ERROR(params.Validate());
  BoilerplateModel chrome;
  if (!chrome_model.empty()) {
    ByteReader in(chrome_model, "chrome model");
    SYNDEX_RETURN_IF_ERROR(BoilerplateModel::ReadFrom(&in, &chrome));
    if (in.remaining() != 0) return in.Fail("trailing bytes");
  }
  return std::unique_ptr<FeaturePipeline>(
      new FeaturePipeline(params, std::move(chrome)));
}

CopyFeatures FeaturePipeline::Features(const Article& article,
                                       DocumentTerms* terms) const {
  CopyFeatures f;
  std::vector<absl::string_view> tokens;
  extractor_.Extract(article, &chrome_, &f, &tokens);
  if (terms != nullptr) {
    // A vocabulary of this document alone numbers its terms in order of
    // first occurrence, with the counts the index stores.
    Vocabulary own;
    const TermCounts counts = own.Count(tokens, /*grow=*/true);
    terms->hashes.resize(counts.ids.size());
    terms->counts.resize(counts.ids.size());
    for (size_t i = 0; i < counts.ids.size(); ++i) {
      terms->hashes[counts.ids[i]] =
          Hash64(own.term(counts.ids[i]), kDefaultSeed);
      terms->counts[counts.ids[i]] =
          std::min<uint32_t>(counts.counts[i], 65535);
    }
  }
  return f;
}

void FeaturePipeline::BandKeys(const uint32_t* signature, uint64_t* out) const {
  for (int b = 0; b < bands(); ++b) out[b] = lsh_.BandKey(b, signature);
}

std::vector<uint64_t> BucketPairs(std::vector<BandEntry>* entries) {
  std::sort(entries->begin(), entries->end(),
            [](const BandEntry& x, const BandEntry& y) {
              if (x.band != y.band) return x.band < y.band;
              if (x.key != y.key) return x.key < y.key;
              return x.doc < y.doc;
            });
  std::vector<uint64_t> pairs;
  const std::vector<BandEntry>& e = *entries;
  size_t begin = 0;
  while (begin < e.size()) {
    size_t end = begin + 1;
    while (end < e.size() && e[end].band == e[begin].band &&
           e[end].key == e[begin].key) {
      ++end;
    }
    ForEachBucketPair(
        end - begin, kMaxLshBucket,
        [&](size_t i) -> uint32_t { return e[begin + i].doc; },
        [&](uint32_t a, uint32_t b) {
          pairs.push_back(uint64_t{a} << 32 | b);
        });
    begin = end;
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

bool CopyLinkNeedsCosine(const PairScores& scores,
                         const RelationOptions& options) {
  PairScores without = scores;
  without.cosine = 0;
  return Decide(without, options).rule == Rule::kCharacters;
}

Relation CopyLink(const PairScores& scores, const RelationOptions& options) {
  // As VerifyCopies: a pair that is no copy at cosine 0 is none; the
  // others are classified with their cosine, excerpts left out.
  PairScores without = scores;
  without.cosine = 0;
  if (!IsCopy(Classify(without, options))) return Relation::kNone;
  const Relation r = Classify(scores, Joining(options));
  return IsCopy(r) ? r : Relation::kNone;
}

bool EntryNeedsCosine(const PairScores& scores,
                      const RelationOptions& options) {
  return CopyLinkNeedsCosine(scores, options);
}

Relation EntryRelation(const PairScores& scores, Relation best_copy,
                       const RelationOptions& options) {
  const Relation r = Classify(scores, options);
  return IsCopy(r) ? r : best_copy;
}

absl::StatusOr<float> TfIdfCosine(const TermVector& a, const TermVector& b,
                                  uint64_t num_docs, uint32_t min_df) {
  // A vocabulary of the two documents' terms, numbered in the corpus
  // vocabulary's order, with the corpus's frequencies: its weights and
  // sums run in the same order over the same values as the index's.
  std::vector<std::pair<uint64_t, uint32_t>> terms;  // (order, df)
  for (const TermVector* v : {&a, &b}) {
    if (v->order.size() != v->counts.size() ||
        v->order.size() != v->df.size()) {
      return absl::InvalidArgumentError("term vector arrays differ in size");
    }
    for (size_t i = 0; i < v->order.size(); ++i) {
      if (v->df[i] > num_docs) {
        return absl::InvalidArgumentError(
            "document frequency above the number of documents");
      }
      terms.emplace_back(v->order[i], v->df[i]);
    }
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end(),
                          [](const auto& x, const auto& y) {
                            return x.first == y.first;
                          }),
              terms.end());
  std::string bytes;
  ByteWriter out(&bytes);
  out.U64(num_docs);
  out.U64(terms.size());
  std::vector<uint32_t> df;
  for (size_t i = 0; i < terms.size(); ++i) {
    out.String(absl::StrCat(i));
    df.push_back(terms[i].second);
  }
  out.Array(df);
  Vocabulary vocabulary;
  ByteReader in(bytes, "term statistics");
  SYNDEX_RETURN_IF_ERROR(Vocabulary::ReadFrom(&in, &vocabulary));
  auto counts_of = [&](const TermVector& v) {
    std::vector<uint64_t> local;  // id << 32 | count
    for (size_t i = 0; i < v.order.size(); ++i) {
      const auto it = std::lower_bound(
          terms.begin(), terms.end(), std::make_pair(v.order[i], uint32_t{0}),
          [](const auto& x, const auto& y) { return x.first < y.first; });
      local.push_back(uint64_t(it - terms.begin()) << 32 |
                      std::min<uint32_t>(v.counts[i], 65535));
    }
    std::sort(local.begin(), local.end());
    TermCounts c;
    for (uint64_t x : local) {
      c.ids.push_back(static_cast<uint32_t>(x >> 32));
      c.counts.push_back(static_cast<uint32_t>(x));
    }
    return c;
  };
  return Dot(vocabulary.Weigh(counts_of(a), min_df),
             vocabulary.Weigh(counts_of(b), min_df));
}

}  // namespace syndex
