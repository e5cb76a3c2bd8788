#include "engine/text/boilerplate.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "engine/text/tokenize.h"
#include "engine/util/hash.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// Line identity (persisted in the model): a line's hash is
// Hash64(line, kDefaultSeed); a (source, line) pair's hash is
// Hash64(line, Hash64(source, kDefaultSeed)).
uint64_t LineHash(absl::string_view line) { return Hash64(line, kDefaultSeed); }
uint64_t SourceSeed(absl::string_view source) {
  return Hash64(source, kDefaultSeed);
}

// Calls fn(line) for each '\n'-separated line of `text`.
template <typename Fn>
void ForEachLine(absl::string_view text, Fn fn) {
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find('\n', begin);
    if (end == absl::string_view::npos) end = text.size();
    fn(text.substr(begin, end - begin));
    begin = end + 1;
  }
}

// True if `line` has at most `max_tokens` tokens.
bool IsShort(absl::string_view line, int max_tokens,
             std::vector<absl::string_view>* scratch) {
  scratch->clear();
  Tokenize(line, scratch);
  return scratch->size() <= static_cast<size_t>(std::max(max_tokens, 0));
}

void SortUnique(std::vector<uint64_t>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

std::vector<uint64_t> Sorted(const absl::flat_hash_set<uint64_t>& set) {
  std::vector<uint64_t> v(set.begin(), set.end());
  std::sort(v.begin(), v.end());
  return v;
}

absl::Status ReadSortedSet(ByteReader* in, absl::flat_hash_set<uint64_t>* set) {
  std::vector<uint64_t> v;
  SYNDEX_RETURN_IF_ERROR(in->Array(&v));
  for (size_t i = 1; i < v.size(); ++i) {
    if (v[i - 1] >= v[i]) return in->Fail("boilerplate hashes not sorted");
  }
  set->clear();
  set->reserve(v.size());
  set->insert(v.begin(), v.end());
  return absl::OkStatus();
}

}  // namespace

BoilerplateModel::Builder::Builder(const BoilerplateOptions& options)
    : options_(options) {}

void BoilerplateModel::Builder::Observe(absl::string_view source,
                                        absl::string_view normalized_text) {
  ++docs_;
  const bool keyed = !source.empty();  // Unknown sources: corpus-wide only.
  const uint64_t seed = keyed ? SourceSeed(source) : 0;
  std::vector<absl::string_view> scratch;
  std::vector<uint64_t> lines;
  std::vector<uint64_t> source_lines;
  ForEachLine(normalized_text, [&](absl::string_view line) {
    if (line.empty() || !IsShort(line, options_.max_line_tokens, &scratch)) {
      return;
    }
    lines.push_back(LineHash(line));
    if (keyed) source_lines.push_back(Hash64(line, seed));
  });
  // Each distinct line counts once per article.
  SortUnique(&lines);
  SortUnique(&source_lines);
  for (uint64_t h : lines) ++corpus_counts_[h];
  for (uint64_t h : source_lines) ++source_counts_[h];
}

void BoilerplateModel::Builder::Merge(const Builder& other) {
  docs_ += other.docs_;
  for (const auto& [h, n] : other.corpus_counts_) corpus_counts_[h] += n;
  for (const auto& [h, n] : other.source_counts_) source_counts_[h] += n;
}

void BoilerplateModel::Builder::AppendTo(ByteWriter* out) const {
  out->U64(docs_);
  for (const auto* counts : {&corpus_counts_, &source_counts_}) {
    std::vector<std::pair<uint64_t, uint32_t>> sorted(counts->begin(),
                                                      counts->end());
    std::sort(sorted.begin(), sorted.end());
    std::vector<uint64_t> hashes;
    std::vector<uint32_t> n;
    for (const auto& [h, c] : sorted) {
      hashes.push_back(h);
      n.push_back(c);
    }
    out->Array(hashes);
    out->Array(n);
  }
}

absl::Status BoilerplateModel::Builder::ReadFrom(ByteReader* in,
                                                 Builder* builder) {
  Builder read(builder->options_);
  SYNDEX_RETURN_IF_ERROR(in->U64(&read.docs_));
  for (auto* counts : {&read.corpus_counts_, &read.source_counts_}) {
    std::vector<uint64_t> hashes;
    std::vector<uint32_t> n;
    SYNDEX_RETURN_IF_ERROR(in->Array(&hashes));
    SYNDEX_RETURN_IF_ERROR(in->Array(&n));
    if (hashes.size() != n.size()) return in->Fail("chrome counts mismatch");
    for (size_t i = 0; i < hashes.size(); ++i) {
      if (i > 0 && hashes[i - 1] >= hashes[i]) {
        return in->Fail("chrome count hashes not sorted");
      }
      counts->emplace(hashes[i], n[i]);
    }
  }
  *builder = std::move(read);
  return absl::OkStatus();
}

BoilerplateModel BoilerplateModel::Builder::Build() && {
  BoilerplateModel model;
  const double corpus_min =
      std::max(static_cast<double>(options_.min_corpus_docs),
               options_.corpus_fraction * static_cast<double>(docs_));
  for (const auto& [hash, count] : corpus_counts_) {
    if (static_cast<double>(count) >= corpus_min) {
      model.corpus_lines_.insert(hash);
    }
  }
  for (const auto& [hash, count] : source_counts_) {
    if (static_cast<int64_t>(count) >= options_.min_source_docs) {
      model.source_lines_.insert(hash);
    }
  }
  corpus_counts_.clear();
  source_counts_.clear();
  return model;
}

bool BoilerplateModel::IsBoilerplate(absl::string_view source,
                                     absl::string_view line) const {
  if (corpus_lines_.contains(LineHash(line))) return true;
  if (source.empty() || source_lines_.empty()) return false;
  return source_lines_.contains(Hash64(line, SourceSeed(source)));
}

std::string BoilerplateModel::Strip(absl::string_view source,
                                    absl::string_view normalized_text) const {
  if (size() == 0) return std::string(normalized_text);
  const uint64_t seed = SourceSeed(source);
  std::string out;
  out.reserve(normalized_text.size());
  bool kept = false;
  ForEachLine(normalized_text, [&](absl::string_view line) {
    if (corpus_lines_.contains(LineHash(line))) return;
    if (!source.empty() && source_lines_.contains(Hash64(line, seed))) return;
    if (kept) out.push_back('\n');
    out.append(line.data(), line.size());
    kept = true;
  });
  if (!kept) return std::string(normalized_text);
  return out;
}

void BoilerplateModel::AppendTo(ByteWriter* out) const {
  out->Array(Sorted(corpus_lines_));
  out->Array(Sorted(source_lines_));
}

absl::Status BoilerplateModel::ReadFrom(ByteReader* in,
                                        BoilerplateModel* model) {
  BoilerplateModel read;
  SYNDEX_RETURN_IF_ERROR(ReadSortedSet(in, &read.corpus_lines_));
  SYNDEX_RETURN_IF_ERROR(ReadSortedSet(in, &read.source_lines_));
  *model = std::move(read);
  return absl::OkStatus();
}

std::string SourceKey(absl::string_view source, absl::string_view url) {
  if (!source.empty()) return std::string(source);
  absl::string_view rest = url;
  const size_t scheme = rest.find("://");
  if (scheme != absl::string_view::npos) {
    rest.remove_prefix(scheme + 3);
  } else if (absl::StartsWith(rest, "//")) {
    rest.remove_prefix(2);
  }
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const size_t at = rest.rfind('@');
  if (at != absl::string_view::npos) rest.remove_prefix(at + 1);
  if (absl::StartsWith(rest, "[")) {
    const size_t close = rest.find(']');
    if (close != absl::string_view::npos) rest = rest.substr(0, close + 1);
  } else {
    rest = rest.substr(0, rest.find(':'));
  }
  std::string host = absl::AsciiStrToLower(rest);
  if (absl::StartsWith(host, "www.")) host.erase(0, 4);
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

}  // namespace syndex
