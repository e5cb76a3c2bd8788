// The steps of the distributed copy groups (engine/scale_out.h), each on
// the engine's own code.

#include "engine/scale_out.h"

#include <algorithm>
#include <fstream>
#include <limits>

#include "absl/strings/str_cat.h"
#include "engine/clustering/candidates.h"
#include "engine/clustering/clustering.h"
#include "engine/clustering/full_copies.h"
#include "engine/clustering/pairs.h"
#include "engine/text/markup.h"
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

absl::StatusOr<std::vector<std::string>> ObserveChrome(
    const IndexParams& params, const std::vector<Article>& articles,
    uint64_t first, uint64_t batch_size) {
  SYNDEX_RETURN_IF_ERROR(params.Validate());
  if (batch_size == 0) return absl::InvalidArgumentError("batch size 0");
  std::vector<ChromeModel::Learner> learners;
  for (size_t i = 0; i < articles.size(); ++i) {
    const uint64_t batch = (first + i) / batch_size - first / batch_size;
    while (learners.size() <= batch) learners.emplace_back(params.chrome);
    const Article& a = articles[i];
    learners[batch].Observe(SourceKey(a.source, a.url), CleanText(a.text));
  }
  std::vector<std::string> out(learners.size());
  for (size_t b = 0; b < learners.size(); ++b) {
    ByteWriter writer(&out[b]);
    learners[b].AppendTo(&writer);
  }
  return out;
}

namespace {

absl::Status ReadLearner(const IndexParams& params, absl::string_view bytes,
                         ChromeModel::Learner* learner) {
  ByteReader in(bytes, "chrome learner");
  SYNDEX_RETURN_IF_ERROR(
      ChromeModel::Learner::ReadFrom(&in, params.chrome, learner));
  if (in.remaining() != 0) return in.Fail("trailing bytes");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> MergeChromeLearners(
    const IndexParams& params, const std::vector<std::string>& learners) {
  SYNDEX_RETURN_IF_ERROR(params.Validate());
  ChromeModel::Learner merged(params.chrome);
  for (const std::string& bytes : learners) {
    ChromeModel::Learner other(params.chrome);
    SYNDEX_RETURN_IF_ERROR(ReadLearner(params, bytes, &other));
    merged.Merge(std::move(other));
  }
  std::string out;
  ByteWriter writer(&out);
  merged.AppendTo(&writer);
  return out;
}

absl::StatusOr<std::vector<std::string>> ChromeModels(
    const IndexParams& params, const std::vector<std::string>& learners) {
  SYNDEX_RETURN_IF_ERROR(params.Validate());
  ChromeModel model(params.chrome);
  std::vector<std::string> out;
  for (const std::string& bytes : learners) {
    ChromeModel::Learner learner(params.chrome);
    SYNDEX_RETURN_IF_ERROR(ReadLearner(params, bytes, &learner));
    std::move(learner).LearnInto(&model);
    ByteWriter writer(&out.emplace_back());
    model.AppendTo(&writer);
  }
  return out;
}

FeaturePipeline::FeaturePipeline(const IndexParams& params, ChromeModel chrome)
    : params_(params),
      extractor_(params.features()),
      chrome_(std::move(chrome)),
      lsh_(ChooseLshParams(params.num_perm, params.lsh_threshold,
                           params.lsh_min_recall),
           params.seed) {}

absl::StatusOr<std::unique_ptr<FeaturePipeline>> FeaturePipeline::Create(
    const IndexParams& params, absl::string_view chrome_model) {
  SYNDEX_RETURN_IF_ERROR(params.Validate());
  ChromeModel chrome(params.chrome);
  if (!chrome_model.empty()) {
    ByteReader in(chrome_model, "chrome model");
    SYNDEX_RETURN_IF_ERROR(ChromeModel::ReadFrom(&in, params.chrome, &chrome));
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

std::vector<uint64_t> BucketPairs(
    std::vector<BandEntry>* entries,
    const std::function<const ArticleInfo&(uint32_t)>& article,
    std::vector<uint64_t>* duplicates) {
  std::sort(entries->begin(), entries->end(),
            [](const BandEntry& x, const BandEntry& y) {
              if (x.band != y.band) return x.band < y.band;
              if (x.key != y.key) return x.key < y.key;
              return x.doc < y.doc;
            });
  auto before = [&](uint32_t a, uint32_t b) {
    return CanonicalBefore(article(a), article(b));
  };
  std::vector<uint64_t> pairs;
  CandidateCounts counts;
  std::vector<uint32_t> texts;
  absl::flat_hash_map<uint64_t, uint32_t> first;  // content hash -> doc
  const std::vector<BandEntry>& e = *entries;
  size_t begin = 0;
  while (begin < e.size()) {
    size_t end = begin + 1;
    while (end < e.size() && e[end].band == e[begin].band &&
           e[end].key == e[begin].key) {
      ++end;
    }
    // The texts of the bucket, as DistinctTexts (clustering.cc) finds them.
    first.clear();
    for (size_t i = begin; i < end; ++i) {
      const ArticleInfo& a = article(e[i].doc);
      if (a.shingles == 0) continue;
      auto [it, fresh] = first.try_emplace(a.content_hash, e[i].doc);
      if (!fresh && before(e[i].doc, it->second)) it->second = e[i].doc;
    }
    texts.clear();
    for (size_t i = begin; i < end; ++i) {
      const ArticleInfo& a = article(e[i].doc);
      const uint32_t rep =
          a.shingles == 0 ? e[i].doc : first.at(a.content_hash);
      if (rep == e[i].doc) {
        texts.push_back(rep);
      } else {
        duplicates->push_back(uint64_t{e[i].doc} << 32 | rep);
      }
    }
    AppendBucketPairs(&texts, before, CandidateOptions(), &pairs, &counts);
    begin = end;
  }
  for (std::vector<uint64_t>* v : {&pairs, duplicates}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  return pairs;
}

bool LinkNeedsCosine(const PairScores& scores, const RelationOptions& options) {
  PairScores without = scores;
  without.cosine = 0;
  return Decide(without, options).rule == Rule::kCharacters;
}

Relation LinkRelation(const PairScores& scores,
                      const RelationOptions& options) {
  // As VerifyCopies: a pair that is no copy at cosine 0 is none; the
  // others are classified with their cosine, excerpts left out.
  PairScores without = scores;
  without.cosine = 0;
  if (!IsCopy(Classify(without, options))) return Relation::kNone;
  const Relation r = Classify(scores, Joining(options));
  return IsCopy(r) ? r : Relation::kNone;
}

absl::StatusOr<std::vector<ComponentEntry>> PlaceComponents(
    const std::vector<ComponentArticle>& articles,
    const std::vector<CopyLink>& links, int num_perm, int char_perm,
    const RelationOptions& relations,
    const absl::flat_hash_map<uint64_t, float>& cosines,
    std::vector<uint64_t>* missing) {
  // The articles numbered 0..m-1 (their place in `articles`): the groups
  // of whole components do not depend on the other articles.
  const uint32_t m = static_cast<uint32_t>(articles.size());
  absl::flat_hash_map<uint32_t, uint32_t> local;
  for (uint32_t i = 0; i < m; ++i) local.try_emplace(articles[i].doc, i);
  auto at = [&](uint32_t doc) -> absl::StatusOr<uint32_t> {
    auto it = local.find(doc);
    if (it == local.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("article ", doc, " is not in the component"));
    }
    return it->second;
  };
  std::vector<uint32_t> representative(m), order;
  for (uint32_t i = 0; i < m; ++i) {
    SYNDEX_ASSIGN_OR_RETURN(representative[i], at(articles[i].representative));
    if (representative[i] == i) order.push_back(i);
  }
  auto article = [&](uint32_t i) -> const ArticleInfo& {
    return articles[i].info;
  };
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return CanonicalBefore(article(a), article(b));
  });
  std::vector<CopyLink> placed;
  for (const CopyLink& l : links) {
    SYNDEX_ASSIGN_OR_RETURN(const uint32_t a, at(l.a));
    SYNDEX_ASSIGN_OR_RETURN(const uint32_t b, at(l.b));
    placed.push_back({a, b, l.relation, l.jaccard});
  }
  auto score = [&](uint32_t a, uint32_t b) {
    const ComponentArticle& x = articles[a];
    const ComponentArticle& y = articles[b];
    PairScores s =
        ScoreSketches({x.info.content_hash, x.info.shingles, x.info.char_grams,
                       x.signature, x.char_signature, x.info.published},
                      {y.info.content_hash, y.info.shingles, y.info.char_grams,
                       y.signature, y.char_signature, y.info.published},
                      num_perm, char_perm, 0);
    // Only the character rule reads the cosine (LinkNeedsCosine).
    if (!LinkNeedsCosine(s, relations)) return s;
    const uint64_t key = PairKey(x.doc, y.doc);
    auto it = cosines.find(key);
    if (it == cosines.end()) {
      missing->push_back(key);
    } else {
      s.cosine = it->second;
    }
    return s;
  };
  CopyGroups groups = PlaceCopyGroups(m, order, placed);
  const std::vector<uint32_t> promoted =
      PromoteFullCopies(m, order, groups, article, score, relations, &placed);
  if (promoted != order) groups = PlaceCopyGroups(m, promoted, placed);

  std::vector<ComponentEntry> entries(m);
  for (uint32_t i = 0; i < m; ++i) {
    const uint32_t rep = representative[i];
    const uint32_t c = groups.canonical[rep];
    ComponentEntry& e = entries[i];
    e.doc = articles[i].doc;
    e.canonical = articles[c].doc;
    if (c == i) continue;
    // An exact duplicate of a member joined as that member did.
    const Relation joined_by = rep == i || groups.canonical[rep] != rep
                                   ? groups.link[rep]
                                   : Relation::kExact;
    const PairScores s = score(i, c);
    e.relation = MemberRelation(s, joined_by, relations);
    e.jaccard = s.jaccard;
    e.containment = s.containment_ab;
  }
  return entries;
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
