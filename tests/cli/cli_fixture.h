#ifndef SYNDEX_TESTS_CLI_CLI_FIXTURE_H_
#define SYNDEX_TESTS_CLI_CLI_FIXTURE_H_

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/util/file.h"
#include "gtest/gtest.h"

namespace syndex {

// What one run of the syndex command gave.
struct CliResult {
  int code;
  std::string out;
  std::string err;
};

// A fixture that runs the built `syndex` binary (found through
// $SYNDEX_BIN_DIR, which ctest sets) in a fresh temporary directory of its
// own per test and process.
class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("SYNDEX_BIN_DIR");
    ASSERT_NE(bin, nullptr) << "run through ctest";
    syndex_ = absl::StrCat(bin, "/syndex");
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat(
               "syndex_cli_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name(),
               "_", ::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs `syndex ARGS` with no standard input, capturing its output.
  CliResult Run(const std::string& args) {
    const std::string out = (dir_ / "stdout").string();
    const std::string err = (dir_ / "stderr").string();
    const std::string cmd =
        absl::StrCat(syndex_, " ", args, " >", out, " 2>", err, " </dev/null");
    const int status = std::system(cmd.c_str());
    CliResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadFile(out).value_or("");
    r.err = ReadFile(err).value_or("");
    return r;
  }

  // Writes `contents` to `name` in the test's directory; returns the path.
  std::string Write(const std::string& name, const std::string& contents) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << contents;
    return path;
  }

  std::string syndex_;
  std::filesystem::path dir_;
};

}  // namespace syndex

#endif  // SYNDEX_TESTS_CLI_CLI_FIXTURE_H_
