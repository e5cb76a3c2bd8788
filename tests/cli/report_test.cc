// syndex report end to end: the page of the bundled sample (plus an
// undated copy) rendered by headless Chromium, whose DOM after the inline
// script ran must hold every story and article and a drawn timeline.

#include <cstdlib>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/cli/cli_fixture.h"

namespace syndex {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size())) {
    ++n;
  }
  return n;
}

// The value of "key":"..." in one JSON line of syndex's output.
std::string Field(const std::string& line, const std::string& key) {
  const std::string start = absl::StrCat("\"", key, "\":\"");
  const size_t at = line.find(start);
  if (at == std::string::npos) return "";
  const size_t begin = at + start.size();
  return line.substr(begin, line.find('"', begin) - begin);
}

class ReportCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const char* source = std::getenv("SYNDEX_SOURCE_DIR");
    ASSERT_NE(source, nullptr);
    sample_ = absl::StrCat(source, "/datasets/sample/news.jsonl");
    index_ = (dir_ / "idx").string();
    ASSERT_EQ(
        Run(absl::StrCat("index --quiet --index ", index_, " ", sample_)).code,
        0);
  }

  // `chromium --dump-dom` of the file `html`: the DOM once its scripts ran.
  std::string DumpDom(const std::string& html) {
    const std::string out = (dir_ / "dom.html").string();
    const std::string cmd = absl::StrCat(
        "chromium --headless --no-sandbox --disable-gpu --disable-quic "
        "--no-first-run --disable-background-networking "
        "--disable-component-update --disable-sync --user-data-dir=",
        (dir_ / "chromium").string(), " --dump-dom file://", html, " >", out,
        " 2>", (dir_ / "chromium.err").string());
    EXPECT_EQ(std::system(cmd.c_str()), 0)
        << "chromium failed (installed by scripts/setup.sh): "
        << ReadFile((dir_ / "chromium.err").string()).value_or("");
    return ReadFile(out).value_or("");
  }

  std::string sample_, index_;
};

TEST_F(ReportCliTest, ChromiumRendersEveryStoryArticleAndTimeline) {
  const std::string undated = Write(
      "undated.jsonl",
      "{\"id\":\"x-undated\",\"source\":\"undated.example\",\"text\":"
      "\"KELLHAVEN,"
      " March 12 (Meridian Press) - About 4,200 dockworkers at the port of "
      "Kellhaven walked off the job on Tuesday, halting container traffic at "
      "the region's busiest harbour after talks over automated cranes "
      "collapsed late on Monday.\"}\n");
  ASSERT_EQ(
      Run(absl::StrCat("add --quiet --index ", index_, " ", undated)).code, 0);
  const std::string html = (dir_ / "report.html").string();
  const CliResult r =
      Run(absl::StrCat("report --index ", index_, " --output ", html));
  ASSERT_EQ(r.code, 0) << r.err;
  const CliResult clusters =
      Run(absl::StrCat("cluster --json --index ", index_));
  ASSERT_EQ(clusters.code, 0) << clusters.err;
  std::set<std::string> ids, stories;
  for (absl::string_view line :
       absl::StrSplit(clusters.out, '\n', absl::SkipEmpty())) {
    ids.insert(Field(std::string(line), "id"));
    stories.insert(Field(std::string(line), "story"));
  }
  ASSERT_EQ(ids.size(), 43u);
  ASSERT_GE(stories.size(), 2u);

  const std::string dom = DumpDom(html);
  ASSERT_FALSE(dom.empty());
  // Every story has its card and its timeline, drawn by the script.
  EXPECT_EQ(Count(dom, "class=\"card story\""), stories.size());
  EXPECT_EQ(Count(dom, "<svg class=\"timeline\""), stories.size());
  for (const std::string& story : stories) {
    EXPECT_NE(dom.find(absl::StrCat("class=\"card story\" data-story=\"", story,
                                    "\"")),
              std::string::npos)
        << story;
  }
  // Every article has its row; every dated one its dot on a timeline.
  for (const std::string& id : ids) {
    EXPECT_NE(dom.find(absl::StrCat("<tr data-article=\"", id, "\"")),
              std::string::npos)
        << id;
  }
  EXPECT_EQ(Count(dom, "<circle class=\"dot"), 42u);
  // The undated copy is listed apart, not on the timeline: its id is in its
  // row and in links, on no dot.
  EXPECT_NE(dom.find("Undated (not on the timeline)"), std::string::npos);
  EXPECT_EQ(Count(dom, "data-article=\"x-undated\""),
            Count(dom, "<a class=\"pick\" data-article=\"x-undated\"") + 1);
  // Lags, the canonical's copies and matches, and the outlet table.
  EXPECT_NE(dom.find(">+1h15m<"), std::string::npos);
  EXPECT_NE(dom.find("id=\"matches\""), std::string::npos);
  EXPECT_NE(dom.find("id=\"copies\""), std::string::npos);
  EXPECT_NE(dom.find("<tr data-outlet=\"meridianpress.net\""),
            std::string::npos);
}

TEST_F(ReportCliTest, RefusesBadFlags) {
  const std::string html = (dir_ / "r.html").string();
  EXPECT_EQ(Run(absl::StrCat("report --index ", index_)).code, 2);
  EXPECT_EQ(Run(absl::StrCat("report --index ", index_, " --output ", html,
                             " --top -1"))
                .code,
            2);
  EXPECT_EQ(Run(absl::StrCat("report --index ", index_, " --output ", html,
                             " --rank wide"))
                .code,
            2);
  const CliResult r = Run(absl::StrCat("report --index ", index_, " --output ",
                                       html, " --story nope"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no article with id 'nope'"), std::string::npos);
}

TEST_F(ReportCliTest, OneStoryAndTop) {
  const std::string html = (dir_ / "r.html").string();
  CliResult r = Run(absl::StrCat("report --index ", index_, " --output ", html,
                                 " --story s05-b"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("report: 1 of 15 stories, 2 articles"),
            std::string::npos)
      << r.out;
  r = Run(
      absl::StrCat("report --index ", index_, " --output ", html, " --top 3"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("report: 3 of 15 stories"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace syndex
