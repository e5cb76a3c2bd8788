// syndex serve: the HTTP/JSON service (docs/http.md).

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/util/file.h"
#include "tools/serve/http_server.h"
#include "tools/serve/service.h"
#include "tools/syndex/common.h"

namespace syndex {
namespace {

// "HOST:PORT" into its parts.
bool ParseListen(const std::string& listen, HttpOptions* http) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  int port = 0;
  if (!absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return false;
  }
  http->host = listen.substr(0, colon);
  http->port = port;
  return true;
}

// Written to by OnStopSignal, read by the thread that stops the server.
int g_stop_pipe[2] = {-1, -1};

void OnStopSignal(int sig) {
  const unsigned char byte = static_cast<unsigned char>(sig);
  const int saved = errno;
  [[maybe_unused]] ssize_t n = ::write(g_stop_pipe[1], &byte, 1);
  errno = saved;
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  Flags flags;
  ServiceOptions service;
  HttpOptions http;
  std::string listen = "127.0.0.1:8765", token_file;
  int max_body_mib = 64, max_articles = 10000, max_depth = 32;
  int engine_threads = 1, max_log_mib = 64;
  bool no_request_log = false;
  flags.String("index", &service.dir,
               "index directory (required; created by the first ingestion "
               "if it holds no index)");
  flags.String("listen", &listen, "HOST:PORT to listen on (port 0: any)");
  flags.String("token-file", &token_file,
               "file holding the bearer token every request must carry");
  flags.Int("threads", &http.threads,
            "HTTP worker threads (each serves one connection at a time)");
  flags.Int("engine-threads", &engine_threads,
            "threads of each request's engine work, ingestion and "
            "clustering (0 = all cores)");
  flags.Int("nprobe", &service.open.nprobe,
            "inverted lists probed per vector search (large indexes)");
  flags.Int("dims", &service.params.projection.dims,
            "dimensions of the LSA vectors of an index the service creates");
  flags.Int("max-body-mb", &max_body_mib, "largest request body, in MiB");
  flags.Int("max-articles", &max_articles, "articles per request at most");
  flags.Int("max-depth", &max_depth, "JSON nesting of a body at most");
  flags.Int("max-queued", &http.max_queued,
            "connections waiting for a worker; more are answered 503");
  flags.Int("read-timeout", &http.read_timeout_s,
            "seconds to receive a request");
  flags.Int("write-timeout", &http.write_timeout_s,
            "seconds to send an answer");
  flags.Int("keep-alive", &http.keep_alive_s,
            "seconds an idle connection is kept open");
  flags.Int("commit-delay-ms", &service.commit_delay_ms,
            "a group commit waits this long for more writes to join it");
  int commit_max_articles = 5000;
  flags.Int("commit-max-articles", &commit_max_articles,
            "articles per group commit at most");
  flags.Double("cluster-interval", &service.cluster_interval_s,
               "seconds between clustering refreshes (after commits)");
  flags.Int("max-log-mb", &max_log_mib,
            "commit log size in MiB beyond which a commit writes a whole "
            "data file");
  flags.Bool("no-request-log", &no_request_log,
             "no line per request on standard error");
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  if (!ParseVerbFlags("serve", &flags, args, &positional, &exit_code)) {
    return exit_code;
  }
  if (service.dir.empty()) return UsageError("serve", "--index DIR is required");
  if (!positional.empty()) {
    return UsageError("serve", "unexpected argument '" + positional[0] + "'");
  }
  if (!ParseListen(listen, &http)) {
    return UsageError("serve", "--listen must be HOST:PORT, not '" + listen + "'");
  }
  if (http.threads < 1 || max_body_mib < 1 || max_articles < 1 ||
      max_depth < 2 || http.max_queued < 0 || http.read_timeout_s < 1 ||
      http.write_timeout_s < 1 || http.keep_alive_s < 1 ||
      service.commit_delay_ms < 0 || commit_max_articles < 1 || engine_threads < 0 || max_log_mib < 0 ||
      !(service.cluster_interval_s > 0)) {
    return UsageError("serve", "a limit, count or time is out of range");
  }
  if (!token_file.empty()) {
    absl::StatusOr<std::string> token = ReadFile(token_file);
    if (!token.ok()) return Fail(token.status());
    http.token = std::string(absl::StripAsciiWhitespace(*token));
    if (http.token.empty()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat(token_file, ": empty token")));
    }
  }
  http.max_body_bytes = static_cast<size_t>(max_body_mib) << 20;
  http.log_requests = !no_request_log;
  service.limits.max_articles = max_articles;
  service.limits.max_depth = max_depth;
  service.commit_max_articles = commit_max_articles;
  service.open.threads = engine_threads;
  service.open.max_log_bytes = static_cast<uint64_t>(max_log_mib) << 20;

  // SIGTERM and SIGINT reach a handler that writes to a pipe, which a
  // thread of ours waits on (blocking them for sigwait would not do: the
  // BLAS library starts threads before main, where they are not blocked).
  if (::pipe2(g_stop_pipe, O_CLOEXEC) != 0) {
    return Fail(absl::InternalError("cannot create a pipe"));
  }
  struct sigaction action = {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<std::unique_ptr<Service>> started = Service::Start(service);
  if (!started.ok()) return Fail(started.status());
  std::unique_ptr<Service> svc = *std::move(started);
  HttpServer server(svc.get(), http);
  if (absl::Status st = server.Bind(); !st.ok()) return Fail(st);
  std::cout << "syndex serve: listening on " << http.host << ":"
            << server.port() << std::endl;

  std::thread stopper([&] {
    unsigned char sig = 0;
    while (::read(g_stop_pipe[0], &sig, 1) < 0 && errno == EINTR) {
    }
    std::fprintf(stderr, "syndex serve: %s, stopping\n",
                 sig == SIGTERM ? "SIGTERM" : "SIGINT");
    server.Stop();
  });
  server.Run();  // Returns once stopped, in-flight requests answered.
  stopper.join();
  svc->Shutdown();  // Commits what is queued.
  svc.reset();  // Releases the index and its lock.
  std::fprintf(stderr, "syndex serve: stopped\n");
  return kExitOk;
}

}  // namespace syndex
