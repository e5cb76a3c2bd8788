#include "engine/corpus/jsonl_reader.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "engine/corpus/article_json.h"
#include "engine/corpus/input_stream.h"
#include "simdjson.h"

namespace syndex {
namespace {

// Input is read in blocks of this size; the buffer grows (doubling) only to
// hold a line longer than what it has.
constexpr size_t kBlockSize = size_t{4} << 20;

bool IsBlank(absl::string_view line) {
  for (char c : line) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Parses exactly `n` digits at `*s`, advancing it.
bool Digits(absl::string_view* s, int n, int* value) {
  if (s->size() < static_cast<size_t>(n)) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = (*s)[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *value = v;
  s->remove_prefix(n);
  return true;
}

bool Consume(absl::string_view* s, char c) {
  if (s->empty() || s->front() != c) return false;
  s->remove_prefix(1);
  return true;
}

// Parses "Z", "+hh", "+hh:mm" or "+hhmm" (or "-") into seconds east of UTC.
bool ParseOffset(absl::string_view s, int* seconds) {
  if (s == "Z" || s == "z") {
    *seconds = 0;
    return true;
  }
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return false;
  int sign = s[0] == '-' ? -1 : 1;
  s.remove_prefix(1);
  int hh = 0, mm = 0;
  if (!Digits(&s, 2, &hh)) return false;
  if (!s.empty()) {
    Consume(&s, ':');
    if (!Digits(&s, 2, &mm) || !s.empty()) return false;
  }
  if (hh > 23 || mm > 59) return false;
  *seconds = sign * (hh * 3600 + mm * 60);
  return true;
}

}  // namespace

absl::StatusOr<int64_t> ParseIsoTime(absl::string_view s) {
  const absl::string_view original = s;
  auto bad = [original] {
    return absl::InvalidArgumentError(
        absl::StrCat("not a valid ISO 8601 date: \"", original, "\""));
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!Digits(&s, 4, &year) || !Consume(&s, '-') || !Digits(&s, 2, &month) ||
      !Consume(&s, '-') || !Digits(&s, 2, &day)) {
    return bad();
  }
  int offset = 0;
  if (!s.empty()) {
    if (!Consume(&s, 'T') && !Consume(&s, 't') && !Consume(&s, ' ')) {
      return bad();
    }
    if (!Digits(&s, 2, &hour) || !Consume(&s, ':') ||
        !Digits(&s, 2, &minute)) {
      return bad();
    }
    if (Consume(&s, ':')) {
      if (!Digits(&s, 2, &second)) return bad();
      if (Consume(&s, '.') || Consume(&s, ',')) {
        // The fraction is dropped: the result has whole seconds.
        size_t n = 0;
        while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
        if (n == 0) return bad();
        s.remove_prefix(n);
      }
    }
    if (!s.empty() && !ParseOffset(s, &offset)) return bad();
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 ||
      second > 59) {
    return bad();
  }
  const absl::CivilSecond civil(year, month, day, hour, minute, second);
  if (civil.day() != day) return bad();  // Past the end of the month.
  const absl::Time t = absl::FromCivil(civil, absl::UTCTimeZone());
  return absl::ToUnixSeconds(t) - offset;
}

std::string FormatIsoTime(int64_t seconds) {
  const absl::CivilSecond c =
      absl::ToCivilSecond(absl::FromUnixSeconds(seconds), absl::UTCTimeZone());
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04lld-%02d-%02dT%02d:%02d:%02dZ",
                static_cast<long long>(c.year()), c.month(), c.day(),
                c.hour(), c.minute(), c.second());
  return buf;
}

// Splits the input into lines and parses them.
class JsonlReader::Impl {
 public:
  explicit Impl(std::unique_ptr<InputStream> in) : in_(std::move(in)) {
    Reserve(kBlockSize);
  }

  // Sets `*line` to the next line without its '\n'. The SIMDJSON_PADDING
  // bytes after the line are readable. False at the end of the input.
  absl::StatusOr<bool> NextLine(absl::string_view* line);

  // Parses one non-blank line into `article` (all fields but origin).
  // Returns "" on success, else the reason the line is bad.
  std::string ParseLine(absl::string_view line, const ReaderOptions& options,
                        Article* article);

 private:
  // Makes the buffer hold `capacity` bytes plus padding, keeping its data.
  void Reserve(size_t capacity);

  std::unique_ptr<InputStream> in_;
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;  // Usable bytes of buf_ (padding comes after).
  size_t begin_ = 0;     // Start of the unconsumed data.
  size_t scan_ = 0;      // Data before this holds no '\n' after begin_.
  size_t end_ = 0;       // End of the data read.
  bool eof_ = false;
  absl::Status status_;  // Sticky I/O error.
  simdjson::dom::parser parser_;
};

void JsonlReader::Impl::Reserve(size_t capacity) {
  // make_unique value-initializes, so the padding is never uninitialized.
  auto buf = std::make_unique<char[]>(capacity + simdjson::SIMDJSON_PADDING);
  if (buf_ != nullptr) std::memcpy(buf.get(), buf_.get(), end_);
  buf_ = std::move(buf);
  capacity_ = capacity;
}

absl::StatusOr<bool> JsonlReader::Impl::NextLine(absl::string_view* line) {
  if (!status_.ok()) return status_;
  for (;;) {
    const char* base = buf_.get();
    const void* nl = std::memchr(base + scan_, '\n', end_ - scan_);
    if (nl != nullptr) {
      size_t pos = static_cast<const char*>(nl) - base;
      *line = absl::string_view(base + begin_, pos - begin_);
      begin_ = scan_ = pos + 1;
      return true;
    }
    scan_ = end_;
    if (eof_) {
      if (begin_ == end_) return false;
      *line = absl::string_view(base + begin_, end_ - begin_);
      begin_ = scan_ = end_;
      return true;
    }
    if (begin_ > 0) {  // Move the partial line to the front.
      std::memmove(buf_.get(), base + begin_, end_ - begin_);
      end_ -= begin_;
      scan_ = end_;
      begin_ = 0;
    }
    if (capacity_ - end_ < kBlockSize / 2) Reserve(capacity_ * 2);
    absl::StatusOr<size_t> got = in_->Read(buf_.get() + end_, capacity_ - end_);
    if (!got.ok()) return status_ = got.status();
    if (*got == 0) eof_ = true;
    end_ += *got;
  }
}

std::string JsonlReader::Impl::ParseLine(absl::string_view line,
                                         const ReaderOptions& options,
                                         Article* article) {
  simdjson::dom::element doc;
  simdjson::error_code error =
      parser_.parse(line.data(), line.size(), false).get(doc);
  if (error) {
    // The parser rejects NUL bytes and invalid UTF-8 too; name them.
    if (std::memchr(line.data(), '\0', line.size()) != nullptr) {
      return "NUL byte";
    }
    if (!simdjson::validate_utf8(line.data(), line.size())) {
      return "invalid UTF-8";
    }
    if (error == simdjson::CAPACITY) return "line too long";
    return "not valid JSON";
  }
  return ArticleFromJson(doc, options, article);
}

JsonlReader::JsonlReader(std::unique_ptr<Impl> impl, std::string name,
                         const ReaderOptions& options)
    : impl_(std::move(impl)), name_(std::move(name)), options_(options) {}

JsonlReader::~JsonlReader() = default;

absl::StatusOr<std::unique_ptr<JsonlReader>> JsonlReader::Open(
    const std::string& path, const ReaderOptions& options) {
  std::string name = path == "-" ? "<stdin>" : path;
  absl::StatusOr<std::unique_ptr<InputStream>> in =
      OpenInputStream(path, name);
  if (!in.ok()) return in.status();
  auto impl = std::make_unique<Impl>(*std::move(in));
  return std::unique_ptr<JsonlReader>(
      new JsonlReader(std::move(impl), std::move(name), options));
}

namespace {

// The bytes of a string, as a stream.
class StringInput : public InputStream {
 public:
  explicit StringInput(std::string data) : data_(std::move(data)) {}
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    const size_t got = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, got);
    pos_ += got;
    return got;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<JsonlReader> JsonlReader::FromString(
    std::string data, std::string name, int64_t first_line,
    const ReaderOptions& options) {
  auto impl =
      std::make_unique<Impl>(std::make_unique<StringInput>(std::move(data)));
  std::unique_ptr<JsonlReader> reader(
      new JsonlReader(std::move(impl), std::move(name), options));
  reader->line_ = first_line - 1;
  return reader;
}

absl::StatusOr<bool> JsonlReader::Next(Article* article) {
  for (;;) {
    absl::string_view line;
    absl::StatusOr<bool> more = impl_->NextLine(&line);
    if (!more.ok() || !*more) return more;
    ++line_;
    if (line_ == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") {
      line.remove_prefix(3);
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (IsBlank(line)) continue;
    std::string reason = impl_->ParseLine(line, options_, article);
    if (reason.empty()) {
      article->origin = absl::StrCat(name_, ":", line_);
      return true;
    }
    if (!options_.skip_bad) {
      return absl::InvalidArgumentError(
          absl::StrCat(name_, ":", line_, ": ", reason));
    }
    ++skipped_[reason];
  }
}

}  // namespace syndex
