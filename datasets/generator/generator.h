#ifndef SYNDEX_DATASETS_GENERATOR_GENERATOR_H_
#define SYNDEX_DATASETS_GENERATOR_GENERATOR_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "datasets/generator/outlet.h"
#include "datasets/generator/story.h"
#include "datasets/generator/vocabulary.h"
#include "datasets/generator/web_outlet.h"

namespace syndex {
namespace gen {

// How an article's text came to be (the truth file's `kind` column).
enum class Kind {
  kOriginal,    // A write-up that other articles copy.
  kRelated,     // An independent write-up of a story with several write-ups.
  kUnrelated,   // The only article of its story.
  kSyndicated,  // A republished copy of a write-up, edited.
  kExact,       // A byte-identical copy of a write-up's title and text.
  kExcerpt,     // 20-40% of a write-up quoted inside another article.
};
inline constexpr int kKindCount = 6;
const char* KindName(Kind kind);

// Parses "syndicated=0.4,exact=0.1,..." into fractions (normalized to sum to
// 1; kinds not named get 0). InvalidArgumentError on unknown kinds, bad
// numbers, negative values or an all-zero mix.
absl::StatusOr<std::array<double, kKindCount>> ParseMix(absl::string_view mix);

// The default mix, as a string ParseMix accepts.
inline constexpr const char kDefaultMix[] =
    "original=0.08,related=0.12,unrelated=0.25,syndicated=0.42,exact=0.05,"
    "excerpt=0.08";

struct GeneratorOptions {
  int64_t articles = 10000;
  uint64_t seed = 1;
  int outlets = 200;  // Regular outlets; kWireCount wires come on top.
  int min_words = 150;
  int max_words = 1500;
  std::array<double, kKindCount> mix{};  // From ParseMix.
  int vocabulary = 60000;
  int topics = 40;
  // The web style (--style web): pages as scrapers extract them, with each
  // outlet's template inline or in lines, related-article teasers, HTML
  // remnants, wire briefs and follow-ups. Default: false (chrome lines).
  bool web = false;
};

// Streams a labeled corpus to an article sink and a truth sink.
//
// Articles are produced in blocks of kBlockArticles; each block is generated
// from (options, block number) alone and shuffled, so memory stays constant,
// blocks can be made in parallel, and the output depends only on the options.
// Ids name their block: article "a<8 digits>" (the line number from 0), story
// "s<block>-<n>", copy group "g<block>-<n>".
//
// Thread-safe: WriteBlock is const.
class Generator {
 public:
  static constexpr int kBlockArticles = 2048;

  explicit Generator(const GeneratorOptions& options);

  int64_t block_count() const {
    return (options_.articles + kBlockArticles - 1) / kBlockArticles;
  }

  // Appends block `block`'s JSON lines to `corpus` and its truth rows to
  // `truth` (no header). REQUIRES: 0 <= block < block_count().
  void WriteBlock(int64_t block, std::string* corpus, std::string* truth) const;

  // The truth file's header line (with '\n').
  static const char* TruthHeader();

 private:
  struct Doc;
  struct BlockStory;
  struct WriteUpRec;

  std::vector<Doc> GenerateBlock(int64_t block, int64_t size,
                                 std::vector<BlockStory>* stories,
                                 std::vector<WriteUpRec>* writeups) const;
  std::array<int64_t, kKindCount> BlockCounts(int64_t begin, int64_t end) const;
  int LengthSample(Rng& rng) const;
  int RegularOutlet(Rng& rng) const;

  // Web style (generator_web.cc). Writes write-up `i` as a short brief or
  // as a follow-up of an earlier write-up of its story (`written[story]`
  // lists the story's write-ups so far, `i` last); returns false, having
  // drawn at most a few numbers, if `i` is neither.
  bool WriteWebVariant(Rng& rng, size_t i,
                       const std::vector<BlockStory>& stories,
                       const std::vector<std::vector<int>>& written,
                       std::vector<WriteUpRec>* writeups) const;
  // The outlet of an exact copy of a page of `source`: `outlet`, or one
  // that lays out its pages like `source` (the copy keeps them as they are).
  int ExactCarrier(Rng& rng, int source, int outlet) const;
  // Adds agency markup (ticker links, reporting credit) to a wire write-up.
  void AddWireCopy(Rng& rng, const Story& story, WriteUpRec* w) const;
  // Renders every article's page: chrome, related teasers, markup.
  void RenderWebBlock(Rng& rng, const std::vector<BlockStory>& stories,
                      const std::vector<WriteUpRec>& writeups,
                      std::vector<Doc>* docs) const;

  GeneratorOptions options_;
  Vocabulary vocab_;
  StoryWriter writer_;
  std::vector<Topic> topics_;
  std::vector<Outlet> outlets_;
  std::vector<WebTemplate> web_templates_;  // Web style: one per outlet.
  ZipfTable outlet_zipf_;
  double length_mu_;
  double length_sigma_;
};

// Writes bytes to a plain file or, when the path ends in ".gz", through zlib.
class Sink {
 public:
  ~Sink();
  static absl::StatusOr<std::unique_ptr<Sink>> Open(const std::string& path);
  absl::Status Write(absl::string_view bytes);
  absl::Status Close();

 private:
  Sink() = default;
  std::string path_;
  void* file_ = nullptr;  // FILE* or gzFile.
  bool gzip_ = false;
};

}  // namespace gen
}  // namespace syndex

#endif  // SYNDEX_DATASETS_GENERATOR_GENERATOR_H_
