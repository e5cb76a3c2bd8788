// The verbs that write an index: index and add.

#include <chrono>
#include <iostream>

#include "absl/strings/str_format.h"
#include "tools/syndex/common.h"

namespace syndex {
namespace {

struct WriteCommand {
  std::string dir;
  ReaderOptions reader;
  OpenOptions open;
  AddOptions add;
  bool quiet = false;
  std::vector<std::string> files;
};

// Reads the files, adds them and commits, then prints a summary.
int AddAndCommit(Index* index, const WriteCommand& cmd, const char* verb) {
  const auto start = std::chrono::steady_clock::now();
  AddReport report;
  absl::Status st = index->AddFiles(cmd.files, cmd.reader, cmd.add, &report);
  if (st.ok()) st = index->Commit();
  if (!st.ok()) return Fail(st);
  ReportSkipped(report.skipped);
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  const std::string replaced =
      report.replaced > 0 ? absl::StrFormat(" (%d replaced)", report.replaced)
                          : "";
  std::cout << absl::StrFormat(
      "%s: added %d articles%s; %s now holds %d articles (generation %d, "
      "vector index %s%s) in %.2f s\n",
      verb, report.added, replaced, cmd.dir, index->size(), index->generation(),
      index->vector_index_kind(),
      report.refreshed_projection ? ", projection retrained" : "", seconds);
  return kExitOk;
}

bool ParseWriteCommand(const char* verb, Flags* flags,
                       const std::vector<std::string>& args, WriteCommand* cmd,
                       int* exit_code) {
  flags->String("index", &cmd->dir, "index directory (required)");
  AddReaderFlags(flags, &cmd->reader);
  AddOpenFlags(flags, &cmd->open, &cmd->quiet);
  AddWaitFlag(flags, &cmd->open);
  AddKeepFlag(flags, &cmd->open);
  if (!ParseVerbFlags(verb, flags, args, &cmd->files, exit_code)) return false;
  if (!CheckKeepFlag(verb, cmd->open, exit_code)) return false;
  SetUpProgress(cmd->quiet, &cmd->open);
  if (cmd->dir.empty()) {
    *exit_code = UsageError(verb, "--index DIR is required");
    return false;
  }
  if (cmd->files.empty()) {
    *exit_code = UsageError(verb, "no input files (use - for standard input)");
    return false;
  }
  *exit_code = CheckFlags(verb, cmd->open.Validate());
  return *exit_code == kExitOk;
}

}  // namespace

int RunIndex(const std::vector<std::string>& args) {
  Flags flags;
  WriteCommand cmd;
  IndexParams params;
  bool overwrite = false;
  flags.Bool("overwrite", &overwrite, "replace an existing index in DIR");
  flags.Int("shingle-size", &params.shingle_size, "words per shingle");
  flags.Int("num-perm", &params.num_perm,
            "MinHash values per signature (multiple of 8)");
  flags.Double("lsh-threshold", &params.lsh_threshold,
               "Jaccard that LSH must find with 95% recall");
  flags.Int("dims", &params.projection.dims, "dimensions of the LSA vectors");
  int exit_code = kExitOk;
  if (!ParseWriteCommand("index", &flags, args, &cmd, &exit_code)) {
    return exit_code;
  }
  if (int code = CheckFlags("index", params.Validate()); code != kExitOk) {
    return code;
  }
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Create(cmd.dir, params, overwrite, cmd.open);
  if (!index.ok()) return FailIndex(index.status(), cmd.dir);
  (*index)->SetFieldNames(cmd.reader);
  return AddAndCommit(index->get(), cmd, "index");
}

int RunAdd(const std::vector<std::string>& args) {
  Flags flags;
  WriteCommand cmd;
  flags.Bool("replace", &cmd.add.replace,
             "replace stored articles with the same id (atomically) instead "
             "of failing on the duplicate");
  int exit_code = kExitOk;
  if (!ParseWriteCommand("add", &flags, args, &cmd, &exit_code)) {
    return exit_code;
  }
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Open(cmd.dir, /*for_write=*/true, cmd.open);
  if (!index.ok()) return FailIndex(index.status(), cmd.dir);
  cmd.reader = WithStoredFieldNames(**index, flags, cmd.reader);
  return AddAndCommit(index->get(), cmd, "add");
}

}  // namespace syndex
