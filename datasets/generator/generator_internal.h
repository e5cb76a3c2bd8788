// State shared by generator.cc (the block plan, copies and output) and
// generator_web.cc (the web style). Not part of the generator's interface.

#ifndef SYNDEX_DATASETS_GENERATOR_GENERATOR_INTERNAL_H_
#define SYNDEX_DATASETS_GENERATOR_GENERATOR_INTERNAL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/generator/generator.h"
#include "datasets/generator/outlet.h"
#include "datasets/generator/story.h"

namespace syndex {
namespace gen {

struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

// Days since 1970-01-01 to a proleptic Gregorian date.
CivilDate FromDays(int64_t days);
// a / b rounded towards minus infinity. REQUIRES: b != 0.
int64_t FloorDiv(int64_t a, int64_t b);
// The URL slug of a title: lower-case alphanumerics, up to 8 words.
std::string Slug(const std::string& title);
// "PLACE, Month D (Wire) - ": the dateline of `wire`'s copy of `story`.
std::string WireDateline(const Story& story, const Outlet& wire);
// "PLACE - ".
std::string PlaceDateline(const Story& story);

struct Generator::Doc {
  std::string title;
  std::string text;
  int64_t minute = 0;
  int outlet = 0;
  int story = 0;    // Index into the block's stories.
  int writeup = 0;  // Index into the block's write-ups (the copy group).
  Kind kind = Kind::kUnrelated;
  std::string transforms;
  // Web style only: the body before chrome, and the article an exact copy
  // reproduces (its text is set once that article's page is rendered).
  std::vector<std::string> body;
  int exact_of = -1;
};

struct Generator::BlockStory {
  Story story;
  int twin_of = -1;  // Index of the look-alike story, if any.
  bool has_twin = false;
  int writeups = 0;
  std::string id;
};

struct Generator::WriteUpRec {
  int story = 0;
  int outlet = 0;
  bool planned_original = false;
  Body body;  // Without chrome.
  int64_t minute = 0;
  int copies = 0;
  int doc = 0;
  int64_t last_copy_minute = -1;
  std::string group_id;
  std::string web_note;  // Web style: "brief", "background" or "markup".
};

}  // namespace gen
}  // namespace syndex

#endif  // SYNDEX_DATASETS_GENERATOR_GENERATOR_INTERNAL_H_
