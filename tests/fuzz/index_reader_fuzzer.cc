// Treats arbitrary bytes as an index data file and loads it the way users
// do: Index::Open on a directory whose CURRENT names that file. Two passes
// per input:
//  1. the bytes as they are (exercises SectionFileReader's validation; almost
//     every mutation is rejected there by a checksum);
//  2. the same bytes "resealed": the section table is read without any check
//     (lengths clamped to the file), and the sections found are written again
//     with SectionFileWriter, so that the checksums match and the mutated
//     section contents reach the parsers behind the container.
// Any error status is fine; a crash, sanitizer report or hang is a finding.
// When a file loads, a few read paths (QueryId, Explain) are run on it too.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/index/section_file.h"
#include "engine/syndex.h"
#include "tests/fuzz/fuzz_temp_dir.h"

namespace syndex {
namespace {

// The data file format version (docs/format.md).
constexpr uint32_t kDataFormatVersion = 4;
constexpr char kDataFile[] = "data-000001.sdx";

uint32_t LoadU32(absl::string_view data, size_t at) {
  uint32_t v;
  std::memcpy(&v, data.data() + at, sizeof(v));
  return v;
}

uint64_t LoadU64(absl::string_view data, size_t at) {
  uint64_t v;
  std::memcpy(&v, data.data() + at, sizeof(v));
  return v;
}

// Rebuilds `data` with valid checksums and layout, keeping the version, the
// tags and the sections' bytes (clamped to the file). Empty if the header
// does not even hold a section count.
std::string Reseal(absl::string_view data) {
  if (data.size() < 24) return "";
  const uint32_t version = LoadU32(data, 8);
  const uint64_t count = LoadU32(data, 12);
  SectionFileWriter writer(version);
  std::set<uint32_t> tags;
  for (uint64_t i = 0; i < count; ++i) {
    const size_t entry = 24 + 32 * i;
    if (entry + 32 > data.size()) break;
    const uint32_t tag = LoadU32(data, entry);
    const uint64_t offset = std::min<uint64_t>(LoadU64(data, entry + 8),
                                               data.size());
    const uint64_t length = std::min<uint64_t>(LoadU64(data, entry + 16),
                                               data.size() - offset);
    if (!tags.insert(tag).second) continue;  // Add requires unique tags.
    writer.Add(tag, std::string(data.substr(offset, length)));
  }
  return std::move(writer).Finish();
}

void LoadAndUse(absl::string_view file) {
  const std::string& dir = FuzzTempDir();
  WriteFuzzFile(dir + "/" + kDataFile, file.data(), file.size());
  OpenOptions options;
  options.threads = 1;
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Open(dir, /*for_write=*/false, options);
  if (!index.ok()) return;
  const Index& loaded = **index;
  if (loaded.size() == 0) return;
  const std::string first = loaded.article(0).id;
  const std::string last = loaded.article(loaded.size() - 1).id;
  // The results do not matter, only that computing them is safe.
  QueryOptions query;
  query.k = 5;
  (void)loaded.QueryId(first, query);
  (void)loaded.Explain(first, last, ExplainOptions());
}

}  // namespace
}  // namespace syndex

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::string current = std::string(syndex::kDataFile) + "\n";
  syndex::WriteFuzzFile(syndex::FuzzTempDir() + "/CURRENT", current.data(),
                        current.size());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  // The container on its own, with the version the index expects.
  (void)syndex::SectionFileReader::Open(input, "fuzz",
                                        syndex::kDataFormatVersion);
  syndex::LoadAndUse(input);
  const std::string resealed = syndex::Reseal(input);
  if (!resealed.empty() && resealed != input) {
    // A resealed file always passes the container checks.
    if (!syndex::SectionFileReader::Open(resealed, "resealed",
                                         syndex::LoadU32(resealed, 8))
             .ok()) {
      std::abort();
    }
    syndex::LoadAndUse(resealed);
  }
  return 0;
}
