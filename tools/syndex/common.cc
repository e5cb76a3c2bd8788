#include "tools/syndex/common.h"

#include <cstdio>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/syndex/progress.h"

namespace syndex {

const std::vector<Verb>& Verbs() {
  static const std::vector<Verb> verbs = {
      {"index", "build a new index from JSON Lines files",
       "syndex index --index DIR [flags] FILE...", RunIndex},
      {"add", "add articles to an existing index",
       "syndex add --index DIR [flags] FILE...", RunAdd},
      {"query", "find the copies and related stories of articles",
       "syndex query --index DIR (--id ID | --text-file F | --queries "
       "FILE.jsonl) [--k N] [--json]",
       RunQuery},
      {"explain", "why two articles are related: scores and shared passages",
       "syndex explain --index DIR ID1 ID2 [--corpus FILE.jsonl]", RunExplain},
      {"cluster", "group the whole index into copy groups and stories",
       "syndex cluster --index DIR [--output FILE] [--json]", RunCluster},
      {"remove", "remove articles by id",
       "syndex remove --index DIR --id ID [--id ID ...]", RunRemove},
      {"evict", "remove articles published before a date",
       "syndex evict --index DIR --before DATE", RunEvict},
      {"compact", "drop unused vocabulary and retrain the projection",
       "syndex compact --index DIR", RunCompact},
      {"report", "write the story report: timelines of stories, one HTML page",
       "syndex report --index DIR --output FILE.html [--story ID] [--top N]",
       RunReport},
      {"stats", "describe an index", "syndex stats --index DIR [--json]",
       RunStats},
      {"chrome", "list the site chrome an index learned, with counts",
       "syndex chrome --index DIR [--source S] [--json]", RunChrome},
      {"eval", "score cluster output against a truth file",
       "syndex eval --clusters FILE.jsonl --truth FILE.tsv [--corpus FILE.jsonl] "
       "[--json]", RunEval},
      {"verify", "check every section of an index for damage",
       "syndex verify --index DIR", RunVerify},
      {"recover", "go back to the newest stored generation that verifies",
       "syndex recover --index DIR", RunRecover},
      {"help", "show help for syndex or a verb", "syndex help [VERB]",
       RunHelp},
  };
  return verbs;
}

bool ParseVerbFlags(const std::string& verb, Flags* flags,
                    const std::vector<std::string>& args,
                    std::vector<std::string>* positional, int* exit_code) {
  bool help = false;
  flags->Bool("help", &help, "show this help");
  absl::Status st = flags->Parse(args, positional);
  if (!st.ok()) {
    *exit_code = UsageError(verb, std::string(st.message()));
    return false;
  }
  if (help) {
    for (const Verb& v : Verbs()) {
      if (v.name == verb) {
        std::cout << "usage: " << v.usage << "\n\n" << v.summary << "\n\n";
      }
    }
    std::cout << "flags:\n" << flags->Help();
    *exit_code = kExitOk;
    return false;
  }
  return true;
}

int Fail(const absl::Status& status) {
  std::cerr << "syndex: " << status.message() << "\n";
  return kExitError;
}

int FailIndex(const absl::Status& status, const std::string& dir) {
  Fail(status);
  if (absl::IsDataLoss(status)) {
    std::cerr << "syndex: the index is damaged; 'syndex verify --index " << dir
              << "' names the damaged part, and 'syndex recover --index "
              << dir << "' goes back to the newest stored generation that "
                        "verifies\n";
  }
  return kExitError;
}

int UsageError(const std::string& verb, const std::string& message) {
  std::cerr << "syndex " << verb << ": " << message << "\n"
            << "run 'syndex help " << verb << "' for usage\n";
  return kExitUsage;
}

int CheckFlags(const std::string& verb, const absl::Status& st) {
  return st.ok() ? kExitOk : UsageError(verb, std::string(st.message()));
}

void AddReaderFlags(Flags* flags, ReaderOptions* options) {
  // Given at index, the field names are stored in the index and are the
  // defaults of add, query --queries and explain --corpus.
  flags->String("id-field", &options->id_field, "JSON field of the id");
  flags->String("text-field", &options->text_field, "JSON field of the text");
  flags->String("title-field", &options->title_field,
                "JSON field of the title");
  flags->String("source-field", &options->source_field,
                "JSON field of the outlet or domain");
  flags->String("url-field", &options->url_field, "JSON field of the URL");
  flags->String("published-field", &options->published_field,
                "JSON field of the ISO 8601 publication time");
  flags->Bool("skip-bad", &options->skip_bad,
              "skip bad lines and report them at the end, instead of failing");
}

ReaderOptions WithStoredFieldNames(const Index& index, const Flags& flags,
                                   const ReaderOptions& given) {
  ReaderOptions out = index.field_names();
  out.skip_bad = given.skip_bad;
  const std::pair<const char*, std::string ReaderOptions::*> fields[] = {
      {"id-field", &ReaderOptions::id_field},
      {"text-field", &ReaderOptions::text_field},
      {"title-field", &ReaderOptions::title_field},
      {"source-field", &ReaderOptions::source_field},
      {"url-field", &ReaderOptions::url_field},
      {"published-field", &ReaderOptions::published_field},
  };
  for (const auto& [flag, member] : fields) {
    if (flags.Given(flag)) out.*member = given.*member;
  }
  return out;
}

void AddWaitFlag(Flags* flags, OpenOptions* options) {
  flags->Double("wait", &options->lock_wait_seconds,
                "seconds to wait for another writer to release the index, "
                "0 = fail at once");
}

void AddOpenFlags(Flags* flags, OpenOptions* options, bool* quiet) {
  flags->Int("threads", &options->threads, "worker threads, 0 = all cores");
  flags->Int("nprobe", &options->nprobe,
             "inverted lists probed per vector search (large indexes)");
  if (quiet != nullptr) {
    flags->Bool("quiet", quiet,
                "no progress display (shown only when stderr is a terminal)");
  }
}

void SetUpProgress(bool quiet, OpenOptions* options) {
  options->progress = TerminalProgress(quiet);
}

void AddKeepFlag(Flags* flags, OpenOptions* options) {
  flags->Int("keep", &options->keep_generations,
             "older generations to keep on disk for 'syndex recover'");
}

bool CheckKeepFlag(const std::string& verb, const OpenOptions& options,
                   int* exit_code) {
  if (options.keep_generations >= 0) return true;
  *exit_code = UsageError(verb, "--keep: must be 0 or more");
  return false;
}

void AddRelationFlags(Flags* flags, RelationOptions* options) {
  flags->Double("syndicated-jaccard", &options->syndicated_jaccard,
                "Jaccard at or above which two articles are syndicated");
  flags->Double("partial-containment", &options->partial_containment,
                "containment at or above which an article is a partial copy");
  flags->Double("char-jaccard", &options->char_jaccard_min,
                "character-gram Jaccard at or above which two articles may be "
                "copies with character noise");
  flags->Double("char-cosine-ratio", &options->char_cosine_ratio,
                "character-gram Jaccard must also reach this times the cosine");
  flags->Double("char-word-ratio", &options->char_word_ratio,
                "the character rule applies only while the word Jaccard is "
                "below this times the character-gram Jaccard");
  flags->Double("related-story", &options->related_story,
                "story score at or above which two articles are related "
                "(same story)");
  flags->Double("story-bias", &options->story.bias,
                "story score: the logistic model's intercept");
  flags->Double("story-cosine", &options->story.w_cosine,
                "story score: weight of the TF-IDF cosine");
  flags->Double("story-dense", &options->story.w_dense,
                "story score: weight of the LSA cosine");
  flags->Double("story-key-terms", &options->story.w_key_terms,
                "story score: weight of each shared key term");
  flags->Double("time-window", &options->story.time_window_days,
                "days after which the story score decays between dated "
                "articles");
}

void ReportSkipped(const std::map<std::string, int64_t>& skipped) {
  int64_t total = 0;
  for (const auto& [reason, count] : skipped) total += count;
  if (total == 0) return;
  std::cerr << "syndex: skipped " << total << " bad line"
            << (total == 1 ? "" : "s") << ":\n";
  for (const auto& [reason, count] : skipped) {
    std::cerr << "  " << count << "  " << reason << "\n";
  }
}

}  // namespace syndex
