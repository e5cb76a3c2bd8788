#include "engine/util/bytes.h"

#include <bit>

#include "absl/strings/str_cat.h"

namespace syndex {

static_assert(std::endian::native == std::endian::little,
              "syndex's on-disk format is little-endian");

void ByteWriter::Flush() {
  if (sink_ == nullptr || out_->empty()) return;
  sink_->Write(*out_);
  flushed_ += out_->size();
  out_->clear();
}

absl::Status ByteReader::Raw(void* p, size_t n) {
  if (n > remaining()) return Fail("unexpected end of data");
  if (n > 0) std::memcpy(p, data_.data() + pos_, n);
  pos_ += n;
  return absl::OkStatus();
}

absl::Status ByteReader::Skip(size_t n) {
  if (n > remaining()) return Fail("unexpected end of data");
  pos_ += n;
  return absl::OkStatus();
}

absl::Status ByteReader::StringView(absl::string_view* s) {
  uint64_t n = 0;
  absl::Status st = U64(&n);
  if (!st.ok()) return st;
  if (n > remaining()) return Fail("string length out of range");
  *s = data_.substr(pos_, n);
  pos_ += n;
  return absl::OkStatus();
}

absl::Status ByteReader::ArrayBytes(size_t element_size,
                                    absl::string_view* bytes) {
  uint64_t n = 0;
  absl::Status st = U64(&n);
  if (!st.ok()) return st;
  if (n > remaining() / element_size) return Fail("array length out of range");
  *bytes = data_.substr(pos_, n * element_size);
  pos_ += n * element_size;
  return absl::OkStatus();
}

absl::Status ByteReader::String(std::string* s) {
  absl::string_view view;
  absl::Status st = StringView(&view);
  if (st.ok()) s->assign(view.data(), view.size());
  return st;
}

absl::Status ByteReader::Fail(absl::string_view reason) {
  const size_t at = pos_;
  pos_ = data_.size();
  return absl::DataLossError(
      absl::StrCat(what_, ": ", reason, " at byte ", at));
}

}  // namespace syndex
