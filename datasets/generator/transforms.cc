#include "datasets/generator/transforms.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "datasets/generator/story.h"

namespace syndex {
namespace gen {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsLetter(char c) { return IsLower(c) || (c >= 'A' && c <= 'Z'); }

// Mutates one ASCII word in place.
void Misspell(Rng& rng, std::string* word) {
  if (word->size() < 3) return;
  const size_t i = 1 + rng.Uniform(word->size() - 2);
  if (!IsLetter((*word)[i]) || !IsLetter((*word)[i - 1])) return;
  switch (rng.Uniform(4)) {
    case 0:
      std::swap((*word)[i], (*word)[i - 1]);
      break;
    case 1:
      word->erase(i, 1);
      break;
    case 2:
      word->insert(i, 1, (*word)[i]);
      break;
    default:
      (*word)[i] = static_cast<char>('a' + rng.Uniform(26));
      break;
  }
}

}  // namespace

void Truncate(double fraction, std::vector<std::string>* paragraphs) {
  int total = 0;
  for (const std::string& p : *paragraphs) total += CountWords(p);
  int keep = static_cast<int>(total * fraction);
  if (keep < 1) keep = 1;
  std::vector<std::string> out;
  for (std::string& p : *paragraphs) {
    const int words = CountWords(p);
    if (words <= keep) {
      keep -= words;
      out.push_back(std::move(p));
      if (keep == 0) break;
      continue;
    }
    int seen = 0;
    bool in_word = false;
    for (size_t i = 0; i < p.size(); ++i) {
      const bool space = p[i] == ' ';
      if (!space && !in_word && ++seen > keep) {
        p.resize(i);
        break;
      }
      in_word = !space;
    }
    while (!p.empty() && p.back() == ' ') p.pop_back();
    out.push_back(std::move(p));
    break;
  }
  *paragraphs = std::move(out);
}

bool DropParagraphs(Rng& rng, std::vector<std::string>* paragraphs) {
  if (paragraphs->size() < 4) return false;
  const int drops = static_cast<int>(rng.Range(1, 2));
  for (int i = 0; i < drops && paragraphs->size() > 3; ++i) {
    paragraphs->erase(paragraphs->begin() + 1 +
                      rng.Uniform(paragraphs->size() - 1));
  }
  return true;
}

bool ReorderParagraphs(Rng& rng, std::vector<std::string>* paragraphs) {
  if (paragraphs->size() < 3) return false;
  const size_t i = 1 + rng.Uniform(paragraphs->size() - 2);
  std::swap((*paragraphs)[i], (*paragraphs)[i + 1]);
  return true;
}

void AddTypos(Rng& rng, double rate, std::string* text) {
  std::string out;
  out.reserve(text->size() + 16);
  std::string word;
  auto flush = [&] {
    if (!word.empty() && rng.Bernoulli(rate)) Misspell(rng, &word);
    out += word;
    word.clear();
  };
  for (char c : *text) {
    if (c == ' ') {
      flush();
      out.push_back(c);
    } else {
      word.push_back(c);
    }
  }
  flush();
  *text = std::move(out);
}

void AddOcrNoise(Rng& rng, double rate, std::string* text) {
  std::string out;
  out.reserve(text->size() + text->size() / 16);
  for (char c : *text) {
    if (static_cast<unsigned char>(c) >= 0x80 || !rng.Bernoulli(rate)) {
      out.push_back(c);
      continue;
    }
    switch (c) {
      case 'm': out += "rn"; break;
      case 'l': out.push_back(rng.Bernoulli(0.5) ? '1' : 'I'); break;
      case 'o': out.push_back('0'); break;
      case 'O': out.push_back('0'); break;
      case 'e': out.push_back('c'); break;
      case 'i': out.push_back('l'); break;
      case 'h': out.push_back('b'); break;
      case 'n': out.push_back('u'); break;
      case 'a': out.push_back('o'); break;
      case 'S': out.push_back('5'); break;
      case 'B': out.push_back('8'); break;
      case ' ': break;  // Two words run together.
      case ',': out.push_back('.'); break;
      case '.': out.push_back(','); break;
      default:
        if (IsLower(c)) {
          out.push_back(static_cast<char>('a' + rng.Uniform(26)));
        } else {
          out.push_back(c);
        }
    }
  }
  *text = std::move(out);
}

void Typographic(std::string* text) {
  std::string out;
  out.reserve(text->size() + 32);
  bool open = true;
  for (size_t i = 0; i < text->size(); ++i) {
    const char c = (*text)[i];
    if (c == '"') {
      out += open ? "\xE2\x80\x9C" : "\xE2\x80\x9D";
      open = !open;
    } else if (c == '\'') {
      out += "\xE2\x80\x99";
    } else if (c == '-' && i > 0 && i + 1 < text->size() &&
               (*text)[i - 1] == ' ' && (*text)[i + 1] == ' ') {
      out += "\xE2\x80\x94";
    } else {
      out.push_back(c);
    }
  }
  *text = std::move(out);
}

void HtmlEntities(Rng& rng, std::string* text) {
  std::string out;
  out.reserve(text->size() + 64);
  for (size_t i = 0; i < text->size(); ++i) {
    const char c = (*text)[i];
    if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&#39;";
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

void Whitespace(Rng& rng, std::string* text) {
  std::string out;
  out.reserve(text->size() + 64);
  for (char c : *text) {
    out.push_back(c);
    if (c == ' ' && rng.Bernoulli(0.03)) out.push_back(' ');
  }
  if (rng.Bernoulli(0.5)) out.push_back(' ');
  *text = std::move(out);
}

bool ChangeDateline(Rng& rng, std::string* paragraph) {
  const size_t dash = paragraph->find(" - ");
  if (dash == std::string::npos || dash > 80) return false;
  const std::string head = paragraph->substr(0, dash);
  const std::string rest = paragraph->substr(dash + 3);
  const size_t comma = head.find(',');
  const size_t paren = head.find(" (");
  switch (rng.Uniform(3)) {
    case 0:  // Drop the agency credit.
      if (paren != std::string::npos) {
        *paragraph = absl::StrCat(head.substr(0, paren), " - ", rest);
        return true;
      }
      [[fallthrough]];
    case 1:  // Drop the date, keep the place.
      if (comma != std::string::npos) {
        *paragraph = absl::StrCat(head.substr(0, comma), " - ", rest);
        return true;
      }
      [[fallthrough]];
    default:  // Drop the dateline.
      *paragraph = rest;
      return true;
  }
}

std::string EditorsNote(Rng& rng, const std::string& name) {
  switch (rng.Uniform(3)) {
    case 0:
      return absl::StrCat(
          "Editor's note: This story has been updated to correct the spelling "
          "of ", name, "'s name.");
    case 1:
      return "Editor's note: An earlier version of this article misstated a "
             "figure. It has been corrected.";
    default:
      return absl::StrCat("Editor's note: This article was updated with a "
                          "statement from ", name, ".");
  }
}

}  // namespace gen
}  // namespace syndex
