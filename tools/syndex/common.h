#ifndef SYNDEX_TOOLS_SYNDEX_COMMON_H_
#define SYNDEX_TOOLS_SYNDEX_COMMON_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/syndex.h"
#include "engine/util/json.h"
#include "tools/syndex/flags.h"

namespace syndex {

// Exit codes of the syndex command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // Bad input, I/O, corrupt index.
inline constexpr int kExitUsage = 2;  // Bad command line.

// One verb of the command line: its usage text and its function, which gets
// the arguments after the verb and returns the exit code.
struct Verb {
  const char* name;
  const char* summary;
  const char* usage;
  int (*run)(const std::vector<std::string>& args);
};

const std::vector<Verb>& Verbs();

int RunIndex(const std::vector<std::string>& args);
int RunAdd(const std::vector<std::string>& args);
int RunQuery(const std::vector<std::string>& args);
int RunCluster(const std::vector<std::string>& args);
int RunStats(const std::vector<std::string>& args);
int RunEval(const std::vector<std::string>& args);
int RunRemove(const std::vector<std::string>& args);
int RunEvict(const std::vector<std::string>& args);
int RunCompact(const std::vector<std::string>& args);
int RunExplain(const std::vector<std::string>& args);
int RunChrome(const std::vector<std::string>& args);
int RunReport(const std::vector<std::string>& args);
int RunVerify(const std::vector<std::string>& args);
int RunRecover(const std::vector<std::string>& args);
int RunHelp(const std::vector<std::string>& args);
// `syndex --version`: versions, build options and the instruction set.
int RunVersion();

// Parses the verb's flags; on --help prints the verb's help and returns
// kExitOk through `exit_code`; on a bad command line prints the error and
// returns kExitUsage. Returns true when the verb should go on.
bool ParseVerbFlags(const std::string& verb, Flags* flags,
                    const std::vector<std::string>& args,
                    std::vector<std::string>* positional, int* exit_code);

// Prints "syndex: <message>" on standard error and returns kExitError.
int Fail(const absl::Status& status);
// Fail for an error of opening or loading the index in `dir`: a
// DataLossError (the engine's word for a damaged index) gets a second line
// that suggests 'syndex verify' and 'syndex recover'.
int FailIndex(const absl::Status& status, const std::string& dir);
// Prints "syndex <verb>: <message>" and a hint on standard error and
// returns kExitUsage.
int UsageError(const std::string& verb, const std::string& message);

// UsageError(verb, st's message) if !st.ok() (flags out of range), else
// kExitOk.
int CheckFlags(const std::string& verb, const absl::Status& st);

// Flags shared by verbs.
void AddReaderFlags(Flags* flags, ReaderOptions* options);
// `given` (read by AddReaderFlags) with every field name whose flag was not
// on the command line taken from those stored in `index`.
ReaderOptions WithStoredFieldNames(const Index& index, const Flags& flags,
                                   const ReaderOptions& given);
// --wait SECONDS of the verbs that write.
void AddWaitFlag(Flags* flags, OpenOptions* options);
// --threads and --nprobe; with `quiet`, also --quiet (the progress display
// on a terminal is then set up by SetUpProgress).
void AddOpenFlags(Flags* flags, OpenOptions* options, bool* quiet = nullptr);
void SetUpProgress(bool quiet, OpenOptions* options);
// --keep, for the verbs that commit; false (after a usage error through
// `exit_code`) if the value is out of range.
void AddKeepFlag(Flags* flags, OpenOptions* options);
bool CheckKeepFlag(const std::string& verb, const OpenOptions& options,
                   int* exit_code);
void AddRelationFlags(Flags* flags, RelationOptions* options);

// Prints skipped-line counts ("skipped N bad lines: ...") to standard error.
void ReportSkipped(const std::map<std::string, int64_t>& skipped);

}  // namespace syndex

#endif  // SYNDEX_TOOLS_SYNDEX_COMMON_H_
