// Commits through the commit log (docs/format.md, "Commit log"): the
// changes since the last commit as one record of operations, replayed on
// top of the live generation when the index is opened.

#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/core/index_core.h"
#include "engine/index/index_dir.h"
#include "engine/index/index_log.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// Operation kinds of a record; written to disk, never to be changed.
constexpr uint8_t kAddOp = 1;      // AddTexts of the articles.
constexpr uint8_t kVectorsOp = 2;  // UpdateVectors.
constexpr uint8_t kRemoveOp = 3;   // Remove of the ids.

constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

// A record's bytes beyond its payload (index_log.cc), and the count of
// operations at its start.
constexpr uint64_t kRecordOverhead = 24 + 4;

absl::Status ReadArticle(ByteReader* r, Article* a) {
  int64_t published = 0;
  SYNDEX_RETURN_IF_ERROR(r->String(&a->id));
  SYNDEX_RETURN_IF_ERROR(r->String(&a->title));
  SYNDEX_RETURN_IF_ERROR(r->String(&a->text));
  SYNDEX_RETURN_IF_ERROR(r->String(&a->source));
  SYNDEX_RETURN_IF_ERROR(r->String(&a->url));
  SYNDEX_RETURN_IF_ERROR(r->I64(&published));
  if (published != kNoTime) a->published = published;
  return absl::OkStatus();
}

// A count of items of at least `min_bytes` bytes each, checked against
// what is left of `r`.
absl::Status ReadCount(ByteReader* r, uint64_t min_bytes, uint64_t* n) {
  SYNDEX_RETURN_IF_ERROR(r->U64(n));
  if (*n > r->remaining() / min_bytes) return r->Fail("count out of range");
  return absl::OkStatus();
}

}  // namespace

void IndexCore::LogAdd(const std::vector<Article>& articles) {
  if (replaying_ || full_commit_) return;
  ByteWriter w(&pending_);
  w.U8(kAddOp);
  w.U64(articles.size());
  for (const Article& a : articles) {
    w.String(a.id);
    w.String(a.title);
    w.String(a.text);
    w.String(a.source);
    w.String(a.url);
    w.I64(a.published.value_or(kNoTime));
  }
  ++pending_ops_;
  if (pending_.size() + kRecordOverhead > options_.max_log_bytes) {
    // Too large for the log: the next commit writes a generation.
    full_commit_ = true;
    std::string().swap(pending_);
    pending_ops_ = 0;
  }
}

void IndexCore::LogRemove(const std::vector<std::string>& ids) {
  if (replaying_ || full_commit_) return;
  ByteWriter w(&pending_);
  w.U8(kRemoveOp);
  w.U64(ids.size());
  for (const std::string& id : ids) w.String(id);
  ++pending_ops_;
}

void IndexCore::LogVectors() {
  if (replaying_ || full_commit_) return;
  ByteWriter w(&pending_);
  w.U8(kVectorsOp);
  ++pending_ops_;
}

absl::Status IndexCore::Replay(absl::string_view record) {
  const std::string what =
      absl::StrCat(dir_->dir(), "/", IndexLog::FileName(dir_->generation()),
                   ": record ", generation() - dir_->generation() + 1);
  ByteReader r(record, what);
  uint32_t ops = 0;
  SYNDEX_RETURN_IF_ERROR(r.U32(&ops));
  AddReport report;
  for (uint32_t op = 0; op < ops; ++op) {
    uint8_t kind = 0;
    uint64_t n = 0;
    SYNDEX_RETURN_IF_ERROR(r.U8(&kind));
    absl::Status st;
    if (kind == kAddOp) {
      SYNDEX_RETURN_IF_ERROR(ReadCount(&r, 48, &n));
      std::vector<Article> articles(n);
      for (Article& a : articles) SYNDEX_RETURN_IF_ERROR(ReadArticle(&r, &a));
      st = AddTexts(std::move(articles), /*skip_bad=*/false, &report);
    } else if (kind == kVectorsOp) {
      st = UpdateVectors(&report);
    } else if (kind == kRemoveOp) {
      SYNDEX_RETURN_IF_ERROR(ReadCount(&r, 8, &n));
      std::vector<std::string> ids(n);
      for (std::string& id : ids) SYNDEX_RETURN_IF_ERROR(r.String(&id));
      st = Remove(ids);
    } else {
      return r.Fail(absl::StrCat("unknown operation ", kind));
    }
    if (!st.ok()) {
      return absl::DataLossError(absl::StrCat(what, ": ", st.message()));
    }
  }
  if (r.remaining() != 0) return r.Fail("trailing bytes");
  return absl::OkStatus();
}

absl::Status IndexCore::OpenLog(bool for_write) {
  std::vector<std::string> records;
  if (for_write) {
    SYNDEX_ASSIGN_OR_RETURN(
        log_, IndexLog::OpenForAppend(dir_->dir(), dir_->generation(),
                                      &records));
    log_bytes_ = log_->bytes();
  } else {
    uint64_t bytes = 0;
    SYNDEX_ASSIGN_OR_RETURN(
        records, IndexLog::Read(dir_->dir(), dir_->generation(), &bytes));
    log_bytes_ = bytes;
  }
  generation_ = dir_->generation();
  replaying_ = true;
  for (const std::string& record : records) {
    const absl::Status st = Replay(record);
    if (!st.ok()) {
      replaying_ = false;
      return st;
    }
    generation_ = generation_ + 1;
  }
  replaying_ = false;
  return absl::OkStatus();
}

absl::Status IndexCore::Commit() {
  if (full_commit_ || log_ == nullptr || !dir_->has_data()) {
    return Checkpoint();
  }
  if (pending_ops_ == 0) return absl::OkStatus();  // Nothing changed.
  if (log_->bytes() + pending_.size() + kRecordOverhead >
      options_.max_log_bytes) {
    return Checkpoint();
  }
  std::string record;
  ByteWriter w(&record);
  w.U32(pending_ops_);
  record += pending_;
  SYNDEX_RETURN_IF_ERROR(log_->Append(record));
  std::string().swap(pending_);
  pending_ops_ = 0;
  generation_ = log_->last();
  log_bytes_ = log_->bytes();
  return absl::OkStatus();
}

absl::Status IndexCore::Checkpoint() {
  if (log_ != nullptr) dir_->ReserveGenerations(log_->last());
  SYNDEX_RETURN_IF_ERROR(WriteGeneration());
  // The new generation holds what the old log recorded.
  if (log_ != nullptr) log_->Remove();
  std::vector<std::string> records;
  SYNDEX_ASSIGN_OR_RETURN(
      log_,
      IndexLog::OpenForAppend(dir_->dir(), dir_->generation(), &records));
  std::string().swap(pending_);
  pending_ops_ = 0;
  full_commit_ = false;
  generation_ = dir_->generation();
  log_bytes_ = 0;
  std::lock_guard<std::mutex> lock(data_path_mu_);
  data_path_ = dir_->current_path();
  return absl::OkStatus();
}

std::string IndexCore::data_path() const {
  std::lock_guard<std::mutex> lock(data_path_mu_);
  return data_path_;
}

}  // namespace syndex
