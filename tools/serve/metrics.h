#ifndef SYNDEX_TOOLS_SERVE_METRICS_H_
#define SYNDEX_TOOLS_SERVE_METRICS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace syndex {

// The service's counters and latency histograms, rendered in the
// Prometheus text format (docs/http.md, "Metrics"). Thread-safe.
class Metrics {
 public:
  Metrics();

  // One answered request: its endpoint ("GET /v1/articles/{id}/matches"),
  // status and seconds from the start of its handling to its answer.
  void Request(const std::string& endpoint, int status, double seconds);
  // One group commit: its seconds (engine changes and commit), the
  // seconds it held queries out, and the articles it added.
  void Commit(double seconds, double apply_seconds, uint64_t articles);
  // One clustering refresh and its seconds.
  void Clustering(double seconds);

  // The text of /metrics, with the index's gauges.
  std::string Render(uint64_t articles, uint64_t generation,
                     uint64_t log_bytes, uint64_t cluster_generation) const;

 private:
  struct Histogram {
    std::vector<uint64_t> counts;  // Per bucket (not cumulative).
    double sum = 0;
    uint64_t count = 0;
  };
  void Observe(Histogram* h, double seconds);
  static void Render(const std::string& name, const std::string& labels,
                     const Histogram& h, std::string* out);

  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  Histogram commits_;
  Histogram applies_;
  Histogram clusterings_;
  uint64_t committed_articles_ = 0;
};

}  // namespace syndex

#endif  // SYNDEX_TOOLS_SERVE_METRICS_H_
