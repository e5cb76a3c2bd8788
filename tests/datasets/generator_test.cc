// Runs the built syndex-gen binary and checks its corpus and truth files.

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/util/file.h"
#include "engine/util/hash.h"
#include "gtest/gtest.h"
#include "tests/datasets/corpus_testing.h"
#include "zlib.h"

namespace syndex {
namespace {

using testing_datasets::ParseCorpus;
using testing_datasets::ParseTruth;
using testing_datasets::Record;
using testing_datasets::TruthRow;

constexpr int kArticles = 2000;

// ctest runs every test in its own process, possibly at the same time, so
// temporary names carry the process id.
std::string TempPath(const std::string& name) {
  return absl::StrCat(::testing::TempDir(), "/generator_test_", ::getpid(),
                      "_", name);
}

// The directory holding syndex-gen: $SYNDEX_BIN_DIR, else bin/ next to the
// tests/ directory this binary runs from.
std::string BinDir() {
  if (const char* bin = std::getenv("SYNDEX_BIN_DIR")) return bin;
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) return ".";
  std::string path(self, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/')) + "/../bin";
}

// Runs syndex-gen with `args`; returns its exit status.
int RunGen(const std::string& args) {
  const std::string command =
      absl::StrCat(BinDir(), "/syndex-gen ", args, " 2>/dev/null");
  return std::system(command.c_str());
}

std::string Slurp(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

// Hashes of the `k`-word shingles of `text`, words being lower-cased ASCII
// alphanumeric runs.
absl::flat_hash_set<uint64_t> Shingles(const std::string& text, size_t k = 5) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text + " ") {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      word.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  absl::flat_hash_set<uint64_t> shingles;
  for (size_t i = 0; i + k <= words.size(); ++i) {
    std::string shingle = words[i];
    for (size_t j = i + 1; j < i + k; ++j) {
      absl::StrAppend(&shingle, " ", words[j]);
    }
    shingles.insert(Hash64(shingle, kDefaultSeed));
  }
  return shingles;
}

// |a & b| / min(|a|, |b|).
double Overlap(const absl::flat_hash_set<uint64_t>& a,
               const absl::flat_hash_set<uint64_t>& b) {
  if (a.empty() || b.empty()) return 0;
  const auto& small = a.size() < b.size() ? a : b;
  const auto& large = a.size() < b.size() ? b : a;
  size_t common = 0;
  for (uint64_t h : small) common += large.contains(h);
  return static_cast<double>(common) / small.size();
}

int Words(const std::string& text) {
  return static_cast<int>(
      std::vector<absl::string_view>(
          absl::StrSplit(text, absl::ByAnyChar(" \n"), absl::SkipEmpty()))
          .size());
}

// Checks the truth against the corpus: every id once, known kinds, one
// write-up per copy group, copies of the group's story published after it,
// exact copies byte-identical at another outlet, unrelated stories alone.
void ExpectTruthConsistent(const std::vector<Record>& records,
                           const std::vector<TruthRow>& truth) {
  std::map<std::string, const Record*> by_id;
  for (const Record& r : records) by_id[r.id] = &r;
  const std::set<std::string> kinds = {"original",   "related", "unrelated",
                                       "syndicated", "exact",   "excerpt"};
  std::map<std::string, std::vector<const TruthRow*>> groups;
  std::map<std::string, int> story_sizes;
  std::set<std::string> ids;
  for (const TruthRow& row : truth) {
    EXPECT_TRUE(by_id.count(row.id)) << row.id;
    EXPECT_TRUE(kinds.count(row.kind)) << row.kind;
    EXPECT_FALSE(row.transforms.empty());
    ids.insert(row.id);
    groups[row.copy_group].push_back(&row);
    ++story_sizes[row.story];
  }
  EXPECT_EQ(ids.size(), by_id.size());
  for (const auto& [group, rows] : groups) {
    int writeups = 0, copies = 0;
    const TruthRow* source = nullptr;
    for (const TruthRow* row : rows) {
      if (row->kind == "original" || row->kind == "related" ||
          row->kind == "unrelated") {
        ++writeups;
        source = row;
      } else {
        ++copies;
      }
    }
    ASSERT_EQ(writeups, 1) << group;
    EXPECT_EQ(source->kind == "original", copies > 0) << group;
    for (const TruthRow* row : rows) {
      EXPECT_EQ(row->story, source->story);
      if (row != source) {
        // Copies appear after their source (ISO strings sort by time).
        EXPECT_GT(by_id.at(row->id)->published,
                  by_id.at(source->id)->published);
      }
      if (row->kind == "exact") {
        EXPECT_EQ(by_id.at(row->id)->text, by_id.at(source->id)->text);
        EXPECT_NE(by_id.at(row->id)->source, by_id.at(source->id)->source);
      }
    }
    if (source->kind == "unrelated") {
      EXPECT_EQ(story_sizes[source->story], 1);
    }
  }
}

class GeneratorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    status_ = RunGen(absl::StrCat("--articles ", kArticles,
                                  " --seed 11 --output ", TempPath("a.jsonl"),
                                  " --truth ", TempPath("a.tsv")));
    if (status_ != 0) return;
    corpus_ = new std::string(Slurp(TempPath("a.jsonl")));
    truth_bytes_ = new std::string(Slurp(TempPath("a.tsv")));
    records_ = new std::vector<Record>();
    truth_ = new std::vector<TruthRow>();
    parsed_ = ParseCorpus(*corpus_, records_, &error_) &&
              ParseTruth(*truth_bytes_, 5, truth_, &error_);
  }
  static void TearDownTestSuite() {
    delete corpus_;
    delete truth_bytes_;
    delete records_;
    delete truth_;
  }
  void SetUp() override {
    ASSERT_EQ(status_, 0) << "syndex-gen failed in " << BinDir();
    ASSERT_TRUE(parsed_) << error_;
    ASSERT_EQ(records_->size(), truth_->size());
  }

  // Truth rows and records by id.
  static std::map<std::string, const Record*> RecordsById() {
    std::map<std::string, const Record*> out;
    for (const Record& r : *records_) out[r.id] = &r;
    return out;
  }

  static inline int status_ = -1;
  static inline bool parsed_ = false;
  static inline std::string error_;
  static inline std::string* corpus_ = nullptr;
  static inline std::string* truth_bytes_ = nullptr;
  static inline std::vector<Record>* records_ = nullptr;
  static inline std::vector<TruthRow>* truth_ = nullptr;
};

TEST_F(GeneratorTest, SameSeedSameBytesWhateverTheThreads) {
  ASSERT_EQ(RunGen(absl::StrCat("--articles ", kArticles,
                                " --seed 11 --threads 1 --output ",
                                TempPath("b.jsonl"), " --truth ",
                                TempPath("b.tsv"))),
            0);
  EXPECT_TRUE(Slurp(TempPath("b.jsonl")) == *corpus_);
  EXPECT_TRUE(Slurp(TempPath("b.tsv")) == *truth_bytes_);
}

TEST_F(GeneratorTest, DifferentSeedDifferentCorpus) {
  ASSERT_EQ(RunGen(absl::StrCat("--articles ", kArticles,
                                " --seed 12 --output ", TempPath("c.jsonl"))),
            0);
  const std::string other = Slurp(TempPath("c.jsonl"));
  EXPECT_FALSE(other == *corpus_);
  std::vector<Record> records;
  std::string error;
  ASSERT_TRUE(ParseCorpus(other, &records, &error)) << error;
  ASSERT_EQ(records.size(), records_->size());
  int same_text = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    same_text += records[i].text == (*records_)[i].text;
  }
  EXPECT_EQ(same_text, 0);
}

TEST_F(GeneratorTest, EveryLineHasAllFieldsAndUniqueIds) {
  EXPECT_EQ(records_->size(), static_cast<size_t>(kArticles));
  std::set<std::string> ids;
  for (const Record& r : *records_) {
    EXPECT_FALSE(r.id.empty());
    EXPECT_FALSE(r.title.empty()) << r.id;
    EXPECT_FALSE(r.text.empty()) << r.id;
    EXPECT_NE(r.source.find('.'), std::string::npos) << r.id;
    EXPECT_EQ(r.url.rfind("https://" + r.source + "/", 0), 0u) << r.id;
    EXPECT_TRUE(testing_datasets::IsIsoDateTime(r.published)) << r.published;
    ids.insert(r.id);
  }
  EXPECT_EQ(ids.size(), records_->size());
}

TEST_F(GeneratorTest, TruthCoversEveryIdAndIsConsistent) {
  ExpectTruthConsistent(*records_, *truth_);
}

TEST_F(GeneratorTest, KindsFollowTheDefaultMix) {
  std::map<std::string, int> counts;
  for (const TruthRow& row : *truth_) ++counts[row.kind];
  const std::map<std::string, double> expected = {
      {"original", 0.08},   {"related", 0.12}, {"unrelated", 0.25},
      {"syndicated", 0.42}, {"exact", 0.05},   {"excerpt", 0.08}};
  for (const auto& [kind, fraction] : expected) {
    EXPECT_NEAR(counts[kind] / static_cast<double>(kArticles), fraction, 0.03)
        << kind;
  }
}

TEST_F(GeneratorTest, CopiesShareShinglesAndDifferentStoriesDoNot) {
  const std::map<std::string, const Record*> by_id = RecordsById();
  std::map<std::string, std::string> source_of_group;
  for (const TruthRow& row : *truth_) {
    if (row.kind == "original") source_of_group[row.copy_group] = row.id;
  }
  int copies = 0, similar = 0, excerpts = 0, excerpts_similar = 0;
  for (const TruthRow& row : *truth_) {
    const bool copy = row.kind == "syndicated" || row.kind == "exact";
    if (!copy && row.kind != "excerpt") continue;
    if (row.transforms.find("ocr") != std::string::npos) continue;
    const double overlap =
        Overlap(Shingles(by_id.at(row.id)->text),
                Shingles(by_id.at(source_of_group.at(row.copy_group))->text));
    if (copy) {
      ++copies;
      similar += overlap >= 0.5;
    } else {
      ++excerpts;
      excerpts_similar += overlap >= 0.1;
    }
  }
  ASSERT_GT(copies, 500);
  EXPECT_GE(similar, copies * 95 / 100);
  ASSERT_GT(excerpts, 50);
  EXPECT_GE(excerpts_similar, excerpts * 9 / 10);

  // Articles of different stories (and different look-alike pairs) share
  // almost nothing beyond site chrome.
  double total = 0, worst = 0;
  int pairs = 0;
  for (size_t i = 0; i + 7 < truth_->size(); i += 3) {
    const TruthRow& a = (*truth_)[i];
    const TruthRow& b = (*truth_)[i + 7];
    if (a.story.substr(0, 11) == b.story.substr(0, 11)) continue;
    const double overlap = Overlap(Shingles(by_id.at(a.id)->text),
                                   Shingles(by_id.at(b.id)->text));
    total += overlap;
    worst = std::max(worst, overlap);
    ++pairs;
  }
  ASSERT_GT(pairs, 500);
  EXPECT_LT(total / pairs, 0.02);
  EXPECT_LT(worst, 0.2);
}

TEST_F(GeneratorTest, LookalikeStoryPairsArePlanted) {
  // Twin stories "<base>.1" and "<base>.2" exist and are distinct stories.
  std::map<std::string, std::set<std::string>> twins;
  for (const TruthRow& row : *truth_) {
    const size_t dot = row.story.find('.');
    if (dot != std::string::npos) {
      twins[row.story.substr(0, dot)].insert(row.story);
    }
  }
  int pairs = 0;
  for (const auto& [base, stories] : twins) pairs += stories.size() == 2;
  EXPECT_GT(pairs, 5);
}

TEST_F(GeneratorTest, OutletChromeRecurs) {
  std::map<std::string, std::vector<const Record*>> by_source;
  for (const Record& r : *records_) by_source[r.source].push_back(&r);
  int outlets = 0, with_chrome = 0;
  for (const auto& [source, records] : by_source) {
    if (records.size() < 8) continue;
    ++outlets;
    std::map<std::string, int> line_counts;
    for (const Record* r : records) {
      std::set<std::string> lines = absl::StrSplit(r->text, '\n');
      for (const std::string& line : lines) ++line_counts[line];
    }
    for (const auto& [line, count] : line_counts) {
      if (count >= static_cast<int>(records.size()) * 7 / 10) {
        ++with_chrome;
        break;
      }
    }
  }
  ASSERT_GT(outlets, 20);
  EXPECT_GE(with_chrome, outlets / 2);
}

TEST_F(GeneratorTest, DefaultLengthGivesTwoAndAHalfToFiveKilobytes) {
  const double bytes_per_article =
      static_cast<double>(corpus_->size()) / records_->size();
  EXPECT_GE(bytes_per_article, 2500);
  EXPECT_LE(bytes_per_article, 5000);
}

TEST_F(GeneratorTest, WriteUpsRespectMinAndMaxWords) {
  ASSERT_EQ(RunGen(absl::StrCat("--articles 1000 --seed 5 --min_words 200 "
                                "--max_words 400 --output ",
                                TempPath("d.jsonl"), " --truth ",
                                TempPath("d.tsv"))),
            0);
  std::vector<Record> records;
  std::vector<TruthRow> truth;
  std::string error;
  ASSERT_TRUE(ParseCorpus(Slurp(TempPath("d.jsonl")), &records, &error));
  ASSERT_TRUE(ParseTruth(Slurp(TempPath("d.tsv")), 5, &truth, &error));
  ASSERT_EQ(records.size(), truth.size());
  double sum = 0;
  int n = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string& kind = truth[i].kind;
    if (kind != "original" && kind != "related" && kind != "unrelated") continue;
    // Chrome lines come on top of the body, so only the minimum is strict.
    const int words = Words(records[i].text);
    EXPECT_GE(words, 200) << records[i].id;
    EXPECT_LE(words, 400 + 60) << records[i].id;
    sum += words;
    ++n;
  }
  ASSERT_GT(n, 100);
  EXPECT_GT(sum / n, 200);
  EXPECT_LT(sum / n, 400);
}

TEST_F(GeneratorTest, GzipOutputHoldsTheSameBytes) {
  ASSERT_EQ(RunGen(absl::StrCat("--articles ", kArticles,
                                " --seed 11 --output ", TempPath("e.jsonl.gz"))),
            0);
  gzFile in = gzopen(TempPath("e.jsonl.gz").c_str(), "rb");
  ASSERT_NE(in, nullptr);
  std::string bytes;
  char buffer[1 << 16];
  int n;
  while ((n = gzread(in, buffer, sizeof(buffer))) > 0) bytes.append(buffer, n);
  gzclose(in);
  EXPECT_TRUE(bytes == *corpus_);
}

TEST_F(GeneratorTest, MixAndBadFlags) {
  ASSERT_EQ(RunGen(absl::StrCat("--articles 1500 --mix unrelated=1 --output ",
                                TempPath("f.jsonl"), " --truth ",
                                TempPath("f.tsv"))),
            0);
  std::vector<TruthRow> truth;
  std::string error;
  ASSERT_TRUE(ParseTruth(Slurp(TempPath("f.tsv")), 5, &truth, &error));
  ASSERT_EQ(truth.size(), 1500u);
  for (const TruthRow& row : truth) EXPECT_EQ(row.kind, "unrelated");

  const std::string out = absl::StrCat(" --output ", TempPath("g.jsonl"));
  EXPECT_NE(RunGen("--articles 10 --mix bogus=1" + out), 0);
  EXPECT_NE(RunGen("--articles 10 --mix exact=-1" + out), 0);
  EXPECT_NE(RunGen("--articles 0" + out), 0);
  EXPECT_NE(RunGen("--articles 10 --min_words 500 --max_words 100" + out), 0);
  EXPECT_NE(RunGen("--articles 10"), 0);  // No --output.
}

// The default style is frozen: these are the hashes of
// `syndex-gen --articles 300 --seed 3` (corpus and truth) as generated before
// the web style existed. Regenerate them only for a deliberate format change.
TEST(GeneratorDefaultStyleTest, BytesAreUnchanged) {
  for (const std::string style : {"", " --style lines"}) {
    ASSERT_EQ(RunGen(absl::StrCat("--articles 300 --seed 3", style,
                                  " --output ", TempPath("h.jsonl"),
                                  " --truth ", TempPath("h.tsv"))),
              0);
    EXPECT_EQ(Hash64(Slurp(TempPath("h.jsonl")), kDefaultSeed),
              0xba808bdc1d9d043cULL)
        << style;
    EXPECT_EQ(Hash64(Slurp(TempPath("h.tsv")), kDefaultSeed),
              0xe915730d3794fe24ULL)
        << style;
  }
  EXPECT_NE(RunGen(absl::StrCat("--articles 10 --style html --output ",
                                TempPath("h.jsonl"))),
            0);
}

// The web style (--style web) on one block of articles.
class WebGeneratorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    status_ = RunGen(absl::StrCat("--articles ", kArticles,
                                  " --seed 11 --style web --output ",
                                  TempPath("w.jsonl"), " --truth ",
                                  TempPath("w.tsv")));
    if (status_ != 0) return;
    records_ = new std::vector<Record>();
    truth_ = new std::vector<TruthRow>();
    parsed_ = ParseCorpus(Slurp(TempPath("w.jsonl")), records_, &error_) &&
              ParseTruth(Slurp(TempPath("w.tsv")), 5, truth_, &error_);
  }
  static void TearDownTestSuite() {
    delete records_;
    delete truth_;
  }
  void SetUp() override {
    ASSERT_EQ(status_, 0) << "syndex-gen failed in " << BinDir();
    ASSERT_TRUE(parsed_) << error_;
    ASSERT_EQ(records_->size(), truth_->size());
  }

  // Indices of the articles of each outlet, exact copies left out (they
  // reproduce another outlet's page).
  static std::map<std::string, std::vector<size_t>> PagesByOutlet() {
    std::map<std::string, std::vector<size_t>> out;
    for (size_t i = 0; i < records_->size(); ++i) {
      if ((*truth_)[i].kind == "exact") continue;
      out[(*records_)[i].source].push_back(i);
    }
    return out;
  }
  static const Record& record(size_t i) { return (*records_)[i]; }
  static const TruthRow& row(size_t i) { return (*truth_)[i]; }

  static inline int status_ = -1;
  static inline bool parsed_ = false;
  static inline std::string error_;
  static inline std::vector<Record>* records_ = nullptr;
  static inline std::vector<TruthRow>* truth_ = nullptr;
};

TEST_F(WebGeneratorTest, SameBytesWhateverTheThreads) {
  // Three blocks, so that blocks are made in parallel.
  const std::string args = "--articles 5000 --seed 5 --style web";
  ASSERT_EQ(RunGen(absl::StrCat(args, " --threads 1 --output ",
                                TempPath("w1.jsonl"), " --truth ",
                                TempPath("w1.tsv"))),
            0);
  ASSERT_EQ(RunGen(absl::StrCat(args, " --threads 3 --output ",
                                TempPath("w3.jsonl"), " --truth ",
                                TempPath("w3.tsv"))),
            0);
  EXPECT_TRUE(Slurp(TempPath("w1.jsonl")) == Slurp(TempPath("w3.jsonl")));
  EXPECT_TRUE(Slurp(TempPath("w1.tsv")) == Slurp(TempPath("w3.tsv")));
}

TEST_F(WebGeneratorTest, TruthIsConsistent) {
  ExpectTruthConsistent(*records_, *truth_);
  for (const Record& r : *records_) {
    EXPECT_FALSE(r.text.empty()) << r.id;
    EXPECT_EQ(r.url.rfind("https://" + r.source + "/", 0), 0u) << r.id;
  }
}

TEST_F(WebGeneratorTest, ManyOutletsWriteWholePagesOnOneLine) {
  int outlets = 0, one_line = 0, all_one_line = 0;
  std::map<std::string, bool> any_newline;
  for (const Record& r : *records_) {
    any_newline[r.source] |= r.text.find('\n') != std::string::npos;
  }
  for (const auto& [source, pages] : PagesByOutlet()) {
    if (pages.size() < 3) continue;
    ++outlets;
    bool newline = false;
    for (size_t i : pages) {
      newline |= record(i).text.find('\n') != std::string::npos;
    }
    one_line += !newline;
    all_one_line += !any_newline[source];  // Exact copies counted too.
  }
  ASSERT_GT(outlets, 50);
  EXPECT_GE(one_line, outlets * 3 / 10);
  EXPECT_GE(all_one_line, outlets * 3 / 10);
  EXPECT_GE(outlets - one_line, outlets * 3 / 10);  // Others keep lines.
}

TEST_F(WebGeneratorTest, FootersRecurAndHoldThirtyToHundredTwentyWords) {
  int lined = 0, inlined = 0;
  for (const auto& [source, pages] : PagesByOutlet()) {
    if (pages.size() < 3) continue;
    const std::string& first = record(pages[0]).text;
    if (first.find('\n') != std::string::npos) {
      // The footer is the last line, the same on every page.
      const std::string footer = first.substr(first.rfind('\n') + 1);
      for (size_t i : pages) {
        const std::string& text = record(i).text;
        EXPECT_EQ(text.substr(text.rfind('\n') + 1), footer) << record(i).id;
      }
      EXPECT_GE(Words(footer), 30) << source;
      EXPECT_LE(Words(footer), 120) << source;
      ++lined;
      continue;
    }
    // Inline: the pages end alike; the common end is the footer, perhaps
    // after the end of a teaser ("... Read More »"). Few pages may also
    // end with the same linked article.
    if (pages.size() < 8) continue;
    size_t common = first.size();
    for (size_t i : pages) {
      const std::string& text = record(i).text;
      size_t n = 0;
      while (n < common && n < text.size() &&
             text[text.size() - 1 - n] == first[first.size() - 1 - n]) {
        ++n;
      }
      common = n;
    }
    const int words = Words(first.substr(first.size() - common));
    EXPECT_GE(words, 30) << source;
    EXPECT_LE(words, 124) << source;
    ++inlined;
  }
  EXPECT_GT(lined, 20);
  EXPECT_GT(inlined, 20);
}

TEST_F(WebGeneratorTest, RelatedListsShowOtherArticlesHeadlinesAndTeasers) {
  int pages = 0, with_three = 0, links = 0, teasers = 0, shared = 0;
  for (const auto& [source, list] : PagesByOutlet()) {
    if (list.size() < 10) continue;
    std::map<size_t, int> linked_from;  // Article -> pages linking to it.
    for (size_t i : list) {
      ++pages;
      int found = 0;
      for (size_t j : list) {
        if (record(j).title == record(i).title) continue;
        const size_t at = record(i).text.find(record(j).title);
        if (at == std::string::npos) continue;
        ++found;
        ++linked_from[j];
        // The teaser after the headline is the start of that article.
        const std::string after =
            record(i).text.substr(at + record(j).title.size(), 400);
        int common = 0;
        const absl::flat_hash_set<uint64_t> theirs = Shingles(record(j).text);
        for (uint64_t h : Shingles(after)) common += theirs.contains(h);
        ++links;
        teasers += common >= 2;
      }
      with_three += found >= 3;
    }
    for (const auto& [j, n] : linked_from) shared += n >= 2;
  }
  ASSERT_GT(pages, 500);
  // Chrome entities (&#8217;, &amp;) hide a few headlines.
  EXPECT_GE(with_three, pages * 9 / 10);
  EXPECT_GE(teasers, links * 95 / 100);
  // Pages of one outlet share teasers of third articles.
  EXPECT_GT(shared, pages / 2);
}

TEST_F(WebGeneratorTest, PagesCarryHtmlRemnantsAndTrackingUrls) {
  std::map<std::string, int> pages_with;
  const std::vector<std::string> remnants = {
      "&lt;a href=", "FullQuote.aspx?ticker=", "<a href=", "<p>",
      "<div class=", "&amp;", "&nbsp;", "&#8217;", "utm_source=", "https://"};
  int marked_bodies = 0;
  for (size_t i = 0; i < records_->size(); ++i) {
    for (const std::string& r : remnants) {
      pages_with[r] += record(i).text.find(r) != std::string::npos;
    }
    marked_bodies += row(i).transforms.find("markup") != std::string::npos;
  }
  const int n = static_cast<int>(records_->size());
  for (const std::string& r : remnants) {
    EXPECT_GE(pages_with[r], n / 50) << r;
  }
  EXPECT_GE(pages_with["utm_source="], n / 2);
  EXPECT_GE(marked_bodies, n / 10);
}

TEST_F(WebGeneratorTest, WireBriefsAreShortAndSeparate) {
  std::map<std::string, std::vector<size_t>> briefs;
  std::map<std::string, std::vector<int>> lengths;  // Other write-ups.
  for (size_t i = 0; i < records_->size(); ++i) {
    if (row(i).transforms.find("brief") != std::string::npos) {
      EXPECT_EQ(row(i).kind, "unrelated") << row(i).id;
      briefs[record(i).source].push_back(i);
    } else if (row(i).kind != "exact") {
      lengths[record(i).source].push_back(Words(record(i).text));
    }
  }
  int count = 0, shorter = 0, wire_pairs = 0, chrome_shared = 0;
  for (auto& [source, list] : briefs) {
    std::vector<int>& others = lengths[source];
    std::sort(others.begin(), others.end());
    for (size_t i : list) {
      ++count;
      shorter += !others.empty() &&
                 Words(record(i).text) < others[others.size() / 2];
    }
    // Briefs of one outlet share chrome, not copy groups.
    for (size_t k = 1; k < list.size(); ++k) {
      ++wire_pairs;
      EXPECT_NE(row(list[k]).copy_group, row(list[k - 1]).copy_group);
      chrome_shared += Overlap(Shingles(record(list[k]).text),
                               Shingles(record(list[k - 1]).text)) > 0.1;
    }
  }
  ASSERT_GT(count, 50);
  EXPECT_GE(shorter, count * 9 / 10);
  ASSERT_GT(wire_pairs, 20);
  EXPECT_GE(chrome_shared, wire_pairs * 9 / 10);
}

TEST_F(WebGeneratorTest, FollowUpsReuseBackgroundButAreNotCopies) {
  // Runs of 15 words; those seen in two or more stories are chrome, teasers
  // or stock phrases and do not count.
  constexpr size_t kRun = 15;
  absl::flat_hash_map<uint64_t, std::string> story_of;
  absl::flat_hash_set<uint64_t> shared;
  std::vector<absl::flat_hash_set<uint64_t>> runs;
  std::map<std::string, std::vector<size_t>> by_story;
  std::map<std::string, int> group_size;
  for (size_t i = 0; i < records_->size(); ++i) {
    runs.push_back(Shingles(record(i).text, kRun));
    for (uint64_t h : runs.back()) {
      auto [it, added] = story_of.emplace(h, row(i).story);
      if (!added && it->second != row(i).story) shared.insert(h);
    }
    by_story[row(i).story].push_back(i);
    ++group_size[row(i).copy_group];
  }
  auto is_follow_up = [&](size_t i) {
    return row(i).transforms.find("background") != std::string::npos;
  };
  // Whether article i shares a run with an article of its story in another
  // copy group (follow-ups left out of the comparison unless `any`).
  auto shares_run = [&](size_t i, bool any) {
    for (size_t j : by_story[row(i).story]) {
      if (row(j).copy_group == row(i).copy_group || (!any && is_follow_up(j))) {
        continue;
      }
      for (uint64_t h : runs[i]) {
        if (!shared.contains(h) && runs[j].contains(h)) return true;
      }
    }
    return false;
  };
  int follow_ups = 0, reusing = 0, independent = 0, alike = 0;
  for (size_t i = 0; i < truth_->size(); ++i) {
    if (is_follow_up(i)) {
      ++follow_ups;
      EXPECT_EQ(row(i).kind, "related") << row(i).id;
      EXPECT_EQ(group_size[row(i).copy_group], 1) << row(i).id;
      reusing += shares_run(i, true);
    } else if (row(i).kind == "related") {
      ++independent;
      alike += shares_run(i, false);
    }
  }
  ASSERT_GT(follow_ups, 30);
  EXPECT_GE(reusing, follow_ups * 85 / 100);
  // Independent write-ups of a story share no such runs.
  ASSERT_GT(independent, 30);
  EXPECT_LE(alike, independent / 20);
}

}  // namespace
}  // namespace syndex
