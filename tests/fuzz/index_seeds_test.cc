// Checks the index-reader fuzz seeds (tests/fuzz/corpus/index_reader_fuzzer/)
// against this build: a seed of another format version, normalizer version
// or hash family is refused before its sections are parsed, so the fuzzer's
// mutations of it never reach the parameter checks, the section parsers or
// a query. Such seeds are stale: regenerate them with
// scripts/make_fuzz_seeds.sh (tests/fuzz/corpus/README.md).

#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/index/section_file.h"
#include "engine/relations/relation.h"
#include "engine/syndex.h"
#include "engine/util/file.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

namespace fs = std::filesystem;

constexpr char kRegenerate[] =
    "stale seed: regenerate with scripts/make_fuzz_seeds.sh";

// Seeds crafted to be refused, with the reason. Every other seed must load.
const std::map<std::string, std::string>& RefusedSeeds() {
  static const auto* seeds = new std::map<std::string, std::string>{
      {"regression-lsh-overflow", "PARM: parameters out of range"}};
  return *seeds;
}

// What decides whether this build reads a data file at all.
struct Stamp {
  uint32_t format_version = 0;
  uint32_t normalizer_version = 0;
  uint32_t hash_family = 0;
  bool operator==(const Stamp&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Stamp& s) {
  return os << "format version " << s.format_version << ", normalizer version "
            << s.normalizer_version << ", hash family " << s.hash_family;
}

uint32_t U32At(absl::string_view data, size_t at) {
  uint32_t v = 0;
  std::memcpy(&v, data.data() + at, sizeof(v));
  return v;
}

// The stamp of a data file: the header's version and PARM's first two
// fields (docs/format.md), read through the container alone.
absl::StatusOr<Stamp> ReadStamp(const std::string& data,
                                const std::string& name) {
  if (data.size() < 12) return absl::DataLossError(name + ": too short");
  Stamp stamp;
  stamp.format_version = U32At(data, 8);
  absl::StatusOr<SectionFileReader> reader =
      SectionFileReader::Open(data, name, stamp.format_version);
  if (!reader.ok()) return reader.status();
  absl::StatusOr<absl::string_view> parm = reader->Get(SectionTag("PARM"));
  if (!parm.ok()) return parm.status();
  if (parm->size() < 8) return absl::DataLossError(name + ": short PARM");
  stamp.normalizer_version = U32At(*parm, 0);
  stamp.hash_family = U32At(*parm, 4);
  return stamp;
}

class IndexSeedsTest : public testing::Test {
 protected:
  void SetUp() override {
    const char* source = std::getenv("SYNDEX_SOURCE_DIR");
    ASSERT_NE(source, nullptr) << "run through ctest";
    for (const fs::directory_entry& entry : fs::directory_iterator(
             fs::path(source) / "tests/fuzz/corpus/index_reader_fuzzer")) {
      if (entry.is_regular_file()) seeds_.push_back(entry.path());
    }
    std::sort(seeds_.begin(), seeds_.end());
    ASSERT_FALSE(seeds_.empty());
    std::string tmpl = testing::TempDir() + "/index_seeds_test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    run_.threads = 1;
  }
  void TearDown() override { fs::remove_all(root_); }

  // The stamp of a data file this build writes.
  Stamp CurrentStamp() {
    const std::string dir = root_ + "/fresh";
    {
      auto index = Index::Create(dir, IndexParams(), false, run_);
      EXPECT_TRUE(index.ok()) << index.status();
      if (!index.ok()) return {};
      EXPECT_TRUE((*index)->Commit().ok());
    }
    absl::StatusOr<std::string> current = ReadFile(dir + "/CURRENT");
    EXPECT_TRUE(current.ok()) << current.status();
    if (!current.ok() || current->empty()) return {};
    const std::string name =
        dir + "/" + current->substr(0, current->size() - 1);
    absl::StatusOr<std::string> data = ReadFile(name);
    EXPECT_TRUE(data.ok()) << data.status();
    absl::StatusOr<Stamp> stamp = ReadStamp(data.value_or(""), name);
    EXPECT_TRUE(stamp.ok()) << stamp.status();
    return stamp.value_or(Stamp());
  }

  // Opens `seed` as the index-reader fuzzer does: the only data file of an
  // index directory, named by CURRENT.
  absl::StatusOr<std::unique_ptr<Index>> OpenSeed(const fs::path& seed) {
    const fs::path dir = fs::path(root_) / seed.filename();
    fs::create_directories(dir);
    fs::copy_file(seed, dir / "data-000001.sdx");
    const absl::Status st =
        WriteFileSynced((dir / "CURRENT").string(), "data-000001.sdx\n");
    if (!st.ok()) return st;
    return Index::Open(dir.string(), /*for_write=*/false, run_);
  }

  std::vector<fs::path> seeds_;
  std::string root_;
  OpenOptions run_;
};

TEST_F(IndexSeedsTest, EverySeedHasThisBuildsFormatNormalizerAndHashFamily) {
  const Stamp current = CurrentStamp();
  ASSERT_NE(current.format_version, 0u);
  for (const fs::path& seed : seeds_) {
    absl::StatusOr<std::string> data = ReadFile(seed.string());
    ASSERT_TRUE(data.ok()) << data.status();
    absl::StatusOr<Stamp> stamp = ReadStamp(*data, seed.string());
    ASSERT_TRUE(stamp.ok()) << stamp.status() << "; " << kRegenerate;
    EXPECT_EQ(*stamp, current) << seed << ": " << kRegenerate;
  }
}

TEST_F(IndexSeedsTest, EverySeedLoadsOrIsRefusedForItsOwnReason) {
  for (const fs::path& seed : seeds_) {
    absl::StatusOr<std::unique_ptr<Index>> index = OpenSeed(seed);
    // FailedPrecondition is the engine's refusal of another format version,
    // normalizer version or hash family.
    ASSERT_FALSE(absl::IsFailedPrecondition(index.status()))
        << seed << ": " << index.status() << "; " << kRegenerate;
    const auto refused = RefusedSeeds().find(seed.filename().string());
    if (refused == RefusedSeeds().end()) {
      EXPECT_TRUE(index.ok()) << seed << ": " << index.status();
    } else {
      EXPECT_TRUE(absl::IsDataLoss(index.status())) << seed;
      EXPECT_NE(index.status().message().find(refused->second),
                absl::string_view::npos)
          << seed << ": " << index.status();
    }
  }
}

// The overflow the seed was kept for: bands x rows computed in 32-bit ints
// wrapped to a value <= num_perm and passed the range check. The seed must
// still hold such a pair, or it replays nothing.
TEST_F(IndexSeedsTest, LshOverflowSeedWrapsIn32Bits) {
  const fs::path seed =
      seeds_.front().parent_path() / "regression-lsh-overflow";
  absl::StatusOr<std::string> data = ReadFile(seed.string());
  ASSERT_TRUE(data.ok()) << data.status();
  absl::StatusOr<SectionFileReader> reader =
      SectionFileReader::Open(*data, seed.string(), U32At(*data, 8));
  ASSERT_TRUE(reader.ok()) << reader.status();
  absl::StatusOr<absl::string_view> parm = reader->Get(SectionTag("PARM"));
  ASSERT_TRUE(parm.ok()) << parm.status();
  ASSERT_GE(parm->size(), 36u);
  // PARM: normalizer, family, shingle_size (u32), seed (u64), num_perm,
  // char_perm, bands, rows (u32).
  const int64_t num_perm = U32At(*parm, 20);
  const int64_t bands = U32At(*parm, 28), rows = U32At(*parm, 32);
  const int32_t wrapped = static_cast<int32_t>(static_cast<uint32_t>(bands) *
                                               static_cast<uint32_t>(rows));
  EXPECT_GT(bands, 0);
  EXPECT_GT(rows, 0);
  EXPECT_LE(bands, INT32_MAX);
  EXPECT_LE(rows, INT32_MAX);
  EXPECT_GT(bands * rows, num_perm);
  EXPECT_LE(wrapped, num_perm) << bands << " x " << rows;
}

TEST_F(IndexSeedsTest, SomeSeedAnswersAQueryWithACopy) {
  int answered = 0;
  for (const fs::path& seed : seeds_) {
    absl::StatusOr<std::unique_ptr<Index>> index = OpenSeed(seed);
    if (!index.ok() || (*index)->size() < 2) continue;
    const std::string id = (*index)->article(0).id;
    QueryOptions query;
    query.k = 5;
    absl::StatusOr<std::vector<Match>> matches = (*index)->QueryId(id, query);
    ASSERT_TRUE(matches.ok()) << seed << ": " << matches.status();
    for (const Match& m : *matches) answered += IsCopy(m.relation);
  }
  EXPECT_GT(answered, 0) << "no seed reaches a query that finds a copy";
}

}  // namespace
}  // namespace syndex
