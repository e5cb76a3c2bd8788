#ifndef SYNDEX_TOOLS_SYNDEX_FLAGS_H_
#define SYNDEX_TOOLS_SYNDEX_FLAGS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace syndex {

// The flags of one verb. Each verb declares the flags it accepts, with a
// help line; Parse accepts "--name value", "--name=value", boolean
// "--name", and positional arguments ("--" ends flags). An unknown flag or
// a missing or malformed value is an InvalidArgumentError naming it.
class Flags {
 public:
  void String(const std::string& name, std::string* value,
              const std::string& help);
  void Strings(const std::string& name, std::vector<std::string>* values,
               const std::string& help);  // Repeatable.
  void Int(const std::string& name, int* value, const std::string& help);
  void Double(const std::string& name, double* value,
              const std::string& help);
  void Bool(const std::string& name, bool* value, const std::string& help);

  absl::Status Parse(const std::vector<std::string>& args,
                     std::vector<std::string>* positional);
  // True if the flag was given on the command line.
  bool Given(const std::string& name) const { return given_.count(name) > 0; }
  // "  --name VALUE  help (default: ...)" lines.
  std::string Help() const;

 private:
  enum class Kind { kString, kStrings, kInt, kDouble, kBool };
  struct Flag {
    Kind kind;
    void* value;
    std::string help;
    std::string default_text;
  };
  absl::Status Set(const std::string& name, Flag& flag,
                   const std::string& value);

  std::map<std::string, Flag> flags_;
  std::map<std::string, bool> given_;
};

}  // namespace syndex

#endif  // SYNDEX_TOOLS_SYNDEX_FLAGS_H_
