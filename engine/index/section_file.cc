#include "engine/index/section_file.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/util/bytes.h"
#include "engine/util/hash.h"

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
  const uint64_t table_end =
      kHeaderSize + kEntrySize * sections_.size() + kTableChecksumSize;
  // Offsets per the layout rule: each section at align64(previous end).
  std::vector<uint64_t> offsets;
  uint64_t end = table_end;
  for (const auto& [tag, bytes] : sections_) {
    offsets.push_back(Align64(end));
    end = offsets.back() + bytes.size();
  }

  std::string out;
  out.reserve(end);
  ByteWriter w(&out);
  w.Raw(kMagic, sizeof(kMagic));
  w.U32(version_);
  w.U32(static_cast<uint32_t>(sections_.size()));
  w.U64(end);
  for (size_t i = 0; i < sections_.size(); ++i) {
    w.U32(sections_[i].first);
    w.U32(0);
    w.U64(offsets[i]);
    w.U64(sections_[i].second.size());
    w.U64(Checksum(sections_[i].second));
  }
  w.U64(Checksum(out));
  for (size_t i = 0; i < sections_.size(); ++i) {
    out.resize(offsets[i], '\0');
    out += sections_[i].second;
  }
  assert(out.size() == end);
  return out;
}

absl::StatusOr<SectionFileReader> SectionFileReader::Open(
    absl::string_view data, std::string name, uint32_t expected_version) {
  SectionFileReader reader;
  reader.name_ = std::move(name);
  const std::string& file = reader.name_;
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
    return corrupt("not a syndex index file");
  }
  if (data.size() < 12) return corrupt("truncated header");
  const uint32_t version = LoadU32(data.data() + 8);
  if (version != expected_version) {
    return absl::FailedPreconditionError(
        absl::StrCat(file, ": format version ", version,
                     ", this build reads ", expected_version));
  }
  if (data.size() < kHeaderSize) return corrupt("truncated header");
  const uint32_t count = LoadU32(data.data() + 12);
  const uint64_t total_size = LoadU64(data.data() + 16);
  if (total_size != data.size()) {
    return corrupt(absl::StrCat("file is ", data.size(),
                                " bytes but its header says ", total_size,
                                " (truncated or extended)"));
  }
  if (count > kMaxSections) {
    return corrupt(absl::StrCat("section count ", count, " out of range"));
  }
  const uint64_t table_size = kHeaderSize + uint64_t{kEntrySize} * count;
  if (table_size + kTableChecksumSize > data.size()) {
    return corrupt("truncated section table");
  }
  if (LoadU64(data.data() + table_size) != Checksum(data.substr(0, table_size))) {
    return corrupt("header checksum mismatch");
  }

  reader.version_ = version;
  reader.sections_.reserve(count);
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
    reader.sections_.emplace_back(tag, data.substr(offset, length));
    checksums.push_back(LoadU64(entry + 24));
    end = offset + length;
  }
  std::vector<uint32_t> tags;
  tags.reserve(count);
  for (const auto& section : reader.sections_) tags.push_back(section.first);
  std::sort(tags.begin(), tags.end());
  const auto dup = std::adjacent_find(tags.begin(), tags.end());
  if (dup != tags.end()) {
    return corrupt(absl::StrCat("section ", TagName(*dup), ": duplicate tag"));
  }
  if (end != data.size()) {
    return corrupt(absl::StrCat("unexpected bytes after the last section at ",
                                end));
  }
  for (uint32_t i = 0; i < count; ++i) {
    const auto& [tag, bytes] = reader.sections_[i];
    if (Checksum(bytes) != checksums[i]) {
      return corrupt(
          absl::StrCat("section ", TagName(tag), ": checksum mismatch"));
    }
  }
  return reader;
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
