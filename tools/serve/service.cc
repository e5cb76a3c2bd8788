#include "tools/serve/service.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/output/json.h"
#include "engine/util/json.h"

namespace syndex {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The HTTP status of an engine or parsing error.
int HttpStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 413;
    default:
      return 500;
  }
}

Response FromStatus(const absl::Status& status) {
  return ErrorResponse(HttpStatus(status), status.message());
}

// JSON Lines (each line one JSON value ending in '\n') as one JSON array.
std::string LinesToArray(const std::string& lines) {
  std::string out = "[";
  size_t begin = 0;
  while (begin < lines.size()) {
    const size_t end = lines.find('\n', begin);
    if (out.size() > 1) out += ',';
    out.append(lines, begin, end - begin);
    begin = end + 1;
  }
  out += ']';
  return out;
}

std::string WithoutNewline(std::string line) {
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

// Earlier publication first, undated last; then by id.
bool TimeOrder(const ArticleInfo& a, const ArticleInfo& b) {
  if (a.published.has_value() != b.published.has_value()) {
    return a.published.has_value();
  }
  if (a.published != b.published) return *a.published < *b.published;
  return a.id < b.id;
}

}  // namespace

Response ErrorResponse(int status, absl::string_view message) {
  Response r;
  r.status = status;
  r.body = absl::StrCat("{\"error\":", JsonString(message), "}");
  return r;
}

struct Service::WriteJob {
  enum Kind { kAdd, kDelete };
  Kind kind = kAdd;
  std::vector<Article> articles;  // kAdd.
  bool replace = false;           // kAdd.
  std::string id;                 // kDelete.
  std::promise<Response> done;
};

struct Service::ClusterView {
  Clustering clustering;
  absl::flat_hash_map<std::string, uint32_t> by_id;
  // The members of each copy group and story (by their doc), in TimeOrder.
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> groups, stories;
};

Service::Service(const ServiceOptions& options) : options_(options) {}

absl::StatusOr<std::unique_ptr<Service>> Service::Start(
    const ServiceOptions& options) {
  std::unique_ptr<Service> service(new Service(options));
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Open(options.dir, /*for_write=*/true, options.open);
  if (absl::IsNotFound(index.status())) {
    index = Index::Create(options.dir, options.params, /*overwrite=*/false,
                          options.open);
  }
  if (!index.ok()) return index.status();
  service->index_ = *std::move(index);
  // Room to double before an Add must copy the index's arrays while it
  // holds queries out.
  service->index_->Reserve(std::max<size_t>(service->index_->size(), 10000));
  Service* s = service.get();
  service->committer_ = std::thread([s] { s->CommitLoop(); });
  service->clusterer_ = std::thread([s] { s->ClusterLoop(); });
  return service;
}

Service::~Service() { Shutdown(); }

void Service::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  cluster_cv_.notify_all();
  if (committer_.joinable()) committer_.join();
  if (clusterer_.joinable()) clusterer_.join();
}

Response Service::Submit(std::unique_ptr<WriteJob> job) {
  std::future<Response> answer = job->done.get_future();
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    if (stopping_) return ErrorResponse(503, "the service is shutting down");
    if (!broken_.empty()) {
      return ErrorResponse(503, absl::StrCat("writes are disabled: ", broken_));
    }
    queue_.push_back(std::move(job));
  }
  queue_cv_.notify_all();
  return answer.get();
}

void Service::CommitLoop() {
  for (;;) {
    std::vector<std::unique_ptr<WriteJob>> group;
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // Stopping, and nothing is left.
      if (!stopping_ && options_.commit_delay_ms > 0) {
        lock.unlock();
        std::this_thread::sleep_for(
            std::chrono::milliseconds(options_.commit_delay_ms));
        lock.lock();
      }
      // A delete is a group of its own; adds join up to the article limit.
      size_t articles = 0;
      while (!queue_.empty()) {
        const WriteJob& next = *queue_.front();
        if (!group.empty() &&
            (next.kind == WriteJob::kDelete ||
             group.back()->kind == WriteJob::kDelete ||
             articles + next.articles.size() > options_.commit_max_articles)) {
          break;
        }
        articles += next.articles.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitGroup(std::move(group));
  }
}

void Service::CommitGroup(std::vector<std::unique_ptr<WriteJob>> jobs) {
  const Clock::time_point start = Clock::now();
  std::lock_guard<std::mutex> commit(commit_mu_);
  std::vector<std::string> removes;
  std::vector<Article> adds;
  absl::flat_hash_set<std::string> adding;  // Ids added by this group.
  std::vector<WriteJob*> accepted;
  std::vector<std::pair<size_t, size_t>> counts;  // Added, replaced.
  for (const std::unique_ptr<WriteJob>& job : jobs) {
    if (job->kind == WriteJob::kDelete) {
      if (!index_->Find(job->id)) {
        job->done.set_value(ErrorResponse(
            404, absl::StrCat("no article with id '", job->id, "'")));
        continue;
      }
      removes.push_back(job->id);
      accepted.push_back(job.get());
      counts.emplace_back(0, 1);
      continue;
    }
    std::vector<std::string> replaced;
    absl::flat_hash_set<absl::string_view> own;
    std::string problem;
    for (size_t i = 0; i < job->articles.size() && problem.empty(); ++i) {
      const std::string& id = job->articles[i].id;
      if (!own.insert(id).second) {
        problem = absl::StrCat("article ", i + 1, ": duplicate id '", id,
                               "' in the request");
      } else if (adding.contains(id)) {
        problem = absl::StrCat("article ", i + 1, ": id '", id,
                               "' is being added by another request");
      } else if (index_->Find(id)) {
        if (job->replace) {
          replaced.push_back(id);
        } else {
          problem = absl::StrCat("article ", i + 1, ": id '", id,
                                 "' is already in the index (add ?replace=true "
                                 "to replace it)");
        }
      }
    }
    if (!problem.empty()) {
      job->done.set_value(ErrorResponse(409, problem));
      continue;
    }
    counts.emplace_back(job->articles.size(), replaced.size());
    for (Article& a : job->articles) {
      adding.insert(a.id);
      adds.push_back(std::move(a));
    }
    removes.insert(removes.end(), replaced.begin(), replaced.end());
    accepted.push_back(job.get());
  }
  if (accepted.empty()) return;
  const size_t added = adds.size();
  absl::Status st;
  AddReport report;
  if (!removes.empty()) {
    // Remove holds queries out for its whole run.
    const Clock::time_point remove_start = Clock::now();
    st = index_->Remove(removes);
    report.apply_seconds += SecondsSince(remove_start);
  }
  if (st.ok() && !adds.empty()) {
    st = index_->Add(std::move(adds), AddOptions(), &report);
  }
  if (st.ok()) st = index_->Commit();
  if (!st.ok()) {
    // The index in memory may hold part of the group: no more writes.
    {
      std::lock_guard<std::mutex> lock(queue_mu_);
      broken_ = std::string(st.message());
    }
    std::fprintf(stderr, "syndex serve: commit failed, writes disabled: %s\n",
                 std::string(st.message()).c_str());
    for (WriteJob* job : accepted) {
      job->done.set_value(ErrorResponse(
          500, absl::StrCat("commit failed: ", st.message())));
    }
    return;
  }
  const uint64_t generation = index_->generation();
  if (clustering() == nullptr) {
    // The first clustering need not wait for the interval.
    {
      std::lock_guard<std::mutex> lock(queue_mu_);
      cluster_now_ = true;
    }
    cluster_cv_.notify_all();
  }
  metrics_.Commit(SecondsSince(start), report.apply_seconds, added);
  for (size_t i = 0; i < accepted.size(); ++i) {
    Response r;
    if (accepted[i]->kind == WriteJob::kDelete) {
      r.body = absl::StrCat("{\"deleted\":", JsonString(accepted[i]->id),
                            ",\"generation\":", generation, "}");
    } else {
      r.body = absl::StrCat("{\"added\":", counts[i].first,
                            ",\"replaced\":", counts[i].second,
                            ",\"generation\":", generation, "}");
    }
    accepted[i]->done.set_value(std::move(r));
  }
}

void Service::ClusterLoop() {
  RefreshClustering();
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      cluster_cv_.wait_for(
          lock, std::chrono::duration<double>(options_.cluster_interval_s),
          [&] { return stopping_ || cluster_now_; });
      if (stopping_) return;
      cluster_now_ = false;
    }
    RefreshClustering();
  }
}

void Service::RefreshClustering() {
  const std::shared_ptr<const ClusterView> current = clustering();
  if (index_->size() == 0 ||
      (current && current->clustering.generation == index_->generation())) {
    return;
  }
  const Clock::time_point start = Clock::now();
  absl::StatusOr<Clustering> clustering;
  {
    std::lock_guard<std::mutex> commit(commit_mu_);
    clustering = index_->ClusterSnapshot(ClusterOptions());
  }
  if (!clustering.ok()) {
    std::fprintf(stderr, "syndex serve: clustering failed: %s\n",
                 std::string(clustering.status().message()).c_str());
    return;
  }
  auto view = std::make_shared<ClusterView>();
  view->clustering = *std::move(clustering);
  const std::vector<ArticleInfo>& articles = view->clustering.articles;
  view->by_id.reserve(articles.size());
  for (uint32_t doc = 0; doc < articles.size(); ++doc) {
    view->by_id.emplace(articles[doc].id, doc);
  }
  for (const ClusterEntry& e : view->clustering.entries) {
    view->groups[e.copy_group].push_back(e.doc);
    view->stories[e.story].push_back(e.doc);
  }
  auto by_time = [&](uint32_t a, uint32_t b) {
    return TimeOrder(articles[a], articles[b]);
  };
  for (auto* members : {&view->groups, &view->stories}) {
    for (auto& [doc, docs] : *members) {
      std::sort(docs.begin(), docs.end(), by_time);
    }
  }
  {
    std::lock_guard<std::mutex> lock(view_mu_);
    view_ = std::move(view);
  }
  metrics_.Clustering(SecondsSince(start));
}

std::shared_ptr<const Service::ClusterView> Service::clustering() const {
  std::lock_guard<std::mutex> lock(view_mu_);
  return view_;
}

Response Service::PostArticles(absl::string_view body, bool replace) {
  absl::StatusOr<std::vector<Article>> articles =
      ParseArticles(body, options_.limits);
  if (!articles.ok()) return FromStatus(articles.status());
  auto job = std::make_unique<WriteJob>();
  job->articles = *std::move(articles);
  job->replace = replace;
  return Submit(std::move(job));
}

Response Service::DeleteArticle(const std::string& id) {
  auto job = std::make_unique<WriteJob>();
  job->kind = WriteJob::kDelete;
  job->id = id;
  return Submit(std::move(job));
}

Response Service::GetMatches(const std::string& id,
                             const std::vector<std::string>& names,
                             const Params& params) {
  QueryOptions options;
  absl::Status st =
      ParseQueryOptions(names, params, options_.limits, &options);
  if (!st.ok()) return FromStatus(st);
  const uint64_t generation = index_->generation();
  absl::StatusOr<std::vector<Match>> matches = index_->QueryId(id, options);
  if (!matches.ok()) return FromStatus(matches.status());
  Response r;
  r.body = absl::StrCat("{\"query\":", JsonString(id),
                        ",\"generation\":", generation, ",\"matches\":",
                        LinesToArray(MatchLines(id, *matches)), "}");
  return r;
}

Response Service::PostQuery(absl::string_view body,
                            const std::vector<std::string>& names,
                            const Params& params) {
  QueryOptions options;
  absl::Status st =
      ParseQueryOptions(names, params, options_.limits, &options);
  if (!st.ok()) return FromStatus(st);
  Article article;
  st = ParseQueryBody(body, options_.limits, &article, &options);
  if (!st.ok()) return FromStatus(st);
  const uint64_t generation = index_->generation();
  absl::StatusOr<std::vector<Match>> matches =
      index_->QueryArticle(article, options);
  if (!matches.ok()) return FromStatus(matches.status());
  Response r;
  r.body = absl::StrCat("{\"query\":", JsonString(article.id),
                        ",\"generation\":", generation, ",\"matches\":",
                        LinesToArray(MatchLines(article.id, *matches)), "}");
  return r;
}

Response Service::GetCluster(const std::string& id) {
  const std::shared_ptr<const ClusterView> view = clustering();
  std::optional<uint32_t> doc;
  if (view != nullptr) {
    const auto at = view->by_id.find(id);
    if (at != view->by_id.end()) doc = at->second;
  }
  if (!doc) {
    // Newer than the clustering: its own matches.
    const uint64_t generation = index_->generation();
    absl::StatusOr<std::vector<Match>> matches =
        index_->QueryId(id, QueryOptions());
    if (!matches.ok()) return FromStatus(matches.status());
    Response r;
    r.body = absl::StrCat("{\"id\":", JsonString(id),
                          ",\"generation\":", generation,
                          ",\"from\":\"matches\",\"matches\":",
                          LinesToArray(MatchLines(id, *matches)), "}");
    return r;
  }
  const Clustering& c = view->clustering;
  const ClusterEntry& entry = c.entries[*doc];
  std::vector<ClusterEntry> group;
  for (uint32_t member : view->groups.at(entry.copy_group)) {
    group.push_back(c.entries[member]);
  }
  std::string story_members = "[";
  for (uint32_t member : view->stories.at(entry.story)) {
    if (story_members.size() > 1) story_members += ',';
    story_members += JsonString(c.articles[member].id);
  }
  story_members += ']';
  Response r;
  r.body = absl::StrCat(
      "{\"id\":", JsonString(id), ",\"generation\":", c.generation,
      ",\"from\":\"clustering\",\"article\":",
      WithoutNewline(ClusterLines(c, {entry})),
      ",\"copy_group\":{\"canonical\":",
      JsonString(c.articles[entry.copy_group].id),
      ",\"size\":", group.size(),
      ",\"members\":", LinesToArray(ClusterLines(c, group)),
      "},\"story\":{\"id\":", JsonString(c.articles[entry.story].id),
      ",\"size\":", entry.story_size, ",\"members\":", story_members, "}}");
  return r;
}

Response Service::GetStats() {
  Response r;
  r.body = WithoutNewline(StatsLine(index_->Stats()));
  return r;
}

Response Service::Health() {
  std::string broken;
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    broken = broken_;
  }
  Response r;
  if (!broken.empty()) {
    r.status = 503;
    r.body = absl::StrCat("{\"status\":\"writes disabled\",\"error\":",
                          JsonString(broken), "}");
    return r;
  }
  r.body = absl::StrCat("{\"status\":\"ok\",\"articles\":", index_->size(),
                        ",\"generation\":", index_->generation(), "}");
  return r;
}

Response Service::GetMetrics() {
  const IndexStats stats = index_->Stats();
  const std::shared_ptr<const ClusterView> view = clustering();
  Response r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = metrics_.Render(stats.articles, stats.generation, stats.log_bytes,
                           view ? view->clustering.generation : 0);
  return r;
}

}  // namespace syndex
