#include "tools/serve/http_server.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "httplib.h"

namespace syndex {
namespace {

using Clock = std::chrono::steady_clock;

// Per worker thread: the request being handled (a worker handles one
// request at a time).
thread_local Clock::time_point t_start;
thread_local std::string t_endpoint;
// Set on the thread that answers the connections over the limit.
thread_local bool t_rejecting = false;

// A fixed pool of workers with a bounded queue of connections; the
// connections beyond it are served by one more thread that answers every
// request 503 (see the pre-routing handler).
class LimitedPool : public httplib::TaskQueue {
 public:
  LimitedPool(int threads, size_t max_queued)
      : max_queued_(max_queued), threads_(threads) {
    for (int i = 0; i < threads; ++i) {
      workers_.emplace_back([this] { Work(false); });
    }
    workers_.emplace_back([this] { Work(true); });
  }

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      // Each free worker takes one; max_queued_ more may wait.
      if (busy_ < threads_ + max_queued_) {
        ++busy_;  // Counts the connection from now until it is closed.
        queue_.push_back(std::move(fn));
      } else {
        overflow_.push_back(std::move(fn));
      }
    }
    cv_.notify_all();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

 private:
  void Work(bool rejecting) {
    t_rejecting = rejecting;
    std::deque<std::function<void()>>& mine = rejecting ? overflow_ : queue_;
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !mine.empty(); });
        if (mine.empty()) return;
        fn = std::move(mine.front());
        mine.pop_front();
      }
      fn();
      if (!rejecting) {
        std::lock_guard<std::mutex> lock(mu_);
        --busy_;
      }
    }
  }

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_, overflow_;
  const size_t threads_;
  size_t busy_ = 0;  // Connections queued for or held by a worker.
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

// Compares without an early exit, so that the time taken does not tell
// how much of a token was right.
bool SameBytes(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() != b.size();
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) diff |= a[i] ^ b[i];
  return diff == 0;
}

void Send(const Response& r, httplib::Response& res) {
  res.status = r.status;
  res.set_content(r.body, r.content_type.c_str());
}

std::vector<std::string> ParamNames(const httplib::Request& req) {
  std::vector<std::string> names;
  for (const auto& [name, value] : req.params) names.push_back(name);
  return names;
}

Service::Params ParamGetter(const httplib::Request& req) {
  return [&req](absl::string_view name) -> std::optional<std::string> {
    const std::string key(name);
    if (!req.has_param(key)) return std::nullopt;
    return req.get_param_value(key);
  };
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(Service* service, const HttpOptions& options)
      : service_(service), options_(options) {
    const HttpOptions& o = options_;
    server_.new_task_queue = [o] {
      return new LimitedPool(o.threads, static_cast<size_t>(o.max_queued));
    };
    server_.set_payload_max_length(o.max_body_bytes);
    // Without it, an answer written in two parts waits for the client's
    // delayed acknowledgement of the first (about 40 ms).
    server_.set_tcp_nodelay(true);
    server_.set_read_timeout(o.read_timeout_s, 0);
    server_.set_write_timeout(o.write_timeout_s, 0);
    server_.set_keep_alive_timeout(o.keep_alive_s);
    server_.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) {
          return PreRoute(req, res);
        });
    server_.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
          return OnError(req, res);
        }));
    server_.set_logger(
        [this](const httplib::Request& req, const httplib::Response& res) {
          Log(req, res);
        });
    Routes();
  }

  httplib::Server server_;

 private:
  using Handler =
      std::function<Response(const httplib::Request&)>;
  // Registers `handler` for `method` and `pattern`, named `endpoint` in
  // logs and metrics.
  void Route(const std::string& method, const std::string& pattern,
             const std::string& endpoint, Handler handler) {
    auto run = [endpoint, handler](const httplib::Request& req,
                                   httplib::Response& res) {
      t_endpoint = endpoint;
      Send(handler(req), res);
    };
    if (method == "GET") server_.Get(pattern, run);
    if (method == "POST") server_.Post(pattern, run);
    if (method == "DELETE") server_.Delete(pattern, run);
  }

  void Routes() {
    Service* s = service_;
    Route("POST", "/v1/articles", "POST /v1/articles",
          [s](const httplib::Request& req) {
            bool replace = false;
            for (const auto& [name, value] : req.params) {
              if (name != "replace") {
                return ErrorResponse(
                    400, absl::StrCat("unknown parameter '", name, "'"));
              }
              if (value != "true" && value != "false") {
                return ErrorResponse(
                    400, "parameter 'replace': not true or false");
              }
              replace = value == "true";
            }
            return s->PostArticles(req.body, replace);
          });
    Route("GET", R"(/v1/articles/(.+)/matches)",
          "GET /v1/articles/{id}/matches", [s](const httplib::Request& req) {
            return s->GetMatches(req.matches[1], ParamNames(req),
                                 ParamGetter(req));
          });
    Route("GET", R"(/v1/articles/(.+)/cluster)",
          "GET /v1/articles/{id}/cluster", [s](const httplib::Request& req) {
            return s->GetCluster(req.matches[1]);
          });
    Route("DELETE", R"(/v1/articles/(.+))", "DELETE /v1/articles/{id}",
          [s](const httplib::Request& req) {
            return s->DeleteArticle(req.matches[1]);
          });
    Route("POST", "/v1/query", "POST /v1/query",
          [s](const httplib::Request& req) {
            return s->PostQuery(req.body, ParamNames(req), ParamGetter(req));
          });
    Route("GET", "/v1/stats", "GET /v1/stats",
          [s](const httplib::Request&) { return s->GetStats(); });
    Route("GET", "/healthz", "GET /healthz",
          [s](const httplib::Request&) { return s->Health(); });
    Route("GET", "/metrics", "GET /metrics",
          [s](const httplib::Request&) { return s->GetMetrics(); });
  }

  httplib::Server::HandlerResponse PreRoute(const httplib::Request& req,
                                            httplib::Response& res) {
    t_start = Clock::now();
    t_endpoint = "other";
    if (t_rejecting) {
      Send(ErrorResponse(503, "too many connections; try again later"), res);
      res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!options_.token.empty() &&
        !SameBytes(req.get_header_value("Authorization"),
                   "Bearer " + options_.token)) {
      Send(ErrorResponse(401, "missing or wrong bearer token"), res);
      res.set_header("WWW-Authenticate", "Bearer");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  // Fills the body of the errors httplib answers itself.
  httplib::Server::HandlerResponse OnError(const httplib::Request& req,
                                           httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    Response r;
    if (res.status == 413 &&
        absl::StartsWith(req.get_header_value("Content-Type"),
                         "application/x-www-form-urlencoded")) {
      // httplib keeps form bodies to CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_
      // MAX_LENGTH (8 KiB); curl --data sends that type unless told.
      r = ErrorResponse(413,
                        "form-encoded bodies are limited to 8192 bytes; send "
                        "JSON as Content-Type: application/json or "
                        "application/x-ndjson");
    } else if (res.status == 413) {
      r = ErrorResponse(413, absl::StrCat("request body larger than ",
                                          options_.max_body_bytes, " bytes"));
    } else if (res.status == 404) {
      r = ErrorResponse(404, absl::StrCat("no endpoint ", req.method, " ",
                                          req.path));
    } else if (res.status == 408) {
      r = ErrorResponse(408, "request not received in time");
    } else {
      r = ErrorResponse(res.status, "bad request");
    }
    Send(r, res);
    return httplib::Server::HandlerResponse::Handled;
  }

  void Log(const httplib::Request& req, const httplib::Response& res) {
    const double seconds =
        std::chrono::duration<double>(Clock::now() - t_start).count();
    service_->metrics().Request(t_endpoint, res.status, seconds);
    if (options_.log_requests) {
      // One write per line, so that lines of concurrent requests do not
      // interleave.
      const std::string line =
          absl::StrFormat("%s %s %d %.3f ms\n", req.method, req.path,
                          res.status, seconds * 1e3);
      std::fwrite(line.data(), 1, line.size(), stderr);
    }
  }

  Service* service_;
  HttpOptions options_;
};

HttpServer::HttpServer(Service* service, const HttpOptions& options)
    : impl_(std::make_unique<Impl>(service, options)),
      host_(options.host),
      port_(options.port) {}

HttpServer::~HttpServer() = default;

absl::Status HttpServer::Bind() {
  httplib::Server& server = impl_->server_;
  if (port_ == 0) {
    port_ = server.bind_to_any_port(host_);
    if (port_ > 0) return absl::OkStatus();
  } else if (server.bind_to_port(host_, port_)) {
    return absl::OkStatus();
  }
  return absl::UnavailableError(
      absl::StrCat("cannot listen on ", host_, ":", port_));
}

void HttpServer::Run() { impl_->server_.listen_after_bind(); }

void HttpServer::Stop() { impl_->server_.stop(); }

}  // namespace syndex
