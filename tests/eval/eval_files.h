#ifndef SYNDEX_TESTS_EVAL_EVAL_FILES_H_
#define SYNDEX_TESTS_EVAL_EVAL_FILES_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace syndex {

// A fixture with a fresh temporary directory for the files an evaluation
// reads; removed after the test.
class EvalFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "eval_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The path of `name` in the directory, not created.
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // Writes `contents` to `name` in the directory; returns its path.
  std::string Write(const std::string& name, const std::string& contents) {
    const std::string path = Path(name);
    std::ofstream out(path, std::ios::binary);
    out.write(contents.data(), contents.size());
    EXPECT_TRUE(out.good()) << path;
    return path;
  }

 private:
  std::string dir_;
};

}  // namespace syndex

#endif  // SYNDEX_TESTS_EVAL_EVAL_FILES_H_
