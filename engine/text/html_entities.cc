#include "engine/text/html_entities.h"

#include <array>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"

namespace syndex {
namespace {

struct NamedEntity {
  const char* name;
  char32_t code_point;
};

// The named references decoded (case-sensitive, ';' required). Those of
// Latin-1 U+00A0..U+00FF are in kLatin1Entities below.
constexpr NamedEntity kNamedEntities[] = {
    {"quot", 0x22},     {"amp", 0x26},      {"apos", 0x27},
    {"lt", 0x3C},       {"gt", 0x3E},       {"OElig", 0x152},
    {"oelig", 0x153},   {"Scaron", 0x160},  {"scaron", 0x161},
    {"Yuml", 0x178},    {"fnof", 0x192},    {"circ", 0x2C6},
    {"tilde", 0x2DC},   {"thetasym", 0x3D1}, {"upsih", 0x3D2},
    {"piv", 0x3D6},     {"ensp", 0x2002},   {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"zwnj", 0x200C},   {"zwj", 0x200D},
    {"lrm", 0x200E},    {"rlm", 0x200F},    {"hyphen", 0x2010},
    {"dash", 0x2010},   {"ndash", 0x2013},  {"mdash", 0x2014},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"sbquo", 0x201A},
    {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"bdquo", 0x201E},
    {"dagger", 0x2020}, {"Dagger", 0x2021}, {"bull", 0x2022},
    {"bullet", 0x2022}, {"hellip", 0x2026}, {"permil", 0x2030},
    {"prime", 0x2032},  {"Prime", 0x2033},  {"lsaquo", 0x2039},
    {"rsaquo", 0x203A}, {"oline", 0x203E},  {"frasl", 0x2044},
    {"euro", 0x20AC},   {"image", 0x2111},  {"weierp", 0x2118},
    {"real", 0x211C},   {"trade", 0x2122},  {"alefsym", 0x2135},
    {"larr", 0x2190},   {"uarr", 0x2191},   {"rarr", 0x2192},
    {"darr", 0x2193},   {"harr", 0x2194},   {"crarr", 0x21B5},
    {"lArr", 0x21D0},   {"uArr", 0x21D1},   {"rArr", 0x21D2},
    {"dArr", 0x21D3},   {"hArr", 0x21D4},   {"forall", 0x2200},
    {"part", 0x2202},   {"exist", 0x2203},  {"empty", 0x2205},
    {"nabla", 0x2207},  {"isin", 0x2208},   {"notin", 0x2209},
    {"ni", 0x220B},     {"prod", 0x220F},   {"sum", 0x2211},
    {"minus", 0x2212},  {"lowast", 0x2217}, {"radic", 0x221A},
    {"prop", 0x221D},   {"infin", 0x221E},  {"ang", 0x2220},
    {"and", 0x2227},    {"or", 0x2228},     {"cap", 0x2229},
    {"cup", 0x222A},    {"int", 0x222B},    {"there4", 0x2234},
    {"sim", 0x223C},    {"cong", 0x2245},   {"asymp", 0x2248},
    {"ne", 0x2260},     {"equiv", 0x2261},  {"le", 0x2264},
    {"ge", 0x2265},     {"sub", 0x2282},    {"sup", 0x2283},
    {"nsub", 0x2284},   {"sube", 0x2286},   {"supe", 0x2287},
    {"oplus", 0x2295},  {"otimes", 0x2297}, {"perp", 0x22A5},
    {"sdot", 0x22C5},   {"lceil", 0x2308},  {"rceil", 0x2309},
    {"lfloor", 0x230A}, {"rfloor", 0x230B}, {"lang", 0x2329},
    {"rang", 0x232A},   {"loz", 0x25CA},    {"spades", 0x2660},
    {"clubs", 0x2663},  {"hearts", 0x2665}, {"diams", 0x2666},
};

// Names of U+00A0..U+00FF, in code point order.
constexpr const char* kLatin1Entities[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar",
    "sect",   "uml",    "copy",   "ordf",   "laquo",  "not",    "shy",
    "reg",    "macr",   "deg",    "plusmn", "sup2",   "sup3",   "acute",
    "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",   "raquo",
    "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",
    "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute",
    "Ecirc",  "Euml",   "Igrave", "Iacute", "Icirc",  "Iuml",   "ETH",
    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",   "times",
    "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",
    "aelig",  "ccedil", "egrave", "eacute", "ecirc",  "euml",   "igrave",
    "iacute", "icirc",  "iuml",   "eth",    "ntilde", "ograve", "oacute",
    "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave", "uacute",
    "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

// Greek letters: capitals U+0391..U+03A9 (no U+03A2), small U+03B1..U+03C9.
constexpr const char* kGreekEntities[] = {
    "Alpha", "Beta",  "Gamma",   "Delta", "Epsilon", "Zeta",    "Eta",
    "Theta", "Iota",  "Kappa",   "Lambda", "Mu",     "Nu",      "Xi",
    "Omicron", "Pi",  "Rho",     nullptr, "Sigma",   "Tau",     "Upsilon",
    "Phi",   "Chi",   "Psi",     "Omega",
};

constexpr size_t kMaxEntityName = 10;

using EntityMap = absl::flat_hash_map<absl::string_view, char32_t>;

const EntityMap& Entities() {
  static const EntityMap* const map = [] {
    auto* m = new EntityMap;
    for (const NamedEntity& e : kNamedEntities) (*m)[e.name] = e.code_point;
    for (int i = 0; i < 96; ++i) (*m)[kLatin1Entities[i]] = 0xA0 + i;
    // The small Greek letters' names are the capitals' names lowercased;
    // they are stored in static strings so the views stay valid.
    static std::array<std::string, 25> lower;
    for (int i = 0; i < 25; ++i) {
      if (kGreekEntities[i] == nullptr) continue;
      (*m)[kGreekEntities[i]] = 0x391 + i;
      lower[i] = kGreekEntities[i];
      for (char& c : lower[i]) c = absl::ascii_tolower(c);
      (*m)[lower[i]] = 0x3B1 + i;
    }
    (*m)["sigmaf"] = 0x3C2;
    return m;
  }();
  return *map;
}

// HTML maps the numeric references &#128;..&#159; to Windows-1252 (so
// "&#146;" is a right single quote); 0 where that code page has a hole.
constexpr char32_t kWindows1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

}  // namespace

bool ParseCharacterReference(absl::string_view text, size_t i, char32_t* cp,
                             size_t* length) {
  size_t j = i + 1;
  const size_t n = text.size();
  if (j < n && text[j] == '#') {
    ++j;
    bool hex = false;
    if (j < n && (text[j] == 'x' || text[j] == 'X')) {
      hex = true;
      ++j;
    }
    const size_t digits_begin = j;
    uint32_t value = 0;
    while (j < n && j - digits_begin < 8) {
      const char c = text[j];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (hex && c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        break;
      }
      value = value * (hex ? 16 : 10) + d;
      ++j;
    }
    if (j == digits_begin || j >= n || text[j] != ';') return false;
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      return false;
    }
    if (value >= 0x80 && value <= 0x9F && kWindows1252[value - 0x80] != 0) {
      value = kWindows1252[value - 0x80];
    }
    *cp = value;
    *length = j + 1 - i;
    return true;
  }
  const size_t name_begin = j;
  while (j < n && j - name_begin <= kMaxEntityName &&
         absl::ascii_isalnum(static_cast<unsigned char>(text[j]))) {
    ++j;
  }
  if (j == name_begin || j >= n || text[j] != ';') return false;
  const EntityMap& entities = Entities();
  auto it = entities.find(text.substr(name_begin, j - name_begin));
  if (it == entities.end()) return false;
  *cp = it->second;
  *length = j + 1 - i;
  return true;
}

}  // namespace syndex
