#ifndef SYNDEX_ENGINE_OUTPUT_REPORT_HTML_H_
#define SYNDEX_ENGINE_OUTPUT_REPORT_HTML_H_

// The writer of the story report (`syndex report`): one self-contained
// HTML page, its style and script inline, that needs no network access.
// The report's data is embedded as JSON; the script draws every story's
// timeline (SVG: publication time across, outlets down, one colour per
// copy group, the canonical ringed, each copy's lag behind it), the
// per-outlet table, the copies and matches of a chosen article, and a
// filter box by id, title or outlet. Undated articles are listed apart.

#include <string>

#include "absl/strings/string_view.h"
#include "engine/report/report.h"

namespace syndex {

// The page of `report`; `title` names it (e.g. the index directory).
std::string StoryReportHtml(const StoryReport& report, absl::string_view title);

// The report's data as the one JSON object the page embeds (every '<'
// escaped as \u003c, so no text can end the script element).
std::string StoryReportJson(const StoryReport& report, absl::string_view title);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_OUTPUT_REPORT_HTML_H_
