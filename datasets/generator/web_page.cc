#include "datasets/generator/web_page.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "datasets/generator/vocabulary.h"

namespace syndex {
namespace gen {
namespace {

constexpr const char* kMonths[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kLinkTexts[] = {"the full report", "a statement",
                                      "the official figures", "here",
                                      "the announcement"};

std::string LongDate(const WebArticle& a) {
  return absl::StrCat(kMonths[a.month - 1], " ", a.day, ", ", a.year);
}

std::string Clock(const WebArticle& a) {
  return absl::StrFormat("%02d:%02d", a.hour, a.minute);
}

std::string Byline(const WebTemplate& t, Rng& rng, const WebArticle& a) {
  int words = 0;
  for (const std::string& p : a.paragraphs) words += CountWords(p);
  const int read_minutes = words / 200 + 1;
  switch (t.byline_style) {
    case 0:
      return absl::StrCat("By ", a.author, " | ", LongDate(a), " | ",
                          read_minutes, " min read");
    case 1:
      return absl::StrCat("By ", absl::AsciiStrToUpper(a.author),
                          ", Staff Writer Published ", LongDate(a), " ",
                          Clock(a), " Updated ", Clock(a));
    case 2:
      return absl::StrFormat("%s %02d/%02d/%04d %d minute read", a.author,
                             a.day, a.month, a.year, read_minutes);
    case 3:
      return absl::StrCat("Posted by ", a.author, " on ", LongDate(a), " at ",
                          Clock(a));
    case 4:
      return absl::StrFormat("Written by %s - %04d-%02d-%02d %s GMT", a.author,
                             a.year, a.month, a.day, Clock(a));
    default:
      return absl::StrCat(LongDate(a), " / ", a.author, " / ",
                          rng.Range(0, 250), " Comments");
  }
}

std::string ShareBar(const WebTemplate& t, const WebArticle& a) {
  if (!t.share_links) return t.share;
  const std::string encoded =
      absl::StrReplaceAll(a.url, {{":", "%3A"}, {"/", "%2F"}});
  std::vector<std::string> out;
  for (absl::string_view label : absl::StrSplit(t.share, ' ')) {
    const std::string l(label);
    if (l == "Facebook" || l == "Twitter" || l == "LinkedIn" || l == "Reddit") {
      out.push_back(Link(
          t.markup,
          absl::StrCat("https://share.", absl::AsciiStrToLower(l), ".com/?u=",
                       encoded, "&utm_source=", absl::AsciiStrToLower(l),
                       "&utm_medium=social&utm_campaign=share"),
          l));
    } else {
      out.push_back(l);
    }
  }
  return absl::StrJoin(out, " ");
}

// Quotes and apostrophes (straight or typographic) as numeric entities,
// ampersands as &amp; and a few non-breaking spaces.
void BodyEntities(Rng& rng, std::string* text) {
  std::string out;
  out.reserve(text->size() + 64);
  bool open = true;
  for (size_t i = 0; i < text->size(); ++i) {
    const char c = (*text)[i];
    const absl::string_view rest = absl::string_view(*text).substr(i);
    if (c == '\'' || absl::StartsWith(rest, "\xE2\x80\x99")) {
      out += "&#8217;";
      if (c != '\'') i += 2;
    } else if (c == '"' || absl::StartsWith(rest, "\xE2\x80\x9C") ||
               absl::StartsWith(rest, "\xE2\x80\x9D")) {
      out += open ? "&#8220;" : "&#8221;";
      open = !open;
      if (c != '"') i += 2;
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == ' ' && rng.Bernoulli(0.01)) {
      out += "&nbsp;";
    } else {
      out.push_back(c);
    }
  }
  *text = std::move(out);
}

// HTML remnants in the body as the outlet's CMS leaves them. True if any.
bool BodyMarkup(const WebTemplate& t, Rng& rng, const Outlet& o,
                const WebArticle& a, std::vector<std::string>* paragraphs) {
  bool changed = false;
  if (t.body_link_rate > 0 && paragraphs->size() > 1 &&
      rng.Bernoulli(t.body_link_rate)) {
    std::string host = PseudoWord(rng, 3);
    const std::string url = absl::StrCat(
        "https://www.", host, rng.Bernoulli(0.5) ? ".org" : ".gov", "/news/",
        rng.Range(1000, 99999), "?utm_source=", o.domain,
        "&utm_medium=referral&utm_campaign=", absl::AsciiStrToLower(a.section));
    std::string& p = (*paragraphs)[1 + rng.Uniform(paragraphs->size() - 1)];
    if (t.markup == Markup::kNone) {
      absl::StrAppend(&p, " (", url, ")");
    } else {
      absl::StrAppend(&p, " Read ",
                      Link(t.markup, url, kLinkTexts[rng.Uniform(5)]), ".");
    }
    changed = true;
  }
  if (t.body_entities) {
    for (std::string& p : *paragraphs) BodyEntities(rng, &p);
    changed = true;
  }
  if (t.body_paragraph_tags && !paragraphs->empty()) {
    for (std::string& p : *paragraphs) p = absl::StrCat("<p>", p, "</p>");
    paragraphs->front().insert(0, "<div class=\"entry-content\">");
    paragraphs->back().append("</div>");
    changed = true;
  }
  return changed;
}

std::string RelatedEntry(const WebTemplate& t, const Teaser& r) {
  const std::string title =
      t.related_link ? Link(t.markup,
                            absl::StrCat(r.url,
                                         "?utm_source=related&utm_"
                                         "medium=web&utm_campaign=recirc"),
                            r.title)
                     : r.title;
  return absl::StrCat(title, " ", r.text, t.teaser_end);
}

std::string ChromeEntities(const std::string& s) {
  return absl::StrReplaceAll(s, {{"'", "&#8217;"},
                                 {" & ", " &amp; "},
                                 {"\xC2\xBB", "&raquo;"},
                                 {" | ", "&nbsp;|&nbsp;"}});
}

}  // namespace

std::string FirstWords(const std::vector<std::string>& paragraphs, int words) {
  std::string out;
  int n = 0;
  for (const std::string& p : paragraphs) {
    for (absl::string_view w : absl::StrSplit(p, ' ', absl::SkipEmpty())) {
      if (n++ == words) return out;
      if (!out.empty()) out.push_back(' ');
      Append(&out, w);
    }
  }
  return out;
}

std::string RenderWebPage(const WebTemplate& t, const Outlet& o, Rng& rng,
                          const WebArticle& a, bool* markup) {
  std::vector<std::string> body = a.paragraphs;
  *markup = BodyMarkup(t, rng, o, a, &body);
  // Chrome blocks; `is_body` marks the body paragraphs, which keep their own
  // text.
  std::vector<std::pair<std::string, bool>> blocks;
  auto chrome = [&](std::string s) {
    if (!s.empty()) blocks.emplace_back(std::move(s), false);
  };
  if (t.cookie_top) chrome(t.cookie);
  chrome(t.nav);
  if (!t.breadcrumb.empty()) {
    chrome(absl::StrCat(t.breadcrumb, a.section,
                        t.breadcrumb_title ? " / " + a.title : ""));
  }
  if (t.title_in_text) chrome(a.title);
  if (t.byline_style >= 0) chrome(Byline(t, rng, a));
  if (t.share_top) chrome(ShareBar(t, a));
  // Scattering outlets put an advert, an inline link and the newsletter
  // prompt between body paragraphs; others a single inline link.
  std::vector<std::string> inside;
  size_t headline = 0;
  if (!t.read_more.empty() && !a.headlines.empty()) {
    inside.push_back(absl::StrCat(
        t.read_more, " ", a.headlines[headline++ % a.headlines.size()]));
  }
  if (t.scatter) {
    inside.push_back(t.advert);
    if (!t.newsletter.empty()) inside.push_back(t.newsletter);
    if (!a.headlines.empty()) {
      inside.push_back(absl::StrCat(
          "Check Also ", a.headlines[headline++ % a.headlines.size()]));
    }
  }
  std::vector<size_t> slots(body.size(), 0);  // Chrome before paragraph i.
  for (size_t k = 0; k < inside.size() && body.size() > 2; ++k) {
    slots[1 + rng.Uniform(body.size() - 1)]++;
  }
  size_t next = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    for (size_t k = 0; k < slots[i]; ++k) chrome(inside[next++]);
    blocks.emplace_back(std::move(body[i]), true);
  }
  if (!t.tags_label.empty() && !a.tags.empty()) {
    chrome(absl::StrCat(t.tags_label, " ", absl::StrJoin(a.tags, ", ")));
  }
  if (!t.share_top) chrome(ShareBar(t, a));
  if (!t.short_link.empty()) {
    std::string code;
    for (int i = 0; i < 7; ++i) {
      code.push_back("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
                         [rng.Uniform(56)]);
    }
    chrome(absl::StrCat(t.short_link, " https://", o.domain, "/s/", code));
  }
  if (!t.scatter) chrome(t.newsletter);
  chrome(t.comment_policy);
  chrome(t.paywall);
  if (!t.cookie_top) chrome(t.cookie);
  chrome(t.related_label);
  for (const Teaser& r : a.related) chrome(RelatedEntry(t, r));
  chrome(t.footer);

  std::string text;
  for (auto& [block, is_body] : blocks) {
    if (!text.empty()) text.push_back(t.inline_text ? ' ' : '\n');
    if (!is_body && t.entities) block = ChromeEntities(block);
    text += block;
  }
  return text;
}

bool AddWireMarkup(Rng& rng, const Outlet& wire, const Story& story,
                   const std::string& reporter, const std::string& editor,
                   std::vector<std::string>* paragraphs) {
  bool changed = false;
  for (std::string& p : *paragraphs) {
    const std::string& org = story.orgs[0];
    const size_t at = p.find(org);
    if (at == std::string::npos) continue;
    std::string ticker;
    for (char c : org) {
      if (absl::ascii_isalpha(static_cast<unsigned char>(c)) &&
          ticker.size() < 4) {
        ticker.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
      }
    }
    absl::StrAppend(&ticker, rng.Bernoulli(0.5) ? ".N" : ".L");
    p.insert(
        at + org.size(),
        absl::StrCat(" &lt;", ticker, "&gt; &lt;A HREF=\"http://www.investor.",
                     wire.domain, "/FullQuote.aspx?ticker=", ticker,
                     "\" target=/stocks/quickinfo/fullquote\"&gt;", ticker,
                     "&lt;/A&gt;"));
    changed = true;
    break;
  }
  if (rng.Bernoulli(0.8)) {
    paragraphs->push_back(
        absl::StrCat("(Reporting by ", reporter, "; Editing by ", editor, ")"));
    changed = true;
  }
  return changed;
}

}  // namespace gen
}  // namespace syndex
