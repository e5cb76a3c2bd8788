#include "tools/serve/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace syndex {
namespace {

// Upper bounds of the latency buckets, in seconds.
constexpr double kBuckets[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                               0.005,  0.01,    0.02,   0.05,  0.1,
                               0.25,   0.5,     1,      2.5,   5,
                               10,     30};
constexpr size_t kNumBuckets = sizeof(kBuckets) / sizeof(kBuckets[0]);

std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

Metrics::Metrics() {
  commits_.counts.assign(kNumBuckets, 0);
  applies_.counts.assign(kNumBuckets, 0);
  clusterings_.counts.assign(kNumBuckets, 0);
}

void Metrics::Observe(Histogram* h, double seconds) {
  if (h->counts.empty()) h->counts.assign(kNumBuckets, 0);
  size_t b = 0;
  while (b < kNumBuckets && seconds > kBuckets[b]) ++b;
  if (b < kNumBuckets) ++h->counts[b];
  h->sum += seconds;
  ++h->count;
}

void Metrics::Request(const std::string& endpoint, int status,
                      double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{endpoint, status}];
  Observe(&latency_[endpoint], seconds);
}

void Metrics::Commit(double seconds, double apply_seconds,
                     uint64_t articles) {
  std::lock_guard<std::mutex> lock(mu_);
  Observe(&commits_, seconds);
  Observe(&applies_, apply_seconds);
  committed_articles_ += articles;
}

void Metrics::Clustering(double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Observe(&clusterings_, seconds);
}

void Metrics::Render(const std::string& name, const std::string& labels,
                     const Histogram& h, std::string* out) {
  const std::string sep = labels.empty() ? "" : ",";
  uint64_t cumulative = 0;
  for (size_t b = 0; b < kNumBuckets; ++b) {
    cumulative += h.counts[b];
    absl::StrAppend(out, name, "_bucket{", labels, sep, "le=\"",
                    absl::StrFormat("%g", kBuckets[b]), "\"} ", cumulative,
                    "\n");
  }
  absl::StrAppend(out, name, "_bucket{", labels, sep, "le=\"+Inf\"} ",
                  h.count, "\n");
  const std::string braces = labels.empty() ? "" : absl::StrCat("{", labels, "}");
  absl::StrAppend(out, name, "_sum", braces, " ",
                  absl::StrFormat("%.6f", h.sum), "\n");
  absl::StrAppend(out, name, "_count", braces, " ", h.count, "\n");
}

std::string Metrics::Render(uint64_t articles, uint64_t generation,
                            uint64_t log_bytes,
                            uint64_t cluster_generation) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  absl::StrAppend(&out,
                  "# HELP syndex_http_requests_total Requests answered, by "
                  "endpoint and status.\n"
                  "# TYPE syndex_http_requests_total counter\n");
  for (const auto& [key, count] : requests_) {
    absl::StrAppend(&out, "syndex_http_requests_total{endpoint=\"",
                    Escape(key.first), "\",status=\"", key.second, "\"} ",
                    count, "\n");
  }
  absl::StrAppend(&out,
                  "# HELP syndex_http_request_duration_seconds Time from the "
                  "start of a request's handling to its answer.\n"
                  "# TYPE syndex_http_request_duration_seconds histogram\n");
  for (const auto& [endpoint, h] : latency_) {
    Render("syndex_http_request_duration_seconds",
           absl::StrCat("endpoint=\"", Escape(endpoint), "\""), h, &out);
  }
  absl::StrAppend(&out,
                  "# HELP syndex_commit_duration_seconds Group commits: "
                  "engine changes and the durable commit.\n"
                  "# TYPE syndex_commit_duration_seconds histogram\n");
  Render("syndex_commit_duration_seconds", "", commits_, &out);
  absl::StrAppend(&out,
                  "# HELP syndex_apply_duration_seconds Per group commit, the "
                  "time queries waited for it (applying its articles).\n"
                  "# TYPE syndex_apply_duration_seconds histogram\n");
  Render("syndex_apply_duration_seconds", "", applies_, &out);
  absl::StrAppend(&out,
                  "# HELP syndex_cluster_duration_seconds Clustering "
                  "refreshes.\n"
                  "# TYPE syndex_cluster_duration_seconds histogram\n");
  Render("syndex_cluster_duration_seconds", "", clusterings_, &out);
  absl::StrAppend(
      &out,
      "# HELP syndex_committed_articles_total Articles added by commits.\n"
      "# TYPE syndex_committed_articles_total counter\n"
      "syndex_committed_articles_total ",
      committed_articles_, "\n",
      "# HELP syndex_articles Articles in the index.\n"
      "# TYPE syndex_articles gauge\n"
      "syndex_articles ",
      articles, "\n",
      "# HELP syndex_generation Number of the last commit.\n"
      "# TYPE syndex_generation gauge\n"
      "syndex_generation ",
      generation, "\n",
      "# HELP syndex_log_bytes Bytes in the commit log.\n"
      "# TYPE syndex_log_bytes gauge\n"
      "syndex_log_bytes ",
      log_bytes, "\n",
      "# HELP syndex_cluster_generation Generation of the latest "
      "clustering.\n"
      "# TYPE syndex_cluster_generation gauge\n"
      "syndex_cluster_generation ",
      cluster_generation, "\n");
  return out;
}

}  // namespace syndex
