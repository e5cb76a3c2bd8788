#ifndef SYNDEX_TOOLS_SERVE_HTTP_SERVER_H_
#define SYNDEX_TOOLS_SERVE_HTTP_SERVER_H_

// The HTTP layer of `syndex serve` over cpp-httplib: routes, bearer
// tokens, limits, per-request log lines and metrics. Each route calls one
// Service method; nothing here knows the engine.

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "tools/serve/service.h"

namespace syndex {

struct HttpOptions {
  // Address to listen on. Default: 127.0.0.1:8765 (port 0: any free one).
  std::string host = "127.0.0.1";
  int port = 8765;
  // Every request must carry "Authorization: Bearer <token>" (else 401),
  // unless empty. Default: "".
  std::string token;
  // Request bodies above this are refused with 413. Default: 64 MiB.
  size_t max_body_bytes = size_t{64} << 20;
  // Worker threads; each serves one connection at a time. Default: 64.
  int threads = 64;
  // Connections waiting for a worker; more are answered 503 and closed.
  // Default: 256.
  int max_queued = 256;
  // Seconds to receive a request, to send an answer, and to wait for the
  // next request on a kept-alive connection. Defaults: 30, 30, 5.
  int read_timeout_s = 30;
  int write_timeout_s = 30;
  int keep_alive_s = 5;
  // One line per request on standard error. Default: true.
  bool log_requests = true;
};

class HttpServer {
 public:
  HttpServer(Service* service, const HttpOptions& options);
  ~HttpServer();

  // Binds the address. UnavailableError naming it if it cannot.
  absl::Status Bind();
  // The bound port (after Bind).
  int port() const { return port_; }
  // Serves until Stop; in-flight requests are finished before it returns.
  void Run();
  // Stops accepting connections. Thread-safe; callable from any thread.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::string host_;
  int port_ = 0;
};

}  // namespace syndex

#endif  // SYNDEX_TOOLS_SERVE_HTTP_SERVER_H_
