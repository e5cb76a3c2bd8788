#ifndef SYNDEX_DATASETS_GENERATOR_WEB_OUTLET_H_
#define SYNDEX_DATASETS_GENERATOR_WEB_OUTLET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/generator/outlet.h"
#include "datasets/generator/random.h"
#include "datasets/generator/story.h"

namespace syndex {
namespace gen {

// How links survive in an outlet's extracted text.
enum class Markup {
  kNone,     // Link labels only.
  kTags,     // <a href="...">label</a>
  kEscaped,  // &lt;a href=&quot;...&quot;&gt;label&lt;/a&gt;
};

// The page template of one outlet in the web style (--style web): what a
// scraper's text extraction leaves of the outlet's site around an article.
// Fixed per outlet, so the same chrome recurs on all its articles; the
// variable parts (section, author, date, read time, tags, linked articles,
// per-article URLs) are filled in when a page is rendered (web_page.h).
// An empty string means the outlet has no such element.
struct WebTemplate {
  bool inline_text = false;  // The whole page on one line (no '\n').
  bool scatter = false;      // Chrome between body paragraphs too.
  bool title_in_text = false;
  Markup markup = Markup::kNone;     // Links in chrome and body.
  bool entities = false;             // &amp; &nbsp; &#8217; in chrome.
  bool body_paragraph_tags = false;  // <p>...</p> left around body paragraphs.
  bool body_entities = false;        // Quotes and apostrophes as entities.
  double body_link_rate = 0;         // Chance of a tracking link inside a body.
  bool cookie_top = false;
  std::string cookie;      // Cookie notice (shared wording across outlets).
  std::string nav;         // Menu: a run of short capitalised items.
  std::string breadcrumb;  // Prefix before the section, "Home / News / ".
  bool breadcrumb_title = false;  // The breadcrumb ends with the headline.
  int byline_style = -1;          // -1: none.
  std::vector<std::string> authors;
  bool share_top = false;
  bool share_links = false;  // Share buttons carry the article's URL.
  std::string share;         // Share bar labels, space separated.
  std::string short_link;    // "Copy link", followed by a per-article URL.
  std::string newsletter;
  std::string comment_policy;
  std::string paywall;
  std::string tags_label;  // "Tags:", "Topics:", ...
  std::string read_more;   // Inline "READ MORE:" label with a headline.
  std::string advert;      // Scattered advert line.
  std::string related_label;
  int related_count = 3;       // 3..6 linked articles.
  int teaser_words = 20;       // 20..40 words of each linked article.
  bool related_latest = true;  // The latest articles, else a sample of them.
  bool related_link = false;   // Linked headlines (with a tracking URL).
  std::string teaser_end;      // "...", " Read More »", ...
  std::string footer;          // 30..120 words.
};

// One template per outlet in `outlets` (wires included), from `seed` alone.
// At least 40% of the outlets (rounded up) write inline text.
std::vector<WebTemplate> MakeWebTemplates(uint64_t seed,
                                          const std::vector<Outlet>& outlets,
                                          const StoryWriter& writer);

// A link in `markup` style; kNone gives `label` alone.
std::string Link(Markup markup, const std::string& url,
                 const std::string& label);

}  // namespace gen
}  // namespace syndex

#endif  // SYNDEX_DATASETS_GENERATOR_WEB_OUTLET_H_
