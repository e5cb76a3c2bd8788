#include "datasets/generator/outlet.h"

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "datasets/generator/vocabulary.h"

namespace syndex {
namespace gen {
namespace {

constexpr const char* kMastheads[] = {
    "Post",     "Herald",   "Times",      "Courier", "Gazette",  "Observer",
    "Chronicle", "Daily",   "Tribune",    "Journal", "Star",     "Record",
    "Express",  "Sentinel", "Independent", "News",   "Today",    "Standard",
    "Mirror",   "Ledger",   "Dispatch",   "Examiner", "Bulletin", "Telegraph"};
constexpr const char* kTlds[] = {".com", ".com",   ".com",  ".net",
                                 ".co.uk", ".org", ".news", ".com.au",
                                 ".ca",  ".ie",    ".co.nz", ".in"};
constexpr const char* kWires[] = {
    "Meridian Press", "Continental News Service", "Atlas Wire",
    "Northstar News Agency", "Harbourline Press"};
constexpr const char* kBreadcrumbs[] = {
    "Home / World / ", "Home > News > ", "Home » ", "You are here: Home / ",
    "News | ", "Home / News / "};
constexpr const char* kReadMore[] = {"Read more:", "READ MORE:", "Also read:",
                                     "Related:", "RELATED:", "See also:"};
constexpr const char* kShares[] = {
    "Share this: Facebook Twitter WhatsApp",
    "Share on Facebook Share on Twitter Email",
    "Facebook Twitter LinkedIn Email Print",
    "Share: Facebook | X | WhatsApp | Telegram",
    "Share this article"};
constexpr const char* kComments[] = {"Comments are closed.", "Leave a comment",
                                     "Join the conversation",
                                     "Comments (0)"};

template <size_t N>
const char* Pick(Rng& rng, const char* const (&items)[N]) {
  return items[rng.Uniform(N)];
}

std::string DomainOf(const std::string& name) {
  std::string domain;
  for (char c : name) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      domain.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  return domain;
}

std::string Newsletter(Rng& rng, const std::string& name) {
  switch (rng.Uniform(5)) {
    case 0:
      return "Sign up for our newsletter";
    case 1:
      return absl::StrCat("Sign up for the ", name, " morning briefing");
    case 2:
      return "Get the latest headlines delivered to your inbox. Subscribe now.";
    case 3:
      return absl::StrCat("Subscribe to ", name, " for unlimited access");
    default:
      return "Don't miss a story: join our free newsletter";
  }
}

Outlet MakeChromeOutlet(Rng& rng, std::string name, std::string domain) {
  Outlet o;
  o.name = std::move(name);
  o.domain = std::move(domain);
  o.has_chrome = rng.Bernoulli(0.8);
  if (!o.has_chrome) return o;
  if (rng.Bernoulli(0.85)) o.breadcrumb = Pick(rng, kBreadcrumbs);
  if (rng.Bernoulli(0.3)) o.header.push_back(absl::StrCat(o.name, " | Live"));
  if (rng.Bernoulli(0.6)) o.read_more = Pick(rng, kReadMore);
  o.check_also = rng.Bernoulli(0.5);
  if (rng.Bernoulli(0.7)) o.footer.push_back(Pick(rng, kShares));
  if (rng.Bernoulli(0.6)) o.footer.push_back(Newsletter(rng, o.name));
  if (rng.Bernoulli(0.3)) o.footer.push_back(Pick(rng, kComments));
  if (rng.Bernoulli(0.5)) {
    o.footer.push_back(absl::StrCat("\xC2\xA9 ", o.name, ". All rights reserved."));
  }
  // Every chrome outlet has at least one fixed line.
  if (o.breadcrumb.empty() && o.footer.empty()) o.footer.push_back(kShares[0]);
  return o;
}

}  // namespace

std::vector<Outlet> MakeOutlets(uint64_t seed, int count) {
  Rng rng(Mix64(seed ^ 0x6f75746c657473ULL));
  std::vector<Outlet> outlets;
  std::unordered_set<std::string> domains;
  while (static_cast<int>(outlets.size()) < count) {
    std::string place = PseudoWord(rng, 2 + static_cast<int>(rng.Uniform(2)));
    Capitalize(place);
    std::string name = absl::StrCat(rng.Bernoulli(0.4) ? "The " : "", place,
                                    " ", Pick(rng, kMastheads));
    std::string domain = absl::StrCat(DomainOf(name), Pick(rng, kTlds));
    if (!domains.insert(domain).second) continue;
    outlets.push_back(MakeChromeOutlet(rng, std::move(name), std::move(domain)));
  }
  for (const char* wire : kWires) {
    Outlet o;
    o.name = wire;
    o.domain = absl::StrCat(DomainOf(wire), ".net");
    o.wire = true;
    outlets.push_back(std::move(o));
  }
  return outlets;
}

bool AddChrome(const Outlet& outlet, Rng& rng, const std::string& section,
               const std::string& other_headline,
               const std::string& another_headline,
               std::vector<std::string>* paragraphs) {
  if (!outlet.has_chrome) return false;
  std::vector<std::string> out;
  out.reserve(paragraphs->size() + 8);
  if (!outlet.breadcrumb.empty()) {
    out.push_back(absl::StrCat(outlet.breadcrumb, section));
  }
  for (const std::string& line : outlet.header) out.push_back(line);
  const size_t read_more_at =
      paragraphs->size() > 3 ? 2 + rng.Uniform(paragraphs->size() - 3)
                             : paragraphs->size();
  for (size_t i = 0; i < paragraphs->size(); ++i) {
    if (i == read_more_at && !outlet.read_more.empty()) {
      out.push_back(absl::StrCat(outlet.read_more, " ", other_headline));
    }
    out.push_back(std::move((*paragraphs)[i]));
  }
  if (outlet.check_also) {
    out.push_back("Check Also");
    out.push_back(another_headline);
  }
  for (const std::string& line : outlet.footer) out.push_back(line);
  *paragraphs = std::move(out);
  return true;
}

}  // namespace gen
}  // namespace syndex
