#ifndef SYNDEX_ENGINE_OUTPUT_REPORT_PAGE_H_
#define SYNDEX_ENGINE_OUTPUT_REPORT_PAGE_H_

// The fixed parts of the story report page (report_html.h): its style, the
// body it starts from, and the script that reads the JSON in the element
// #report-data and draws the page. Internal to engine/output.

#include "absl/strings/string_view.h"

namespace syndex {

absl::string_view ReportPageStyle();
absl::string_view ReportPageBody();
absl::string_view ReportPageScript();

}  // namespace syndex

#endif  // SYNDEX_ENGINE_OUTPUT_REPORT_PAGE_H_
