#include <filesystem>
#include <iostream>

#include "absl/strings/str_format.h"
#include "tools/syndex/common.h"

namespace syndex {

int RunStats(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir;
  bool json = false;
  RunOptions run;
  flags.String("index", &dir, "index directory (required)");
  flags.Bool("json", &json, "print one JSON object");
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  if (!ParseVerbFlags("stats", &flags, args, &positional, &exit_code)) {
    return exit_code;
  }
  if (dir.empty()) return UsageError("stats", "--index DIR is required");
  absl::StatusOr<std::unique_ptr<Index>> opened =
      Index::Open(dir, /*for_write=*/false, run);
  if (!opened.ok()) return Fail(opened.status());
  const Index& index = **opened;
  const IndexParams& p = index.params();
  std::error_code ec;
  const uintmax_t bytes = std::filesystem::file_size(index.data_path(), ec);
  int64_t dated = 0;
  for (uint32_t i = 0; i < index.size(); ++i) {
    dated += index.article(i).published.has_value();
  }
  if (json) {
    std::cout << absl::StrFormat(
        "{\"articles\":%d,\"dated_articles\":%d,\"generation\":%d,"
        "\"data_file\":%s,\"bytes\":%d,\"vocabulary\":%d,\"chrome_lines\":%d,"
        "\"shingle_size\":%d,\"num_perm\":%d,\"bands\":%d,\"rows\":%d,"
        "\"seed\":%d,\"dims\":%d,\"vector_index\":%s}\n",
        index.size(), dated, index.generation(),
        JsonString(index.data_path()), ec ? 0 : bytes,
        index.vocabulary().size(), index.chrome().size(), p.shingle_size,
        p.num_perm, index.lsh_params().bands, index.lsh_params().rows, p.seed,
        p.projection.dims, JsonString(index.vector_index_kind()));
    return kExitOk;
  }
  std::cout << absl::StrFormat(
      "index          %s\n"
      "articles       %d (%d with a publication date)\n"
      "generation     %d, %s, %d bytes\n"
      "vocabulary     %d terms\n"
      "site chrome    %d learned lines\n"
      "shingles       %d words, seed %#x\n"
      "minhash        %d values, LSH %d bands x %d rows (threshold %.2f)\n"
      "vectors        %d dimensions, %s\n",
      dir, index.size(), dated, index.generation(), index.data_path(),
      ec ? 0 : bytes, index.vocabulary().size(), index.chrome().size(),
      p.shingle_size, p.seed, p.num_perm, index.lsh_params().bands,
      index.lsh_params().rows, p.lsh_threshold, p.projection.dims,
      index.vector_index_kind());
  return kExitOk;
}

}  // namespace syndex
