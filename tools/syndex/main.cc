// syndex: finds syndicated copies and related stories in news corpora.
// Each verb lives in its own file; this file only dispatches.

#include <iostream>
#include <string>
#include <vector>

#include "tools/syndex/common.h"

namespace syndex {

int RunHelp(const std::vector<std::string>& args) {
  if (!args.empty()) {
    if (args[0] == "help") {
      std::cout << "usage: syndex help [VERB]\n\nLists the verbs, or with "
                   "VERB, that verb's usage and flags with their defaults.\n"
                   "'syndex --version' prints the version and the build.\n";
      return kExitOk;
    }
    for (const Verb& v : Verbs()) {
      if (args[0] == v.name && v.run != RunHelp) return v.run({"--help"});
    }
    return UsageError("help", "unknown verb '" + args[0] + "'");
  }
  std::cout << "usage: syndex VERB [flags]\n\n"
               "Finds syndicated copies and related stories in news "
               "corpora (JSON Lines).\n\nverbs:\n";
  for (const Verb& v : Verbs()) {
    std::cout << "  " << v.name << std::string(10 - std::string(v.name).size(), ' ')
              << v.summary << "\n";
  }
  std::cout << "\nrun 'syndex help VERB' for a verb's flags, 'syndex "
               "--version' for the version and the build\n";
  return kExitOk;
}

}  // namespace syndex

int main(int argc, char** argv) {
  using syndex::Verbs;
  if (argc < 2) {
    syndex::RunHelp({});
    return syndex::kExitUsage;
  }
  const std::string verb = argv[1];
  if (verb == "--help" || verb == "-h") return syndex::RunHelp({});
  if (verb == "--version" || verb == "version") return syndex::RunVersion();
  const std::vector<std::string> args(argv + 2, argv + argc);
  for (const syndex::Verb& v : Verbs()) {
    if (verb == v.name) return v.run(args);
  }
  std::cerr << "syndex: unknown verb '" << verb
            << "'; run 'syndex help' for the list\n";
  return syndex::kExitUsage;
}
