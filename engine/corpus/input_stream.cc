#include "engine/corpus/input_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

constexpr size_t kGzipInputBlock = size_t{1} << 20;

absl::Status ErrnoError(int err, const std::string& what) {
  std::string message = absl::StrCat(what, ": ", std::strerror(err));
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    default:
      return absl::InternalError(message);
  }
}

// Reads a file descriptor with read(2), first returning bytes that were
// peeked at while opening.
class FdInput : public InputStream {
 public:
  FdInput(int fd, bool owned, std::string name)
      : fd_(fd), owned_(owned), name_(std::move(name)) {}
  ~FdInput() override {
    if (owned_) close(fd_);
  }
  FdInput(const FdInput&) = delete;
  FdInput& operator=(const FdInput&) = delete;

  // Reads the first `n` bytes (fewer at the end of the input) and keeps
  // them to be returned again by Read.
  absl::StatusOr<std::string> Peek(size_t n) {
    while (prefix_.size() < n) {
      char buf[16];
      absl::StatusOr<size_t> got = ReadFd(buf, n - prefix_.size());
      if (!got.ok()) return got.status();
      if (*got == 0) break;
      prefix_.append(buf, *got);
    }
    return prefix_;
  }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (prefix_pos_ < prefix_.size()) {
      size_t k = std::min(n, prefix_.size() - prefix_pos_);
      std::memcpy(buf, prefix_.data() + prefix_pos_, k);
      prefix_pos_ += k;
      return k;
    }
    return ReadFd(buf, n);
  }

 private:
  absl::StatusOr<size_t> ReadFd(char* buf, size_t n) {
    for (;;) {
      ssize_t got = read(fd_, buf, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) return ErrnoError(errno, name_ + ": read failed");
    }
  }

  int fd_;
  bool owned_;
  std::string name_;
  std::string prefix_;
  size_t prefix_pos_ = 0;
};

// Inflates one or more concatenated gzip members read from `in`.
class GzipInput : public InputStream {
 public:
  GzipInput(std::unique_ptr<InputStream> in, std::string name)
      : in_(std::move(in)),
        name_(std::move(name)),
        block_(new char[kGzipInputBlock]) {
    std::memset(&strm_, 0, sizeof(strm_));
  }
  ~GzipInput() override {
    if (initialized_) inflateEnd(&strm_);
  }
  GzipInput(const GzipInput&) = delete;
  GzipInput& operator=(const GzipInput&) = delete;

  absl::Status Init() {
    // 16 + MAX_WBITS: expect a gzip header and trailer.
    if (inflateInit2(&strm_, 16 + MAX_WBITS) != Z_OK) {
      return absl::ResourceExhaustedError(
          absl::StrCat(name_, ": cannot initialize zlib"));
    }
    initialized_ = true;
    return absl::OkStatus();
  }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (!status_.ok()) return status_;
    if (done_) return 0;
    strm_.next_out = reinterpret_cast<Bytef*>(buf);
    // zlib counts in uInt; larger requests are simply served in part.
    const uInt want =
        static_cast<uInt>(std::min<size_t>(n, uInt{1} << 30));
    strm_.avail_out = want;
    while (strm_.avail_out == want) {
      if (strm_.avail_in == 0 && !in_eof_) {
        absl::Status st = Fill();
        if (!st.ok()) return status_ = st;
      }
      if (member_done_) {
        if (strm_.avail_in == 0 && in_eof_) {
          done_ = true;
          break;
        }
        inflateReset(&strm_);  // Another member follows.
        member_done_ = false;
      }
      int ret = inflate(&strm_, Z_NO_FLUSH);
      if (ret == Z_STREAM_END) {
        member_done_ = true;
      } else if (ret == Z_OK || ret == Z_BUF_ERROR) {
        if (strm_.avail_out == want && strm_.avail_in == 0 && in_eof_) {
          return status_ = absl::DataLossError(
                     absl::StrCat(name_, ": truncated gzip stream"));
        }
      } else {
        return status_ = absl::DataLossError(
                   absl::StrCat(name_, ": corrupt gzip stream (",
                                strm_.msg ? strm_.msg : "zlib error", ")"));
      }
    }
    return want - strm_.avail_out;
  }

 private:
  absl::Status Fill() {
    absl::StatusOr<size_t> got = in_->Read(block_.get(), kGzipInputBlock);
    if (!got.ok()) return got.status();
    if (*got == 0) in_eof_ = true;
    strm_.next_in = reinterpret_cast<Bytef*>(block_.get());
    strm_.avail_in = static_cast<uInt>(*got);
    return absl::OkStatus();
  }

  std::unique_ptr<InputStream> in_;
  std::string name_;
  std::unique_ptr<char[]> block_;
  z_stream strm_;
  bool initialized_ = false;
  bool in_eof_ = false;
  bool member_done_ = false;
  bool done_ = false;
  absl::Status status_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<InputStream>> OpenInputStream(
    const std::string& path, const std::string& name) {
  std::unique_ptr<FdInput> fd_input;
  if (path == "-") {
    fd_input = std::make_unique<FdInput>(STDIN_FILENO, false, name);
  } else {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoError(errno, path);
    fd_input = std::make_unique<FdInput>(fd, true, name);
    struct stat st;
    if (fstat(fd, &st) != 0) return ErrnoError(errno, path);
    if (S_ISDIR(st.st_mode)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": is a directory"));
    }
  }
  absl::StatusOr<std::string> magic = fd_input->Peek(2);
  if (!magic.ok()) return magic.status();
  if (*magic == "\x1f\x8b") {
    auto gz = std::make_unique<GzipInput>(std::move(fd_input), name);
    absl::Status st = gz->Init();
    if (!st.ok()) return st;
    return std::unique_ptr<InputStream>(std::move(gz));
  }
  if (absl::EndsWith(path, ".gz") && !magic->empty()) {
    return absl::DataLossError(absl::StrCat(name, ": not a gzip file"));
  }
  return std::unique_ptr<InputStream>(std::move(fd_input));
}

absl::StatusOr<std::string> ReadWholeInput(const std::string& path) {
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<InputStream> in,
                          OpenInputStream(path, path));
  std::string out;
  char buf[1 << 16];
  for (;;) {
    SYNDEX_ASSIGN_OR_RETURN(const size_t n, in->Read(buf, sizeof(buf)));
    if (n == 0) return out;
    out.append(buf, n);
  }
}

}  // namespace syndex
