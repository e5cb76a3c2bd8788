#ifndef SYNDEX_TOOLS_SERVE_SERVICE_H_
#define SYNDEX_TOOLS_SERVE_SERVICE_H_

// The endpoints of `syndex serve` (docs/http.md), independent of the HTTP
// library: each takes the parsed parts of a request and returns the status
// and body of its answer. Writes go through one committer thread that
// gathers the waiting requests into group commits; a clustering thread
// refreshes the clustering after commits.
//
// Thread-safety: every method may be called from any thread.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/syndex.h"
#include "tools/serve/metrics.h"
#include "tools/serve/request_parse.h"

namespace syndex {

struct ServiceOptions {
  std::string dir;
  // The index's options (Default: those of OpenOptions) and, when the
  // index is created by the first ingestion, its parameters.
  OpenOptions open;
  IndexParams params;
  BodyLimits limits;
  // A group commit waits this long after its first request for more to
  // join it. Default: 5.
  int commit_delay_ms = 5;
  // Articles per group commit at most (a larger request is its own
  // commit). Default: 5000.
  size_t commit_max_articles = 5000;
  // The clustering is refreshed at most this often, after commits.
  // Default: 60.
  double cluster_interval_s = 60;
};

struct Response {
  int status = 200;
  std::string body;  // JSON, or text for /metrics.
  std::string content_type = "application/json";
};

// A JSON error answer: {"error": message}.
Response ErrorResponse(int status, absl::string_view message);

class Service {
 public:
  // Opens the index in options.dir for writing (its writer lock is held
  // until the service is destroyed), or creates it there if there is none
  // (its first data file is written by the first ingestion), and starts
  // the committer and clustering threads.
  static absl::StatusOr<std::unique_ptr<Service>> Start(
      const ServiceOptions& options);
  // Stops (Shutdown) and releases the index.
  ~Service();

  // Gets the parameters of a request.
  using Params =
      std::function<std::optional<std::string>(absl::string_view name)>;

  Response PostArticles(absl::string_view body, bool replace);
  Response GetMatches(const std::string& id,
                      const std::vector<std::string>& names,
                      const Params& params);
  Response PostQuery(absl::string_view body,
                     const std::vector<std::string>& names,
                     const Params& params);
  Response GetCluster(const std::string& id);
  Response DeleteArticle(const std::string& id);
  Response GetStats();
  Response Health();
  Response GetMetrics();

  // Finishes the writes already queued (their requests get answers),
  // refuses new ones with 503, and stops the threads. Idempotent.
  void Shutdown();

  Metrics& metrics() { return metrics_; }

 private:
  struct WriteJob;
  struct ClusterView;
  explicit Service(const ServiceOptions& options);

  // Queues a write and waits for its answer.
  Response Submit(std::unique_ptr<WriteJob> job);
  void CommitLoop();
  // Applies and commits `jobs` as one group, answering each.
  void CommitGroup(std::vector<std::unique_ptr<WriteJob>> jobs);
  void ClusterLoop();
  void RefreshClustering();
  std::shared_ptr<const ClusterView> clustering() const;

  ServiceOptions options_;
  std::unique_ptr<Index> index_;
  Metrics metrics_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::unique_ptr<WriteJob>> queue_;  // queue_mu_.
  bool stopping_ = false;                        // queue_mu_.
  std::string broken_;  // queue_mu_: why writes are refused, if they are.
  // queue_mu_: a commit asks for a clustering before the interval is up
  // (when there is none yet).
  bool cluster_now_ = false;

  // Held by a group commit and by a clustering snapshot, so that the
  // snapshot's generation is that of a completed commit.
  std::mutex commit_mu_;

  mutable std::mutex view_mu_;
  std::shared_ptr<const ClusterView> view_;  // view_mu_.
  std::condition_variable cluster_cv_;       // With queue_mu_.

  std::thread committer_;
  std::thread clusterer_;
};

}  // namespace syndex

#endif  // SYNDEX_TOOLS_SERVE_SERVICE_H_
