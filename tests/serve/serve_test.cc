// `syndex serve` end to end over loopback: every endpoint and every error
// answer, queries during a commit, the writer lock against the command
// line, SIGTERM, and SIGKILL at random points of a stream of ingestion
// requests (after a restart every acknowledged article is there and no
// partial batch is).
//
// The server is the built binary, started on port 0 of 127.0.0.1. Tests
// assert answers and states, never timings.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "engine/util/file.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace syndex {
namespace {

namespace fs = std::filesystem;

constexpr int kArticles = 700;  // syndex-gen --seed 5.
constexpr int kBase = 300;      // The first lines: the base index.
constexpr char kDims[] = "32";  // Keeps training short.

std::string BinDir() {
  const char* bin = std::getenv("SYNDEX_BIN_DIR");
  return bin == nullptr ? "" : bin;
}

// A running `syndex serve`.
class Server {
 public:
  // Starts `syndex serve --index DIR --listen 127.0.0.1:0 ARGS`; empty port
  // if it did not come up.
  Server(const std::string& dir, const std::vector<std::string>& args,
         const std::string& log) {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(err, 2);
      ::close(out[0]);
      std::vector<std::string> all = {BinDir() + "/syndex", "serve", "--index",
                                      dir, "--listen", "127.0.0.1:0", "--dims",
                                      kDims, "--engine-threads", "1"};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (std::string& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    // The first line names the port.
    std::string line;
    char c;
    pollfd p{out[0], POLLIN, 0};
    while (::poll(&p, 1, 60000) > 0 && ::read(out[0], &c, 1) == 1 && c != '\n') {
      line += c;
    }
    ::close(out[0]);
    const size_t colon = line.rfind(':');
    if (colon != std::string::npos) {
      absl::SimpleAtoi(line.substr(colon + 1), &port_);
    }
  }
  ~Server() {
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
  }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  void Signal(int sig) { ::kill(pid_, sig); }
  // The exit code, or -signal.
  int Wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    return client;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  bool waited_ = false;
};

class ServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_dir_ = new fs::path(fs::temp_directory_path() /
                               absl::StrCat("syndex_serve_", ::getpid()));
    fs::create_directories(*corpus_dir_);
    const std::string corpus = (*corpus_dir_ / "corpus.jsonl").string();
    const std::string cmd = absl::StrCat(BinDir(), "/syndex-gen --articles ",
                                         kArticles, " --seed 5 --output ",
                                         corpus, " 2>/dev/null");
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    lines_ = new std::vector<std::string>(absl::StrSplit(
        *ReadFile(corpus), '\n', absl::SkipEmpty()));
    ASSERT_EQ(lines_->size(), static_cast<size_t>(kArticles));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*corpus_dir_);
    delete corpus_dir_;
    delete lines_;
  }

  void SetUp() override {
    dir_ = *corpus_dir_ /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    index_ = (dir_ / "idx").string();
    log_ = (dir_ / "serve.log").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Lines [begin, end) of the corpus as one JSON Lines body.
  static std::string Lines(int begin, int end) {
    std::string out;
    for (int i = begin; i < end; ++i) absl::StrAppend(&out, (*lines_)[i], "\n");
    return out;
  }
  static std::string Id(int line) {
    const std::string& l = (*lines_)[line];
    const size_t at = l.find("\"id\":\"") + 6;
    return l.substr(at, l.find('"', at) - at);
  }
  // Runs the syndex command; returns its exit code (output in `out`).
  int Cli(const std::string& args, std::string* out = nullptr) {
    const std::string path = (dir_ / "cli.out").string();
    const int status = std::system(
        absl::StrCat(BinDir(), "/syndex ", args, " >", path, " 2>&1").c_str());
    if (out != nullptr) *out = ReadFile(path).value_or("");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  void BuildBase() {
    const std::string base = (dir_ / "base.jsonl").string();
    std::ofstream(base) << Lines(0, kBase);
    ASSERT_EQ(Cli(absl::StrCat("index --quiet --dims ", kDims, " --index ",
                               index_, " ", base)),
              0);
  }

  static fs::path* corpus_dir_;
  static std::vector<std::string>* lines_;
  fs::path dir_;
  std::string index_, log_;
};

fs::path* ServeTest::corpus_dir_ = nullptr;
std::vector<std::string>* ServeTest::lines_ = nullptr;

// The status and body of a request; status -1 if it got no answer.
struct Answer {
  int status = -1;
  std::string body;
};
Answer Get(httplib::Client& c, const std::string& path) {
  auto r = c.Get(path.c_str());
  return r ? Answer{r->status, r->body} : Answer{};
}
Answer Post(httplib::Client& c, const std::string& path,
            const std::string& body,
            const char* type = "application/x-ndjson") {
  auto r = c.Post(path.c_str(), body, type);
  return r ? Answer{r->status, r->body} : Answer{};
}
Answer Delete(httplib::Client& c, const std::string& path) {
  auto r = c.Delete(path.c_str());
  return r ? Answer{r->status, r->body} : Answer{};
}

TEST_F(ServeTest, EveryEndpointAndErrorAnswer) {
  BuildBase();
  Server server(index_,
                {"--max-articles", "50", "--max-body-mb", "1", "--max-depth",
                 "8", "--cluster-interval", "0.2"},
                log_);
  ASSERT_GT(server.port(), 0);
  httplib::Client c = server.Client();

  Answer health = Get(c, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "{\"status\":\"ok\",\"articles\":300,\"generation\":1}");
  Answer stats = Get(c, "/v1/stats");
  EXPECT_EQ(stats.status, 200);
  EXPECT_TRUE(absl::StrContains(stats.body, "\"articles\":300,"));

  // Matches: the query --json schema in an object.
  Answer matches = Get(c, "/v1/articles/" + Id(0) + "/matches?k=2");
  EXPECT_EQ(matches.status, 200);
  EXPECT_TRUE(absl::StartsWith(
      matches.body,
      absl::StrCat("{\"query\":\"", Id(0), "\",\"generation\":1,\"matches\":[")))
      << matches.body;
  EXPECT_EQ(Get(c, "/v1/articles/nope/matches").status, 404);
  EXPECT_EQ(Get(c, "/v1/articles/" + Id(0) + "/matches?k=0").status, 400);
  EXPECT_EQ(Get(c, "/v1/articles/" + Id(0) + "/matches?k=x").status, 400);
  EXPECT_EQ(Get(c, "/v1/articles/" + Id(0) + "/matches?kk=1").body,
            "{\"error\":\"unknown parameter 'kk'\"}");

  // Query by text.
  Answer query = Post(c, "/v1/query",
                      absl::StrCat("{\"text\":", (*lines_)[0].substr(
                                       (*lines_)[0].find("\"text\":") + 7)),
                      "application/json");
  EXPECT_EQ(query.status, 200) << query.body;
  EXPECT_TRUE(absl::StrContains(query.body, Id(0))) << query.body;
  EXPECT_EQ(Post(c, "/v1/query", "{\"title\":\"x\"}", "application/json").body,
            "{\"error\":\"body: missing field 'text'\"}");

  // Ingestion.
  Answer added = Post(c, "/v1/articles", Lines(kBase, kBase + 10));
  EXPECT_EQ(added.status, 200);
  EXPECT_EQ(added.body, "{\"added\":10,\"replaced\":0,\"generation\":2}");
  Answer array = Post(
      c, "/v1/articles",
      absl::StrCat("[", absl::StrJoin(std::vector<std::string>(
                                          lines_->begin() + kBase + 10,
                                          lines_->begin() + kBase + 12),
                                      ","),
                   "]"),
      "application/json");
  EXPECT_EQ(array.body, "{\"added\":2,\"replaced\":0,\"generation\":3}");
  Answer duplicate = Post(c, "/v1/articles", Lines(kBase + 12, kBase + 13) +
                                                 Lines(kBase, kBase + 1));
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(duplicate.body,
            absl::StrCat("{\"error\":\"article 2: id '", Id(kBase),
                         "' is already in the index (add ?replace=true to "
                         "replace it)\"}"));
  Answer replaced =
      Post(c, "/v1/articles?replace=true", Lines(kBase, kBase + 1));
  EXPECT_EQ(replaced.body, "{\"added\":1,\"replaced\":1,\"generation\":4}");
  EXPECT_EQ(Post(c, "/v1/articles?replace=maybe", Lines(kBase, kBase + 1))
                .status,
            400);
  // A bad article refuses the whole request.
  Answer bad = Post(c, "/v1/articles",
                    Lines(kBase + 13, kBase + 14) + "{\"id\":\"x\"}\n");
  EXPECT_EQ(bad.body, "{\"error\":\"article 2: missing field 'text'\"}");
  EXPECT_EQ(Get(c, "/v1/articles/" + Id(kBase + 13) + "/matches").status, 404);
  // Limits.
  Answer many = Post(c, "/v1/articles", Lines(kBase + 13, kBase + 64));
  EXPECT_EQ(many.status, 413);
  EXPECT_EQ(many.body,
            "{\"error\":\"body: more than 50 articles in one request\"}");
  Answer large = Post(c, "/v1/articles", std::string(1100000, ' '));
  EXPECT_EQ(large.status, 413);
  EXPECT_EQ(large.body,
            "{\"error\":\"request body larger than 1048576 bytes\"}");
  Answer deep = Post(c, "/v1/articles", "[[[[[[[[[[[[]]]]]]]]]]]]",
                     "application/json");
  EXPECT_EQ(deep.body,
            "{\"error\":\"body: JSON nested deeper than 8 levels\"}");
  Answer form = Post(c, "/v1/articles", Lines(kBase + 13, kBase + 20),
                     "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 413);
  EXPECT_EQ(Post(c, "/v1/articles", "", "application/json").body,
            "{\"error\":\"body: no articles\"}");

  // Delete.
  EXPECT_EQ(Delete(c, "/v1/articles/" + Id(kBase + 1)).body,
            absl::StrCat("{\"deleted\":\"", Id(kBase + 1),
                         "\",\"generation\":5}"));
  EXPECT_EQ(Delete(c, "/v1/articles/" + Id(kBase + 1)).status, 404);
  EXPECT_EQ(Get(c, "/v1/articles/" + Id(kBase + 1) + "/matches").status, 404);

  // Cluster: from the clustering (refreshed every 0.2 s after commits, so
  // soon of generation 5), or for an article newer than it, from its own
  // matches.
  Answer cluster;
  for (int i = 0; i < 300; ++i) {
    cluster = Get(c, "/v1/articles/" + Id(kBase + 2) + "/cluster");
    if (absl::StrContains(cluster.body,
                          "\"generation\":5,\"from\":\"clustering\"")) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(cluster.status, 200);
  EXPECT_TRUE(absl::StrContains(cluster.body, "\"generation\":5,"))
      << cluster.body;
  EXPECT_TRUE(absl::StrContains(cluster.body, "\"copy_group\":{\"canonical\":"))
      << cluster.body;
  EXPECT_EQ(Post(c, "/v1/articles", Lines(kBase + 20, kBase + 21)).status, 200);
  Answer fresh = Get(c, "/v1/articles/" + Id(kBase + 20) + "/cluster");
  EXPECT_EQ(fresh.status, 200);
  EXPECT_TRUE(absl::StrContains(fresh.body, "\"from\":\"matches\"") ||
              absl::StrContains(fresh.body, "\"from\":\"clustering\""));
  EXPECT_EQ(Get(c, "/v1/articles/nope/cluster").status, 404);

  // Metrics, and unknown endpoints.
  Answer metrics = Get(c, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_TRUE(absl::StrContains(
      metrics.body,
      "syndex_http_requests_total{endpoint=\"POST /v1/articles\",status=\"409\"} 1"))
      << metrics.body;
  EXPECT_TRUE(absl::StrContains(metrics.body, "syndex_articles 312\n"));
  EXPECT_TRUE(absl::StrContains(metrics.body, "syndex_commit_duration_seconds_count"));
  EXPECT_EQ(Get(c, "/v2/nothing").body,
            "{\"error\":\"no endpoint GET /v2/nothing\"}");

  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
  // One log line per request: method, path, status, time.
  const std::string log = *ReadFile(log_);
  EXPECT_TRUE(absl::StrContains(log, "POST /v1/articles 409 ")) << log;
  EXPECT_TRUE(absl::StrContains(log, "GET /v2/nothing 404 ")) << log;
}

TEST_F(ServeTest, BearerToken) {
  BuildBase();
  const std::string token = (dir_ / "token").string();
  std::ofstream(token) << "s3cret\n";
  Server server(index_, {"--token-file", token}, log_);
  ASSERT_GT(server.port(), 0);
  httplib::Client c = server.Client();
  Answer none = Get(c, "/healthz");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body, "{\"error\":\"missing or wrong bearer token\"}");
  c.set_bearer_token_auth("wrong");
  EXPECT_EQ(Get(c, "/v1/stats").status, 401);
  EXPECT_EQ(Post(c, "/v1/articles", Lines(kBase, kBase + 1)).status, 401);
  c.set_bearer_token_auth("s3cret");
  EXPECT_EQ(Get(c, "/v1/stats").status, 200);
  EXPECT_EQ(Post(c, "/v1/articles", Lines(kBase, kBase + 1)).status, 200);
}

TEST_F(ServeTest, ConnectionsBeyondTheLimitAreAnswered503) {
  BuildBase();
  Server server(index_, {"--threads", "1", "--max-queued", "0"}, log_);
  ASSERT_GT(server.port(), 0);
  // The one worker keeps this connection (kept alive)...
  httplib::Client first = server.Client();
  first.set_keep_alive(true);
  EXPECT_EQ(Get(first, "/healthz").status, 200);
  // ...so the next connection is beyond the limit.
  httplib::Client second = server.Client();
  const Answer refused = Get(second, "/healthz");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.body,
            "{\"error\":\"too many connections; try again later\"}");
  EXPECT_EQ(Get(first, "/v1/stats").status, 200);
}

TEST_F(ServeTest, CreatesTheIndexOnFirstIngestion) {
  Server server(index_, {}, log_);
  ASSERT_GT(server.port(), 0);
  httplib::Client c = server.Client();
  EXPECT_EQ(Get(c, "/healthz").body,
            "{\"status\":\"ok\",\"articles\":0,\"generation\":0}");
  EXPECT_EQ(Get(c, "/v1/articles/" + Id(0) + "/matches").status, 404);
  EXPECT_EQ(Post(c, "/v1/articles", Lines(0, 50)).body,
            "{\"added\":50,\"replaced\":0,\"generation\":1}");
  EXPECT_EQ(Post(c, "/v1/articles", Lines(50, 60)).body,
            "{\"added\":10,\"replaced\":0,\"generation\":2}");
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
  std::string stats;
  ASSERT_EQ(Cli("stats --json --index " + index_, &stats), 0);
  EXPECT_TRUE(absl::StrContains(stats, "\"articles\":60,\"dated_articles\":60,"
                                       "\"generation\":2,"))
      << stats;
}

TEST_F(ServeTest, QueriesAreAnsweredDuringACommit) {
  BuildBase();
  Server server(index_, {}, log_);
  ASSERT_GT(server.port(), 0);
  std::atomic<bool> posting{true};
  Answer posted;
  std::thread writer([&] {
    httplib::Client c = server.Client();
    posted = Post(c, "/v1/articles", Lines(kBase, kArticles));
    posting = false;
  });
  // Queries sent while the POST waits for its commit.
  httplib::Client c = server.Client();
  int during = 0, failed = 0;
  while (posting) {
    const Answer a = Get(c, "/v1/articles/" + Id(7) + "/matches");
    if (a.status != 200) ++failed;
    if (posting) ++during;
  }
  writer.join();
  EXPECT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(failed, 0);
  EXPECT_GT(during, 0);
  EXPECT_EQ(Get(c, "/v1/articles/" + Id(kArticles - 1) + "/matches").status,
            200);
}

TEST_F(ServeTest, TheCommandLineFindsTheIndexLocked) {
  BuildBase();
  Server server(index_, {}, log_);
  ASSERT_GT(server.port(), 0);
  const std::string more = (dir_ / "more.jsonl").string();
  std::ofstream(more) << Lines(kBase, kBase + 5);
  std::string out;
  EXPECT_EQ(Cli("add --quiet --index " + index_ + " " + more, &out), 1);
  EXPECT_TRUE(absl::StrContains(
      out, absl::StrCat(index_, ": locked by another syndex process (pid ",
                        server.pid(), ")")))
      << out;
  // Readers are not locked out.
  EXPECT_EQ(Cli("stats --json --index " + index_, &out), 0);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
  EXPECT_EQ(Cli("add --quiet --index " + index_ + " " + more, &out), 0) << out;
}

// SIGKILL at random points of a stream of ingestion requests of 10
// articles each; after a restart, every acknowledged batch is there and
// every batch is there whole or not at all.
TEST_F(ServeTest, KillAtRandomPointsLosesNoAcknowledgedArticle) {
  BuildBase();
  constexpr int kBatch = 10;
  constexpr int kRounds = 5;
  std::mt19937_64 rng(0x6b696c6c);
  int next = kBase;
  std::vector<std::pair<int, bool>> batches;  // First line, acknowledged.
  for (int round = 0; round < kRounds && next + kBatch <= kArticles; ++round) {
    Server server(index_, {"--commit-delay-ms", "0"}, log_);
    ASSERT_GT(server.port(), 0);
    std::atomic<bool> stop{false};
    std::vector<std::pair<int, bool>> sent;
    std::thread writer([&] {
      httplib::Client c = server.Client();
      while (!stop && next + kBatch <= kArticles) {
        const int first = next;
        next += kBatch;
        const Answer a = Post(c, "/v1/articles", Lines(first, first + kBatch));
        sent.emplace_back(first, a.status == 200);
        if (a.status != 200) break;
      }
    });
    std::this_thread::sleep_for(
        std::chrono::milliseconds(50 + rng() % 400));
    server.Signal(SIGKILL);
    EXPECT_EQ(server.Wait(), -SIGKILL);
    stop = true;
    writer.join();
    batches.insert(batches.end(), sent.begin(), sent.end());
  }
  Server server(index_, {}, log_);
  ASSERT_GT(server.port(), 0);
  httplib::Client c = server.Client();
  int acknowledged = 0;
  for (const auto& [first, ack] : batches) {
    int present = 0;
    for (int i = first; i < first + kBatch; ++i) {
      present += Get(c, "/v1/articles/" + Id(i) + "/matches?k=1").status == 200;
    }
    if (ack) {
      ++acknowledged;
      EXPECT_EQ(present, kBatch) << "acknowledged batch at line " << first;
    } else {
      EXPECT_TRUE(present == 0 || present == kBatch)
          << present << " of the batch at line " << first;
    }
  }
  EXPECT_GT(acknowledged, 0);
}

}  // namespace
}  // namespace syndex
