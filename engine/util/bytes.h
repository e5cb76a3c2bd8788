#ifndef SYNDEX_ENGINE_UTIL_BYTES_H_
#define SYNDEX_ENGINE_UTIL_BYTES_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/util/memory.h"

namespace syndex {

// Serialization seam: every persisted component writes itself to a
// ByteWriter and reads itself back from a ByteReader, so persistence is tested
// in memory. All integers are little-endian fixed width (the only byte order
// syndex runs on; a static_assert in bytes.cc enforces it).

// Receives the bytes of a streaming ByteWriter, in order.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void Write(absl::string_view bytes) = 0;
};

// Appends values to a string it does not own, or streams them to a sink.
// Thread-compatible.
class ByteWriter {
 public:
  // Appends to `out`.
  explicit ByteWriter(std::string* out) : out_(out) {}
  // Streams to `sink`: small values gather in `buffer`, which is handed on
  // whenever it reaches kFlushBytes; large pieces go to the sink directly.
  // Call Flush after the last value.
  ByteWriter(std::string* buffer, ByteSink* sink) : out_(buffer), sink_(sink) {}

  void U8(uint8_t v) { Raw(&v, 1); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void I64(int64_t v) { Raw(&v, 8); }
  void F32(float v) { Raw(&v, 4); }
  void F64(double v) { Raw(&v, 8); }
  // A u64 length followed by the bytes.
  void String(absl::string_view s) {
    U64(s.size());
    Raw(s.data(), s.size());
  }
  // A u64 element count followed by the elements' bytes.
  template <typename T>
  void Array(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    U64(v.size());
    Raw(v.data(), v.size() * sizeof(T));
  }
  void Raw(const void* p, size_t n) {
    if (sink_ != nullptr && n >= kFlushBytes) {
      Flush();
      sink_->Write(absl::string_view(static_cast<const char*>(p), n));
      flushed_ += n;
      return;
    }
    out_->append(static_cast<const char*>(p), n);
    if (sink_ != nullptr && out_->size() >= kFlushBytes) Flush();
  }
  // Hands the buffered bytes to the sink; does nothing without one.
  void Flush();
  // Bytes written so far.
  size_t size() const { return flushed_ + out_->size(); }

 private:
  static constexpr size_t kFlushBytes = size_t{1} << 20;
  std::string* out_;
  ByteSink* sink_ = nullptr;
  size_t flushed_ = 0;
};

// Reads values from bytes it does not own, checking every length against what
// is left. After the first failure every read fails; errors are
// DataLossError naming `what` (typically "file: section").
// Thread-compatible.
class ByteReader {
 public:
  ByteReader(absl::string_view data, std::string what)
      : data_(data), what_(std::move(what)) {}

  absl::Status U8(uint8_t* v) { return Raw(v, 1); }
  absl::Status U32(uint32_t* v) { return Raw(v, 4); }
  absl::Status U64(uint64_t* v) { return Raw(v, 8); }
  absl::Status I64(int64_t* v) { return Raw(v, 8); }
  absl::Status F32(float* v) { return Raw(v, 4); }
  absl::Status F64(double* v) { return Raw(v, 8); }
  absl::Status String(std::string* s);
  // A view of a length-prefixed string inside the reader's data.
  absl::Status StringView(absl::string_view* s);
  template <typename T>
  absl::Status Array(std::vector<T>* v) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint64_t n = 0;
    absl::Status st = U64(&n);
    if (!st.ok()) return st;
    if (n > remaining() / sizeof(T)) return Fail("array length out of range");
    const char* p = data_.data() + pos_;
    v->clear();
    ReserveHuge(v, n);
    if (reinterpret_cast<uintptr_t>(p) % alignof(T) == 0) {
      // In place, which spares a large array the zero fill of resize.
      const T* first = reinterpret_cast<const T*>(p);
      v->assign(first, first + n);
      pos_ += n * sizeof(T);
      return absl::OkStatus();
    }
    v->resize(n);
    return Raw(v->data(), n * sizeof(T));
  }
  // A view of the elements of an array of `element_size`-byte values (its
  // u64 element count is read first), without copying them.
  absl::Status ArrayBytes(size_t element_size, absl::string_view* bytes);
  absl::Status Raw(void* p, size_t n);
  absl::Status Skip(size_t n);

  // An error that names what is read and the offset.
  absl::Status Fail(absl::string_view reason);

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  const std::string& what() const { return what_; }

 private:
  absl::string_view data_;
  size_t pos_ = 0;
  std::string what_;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_UTIL_BYTES_H_
