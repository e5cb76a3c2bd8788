// Commits through the commit log (docs/format.md, "Commit log"): the
// changes since the last commit as one record of operations, replayed on
// top of the live generation when the index is opened.

#include <algorithm>
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
constexpr uint8_t kAddOp = 1;       // AddTexts of the articles.
constexpr uint8_t kVectorsOp = 2;   // UpdateVectors.
constexpr uint8_t kRemoveOp = 3;    // Remove of the ids.
constexpr uint8_t kReplacedOp = 4;  // RemoveReplaced of an add call.

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

// Makes the next commit write a generation (dropping the pending record)
// if the pending record would pass the log's limit.
bool IndexCore::LogOutgrown(uint64_t more) {
  if (pending_.size() + more + kRecordOverhead <= options_.max_log_bytes) {
    return false;
  }
  full_commit_ = true;
  std::string().swap(pending_);
  pending_ops_ = 0;
  return true;
}

void IndexCore::LogAdd(const std::vector<Article>& articles) {
  if (replaying_ || full_commit_) return;
  uint64_t bytes = 9;
  for (const Article& a : articles) {
    bytes += 48 + a.id.size() + a.title.size() + a.text.size() +
             a.source.size() + a.url.size();
  }
  if (LogOutgrown(bytes)) return;
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
}

void IndexCore::LogAddEnd(const ChromeModel* learned) {
  if (replaying_ || full_commit_) return;
  ByteWriter w(&pending_);
  w.U8(learned != nullptr);
  if (learned != nullptr) learned->AppendLearnedSince(chrome_, &w);
  ++pending_ops_;
  LogOutgrown(0);
}

void IndexCore::LogRemove(const std::vector<std::string>& ids) {
  if (replaying_ || full_commit_) return;
  ByteWriter w(&pending_);
  w.U8(kRemoveOp);
  w.U64(ids.size());
  for (const std::string& id : ids) w.String(id);
  ++pending_ops_;
}

void IndexCore::LogReplaced(const AddCall& call) {
  if (replaying_ || full_commit_) return;
  ByteWriter w(&pending_);
  w.U8(kReplacedOp);
  w.U32(call.first_doc);
  w.U64(call.replaced.size());
  std::vector<std::string> ids(call.replaced.begin(), call.replaced.end());
  std::sort(ids.begin(), ids.end());
  for (const std::string& id : ids) w.String(id);
  ++pending_ops_;
}

void IndexCore::LogVectors() {
  if (replaying_ || full_commit_) return;
  ByteWriter w(&pending_);
  w.U8(kVectorsOp);
  ++pending_ops_;
}

absl::Status IndexCore::Replay(absl::string_view record,
                               const std::string& what) {
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
      uint8_t learned = 0;
      SYNDEX_RETURN_IF_ERROR(r.U8(&learned));
      if (learned > 1) return r.Fail("bad chrome flag");
      if (learned == 1) {
        // The chrome the batch learned, before its features.
        SYNDEX_RETURN_IF_ERROR(chrome_.ReadLearned(&r));
      }
      // The articles an add replaced are removed by its kReplacedOp.
      AddOptions options;
      options.replace = true;
      AddCall call;
      call.first_doc = static_cast<uint32_t>(size());
      st = AddTexts(std::move(articles), options, &call, &report);
    } else if (kind == kReplacedOp) {
      AddCall call;
      SYNDEX_RETURN_IF_ERROR(r.U32(&call.first_doc));
      SYNDEX_RETURN_IF_ERROR(ReadCount(&r, 8, &n));
      for (uint64_t i = 0; i < n; ++i) {
        std::string id;
        SYNDEX_RETURN_IF_ERROR(r.String(&id));
        call.replaced.insert(std::move(id));
      }
      if (call.first_doc > size()) return r.Fail("add call out of range");
      st = RemoveReplaced(call);
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
        log_,
        IndexLog::OpenForAppend(dir_->dir(), dir_->generation(), &records));
    log_bytes_ = log_->bytes();
  } else {
    uint64_t bytes = 0;
    SYNDEX_ASSIGN_OR_RETURN(
        records, IndexLog::Read(dir_->dir(), dir_->generation(), &bytes));
    log_bytes_ = bytes;
  }
  generation_ = dir_->generation();
  // After a recovery set newer generations aside, the log's next number
  // could name one of them: the next commit writes a data file numbered
  // above them instead.
  if (for_write && dir_->NextGeneration() > log_->last() + 1) {
    full_commit_ = true;
  }
  replaying_ = true;
  for (size_t i = 0; i < records.size(); ++i) {
    const absl::Status st =
        Replay(records[i], absl::StrCat(dir_->dir(), "/",
                                        IndexLog::FileName(dir_->generation()),
                                        ": record ", i + 1));
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
  // An index whose chrome grows (ChromeOptions::final_source_docs) rewrites
  // stored articles' features in an add, which a log record does not hold.
  if (full_commit_ || log_ == nullptr || !dir_->has_data() ||
      params_.chrome.final_source_docs > 0) {
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
  // The new generation holds what the old log recorded; the old log stays
  // with the old generation while that is kept (IndexDir::set_keep).
  std::vector<std::string> records;
  SYNDEX_ASSIGN_OR_RETURN(
      log_, IndexLog::OpenForAppend(dir_->dir(), dir_->generation(), &records));
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
