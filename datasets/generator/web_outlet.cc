#include "datasets/generator/web_outlet.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "datasets/generator/vocabulary.h"

namespace syndex {
namespace gen {
namespace {

template <size_t N>
const char* Pick(Rng& rng, const char* const (&items)[N]) {
  return items[rng.Uniform(N)];
}

// All of `items` in a random order.
template <size_t N>
std::vector<std::string> Shuffled(Rng& rng, const char* const (&items)[N]) {
  std::vector<std::string> out(items, items + N);
  for (size_t i = N; i > 1; --i) std::swap(out[i - 1], out[rng.Uniform(i)]);
  return out;
}

// Wording that real sites share: many outlets carry the same cookie,
// comment and paywall texts (CMS and consent-platform defaults).
constexpr const char* kCookies[] = {
    "We use cookies to ensure that we give you the best experience on our "
    "website. If you continue to use this site we will assume that you are "
    "happy with it. Ok Privacy policy",
    "This website uses cookies to improve your experience. We'll assume "
    "you're ok with this, but you can opt-out if you wish. Accept Read More",
    "We and our partners use cookies and similar technologies to personalise "
    "content and ads, to provide social media features and to analyse our "
    "traffic. By clicking Accept all, you consent to our use of cookies. "
    "Manage preferences Accept all",
    "By continuing to browse the site you are agreeing to our use of "
    "cookies. Find out more here.",
    "Cookies help us deliver our services. By using our services, you agree "
    "to our use of cookies. Learn more Got it"};
constexpr const char* kCommentPolicies[] = {
    "Comments are moderated. We reserve the right to remove comments that "
    "are off-topic, abusive or that break our community guidelines. Please "
    "keep the conversation civil.",
    "Leave a Reply Cancel reply Your email address will not be published. "
    "Required fields are marked * Comment Name * Email * Website Save my "
    "name, email, and website in this browser for the next time I comment.",
    "Join the conversation. Commenting is a privilege, not a right. Please "
    "read our community guidelines before posting. Comments close after 48 "
    "hours.",
    "Comments (0) Be the first to comment. You must be logged in to post a "
    "comment. Log in or register.",
    "Comments are closed."};
constexpr const char* kPaywalls[] = {
    "You have reached your limit of free articles this month. Already a "
    "subscriber? Log in. Subscribe now for full access.",
    "This article is for subscribers only. Support independent journalism: "
    "subscribe today and get your first three months for $1.",
    "Subscribe to continue reading. Unlimited digital access for just $1 a "
    "week. Cancel anytime."};
constexpr const char* kMenuItems[] = {
    "Home",    "News",       "World",   "Business", "Sport",    "Opinion",
    "Culture", "Lifestyle",  "Video",   "Podcasts", "Politics", "Science",
    "Health",  "Travel",     "Weather", "Money",    "Property", "Motoring",
    "Puzzles", "Obituaries", "Local",   "Tech",     "Climate",  "Education",
    "Food",    "Books",      "Music",   "Film",     "Photos",   "Live"};
constexpr const char* kFooterLinks[] = {"About Us",
                                        "Contact Us",
                                        "Advertise",
                                        "Careers",
                                        "Privacy Policy",
                                        "Terms of Use",
                                        "Cookie Policy",
                                        "Sitemap",
                                        "Archives",
                                        "RSS Feeds",
                                        "Newsletters",
                                        "Corrections",
                                        "Ethics Policy",
                                        "Accessibility",
                                        "Help Centre",
                                        "Syndication",
                                        "Licensing",
                                        "Press Releases",
                                        "Classifieds",
                                        "Jobs",
                                        "Events",
                                        "Manage Cookies",
                                        "Our Team",
                                        "Complaints",
                                        "Do Not Sell My Personal Information",
                                        "Editorial Standards",
                                        "Submit a News Tip",
                                        "Subscriptions",
                                        "E-Edition",
                                        "Reprints"};
constexpr const char* kShareLabels[] = {"Facebook", "Twitter",  "WhatsApp",
                                        "LinkedIn", "Email",    "Print",
                                        "Reddit",   "Telegram", "Pinterest"};
constexpr const char* kShareLeads[] = {
    "Share this:", "Share", "SHARE", "Share this article", "Share on", ""};
constexpr const char* kBreadcrumbs[] = {
    "Home / News / ",        "Home > News > ", "Home » ",
    "You are here: Home / ", "News | ",        "Home / "};
constexpr const char* kTagLabels[] = {
    "Tags:", "Topics:", "Filed under:", "TAGS", "Related topics:"};
constexpr const char* kReadMore[] = {"READ MORE:", "Read more:", "Also read:",
                                     "RELATED:",   "See also:",  "Don't miss:"};
constexpr const char* kAdverts[] = {
    "Advertisement - scroll to continue reading",
    "ADVERTISEMENT - CONTINUE READING BELOW",
    "Story continues below this advertisement",
    "Article continues after this ad", "The article continues below"};
constexpr const char* kTeaserEnds[] = {
    "...", "\xE2\x80\xA6", " [...]", " Read More \xC2\xBB", " Continue reading",
    ""};
constexpr const char* kStreets[] = {"High",    "Market", "Church", "Station",
                                    "Harbour", "Mill",   "Bridge", "King"};

std::string Newsletter(Rng& rng, const Outlet& o, const std::string& url) {
  switch (rng.Uniform(5)) {
    case 0:
      return absl::StrCat(
          "Sign up for our newsletter: the day's top stories "
          "in your inbox every morning. ",
          url);
    case 1:
      return absl::StrCat("Sign up for the ", o.name,
                          " morning briefing. Enter your email address "
                          "Subscribe. By signing up you agree to our privacy "
                          "policy.");
    case 2:
      return "Get the latest headlines delivered to your inbox. Subscribe "
             "now. You can unsubscribe at any time.";
    case 3:
      return absl::StrCat("Subscribe to ", o.name,
                          " for unlimited access to our journalism. ", url);
    default:
      return "Don't miss a story: join our free newsletter and get breaking "
             "news alerts.";
  }
}

std::string Nav(Rng& rng) {
  std::vector<std::string> items;
  if (rng.Bernoulli(0.4)) items.push_back("Skip to content");
  if (rng.Bernoulli(0.5)) items.push_back("Menu Search");
  const std::vector<std::string> menu = Shuffled(rng, kMenuItems);
  items.insert(items.end(), menu.begin(), menu.begin() + rng.Range(5, 14));
  if (rng.Bernoulli(0.5)) items.push_back("Subscribe Log in");
  return absl::StrJoin(items, " ");
}

std::string LinkSlug(const std::string& label) {
  std::string slug;
  for (char c : label) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      slug.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
  }
  return slug;
}

// A footer of exactly `words` whitespace-separated tokens: fixed sentences
// about the outlet, then links to site pages.
std::string Footer(Rng& rng, const Outlet& o, const StoryWriter& writer,
                   const WebTemplate& t, int words) {
  const std::string name = o.name;
  std::string copyright = t.entities ? "&copy;" : "\xC2\xA9";
  std::vector<std::string> sentences = {
      absl::StrCat(copyright, " ", rng.Range(2019, 2023), " ", name,
                   ". All rights reserved."),
      "This material may not be published, broadcast, rewritten or "
      "redistributed.",
      absl::StrCat(name, " is published by ", writer.PlaceName(rng),
                   " Media Group Ltd, registered in England and Wales No. ",
                   rng.Range(1000000, 9999999), ". Registered office: ",
                   rng.Range(1, 240), " ", Pick(rng, kStreets), " Street, ",
                   writer.PlaceName(rng), "."),
      absl::StrCat(name,
                   " abides by the Editors' Code of Practice. If you have a "
                   "complaint about editorial content, contact the editor."),
      "Follow us on Facebook, Twitter, Instagram and YouTube.",
  };
  if (o.wire) {
    sentences.push_back(
        "All quotes delayed a minimum of 15 minutes. See here for a complete "
        "list of exchanges and delays.");
  }
  for (size_t i = sentences.size(); i > 1; --i) {
    std::swap(sentences[i - 1], sentences[rng.Uniform(i)]);
  }
  std::vector<std::string> tokens;
  for (const std::string& s : sentences) {
    const std::vector<std::string> more =
        absl::StrSplit(s, ' ', absl::SkipEmpty());
    if (tokens.size() + more.size() > static_cast<size_t>(words) - 2) continue;
    if (rng.Bernoulli(0.3)) continue;
    tokens.insert(tokens.end(), more.begin(), more.end());
  }
  // Site links fill the footer up to `words` tokens; a link may be cut short
  // (a truncated link list is what extraction often leaves).
  const std::string base = absl::StrCat("https://", o.domain, "/");
  const std::vector<std::string> links = Shuffled(rng, kFooterLinks);
  for (size_t i = 0; tokens.size() < static_cast<size_t>(words); ++i) {
    const std::string& label = links[i % links.size()];
    const std::string link =
        Link(t.markup, absl::StrCat(base, LinkSlug(label), "/"), label);
    for (absl::string_view token :
         absl::StrSplit(link, ' ', absl::SkipEmpty())) {
      if (tokens.size() < static_cast<size_t>(words))
        tokens.emplace_back(token);
    }
  }
  std::string footer = absl::StrJoin(tokens, " ");
  if (t.entities) {
    footer =
        absl::StrReplaceAll(footer, {{"'", "&#8217;"}, {" & ", " &amp; "}});
  }
  return footer;
}

std::string Share(Rng& rng) {
  std::vector<std::string> labels;
  const std::string lead = Pick(rng, kShareLeads);
  if (!lead.empty()) labels.push_back(lead);
  const std::vector<std::string> share = Shuffled(rng, kShareLabels);
  labels.insert(labels.end(), share.begin(), share.begin() + rng.Range(3, 6));
  return absl::StrJoin(labels, " ");
}

WebTemplate MakeTemplate(Rng& rng, const Outlet& o, const StoryWriter& writer) {
  WebTemplate t;
  t.scatter = rng.Bernoulli(0.35);
  t.title_in_text = rng.Bernoulli(0.5);
  const double m = rng.Double();
  t.markup = m < 0.45  ? Markup::kNone
             : m < 0.8 ? Markup::kTags
                       : Markup::kEscaped;
  t.entities = rng.Bernoulli(0.3);
  t.body_paragraph_tags = rng.Bernoulli(0.15);
  t.body_entities = rng.Bernoulli(0.2);
  t.body_link_rate = rng.Bernoulli(0.5) ? rng.Double(0.05, 0.4) : 0;
  const std::string site = absl::StrCat("https://www.", o.domain, "/");
  if (rng.Bernoulli(0.5)) {
    t.cookie = Pick(rng, kCookies);
    t.cookie_top = rng.Bernoulli(0.5);
  }
  if (rng.Bernoulli(0.7)) t.nav = Nav(rng);
  if (rng.Bernoulli(0.7)) {
    t.breadcrumb = Pick(rng, kBreadcrumbs);
    t.breadcrumb_title = rng.Bernoulli(0.5);
  }
  if (rng.Bernoulli(0.85)) {
    t.byline_style = static_cast<int>(rng.Uniform(6));
    const int authors = static_cast<int>(rng.Range(3, 12));
    for (int i = 0; i < authors; ++i)
      t.authors.push_back(writer.PersonName(rng));
  }
  if (rng.Bernoulli(0.8)) {
    t.share = Share(rng);
    t.share_top = rng.Bernoulli(0.4);
    t.share_links = t.markup != Markup::kNone && rng.Bernoulli(0.6);
  }
  if (rng.Bernoulli(0.25)) t.short_link = "Copy link";
  if (rng.Bernoulli(0.6)) {
    t.newsletter = Newsletter(
        rng, o,
        absl::StrCat(site,
                     "newsletters/?utm_source=article&utm_medium=inline"
                     "&utm_campaign=signup"));
  }
  if (rng.Bernoulli(0.45)) {
    t.comment_policy = rng.Bernoulli(0.2)
                           ? absl::StrCat(o.name,
                                          " welcomes reader comments. Comments "
                                          "are reviewed before publication "
                                          "and must relate to the article.")
                           : Pick(rng, kCommentPolicies);
  }
  if (rng.Bernoulli(0.25)) t.paywall = Pick(rng, kPaywalls);
  if (rng.Bernoulli(0.5)) t.tags_label = Pick(rng, kTagLabels);
  if (rng.Bernoulli(0.5)) t.read_more = Pick(rng, kReadMore);
  if (t.scatter) t.advert = Pick(rng, kAdverts);
  switch (rng.Uniform(6)) {
    case 0:
      t.related_label = "Related posts";
      break;
    case 1:
      t.related_label = "Check Also";
      break;
    case 2:
      t.related_label = absl::StrCat("More from ", o.name);
      break;
    case 3:
      t.related_label = "You may also like";
      break;
    case 4:
      t.related_label = "RELATED ARTICLES";
      break;
    default:
      t.related_label = "Latest News";
      break;
  }
  t.related_count = static_cast<int>(rng.Range(3, 6));
  t.teaser_words = static_cast<int>(rng.Range(20, 40));
  t.related_latest = rng.Bernoulli(0.6);
  t.related_link = t.markup != Markup::kNone && rng.Bernoulli(0.7);
  t.teaser_end = Pick(rng, kTeaserEnds);
  t.footer = Footer(rng, o, writer, t, static_cast<int>(rng.Range(30, 120)));
  return t;
}

}  // namespace

std::string Link(Markup markup, const std::string& url,
                 const std::string& label) {
  switch (markup) {
    case Markup::kTags:
      return absl::StrCat("<a href=\"", url, "\">", label, "</a>");
    case Markup::kEscaped:
      return absl::StrCat("&lt;a href=&quot;", url, "&quot;&gt;", label,
                          "&lt;/a&gt;");
    default:
      return label;
  }
}

std::vector<WebTemplate> MakeWebTemplates(uint64_t seed,
                                          const std::vector<Outlet>& outlets,
                                          const StoryWriter& writer) {
  Rng rng(Mix64(seed ^ 0x7765626d6978ULL));
  std::vector<WebTemplate> templates;
  templates.reserve(outlets.size());
  for (const Outlet& o : outlets)
    templates.push_back(MakeTemplate(rng, o, writer));
  // Exactly ceil(40%) of the outlets, chosen at random, write inline.
  std::vector<size_t> order(outlets.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (size_t i = order.size(); i > 1; --i) {
    std::swap(order[i - 1], order[rng.Uniform(i)]);
  }
  const size_t inline_count = (order.size() * 2 + 4) / 5;
  for (size_t i = 0; i < inline_count; ++i)
    templates[order[i]].inline_text = true;
  return templates;
}

}  // namespace gen
}  // namespace syndex
