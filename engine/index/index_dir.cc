#include "engine/index/index_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "engine/util/file.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// File names of docs/format.md, "Index directory".
constexpr char kCurrent[] = "CURRENT";
constexpr char kCurrentTmp[] = "CURRENT.tmp";
constexpr char kLock[] = "LOCK";
constexpr char kDataPrefix[] = "data-";
constexpr char kDataSuffix[] = ".sdx";
constexpr char kTmpSuffix[] = ".tmp";
constexpr size_t kMinDigits = 6;
// How often OpenForRead follows CURRENT when commits delete the file it
// named before it could be opened.
constexpr int kMaxOpenAttempts = 100;

std::string JoinPath(const std::string& dir, absl::string_view name) {
  return absl::StrCat(dir, "/", name);
}

std::string DataFileName(uint64_t generation) {
  std::string digits = absl::StrCat(generation);
  if (digits.size() < kMinDigits) {
    digits.insert(0, kMinDigits - digits.size(), '0');
  }
  return absl::StrCat(kDataPrefix, digits, kDataSuffix);
}

// Returns the generation named by a data file name, or 0 if `name` is not
// exactly the canonical name of a generation >= 1.
uint64_t ParseDataFileName(absl::string_view name) {
  if (!absl::ConsumePrefix(&name, kDataPrefix) ||
      !absl::ConsumeSuffix(&name, kDataSuffix)) {
    return 0;
  }
  if (name.size() < kMinDigits || name.size() > 20) return 0;
  for (char c : name) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return 0;
  }
  uint64_t generation = 0;
  if (!absl::SimpleAtoi(name, &generation) || generation == 0) return 0;
  if (DataFileName(generation) != absl::StrCat(kDataPrefix, name, kDataSuffix)) {
    return 0;
  }
  return generation;
}

// Writes `tmp` with `write`, then renames it to `path`; on failure removes
// `tmp`.
absl::Status WriteAndRename(
    const std::string& tmp, const std::string& path,
    const std::function<absl::Status(const std::string&)>& write) {
  absl::Status st = write(tmp);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    st = ErrnoError(absl::StrCat("cannot rename ", tmp, " to"), path);
  }
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

// A writer for WriteAndRename of `contents`, which must outlive it.
std::function<absl::Status(const std::string&)> Contents(
    absl::string_view contents) {
  return [contents](const std::string& path) {
    return WriteFileSynced(path, contents);
  };
}

absl::Status NoIndexHere(const std::string& dir) {
  return absl::NotFoundError(absl::StrCat(dir, ": no syndex index here"));
}

// The pid a writer wrote into the LOCK file open as `fd`, or "unknown".
std::string LockHolder(int fd) {
  char buf[32];
  const ssize_t n = ::pread(fd, buf, sizeof(buf) - 1, 0);
  if (n <= 0) return "unknown";
  absl::string_view text(buf, static_cast<size_t>(n));
  text = absl::StripAsciiWhitespace(text);
  int64_t pid = 0;
  if (!absl::SimpleAtoi(text, &pid) || pid <= 0) return "unknown";
  return absl::StrCat(pid);
}

}  // namespace

MappedFile::~MappedFile() {
  if (map_ != nullptr) ::munmap(map_, size_);
}

void MappedFile::Release(absl::string_view range) const {
  const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const uintptr_t begin =
      (reinterpret_cast<uintptr_t>(range.data()) + page - 1) & ~(page - 1);
  const uintptr_t end =
      (reinterpret_cast<uintptr_t>(range.data()) + range.size()) & ~(page - 1);
  // Only an optimization: on failure the pages stay.
  if (end > begin) {
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
  }
}

absl::StatusOr<std::unique_ptr<MappedFile>> MappedFile::Open(
    const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open", path);
  auto mapped = FromFd(fd, path);
  ::close(fd);
  return mapped;
}

absl::StatusOr<std::unique_ptr<MappedFile>> MappedFile::FromFd(
    int fd, const std::string& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoError("cannot stat", path);
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a regular file"));
  }
  std::unique_ptr<MappedFile> file(new MappedFile);
  file->path_ = path;
  file->size_ = static_cast<size_t>(st.st_size);
  if (file->size_ == 0) return file;  // mmap of length 0 is an error.
  void* map = ::mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) return ErrnoError("cannot mmap", path);
  file->map_ = map;
  file->data_ = absl::string_view(static_cast<const char*>(map), file->size_);
  return file;
}

IndexDir::~IndexDir() {
  if (data_fd_ >= 0) ::close(data_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);  // Releases the flock.
}

std::string IndexDir::current_path() const {
  return current_.empty() ? std::string() : JoinPath(dir_, current_);
}

// Reads CURRENT into current_ and generation_; leaves both empty/0 if there
// is no CURRENT.
absl::Status IndexDir::LoadCurrent() {
  current_.clear();
  generation_ = 0;
  const std::string path = JoinPath(dir_, kCurrent);
  absl::StatusOr<std::string> contents = ReadFile(path);
  if (absl::IsNotFound(contents.status())) return absl::OkStatus();
  if (!contents.ok()) return contents.status();
  absl::string_view name = *contents;
  uint64_t generation = 0;
  if (absl::ConsumeSuffix(&name, "\n")) generation = ParseDataFileName(name);
  if (generation == 0) {
    return absl::DataLossError(
        absl::StrCat(path, ": malformed (expected one line naming a ",
                     "data-NNNNNN.sdx file)"));
  }
  current_ = std::string(name);
  generation_ = generation;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<IndexDir>> IndexDir::OpenForRead(
    const std::string& dir) {
  std::unique_ptr<IndexDir> index(new IndexDir);
  index->dir_ = dir;
  std::string previous;
  for (int attempt = 0; attempt < kMaxOpenAttempts; ++attempt) {
    SYNDEX_RETURN_IF_ERROR(index->LoadCurrent());
    if (!index->has_data()) return NoIndexHere(dir);
    const std::string path = index->current_path();
    index->data_fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (index->data_fd_ >= 0) return index;
    if (errno != ENOENT) return ErrnoError("cannot open", path);
    // A commit may have replaced and deleted the file since CURRENT was
    // read; that is so only if CURRENT has changed.
    if (index->current_ == previous) {
      return absl::DataLossError(absl::StrCat(
          JoinPath(dir, kCurrent), " names ", path, ", which does not exist"));
    }
    previous = index->current_;
  }
  return absl::UnavailableError(
      absl::StrCat(dir, ": CURRENT keeps changing; try again"));
}

absl::StatusOr<std::unique_ptr<IndexDir>> IndexDir::OpenForWrite(
    const std::string& dir, bool create) {
  if (create) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return absl::InternalError(
          absl::StrCat(dir, ": cannot create directory: ", ec.message()));
    }
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) return NoIndexHere(dir);
    return ErrnoError("cannot open", dir);
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, ": not a directory"));
  }

  std::unique_ptr<IndexDir> index(new IndexDir);
  index->dir_ = dir;
  const std::string lock_path = JoinPath(dir, kLock);
  index->lock_fd_ =
      ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (index->lock_fd_ < 0) return ErrnoError("cannot open", lock_path);
  if (::flock(index->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) return ErrnoError("cannot lock", lock_path);
    return absl::FailedPreconditionError(
        absl::StrCat(dir, ": locked by another syndex process (pid ",
                     LockHolder(index->lock_fd_), ")"));
  }
  const std::string pid = absl::StrCat(::getpid(), "\n");
  if (::ftruncate(index->lock_fd_, 0) != 0) {
    return ErrnoError("cannot truncate", lock_path);
  }
  if (::pwrite(index->lock_fd_, pid.data(), pid.size(), 0) !=
      static_cast<ssize_t>(pid.size())) {
    return ErrnoError("cannot write", lock_path);
  }

  SYNDEX_RETURN_IF_ERROR(index->LoadCurrent());
  if (index->has_data() &&
      ::access(index->current_path().c_str(), F_OK) != 0) {
    return absl::DataLossError(absl::StrCat(JoinPath(dir, kCurrent), " names ",
                                            index->current_path(),
                                            ", which does not exist"));
  }
  index->RemoveGarbage();
  return index;
}

absl::StatusOr<std::unique_ptr<MappedFile>> IndexDir::MapCurrent() const {
  if (!has_data()) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir_, ": no generation committed yet"));
  }
  if (data_fd_ >= 0) return MappedFile::FromFd(data_fd_, current_path());
  return MappedFile::Open(current_path());
}

absl::Status IndexDir::Commit(absl::string_view contents) {
  return CommitWith(Contents(contents));
}

absl::Status IndexDir::CommitWith(
    const std::function<absl::Status(const std::string& path)>& write) {
  if (lock_fd_ < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir_, ": not opened for writing"));
  }
  const uint64_t next = std::max(generation_, reserved_) + 1;
  const std::string name = DataFileName(next);
  const std::string path = JoinPath(dir_, name);
  SYNDEX_RETURN_IF_ERROR(
      WriteAndRename(absl::StrCat(path, kTmpSuffix), path, write));
  absl::Status st = SyncDirectory(dir_);
  if (st.ok()) {
    st = WriteAndRename(JoinPath(dir_, kCurrentTmp), JoinPath(dir_, kCurrent),
                        Contents(absl::StrCat(name, "\n")));
  }
  if (!st.ok()) {
    ::unlink(path.c_str());
    return st;
  }
  // CURRENT now names the new generation.
  current_ = name;
  generation_ = next;
  SYNDEX_RETURN_IF_ERROR(SyncDirectory(dir_));
  RemoveGarbage();
  return absl::OkStatus();
}

// Best effort: deletes temporary files and data files other than the live
// one. A file that cannot be deleted is left for the next writer.
void IndexDir::RemoveGarbage() const {
  DIR* d = ::opendir(dir_.c_str());
  if (d == nullptr) return;
  std::vector<std::string> garbage;
  while (const struct dirent* entry = ::readdir(d)) {
    absl::string_view name = entry->d_name;
    bool remove = false;
    if (name == kCurrentTmp) {
      remove = true;
    } else if (absl::EndsWith(name, kTmpSuffix)) {
      name.remove_suffix(std::strlen(kTmpSuffix));
      remove = ParseDataFileName(name) != 0;
    } else {
      remove = ParseDataFileName(name) != 0 && name != current_;
    }
    if (remove) garbage.emplace_back(entry->d_name);
  }
  ::closedir(d);
  for (const std::string& name : garbage) {
    ::unlink(JoinPath(dir_, name).c_str());
  }
}

}  // namespace syndex
