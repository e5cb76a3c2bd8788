#include "engine/index/index_dir.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/index/section_file.h"
#include "engine/util/file.h"
#include "engine/util/hash.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

namespace fs = std::filesystem;

class IndexDirTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = testing::TempDir() + "/index_dir_test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    dir_ = root_ + "/idx";
  }
  void TearDown() override { fs::remove_all(root_); }

  std::set<std::string> List() const {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }

  void Touch(const std::string& name, const std::string& contents = "x") {
    ASSERT_TRUE(WriteFileAtomically(dir_ + "/" + name, contents).ok());
  }

  std::string Mapped(const IndexDir& index) {
    auto file = index.MapCurrent();
    EXPECT_TRUE(file.ok()) << file.status();
    return file.ok() ? std::string((*file)->data()) : "<error>";
  }

  std::string root_;
  std::string dir_;
};

TEST_F(IndexDirTest, CreateCommitReopen) {
  {
    auto w = IndexDir::OpenForWrite(dir_, /*create=*/true);
    ASSERT_TRUE(w.ok()) << w.status();
    EXPECT_FALSE((*w)->has_data());
    EXPECT_EQ((*w)->generation(), 0u);
    EXPECT_EQ((*w)->current_path(), "");
    ASSERT_TRUE((*w)->Commit("first").ok());
    EXPECT_TRUE((*w)->has_data());
    EXPECT_EQ((*w)->generation(), 1u);
    EXPECT_EQ((*w)->current_path(), dir_ + "/data-000001.sdx");
    EXPECT_EQ(Mapped(**w), "first");
  }
  EXPECT_EQ(*ReadFile(dir_ + "/CURRENT"), "data-000001.sdx\n");
  EXPECT_EQ(*ReadFile(dir_ + "/LOCK"), absl::StrCat(::getpid(), "\n"));
  auto r = IndexDir::OpenForRead(dir_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)->generation(), 1u);
  EXPECT_EQ((*r)->dir(), dir_);
  EXPECT_EQ(Mapped(**r), "first");
  EXPECT_EQ((*r)->Commit("x").code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(IndexDirTest, CommitWithWritesThroughTheCallback) {
  auto w = IndexDir::OpenForWrite(dir_, /*create=*/true);
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_TRUE((*w)->CommitWith([](const std::string& path) {
                   return WriteFileSynced(path, "streamed");
                 }).ok());
  EXPECT_EQ(Mapped(**w), "streamed");
  // A failing writer leaves the live generation and no temporary file.
  const absl::Status st = (*w)->CommitWith([](const std::string& path) {
    EXPECT_TRUE(WriteFileSynced(path, "half").ok());
    return absl::DataLossError("disk gave up");
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Mapped(**w), "streamed");
  EXPECT_EQ(List(), (std::set<std::string>{"CURRENT", "LOCK",
                                           "data-000001.sdx"}));
}

TEST_F(IndexDirTest, OpenForWriteWithoutCreateNeedsTheDirectory) {
  auto w = IndexDir::OpenForWrite(dir_, /*create=*/false);
  EXPECT_EQ(w.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(w.status().message()), dir_ + ": no syndex index here");
}

TEST_F(IndexDirTest, GenerationsAdvanceAndOnlyTheNewestOlderOnesAreKept) {
  {
    auto w = IndexDir::OpenForWrite(dir_, true);
    ASSERT_TRUE(w.ok()) << w.status();
    EXPECT_EQ((*w)->keep(), 2);
    for (int i = 1; i <= 3; ++i) {
      ASSERT_TRUE((*w)->Commit(absl::StrCat("gen ", i)).ok());
      EXPECT_EQ((*w)->generation(), static_cast<uint64_t>(i));
      EXPECT_EQ(Mapped(**w), absl::StrCat("gen ", i));
    }
    EXPECT_EQ(List(), (std::set<std::string>{"CURRENT", "LOCK",
                                             "data-000001.sdx",
                                             "data-000002.sdx",
                                             "data-000003.sdx"}));
  }
  // A new writer deletes none of the kept generations.
  auto w = IndexDir::OpenForWrite(dir_, false);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ((*w)->generation(), 3u);
  EXPECT_EQ(List().size(), 5u);
  ASSERT_TRUE((*w)->Commit("").ok());
  EXPECT_EQ((*w)->generation(), 4u);
  EXPECT_EQ(Mapped(**w), "");  // An empty file maps to empty data.
  EXPECT_EQ(List(), (std::set<std::string>{"CURRENT", "LOCK",
                                           "data-000002.sdx",
                                           "data-000003.sdx",
                                           "data-000004.sdx"}));
  EXPECT_EQ(*ReadFile(dir_ + "/data-000003.sdx"), "gen 3");
  EXPECT_EQ(*IndexDir::StoredGenerations(dir_),
            (std::vector<uint64_t>{4, 3, 2}));
  (*w)->set_keep(0);
  ASSERT_TRUE((*w)->Commit("alone").ok());
  EXPECT_EQ(List(), (std::set<std::string>{"CURRENT", "LOCK",
                                           "data-000005.sdx"}));
}

TEST_F(IndexDirTest, SwitchToSetsThePassedOverGenerationsAside) {
  auto w = IndexDir::OpenForWrite(dir_, true);
  ASSERT_TRUE(w.ok()) << w.status();
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE((*w)->Commit(absl::StrCat("gen ", i)).ok());
  }
  Touch("data-000004.sdx", "never committed");
  auto r = IndexDir::OpenForRead(dir_);  // A reader of generation 3.
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE((*w)->SwitchTo(1).ok());
  EXPECT_EQ((*w)->generation(), 1u);
  EXPECT_EQ(*ReadFile(dir_ + "/CURRENT"), "data-000001.sdx\n");
  EXPECT_EQ(List(), (std::set<std::string>{"CURRENT", "LOCK",
                                           "data-000001.sdx",
                                           "data-000002.sdx.damaged",
                                           "data-000003.sdx.damaged"}));
  EXPECT_EQ(Mapped(**r), "gen 3");  // The reader keeps its generation.
  EXPECT_EQ(Mapped(**IndexDir::OpenForRead(dir_)), "gen 1");
  // The next commit is numbered above the set-aside generations, and
  // writers leave them alone.
  ASSERT_TRUE((*w)->Commit("after").ok());
  EXPECT_EQ((*w)->generation(), 4u);
  w->reset();
  ASSERT_TRUE(IndexDir::OpenForWrite(dir_, false).ok());
  EXPECT_EQ(List(), (std::set<std::string>{"CURRENT", "LOCK",
                                           "data-000001.sdx",
                                           "data-000004.sdx",
                                           "data-000002.sdx.damaged",
                                           "data-000003.sdx.damaged"}));
}

TEST_F(IndexDirTest, OpenForRepairAcceptsABrokenCurrent) {
  {
    auto w = IndexDir::OpenForWrite(dir_, true);
    ASSERT_TRUE(w.ok()) << w.status();
    ASSERT_TRUE((*w)->Commit("one").ok());
    ASSERT_TRUE((*w)->Commit("two").ok());
  }
  absl::Status current;
  {
    auto repair = IndexDir::OpenForRepair(dir_, &current);
    ASSERT_TRUE(repair.ok()) << repair.status();
    EXPECT_TRUE(current.ok()) << current;
    EXPECT_EQ((*repair)->generation(), 2u);
    // It holds the writer lock.
    EXPECT_EQ(IndexDir::OpenForWrite(dir_, false).status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
  Touch("CURRENT", "garbage");
  auto repair = IndexDir::OpenForRepair(dir_, &current);
  ASSERT_TRUE(repair.ok()) << repair.status();
  EXPECT_EQ(current.code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE((*repair)->has_data());
  // Without a live generation every newer one is passed over.
  ASSERT_TRUE((*repair)->SwitchTo(1).ok());
  EXPECT_EQ(List(), (std::set<std::string>{"CURRENT", "LOCK",
                                           "data-000001.sdx",
                                           "data-000002.sdx.damaged"}));
  EXPECT_EQ((*repair)->SwitchTo(7).code(), absl::StatusCode::kNotFound);
}

TEST_F(IndexDirTest, GenerationsBeyondSixDigits) {
  fs::create_directories(dir_);
  Touch("data-1234567.sdx", "big");
  Touch("CURRENT", "data-1234567.sdx\n");
  auto r = IndexDir::OpenForRead(dir_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)->generation(), 1234567u);
  EXPECT_EQ(Mapped(**r), "big");
  auto w = IndexDir::OpenForWrite(dir_, false);
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_TRUE((*w)->Commit("bigger").ok());
  EXPECT_EQ((*w)->current_path(), dir_ + "/data-1234568.sdx");
}

TEST_F(IndexDirTest, SecondWriterInProcessGetsLockError) {
  auto w1 = IndexDir::OpenForWrite(dir_, true);
  ASSERT_TRUE(w1.ok()) << w1.status();
  // flock locks belong to the open file description, so a second open in the
  // same process conflicts like another process would.
  auto w2 = IndexDir::OpenForWrite(dir_, true);
  ASSERT_FALSE(w2.ok());
  EXPECT_EQ(w2.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(w2.status().message(),
            absl::StrCat(dir_, ": locked by another syndex process (pid ",
                         ::getpid(), ")"));
  w1->reset();
  auto w3 = IndexDir::OpenForWrite(dir_, true);
  EXPECT_TRUE(w3.ok()) << w3.status();
}

TEST_F(IndexDirTest, WriterInAnotherProcessHoldsTheLock) {
  int ready[2], release[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(release), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    ::close(release[1]);
    auto w = IndexDir::OpenForWrite(dir_, true);
    if (!w.ok()) ::_exit(2);
    char c = 'r';
    if (::write(ready[1], &c, 1) != 1) ::_exit(3);
    while (::read(release[0], &c, 1) > 0) {
    }
    ::_exit(0);
  }
  ::close(ready[1]);
  ::close(release[0]);
  char c;
  ASSERT_EQ(::read(ready[0], &c, 1), 1) << "the child could not lock";
  auto w = IndexDir::OpenForWrite(dir_, false);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().message(),
            absl::StrCat(dir_, ": locked by another syndex process (pid ",
                         child, ")"));
  ::close(release[1]);  // Lets the child exit, which releases the lock.
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ::close(ready[0]);
  EXPECT_TRUE(IndexDir::OpenForWrite(dir_, false).ok());
}

TEST_F(IndexDirTest, ReaderWorksWhileWriterHoldsTheLock) {
  auto w = IndexDir::OpenForWrite(dir_, true);
  ASSERT_TRUE(w.ok()) << w.status();
  (*w)->set_keep(0);
  ASSERT_TRUE((*w)->Commit("one").ok());
  auto r1 = IndexDir::OpenForRead(dir_);
  ASSERT_TRUE(r1.ok()) << r1.status();
  ASSERT_TRUE((*w)->Commit("two").ok());  // Deletes data-000001.sdx.
  EXPECT_FALSE(fs::exists(dir_ + "/data-000001.sdx"));
  // The first reader still sees the generation it opened.
  EXPECT_EQ((*r1)->generation(), 1u);
  EXPECT_EQ(Mapped(**r1), "one");
  auto r2 = IndexDir::OpenForRead(dir_);
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_EQ((*r2)->generation(), 2u);
  EXPECT_EQ(Mapped(**r2), "two");
}

TEST_F(IndexDirTest, MissingIndexIsNotFound) {
  auto r = IndexDir::OpenForRead(dir_);  // No directory.
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), dir_ + ": no syndex index here");
  fs::create_directories(dir_);  // No CURRENT.
  r = IndexDir::OpenForRead(dir_);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), dir_ + ": no syndex index here");
  // A writer that never committed leaves no index either.
  ASSERT_TRUE(IndexDir::OpenForWrite(dir_, false).ok());
  EXPECT_EQ(IndexDir::OpenForRead(dir_).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(IndexDirTest, CurrentNamingAMissingFileIsDataLoss) {
  fs::create_directories(dir_);
  Touch("CURRENT", "data-000005.sdx\n");
  auto r = IndexDir::OpenForRead(dir_);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(r.status().message().find("data-000005.sdx"),
            absl::string_view::npos);
  auto w = IndexDir::OpenForWrite(dir_, false);
  EXPECT_EQ(w.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(fs::exists(dir_ + "/CURRENT"));
}

TEST_F(IndexDirTest, GarbageCurrentIsDataLoss) {
  fs::create_directories(dir_);
  Touch("data-000001.sdx");
  Touch("data-1.sdx");
  Touch("data-0000001.sdx");
  for (const std::string& bad :
       {std::string(""), std::string("garbage"), std::string("\n"),
        std::string("data-000001.sdx"), std::string("data-000001.sdx\n\n"),
        std::string(" data-000001.sdx\n"), std::string("data-000001.sdx\r\n"),
        std::string("data-1.sdx\n"), std::string("data-0000001.sdx\n"),
        std::string("data-000000.sdx\n"), std::string("data-00000a.sdx\n"),
        std::string("data-+00001.sdx\n"), std::string("data-000001.SDX\n"),
        std::string("data-99999999999999999999.sdx\n"),
        std::string("data-000001.sdx\0\n", 17)}) {
    Touch("CURRENT", bad);
    auto r = IndexDir::OpenForRead(dir_);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << bad;
    EXPECT_EQ(r.status().message(),
              dir_ + "/CURRENT: malformed (expected one line naming a "
                     "data-NNNNNN.sdx file)");
    auto w = IndexDir::OpenForWrite(dir_, false);
    EXPECT_EQ(w.status().code(), absl::StatusCode::kDataLoss) << bad;
  }
  Touch("CURRENT", "data-000001.sdx\n");
  EXPECT_TRUE(IndexDir::OpenForRead(dir_).ok());
}

TEST_F(IndexDirTest, NextWriterCleansUpAfterAKilledOne) {
  {
    auto w = IndexDir::OpenForWrite(dir_, true);
    ASSERT_TRUE(w.ok()) << w.status();
    ASSERT_TRUE((*w)->Commit("live").ok());
  }
  // What a writer killed during a commit can leave behind.
  Touch("data-000002.sdx.tmp");
  Touch("data-000002.sdx");
  Touch("CURRENT.tmp", "data-000002.sdx\n");
  Touch("data-000000.sdx");  // Not a data file name: left alone.
  Touch("notes.tmp.txt");
  const std::set<std::string> before = List();
  // Readers delete nothing.
  auto r = IndexDir::OpenForRead(dir_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Mapped(**r), "live");
  EXPECT_EQ(List(), before);

  auto w = IndexDir::OpenForWrite(dir_, false);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ((*w)->generation(), 1u);
  EXPECT_EQ(List(), (std::set<std::string>{"CURRENT", "LOCK", "data-000001.sdx",
                                           "data-000000.sdx",
                                           "notes.tmp.txt"}));
  ASSERT_TRUE((*w)->Commit("next").ok());
  EXPECT_EQ(Mapped(**w), "next");
}

TEST_F(IndexDirTest, MappedFileErrorsNameThePath) {
  auto m = MappedFile::Open(root_ + "/nope");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(m.status().message().find(root_ + "/nope"),
            absl::string_view::npos);
  m = MappedFile::Open(root_);
  EXPECT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find(root_), absl::string_view::npos);
}

// The contents the crash test commits as generation `g`: a section file whose
// size varies with g, so that kills land in writes of different lengths.
constexpr uint32_t kCrashVersion = 1;
std::string CrashContents(uint64_t g) {
  SplitMix64 rng(g);
  std::string body(rng.Next() % 300000, '\0');
  for (char& c : body) c = static_cast<char>(rng.Next());
  std::string gen(reinterpret_cast<const char*>(&g), sizeof(g));
  SectionFileWriter w(kCrashVersion);
  w.Add(SectionTag("GENR"), gen);
  w.Add(SectionTag("BODY"), std::move(body));
  return std::move(w).Finish();
}

// Runs in a forked child: commits generation after generation, reporting each
// committed generation on `report_fd`, until killed.
[[noreturn]] void CommitForever(const std::string& dir, int report_fd) {
  auto w = IndexDir::OpenForWrite(dir, true);
  if (!w.ok()) ::_exit(2);
  for (;;) {
    const uint64_t g = (*w)->generation() + 1;
    if (!(*w)->Commit(CrashContents(g)).ok()) ::_exit(3);
    if (::write(report_fd, &g, sizeof(g)) != sizeof(g)) ::_exit(4);
  }
}

// Kills and reaps a child process unless the test already did, so that a
// failed assertion never leaves a writer running.
class ChildGuard {
 public:
  explicit ChildGuard(pid_t pid) : pid_(pid) {}
  ~ChildGuard() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  // Kills the child and returns its wait status.
  int KillAndWait() {
    int status = -1;
    ::kill(pid_, SIGKILL);
    if (::waitpid(pid_, &status, 0) == pid_) pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
};

TEST_F(IndexDirTest, WriterKilledAtRandomTimesLeavesACommittedGeneration) {
  SplitMix64 rng(20240601);
  uint64_t last_seen = 0;
  for (int round = 0; round < 30; ++round) {
    int report[2];
    ASSERT_EQ(::pipe(report), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(report[0]);
      CommitForever(dir_, report[1]);
    }
    ChildGuard guard(child);
    ::close(report[1]);
    // Wait for the child's first commit, then kill it a little later.
    uint64_t reported = 0;
    ASSERT_EQ(::read(report[0], &reported, sizeof(reported)),
              static_cast<ssize_t>(sizeof(reported)))
        << "the writer died before its first commit";
    ::usleep(static_cast<useconds_t>(rng.Next() % 30000));
    const int status = guard.KillAndWait();
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "writer exited with status " << status;
    // Drain the reports: the last one is the newest generation known to be
    // committed; one more may have been committed but not reported.
    uint64_t g = 0;
    while (::read(report[0], &g, sizeof(g)) == sizeof(g)) reported = g;
    ::close(report[0]);

    auto r = IndexDir::OpenForRead(dir_);
    ASSERT_TRUE(r.ok()) << r.status();
    const uint64_t live = (*r)->generation();
    EXPECT_GE(live, reported);
    EXPECT_LE(live, reported + 1);
    EXPECT_GT(live, last_seen);
    last_seen = live;
    auto file = (*r)->MapCurrent();
    ASSERT_TRUE(file.ok()) << file.status();
    auto reader =
        SectionFileReader::Open((*file)->data(), (*file)->path(), kCrashVersion);
    ASSERT_TRUE(reader.ok()) << reader.status();
    ASSERT_TRUE((*file)->data() == CrashContents(live))
        << "generation " << live << " has wrong contents";
    // The two generations before it are kept, intact, for recovery.
    for (uint64_t g = live > 2 ? live - 2 : 1; g < live; ++g) {
      EXPECT_EQ(ReadFile(IndexDir::DataFilePath(dir_, g)).value_or(""),
                CrashContents(g))
          << "kept generation " << g;
    }
  }
  // The next writer leaves the live generation and older ones only.
  auto w = IndexDir::OpenForWrite(dir_, false);
  ASSERT_TRUE(w.ok()) << w.status();
  for (const std::string& name : List()) {
    if (name == "CURRENT" || name == "LOCK") continue;
    EXPECT_LE(IndexDir::StoredGenerations(dir_)->front(), (*w)->generation());
    EXPECT_TRUE(fs::path(name).extension() == ".sdx") << name;
  }
  ASSERT_TRUE((*w)->Commit(CrashContents((*w)->generation() + 1)).ok());
  EXPECT_EQ(IndexDir::StoredGenerations(dir_)->size(), 3u);
}

}  // namespace
}  // namespace syndex
