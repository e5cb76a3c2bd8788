#include "engine/index/section_file.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <numeric>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/util/bytes.h"
#include "engine/util/hash.h"
#include "engine/util/parallel.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// docs/format.md, "Section file container".
constexpr char kMagic[8] = {'S', 'Y', 'N', 'D', 'E', 'X', '\0', '\0'};
constexpr size_t kHeaderSize = 24;
constexpr size_t kEntrySize = 32;
constexpr size_t kTableChecksumSize = 8;
constexpr uint64_t kAlignment = 64;
constexpr uint32_t kMaxSections = 65536;
constexpr uint64_t kChecksumSeed = 0;
// Smaller files are verified on one thread.
constexpr size_t kMinParallelBytes = size_t{64} << 20;

uint64_t Align64(uint64_t x) { return (x + kAlignment - 1) & ~(kAlignment - 1); }

uint64_t Checksum(absl::string_view bytes) {
  return Hash64(bytes, kChecksumSeed);
}

uint32_t LoadU32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

uint64_t LoadU64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

uint64_t TableEnd(size_t num_sections) {
  return kHeaderSize + kEntrySize * num_sections + kTableChecksumSize;
}

// The header, the section table and its checksum of a file of `total_size`
// bytes.
std::string EncodeTable(uint32_t version,
                        const std::vector<SectionEntry>& entries,
                        uint64_t total_size) {
  std::string out;
  ByteWriter w(&out);
  w.Raw(kMagic, sizeof(kMagic));
  w.U32(version);
  w.U32(static_cast<uint32_t>(entries.size()));
  w.U64(total_size);
  for (const SectionEntry& e : entries) {
    w.U32(e.tag);
    w.U32(0);
    w.U64(e.offset);
    w.U64(e.length);
    w.U64(e.checksum);
  }
  w.U64(Checksum(out));
  return out;
}

bool AllZero(absl::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(),
                     [](char c) { return c == '\0'; });
}

}  // namespace

std::string TagName(uint32_t tag) {
  std::string name;
  for (int i = 0; i < 4; ++i) {
    const unsigned char c = static_cast<unsigned char>(tag >> (8 * i));
    if (c >= 0x20 && c < 0x7f) {
      name.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      name += "\\x";
      name.push_back(kHex[c >> 4]);
      name.push_back(kHex[c & 15]);
    }
  }
  return name;
}

SectionFileWriter::SectionFileWriter(uint32_t format_version)
    : version_(format_version) {}

void SectionFileWriter::Add(uint32_t tag, std::string bytes) {
  assert(std::none_of(sections_.begin(), sections_.end(),
                      [tag](const auto& s) { return s.first == tag; }));
  sections_.emplace_back(tag, std::move(bytes));
}

std::string SectionFileWriter::Finish() && {
  std::vector<SectionEntry> entries;
  uint64_t end = TableEnd(sections_.size());
  for (const auto& [tag, bytes] : sections_) {
    entries.push_back({tag, Align64(end), bytes.size(), Checksum(bytes)});
    end = entries.back().offset + bytes.size();
  }
  std::string out = EncodeTable(version_, entries, end);
  out.reserve(end);
  for (size_t i = 0; i < sections_.size(); ++i) {
    out.resize(entries[i].offset, '\0');
    out += sections_[i].second;
  }
  assert(out.size() == end);
  return out;
}

namespace {

// Passes bytes to a file, hashing and counting them; keeps the first error
// (ByteWriter's sink cannot return one).
class FileSink : public ByteSink {
 public:
  explicit FileSink(WritableFile* file)
      : file_(file), hash_(kChecksumSeed) {}

  void Write(absl::string_view bytes) override {
    if (!status_.ok()) return;
    status_ = file_->Append(bytes);
    hash_.Update(bytes.data(), bytes.size());
    length_ += bytes.size();
  }
  const absl::Status& status() const { return status_; }
  uint64_t checksum() const { return hash_.Digest(); }
  uint64_t length() const { return length_; }

 private:
  WritableFile* file_;
  StreamingHash64 hash_;
  uint64_t length_ = 0;
  absl::Status status_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SectionFileStream>> SectionFileStream::Create(
    const std::string& path, uint32_t format_version, uint32_t num_sections) {
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file,
                          WritableFile::Create(path));
  // The header and table, zero until Finish.
  SYNDEX_RETURN_IF_ERROR(
      file->Append(std::string(TableEnd(num_sections), '\0')));
  return std::unique_ptr<SectionFileStream>(
      new SectionFileStream(std::move(file), format_version, num_sections));
}

SectionFileStream::SectionFileStream(std::unique_ptr<WritableFile> file,
                                     uint32_t version, uint32_t num_sections)
    : file_(std::move(file)), version_(version), num_sections_(num_sections) {}

absl::Status SectionFileStream::Add(
    uint32_t tag, const std::function<void(ByteWriter*)>& write) {
  assert(entries_.size() < num_sections_);
  const uint64_t offset = Align64(file_->size());
  SYNDEX_RETURN_IF_ERROR(
      file_->Append(std::string(offset - file_->size(), '\0')));
  FileSink sink(file_.get());
  std::string buffer;
  ByteWriter w(&buffer, &sink);
  write(&w);
  w.Flush();
  SYNDEX_RETURN_IF_ERROR(sink.status());
  entries_.push_back({tag, offset, sink.length(), sink.checksum()});
  return absl::OkStatus();
}

absl::Status SectionFileStream::Finish() {
  assert(entries_.size() == num_sections_);
  SYNDEX_RETURN_IF_ERROR(
      file_->WriteAt(0, EncodeTable(version_, entries_, file_->size())));
  return file_->Sync();
}

absl::StatusOr<SectionFileReader> SectionFileReader::Open(
    absl::string_view data, std::string name, uint32_t expected_version,
    int threads, const std::function<void(absl::string_view)>& verified) {
  SectionFileReader reader;
  reader.name_ = std::move(name);
  SYNDEX_ASSIGN_OR_RETURN(const std::vector<uint64_t> checksums,
                          reader.ReadTable(data, expected_version));
  const std::vector<char> bad =
      reader.FindBadChecksums(data, checksums, threads, verified);
  for (size_t i = 0; i < bad.size(); ++i) {
    if (bad[i]) {
      return absl::DataLossError(
          absl::StrCat(reader.name_, ": section ",
                       TagName(reader.sections_[i].first),
                       ": checksum mismatch"));
    }
  }
  return reader;
}

absl::StatusOr<std::vector<SectionCheck>> SectionFileReader::Check(
    absl::string_view data, const std::string& name, uint32_t expected_version,
    int threads) {
  SectionFileReader reader;
  reader.name_ = name;
  SYNDEX_ASSIGN_OR_RETURN(const std::vector<uint64_t> checksums,
                          reader.ReadTable(data, expected_version));
  const std::vector<char> bad =
      reader.FindBadChecksums(data, checksums, threads, nullptr);
  std::vector<SectionCheck> checks;
  for (size_t i = 0; i < bad.size(); ++i) {
    checks.push_back({reader.sections_[i].first, reader.sections_[i].second,
                      !bad[i]});
  }
  return checks;
}

absl::StatusOr<std::vector<uint64_t>> SectionFileReader::ReadTable(
    absl::string_view data, uint32_t expected_version) {
  const std::string& file = name_;
  auto corrupt = [&file](absl::string_view what) {
    return absl::DataLossError(absl::StrCat(file, ": ", what));
  };
  const absl::string_view magic(kMagic, sizeof(kMagic));
  if (data.size() < magic.size()) {
    if (!data.empty() && magic.substr(0, data.size()) == data) {
      return corrupt("truncated header");
    }
    return corrupt("not a syndex index file");
  }
  if (data.substr(0, magic.size()) != magic) {
    // A foreign file rarely holds its own size at offset 16.
    if (data.size() >= kHeaderSize && LoadU64(data.data() + 16) == data.size()) {
      return corrupt("header damaged: bad magic");
    }
    return corrupt("not a syndex index file");
  }
  if (data.size() < kHeaderSize) return corrupt("truncated header");
  const uint32_t version = LoadU32(data.data() + 8);
  const uint32_t count = LoadU32(data.data() + 12);
  const uint64_t total_size = LoadU64(data.data() + 16);
  const uint64_t table_size = kHeaderSize + uint64_t{kEntrySize} * count;
  const bool table_fits =
      count <= kMaxSections && table_size + kTableChecksumSize <= data.size();
  const bool header_intact =
      table_fits &&
      LoadU64(data.data() + table_size) == Checksum(data.substr(0, table_size));
  if (version != expected_version) {
    // Only an intact header tells a version apart from a damaged one.
    if (!header_intact) {
      return corrupt(absl::StrCat(
          "header damaged: checksum mismatch (its format version field reads ",
          version, ")"));
    }
    return absl::FailedPreconditionError(
        absl::StrCat(file, ": format version ", version,
                     ", this build reads ", expected_version));
  }
  if (total_size != data.size()) {
    if (table_fits && !header_intact) {
      return corrupt("header damaged: checksum mismatch");
    }
    return corrupt(absl::StrCat("file is ", data.size(),
                                " bytes but its header says ", total_size,
                                " (truncated or extended)"));
  }
  if (count > kMaxSections) {
    return corrupt(
        absl::StrCat("header damaged: section count ", count, " out of range"));
  }
  if (!table_fits) {
    return corrupt("header damaged: section table runs past the end of the file");
  }
  if (!header_intact) return corrupt("header damaged: checksum mismatch");

  version_ = version;
  sections_.reserve(count);
  std::vector<uint64_t> checksums;
  checksums.reserve(count);
  uint64_t end = table_size + kTableChecksumSize;
  for (uint32_t i = 0; i < count; ++i) {
    const char* entry = data.data() + kHeaderSize + uint64_t{kEntrySize} * i;
    const uint32_t tag = LoadU32(entry);
    const uint64_t offset = LoadU64(entry + 8);
    const uint64_t length = LoadU64(entry + 16);
    const std::string what = absl::StrCat("section ", TagName(tag), ": ");
    if (LoadU32(entry + 4) != 0) {
      return corrupt(absl::StrCat(what, "reserved field is not zero"));
    }
    // `end` <= data.size() here, so Align64 cannot overflow.
    if (offset != Align64(end)) {
      return corrupt(absl::StrCat(what, "offset ", offset, ", expected ",
                                  Align64(end)));
    }
    if (offset > data.size() || length > data.size() - offset) {
      return corrupt(absl::StrCat(what, "extends past the end of the file"));
    }
    if (!AllZero(data.substr(end, offset - end))) {
      return corrupt(absl::StrCat(what, "padding before it is not zero"));
    }
    sections_.emplace_back(tag, data.substr(offset, length));
    checksums.push_back(LoadU64(entry + 24));
    end = offset + length;
  }
  std::vector<uint32_t> tags;
  tags.reserve(count);
  for (const auto& section : sections_) tags.push_back(section.first);
  std::sort(tags.begin(), tags.end());
  const auto dup = std::adjacent_find(tags.begin(), tags.end());
  if (dup != tags.end()) {
    return corrupt(absl::StrCat("section ", TagName(*dup), ": duplicate tag"));
  }
  if (end != data.size()) {
    return corrupt(absl::StrCat("unexpected bytes after the last section at ",
                                end));
  }
  return checksums;
}

std::vector<char> SectionFileReader::FindBadChecksums(
    absl::string_view data, const std::vector<uint64_t>& checksums,
    int threads, const std::function<void(absl::string_view)>& verified) const {
  // Largest sections first, so that no thread is left with a long one at
  // the end.
  const size_t count = sections_.size();
  std::vector<uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return sections_[a].second.size() > sections_[b].second.size();
  });
  std::vector<char> bad(count, 0);
  const int workers =
      data.size() < kMinParallelBytes ? 1 : ResolveThreads(threads);
  ParallelFor(count, workers, 1, [&](size_t begin, size_t end, int) {
    for (size_t i = begin; i < end; ++i) {
      const uint32_t s = order[i];
      const absl::string_view bytes = sections_[s].second;
      bad[s] = Checksum(bytes) != checksums[s];
      if (verified) verified(bytes);
    }
  });
  return bad;
}

bool SectionFileReader::Has(uint32_t tag) const {
  return std::any_of(sections_.begin(), sections_.end(),
                     [tag](const auto& s) { return s.first == tag; });
}

absl::StatusOr<absl::string_view> SectionFileReader::Get(uint32_t tag) const {
  for (const auto& [t, bytes] : sections_) {
    if (t == tag) return bytes;
  }
  return absl::DataLossError(
      absl::StrCat(name_, ": missing section ", TagName(tag)));
}

}  // namespace syndex
