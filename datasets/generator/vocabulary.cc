#include "datasets/generator/vocabulary.h"

#include <string>
#include <unordered_set>
#include <vector>

#include "absl/strings/str_split.h"

namespace syndex {
namespace gen {
namespace {

// Roughly in order of frequency in English news text.
constexpr const char kFunctionWords[] =
    "the of and to a in that is for on was with he it as at by his said from "
    "be has have are an but not this which who were had they their been its "
    "will would after also one there or more than about when she her we up "
    "all new two into out over can could last year other some if first them "
    "what no so just while before only most under between because our then "
    "where did such these three many since against during through both may "
    "any each those being should now very while how even back down off well "
    "much still made way according told says make like people time years "
    "week day today on around another him us you your me my do does done "
    "get got going go went come came take took see saw know knew think "
    "thought say want wanted need needed here again never always often "
    "already yet also though although until unless whether without within "
    "across among toward towards upon onto above below behind beyond near "
    "next per via including included despite however therefore meanwhile "
    "instead rather quite almost nearly perhaps maybe about around least "
    "less few fewer several every either neither nor whose whom why "
    "something nothing everything anything someone anyone everyone nobody "
    "whole same own such must might shall ought used use using become "
    "became becoming seem seemed seems remain remained remains began begin "
    "begins continue continued expected early later late former latter "
    "whose those these this that then than thus hence yes further second "
    "third four five six ten hundred thousand million billion half once "
    "twice usually really certainly clearly likely unlikely particularly "
    "especially mostly mainly largely partly fully entirely simply soon "
    "far long high low big small large great good bad little own able "
    "part set put give gave given keep kept let left right far away "
    "along amid beside besides except inside outside throughout till "
    "whereas whenever wherever whatever whichever whoever why tonight "
    "tomorrow yesterday recently currently previously officials "
    "public local national government group company city state country "
    "number percent cent point plan report statement spokesman spokeswoman";

std::vector<std::string> BuildFunctionWords() {
  std::vector<std::string> words;
  std::unordered_set<std::string> seen;
  for (absl::string_view w :
       absl::StrSplit(kFunctionWords, ' ', absl::SkipEmpty())) {
    std::string s(w);
    if (seen.insert(s).second) words.push_back(s);
  }
  return words;
}

constexpr const char* kOnsets[] = {
    "b",  "c",  "d",  "f",  "g",  "h",  "j",  "k",  "l",  "m",  "n",
    "p",  "r",  "s",  "t",  "v",  "w",  "z",  "br", "cr", "dr", "fr",
    "gr", "pr", "tr", "bl", "cl", "fl", "gl", "pl", "sl", "st", "sh",
    "ch", "th", "sp", "sk", "sn", "sm", "qu", "wr", "str", "",  ""};
constexpr const char* kVowels[] = {"a",  "e",  "i",  "o",  "u",  "a",
                                   "e",  "o",  "ai", "ea", "ou", "io",
                                   "ee", "oo", "y",  "ie", "au"};
constexpr const char* kCodas[] = {"",  "",   "",   "",   "",   "n",  "r",
                                  "s", "l",  "m",  "t",  "nd", "st", "rt",
                                  "ck", "ng", "x", "ld", "nt", "sh", "th"};

template <size_t N>
const char* Pick(Rng& rng, const char* const (&items)[N]) {
  return items[rng.Uniform(N)];
}

}  // namespace

const std::vector<std::string>& FunctionWords() {
  static const std::vector<std::string>* const words =
      new std::vector<std::string>(BuildFunctionWords());
  return *words;
}

std::string PseudoWord(Rng& rng, int syllables) {
  std::string word;
  for (int i = 0; i < syllables; ++i) {
    word += Pick(rng, kOnsets);
    word += Pick(rng, kVowels);
    // Codas mostly at the end, so inner syllables stay open and pronounceable.
    if (i + 1 == syllables || rng.Bernoulli(0.25)) word += Pick(rng, kCodas);
  }
  return word;
}

void Capitalize(std::string& word) {
  for (char& c : word) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
      return;
    }
  }
}

namespace {

void BuildWords(uint64_t seed, size_t size, std::string* blob,
                std::vector<uint32_t>* offsets) {
  Rng rng(Mix64(seed ^ 0x766f636162756c61ULL));
  std::unordered_set<std::string> seen(FunctionWords().begin(),
                                       FunctionWords().end());
  offsets->assign(1, 0);
  while (offsets->size() <= size) {
    // Frequent ranks get short words, rare ranks long ones.
    const size_t rank = offsets->size() - 1;
    const double r = rng.Double();
    const int syllables = rank < 1000    ? (r < 0.7 ? 1 : 2)
                          : rank < 10000 ? (r < 0.2 ? 1 : r < 0.85 ? 2 : 3)
                                         : (r < 0.6 ? 2 : 3);
    std::string w = PseudoWord(rng, syllables);
    if (w.size() < 2 || w.size() > 12) continue;
    if (!seen.insert(w).second) continue;
    blob->append(w);
    offsets->push_back(static_cast<uint32_t>(blob->size()));
  }
}

}  // namespace

Vocabulary::Vocabulary(uint64_t seed, size_t size)
    : word_zipf_(size, 2.7),
      function_zipf_(FunctionWords().size(), 1.5) {
  BuildWords(seed, size, &blob_, &offsets_);
}

}  // namespace gen
}  // namespace syndex
