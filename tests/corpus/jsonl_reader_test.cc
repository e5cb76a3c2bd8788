#include "engine/corpus/jsonl_reader.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

class JsonlReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "corpus_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (const std::string& path : files_) unlink(path.c_str());
    rmdir(dir_.c_str());
  }

  std::string Path(const std::string& name) {
    std::string path = dir_ + "/" + name;
    files_.push_back(path);
    return path;
  }

  std::string Write(const std::string& name, const std::string& contents) {
    std::string path = Path(name);
    std::ofstream out(path, std::ios::binary);
    out.write(contents.data(), contents.size());
    EXPECT_TRUE(out.good());
    return path;
  }

  std::string WriteGz(const std::string& name, const std::string& contents) {
    std::string path = Path(name);
    gzFile gz = gzopen(path.c_str(), "wb");
    EXPECT_NE(gz, nullptr);
    EXPECT_EQ(gzwrite(gz, contents.data(), contents.size()),
              static_cast<int>(contents.size()));
    EXPECT_EQ(gzclose(gz), Z_OK);
    return path;
  }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // Reads every article of `path`, or the first error.
  static absl::StatusOr<std::vector<Article>> ReadAll(
      const std::string& path, const ReaderOptions& options = {}) {
    absl::StatusOr<std::unique_ptr<JsonlReader>> reader =
        JsonlReader::Open(path, options);
    if (!reader.ok()) return reader.status();
    std::vector<Article> articles;
    Article article;
    for (;;) {
      absl::StatusOr<bool> more = (*reader)->Next(&article);
      if (!more.ok()) return more.status();
      if (!*more) return articles;
      articles.push_back(article);
    }
  }

  // The error message of reading `contents` as a file.
  std::string ErrorOf(const std::string& contents) {
    std::string path = Write("bad.jsonl", contents);
    absl::StatusOr<std::vector<Article>> articles = ReadAll(path);
    if (articles.ok()) return "no error";
    EXPECT_EQ(articles.status().code(), absl::StatusCode::kInvalidArgument);
    std::string message(articles.status().message());
    // Strip the directory so that messages compare as "bad.jsonl:N: ...".
    return message.substr(dir_.size() + 1);
  }

  std::string dir_;
  std::vector<std::string> files_;
};

constexpr char kGood[] = R"({"id":"g","text":"fine"})";

TEST_F(JsonlReaderTest, ReadsAllFields) {
  std::string path = Write(
      "a.jsonl",
      R"({"id":"a1","text":"Body one.","title":"T1","source":"example.com",)"
      R"("url":"https://example.com/1","published":"2024-02-29T12:30:00Z"})"
      "\n"
      R"({"text":"Body two.","id":" a2 ","extra":{"nested":[1,2]}})"
      "\n");
  absl::StatusOr<std::vector<Article>> articles = ReadAll(path);
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 2u);
  const Article& a = (*articles)[0];
  EXPECT_EQ(a.id, "a1");
  EXPECT_EQ(a.text, "Body one.");
  EXPECT_EQ(a.title, "T1");
  EXPECT_EQ(a.source, "example.com");
  EXPECT_EQ(a.url, "https://example.com/1");
  ASSERT_TRUE(a.published.has_value());
  EXPECT_EQ(*a.published, 1709209800);
  EXPECT_EQ(a.origin, path + ":1");
  // The second reuses the same Article: absent fields must be reset.
  const Article& b = (*articles)[1];
  EXPECT_EQ(b.id, "a2");
  EXPECT_EQ(b.text, "Body two.");
  EXPECT_EQ(b.title, "");
  EXPECT_EQ(b.source, "");
  EXPECT_EQ(b.url, "");
  EXPECT_FALSE(b.published.has_value());
  EXPECT_EQ(b.origin, path + ":2");
}

TEST_F(JsonlReaderTest, ReaderReportsNameAndLines) {
  std::string path = Write("n.jsonl", std::string(kGood) + "\n\n");
  auto reader = JsonlReader::Open(path, {});
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->name(), path);
  Article article;
  EXPECT_TRUE(*(*reader)->Next(&article));
  EXPECT_EQ((*reader)->lines_read(), 1);
  EXPECT_FALSE(*(*reader)->Next(&article));
  EXPECT_EQ((*reader)->lines_read(), 2);
  EXPECT_FALSE(*(*reader)->Next(&article));  // Stays at the end.
}

TEST_F(JsonlReaderTest, IntegerIdsAndPublished) {
  std::string path = Write(
      "i.jsonl",
      R"({"id":12345,"text":"x","published":1705314600})"
      "\n"
      R"({"id":18446744073709551615,"text":"x","published":-86400})"
      "\n"
      R"({"id":-7,"text":"x","published":"2024-01-15T12:30:00+02:00"})"
      "\n"
      R"({"id":"s","text":"x","published":" 2024-01-15 "})"
      "\n"
      R"({"id":"n","text":"x","published":"","title":null,"url":null})"
      "\n"
      R"({"id":"m","text":"x","published":null})"
      "\n");
  auto articles = ReadAll(path);
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 6u);
  EXPECT_EQ((*articles)[0].id, "12345");
  EXPECT_EQ((*articles)[0].published, 1705314600);
  EXPECT_EQ((*articles)[1].id, "18446744073709551615");
  EXPECT_EQ((*articles)[1].published, -86400);
  EXPECT_EQ((*articles)[2].id, "-7");
  EXPECT_EQ((*articles)[2].published, 1705314600);
  EXPECT_EQ((*articles)[3].published, 1705276800);
  EXPECT_FALSE((*articles)[4].published.has_value());
  EXPECT_FALSE((*articles)[5].published.has_value());
}

TEST_F(JsonlReaderTest, DuplicateFieldFirstWins) {
  std::string path =
      Write("d.jsonl", R"({"id":"first","text":"a","id":"second"})" "\n");
  auto articles = ReadAll(path);
  ASSERT_TRUE(articles.ok()) << articles.status();
  EXPECT_EQ((*articles)[0].id, "first");
}

TEST_F(JsonlReaderTest, FieldMapping) {
  ReaderOptions options;
  options.id_field = "doc_id";
  options.text_field = "body";
  options.title_field = "headline";
  options.source_field = "domain";
  options.url_field = "link";
  options.published_field = "date";
  std::string path = Write(
      "m.jsonl",
      R"({"doc_id":"x","body":"B","headline":"H","domain":"D","link":"L",)"
      R"("date":"1970-01-02","id":"ignored","text":"ignored","title":5})"
      "\n");
  auto articles = ReadAll(path, options);
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 1u);
  EXPECT_EQ((*articles)[0].id, "x");
  EXPECT_EQ((*articles)[0].text, "B");
  EXPECT_EQ((*articles)[0].title, "H");
  EXPECT_EQ((*articles)[0].source, "D");
  EXPECT_EQ((*articles)[0].url, "L");
  EXPECT_EQ((*articles)[0].published, 86400);

  std::string bad = Write("m2.jsonl", R"({"id":"x","body":"B"})" "\n"
                                      R"({"doc_id":"x","body":" "})" "\n"
                                      R"({"doc_id":"x","body":"B","date":"x"})");
  options.skip_bad = true;
  auto reader = JsonlReader::Open(bad, options);
  ASSERT_TRUE(reader.ok());
  Article article;
  EXPECT_FALSE(*(*reader)->Next(&article));
  EXPECT_EQ((*reader)->skipped(),
            (std::map<std::string, int64_t>{
                {"missing field 'doc_id'", 1},
                {"empty field 'body'", 1},
                {"field 'date' is not a valid ISO 8601 date", 1}}));
}

TEST_F(JsonlReaderTest, Gzip) {
  std::string contents;
  for (int i = 0; i < 1000; ++i) {
    absl::StrAppend(&contents, R"({"id":")", i, R"(","text":"text )", i,
                    "\"}\n");
  }
  std::string path = WriteGz("g.jsonl.gz", contents);
  auto articles = ReadAll(path);
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 1000u);
  EXPECT_EQ((*articles)[999].id, "999");
  EXPECT_EQ((*articles)[999].text, "text 999");
  EXPECT_EQ((*articles)[999].origin, path + ":1000");
}

TEST_F(JsonlReaderTest, GzipDetectedByMagic) {
  std::string path = WriteGz("plain_name.jsonl", std::string(kGood) + "\n");
  ASSERT_EQ(Slurp(path).substr(0, 2), "\x1f\x8b");
  auto articles = ReadAll(path);
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 1u);
  EXPECT_EQ((*articles)[0].text, "fine");
}

TEST_F(JsonlReaderTest, GzipConcatenatedMembers) {
  std::string one = Slurp(WriteGz("1.gz", R"({"id":"1","text":"a"})" "\n"));
  std::string two = Slurp(WriteGz("2.gz", R"({"id":"2","text":"b"})"));
  std::string path = Write("both.jsonl.gz", one + two);
  auto articles = ReadAll(path);
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 2u);
  EXPECT_EQ((*articles)[1].id, "2");
}

TEST_F(JsonlReaderTest, GzipEmptyContents) {
  auto articles = ReadAll(WriteGz("empty.jsonl.gz", ""));
  ASSERT_TRUE(articles.ok()) << articles.status();
  EXPECT_TRUE(articles->empty());
}

TEST_F(JsonlReaderTest, TruncatedGzip) {
  std::string contents;
  for (int i = 0; i < 5000; ++i) {
    absl::StrAppend(&contents, R"({"id":")", i, R"(","text":"some text )",
                    i * 7919, "\"}\n");
  }
  std::string gz = Slurp(WriteGz("full.gz", contents));
  for (size_t keep : {gz.size() - 1, gz.size() - 8, gz.size() / 2,
                      size_t{12}}) {
    std::string path = Write("trunc.jsonl.gz", gz.substr(0, keep));
    auto articles = ReadAll(path);
    ASSERT_FALSE(articles.ok()) << "kept " << keep;
    EXPECT_EQ(articles.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(articles.status().message(), path + ": truncated gzip stream")
        << "kept " << keep;
  }
}

TEST_F(JsonlReaderTest, CorruptGzip) {
  std::string contents;
  for (int i = 0; i < 5000; ++i) {
    absl::StrAppend(&contents, R"({"id":")", i, R"(","text":"x"})", "\n");
  }
  std::string gz = Slurp(WriteGz("full.gz", contents));
  // Corrupt the CRC in the trailer, then the deflate data.
  std::string bad_crc = gz;
  bad_crc[gz.size() - 6] ^= 0x55;
  std::string bad_data = gz;
  for (size_t i = 20; i < 60; ++i) bad_data[i] = static_cast<char>(0xff);
  for (const std::string& bytes : {bad_crc, bad_data}) {
    std::string path = Write("corrupt.jsonl.gz", bytes);
    auto articles = ReadAll(path);
    ASSERT_FALSE(articles.ok());
    EXPECT_EQ(articles.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(articles.status().message().rfind(
                  path + ": corrupt gzip stream (", 0),
              0u)
        << articles.status();
  }
}

TEST_F(JsonlReaderTest, GzNameWithoutGzipData) {
  std::string path = Write("plain.jsonl.gz", std::string(kGood) + "\n");
  auto articles = ReadAll(path);
  ASSERT_FALSE(articles.ok());
  EXPECT_EQ(articles.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(articles.status().message(), path + ": not a gzip file");
}

TEST_F(JsonlReaderTest, OpenErrors) {
  std::string missing = dir_ + "/missing.jsonl";
  auto reader = JsonlReader::Open(missing, {});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(reader.status().message().find(missing), std::string::npos);

  reader = JsonlReader::Open(dir_, {});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find(dir_), std::string::npos);
}

// Runs `check` in a child whose standard input is a pipe fed with
// `contents`; returns the child's exit status (0 on success).
int RunWithStdin(const std::string& contents, int (*check)()) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    close(fds[1]);
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    _exit(check());
  }
  close(fds[0]);
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = write(fds[1], contents.data() + done, contents.size() - done);
    if (n <= 0) break;
    done += n;
  }
  close(fds[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

// Expects "-" to hold 3000 articles numbered from 0; exit code says which
// check failed.
int CheckStdin() {
  auto reader = JsonlReader::Open("-", {});
  if (!reader.ok()) return 1;
  if ((*reader)->name() != "<stdin>") return 2;
  Article article;
  for (int i = 0; i < 3000; ++i) {
    absl::StatusOr<bool> more = (*reader)->Next(&article);
    if (!more.ok() || !*more) return 3;
    if (article.id != absl::StrCat(i)) return 4;
    if (article.origin != absl::StrCat("<stdin>:", i + 1)) return 5;
  }
  absl::StatusOr<bool> more = (*reader)->Next(&article);
  if (!more.ok() || *more) return 6;
  return 0;
}

TEST_F(JsonlReaderTest, StdinPlainAndGzip) {
  std::string contents;
  for (int i = 0; i < 3000; ++i) {
    // Long enough to exceed a pipe's buffer.
    absl::StrAppend(&contents, R"({"id":)", i, R"(,"text":")",
                    std::string(100, 'a'), "\"}\n");
  }
  EXPECT_EQ(RunWithStdin(contents, CheckStdin), 0);
  std::string gz = Slurp(WriteGz("stdin.gz", contents));
  EXPECT_EQ(RunWithStdin(gz, CheckStdin), 0);
}

struct BadCase {
  std::string line;
  std::string reason;
};

std::vector<BadCase> BadCases() {
  return {
      {R"({"id":"a","text":)", "not valid JSON"},
      {R"({"id":"a","text":"x"} trailing)", "not valid JSON"},
      {R"({"id":"a","text":"x",})", "not valid JSON"},
      {R"({'id':'a','text':'x'})", "not valid JSON"},
      {R"({"id":"a","text":"bad \q escape"})", "not valid JSON"},
      {R"({"id":"a","text":"lone \ud800 surrogate"})", "not valid JSON"},
      {"\x01\x02\x03junk\x7f\x1b[0m", "not valid JSON"},
      {"\xEF\xBB\xBF" + std::string(kGood), "not valid JSON"},  // BOM mid-file.
      {R"([{"id":"a","text":"x"}])", "not a JSON object"},
      {R"("a string")", "not a JSON object"},
      {"42", "not a JSON object"},
      {"null", "not a JSON object"},
      {R"({"text":"x"})", "missing field 'id'"},
      {R"({"id":null,"text":"x"})", "missing field 'id'"},
      {R"({"ID":"a","text":"x"})", "missing field 'id'"},
      {R"({"id":"a"})", "missing field 'text'"},
      {R"({"id":"a","text":null})", "missing field 'text'"},
      {R"({"id":"","text":"x"})", "empty field 'id'"},
      {R"({"id":" \t ","text":"x"})", "empty field 'id'"},
      {R"({"id":"a","text":""})", "empty field 'text'"},
      {R"({"id":"a","text":" \n\t\r "})", "empty field 'text'"},
      {R"({"id":1.5,"text":"x"})", "field 'id' is not a string or integer"},
      {R"({"id":true,"text":"x"})", "field 'id' is not a string or integer"},
      {R"({"id":["a"],"text":"x"})", "field 'id' is not a string or integer"},
      {R"({"id":"a","text":5})", "field 'text' is not a string"},
      {R"({"id":"a","text":["x"]})", "field 'text' is not a string"},
      {R"({"id":"a","text":"x","title":5})", "field 'title' is not a string"},
      {R"({"id":"a","text":"x","source":[]})",
       "field 'source' is not a string"},
      {R"({"id":"a","text":"x","url":{}})", "field 'url' is not a string"},
      {R"({"id":"a","text":"x","published":"2023-02-29"})",
       "field 'published' is not a valid ISO 8601 date"},
      {R"({"id":"a","text":"x","published":"yesterday"})",
       "field 'published' is not a valid ISO 8601 date"},
      {R"({"id":"a","text":"x","published":"2024-01-15T10:30:00+25:00"})",
       "field 'published' is not a valid ISO 8601 date"},
      {R"({"id":"a","text":"x","published":1.5})",
       "field 'published' is not a string or integer"},
      {R"({"id":"a","text":"x","published":true})",
       "field 'published' is not a string or integer"},
      {R"({"id":"a","text":"x","published":1705314600000})",
       "field 'published' is out of range"},
      {R"({"id":"a","text":"x","published":18446744073709551615})",
       "field 'published' is out of range"},
      {"{\"id\":\"a\",\"text\":\"\xC0\xAF\"}", "invalid UTF-8"},  // Overlong.
      {"{\"id\":\"a\",\"text\":\"\xE0\x80\xAF\"}", "invalid UTF-8"},
      {"{\"id\":\"a\",\"text\":\"\xFF\"}", "invalid UTF-8"},
      {"{\"id\":\"a\",\"text\":\"\xE4\xB8\"}", "invalid UTF-8"},  // Cut.
      {"{\"id\":\"a\",\"text\":\"\xED\xA0\x80\"}", "invalid UTF-8"},
      {"{\"id\":\"a\",\"text\":\"\xF4\x90\x80\x80\"}", "invalid UTF-8"},
      {"\x80\x81\xfe binary", "invalid UTF-8"},
      {std::string("{\"id\":\"a\",\"text\":\"x\0y\"}", 23), "NUL byte"},
      {std::string("\0\0\0", 3), "NUL byte"},
  };
}

TEST_F(JsonlReaderTest, BadLinesFailWithFileAndLine) {
  for (const BadCase& c : BadCases()) {
    EXPECT_EQ(ErrorOf(std::string(kGood) + "\n" + c.line + "\n"),
              "bad.jsonl:2: " + c.reason)
        << c.line;
    // Also as the last line without a newline.
    EXPECT_EQ(ErrorOf(std::string(kGood) + "\n\n" + c.line),
              "bad.jsonl:3: " + c.reason)
        << c.line;
  }
}

TEST_F(JsonlReaderTest, SkipBadCountsAndContinues) {
  std::string contents;
  std::map<std::string, int64_t> expected;
  int line = 0;
  std::vector<std::string> origins;
  for (const BadCase& c : BadCases()) {
    absl::StrAppend(&contents, c.line, "\n", kGood, "\n");
    line += 2;
    ++expected[c.reason];
    origins.push_back(absl::StrCat(":", line));
  }
  std::string path = Write("skip.jsonl", contents);
  ReaderOptions options;
  options.skip_bad = true;
  auto reader = JsonlReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  Article article;
  for (const std::string& origin : origins) {
    absl::StatusOr<bool> more = (*reader)->Next(&article);
    ASSERT_TRUE(more.ok()) << more.status();
    ASSERT_TRUE(*more);
    EXPECT_EQ(article.origin, path + origin);
    EXPECT_EQ(article.id, "g");
  }
  EXPECT_FALSE(*(*reader)->Next(&article));
  EXPECT_EQ((*reader)->skipped(), expected);
  EXPECT_EQ((*reader)->lines_read(), line);
}

TEST_F(JsonlReaderTest, ContinuesAfterBadLineError) {
  std::string path =
      Write("c.jsonl", "nope\n" + std::string(kGood) + "\n");
  auto reader = JsonlReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  Article article;
  absl::StatusOr<bool> more = (*reader)->Next(&article);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().message(), path + ":1: not valid JSON");
  more = (*reader)->Next(&article);
  ASSERT_TRUE(more.ok()) << more.status();
  EXPECT_TRUE(*more);
  EXPECT_EQ(article.origin, path + ":2");
  EXPECT_TRUE((*reader)->skipped().empty());
}

TEST_F(JsonlReaderTest, LastLineWithoutNewline) {
  auto articles = ReadAll(Write(
      "l.jsonl", R"({"id":"1","text":"a"})" "\n" R"({"id":"2","text":"b"})"));
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 2u);
  EXPECT_EQ((*articles)[1].text, "b");
}

TEST_F(JsonlReaderTest, EmptyAndBlankFiles) {
  for (const char* contents : {"", "\n", "  \n\t\n\r\n   ", "\xEF\xBB\xBF"}) {
    auto articles = ReadAll(Write("e.jsonl", contents));
    ASSERT_TRUE(articles.ok()) << articles.status();
    EXPECT_TRUE(articles->empty());
  }
}

TEST_F(JsonlReaderTest, BomCrLfAndBlankLines) {
  std::string path = Write("b.jsonl",
                           "\xEF\xBB\xBF"
                           R"({"id":"1","text":"a"})"
                           "\r\n"
                           "\r\n"
                           "   \t \n"
                           R"({"id":"2","text":"b\r"})"
                           "\r\n"
                           "\n"
                           R"(  {"id":"3","text":"c"}  )"
                           "\r");
  auto articles = ReadAll(path);
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 3u);
  EXPECT_EQ((*articles)[0].id, "1");
  EXPECT_EQ((*articles)[0].origin, path + ":1");
  EXPECT_EQ((*articles)[1].text, "b\r");  // An escaped CR is content.
  EXPECT_EQ((*articles)[1].origin, path + ":4");
  EXPECT_EQ((*articles)[2].id, "3");
  EXPECT_EQ((*articles)[2].origin, path + ":6");
}

TEST_F(JsonlReaderTest, UnicodePassesThrough) {
  const std::string texts[] = {
      "新华社北京1月15日电 国务院总理今天主持召开会议。",
      "قال المتحدث باسم الحكومة إن الاجتماع سيعقد غدا.",
      "Президент подписал указ в понедельник.",
      "Emoji 😀👍🏽🇫🇷 and combining e\xCC\x81 and \xE2\x80\x8B zero width",
  };
  std::string contents;
  for (const std::string& t : texts) {
    absl::StrAppend(&contents, R"({"id":"u","title":")", t, R"(","text":")",
                    t, "\"}\n");
  }
  // Escapes are decoded to UTF-8.
  absl::StrAppend(&contents,
                  R"({"id":"e","text":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/"})",
                  "\n");
  auto articles = ReadAll(Write("u.jsonl", contents));
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 5u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ((*articles)[i].text, texts[i]);
    EXPECT_EQ((*articles)[i].title, texts[i]);
  }
  EXPECT_EQ((*articles)[4].text, "caf\xC3\xA9 \xF0\x9F\x98\x80 \"q\" \\ /");
}

TEST_F(JsonlReaderTest, FiftyMegabyteArticle) {
  const std::string piece = "Слово 字 word ";  // 5*2+1 + 3+1 + 5 bytes.
  std::string text;
  text.reserve(50u << 20);
  while (text.size() < (50u << 20)) text += piece;
  std::string contents = std::string(kGood) + "\n" + R"({"id":"big","text":")" +
                         text + "\"}\n" + kGood + "\n";
  auto articles = ReadAll(Write("big.jsonl", contents));
  contents.clear();
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 3u);
  EXPECT_EQ((*articles)[1].id, "big");
  EXPECT_EQ((*articles)[1].text.size(), text.size());
  EXPECT_TRUE((*articles)[1].text == text);
  EXPECT_EQ((*articles)[2].id, "g");
}

TEST_F(JsonlReaderTest, OneMillionTinyArticles) {
  constexpr int kCount = 1000000;
  std::string contents;
  contents.reserve(kCount * 32);
  for (int i = 0; i < kCount; ++i) {
    absl::StrAppend(&contents, R"({"id":)", i, R"(,"text":"t)", i % 97,
                    "\"}\n");
  }
  std::string path = Write("many.jsonl", contents);
  auto reader = JsonlReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  Article article;
  int n = 0;
  bool ids_in_order = true;
  for (;;) {
    absl::StatusOr<bool> more = (*reader)->Next(&article);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    ids_in_order = ids_in_order && article.id == std::to_string(n) &&
                   article.text == absl::StrCat("t", n % 97);
    ++n;
  }
  EXPECT_EQ(n, kCount);
  EXPECT_TRUE(ids_in_order);
  EXPECT_EQ((*reader)->lines_read(), kCount);
}

}  // namespace
}  // namespace syndex
