#include "datasets/generator/story.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace syndex {
namespace gen {
namespace {

constexpr const char* kSections[] = {
    "World",    "Business", "Politics",    "Sport",     "Science",
    "Technology", "Health", "Environment", "Culture",   "Economy",
    "Weather",  "Europe",   "Asia",        "Africa",    "Americas",
    "Markets",  "Energy",   "Transport",   "Education", "Crime"};

constexpr const char* kOrgNouns[] = {
    "Port Authority",   "Ministry of Finance", "Central Bank",
    "Football Club",    "Space Agency",        "Fire Service",
    "Regional Council", "Water Board",         "University",
    "Workers' Union",   "Electric Company",    "Holdings",
    "Institute",        "Chamber of Commerce", "Police",
    "Shipping Group",   "Health Trust",        "Rail Company",
    "Airways",          "Mining Corporation",  "& Partners",
    "Energy & Water"};

constexpr const char* kRoles[] = {
    "a spokesperson for the ", "the head of the ", "a senior official at the ",
    "chief executive of the ", "who chairs the ",  "an adviser to the ",
    "a director at the ",      "a lawyer for the "};

constexpr const char* kPlaceForms[] = {"", "", "", "Port ", "North ", "San "};
constexpr const char* kPlaceSuffixes[] = {"",      "",       "",       "",
                                          " Bay",  " Valley", "ford",  "burg",
                                          "ton",   " Heights", "mouth", " City"};

template <size_t N>
const char* Pick(Rng& rng, const char* const (&items)[N]) {
  return items[rng.Uniform(N)];
}

std::string MakeNumber(Rng& rng) {
  switch (rng.Uniform(6)) {
    case 0:
      return absl::StrCat(rng.Range(1, 99), ",", rng.Range(100, 999));
    case 1:
      return absl::StrCat(rng.Range(0, 12), ".", rng.Range(1, 9), " per cent");
    case 2:
      return absl::StrCat("$", rng.Range(2, 950), " million");
    case 3:
      return absl::StrCat(rng.Range(12, 900), " people");
    case 4:
      return absl::StrCat(rng.Range(3, 400), " kilometres");
    default:
      return absl::StrCat(rng.Range(2, 60), " days");
  }
}

}  // namespace

int CountWords(absl::string_view text) {
  int count = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++count;
    in_word = !space;
  }
  return count;
}

Topic StoryWriter::MakeTopic(Rng& rng, int index) const {
  Topic topic;
  topic.section = kSections[static_cast<size_t>(index) %
                            (sizeof(kSections) / sizeof(kSections[0]))];
  const uint64_t lo = 150, hi = vocab_->size() / 4;
  for (int i = 0; i < 150; ++i) {
    topic.words.push_back(static_cast<uint32_t>(lo + rng.Uniform(hi - lo)));
  }
  return topic;
}

std::string StoryWriter::PersonName(Rng& rng) const {
  std::string first = PseudoWord(rng, 2);
  std::string last = PseudoWord(rng, 2 + static_cast<int>(rng.Uniform(2)));
  Capitalize(first);
  Capitalize(last);
  return absl::StrCat(first, " ", last);
}

std::string StoryWriter::PlaceName(Rng& rng) const {
  std::string core = PseudoWord(rng, 2 + static_cast<int>(rng.Uniform(2)));
  Capitalize(core);
  return absl::StrCat(Pick(rng, kPlaceForms), core, Pick(rng, kPlaceSuffixes));
}

Story StoryWriter::MakeStory(Rng& rng, const std::vector<Topic>& topics,
                             int topic, int64_t minute,
                             const Story* lookalike) const {
  Story story;
  story.topic = topic;
  story.minute = minute;
  const int places = static_cast<int>(rng.Range(1, 3));
  for (int i = 0; i < places; ++i) story.places.push_back(PlaceName(rng));
  const int orgs = static_cast<int>(rng.Range(1, 3));
  for (int i = 0; i < orgs; ++i) {
    story.orgs.push_back(absl::StrCat(
        story.places[rng.Uniform(story.places.size())], " ", Pick(rng, kOrgNouns)));
  }
  const int persons = static_cast<int>(rng.Range(2, 5));
  for (int i = 0; i < persons; ++i) {
    story.persons.push_back(PersonName(rng));
    story.roles.push_back(absl::StrCat(
        Pick(rng, kRoles), story.orgs[rng.Uniform(story.orgs.size())]));
  }
  const int numbers = static_cast<int>(rng.Range(3, 5));
  for (int i = 0; i < numbers; ++i) story.numbers.push_back(MakeNumber(rng));
  if (lookalike != nullptr) {
    story.words = lookalike->words;
  } else {
    const std::vector<uint32_t>& pool = topics[topic].words;
    for (int i = 0; i < 35; ++i) {
      story.words.push_back(pool[rng.Uniform(pool.size())]);
    }
    const uint64_t lo = vocab_->size() / 3;
    for (int i = 0; i < 8; ++i) {
      story.words.push_back(
          static_cast<uint32_t>(lo + rng.Uniform(vocab_->size() - lo)));
    }
  }
  return story;
}

int StoryWriter::AppendEntity(Rng& rng, const Story& story,
                              std::string* out) const {
  const size_t start = out->size();
  const double r = rng.Double();
  bool possessive_ok = false;
  if (r < 0.35) {
    const std::string& name = story.persons[rng.Uniform(story.persons.size())];
    if (rng.Bernoulli(0.5)) {
      out->append(name);
    } else {
      out->append(name, name.find(' ') + 1);
    }
    possessive_ok = true;
  } else if (r < 0.65) {
    out->append(story.places[rng.Uniform(story.places.size())]);
  } else if (r < 0.85) {
    out->append("the ");
    out->append(story.orgs[rng.Uniform(story.orgs.size())]);
    possessive_ok = true;
  } else {
    out->append(story.numbers[rng.Uniform(story.numbers.size())]);
  }
  if (possessive_ok && rng.Bernoulli(0.08)) out->append("'s");
  int words = 1;
  for (size_t i = start; i < out->size(); ++i) words += (*out)[i] == ' ';
  return words;
}

int StoryWriter::AppendClause(Rng& rng, const Story& story, int words,
                              bool capitalize, std::string* out) const {
  const size_t start = out->size();
  int count = 0;
  for (int i = 0; i < words; ++i) {
    // One draw decides both the comma (low bits) and the kind of word.
    const uint64_t bits = rng.Next();
    if (i > 0) {
      if ((bits & 31) == 0 && i + 1 < words) out->push_back(',');
      out->push_back(' ');
    }
    const double r = static_cast<double>(bits >> 11) * 0x1.0p-53;
    if (r < 0.46) {
      Append(out, vocab_->SampleFunctionWord(rng));
      ++count;
    } else if (r < 0.63) {
      Append(out, vocab_->word(story.words[rng.Uniform(story.words.size())]));
      ++count;
    } else if (r < 0.69) {
      count += AppendEntity(rng, story, out);
    } else {
      Append(out, vocab_->SampleWord(rng));
      ++count;
    }
  }
  if (capitalize && out->size() > start) {
    char& c = (*out)[start];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return count;
}

int StoryWriter::AppendSentence(Rng& rng, const Story& story,
                                std::string* out) const {
  if (rng.Bernoulli(0.13)) {
    const size_t who = rng.Uniform(story.persons.size());
    out->push_back('"');
    const int words =
        AppendClause(rng, story, static_cast<int>(rng.Range(8, 20)), true, out);
    const size_t tail = out->size();
    absl::StrAppend(out, ",\" said ", story.persons[who], ", ",
                    story.roles[who], ".");
    return words + CountWords(absl::string_view(*out).substr(tail));
  }
  const int words =
      AppendClause(rng, story, static_cast<int>(rng.Range(9, 28)), true, out);
  out->push_back('.');
  return words;
}

std::string StoryWriter::Paragraph(Rng& rng, const Story& story,
                                   int words) const {
  std::string paragraph;
  int count = 0;
  while (count < words) {
    if (!paragraph.empty()) paragraph.push_back(' ');
    count += AppendSentence(rng, story, &paragraph);
  }
  return paragraph;
}

std::string StoryWriter::Headline(Rng& rng, const Story& story) const {
  std::string title;
  const int words = static_cast<int>(rng.Range(6, 11));
  for (int i = 0; i < words; ++i) {
    if (i > 0) title.push_back(' ');
    const double r = rng.Double();
    if (r < 0.3) {
      Append(&title, vocab_->SampleFunctionWord(rng));
    } else if (r < 0.65 || i == 0) {
      Append(&title, vocab_->word(story.words[rng.Uniform(story.words.size())]));
    } else if (r < 0.85) {
      AppendEntity(rng, story, &title);
    } else {
      Append(&title, vocab_->SampleWord(rng));
    }
  }
  Capitalize(title);
  return title;
}

Body StoryWriter::WriteUp(Rng& rng, const Story& story, int words,
                          int max_words, const std::string& dateline) const {
  Body body;
  body.title = Headline(rng, story);
  int count = 0;
  while (count < words) {
    std::string paragraph =
        body.paragraphs.empty() ? dateline : std::string();
    const int sentences = static_cast<int>(rng.Range(1, 3));
    for (int i = 0; i < sentences && count < words; ++i) {
      if (!paragraph.empty() && paragraph.back() != ' ') paragraph.push_back(' ');
      count += AppendSentence(rng, story, &paragraph);
    }
    if (body.paragraphs.empty()) count += CountWords(dateline);
    body.paragraphs.push_back(std::move(paragraph));
  }
  // The last sentence may overshoot: cut the last paragraph to fit.
  while (count > max_words && !body.paragraphs.empty()) {
    std::string& last = body.paragraphs.back();
    const int last_words = CountWords(last);
    const int keep = last_words - (count - max_words);
    if (keep <= 0) {
      count -= last_words;
      body.paragraphs.pop_back();
      continue;
    }
    int seen = 0;
    size_t cut = 0;
    bool in_word = false;
    for (size_t i = 0; i < last.size(); ++i) {
      const bool space = last[i] == ' ';
      if (!space && !in_word && ++seen > keep) {
        cut = i;
        break;
      }
      in_word = !space;
    }
    if (cut > 0) {
      last.resize(cut);
      while (!last.empty() && (last.back() == ' ' || last.back() == ',')) {
        last.pop_back();
      }
      last.push_back('.');
    }
    count = max_words;
  }
  return body;
}

}  // namespace gen
}  // namespace syndex
