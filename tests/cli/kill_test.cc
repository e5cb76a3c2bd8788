// Kills the real syndex command with SIGKILL at pseudo-random points while it
// writes an index (add, index --overwrite) and checks that the index is then
// readable and holds either the generation before or the one after the
// write; also checks that a second writer is refused while one runs and
// that readers keep working while a writer is killed.
//
// The kill points are spread over the duration of one uninterrupted run and
// over its commit (from the first new file in the index directory to exit),
// both measured at the start of each test; the test asserts nothing about
// time, nor how many rounds end in each state, only that every round ends in
// one of the two.

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "engine/util/file.h"
#include "engine/util/hash.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

namespace fs = std::filesystem;

constexpr int kArticles = 3000;      // Generated with syndex-gen --seed 5.
constexpr int kBaseArticles = 2000;  // The first lines: the base index.
constexpr int kAddedArticles = kArticles - kBaseArticles;
constexpr int kRounds = 12;  // Kill points per write command.
constexpr uint64_t kKillSeed = 0x6b696c6cULL;
// Older generations each commit keeps (the default of --keep).
constexpr int kKeep = 2;
// LSA dimensions of the test indexes: fewer than the default keeps training
// (and so the whole test) short.
constexpr char kDims[] = "32";

struct Result {
  int code;  // Exit code, or -1 if the process did not exit normally.
  std::string out;
  std::string err;
};

// What `syndex stats --json` reports about an index.
struct State {
  int64_t articles = -1;
  int64_t generation = -1;
  bool operator==(const State& o) const {
    return articles == o.articles && generation == o.generation;
  }
};

std::string Describe(const State& s) {
  return absl::StrFormat("%d articles, generation %d", s.articles,
                         s.generation);
}

// The integer after "\"key\":" in `json`, or -1.
int64_t JsonInt(const std::string& json, const std::string& key) {
  const std::string needle = absl::StrCat("\"", key, "\":");
  const size_t at = json.find(needle);
  if (at == std::string::npos) return -1;
  size_t end = at + needle.size();
  while (end < json.size() && json[end] >= '0' && json[end] <= '9') ++end;
  int64_t value = -1;
  if (!absl::SimpleAtoi(
          json.substr(at + needle.size(), end - at - needle.size()), &value)) {
    return -1;
  }
  return value;
}

class KillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("SYNDEX_BIN_DIR");
    ASSERT_NE(bin, nullptr) << "run through ctest";
    syndex_ = absl::StrCat(bin, "/syndex");
    gen_ = absl::StrCat(bin, "/syndex-gen");
    dir_ = fs::temp_directory_path() /
           absl::StrCat(
               "syndex_kill_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name(),
               "_", getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    pristine_ = Path("pristine");
    work_ = Path("work");

    // One corpus, split by lines: ids are "a" + the line number, so the two
    // parts never share an id.
    const std::string corpus = Path("corpus.jsonl");
    Result r = Run(gen_, {"--articles", absl::StrCat(kArticles), "--seed", "5",
                          "--output", corpus});
    ASSERT_EQ(r.code, 0) << r.err;
    std::ifstream in(corpus);
    std::ofstream base(Path("base.jsonl")), add(Path("add.jsonl"));
    std::string line;
    int n = 0;
    for (; std::getline(in, line); ++n) {
      (n < kBaseArticles ? base : add) << line << "\n";
    }
    ASSERT_EQ(n, kArticles);
    base.close();
    add.close();

    r = Syndex(
        {"index", "--dims", kDims, "--index", pristine_, Path("base.jsonl")});
    ASSERT_EQ(r.code, 0) << r.err;
    // Two more generations, so that the base index holds as many older
    // ones as a commit keeps, and the next commit deletes the oldest.
    for (int i = 0; i < kKeep; ++i) {
      r = Syndex({"compact", "--index", pristine_});
      ASSERT_EQ(r.code, 0) << r.err;
    }
    base_state_ = Stats(pristine_);
    ASSERT_EQ(base_state_.articles, kBaseArticles);
    ASSERT_EQ(base_state_.generation, 1 + kKeep);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const {
    return (dir_ / name).string();
  }

  // Starts `binary args...` with stdin from /dev/null and stdout/stderr to
  // files in dir_ named after `tag`; returns the pid.
  pid_t Spawn(const std::string& binary, const std::vector<std::string>& args,
              const std::string& tag) {
    const std::string out = Path(tag + ".out"), err = Path(tag + ".err");
    std::vector<std::string> argv_store = {binary};
    argv_store.insert(argv_store.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_store) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      const int in_fd = open("/dev/null", O_RDONLY);
      const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (in_fd < 0 || out_fd < 0 || err_fd < 0) _exit(127);
      dup2(in_fd, 0);
      dup2(out_fd, 1);
      dup2(err_fd, 2);
      execv(argv[0], argv.data());
      _exit(127);
    }
    return pid;
  }

  // Waits for `pid` and collects what Spawn(..., tag) wrote.
  Result Wait(pid_t pid, const std::string& tag) {
    int status = 0;
    Result r;
    if (waitpid(pid, &status, 0) != pid) {
      r.code = -2;
      return r;
    }
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadFile(Path(tag + ".out")).value_or("");
    r.err = ReadFile(Path(tag + ".err")).value_or("");
    return r;
  }

  Result Run(const std::string& binary, const std::vector<std::string>& args) {
    return Wait(Spawn(binary, args, "run"), "run");
  }
  Result Syndex(const std::vector<std::string>& args) {
    return Run(syndex_, args);
  }

  // The state of the index in `dir`; articles -1 if stats failed.
  State Stats(const std::string& dir) {
    const Result r = Syndex({"stats", "--index", dir, "--json"});
    State s;
    if (r.code != 0) {
      ADD_FAILURE() << "stats --index " << dir << " failed: " << r.err;
      return s;
    }
    s.articles = JsonInt(r.out, "articles");
    s.generation = JsonInt(r.out, "generation");
    return s;
  }

  // Replaces work_ with a copy of the pristine base index.
  void ResetWork() {
    fs::remove_all(work_);
    fs::copy(pristine_, work_, fs::copy_options::recursive);
  }

  // True if work_ holds a file that the pristine copy does not: the writer
  // has started to commit.
  bool Committing() {
    for (const auto& entry : fs::directory_iterator(work_)) {
      if (!fs::exists(fs::path(pristine_) / entry.path().filename())) {
        return true;
      }
    }
    return false;
  }

  // Polls until Committing() or until `pid` exits (then sets *exited and
  // *status).
  void WaitForCommit(pid_t pid, bool* exited, int* status) {
    *exited = false;
    while (!Committing()) {
      if (waitpid(pid, status, WNOHANG) == pid) {
        *exited = true;
        return;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }

  // Wall times of one uninterrupted run, used only to place kill points.
  struct Timing {
    double run = 0;     // Start to exit.
    double commit = 0;  // First new file in the directory to exit.
  };

  // Runs `args` to completion on a fresh copy of the base index, checking
  // that it ends in `after`, and measures it.
  Timing MeasureOnce(const std::vector<std::string>& args, const State& after) {
    ResetWork();
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const pid_t pid = Spawn(syndex_, args, "measure");
    bool exited = false;
    int status = 0;
    WaitForCommit(pid, &exited, &status);
    const auto commit = Clock::now();
    if (!exited) waitpid(pid, &status, 0);
    const auto end = Clock::now();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << ReadFile(Path("measure.err")).value_or("");
    const State s = Stats(work_);
    EXPECT_EQ(s, after) << Describe(s);
    Timing t;
    t.run = std::chrono::duration<double>(end - start).count();
    t.commit = std::chrono::duration<double>(end - commit).count();
    return t;
  }

  // Checks that `id` can be queried in the index in work_.
  void ExpectQueryable(const std::string& id) {
    const Result r = Syndex({"query", "--index", work_, "--id", id, "--json"});
    EXPECT_EQ(r.code, 0) << "query --id " << id << ": " << r.err;
  }

  // The generation CURRENT names in work_, or -1.
  int64_t LiveGeneration() {
    const std::string current = ReadFile(Path("work/CURRENT")).value_or("");
    int64_t g = -1;
    if (!absl::SimpleAtoi(
            current.substr(5, current.size() > 10 ? current.size() - 10 : 0),
            &g)) {
      return -1;
    }
    return g;
  }

  // True if the index directory holds anything but CURRENT, LOCK, the live
  // data file and the kKeep before it, as a killed writer may leave behind
  // (temporary files, a newer data file, an older one not yet deleted).
  bool HasGarbage() {
    const int64_t live = LiveGeneration();
    for (const auto& entry : fs::directory_iterator(work_)) {
      const std::string name = entry.path().filename().string();
      if (name == "CURRENT" || name == "LOCK") continue;
      int64_t g = -1;
      if (!absl::StartsWith(name, "data-") || !absl::EndsWith(name, ".sdx") ||
          !absl::SimpleAtoi(name.substr(5, name.size() - 9), &g) || g > live ||
          g < live - kKeep) {
        return true;
      }
    }
    return false;
  }

  // Checks that the kKeep generations before the live one are stored and
  // that `syndex verify` finds the live one intact: what `syndex recover`
  // needs.
  void ExpectRecoverable() {
    const int64_t live = LiveGeneration();
    for (int64_t g = std::max<int64_t>(1, live - kKeep); g < live; ++g) {
      EXPECT_TRUE(fs::exists(Path(absl::StrFormat("work/data-%06d.sdx", g))))
          << "generation " << g << " is not kept";
    }
    const Result r = Syndex({"verify", "--index", work_});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
  }

  // kRounds times: copies the base index to work_, starts `args` (which
  // writes work_), SIGKILLs it after a pseudo-random delay and checks that
  // the index is readable and in state `before` or `after`. Even rounds
  // kill after a delay uniform over the measured duration of one run; odd
  // rounds wait until the writer starts to commit (a new file appears) and
  // kill after a delay uniform over 1.2 times the measured commit. After the
  // first round that ends in `before`, and after every such round that left
  // garbage, the same command run to completion must reach `after` and
  // leave no garbage. Prints the split.
  // `before_id` and `after_id` are articles of the two states.
  void KillRounds(const std::vector<std::string>& args, const State& before,
                  const std::string& before_id, const State& after,
                  const std::string& after_id) {
    const Timing timing = MeasureOnce(args, after);
    ASSERT_FALSE(HasFailure());
    SplitMix64 rng(kKillSeed);
    int ended_before = 0, ended_after = 0, exited = 0, garbage = 0;
    bool recovered = false;
    for (int round = 0; round < kRounds; ++round) {
      SCOPED_TRACE(absl::StrCat("round ", round));
      ResetWork();
      const bool at_commit = round % 2 == 1;
      const double delay =
          rng.NextDouble() * (at_commit ? 1.2 * timing.commit : timing.run);
      const pid_t pid = Spawn(syndex_, args, "writer");
      ASSERT_GT(pid, 0);
      bool exited_early = false;
      int status = 0;
      if (at_commit) WaitForCommit(pid, &exited_early, &status);
      Result w;
      if (exited_early) {
        w.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        w.err = ReadFile(Path("writer.err")).value_or("");
      } else {
        std::this_thread::sleep_for(std::chrono::duration<double>(delay));
        kill(pid, SIGKILL);  // A no-op if the writer already exited.
        w = Wait(pid, "writer");
      }
      if (w.code != -1) {
        EXPECT_EQ(w.code, 0) << w.err;
        ++exited;
      }
      const State s = Stats(work_);
      ASSERT_TRUE(s == before || s == after)
          << "killed after " << delay << " s: " << Describe(s) << "; expected "
          << Describe(before) << " or " << Describe(after);
      if (w.code == 0) {
        EXPECT_EQ(s, after) << "the writer reported success";
      }
      if (s == after) {
        ++ended_after;
        ExpectQueryable(after_id);
      } else {
        ++ended_before;
        ExpectQueryable(before_id);
      }
      ExpectRecoverable();
      const bool has_garbage = HasGarbage();
      garbage += has_garbage;
      if (s == before && (has_garbage || !recovered)) {
        // The next writer takes over what the killed one left behind.
        recovered = true;
        const Result r = Syndex(args);
        ASSERT_EQ(r.code, 0) << r.err;
        const State next = Stats(work_);
        EXPECT_EQ(next, after) << Describe(next);
        EXPECT_FALSE(HasGarbage());
      }
    }
    std::printf(
        "%s: one run %.2f s (commit %.3f s); %d kill points: %d ended "
        "before, %d after (%d writers had exited); %d left garbage\n",
        args[0].c_str(), timing.run, timing.commit, kRounds, ended_before,
        ended_after, exited, garbage);
  }

  std::string syndex_;
  std::string gen_;
  fs::path dir_;
  std::string pristine_;
  std::string work_;
  State base_state_;
};

TEST_F(KillTest, KilledAddLeavesTheOldOrTheNewGeneration) {
  const State after{kArticles, base_state_.generation + 1};
  KillRounds({"add", "--index", work_, Path("add.jsonl")}, base_state_,
             "a00000000", after, "a00002999");
}

TEST_F(KillTest, KilledOverwriteLeavesTheOldOrTheNewIndex) {
  // The new index holds only the add part, so the two states differ in
  // their article count as well as their generation.
  const State after{kAddedArticles, base_state_.generation + 1};
  KillRounds({"index", "--overwrite", "--dims", kDims, "--index", work_,
              Path("add.jsonl")},
             base_state_, "a00000000", after, "a00002999");
}

// True if process `pid` holds a flock() on the file `path` (from /proc/locks,
// whose lines name the holder's pid and the file's device and inode).
bool FlockHeld(const std::string& path, pid_t pid) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  const std::string locks = ReadFile("/proc/locks").value_or("");
  const std::string inode = absl::StrCat(":", st.st_ino, " ");
  const std::string holder = absl::StrCat(" ", pid, " ");
  for (absl::string_view line : absl::StrSplit(locks, '\n')) {
    if (line.find("FLOCK") != line.npos && line.find(inode) != line.npos &&
        line.find(holder) != line.npos) {
      return true;
    }
  }
  return false;
}

TEST_F(KillTest, SecondWriterIsRefusedWhileOneRuns) {
  const std::string lock = (fs::path(work_) / "LOCK").string();
  bool collided = false;
  for (int attempt = 0; attempt < 5 && !collided; ++attempt) {
    SCOPED_TRACE(absl::StrCat("attempt ", attempt));
    ResetWork();
    const pid_t first =
        Spawn(syndex_, {"add", "--index", work_, Path("add.jsonl")}, "first");
    ASSERT_GT(first, 0);
    // The first writer writes its pid into LOCK once it holds the lock.
    const std::string pid_line = absl::StrCat(first, "\n");
    int status = 0;
    bool running = true;
    while (ReadFile(lock).value_or("") != pid_line) {
      if (waitpid(first, &status, WNOHANG) == first) {
        running = false;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!running) {
      FAIL() << "the first writer exited before taking the lock";
    }
    // Freeze it; it is then verifiably alive, and /proc/locks tells whether
    // it still holds the lock.
    ASSERT_EQ(kill(first, SIGSTOP), 0);
    ASSERT_EQ(waitpid(first, &status, WUNTRACED), first);
    ASSERT_TRUE(WIFSTOPPED(status));
    if (FlockHeld(lock, first)) {
      collided = true;
      const Result second =
          Syndex({"add", "--index", work_, Path("add.jsonl")});
      EXPECT_EQ(second.code, 1) << second.out;
      EXPECT_NE(second.err.find(absl::StrCat(
                    "locked by another syndex process (pid ", first, ")")),
                std::string::npos)
          << second.err;
      // A reader is not refused, and sees the generation before the write.
      EXPECT_EQ(Stats(work_), base_state_);
    }
    ASSERT_EQ(kill(first, SIGCONT), 0);
    const Result r = Wait(first, "first");
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(Stats(work_), (State{kArticles, base_state_.generation + 1}));
  }
  EXPECT_TRUE(collided) << "never caught the first writer holding the lock";
}

TEST_F(KillTest, ReadersKeepWorkingWhileAWriterIsKilled) {
  ResetWork();
  const pid_t writer =
      Spawn(syndex_, {"add", "--index", work_, Path("add.jsonl")}, "writer");
  ASSERT_GT(writer, 0);
  // Query until the writer has been seen running for a few queries (or has
  // finished), then kill it and query again.
  int status = 0;
  bool finished = false;
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(absl::StrCat("query ", i));
    ExpectQueryable("a00000000");
    const State s = Stats(work_);
    EXPECT_TRUE(s == base_state_ ||
                s == (State{kArticles, base_state_.generation + 1}))
        << Describe(s);
    if (waitpid(writer, &status, WNOHANG) == writer) {
      finished = true;
      break;
    }
  }
  if (!finished) {
    kill(writer, SIGKILL);
    ASSERT_EQ(waitpid(writer, &status, 0), writer);
  }
  ExpectQueryable("a00000000");
  const State s = Stats(work_);
  EXPECT_TRUE(s == base_state_ ||
              s == (State{kArticles, base_state_.generation + 1}))
      << Describe(s);
}

}  // namespace
}  // namespace syndex
