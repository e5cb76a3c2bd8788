// Runs the built syndex-gen binary and checks its corpus and truth files.

#include <unistd.h>

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

// Hashes of the 5-word shingles of `text`, words being lower-cased ASCII
// alphanumeric runs.
absl::flat_hash_set<uint64_t> Shingles(const std::string& text) {
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
  for (size_t i = 0; i + 5 <= words.size(); ++i) {
    shingles.insert(Hash64(absl::StrCat(words[i], " ", words[i + 1], " ",
                                        words[i + 2], " ", words[i + 3], " ",
                                        words[i + 4]),
                           kDefaultSeed));
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
  const std::map<std::string, const Record*> by_id = RecordsById();
  const std::set<std::string> kinds = {"original",   "related", "unrelated",
                                       "syndicated", "exact",   "excerpt"};
  std::map<std::string, std::vector<const TruthRow*>> groups;
  std::map<std::string, int> story_sizes;
  std::set<std::string> ids;
  for (const TruthRow& row : *truth_) {
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

}  // namespace
}  // namespace syndex
