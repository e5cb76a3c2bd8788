// Replays inputs through a libFuzzer target's LLVMFuzzerTestOneInput without
// libFuzzer, so that any compiler builds it and ctest runs every seed of
// tests/fuzz/corpus/ in every build (tests/fuzz/CMakeLists.txt).
//
//   <target>_replay PATH...
//
// Each PATH is a file, or a folder whose regular files are replayed in name
// order. Calls LLVMFuzzerInitialize first if the target defines it. A
// target's own check (std::abort) or a sanitizer report ends the process;
// exit code 1 if an input cannot be read or no input was given.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
    __attribute__((weak));

namespace {

namespace fs = std::filesystem;

// The files `path` names: itself, or a folder's regular files sorted.
std::vector<fs::path> Inputs(const fs::path& path, std::error_code* error) {
  if (!fs::is_directory(path, *error)) return {path};
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry :
       fs::directory_iterator(path, *error)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  int replayed = 0;
  for (int i = 1; i < argc; ++i) {
    std::error_code error;
    const std::vector<fs::path> files = Inputs(argv[i], &error);
    if (error) {
      std::cerr << argv[i] << ": " << error.message() << "\n";
      return 1;
    }
    for (const fs::path& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)),
                        std::istreambuf_iterator<char>());
      if (!in.is_open() || in.bad()) {
        std::cerr << file.string() << ": cannot read\n";
        return 1;
      }
      std::cout << "replaying " << file.string() << " (" << bytes.size()
                << " bytes)" << std::endl;
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()),
                             bytes.size());
      ++replayed;
    }
  }
  if (replayed == 0) {
    std::cerr << "usage: " << argv[0]
              << " FILE_OR_FOLDER... (no input found)\n";
    return 1;
  }
  std::cout << replayed << " inputs replayed\n";
  return 0;
}
