#include "engine/chrome/growth.h"

#include <algorithm>
#include <utility>

#include "engine/util/status_macros.h"

namespace syndex {

bool ChromeGrowth::Final(absl::string_view source) const {
  return std::binary_search(final_.begin(), final_.end(), source);
}

void ChromeGrowth::MarkFinal(const std::string& source) {
  const auto at = std::lower_bound(final_.begin(), final_.end(), source);
  if (at == final_.end() || *at != source) final_.insert(at, source);
}

const std::string* ChromeGrowth::Text(absl::string_view id) const {
  const auto it = texts_.find(id);
  return it == texts_.end() ? nullptr : &it->second;
}

void ChromeGrowth::Keep(const std::string& id, std::string text) {
  texts_[id] = std::move(text);
}

void ChromeGrowth::Drop(absl::string_view id) {
  const auto it = texts_.find(id);
  if (it != texts_.end()) texts_.erase(it);
}

std::vector<std::string> ChromeGrowth::Ids() const {
  std::vector<std::string> ids;
  ids.reserve(texts_.size());
  for (const auto& [id, text] : texts_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

void ChromeGrowth::AppendTo(ByteWriter* out) const {
  out->U32(static_cast<uint32_t>(final_.size()));
  for (const std::string& source : final_) out->String(source);
  const std::vector<std::string> ids = Ids();
  out->U32(static_cast<uint32_t>(ids.size()));
  for (const std::string& id : ids) {
    out->String(id);
    out->String(texts_.at(id));
  }
}

absl::Status ChromeGrowth::ReadFrom(ByteReader* in) {
  ChromeGrowth g;
  uint32_t sources = 0, texts = 0;
  SYNDEX_RETURN_IF_ERROR(in->U32(&sources));
  if (sources > in->remaining() / 4) {
    return in->Fail("final source count out of range");
  }
  g.final_.resize(sources);
  for (std::string& s : g.final_) SYNDEX_RETURN_IF_ERROR(in->String(&s));
  if (!std::is_sorted(g.final_.begin(), g.final_.end()) ||
      std::adjacent_find(g.final_.begin(), g.final_.end()) != g.final_.end()) {
    return in->Fail("final sources are not sorted");
  }
  SYNDEX_RETURN_IF_ERROR(in->U32(&texts));
  if (texts > in->remaining() / 8) return in->Fail("text count out of range");
  for (uint32_t i = 0; i < texts; ++i) {
    std::string id, text;
    SYNDEX_RETURN_IF_ERROR(in->String(&id));
    SYNDEX_RETURN_IF_ERROR(in->String(&text));
    if (!g.texts_.emplace(std::move(id), std::move(text)).second) {
      return in->Fail("article text kept twice");
    }
  }
  *this = std::move(g);
  return absl::OkStatus();
}

}  // namespace syndex
