// syndex stats: what an index holds.

#include <iostream>

#include "absl/strings/str_format.h"
#include "engine/output/json.h"
#include "tools/syndex/common.h"

namespace syndex {

int RunStats(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir;
  bool json = false;
  flags.String("index", &dir, "index directory (required)");
  flags.Bool("json", &json, "print one JSON object");
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  if (!ParseVerbFlags("stats", &flags, args, &positional, &exit_code)) {
    return exit_code;
  }
  if (dir.empty()) return UsageError("stats", "--index DIR is required");
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Open(dir, /*for_write=*/false, OpenOptions());
  if (!index.ok()) return FailIndex(index.status(), dir);
  const IndexStats s = (*index)->Stats();
  if (json) {
    std::cout << StatsLine(s);
    return kExitOk;
  }
  const IndexParams& p = s.params;
  std::cout << absl::StrFormat(
      "index          %s\n"
      "articles       %d (%d with a publication date)\n"
      "generation     %d, %s, %d bytes\n"
      "vocabulary     %d terms\n"
      "site chrome    %d passages of %d sources\n"
      "shingles       %d words, seed %#x\n"
      "minhash        %d values, LSH %d bands x %d rows (threshold %.2f)\n"
      "vectors        %d dimensions, %s\n",
      dir, s.articles, s.dated_articles, s.generation, s.data_file, s.bytes,
      s.vocabulary, s.chrome_passages, s.chrome_sources, p.shingle_size, p.seed, p.num_perm,
      s.bands, s.rows, p.lsh_threshold, p.projection.dims, s.vector_index);
  if (!s.section_bytes.empty()) std::cout << "bytes by section\n";
  for (const auto& [tag, bytes] : s.section_bytes) {
    std::cout << absl::StrFormat("  %-4s %14d  %5.1f%%\n", tag, bytes,
                                 s.bytes > 0 ? 100.0 * bytes / s.bytes : 0.0);
  }
  return kExitOk;
}

}  // namespace syndex
