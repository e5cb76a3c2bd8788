#ifndef SYNDEX_TESTS_FUZZ_FUZZ_TEMP_DIR_H_
#define SYNDEX_TESTS_FUZZ_FUZZ_TEMP_DIR_H_

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace syndex {

// A directory private to this fuzzer process, created on first use under
// $TMPDIR (or /tmp) and removed at exit.
inline const std::string& FuzzTempDir() {
  static const std::string* dir = [] {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0'
                                          ? base
                                          : "/tmp") +
                          "/syndex-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    auto* path = new std::string(pattern);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(FuzzTempDir(), ignored);
    });
    return path;
  }();
  return *dir;
}

// Writes `size` bytes at `data` to `path`, replacing it. Aborts on failure:
// a fuzzer that cannot write its input would silently test nothing.
inline void WriteFuzzFile(const std::string& path, const void* data,
                          size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr ||
      (size > 0 && std::fwrite(data, 1, size, f) != size) ||
      std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
}

}  // namespace syndex

#endif  // SYNDEX_TESTS_FUZZ_FUZZ_TEMP_DIR_H_
