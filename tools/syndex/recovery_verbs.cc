// The verbs of a damaged index: verify and recover (engine/recovery.h).

#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "tools/syndex/common.h"

namespace syndex {
namespace {

// Parses --index and --threads; false when the verb should stop.
bool ParseRecoveryFlags(const std::string& verb,
                        const std::vector<std::string>& args, std::string* dir,
                        int* threads, int* exit_code) {
  Flags flags;
  flags.String("index", dir, "index directory (required)");
  flags.Int("threads", threads, "worker threads, 0 = all cores");
  std::vector<std::string> positional;
  if (!ParseVerbFlags(verb, &flags, args, &positional, exit_code)) {
    return false;
  }
  if (dir->empty()) {
    *exit_code = UsageError(verb, "--index DIR is required");
    return false;
  }
  if (!positional.empty()) {
    *exit_code =
        UsageError(verb, "unexpected argument '" + positional[0] + "'");
    return false;
  }
  return true;
}

// "ok", or the reason of `status` without the "FILE: section TAG: " that
// the table already shows.
std::string Verdict(const absl::Status& status, const std::string& prefix) {
  if (status.ok()) return "ok";
  absl::string_view message = status.message();
  absl::ConsumePrefix(&message, prefix);
  absl::ConsumePrefix(&message, "header damaged: ");
  return absl::StrCat("damaged: ", message);
}

// "generation G (N articles)", or without the count when it is unknown.
std::string Describe(uint64_t generation, std::optional<uint64_t> articles) {
  if (!articles) return absl::StrFormat("generation %d", generation);
  return absl::StrFormat("generation %d (%d articles)", generation, *articles);
}

void PrintGeneration(const GenerationReport& g) {
  std::cout << absl::StrFormat("%s: %s\n", Describe(g.generation, g.articles),
                               g.data_file);
  std::cout << absl::StrFormat("  %-6s  %18s  %s\n", "header", "",
                               Verdict(g.header, g.data_file + ": "));
  for (const SectionReport& s : g.sections) {
    std::cout << absl::StrFormat(
        "  %-6s  %12d bytes  %s\n", s.tag, s.bytes,
        Verdict(s.status,
                absl::StrCat(g.data_file, ": section ", s.tag, ": ")));
  }
}

}  // namespace

int RunVerify(const std::vector<std::string>& args) {
  std::string dir;
  int threads = 0, exit_code = kExitOk;
  if (!ParseRecoveryFlags("verify", args, &dir, &threads, &exit_code)) {
    return exit_code;
  }
  absl::StatusOr<VerifyReport> report = VerifyIndex(dir, threads);
  if (!report.ok()) return Fail(report.status());
  if (report->current.ok()) PrintGeneration(report->live);
  std::cout << "stored generations: " << absl::StrJoin(report->stored, ", ")
            << "\n";
  if (report->ok()) {
    std::cout << "ok\n";
    return kExitOk;
  }
  const absl::Status& damage =
      report->current.ok() ? report->live.status : report->current;
  std::cout << "damaged: " << damage.message() << "\n"
            << "run 'syndex recover --index " << dir
            << "' to make the newest stored generation that verifies live\n";
  return kExitError;
}

int RunRecover(const std::vector<std::string>& args) {
  std::string dir;
  int threads = 0, exit_code = kExitOk;
  if (!ParseRecoveryFlags("recover", args, &dir, &threads, &exit_code)) {
    return exit_code;
  }
  absl::StatusOr<RecoverReport> report = RecoverIndex(dir, threads);
  if (!report.ok()) return Fail(report.status());
  if (!report->current.ok()) {
    std::cout << "recover: " << report->current.message() << "\n";
  }
  for (const GenerationReport& g : report->passed_over) {
    std::cout << absl::StrFormat("recover: generation %d is damaged: %s\n",
                                 g.generation, g.status.message());
  }
  if (!report->switched) {
    std::cout << absl::StrFormat(
        "recover: %s verifies; nothing to recover\n",
        Describe(report->chosen, report->chosen_articles));
    return kExitOk;
  }
  std::cout << absl::StrFormat(
      "recover: %s is live now\n",
      Describe(report->chosen, report->chosen_articles));
  // What the passed-over generations held that is lost; the newest of
  // them is the one that was live.
  if (!report->passed_over.empty()) {
    const GenerationReport& newest = report->passed_over.front();
    std::string change = "its article count is unreadable";
    if (newest.articles) {
      const int64_t diff = static_cast<int64_t>(report->chosen_articles) -
                           static_cast<int64_t>(*newest.articles);
      change = absl::StrFormat(
          "it held %d articles, generation %d holds %d: %+d", *newest.articles,
          report->chosen, report->chosen_articles, diff);
    }
    std::cout << absl::StrFormat(
        "recover: lost the commits after generation %d, up to generation %d "
        "(%s); the damaged files are kept as data-NNNNNN.sdx.damaged\n",
        report->chosen, newest.generation, change);
  }
  return kExitOk;
}

}  // namespace syndex
