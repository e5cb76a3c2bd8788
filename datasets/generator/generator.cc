#include "datasets/generator/generator.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "datasets/generator/generator_internal.h"
#include "datasets/generator/transforms.h"
#include "zlib.h"

namespace syndex {
namespace gen {
namespace {

constexpr const char* kKindNames[kKindCount] = {
    "original", "related", "unrelated", "syndicated", "exact", "excerpt"};
constexpr const char* kMonths[] = {"January", "February", "March",
                                   "April",   "May",      "June",
                                   "July",    "August",   "September",
                                   "October", "November", "December"};

// Minutes since 1970-01-01 of 2023-01-01T00:00Z, where the timeline starts.
constexpr int64_t kEpochMinute = 19358LL * 1440;
// Each block covers this many minutes of news (three days).
constexpr int64_t kBlockMinutes = 3 * 1440;

std::string IsoMinute(int64_t minute) {
  const int64_t days = FloorDiv(minute, 1440);
  const int64_t in_day = minute - days * 1440;
  const CivilDate d = FromDays(days);
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:00Z", d.year, d.month,
                         d.day, in_day / 60, in_day % 60);
}

void AppendJsonString(absl::string_view s, std::string* out) {
  out->push_back('"');
  size_t run = 0;  // Start of the pending run of bytes that need no escape.
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    const char c = s[i];
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      default:
        absl::StrAppendFormat(out, "\\u%04x", u);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

std::string Upper(std::string s) {
  absl::AsciiStrToUpper(&s);
  return s;
}

}  // namespace

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
// civil_from_days).
CivilDate FromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day};
}

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::string Slug(const std::string& title) {
  std::string slug;
  int words = 0;
  for (char c : title) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      slug.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else if (c == ' ' && !slug.empty() && slug.back() != '-') {
      if (++words == 8) break;
      slug.push_back('-');
    }
  }
  return slug;
}

std::string WireDateline(const Story& story, const Outlet& wire) {
  const CivilDate d = FromDays(FloorDiv(story.minute, 1440));
  return absl::StrCat(Upper(story.places[0]), ", ", kMonths[d.month - 1], " ",
                      d.day, " (", wire.name, ") - ");
}

std::string PlaceDateline(const Story& story) {
  return absl::StrCat(Upper(story.places[0]), " - ");
}

const char* KindName(Kind kind) { return kKindNames[static_cast<int>(kind)]; }

absl::StatusOr<std::array<double, kKindCount>> ParseMix(absl::string_view mix) {
  std::array<double, kKindCount> fractions{};
  double total = 0;
  for (absl::string_view item : absl::StrSplit(mix, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(item, absl::MaxSplits('=', 1));
    const absl::string_view key = absl::StripAsciiWhitespace(kv.first);
    int kind = -1;
    for (int k = 0; k < kKindCount; ++k) {
      if (key == kKindNames[k]) kind = k;
    }
    double value = 0;
    if (kind < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--mix: unknown kind \"", key, "\" (expected one of ",
          absl::StrJoin(kKindNames, ", "), ")"));
    }
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(kv.second), &value) ||
        !(value >= 0) || value > 1e9) {
      return absl::InvalidArgumentError(
          absl::StrCat("--mix: bad fraction in \"", item, "\""));
    }
    fractions[kind] = value;
  }
  for (double f : fractions) total += f;
  if (!(total > 0)) {
    return absl::InvalidArgumentError("--mix: all fractions are zero");
  }
  for (double& f : fractions) f /= total;
  return fractions;
}

const char* Generator::TruthHeader() {
  return "id\tcopy_group\tstory\tkind\ttransforms\n";
}

Generator::Generator(const GeneratorOptions& options)
    : options_(options),
      vocab_(options.seed, static_cast<size_t>(options.vocabulary)),
      writer_(&vocab_),
      outlets_(MakeOutlets(options.seed, options.outlets)),
      outlet_zipf_(static_cast<size_t>(options.outlets), 8.0) {
  if (options.web) {
    web_templates_ = MakeWebTemplates(options.seed, outlets_, writer_);
  }
  Rng rng(Mix64(options.seed ^ 0x746f70696373ULL));
  for (int i = 0; i < options.topics; ++i) {
    topics_.push_back(writer_.MakeTopic(rng, i));
  }
  const double lo = Log(options.min_words), hi = Log(options.max_words);
  length_mu_ = (lo + hi) / 2;
  length_sigma_ = (hi - lo) / 5;
}

int Generator::LengthSample(Rng& rng) const {
  const double x = rng.LogNormal(length_mu_, length_sigma_);
  const int64_t words = static_cast<int64_t>(x + 0.5);
  return static_cast<int>(
      std::clamp<int64_t>(words, options_.min_words, options_.max_words));
}

int Generator::RegularOutlet(Rng& rng) const {
  return static_cast<int>(outlet_zipf_.Sample(rng));
}

std::array<int64_t, kKindCount> Generator::BlockCounts(int64_t begin,
                                                       int64_t end) const {
  std::array<int64_t, kKindCount> counts{};
  int64_t sum = 0;
  int largest = 0;
  for (int k = 0; k < kKindCount; ++k) {
    const double f = options_.mix[k];
    counts[k] = static_cast<int64_t>(f * end) - static_cast<int64_t>(f * begin);
    sum += counts[k];
    if (options_.mix[k] > options_.mix[largest]) largest = k;
  }
  counts[largest] += (end - begin) - sum;
  return counts;
}

std::vector<Generator::Doc> Generator::GenerateBlock(
    int64_t block, int64_t size, std::vector<BlockStory>* stories,
    std::vector<WriteUpRec>* writeups) const {
  const int64_t produced = block * kBlockArticles;
  Rng rng(Mix64(options_.seed * 0x9e3779b97f4a7c15ULL + Mix64(block)));
  std::array<int64_t, kKindCount> counts =
      BlockCounts(produced, produced + size);
  int64_t& originals = counts[static_cast<int>(Kind::kOriginal)];
  int64_t copies = counts[static_cast<int>(Kind::kSyndicated)] +
                   counts[static_cast<int>(Kind::kExact)] +
                   counts[static_cast<int>(Kind::kExcerpt)];
  if (copies > 0 && originals == 0) {
    // Copies need something to copy: turn one copy into its original.
    for (int k : {3, 4, 5}) {
      if (counts[k] > 0) {
        --counts[k];
        break;
      }
    }
    --copies;
    originals = 1;
  }

  // Plans the stories and who writes about them.
  const int64_t block_start = kEpochMinute + block * kBlockMinutes;
  auto new_story = [&](bool allow_twin) {
    BlockStory s;
    const int n = static_cast<int>(stories->size());
    if (allow_twin && n > 0 && rng.Bernoulli(0.1)) {
      const int base = static_cast<int>(rng.Uniform(n));
      BlockStory& b = (*stories)[base];
      if (!b.has_twin && b.twin_of < 0) {
        s.twin_of = base;
        b.has_twin = true;
      }
    }
    const int64_t minute = block_start + rng.Range(0, kBlockMinutes - 1);
    if (s.twin_of >= 0) {
      const Story& base = (*stories)[s.twin_of].story;
      const int64_t days = rng.Range(20, 120) * (rng.Bernoulli(0.5) ? 1 : -1);
      s.story = writer_.MakeStory(rng, topics_, base.topic,
                                  base.minute + days * 1440 + rng.Range(0, 1439),
                                  &base);
    } else {
      s.story = writer_.MakeStory(
          rng, topics_, static_cast<int>(rng.Uniform(topics_.size())), minute,
          nullptr);
    }
    stories->push_back(std::move(s));
    return static_cast<int>(stories->size()) - 1;
  };
  auto add_writeup = [&](int story, bool original) {
    WriteUpRec w;
    w.story = story;
    w.planned_original = original;
    ++(*stories)[story].writeups;
    writeups->push_back(std::move(w));
  };
  for (int64_t i = 0; i < originals; ++i) add_writeup(new_story(true), true);
  for (int64_t left = counts[static_cast<int>(Kind::kRelated)]; left > 0;) {
    if (!stories->empty() && (left == 1 || rng.Bernoulli(0.4))) {
      add_writeup(static_cast<int>(rng.Uniform(stories->size())), false);
      --left;
      continue;
    }
    const int story = new_story(true);
    const int64_t n = std::min<int64_t>(left, rng.Range(2, 4));
    for (int64_t j = 0; j < n; ++j) add_writeup(story, false);
    left -= n;
  }
  for (int64_t i = 0; i < counts[static_cast<int>(Kind::kUnrelated)]; ++i) {
    add_writeup(new_story(false), false);
  }

  // Writes the write-ups.
  std::vector<Doc> docs;
  docs.reserve(static_cast<size_t>(size));
  std::vector<std::string> titles;
  std::vector<std::vector<int>> written(options_.web ? stories->size() : 0);
  for (size_t i = 0; i < writeups->size(); ++i) {
    WriteUpRec& w = (*writeups)[i];
    if (options_.web) written[w.story].push_back(static_cast<int>(i));
    if (options_.web && WriteWebVariant(rng, i, *stories, written, writeups)) {
      titles.push_back(w.body.title);
      continue;
    }
    const Story& story = (*stories)[w.story].story;
    std::string dateline;
    if (w.planned_original && rng.Bernoulli(0.7)) {
      w.outlet = options_.outlets + static_cast<int>(rng.Uniform(kWireCount));
      dateline = WireDateline(story, outlets_[w.outlet]);
    } else {
      w.outlet = RegularOutlet(rng);
      if (rng.Bernoulli(0.5)) dateline = PlaceDateline(story);
    }
    w.minute = story.minute +
               (w.planned_original ? rng.Range(0, 240) : rng.Range(20, 2880));
    w.body = writer_.WriteUp(rng, story, LengthSample(rng), options_.max_words,
                             dateline);
    if (options_.web && outlets_[w.outlet].wire) AddWireCopy(rng, story, &w);
    titles.push_back(w.body.title);
  }
  auto any_title = [&]() -> const std::string& {
    return titles[rng.Uniform(titles.size())];
  };
  auto finish = [&](Doc& doc, std::vector<std::string> paragraphs,
                    std::vector<std::string>* transforms) {
    if (options_.web) {
      // Pages are rendered once the block's articles are all known.
      transforms->push_back("chrome");
      doc.body = std::move(paragraphs);
      doc.transforms = absl::StrJoin(*transforms, ",");
      return;
    }
    const std::string& section =
        topics_[(*stories)[doc.story].story.topic].section;
    if (AddChrome(outlets_[doc.outlet], rng, section, any_title(), any_title(),
                  &paragraphs)) {
      transforms->push_back("chrome");
    }
    doc.text = absl::StrJoin(paragraphs, "\n");
    doc.transforms = transforms->empty() ? "-" : absl::StrJoin(*transforms, ",");
  };
  for (size_t i = 0; i < writeups->size(); ++i) {
    WriteUpRec& w = (*writeups)[i];
    Doc doc;
    doc.title = w.body.title;
    doc.minute = w.minute;
    doc.outlet = w.outlet;
    doc.story = w.story;
    doc.writeup = static_cast<int>(i);
    std::vector<std::string> transforms;
    if (!w.web_note.empty()) transforms.push_back(w.web_note);
    finish(doc, w.body.paragraphs, &transforms);
    w.doc = static_cast<int>(docs.size());
    docs.push_back(std::move(doc));
  }

  // Distributes the copies: one per original first, the rest skewed so that
  // a few wire stories are picked up very widely.
  std::vector<int> sources;
  std::vector<double> cumulative;
  double total_weight = 0;
  for (size_t i = 0; i < writeups->size(); ++i) {
    if (!(*writeups)[i].planned_original) continue;
    sources.push_back(static_cast<int>(i));
    const double u = rng.Double();
    total_weight += 1 + 30 * u * u * u;
    cumulative.push_back(total_weight);
  }
  std::vector<Kind> copy_kinds;
  for (Kind k : {Kind::kSyndicated, Kind::kExact, Kind::kExcerpt}) {
    for (int64_t j = 0; j < counts[static_cast<int>(k)]; ++j) {
      copy_kinds.push_back(k);
    }
  }
  for (size_t i = copy_kinds.size(); i > 1; --i) {
    std::swap(copy_kinds[i - 1], copy_kinds[rng.Uniform(i)]);
  }
  for (size_t c = 0; c < copy_kinds.size(); ++c) {
    size_t pick;
    if (c < sources.size()) {
      pick = c;
    } else {
      const double x = rng.Double() * total_weight;
      pick = static_cast<size_t>(
          std::upper_bound(cumulative.begin(), cumulative.end(), x) -
          cumulative.begin());
      if (pick >= sources.size()) pick = sources.size() - 1;
    }
    WriteUpRec& w = (*writeups)[sources[pick]];
    const Story& story = (*stories)[w.story].story;
    ++w.copies;
    Doc doc;
    doc.kind = copy_kinds[c];
    doc.story = w.story;
    doc.writeup = sources[pick];
    doc.outlet = RegularOutlet(rng);
    if (doc.outlet == w.outlet) doc.outlet = RegularOutlet(rng);
    if (doc.outlet == w.outlet && options_.outlets > 1) {
      doc.outlet = (doc.outlet + 1) % options_.outlets;
    }
    if (options_.web && doc.kind == Kind::kExact) {
      doc.outlet = ExactCarrier(rng, w.outlet, doc.outlet);
    }
    if (w.last_copy_minute >= 0 && rng.Bernoulli(0.08)) {
      doc.minute = w.last_copy_minute;  // Same minute as another copy.
    } else {
      doc.minute = w.minute + (rng.Bernoulli(0.5) ? rng.Range(1, 120)
                                                  : rng.Range(121, 4320));
    }
    w.last_copy_minute = doc.minute;

    if (doc.kind == Kind::kExact) {
      doc.title = docs[w.doc].title;
      doc.text = docs[w.doc].text;
      doc.transforms = std::string(1, '-');
      if (options_.web) {
        doc.body = docs[w.doc].body;
        doc.exact_of = w.doc;
      }
      docs.push_back(std::move(doc));
      continue;
    }
    std::vector<std::string> transforms;
    std::vector<std::string> paragraphs;
    if (doc.kind == Kind::kExcerpt) {
      // 20-40% of the source, contiguous, inside the outlet's own text.
      std::vector<std::string> span = w.body.paragraphs;
      int total = 0;
      for (const std::string& p : span) total += CountWords(p);
      const int want = std::max(1, static_cast<int>(total * rng.Double(0.2, 0.4)));
      size_t start = rng.Uniform(span.size());
      int after = 0;
      for (size_t j = start; j < span.size(); ++j) after += CountWords(span[j]);
      while (start > 0 && after < want) after += CountWords(span[--start]);
      span.erase(span.begin(), span.begin() + static_cast<int64_t>(start));
      Truncate(static_cast<double>(want) / after, &span);
      const int host = LengthSample(rng);
      const int host_paragraphs = static_cast<int>(rng.Range(2, 5));
      for (int j = 0; j < host_paragraphs; ++j) {
        paragraphs.push_back(
            writer_.Paragraph(rng, story, std::max(12, host / host_paragraphs)));
      }
      const size_t at = rng.Range(1, 2);
      if (rng.Bernoulli(0.5)) {
        span.insert(span.begin(),
                    absl::StrCat(outlets_[w.outlet].name, " reported:"));
      }
      paragraphs.insert(paragraphs.begin() + static_cast<int64_t>(at),
                        span.begin(), span.end());
      doc.title = writer_.Headline(rng, story);
      transforms.push_back("excerpt");
      if (rng.Bernoulli(0.3)) {
        for (std::string& p : paragraphs) Typographic(&p);
        transforms.push_back("typography");
      }
      finish(doc, std::move(paragraphs), &transforms);
      docs.push_back(std::move(doc));
      continue;
    }

    // A syndicated copy: a mix of edits, each recorded.
    paragraphs = w.body.paragraphs;
    doc.title = w.body.title;
    if (rng.Bernoulli(0.3) && ChangeDateline(rng, &paragraphs[0])) {
      transforms.push_back("dateline");
    }
    if (rng.Bernoulli(0.2) && DropParagraphs(rng, &paragraphs)) {
      transforms.push_back("drop_paragraphs");
    }
    if (rng.Bernoulli(0.1) && ReorderParagraphs(rng, &paragraphs)) {
      transforms.push_back("reorder_paragraphs");
    }
    if (rng.Bernoulli(0.35)) {
      Truncate(rng.Double(0.4, 0.9), &paragraphs);
      transforms.push_back("truncate");
    }
    if (rng.Bernoulli(0.1)) {
      std::string note = EditorsNote(
          rng, story.persons[rng.Uniform(story.persons.size())]);
      if (rng.Bernoulli(0.5)) {
        paragraphs.insert(paragraphs.begin(), std::move(note));
      } else {
        paragraphs.push_back(std::move(note));
      }
      transforms.push_back("editor_note");
    }
    if (rng.Bernoulli(0.6)) {
      doc.title = writer_.Headline(rng, story);
      transforms.push_back("headline");
    }
    if (rng.Bernoulli(0.3)) {
      const double rate = rng.Double(0.005, 0.03);
      for (std::string& p : paragraphs) AddTypos(rng, rate, &p);
      transforms.push_back("typos");
    }
    if (rng.Bernoulli(0.4)) {
      for (std::string& p : paragraphs) Typographic(&p);
      transforms.push_back("typography");
    }
    if (rng.Bernoulli(0.08)) {
      const double rate = rng.Double(0.03, 0.08);
      for (std::string& p : paragraphs) AddOcrNoise(rng, rate, &p);
      transforms.push_back("ocr");
    }
    if (rng.Bernoulli(0.25)) {
      for (std::string& p : paragraphs) Whitespace(rng, &p);
      transforms.push_back("whitespace");
    }
    if (rng.Bernoulli(0.12)) {
      for (std::string& p : paragraphs) HtmlEntities(rng, &p);
      transforms.push_back("html_entities");
    }
    if (transforms.empty() && !options_.web &&
        !outlets_[doc.outlet].has_chrome) {
      // Every syndicated copy differs from its source somehow.
      doc.title = writer_.Headline(rng, story);
      transforms.push_back("headline");
    }
    finish(doc, std::move(paragraphs), &transforms);
    docs.push_back(std::move(doc));
  }

  if (options_.web) RenderWebBlock(rng, *stories, *writeups, &docs);

  // Labels the write-ups by what became of them.
  for (WriteUpRec& w : *writeups) {
    docs[w.doc].kind = w.copies > 0 ? Kind::kOriginal
                       : (*stories)[w.story].writeups > 1 ? Kind::kRelated
                                                          : Kind::kUnrelated;
  }
  for (size_t i = docs.size(); i > 1; --i) {
    std::swap(docs[i - 1], docs[rng.Uniform(i)]);
  }
  return docs;
}

void Generator::WriteBlock(int64_t block, std::string* corpus,
                           std::string* truth) const {
  int64_t article = block * kBlockArticles;
  const int64_t size =
      std::min<int64_t>(kBlockArticles, options_.articles - article);
  std::vector<BlockStory> stories;
  std::vector<WriteUpRec> writeups;
  std::vector<Doc> docs = GenerateBlock(block, size, &stories, &writeups);
  int next_story = 0;
  for (BlockStory& s : stories) {
    if (s.twin_of >= 0) continue;
    s.id = absl::StrFormat("s%05d-%04d", block, next_story++);
    if (s.has_twin) s.id += ".1";
  }
  for (BlockStory& s : stories) {
    if (s.twin_of < 0) continue;
    const std::string& base = stories[s.twin_of].id;
    s.id = absl::StrCat(base.substr(0, base.size() - 2), ".2");
  }
  for (size_t i = 0; i < writeups.size(); ++i) {
    writeups[i].group_id = absl::StrFormat("g%05d-%04d", block, i);
  }
  for (const Doc& doc : docs) {
    const std::string id = absl::StrFormat("a%08d", article++);
    const Outlet& outlet = outlets_[doc.outlet];
    const std::string& section =
        topics_[stories[doc.story].story.topic].section;
    const CivilDate d = FromDays(FloorDiv(doc.minute, 1440));
    const std::string url = absl::StrFormat(
        "https://%s/%s/%04d/%02d/%02d/%s-%s", outlet.domain,
        absl::AsciiStrToLower(section), d.year, d.month, d.day,
        Slug(doc.title), id.substr(1));
    corpus->append("{\"id\":");
    AppendJsonString(id, corpus);
    corpus->append(",\"title\":");
    AppendJsonString(doc.title, corpus);
    corpus->append(",\"source\":");
    AppendJsonString(outlet.domain, corpus);
    corpus->append(",\"url\":");
    AppendJsonString(url, corpus);
    corpus->append(",\"published\":");
    AppendJsonString(IsoMinute(doc.minute), corpus);
    corpus->append(",\"text\":");
    AppendJsonString(doc.text, corpus);
    corpus->append("}\n");
    absl::StrAppend(truth, id, "\t", writeups[doc.writeup].group_id, "\t",
                    stories[doc.story].id, "\t", KindName(doc.kind), "\t",
                    doc.transforms, "\n");
  }
}

Sink::~Sink() { Close().IgnoreError(); }

absl::StatusOr<std::unique_ptr<Sink>> Sink::Open(const std::string& path) {
  std::unique_ptr<Sink> sink(new Sink());
  sink->path_ = path;
  sink->gzip_ = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  if (sink->gzip_) {
    sink->file_ = gzopen(path.c_str(), "wb1");
  } else {
    sink->file_ = std::fopen(path.c_str(), "wb");
  }
  if (sink->file_ == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot open ", path, " for writing: ", std::strerror(errno)));
  }
  return sink;
}

absl::Status Sink::Write(absl::string_view bytes) {
  if (file_ == nullptr) return absl::FailedPreconditionError("sink is closed");
  bool ok;
  if (gzip_) {
    ok = bytes.empty() ||
         gzwrite(static_cast<gzFile>(file_), bytes.data(),
                 static_cast<unsigned>(bytes.size())) ==
             static_cast<int>(bytes.size());
  } else {
    ok = std::fwrite(bytes.data(), 1, bytes.size(),
                     static_cast<FILE*>(file_)) == bytes.size();
  }
  if (!ok) return absl::DataLossError(absl::StrCat("write failed: ", path_));
  return absl::OkStatus();
}

absl::Status Sink::Close() {
  if (file_ == nullptr) return absl::OkStatus();
  const bool ok = gzip_ ? gzclose(static_cast<gzFile>(file_)) == Z_OK
                        : std::fclose(static_cast<FILE*>(file_)) == 0;
  file_ = nullptr;
  if (!ok) return absl::DataLossError(absl::StrCat("close failed: ", path_));
  return absl::OkStatus();
}

}  // namespace gen
}  // namespace syndex
