// The web style of the generator: short wire briefs, follow-ups that reuse
// background paragraphs, agency markup, and the rendering of every page of a
// block with its outlet's template and related-articles list.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "datasets/generator/generator.h"
#include "datasets/generator/generator_internal.h"
#include "datasets/generator/web_page.h"

namespace syndex {
namespace gen {
namespace {

// Shares of write-ups that the web style writes differently.
constexpr double kBriefShare = 0.35;     // Of single write-ups of a story.
constexpr double kWireBriefShare = 0.6;  // Of briefs, filed by a wire.
constexpr double kFollowUpShare = 0.6;   // Of later write-ups of a story.
// Background reused by a follow-up: at most this share of its source's
// words, and at most 1 / kFollowUpRatio of the follow-up's.
constexpr double kBackgroundShare = 0.15;
constexpr int kFollowUpRatio = 5;

int Words(const std::vector<std::string>& paragraphs) {
  int n = 0;
  for (const std::string& p : paragraphs) n += CountWords(p);
  return n;
}

// Picks 1-3 consecutive paragraphs of `source` after its lead (and before a
// credit line) with at most `limit` words; empty if none fit.
std::vector<std::string> Background(Rng& rng,
                                    const std::vector<std::string>& source,
                                    int limit) {
  size_t end = source.size();
  if (end > 0 && !source.back().empty() && source.back()[0] == '(') --end;
  if (end < 2) return {};
  const size_t want = static_cast<size_t>(rng.Range(1, 3));
  for (int attempt = 0; attempt < 6; ++attempt) {
    const size_t start = 1 + rng.Uniform(end - 1);
    size_t k = std::min(want, end - start);
    while (k > 0) {
      int words = 0;
      for (size_t j = start; j < start + k; ++j) words += CountWords(source[j]);
      if (words <= limit) break;
      --k;
    }
    if (k > 0) {
      return std::vector<std::string>(
          source.begin() + static_cast<int64_t>(start),
          source.begin() + static_cast<int64_t>(start + k));
    }
  }
  return {};
}

}  // namespace

bool Generator::WriteWebVariant(Rng& rng, size_t i,
                                const std::vector<BlockStory>& stories,
                                const std::vector<std::vector<int>>& written,
                                std::vector<WriteUpRec>* writeups) const {
  WriteUpRec& w = (*writeups)[i];
  if (w.planned_original) return false;
  const Story& story = stories[w.story].story;
  const std::vector<int>& earlier = written[w.story];

  if (stories[w.story].writeups == 1) {
    if (!rng.Bernoulli(kBriefShare)) return false;
    // A brief of 40-120 words (credit line included).
    std::string dateline;
    if (rng.Bernoulli(kWireBriefShare)) {
      w.outlet = options_.outlets + static_cast<int>(rng.Uniform(kWireCount));
      dateline = WireDateline(story, outlets_[w.outlet]);
    } else {
      w.outlet = RegularOutlet(rng);
      if (rng.Bernoulli(0.5)) dateline = PlaceDateline(story);
    }
    w.minute = story.minute + rng.Range(0, 240);
    const int words = static_cast<int>(rng.Range(40, 110));
    w.body = writer_.WriteUp(rng, story, words, words, dateline);
    if (outlets_[w.outlet].wire && rng.Bernoulli(0.8)) {
      w.body.paragraphs.push_back(
          absl::StrCat("(Reporting by ", writer_.PersonName(rng), ")"));
    }
    w.web_note = "brief";
    return true;
  }

  if (earlier.size() < 2 || !rng.Bernoulli(kFollowUpShare)) return false;
  // A follow-up: a later write-up that repeats background paragraphs of an
  // earlier, different write-up of the story.
  const WriteUpRec& source =
      (*writeups)[earlier[rng.Uniform(earlier.size() - 1)]];
  const std::vector<std::string> background = Background(
      rng, source.body.paragraphs,
      static_cast<int>(Words(source.body.paragraphs) * kBackgroundShare));
  if (background.empty()) return false;
  const int reused = Words(background);
  const int words = std::max(LengthSample(rng), kFollowUpRatio * reused);
  if (words > options_.max_words) return false;
  w.outlet = rng.Bernoulli(0.5) ? source.outlet : RegularOutlet(rng);
  std::string dateline;
  if (outlets_[w.outlet].wire) {
    dateline = WireDateline(story, outlets_[w.outlet]);
  } else if (rng.Bernoulli(0.5)) {
    dateline = PlaceDateline(story);
  }
  w.minute = source.minute + rng.Range(360, 4320);
  w.body = writer_.WriteUp(rng, story, words - reused,
                           options_.max_words - reused, dateline);
  std::vector<std::string>& p = w.body.paragraphs;
  const size_t at = std::min<size_t>(p.size(), rng.Range(1, 3));
  p.insert(p.begin() + static_cast<int64_t>(at), background.begin(),
           background.end());
  w.web_note = "background";
  return true;
}

int Generator::ExactCarrier(Rng& rng, int source, int outlet) const {
  const bool want = web_templates_[source].inline_text;
  for (int tries = 0; tries < 50; ++tries) {
    if (outlet != source && web_templates_[outlet].inline_text == want) break;
    outlet = RegularOutlet(rng);
  }
  return outlet;
}

void Generator::AddWireCopy(Rng& rng, const Story& story, WriteUpRec* w) const {
  if (!rng.Bernoulli(0.7)) return;
  if (AddWireMarkup(rng, outlets_[w->outlet], story, writer_.PersonName(rng),
                    writer_.PersonName(rng), &w->body.paragraphs)) {
    w->web_note = "markup";
  }
}

void Generator::RenderWebBlock(Rng& rng, const std::vector<BlockStory>& stories,
                               const std::vector<WriteUpRec>& writeups,
                               std::vector<Doc>* docs) const {
  std::vector<Doc>& d = *docs;
  // Each outlet's articles of the block, in order of publication.
  std::vector<std::vector<int>> by_outlet(outlets_.size());
  for (size_t i = 0; i < d.size(); ++i) {
    by_outlet[d[i].outlet].push_back(static_cast<int>(i));
  }
  std::vector<size_t> position(d.size());
  for (std::vector<int>& list : by_outlet) {
    std::sort(list.begin(), list.end(), [&](int a, int b) {
      return std::make_pair(d[a].minute, a) < std::make_pair(d[b].minute, b);
    });
    for (size_t k = 0; k < list.size(); ++k) position[list[k]] = k;
  }
  auto page_url = [&](int j) {
    const Doc& doc = d[j];
    const CivilDate date = FromDays(FloorDiv(doc.minute, 1440));
    return absl::StrCat(
        "https://", outlets_[doc.outlet].domain, "/",
        absl::AsciiStrToLower(topics_[stories[doc.story].story.topic].section),
        "/", date.year, "/", date.month, "/", date.day, "/", Slug(doc.title),
        "/");
  };

  for (size_t i = 0; i < d.size(); ++i) {
    Doc& doc = d[i];
    if (doc.exact_of >= 0) continue;
    const WebTemplate& t = web_templates_[doc.outlet];
    const Story& story = stories[doc.story].story;
    WebArticle a;
    a.title = doc.title;
    a.section = topics_[story.topic].section;
    a.url = page_url(static_cast<int>(i));
    a.paragraphs = doc.body;
    const int64_t days = FloorDiv(doc.minute, 1440);
    const CivilDate date = FromDays(days);
    a.year = static_cast<int>(date.year);
    a.month = date.month;
    a.day = date.day;
    a.hour = static_cast<int>((doc.minute - days * 1440) / 60);
    a.minute = static_cast<int>(doc.minute % 60);
    const Outlet& source_outlet = outlets_[writeups[doc.writeup].outlet];
    if (doc.kind == Kind::kSyndicated && source_outlet.wire &&
        rng.Bernoulli(0.6)) {
      a.author = source_outlet.name;
    } else if (!t.authors.empty()) {
      a.author = t.authors[rng.Uniform(t.authors.size())];
    }
    const std::vector<std::string>* pools[] = {&story.places, &story.orgs,
                                               &story.persons};
    const int tags = static_cast<int>(rng.Range(2, 5));
    a.tags.push_back(a.section);
    for (int k = 1; k < tags; ++k) {
      const std::vector<std::string>& pool = *pools[rng.Uniform(3)];
      const std::string& tag = pool[rng.Uniform(pool.size())];
      if (std::find(a.tags.begin(), a.tags.end(), tag) == a.tags.end()) {
        a.tags.push_back(tag);
      }
    }
    for (int k = 0; k < 2; ++k)
      a.headlines.push_back(d[rng.Uniform(d.size())].title);

    // The related list: the outlet's latest articles before this one (a
    // sample of its recent ones for some outlets), after it if too few,
    // then any of the block's; never this write-up's own copies, never
    // exact copies (pages of other outlets), one article per copy group.
    auto usable = [&](int j, const std::vector<int>& taken) {
      if (j == static_cast<int>(i) || d[j].exact_of >= 0 ||
          d[j].writeup == doc.writeup || d[j].title == doc.title) {
        return false;
      }
      for (int k : taken) {
        if (d[k].writeup == d[j].writeup) return false;
      }
      return true;
    };
    const std::vector<int>& mine = by_outlet[doc.outlet];
    const size_t want = static_cast<size_t>(t.related_count);
    const size_t pool = t.related_latest ? want : 2 * want;
    std::vector<int> picked;
    for (size_t k = position[i]; k-- > 0 && picked.size() < pool;) {
      if (usable(mine[k], picked)) picked.push_back(mine[k]);
    }
    for (size_t k = position[i] + 1; k < mine.size() && picked.size() < want;
         ++k) {
      if (usable(mine[k], picked)) picked.push_back(mine[k]);
    }
    for (int tries = 0; picked.size() < want && tries < 100; ++tries) {
      const int j = static_cast<int>(rng.Uniform(d.size()));
      if (usable(j, picked)) picked.push_back(j);
    }
    for (size_t k = picked.size(); k > want; --k) {
      picked.erase(picked.begin() + static_cast<int64_t>(rng.Uniform(k)));
    }
    for (int j : picked) {
      const int body_words = Words(d[j].body);
      const int n = std::max(8, std::min(t.teaser_words, body_words / 2));
      a.related.push_back({d[j].title, FirstWords(d[j].body, n), page_url(j)});
    }

    bool markup = false;
    doc.text = RenderWebPage(t, outlets_[doc.outlet], rng, a, &markup);
    if (markup) doc.transforms += ",markup";
  }
  for (Doc& doc : d) {
    if (doc.exact_of >= 0) doc.text = d[doc.exact_of].text;
  }
}

}  // namespace gen
}  // namespace syndex
