#include "tools/syndex/flags.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace syndex {

void Flags::String(const std::string& name, std::string* value,
                   const std::string& help) {
  flags_[name] = {Kind::kString, value, help,
                  value->empty() ? "" : absl::StrCat("\"", *value, "\"")};
}

void Flags::Strings(const std::string& name, std::vector<std::string>* values,
                    const std::string& help) {
  flags_[name] = {Kind::kStrings, values, help, ""};
}

void Flags::Int(const std::string& name, int* value, const std::string& help) {
  flags_[name] = {Kind::kInt, value, help, absl::StrCat(*value)};
}

void Flags::Double(const std::string& name, double* value,
                   const std::string& help) {
  flags_[name] = {Kind::kDouble, value, help, absl::StrCat(*value)};
}

void Flags::Bool(const std::string& name, bool* value,
                 const std::string& help) {
  flags_[name] = {Kind::kBool, value, help, ""};
}

absl::Status Flags::Set(const std::string& name, Flag& flag,
                        const std::string& value) {
  given_[name] = true;
  switch (flag.kind) {
    case Kind::kString:
      *static_cast<std::string*>(flag.value) = value;
      return absl::OkStatus();
    case Kind::kStrings:
      static_cast<std::vector<std::string>*>(flag.value)->push_back(value);
      return absl::OkStatus();
    case Kind::kInt:
      if (absl::SimpleAtoi(value, static_cast<int*>(flag.value))) {
        return absl::OkStatus();
      }
      break;
    case Kind::kDouble:
      if (absl::SimpleAtod(value, static_cast<double*>(flag.value))) {
        return absl::OkStatus();
      }
      break;
    case Kind::kBool:
      if (value == "true" || value == "1") {
        *static_cast<bool*>(flag.value) = true;
        return absl::OkStatus();
      }
      if (value == "false" || value == "0") {
        *static_cast<bool*>(flag.value) = false;
        return absl::OkStatus();
      }
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--", name, ": invalid value '", value, "'"));
}

absl::Status Flags::Parse(const std::vector<std::string>& args,
                          std::vector<std::string>* positional) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      positional->insert(positional->end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      positional->push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    const size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto it = flags_.find(name);
    if (it == flags_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name));
    }
    if (!inline_value) {
      if (it->second.kind == Kind::kBool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " needs a value"));
      }
    }
    absl::Status st = Set(name, it->second, value);
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

std::string Flags::Help() const {
  std::string out;
  for (const auto& [name, flag] : flags_) {
    std::string left = absl::StrCat("--", name);
    if (flag.kind != Kind::kBool) absl::StrAppend(&left, " VALUE");
    absl::StrAppendFormat(&out, "  %-24s %s", left, flag.help);
    if (!flag.default_text.empty()) {
      absl::StrAppend(&out, " (default: ", flag.default_text, ")");
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace syndex
