// Makes the index-reader seeds that the syndex command cannot make
// (scripts/make_fuzz_seeds.sh runs it; tests/fuzz/corpus/README.md):
//
//   fuzz_seed_tool ivf-index DIR DIMS FILE
//       indexes the JSON Lines FILE into a new index DIR (replacing one
//       there) whose vectors live in an IVF store whatever its size
//       (IndexParams::exact_limit 0), with DIMS-dimensional vectors.
//   fuzz_seed_tool set-lsh IN OUT BANDS ROWS
//       copies the data file IN to OUT with PARM's LSH bands and rows
//       replaced and every checksum recomputed, so that the edited values
//       reach ReadParams' range checks.
//
// Exit code 0 on success, 1 on an error, 2 on a bad command line.

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/index/section_file.h"
#include "engine/syndex.h"
#include "engine/util/file.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// The tags of an index data file in the order Commit writes them
// (docs/format.md, "Index contents").
constexpr char kTags[][5] = {"PARM", "ARTS", "SIGS", "CSIG", "VOCB",
                             "TERM", "CHRM", "PROJ", "VECS", "FMAP"};
// Byte offsets of bands and rows in PARM: after normalizer_version,
// hash_family, shingle_size (u32 each), seed (u64), num_perm and char_perm
// (u32 each).
constexpr size_t kBandsAt = 28;
constexpr size_t kRowsAt = 32;

absl::Status IvfIndex(const std::string& dir, int dims,
                      const std::string& file) {
  IndexParams params;
  params.exact_limit = 0;
  params.projection.dims = dims;
  OpenOptions run;
  run.threads = 1;
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<Index> index,
                          Index::Create(dir, params, /*overwrite=*/true, run));
  AddReport report;
  SYNDEX_RETURN_IF_ERROR(index->AddFiles({file}, ReaderOptions(),
                                         AddOptions().batch_size, &report));
  return index->Commit();
}

absl::Status SetLsh(const std::string& in, const std::string& out,
                    uint32_t bands, uint32_t rows) {
  SYNDEX_ASSIGN_OR_RETURN(std::string data, ReadFile(in));
  if (data.size() < 16) return absl::DataLossError(in + ": too short");
  uint32_t version = 0, count = 0;
  std::memcpy(&version, data.data() + 8, sizeof(version));
  std::memcpy(&count, data.data() + 12, sizeof(count));
  SYNDEX_ASSIGN_OR_RETURN(SectionFileReader reader,
                          SectionFileReader::Open(data, in, version));
  SectionFileWriter writer(version);
  uint32_t copied = 0;
  for (const auto& name : kTags) {
    const uint32_t tag = SectionTag(name);
    if (!reader.Has(tag)) continue;
    SYNDEX_ASSIGN_OR_RETURN(absl::string_view bytes, reader.Get(tag));
    std::string section(bytes);
    if (std::strcmp(name, "PARM") == 0) {
      if (section.size() < kRowsAt + 4) {
        return absl::DataLossError(in + ": PARM too short");
      }
      std::memcpy(section.data() + kBandsAt, &bands, sizeof(bands));
      std::memcpy(section.data() + kRowsAt, &rows, sizeof(rows));
    }
    writer.Add(tag, std::move(section));
    ++copied;
  }
  if (copied != count || !reader.Has(SectionTag("PARM"))) {
    return absl::DataLossError(
        absl::StrCat(in, ": ", count, " sections, ", copied,
                     " of them known to fuzz_seed_tool (PARM required)"));
  }
  return WriteFileSynced(out, std::move(writer).Finish());
}

int Main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::Status st;
  int dims = 0;
  uint32_t bands = 0, rows = 0;
  if (args.size() == 4 && args[0] == "ivf-index" &&
      absl::SimpleAtoi(args[2], &dims)) {
    st = IvfIndex(args[1], dims, args[3]);
  } else if (args.size() == 5 && args[0] == "set-lsh" &&
             absl::SimpleAtoi(args[3], &bands) &&
             absl::SimpleAtoi(args[4], &rows)) {
    st = SetLsh(args[1], args[2], bands, rows);
  } else {
    std::cerr << "usage: fuzz_seed_tool ivf-index DIR DIMS FILE\n"
                 "       fuzz_seed_tool set-lsh IN OUT BANDS ROWS\n";
    return 2;
  }
  if (!st.ok()) {
    std::cerr << "fuzz_seed_tool: " << st << "\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace syndex

int main(int argc, char** argv) { return syndex::Main(argc, argv); }
