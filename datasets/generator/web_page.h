#ifndef SYNDEX_DATASETS_GENERATOR_WEB_PAGE_H_
#define SYNDEX_DATASETS_GENERATOR_WEB_PAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/generator/outlet.h"
#include "datasets/generator/random.h"
#include "datasets/generator/story.h"
#include "datasets/generator/web_outlet.h"

namespace syndex {
namespace gen {

// Another article of the outlet, as its related-articles list shows it.
struct Teaser {
  std::string title;
  std::string text;  // The first words of its body.
  std::string url;
};

// What varies from page to page of one outlet.
struct WebArticle {
  std::string title;
  std::string section;
  std::string url;
  std::vector<std::string> paragraphs;  // The body, without chrome.
  int year = 2023, month = 1, day = 1, hour = 0, minute = 0;
  std::string author;  // Byline name.
  std::vector<std::string> tags;
  std::vector<Teaser> related;         // The related-articles list.
  std::vector<std::string> headlines;  // Other headlines for inline links.
};

// The text a scraper extracts from `article`'s page at outlet `o` with
// template `t`: chrome blocks around (and, for scattering outlets, inside)
// the body, one block a line, or all on one line for inline outlets. Adds
// body markup per the template; sets *markup to whether it did.
std::string RenderWebPage(const WebTemplate& t, const Outlet& o, Rng& rng,
                          const WebArticle& article, bool* markup);

// The first `words` words of `paragraphs` (joined by spaces).
std::string FirstWords(const std::vector<std::string>& paragraphs, int words);

// Wire copy as agencies file it: an escaped ticker link after a company
// name ("&lt;A HREF=...FullQuote.aspx?ticker=...&gt;") and a reporting
// credit line naming `reporter` and `editor`. Returns false if it added
// nothing.
bool AddWireMarkup(Rng& rng, const Outlet& wire, const Story& story,
                   const std::string& reporter, const std::string& editor,
                   std::vector<std::string>* paragraphs);

}  // namespace gen
}  // namespace syndex

#endif  // SYNDEX_DATASETS_GENERATOR_WEB_PAGE_H_
