// syndex chrome: the site chrome an index learned, so that a user can see
// why text was ignored.

#include <iostream>

#include "absl/strings/str_format.h"
#include "tools/syndex/common.h"

namespace syndex {

int RunChrome(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir, source;
  bool json = false;
  flags.String("index", &dir, "index directory (required)");
  flags.String("source", &source,
               "only this source (outlet, or URL host when there is none)");
  flags.Bool("json", &json, "print JSON Lines instead of a table");
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  if (!ParseVerbFlags("chrome", &flags, args, &positional, &exit_code)) {
    return exit_code;
  }
  if (dir.empty()) return UsageError("chrome", "--index DIR is required");
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Open(dir, /*for_write=*/false, OpenOptions());
  if (!index.ok()) return Fail(index.status());
  const std::vector<ChromeModel::Passage> passages =
      (*index)->Chrome(flags.Given("source") ? std::optional(source)
                                             : std::nullopt);
  for (const ChromeModel::Passage& p : passages) {
    if (json) {
      std::cout << "{\"source\":" << JsonString(p.source)
                << ",\"docs\":" << p.docs << ",\"text\":" << JsonString(p.text)
                << "}\n";
    } else {
      std::cout << absl::StrFormat("%-24s %5d  %s\n",
                                   p.source.empty() ? "(no source)" : p.source,
                                   p.docs, p.text);
    }
  }
  if (!json) {
    std::cout << passages.size() << " passage"
              << (passages.size() == 1 ? "" : "s") << "\n";
  }
  return kExitOk;
}

}  // namespace syndex
