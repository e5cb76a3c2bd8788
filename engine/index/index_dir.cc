#include "engine/index/index_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <limits>
#include <system_error>
#include <thread>
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
constexpr char kDamagedSuffix[] = ".damaged";
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

// Takes flock(LOCK_EX) on `fd`, trying every 50 ms for up to
// `wait_seconds`. False with errno set if it could not.
bool TryLock(int fd, double wait_seconds) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration<double>(wait_seconds);
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return true;
    if (errno != EWOULDBLOCK || std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
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

// Takes the writer lock of the existing directory `dir` (OpenForWrite),
// waiting up to `wait_seconds` for another writer to release it.
absl::StatusOr<std::unique_ptr<IndexDir>> IndexDir::Lock(
    const std::string& dir, double wait_seconds) {
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
  if (!TryLock(index->lock_fd_, wait_seconds)) {
    if (errno != EWOULDBLOCK) return ErrnoError("cannot lock", lock_path);
    return absl::FailedPreconditionError(absl::StrCat(
        dir, ": locked by another syndex process (pid ",
        LockHolder(index->lock_fd_), ")",
        wait_seconds > 0 ? absl::StrCat(" for ", wait_seconds, " s") : ""));
  }
  const std::string pid = absl::StrCat(::getpid(), "\n");
  if (::ftruncate(index->lock_fd_, 0) != 0) {
    return ErrnoError("cannot truncate", lock_path);
  }
  if (::pwrite(index->lock_fd_, pid.data(), pid.size(), 0) !=
      static_cast<ssize_t>(pid.size())) {
    return ErrnoError("cannot write", lock_path);
  }
  return index;
}

absl::StatusOr<std::unique_ptr<IndexDir>> IndexDir::OpenForWrite(
    const std::string& dir, bool create, double wait_seconds) {
  if (create) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return absl::InternalError(
          absl::StrCat(dir, ": cannot create directory: ", ec.message()));
    }
  }
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<IndexDir> index,
                          Lock(dir, wait_seconds));
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
  const uint64_t next = NextGeneration();
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
  PruneGenerations();
  return absl::OkStatus();
}

// Best effort: deletes temporary files and data files newer than the live
// one (a killed writer's). A file that cannot be deleted is left for the
// next writer.
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
      remove = ParseDataFileName(name) > generation_;
    }
    if (remove) garbage.emplace_back(entry->d_name);
  }
  ::closedir(d);
  for (const std::string& name : garbage) {
    ::unlink(JoinPath(dir_, name).c_str());
  }
}

// Retention and recovery (docs/format.md, "Retention" and "Recovery").

namespace {

// The generations of the data files in `dir` whose names are
// data-NNNNNN.sdx followed by `suffix`.
absl::StatusOr<std::vector<uint64_t>> ListGenerations(const std::string& dir,
                                                      absl::string_view suffix) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return ErrnoError("cannot list", dir);
  std::vector<uint64_t> generations;
  while (const struct dirent* entry = ::readdir(d)) {
    absl::string_view name = entry->d_name;
    if (!absl::ConsumeSuffix(&name, suffix)) continue;
    if (const uint64_t g = ParseDataFileName(name); g != 0) {
      generations.push_back(g);
    }
  }
  ::closedir(d);
  std::sort(generations.rbegin(), generations.rend());
  return generations;
}

}  // namespace

std::string IndexDir::DataFilePath(const std::string& dir,
                                   uint64_t generation) {
  return JoinPath(dir, DataFileName(generation));
}

void IndexDir::set_keep(int generations) { keep_ = std::max(generations, 0); }

absl::StatusOr<std::vector<uint64_t>> IndexDir::StoredGenerations(
    const std::string& dir) {
  return ListGenerations(dir, "");
}

uint64_t IndexDir::NextGeneration() const {
  const absl::StatusOr<std::vector<uint64_t>> damaged =
      ListGenerations(dir_, kDamagedSuffix);
  uint64_t newest = generation_;
  if (damaged.ok() && !damaged->empty()) {
    newest = std::max(newest, damaged->front());
  }
  return newest + 1;
}

// Best effort, like RemoveGarbage: deletes the data files older than the
// live one but the newest keep_ of them.
void IndexDir::PruneGenerations() const {
  const absl::StatusOr<std::vector<uint64_t>> stored = StoredGenerations(dir_);
  if (!stored.ok()) return;
  int older = 0;
  for (uint64_t g : *stored) {
    if (g < generation_ && ++older > keep_) {
      ::unlink(DataFilePath(dir_, g).c_str());
    }
  }
}

absl::StatusOr<std::unique_ptr<IndexDir>> IndexDir::OpenForRepair(
    const std::string& dir, absl::Status* current_error) {
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<IndexDir> index, Lock(dir));
  absl::Status st = index->LoadCurrent();
  if (st.ok() && index->has_data() &&
      ::access(index->current_path().c_str(), F_OK) != 0) {
    st = absl::DataLossError(absl::StrCat(JoinPath(dir, kCurrent), " names ",
                                          index->current_path(),
                                          ", which does not exist"));
  }
  if (!st.ok() && !absl::IsDataLoss(st)) return st;
  if (!st.ok()) {
    index->current_.clear();
    index->generation_ = 0;
  }
  *current_error = st;
  return index;
}

absl::Status IndexDir::SwitchTo(uint64_t generation) {
  if (lock_fd_ < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir_, ": not opened for writing"));
  }
  const std::string name = DataFileName(generation);
  const std::string path = JoinPath(dir_, name);
  if (::access(path.c_str(), F_OK) != 0) return ErrnoError("cannot open", path);
  // Without a readable CURRENT every newer data file is passed over.
  const uint64_t passed_up_to =
      has_data() ? generation_ : std::numeric_limits<uint64_t>::max();
  SYNDEX_RETURN_IF_ERROR(WriteAndRename(JoinPath(dir_, kCurrentTmp),
                                        JoinPath(dir_, kCurrent),
                                        Contents(absl::StrCat(name, "\n"))));
  current_ = name;
  generation_ = generation;
  SYNDEX_RETURN_IF_ERROR(SyncDirectory(dir_));
  SYNDEX_ASSIGN_OR_RETURN(const std::vector<uint64_t> stored,
                          StoredGenerations(dir_));
  for (uint64_t g : stored) {
    if (g <= generation || g > passed_up_to) continue;
    const std::string from = DataFilePath(dir_, g);
    const std::string to = absl::StrCat(from, kDamagedSuffix);
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return ErrnoError(absl::StrCat("cannot rename ", from, " to"), to);
    }
  }
  RemoveGarbage();
  return SyncDirectory(dir_);
}

}  // namespace syndex
