// The verbs that shrink an index: remove, evict and compact.

#include <algorithm>
#include <iostream>

#include "absl/strings/str_format.h"
#include "tools/syndex/common.h"

namespace syndex {
namespace {

// Opens DIR for writing, runs `change`, commits, and prints the summary
// line `change` returns with the index's new size.
template <typename Change>
int ChangeAndCommit(const std::string& verb, const std::string& dir,
                    OpenOptions open, Change change) {
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Open(dir, /*for_write=*/true, open);
  if (!index.ok()) return FailIndex(index.status(), dir);
  absl::StatusOr<std::string> summary = change(**index);
  if (!summary.ok()) return Fail(summary.status());
  absl::Status st = (*index)->Commit();
  if (!st.ok()) return Fail(st);
  const IndexStats stats = (*index)->Stats();
  std::cout << absl::StrFormat(
      "%s: %s; %s now holds %d articles (generation %d, %d bytes)\n", verb,
      *summary, dir, stats.articles, stats.generation, stats.bytes);
  return kExitOk;
}

// Parses flags common to the three verbs; false when the verb should stop.
bool ParseMaintainFlags(const std::string& verb, Flags* flags,
                        const std::vector<std::string>& args, std::string* dir,
                        OpenOptions* open, int* exit_code) {
  bool quiet = false;
  flags->String("index", dir, "index directory (required)");
  AddOpenFlags(flags, open, &quiet);
  AddWaitFlag(flags, open);
  AddKeepFlag(flags, open);
  std::vector<std::string> positional;
  if (!ParseVerbFlags(verb, flags, args, &positional, exit_code)) return false;
  if (!CheckKeepFlag(verb, *open, exit_code)) return false;
  SetUpProgress(quiet, open);
  if (dir->empty()) {
    *exit_code = UsageError(verb, "--index DIR is required");
    return false;
  }
  if (!positional.empty()) {
    *exit_code =
        UsageError(verb, "unexpected argument '" + positional[0] + "'");
    return false;
  }
  *exit_code = CheckFlags(verb, open->Validate());
  return *exit_code == kExitOk;
}

}  // namespace

int RunRemove(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir;
  OpenOptions open;
  std::vector<std::string> ids;
  flags.Strings("id", &ids, "id of an article to remove (repeatable)");
  int exit_code = kExitOk;
  if (!ParseMaintainFlags("remove", &flags, args, &dir, &open, &exit_code)) {
    return exit_code;
  }
  if (ids.empty()) return UsageError("remove", "give at least one --id");
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ChangeAndCommit("remove", dir, open,
                         [&](Index& index) -> absl::StatusOr<std::string> {
                           absl::Status st = index.Remove(ids);
                           if (!st.ok()) return st;
                           return absl::StrFormat("removed %d articles",
                                                  ids.size());
                         });
}

int RunEvict(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir, before;
  OpenOptions open;
  flags.String("before", &before,
               "remove articles published before this ISO 8601 date or "
               "date-time (required)");
  int exit_code = kExitOk;
  if (!ParseMaintainFlags("evict", &flags, args, &dir, &open, &exit_code)) {
    return exit_code;
  }
  if (before.empty()) return UsageError("evict", "--before DATE is required");
  absl::StatusOr<int64_t> cutoff = ParseIsoTime(before);
  if (!cutoff.ok()) {
    return UsageError("evict", "--before: not an ISO 8601 date: " + before);
  }
  return ChangeAndCommit("evict", dir, open,
                         [&](Index& index) -> absl::StatusOr<std::string> {
                           absl::StatusOr<size_t> n = index.Evict(*cutoff);
                           if (!n.ok()) return n.status();
                           return absl::StrFormat(
                               "removed %d articles published before %s", *n,
                               FormatIsoTime(*cutoff));
                         });
}

int RunCompact(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir;
  OpenOptions open;
  int exit_code = kExitOk;
  if (!ParseMaintainFlags("compact", &flags, args, &dir, &open, &exit_code)) {
    return exit_code;
  }
  return ChangeAndCommit("compact", dir, open,
                         [&](Index& index) -> absl::StatusOr<std::string> {
                           absl::StatusOr<size_t> n = index.Compact();
                           if (!n.ok()) return n.status();
                           return absl::StrFormat(
                               "dropped %d unused vocabulary terms", *n);
                         });
}

}  // namespace syndex
