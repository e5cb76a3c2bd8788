#include "engine/index/index_log.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "engine/index/index_dir.h"
#include "engine/util/bytes.h"
#include "engine/util/file.h"
#include "engine/util/hash.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// docs/format.md, "Commit log".
constexpr char kMagic[8] = {'S', 'Y', 'N', 'D', 'X', 'L', 'O', 'G'};
constexpr uint32_t kLogVersion = 1;
constexpr size_t kHeaderSize = 32;        // magic, version, 0, generation,
                                          // checksum of the first 24 bytes.
constexpr size_t kRecordHeaderSize = 24;  // number, length, checksum.
constexpr uint64_t kChecksumSeed = 0;
constexpr char kPrefix[] = "log-";
constexpr char kSuffix[] = ".sdl";
constexpr size_t kMinDigits = 6;

std::string Header(uint64_t generation) {
  std::string out;
  ByteWriter w(&out);
  w.Raw(kMagic, sizeof(kMagic));
  w.U32(kLogVersion);
  w.U32(0);
  w.U64(generation);
  w.U64(Hash64(out, kChecksumSeed));
  return out;
}

// The checksum of a record: Hash64 of its number, length and payload.
uint64_t RecordChecksum(uint64_t number, absl::string_view payload) {
  std::string head;
  ByteWriter w(&head);
  w.U64(number);
  w.U64(payload.size());
  StreamingHash64 hash(kChecksumSeed);
  hash.Update(head.data(), head.size());
  hash.Update(payload.data(), payload.size());
  return hash.Digest();
}

uint64_t ReadU64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// The records of a log file's `data`, and in `*end` where the last
// complete one ends (0 if even the header is cut short); `ends`, if given,
// receives where each record ends. On damage, `records` holds the intact
// records before it.
absl::Status Parse(absl::string_view data, const std::string& path,
                   uint64_t generation, std::vector<std::string>* records,
                   uint64_t* end, std::vector<uint64_t>* ends = nullptr) {
  records->clear();
  if (ends != nullptr) ends->clear();
  *end = 0;
  if (data.size() < kHeaderSize ||
      Hash64(data.substr(0, kHeaderSize - 8), kChecksumSeed) !=
          ReadU64(data.data() + kHeaderSize - 8)) {
    // The header is written with the first record: a cut-short header
    // means no record was ever complete.
    if (data.size() <= kHeaderSize + kRecordHeaderSize) return absl::OkStatus();
    return absl::DataLossError(absl::StrCat(path, ": bad log header"));
  }
  if (std::memcmp(data.data(), kMagic, sizeof(kMagic)) != 0 ||
      ReadU64(data.data() + 8) != kLogVersion ||
      ReadU64(data.data() + 16) != generation) {
    return absl::DataLossError(absl::StrCat(
        path, ": not a syndex commit log of generation ", generation));
  }
  size_t pos = kHeaderSize;
  *end = pos;
  while (pos < data.size()) {
    const size_t left = data.size() - pos;
    if (left < kRecordHeaderSize) break;  // Cut short.
    const uint64_t number = ReadU64(data.data() + pos);
    const uint64_t length = ReadU64(data.data() + pos + 8);
    const uint64_t checksum = ReadU64(data.data() + pos + 16);
    if (length > left - kRecordHeaderSize) break;  // Cut short.
    const absl::string_view payload =
        data.substr(pos + kRecordHeaderSize, length);
    const size_t next = pos + kRecordHeaderSize + length;
    const uint64_t expected = generation + records->size() + 1;
    if (RecordChecksum(number, payload) != checksum || number != expected) {
      if (next == data.size()) break;  // The last record, cut short.
      return absl::DataLossError(absl::StrCat(path, ": record ",
                                              records->size() + 1, " (at byte ",
                                              pos, ") is damaged"));
    }
    records->emplace_back(payload);
    pos = next;
    *end = pos;
    if (ends != nullptr) ends->push_back(pos);
  }
  return absl::OkStatus();
}

// The generation a log file name stands for, or 0.
uint64_t ParseFileName(absl::string_view name) {
  if (!absl::ConsumePrefix(&name, kPrefix) ||
      !absl::ConsumeSuffix(&name, kSuffix) || name.size() < kMinDigits) {
    return 0;
  }
  for (char c : name) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return 0;
  }
  uint64_t generation = 0;
  if (!absl::SimpleAtoi(name, &generation)) return 0;
  return generation;
}

absl::Status WriteAll(int fd, absl::string_view bytes, uint64_t offset,
                      const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("cannot write", path);
    }
    bytes.remove_prefix(n);
    offset += n;
  }
  return absl::OkStatus();
}

}  // namespace

std::string IndexLog::FileName(uint64_t generation) {
  std::string digits = absl::StrCat(generation);
  if (digits.size() < kMinDigits) {
    digits.insert(0, kMinDigits - digits.size(), '0');
  }
  return absl::StrCat(kPrefix, digits, kSuffix);
}

IndexLog::~IndexLog() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<std::vector<std::string>> IndexLog::Read(const std::string& dir,
                                                        uint64_t generation,
                                                        uint64_t* bytes) {
  const std::string path = absl::StrCat(dir, "/", FileName(generation));
  std::vector<std::string> records;
  absl::StatusOr<std::string> data = ReadFile(path);
  if (absl::IsNotFound(data.status())) return records;
  if (!data.ok()) return data.status();
  uint64_t end = 0;
  SYNDEX_RETURN_IF_ERROR(Parse(*data, path, generation, &records, &end));
  if (bytes != nullptr) *bytes = end;
  return records;
}

absl::StatusOr<IndexLog::Check> IndexLog::Inspect(const std::string& dir,
                                                  uint64_t generation) {
  Check check;
  check.path = absl::StrCat(dir, "/", FileName(generation));
  absl::StatusOr<std::string> data = ReadFile(check.path);
  if (absl::IsNotFound(data.status())) return check;
  if (!data.ok()) return data.status();
  check.exists = true;
  check.size = data->size();
  uint64_t end = 0;
  check.status =
      Parse(*data, check.path, generation, &check.records, &end, &check.ends);
  check.cut_short = check.status.ok() && end < data->size();
  return check;
}

absl::Status IndexLog::Truncate(const std::string& dir, uint64_t generation,
                                uint64_t bytes) {
  const std::string path = absl::StrCat(dir, "/", FileName(generation));
  if (bytes == 0) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return ErrnoError("cannot delete", path);
    }
    return SyncDirectory(dir);
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open", path);
  absl::Status st;
  if (::ftruncate(fd, bytes) != 0 || ::fdatasync(fd) != 0) {
    st = ErrnoError("cannot truncate", path);
  }
  ::close(fd);
  return st;
}

absl::StatusOr<std::unique_ptr<IndexLog>> IndexLog::OpenForAppend(
    const std::string& dir, uint64_t generation,
    std::vector<std::string>* records) {
  std::unique_ptr<IndexLog> log(new IndexLog);
  log->dir_ = dir;
  log->generation_ = generation;
  log->path_ = absl::StrCat(dir, "/", FileName(generation));
  records->clear();
  absl::StatusOr<std::string> data = ReadFile(log->path_);
  if (!data.ok() && !absl::IsNotFound(data.status())) return data.status();
  if (data.ok()) {
    uint64_t end = 0;
    SYNDEX_RETURN_IF_ERROR(Parse(*data, log->path_, generation, records, &end));
    if (end == 0) {
      ::unlink(log->path_.c_str());
    } else {
      log->fd_ = ::open(log->path_.c_str(), O_WRONLY | O_CLOEXEC);
      if (log->fd_ < 0) return ErrnoError("cannot open", log->path_);
      if (end < data->size()) {
        if (::ftruncate(log->fd_, end) != 0 || ::fdatasync(log->fd_) != 0) {
          return ErrnoError("cannot truncate", log->path_);
        }
      }
      log->size_ = end;
      log->records_ = records->size();
    }
  }
  // Logs newer than the live generation (a generation set aside by
  // recovery) or without their data file (pruned) are garbage.
  if (DIR* d = ::opendir(dir.c_str())) {
    std::vector<std::string> garbage;
    while (const struct dirent* entry = ::readdir(d)) {
      const uint64_t g = ParseFileName(entry->d_name);
      if (g == 0 || g == generation) continue;
      if (g > generation ||
          ::access(IndexDir::DataFilePath(dir, g).c_str(), F_OK) != 0) {
        garbage.emplace_back(entry->d_name);
      }
    }
    ::closedir(d);
    for (const std::string& name : garbage) {
      ::unlink(absl::StrCat(dir, "/", name).c_str());
    }
  }
  return log;
}

absl::Status IndexLog::Append(absl::string_view payload) {
  std::string bytes;
  const bool create = fd_ < 0;
  if (create) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return ErrnoError("cannot create", path_);
    size_ = 0;
    bytes = Header(generation_);
  }
  const uint64_t number = last() + 1;
  ByteWriter w(&bytes);
  w.U64(number);
  w.U64(payload.size());
  w.U64(RecordChecksum(number, payload));
  w.Raw(payload.data(), payload.size());
  absl::Status st = WriteAll(fd_, bytes, size_, path_);
  if (st.ok() && ::fdatasync(fd_) != 0) st = ErrnoError("cannot sync", path_);
  if (st.ok() && create) st = SyncDirectory(dir_);
  if (!st.ok()) {
    // Leaves the file as it was, if it can; a reader ignores a cut-short
    // last record either way.
    if (::ftruncate(fd_, size_) == 0) ::fdatasync(fd_);
    return st;
  }
  size_ += bytes.size();
  ++records_;
  return absl::OkStatus();
}

void IndexLog::Remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(path_.c_str());
  size_ = 0;
  records_ = 0;
}

}  // namespace syndex
